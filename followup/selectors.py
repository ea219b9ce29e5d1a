"""Reads for follow-through pages, the digest and the open data: what is overdue and whom to
chase, which items were chased, the items most like one another, and each recommendation's
status history. Nothing here reads the clock: pass ``today`` in."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from pages import figures
from recommendations.models import Organisation, Recommendation, Report
from responses.changes import Change, ChangeFilter
from responses.models import Ask, Commitment, Response

from . import similarity
from .letters import OverdueItem, PreviousChase, chased_words, long_date
from .models import Chaser, SimilarityLink

# --- Chasers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChaseTarget:
    """Someone the committee could chase today: a report's overdue reply, or a body's overdue
    deadlines and commitments."""

    kind: str  # "report" or "addressee"
    key: str  # the report's or organisation's slug
    name: str
    count: int
    last_chased: datetime.date | None


def chase_targets(*, today: datetime.date) -> list[ChaseTarget]:
    """Every addressee with overdue deadlines or commitments and every report whose reply is
    overdue on ``today``, with how many items and when last chased."""
    last = last_chased()
    return chase_bodies(today=today, last=last) + report_targets(reports_to_chase(today=today), last=last)


def reports_to_chase(*, today: datetime.date):
    """Reports whose reply is overdue on ``today``, longest overdue first, each with its number of
    recommendations (``items``) counted in the same query."""
    counted = Recommendation.objects.filter(report=OuterRef("pk")).order_by().values("report").annotate(n=Count("pk")).values("n")
    return Report.objects.response_overdue(today=today).annotate(items=Coalesce(Subquery(counted), 0)).order_by("published", "title", "pk")


def report_targets(reports, *, last: dict) -> list[ChaseTarget]:
    return [ChaseTarget("report", r.slug, r.title, r.items, last.get(("report", r.pk))) for r in reports]


def chase_bodies(*, today: datetime.date, last: dict) -> list[ChaseTarget]:
    """Every body with overdue deadlines or commitments on ``today`` and how many: a few queries
    whatever the number of bodies and items (a join of every recommendation with every commitment
    under DISTINCT, and two counts a body, took minutes at 250,000 recommendations)."""
    counts = _overdue_recommendations_by_body(today=today)
    owned = Commitment.objects.overdue(today=today).filter(owner__isnull=False).order_by().values("owner_id").annotate(n=Count("pk"))
    counts.update(dict(owned.values_list("owner_id", "n")))
    return [
        ChaseTarget("addressee", body.slug, body.name, counts[body.pk], last.get(("addressee", body.pk)))
        for body in Organisation.objects.filter(pk__in=list(counts)).order_by("name")
    ]


def _overdue_recommendations_by_body(*, today: datetime.date) -> Counter:
    """Addressee id -> its overdue recommendations on ``today``: the dashboard's figures when today's
    are stored (``pages.figures``, kept current on every write: one small read), else counted over
    every addressee link (75 ms at 250,000 recommendations). The same rows either way."""
    stored = figures.stored_overdue_by_organisation(today=today)
    if stored is not None:
        return Counter(stored)
    overdue_recs = Recommendation.objects.overdue(today=today)
    addressed = Recommendation.addressees.through.objects.filter(recommendation__in=overdue_recs.values("pk"))
    return Counter(dict(addressed.order_by().values("organisation_id").annotate(n=Count("pk")).values_list("organisation_id", "n")))


def last_chased() -> dict[tuple[str, int], datetime.date]:
    """When each report (``("report", id)``) and body (``("addressee", id)``) was last chased."""
    last: dict[tuple[str, int], datetime.date] = {}
    for report_id, addressee_id, sent_on in Chaser.objects.sent().values_list("report_id", "addressee_id", "sent_on"):
        key = ("report", report_id) if report_id else ("addressee", addressee_id)
        last[key] = max(sent_on, last.get(key, sent_on))
    return last


def _previous_chases(*, recommendation_ids, commitment_ids) -> tuple[dict, dict]:
    """Item id -> the letters recorded as sent that named it, oldest first: one query per kind of
    item, reading the links of these items only (not every item of those letters)."""
    found = []
    for through, column, ids in (
        (Chaser.recommendations.through, "recommendation_id", recommendation_ids),
        (Chaser.commitments.through, "commitment_id", commitment_ids),
    ):
        by_item = defaultdict(list)
        if ids:
            links = through.objects.filter(**{f"{column}__in": ids}, chaser__status=Chaser.Status.SENT, chaser__sent_on__isnull=False)
            for item_id, sent_on, reference in links.order_by("chaser__sent_on", "chaser_id").values_list(column, "chaser__sent_on", "chaser__reference"):
                by_item[item_id].append(PreviousChase(sent_on, reference))
        found.append(by_item)
    return found[0], found[1]


def _promised_by_deadline(due: datetime.date, words: str) -> str:
    return f"What the recommendation asked, {words}" if words else f"What the recommendation asked, by {long_date(due)}"


def _rec_label(rec: Recommendation) -> str:
    return f"Recommendation {rec.number} of the report ‘{rec.report.title}’"


@dataclass
class ChaseDraft:
    """What a new letter is about and to whom, and the overdue items it names (plain data for the
    letter): at most ``CHASER_MAX_ITEMS``, the longest overdue; ``more`` says how many others are
    overdue and ``full_lists`` (label, link) where every one of them is listed."""

    report: Report | None
    addressee: Organisation | None
    to_name: str
    chair: str
    committee: str
    about: str
    items: list[OverdueItem]
    recommendations: list[Recommendation]
    commitments: list[Commitment]
    more: int = 0
    full_lists: tuple[tuple[str, str], ...] = ()

    @property
    def total(self) -> int:
        return len(self.items) + self.more


def chase_draft(*, kind: str, key: str, today: datetime.date, absolute, cap: int | None = None) -> ChaseDraft:
    """The overdue items of a report's reply (``kind="report"``) or an addressee (``"addressee"``)
    on ``today``: the ``cap`` (``settings.CHASER_MAX_ITEMS``) longest overdue, and how many more.
    ``absolute`` turns a path into a link. Raises ``DoesNotExist`` for an unknown key and
    ``LookupError`` when nothing is overdue. A bounded number of queries whatever the data."""
    cap = settings.CHASER_MAX_ITEMS if cap is None else cap
    build = _report_draft if kind == "report" else _addressee_draft
    return build(key, today=today, cap=cap, absolute=absolute)


def _report_draft(key: str, *, today: datetime.date, cap: int, absolute) -> ChaseDraft:
    """The report's recommendations (its reply is one letter about all of them), by number; a
    report of more than ``cap`` names the first ``cap`` and links to the list of them all."""
    report = Report.objects.select_related("committee").get(slug=key)
    if not Report.objects.response_overdue(today=today).filter(pk=report.pk).exists():
        raise LookupError("The reply to this report is not overdue.")
    recs = list(report.recommendations.select_related("report__committee").order_by("number")[: cap + 1])
    more, full_lists = 0, ()
    if len(recs) > cap:
        recs, more = recs[:cap], report.recommendations.count() - cap
        full_lists = (("Every recommendation of the report", absolute(f"{reverse('recommendation-list')}?{urlencode({'report': report.slug})}")),)
    mayor = Organisation.objects.filter(kind=Organisation.Kind.MAYOR).first()
    promised = "A reply to the report, recommendation by recommendation (" + report.response_due.explanation + ")"
    items = _overdue_items(recs, [], due_of=lambda rec: (report.response_due.date, ""), promised=promised, absolute=absolute)
    return ChaseDraft(
        report,
        None,
        mayor.name if mayor else "the Mayor of London",
        report.chair or "The Chair",
        report.committee.name,
        f"the Mayor's reply to our report ‘{report.title}’",
        items,
        recs,
        [],
        more,
        full_lists,
    )


def _addressee_draft(key: str, *, today: datetime.date, cap: int, absolute) -> ChaseDraft:
    """The body's ``cap`` longest-overdue deadlines and commitments together (the oldest due dates),
    listed as before (recommendations by report and number, then commitments by due date)."""
    addressee = Organisation.objects.get(slug=key)
    overdue_recs = Recommendation.objects.overdue(today=today).filter(addressees=addressee)
    overdue_commitments = Commitment.objects.overdue(today=today).filter(owner=addressee)
    rec_rows = list(overdue_recs.order_by("deadline", "pk").values_list("deadline", "pk")[:cap])
    commitment_rows = list(overdue_commitments.order_by("due_date", "pk").values_list("due_date", "pk")[:cap])
    if not rec_rows and not commitment_rows:
        raise LookupError(f"Nothing addressed to {addressee.name} is overdue.")
    named = sorted([(due, 0, pk) for due, pk in rec_rows] + [(due, 1, pk) for due, pk in commitment_rows])[:cap]
    recs = list(Recommendation.objects.filter(pk__in=[pk for _, which, pk in named if which == 0]).select_related("report__committee"))
    commitments = list(
        Commitment.objects.filter(pk__in=[pk for _, which, pk in named if which == 1])
        .select_related("document", "response__recommendation")
        .defer("document__text", "response__recommendation__text")
    )
    # Fewer than ``cap`` of a kind are all of them; otherwise counted (the stored figure, when there is one).
    rec_total = len(rec_rows) if len(rec_rows) < cap else _overdue_count(overdue_recs, today=today, addressee=addressee)
    commitment_total = len(commitment_rows) if len(commitment_rows) < cap else overdue_commitments.count()
    full_lists = []
    if rec_total > len(recs):
        query = urlencode({"addressee": addressee.slug, "status": "overdue", "sort": "deadline"})
        full_lists.append(("Every overdue recommendation addressed to them", absolute(f"{reverse('recommendation-list')}?{query}")))
    if commitment_total > len(commitments):
        query = urlencode({"owner": addressee.slug, "due": "overdue"})
        full_lists.append(("Every overdue commitment they made", absolute(f"{reverse('commitment-list')}?{query}")))
    items = _overdue_items(recs, commitments, due_of=lambda rec: (rec.deadline, rec.deadline_text), promised=None, absolute=absolute)
    source = next((rec.report for rec in recs), None)
    return ChaseDraft(
        None,
        addressee,
        addressee.name,
        (source.chair if source else "") or "The Chair",
        source.committee.name if source else "Police and Crime Committee",
        f"overdue deadlines and commitments of {addressee.name}",
        items,
        recs,
        commitments,
        rec_total + commitment_total - len(named),
        tuple(full_lists),
    )


def _overdue_count(overdue_recs, *, today: datetime.date, addressee: Organisation) -> int:
    """How many recommendations addressed to ``addressee`` are overdue: the dashboard's stored figure
    when today's is stored (the same rows), else counted."""
    stored = figures.stored_list_count(today=today, status="overdue", organisation_id=addressee.pk)
    value = next(iter(stored), None) if stored is not None else None
    return overdue_recs.count() if value is None else value


