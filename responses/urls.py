from django.urls import path

from . import views

urlpatterns = [
    path("commitments/", views.CommitmentListView.as_view(), name="commitment-list"),
    path("consultations/", views.consultation_list, name="consultation-list"),
    path("consultations/<slug:slug>/", views.consultation_detail, name="consultation-detail"),
]
