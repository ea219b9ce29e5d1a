from django.contrib import admin

from recommendations.admin import MarkEditedMixin

from .models import Ask, Commitment, Consultation, DigestDelivery, DigestSubscription, OverdueFlag, Response, Submission


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    fields = ["text", "owner", "due_date", "due_text", "status"]
    raw_id_fields = ["owner"]


@admin.register(Response)
class ResponseAdmin(MarkEditedMixin, admin.ModelAdmin):
    list_display = ["__str__", "date_received", "assessment", "implementation_status"]
    list_filter = ["assessment", "implementation_status"]
    search_fields = ["text", "recommendation__text"]
    list_select_related = ["recommendation__report"]
    raw_id_fields = ["recommendation", "letter"]
    inlines = [CommitmentInline]


@admin.register(Commitment)
class CommitmentAdmin(MarkEditedMixin, admin.ModelAdmin):
    list_display = ["__str__", "owner", "due_date", "status"]
    list_filter = ["status", "owner"]
    search_fields = ["text"]
    list_select_related = ["owner"]
    raw_id_fields = ["response", "document", "owner"]


class AskInline(admin.TabularInline):
    model = Ask
    extra = 0
    fields = ["number", "section", "text", "line"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Submission)
class SubmissionAdmin(MarkEditedMixin, admin.ModelAdmin):
    list_display = ["label", "consultation", "respondent_kind", "date"]
    list_filter = ["consultation", "respondent_kind"]
    search_fields = ["label", "respondent", "text"]
    list_select_related = ["consultation"]
    raw_id_fields = ["document", "organisation"]
    inlines = [AskInline]


@admin.register(OverdueFlag)
class OverdueFlagAdmin(admin.ModelAdmin):
    """Written by the daily job; read-only here so the history stays what the job recorded."""

    list_display = ["__str__", "kind", "due_date", "raised_on", "resolved_on", "resolution"]
    list_filter = ["kind", ("resolved_at", admin.EmptyFieldListFilter), "resolution"]
    date_hierarchy = "raised_on"
    list_select_related = ["recommendation__report", "report", "commitment"]
    readonly_fields = [f.name for f in OverdueFlag._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "subscribed", "unsubscribed_at"]
    list_filter = ["subscribed"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]
    filter_horizontal = ["organisations"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    """Failed deliveries stay here with their error; ``send_digest --today`` sends them again."""

    list_display = ["user", "week_start", "status", "attempts", "sent_at", "items", "last_error"]
    list_filter = ["status", "week_start"]
    search_fields = ["user__email", "email"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in DigestDelivery._meta.fields]

    def has_add_permission(self, request):
        return False
