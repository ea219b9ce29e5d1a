from django.urls import path

from . import views

urlpatterns = [
    path("consultations/<slug:slug>/", views.consultation_detail, name="consultation-detail"),
]
