from django.urls import path

from . import subscription_views

urlpatterns = [
    path("", subscription_views.preferences, name="digest-preferences"),
    path("unsubscribe/<str:token>/", subscription_views.unsubscribe, name="digest-unsubscribe"),
]
