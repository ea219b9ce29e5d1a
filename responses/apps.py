from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    """Official responses, commitments, consultations and their submissions."""

    name = "responses"
    verbose_name = "Responses and commitments"

    def ready(self):
        from tracker.pagecache import watch_models

        # Kept pages are thrown away when anything they show is written
        # (who subscribes to the digest, which digests went out and the overdue flags show on no kept page).
        watch_models(
            self.label,
            ignore=("digestdelivery", "digestsubscription", "digestsubscription_organisations", "digestsubscription_reports", "overdueflag"),
        )
