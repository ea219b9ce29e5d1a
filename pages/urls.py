from django.urls import path

from . import feeds, search_views, stable_ids, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("recommendations/", views.RecommendationListView.as_view(), name="recommendation-list"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation-detail"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/<slug:slug>/", views.report_detail, name="report-detail"),
    path("reports/<slug:slug>/calendar.ics", feeds.calendar_report, name="report-calendar"),
    path("addressees/<slug:slug>/calendar.ics", feeds.calendar_addressee, name="addressee-calendar"),
    path("calendar.ics", feeds.calendar_all, name="calendar"),
    path("search/", search_views.search, name="search"),  # recommendations, replies, commitments, asks
    path("documents/", views.document_list, name="document-list"),
    path("documents/<int:pk>/", views.document_detail, name="document-detail"),
    path("api/", views.api_index, name="api-index"),
    path("api/<slug:dataset>/", views.api_dataset, name="api-dataset"),
    path("r/<path:stable_id>", stable_ids.resolve, name="stable-id"),  # /r/domestic-abuse/16: the record's page
]
