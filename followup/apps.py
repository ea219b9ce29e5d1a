from django.apps import AppConfig


class FollowupConfig(AppConfig):
    """Follow-through: chaser letters for what is overdue, the same ask across documents, and each
    recommendation's status history as open data. Depends on ``recommendations`` and ``responses``;
    they never import it (they offer hooks it plugs into here)."""

    name = "followup"
    verbose_name = "Follow-through"

    def ready(self) -> None:
        from pages import exports, selectors
        from recommendations.models import Recommendation
        from responses import changes, digest

        from .history import EVENT_FIELDS, event_records
        from .selectors import CHASE, chase_changes, chase_timeline_events, digest_chase_notes

        if chase_timeline_events not in selectors.TIMELINE_SOURCES:
            selectors.TIMELINE_SOURCES.append(chase_timeline_events)
        # The digest's lines say "chased on 3 March, no reply yet".
        if digest_chase_notes not in digest.DIGEST_ANNOTATORS:
            digest.DIGEST_ANNOTATORS.append(digest_chase_notes)
        # A chase sent is a change of its own: in the digest's "what changed", /changes/ and its feed.
        changes.change_source_add(chase_changes, kind=CHASE, label="Chased by the committee")
        # The status history is one of the open datasets (``manage.py export events``, the API index).
        exports.DATASETS.setdefault("events", (Recommendation, event_records, EVENT_FIELDS))
