"""The commitments list's filters; values live in the URL and bad ones are form errors."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef

from recommendations.identifiers import could_be_slug
from recommendations.models import Organisation
from tracker import pagecache
from tracker.choices import KeptFormFilterSet, ListedModelChoiceFilter, fixed

from .editing_choices import recent_reports
from .models import Commitment
from .selectors import CommitmentDueStatus

# The report filter lists at most this many reports (the most recent, as the recommendation list's
# does): a select of every report was 1.2 MB of the page at 250,000 recommendations. Any report
# still filters by its slug in the URL, and shows as chosen.
REPORT_SELECT_LIMIT = 100


def report_choices(*, selected: str | None = None, page: str = "commitment-report-choices") -> list[tuple[str, str]]:
    """(slug, title) of the latest ``REPORT_SELECT_LIMIT`` reports (read from the first rows of the
    reports' publication index, kept with the filter choices as ``page``: ``pagecache.choices``), and the ``selected`` report
    wherever it falls, so a shared link to an older report's rows still works and shows which it is.
    The commitments' and the recommendations' report filters both list these."""
    reports = pagecache.choices(f"{page}:{REPORT_SELECT_LIMIT}", lambda: recent_reports(limit=REPORT_SELECT_LIMIT))
    if selected and len(reports) == REPORT_SELECT_LIMIT and selected not in {slug for slug, _ in reports} and could_be_slug(selected):
        reports = recent_reports(limit=REPORT_SELECT_LIMIT, chosen=selected)  # in its place among them
    return reports


class CommitmentFilter(KeptFormFilterSet):
    """Filters for ``selectors.commitment_list`` (which annotates ``due_status``)."""

    due = django_filters.ChoiceFilter(label="Due status", field_name="due_status", choices=fixed(CommitmentDueStatus), empty_label="Any")
    status = django_filters.ChoiceFilter(label="Status", choices=fixed(Commitment.Status), empty_label="Any status")
    owner = ListedModelChoiceFilter(
        label="Made by",
        # EXISTS per organisation (an index probe each) rather than a DISTINCT over every commitment.
        queryset=Organisation.objects.filter(Exists(Commitment.objects.filter(owner=OuterRef("pk")))).order_by("name"),
        to_field_name="slug",
        empty_label="Anyone",
    )
    report = django_filters.ChoiceFilter(
        label="Arising from the reply to", choices=[], field_name="response__recommendation__report__slug", empty_label="All reports"
    )

    class Meta:
        model = Commitment
        fields: list[str] = []

    def form_choices(self):
        # Read only when the form is drawn or the value checked, and once.
        selected = self.data.get("report") if self.data is not None else None
        return {"report": lambda: report_choices(selected=selected)}