def _overdue_items(recs, commitments, *, due_of, promised: str | None, absolute) -> list[OverdueItem]:
    """The letter's items: the recommendations, then the commitments, each with the letters that
    chased it before."""
    by_rec, by_commitment = _previous_chases(recommendation_ids=[r.pk for r in recs], commitment_ids=[c.pk for c in commitments])
    items = [
        OverdueItem(
            _rec_label(rec),
            rec.text,
            due_of(rec)[0],
            due_of(rec)[1],
            promised or _promised_by_deadline(*due_of(rec)),
            absolute(rec.get_absolute_url()),
            tuple(by_rec.get(rec.pk, ())),
        )
        for rec in recs
    ]
    items += [
        OverdueItem(
            f"Commitment in ‘{c.document.title}’",
            c.text,
            c.due_date,
            c.due_text,
            f"“{c.text}” ({c.due_text or 'no words given'})",
            absolute(c.response.recommendation.get_absolute_url() if c.response_id else c.document.get_absolute_url()),
            tuple(by_commitment.get(c.pk, ())),
        )
        for c in commitments
    ]
    return items


@dataclass(frozen=True)
class ChaseNote:
    sent_on: datetime.date
    reference: str
    replied: bool
    url: str

    def words(self, *, today: datetime.date) -> str:
        return chased_words(self.sent_on, replied=self.replied, today=today)


