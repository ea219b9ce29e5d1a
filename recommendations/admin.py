"""Admin for the recommendations app. Saving through the admin marks a record ``edited_by_admin``
so re-importing its source never overwrites the correction."""

from django.contrib import admin

from .models import Document, Organisation, OrganisationAlias, Recommendation, RecommendationAppearance, Report


class MarkEditedMixin:
    def save_model(self, request, obj, form, change):
        if change and form.has_changed():
            obj.edited_by_admin = True
        super().save_model(request, obj, form, change)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "date", "reference", "author_organisation"]
    list_filter = ["kind"]
    search_fields = ["title", "reference", "author_person"]
    list_select_related = ["author_organisation"]
    readonly_fields = ["sha256", "source_file"]
    raw_id_fields = ["report"]


class RecommendationAppearanceInline(admin.TabularInline):
    model = RecommendationAppearance
    extra = 0
    fields = ["document", "section", "line", "deadline", "deadline_text"]
    readonly_fields = fields
    can_delete = False


@admin.register(Report)
class ReportAdmin(MarkEditedMixin, admin.ModelAdmin):
    list_display = ["title", "committee", "published", "response_due_override"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["committee"]


@admin.register(Recommendation)
class RecommendationAdmin(MarkEditedMixin, admin.ModelAdmin):
    list_display = ["__str__", "number", "deadline", "chapter"]
    list_filter = ["report", "addressees"]
    search_fields = ["text", "short_text"]
    list_select_related = ["report"]
    filter_horizontal = ["addressees"]
    raw_id_fields = ["made_in"]
    inlines = [RecommendationAppearanceInline]


@admin.register(OrganisationAlias)
class OrganisationAliasAdmin(admin.ModelAdmin):
    """Other names documents use for an organisation: the importer reads addressees and respondents through them."""

    list_display = ["alias", "stands_for"]
    search_fields = ["alias", "stands_for"]
    fields = ["alias", "stands_for"]
