"""What staff do by hand, mounted at /manage/ (the letter import and the bulk CSV round trip have
their own URL modules under /manage/import/ and /manage/bulk/)."""

from django.urls import path

from . import correction_views as corrections
from . import editing_views as views

urlpatterns = [
    path("", views.manage_home, name="manage"),
    path("replies/new/", views.response_new, name="manage-response-new"),
    path("replies/missing/", views.reply_missing_new, name="manage-reply-missing"),
    path("replies/<int:pk>/assess/", views.response_assess, name="manage-response-assess"),
    path("replies/<int:pk>/commitments/new/", views.commitment_new, name="manage-commitment-new"),
    path("commitments/<int:pk>/revise/", views.commitment_revise, name="manage-commitment-revise"),
    path("recommendations/<int:pk>/notes/new/", views.note_new, name="manage-note-new"),
    path("recommendations/<int:pk>/deadline/", views.recommendation_deadline, name="manage-recommendation-deadline"),
    path("reports/<slug:slug>/reply-due/", views.report_response_due, name="manage-report-response-due"),
    path("history/<slug:kind>/<int:history_id>/revert/", views.history_revert, name="manage-history-revert"),
    # Corrections after the fact (responses/correction_views.py)
    path("replies/<int:pk>/move/", corrections.response_move, name="manage-response-move"),
    path("replies/<int:pk>/correct/", corrections.response_correct, name="manage-response-correct"),
    path("replies/<int:pk>/delete/", corrections.response_delete, name="manage-response-delete"),
    path("history/<slug:kind>/<int:history_id>/undo-creation/", corrections.creation_undo, name="manage-creation-undo"),
    path("history/<slug:kind>/<int:history_id>/restore/", corrections.deletion_revert, name="manage-deletion-revert"),
    path("reports/<slug:slug>/published/", corrections.report_publication, name="manage-report-published"),
    path("reports/<slug:slug>/reply-due/clear/", corrections.report_response_due_clear, name="manage-report-response-due-clear"),
]