def latest_chases(*, recommendation_ids: list[int], today: datetime.date) -> dict[int, ChaseNote]:
    """For the digest: each recommendation's latest chase sent by ``today`` and whether a reply
    came after it ("chased on 3 March, no reply yet"). Two queries whatever the number."""
    rows = (
        Chaser.recommendations.through.objects.filter(recommendation_id__in=recommendation_ids, chaser__status=Chaser.Status.SENT, chaser__sent_on__lte=today)
        .order_by("recommendation_id", "chaser__sent_on", "chaser_id")
        .values_list("recommendation_id", "chaser__sent_on", "chaser__reference", "chaser_id")
    )
    latest = {rec_id: (sent_on, reference, chaser_id) for rec_id, sent_on, reference, chaser_id in rows}
    replies = defaultdict(list)
    for rec_id, received in Response.objects.filter(recommendation_id__in=list(latest), date_received__lte=today).values_list(
        "recommendation_id", "date_received"
    ):
        replies[rec_id].append(received)
    return {
        rec_id: ChaseNote(sent_on, reference, any(day >= sent_on for day in replies[rec_id]), Chaser(pk=chaser_id).get_absolute_url())
        for rec_id, (sent_on, reference, chaser_id) in latest.items()
    }


def chase_words_for_digest(*, recommendation_ids: list[int], today: datetime.date) -> dict[int, str]:
    """recommendation id -> "chased on 3 March, no reply yet", for the digest's lines (two queries)."""
    return {pk: note.words(today=today) for pk, note in latest_chases(recommendation_ids=recommendation_ids, today=today).items()}


