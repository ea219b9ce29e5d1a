from django.apps import AppConfig


class FollowupConfig(AppConfig):
    """Follow-through: chaser letters for what is overdue, the same ask across documents, and each
    recommendation's status history as open data. Depends on ``recommendations`` and ``responses``;
    they never import it (they offer hooks it plugs into here)."""

    name = "followup"
    verbose_name = "Follow-through"

    def ready(self) -> None:
        from pages import selectors

        from .selectors import chase_timeline_events

        if chase_timeline_events not in selectors.TIMELINE_SOURCES:
            selectors.TIMELINE_SOURCES.append(chase_timeline_events)
