from django.urls import path

from . import views

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.subscribe_confirm, name="subscribe-confirm"),
    path("watch/recommendation/<int:pk>/", views.watch_recommendation, name="watch-recommendation"),
    path("watch/report/<slug:slug>/", views.watch_report, name="watch-report"),
    path("watch/confirm/<str:token>/", views.watch_confirm, name="watch-confirm"),
    path("watch/stop/<str:token>/", views.watch_stop, name="watch-stop"),
]