def digest_chase_notes(*, recommendation_ids: list[int], today: datetime.date) -> dict[int, dict[str, str]]:
    """The digest's annotator (``responses.digest.DIGEST_ANNOTATORS``): each chased line's ``chased`` words."""
    return {pk: {"chased": words} for pk, words in chase_words_for_digest(recommendation_ids=recommendation_ids, today=today).items()}


def chase_timeline_events(recommendation: Recommendation, *, today: datetime.date) -> list:
    """The recommendation's chases sent by ``today``, for its timeline (one query: hand-written, as
    ``Chaser.objects.sent()`` of ``recommendation.chasers`` by ``today`` in date order, since building
    the queryset cost the recommendation page ten times running it)."""
    from pages.selectors import TimelineEvent

    link = Chaser.recommendations.through._meta
    sql = f"""
        SELECT chaser.id, chaser.reference, chaser.from_name, chaser.to_name, chaser.sent_to, chaser.subject, chaser.sent_on
        FROM {Chaser._meta.db_table} chaser JOIN {link.db_table} link ON link.{link.get_field("chaser").column} = chaser.id
        WHERE link.{link.get_field("recommendation").column} = %s AND chaser.status = %s AND chaser.sent_on IS NOT NULL AND chaser.sent_on <= %s
        ORDER BY chaser.sent_on, chaser.id"""
    chasers = Chaser.objects.raw(sql, [recommendation.pk, Chaser.Status.SENT.value, today])
    return [
        TimelineEvent(
            c.sent_on, f"Chased by the committee ({c.reference})", f"Letter from {c.from_name} to {c.sent_to or c.to_name}: {c.subject}", c.get_absolute_url()
        )
        for c in chasers
    ]


CHASE = "chase"  # the kind of change a chase is (``responses.changes``; watch notifications are keyed on it)


