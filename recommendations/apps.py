from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    """Organisations, documents, committee reports and their recommendations; the importer."""

    name = "recommendations"
    verbose_name = "Recommendations"
