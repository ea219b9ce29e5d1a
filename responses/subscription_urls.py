from django.urls import path

from . import subscription_views

urlpatterns = [
    path("", subscription_views.preferences, name="digest-preferences"),
    path("link/<str:token>/", subscription_views.preferences_by_link, name="digest-preferences-link"),
    path("unsubscribe/<str:token>/", subscription_views.unsubscribe, name="digest-unsubscribe"),
]