def chase_changes(f: ChangeFilter) -> list[Change]:
    """``responses.changes``' source of chases (``CHANGE_SOURCES``): each chaser letter recorded as
    sent from ``f.start`` to ``f.end`` that concerns the report, addressee or recommendation asked
    for, newest first, at most ``f.limit``. Two queries."""
    q = Q()
    if f.report_id is not None:
        q &= Q(report_id=f.report_id) | Q(recommendations__report_id=f.report_id)
    if f.addressee_id is not None:
        q &= Q(addressee_id=f.addressee_id) | Q(recommendations__addressees=f.addressee_id)
    if f.recommendation_id is not None:
        q &= Q(recommendations=f.recommendation_id)
    chased = Prefetch("recommendations", queryset=Recommendation.objects.select_related("report").order_by("report_id", "number"))
    rows = f.cut(
        Chaser.objects.sent()
        .filter(q, sent_on__gte=f.start, sent_on__lte=f.end)
        .select_related("report")
        .prefetch_related(chased)
        .order_by("-sent_on", "-pk")
        .distinct()
    )
    return [_chase_change(chaser, f) for chaser in rows]


def _chase_change(chaser: Chaser, f: ChangeFilter) -> Change:
    recommendations = list(chaser.recommendations.all())
    reports = list({rec.report_id: rec.report for rec in recommendations}.values())
    report = chaser.report or (reports[0] if len(reports) == 1 else next((r for r in reports if r.pk == f.report_id), None))
    single = [rec for rec in recommendations if f.recommendation_id in (None, rec.pk)]
    numbers = ", ".join(str(rec.number) for rec in recommendations if report is None or rec.report_id == report.pk)
    return Change(
        key=f"chaser:{chaser.pk}",
        kind=CHASE,
        on=chaser.sent_on,
        report=report,
        recommendation=single[0] if len(single) == 1 else None,
        summary=f"Chased by the committee ({chaser.reference}): letter from {chaser.from_name} to {chaser.sent_to or chaser.to_name}: {chaser.subject}",
        details=(f"It chases recommendations {numbers}",) if len(recommendations) > 1 else (),
        sort_key=(chaser.pk,),
    )


# --- The same ask across documents ---------------------------------------------------------------


@dataclass(frozen=True)
class Similar:
    kind: str
    id: int
    text: str
    where: str
    url: str
    score: float | None
    verdict: str  # "", "confirmed" or "rejected"


def _recommendation_items(queryset) -> list[similarity.Item]:
    return [similarity.Item("recommendation", pk, f"report:{report_id}", text) for pk, text, report_id in queryset.values_list("pk", "text", "report_id")]


def _recommendation_places(pks) -> dict[int, tuple[str, str]]:
    rows = Recommendation.objects.filter(pk__in=pks).values_list("pk", "report__title")
    return {pk: (f"Report ‘{title}’", Recommendation(pk=pk).get_absolute_url()) for pk, title in rows}


def _ask_items(queryset) -> list[similarity.Item]:
    return [similarity.Item("ask", pk, f"submission:{submission_id}", text) for pk, text, submission_id in queryset.values_list("pk", "text", "submission_id")]


def _ask_places(pks) -> dict[int, tuple[str, str]]:
    rows = Ask.objects.filter(pk__in=pks).values_list("pk", "submission_id", "submission__label", "submission__consultation__slug")
    return {
        pk: (f"Consultation submission: {label}", f"/consultations/{consultation}/?submission={submission_id}#submission-{submission_id}")
        for pk, submission_id, label, consultation in rows
    }


def _commitment_items(queryset) -> list[similarity.Item]:
    return [similarity.Item("commitment", pk, f"document:{document_id}", text) for pk, text, document_id in queryset.values_list("pk", "text", "document_id")]


def _commitment_places(pks) -> dict[int, tuple[str, str]]:
    rows = Commitment.objects.filter(pk__in=pks).values_list("pk", "document_id", "document__title")
    return {pk: (f"Commitment in ‘{title}’", f"/documents/{document_id}/") for pk, document_id, title in rows}


# Each kind of item: its model, how its rows become items, and where the shown ones come from (a
# label and a link, read only for the few items a page shows).
_KINDS = {
    "recommendation": (Recommendation, _recommendation_items, _recommendation_places),
    "ask": (Ask, _ask_items, _ask_places),
    "commitment": (Commitment, _commitment_items, _commitment_places),
}


