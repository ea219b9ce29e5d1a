from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    """Organisations, documents, committee reports and their recommendations."""

    name = "recommendations"
    verbose_name = "Recommendations"

    def ready(self):
        from tracker.pagecache import watch_models

        # Kept pages are thrown away when anything they show is written
        # (an import waiting in its preview shows nowhere until it is confirmed); the lists'
        # kept filter choices (reports, bodies addressed, chapters) when what they are read from is.
        watch_models(self.label, ignore=("pendingimport",), choices=("report", "organisation", "recommendation", "recommendation_addressees"))
