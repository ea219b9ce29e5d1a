from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("manage/chasers/", views.chaser_home, name="chaser-home"),
    path("manage/chasers/new/<str:kind>/<slug:key>/", views.chaser_new, name="chaser-new"),
    path("manage/chasers/<int:pk>/", views.chaser_detail, name="chaser-detail"),
    path("manage/chasers/<int:pk>/edit/", views.chaser_edit, name="chaser-edit"),
    path("manage/chasers/<int:pk>/sent/", views.chaser_sent, name="chaser-sent"),
    path("manage/chasers/<int:pk>/revert/<int:history_id>/", views.chaser_revert, name="chaser-revert"),
    path("manage/chasers/<int:pk>/delete/", views.chaser_delete, name="chaser-delete"),
    path("manage/chasers/<int:pk>/letter.docx", views.chaser_docx, name="chaser-docx"),
    path("similar/<str:kind>/<int:pk>/", views.similar, name="similar"),
    path("api/links/", views.links_export, name="links-export"),
    path("api/events/", views.events_export, name="events-export"),
    path("api/recommendations/<int:pk>/history/", views.recommendation_history, name="recommendation-history"),
]
