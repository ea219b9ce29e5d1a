from django.urls import path

from responses import changes_views

from . import response_views as views

urlpatterns = [
    path("changes/", changes_views.changes, name="changes"),  # What changed (responses/changes.py)
    path("changes.atom", changes_views.ChangesFeed(), name="changes-feed"),
    path("commitments/", views.CommitmentListView.as_view(), name="commitment-list"),
    path("consultations/", views.consultation_list, name="consultation-list"),
    path("consultations/<slug:slug>/", views.consultation_detail, name="consultation-detail"),
]