def _collection(*, including: tuple[str, int] | None = None) -> tuple[list[similarity.Item], dict[tuple[str, int], similarity.Item]]:
    """Every recommendation, ask and commitment (at most ``SIMILARITY_MAX_ITEMS`` of each, the
    newest), as plain items, and the same by (kind, id); and the ``including`` one wherever it
    falls, so an older item's page still works (compared with the newest). Three or four queries."""
    cap = settings.SIMILARITY_MAX_ITEMS
    items = [item for model, build, _ in _KINDS.values() for item in build(model.objects.order_by("-pk")[:cap])]
    by_key = {(item.kind, item.id): item for item in items}
    if including is not None and including not in by_key and including[0] in _KINDS:
        model, build, _ = _KINDS[including[0]]
        for item in build(model.objects.filter(pk=including[1])):
            items.append(item)
            by_key[(item.kind, item.id)] = item
    return items, by_key


def _places(keys) -> dict[tuple[str, int], tuple[str, str]]:
    """Where each of these items comes from (a label and a link): one query per kind."""
    places = {}
    for kind, (_, _, find) in _KINDS.items():
        pks = [pk for key_kind, pk in keys if key_kind == kind]
        if pks:
            places.update(((kind, pk), place) for pk, place in find(pks).items())
    return places


def _verdicts(kind: str, pk: int) -> dict[tuple[str, int], tuple[str, float | None]]:
    links = SimilarityLink.objects.filter(Q(a_kind=kind, a_id=pk) | Q(b_kind=kind, b_id=pk))
    verdicts = {}
    for link in links:
        other = (link.b_kind, link.b_id) if (link.a_kind, link.a_id) == (kind, pk) else (link.a_kind, link.a_id)
        verdicts[other] = (link.verdict, link.score)
    return verdicts


def similar_items(*, kind: str, pk: int, limit: int = 8) -> tuple[similarity.Item, list[Similar]]:
    """The items of other documents most like this one: confirmed links first, then suggestions
    ranked by wording (rejected ones left out). Raises ``LookupError`` for an unknown item."""
    items, by_key = _collection(including=(kind, pk))
    target = by_key.get((kind, pk))
    if target is None:
        raise LookupError("No such item")
    verdicts = _verdicts(kind, pk)
    ranked = similarity.most_similar(target, items, limit=limit + len(verdicts))
    scores = {(item.kind, item.id): score for item, score in ranked}
    confirmed = [key for key, (verdict, _) in verdicts.items() if verdict == SimilarityLink.Verdict.CONFIRMED and key in by_key]
    suggested = [key for key in scores if key not in verdicts][:limit]
    where = _places(confirmed + suggested)

    def row(key, verdict):
        label, url = where[key]
        return Similar(key[0], key[1], by_key[key].text, label, url, scores.get(key, verdicts.get(key, ("", None))[1]), verdict)

    # An item deleted since the collection was read has no place: it is left out, not an error.
    return target, [row(key, "confirmed") for key in confirmed if key in where] + [row(key, "") for key in suggested if key in where]


def confirmed_links() -> list[dict]:
    """Every confirmed link, as open-data records (the CSV/JSON export)."""
    return [
        {
            "a_kind": link.a_kind,
            "a_id": link.a_id,
            "b_kind": link.b_kind,
            "b_id": link.b_id,
            "score": link.score,
            "confirmed_on": link.updated_at.date().isoformat(),
        }
        for link in SimilarityLink.objects.filter(verdict=SimilarityLink.Verdict.CONFIRMED)
    ]


def chaser_detail(*, pk: int) -> Chaser:
    return (
        Chaser.objects.select_related("report", "addressee", "created_by")
        .prefetch_related(
            Prefetch("recommendations", queryset=Recommendation.objects.select_related("report").order_by("report", "number")),
            "commitments",
        )
        .get(pk=pk)
    )
