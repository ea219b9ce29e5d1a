"""Bulk updates by CSV round trip, under /manage/bulk/ (scrutiny officers and editors)."""

from django.urls import path

from . import bulk_views

urlpatterns = [
    path("", bulk_views.bulk_start, name="bulk-start"),
    path("replies.csv", bulk_views.bulk_download, name="bulk-download"),
    path("confirm/", bulk_views.bulk_confirm, name="bulk-confirm"),
]
