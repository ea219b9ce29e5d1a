from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path


def healthz(request):
    """For load balancers and the run command's readiness check: the process answers."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),  # sign in, sign out, change password
    path("preferences/", include("responses.subscription_urls")),
    path("manage/import/", include("recommendations.import_urls")),
    path("manage/bulk/", include("responses.bulk_urls")),
    path("manage/", include("responses.editing_urls")),  # what staff do by hand
    path("", include("responses.urls")),
    path("", include("recommendations.urls")),
]
