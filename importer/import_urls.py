"""The import pages, under /manage/import/ (editors only)."""

from django.urls import path

from . import import_views

urlpatterns = [
    path("", import_views.import_start, name="import-start"),
    path("by-hand/", import_views.import_by_hand, name="import-by-hand"),
    path("<int:pk>/", import_views.import_preview, name="import-preview"),
    path("<int:pk>/abandon/", import_views.import_abandon, name="import-abandon"),
]
