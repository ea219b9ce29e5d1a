from django.apps import AppConfig


class ImporterConfig(AppConfig):
    """Reading documents (parsing/ is pure Python), the preview and review pages, and the services
    that save what was read as reports, recommendations, replies, commitments and consultations."""

    name = "importer"
    verbose_name = "Importer"
