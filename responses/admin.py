from django.contrib import admin

from recommendations.admin import MarkEditedMixin

from .models import Ask, Commitment, Consultation, Response, Submission


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
