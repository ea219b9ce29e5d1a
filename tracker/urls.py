from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tracker import health
from tracker.signin import SignInForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),  # the database and the cache answer (tracker/health.py)
    path("livez", health.livez, name="livez"),  # the process answers
    # Sign in, sign out, change password. No self-service password reset: admins create staff and
    # set a forgotten password in /admin/ (or `manage.py changepassword`).
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("preferences/", include("responses.subscription_urls")),
    path("manage/import/", include("importer.import_urls")),
    path("manage/bulk/", include("responses.bulk_urls")),
    path("manage/", include("responses.editing_urls")),  # what staff do by hand
    path("", include("alerts.urls")),  # /subscribe/, /watch/
    path("", include("followup.urls")),  # before the API's /api/<dataset>/: /api/events/, /api/links/
    path("", include("pages.response_urls")),
    path("", include("pages.urls")),
]
