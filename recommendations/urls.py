from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation-detail"),
    path("reports/<slug:slug>/", views.report_detail, name="report-detail"),
    path("documents/<int:pk>/", views.document_detail, name="document-detail"),
]
