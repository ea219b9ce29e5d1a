from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path


def healthz(request):
    """For load balancers and the run command's readiness check: the process answers."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("preferences/", include("responses.subscription_urls")),
    path("", include("responses.urls")),
    path("", include("recommendations.urls")),
]
