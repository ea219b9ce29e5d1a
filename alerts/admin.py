from django.contrib import admin

from .models import Watch, WatchNotification


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin):
    list_display = ["email", "recommendation", "report", "created_at"]
    search_fields = ["email"]
    raw_id_fields = ["recommendation", "report"]


@admin.register(WatchNotification)
class WatchNotificationAdmin(admin.ModelAdmin):
    list_display = ["watch", "change_key", "status", "sent_at"]
    list_filter = ["status"]
    raw_id_fields = ["watch"]
