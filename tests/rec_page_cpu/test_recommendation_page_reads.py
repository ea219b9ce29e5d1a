"""The recommendation page reads its rows with hand-written SQL (``pages.detail_reads``) rather than
querysets: what it reads must be what the querysets read (every value, in the same order, with the
same related rows), what a reader sees must not change, and its queries must not grow with the data.
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext

from followup.models import Chaser
from pages.selectors import recommendation_detail
from recommendations.dates import DatePrecision
from recommendations.models import Recommendation, RecommendationAppearance, Report
from responses.models import Commitment, CommitmentRevision, OverdueFlag, Response
from tests.factories import (
    AppearanceFactory,
    CommitmentFactory,
    DocumentFactory,
    OrganisationFactory,
    RecommendationFactory,
    ReportFactory,
    ResponseFactory,
)

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")
TODAY = D(2024, 6, 12)
PLAN_DUE = D(2025, 3, 31)
pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(12), tzinfo=LONDON), tick=False):
        yield TODAY


def _reply(rec, *, received, letter_title, author_role="Mayor of London", **extra):
    letter = DocumentFactory(title=letter_title, author_role=author_role, text=f"Dear Chair,\n{letter_title}\n" * 20)
    return ResponseFactory(recommendation=rec, letter=letter, date_received=received, restated_text="As restated.", **extra)


def _commitment(reply, *, position, owner=None, due=PLAN_DUE, status="open", text="We will publish a plan."):
    return CommitmentFactory(response=reply, position=position, owner=owner, due_date=due, due_text="by March 2025" if due else "", status=status, text=text)


def _revise(commitment, *, to, reason):
    return CommitmentRevision.objects.create(
        commitment=commitment,
        previous_due_date=commitment.due_date,
        previous_due_text=commitment.due_text,
        new_due_date=to,
        new_due_text="later",
        reason=reason,
    )


def _fill(rec, *, n: int, start: int = 0) -> None:
    """``n`` of everything the page lists: addressees, copies (one in an undated document), replies
    (two on one day), their commitments (one without an owner or a date) with revisions, overdue
    flags and chases (one still a draft, one sent after today)."""
    rec.addressees.add(*[OrganisationFactory(name=f"{name} {rec.pk}-{i}") for i in range(start, start + n) for name in ("Zed Office", "Alpha Office")])
    for i in range(start, start + n):
        AppearanceFactory(
            recommendation=rec,
            document=DocumentFactory(kind="committee_report", title=f"Report text {i}", date=D(2023, 1, 1 + i)),
            line=5 + i,
            deadline=rec.deadline,
            deadline_text=rec.deadline_text,
            deadline_precision="month",
        )
        AppearanceFactory(recommendation=rec, document=DocumentFactory(kind="plan", title=f"Earlier text {i}", date=D(2022, 12, 1 + i)), line=99 + i)
        AppearanceFactory(
            recommendation=rec,
            document=DocumentFactory(kind="report_page", title=f"Web page {i}", date=None, date_precision=DatePrecision.UNKNOWN),
            section=RecommendationAppearance.Section.PAGE,
            line=10 - i,  # undated documents, in the order they were made, whatever their lines
            deadline=D(2024, 12, 31) if i % 2 else D(2024, 9, 30),
            deadline_text="by the end of 2024" if i % 2 else "by September 2024",
            deadline_precision="month",
        )
        owner = OrganisationFactory(name=f"Owner {rec.pk}-{i}", short_name="")
        for day, title in ((D(2023, 5, 2), f"Second letter {i}"), (D(2023, 5, 2), f"Third letter {i}"), (D(2023, 4, 1 + i), f"First letter {i}")):
            reply = _reply(rec, received=day, letter_title=title, author_role="the Home Secretary" if i else "Mayor of London", line=None if i else 12)
            late = _commitment(reply, position=3 + 10 * i, owner=owner, text="A promise that slips")
            _commitment(reply, position=1 + 10 * i, owner=None, due=None, status="done", text="A promise without a date")
            _revise(late, to=D(2025, 9, 30), reason=f"Funding {i}")
            _revise(late, to=D(2026, 3, 31), reason=f"Again {i}")
        resolved_at = datetime.datetime(2023, 5, 2, 23, 30, tzinfo=datetime.UTC)
        resolved = {"resolved_on": D(2023, 5, 2), "resolved_at": resolved_at, "resolution": "reply_received"} if i else {}
        OverdueFlag.objects.create(kind="recommendation", recommendation=rec, due_date=D(2023, 1, 31), raised_on=D(2023, 2, 1 + i), **resolved)
        sent = Chaser.objects.create(
            reference=f"CH-{rec.pk}-{i}",
            to_name="The Mayor",
            from_name="The Chair",
            subject=f"Late reply {i}",
            body="b",
            status="sent",
            drafted_on=D(2023, 3, 1),
            sent_on=D(2023, 3, 2 + i),
            sent_to="The Mayor's office",
        )
        draft = Chaser.objects.create(
            reference=f"DR-{rec.pk}-{i}", to_name="The Mayor", from_name="The Chair", subject="Draft", body="b", drafted_on=D(2023, 3, 1)
        )
        later = Chaser.objects.create(
            reference=f"LT-{rec.pk}-{i}",
            to_name="The Mayor",
            from_name="The Chair",
            subject="Not yet",
            body="b",
            status="sent",
            drafted_on=D(2024, 6, 1),
            sent_on=TODAY + datetime.timedelta(days=1),
            sent_to="x",
        )
        for chaser in (sent, draft, later):
            chaser.recommendations.add(rec)


@pytest.fixture
def recs():
    undated = ReportFactory(published=None, published_precision=DatePrecision.UNKNOWN)
    overridden = ReportFactory(
        published=None, published_precision=DatePrecision.UNKNOWN, response_due_override=D(2023, 9, 1), response_due_override_reason="Agreed."
    )
    full = RecommendationFactory(report=undated, deadline=D(2023, 3, 31), deadline_text="by March 2023", deadline_precision="month", chapter="Chapter 2")
    _fill(full, n=2)
    RecommendationFactory(report=undated, deadline=D(2023, 2, 28), deadline_text="by February 2023", deadline_precision="month")
    return {
        "full": full,
        "bare": RecommendationFactory(report=ReportFactory(), short_text="Short form"),
        "overridden": RecommendationFactory(report=overridden),
    }


def _old_read(pk: int) -> Recommendation:
    """The querysets the page read before (every column), as the reference."""
    commitments = Commitment.objects.select_related("owner").prefetch_related("revisions").order_by("position")
    responses = Response.objects.select_related("letter").prefetch_related(Prefetch("commitments", queryset=commitments)).order_by("date_received", "pk")
    copies = RecommendationAppearance.objects.select_related("document").order_by("document__date", "document_id", "line")
    rec = (
        Recommendation.objects.select_related("report")
        .prefetch_related("addressees", "overdue_flags", Prefetch("appearances", queryset=copies), Prefetch("responses", queryset=responses))
        .get(pk=pk)
    )
    Report.read_publication_bounds([rec.report])
    return rec


def _values(obj) -> dict:
    """Every column's value (a column the page left unread is read now)."""
    return None if obj is None else {field.attname: getattr(obj, field.attname) for field in type(obj)._meta.concrete_fields}


def _tree(rec) -> dict:
    return {
        "recommendation": _values(rec),
        "report": _values(rec.report),
        "publication bounds": rec.report.publication_bounds(),
        "addressees": [_values(org) for org in rec.addressees.all()],
        "flags": [_values(flag) for flag in rec.overdue_flags.all()],
        "copies": [(_values(copy), _values(copy.document), copy.recommendation is rec) for copy in rec.appearances.all()],
        "replies": [
            (
                _values(reply),
                _values(reply.letter),
                reply.recommendation is rec,
                [
                    (_values(c), _values(c.owner), c.response is reply, [(_values(r), r.commitment is c) for r in c.revisions.all()])
                    for c in reply.commitments.all()
                ],
            )
            for reply in rec.responses.all()
        ],
    }


@pytest.mark.parametrize("which", ["full", "bare", "overridden"])
def test_the_page_reads_what_the_querysets_read(recs, which, today):
    rec = recs[which]
    new, old = _tree(recommendation_detail(pk=rec.pk, today=TODAY)), _tree(_old_read(rec.pk))
    assert new == old
    if which == "full":  # the fixture's rows are all there, in order
        assert [a["name"].split()[0] for a in new["addressees"]] == ["Alpha", "Alpha", "Zed", "Zed"]
        titles = [doc["title"] for _, doc, _ in new["copies"]]
        undated = titles[:2] if connection.vendor == "sqlite" else titles[-2:]  # NULLs order as the database orders them
        assert undated == ["Web page 0", "Web page 1"]
        assert [title for title in titles if title not in undated] == ["Earlier text 0", "Earlier text 1", "Report text 0", "Report text 1"]
        letters = [letter["title"] for _, letter, _, _ in new["replies"]]
        assert letters == ["First letter 0", "First letter 1", "Second letter 0", "Third letter 0", "Second letter 1", "Third letter 1"]
        assert [[c["position"] for c, _, _, _ in commitments] for *_, commitments in new["replies"]] == [[1, 3], [11, 13], [1, 3], [1, 3], [11, 13], [11, 13]]
        assert [flag["raised_on"] for flag in new["flags"]] == [D(2023, 2, 2), D(2023, 2, 1)]
        assert new["publication bounds"] == (D(2023, 2, 28), D(2023, 4, 1))
        revised = new["replies"][0][3][1][3]
        assert [r["reason"] for r, _ in revised] == ["Funding 0", "Again 0"] and revised[0][0]["created_at"].tzinfo is not None
    if which == "overridden":
        assert new["publication bounds"] == (None, None)  # an editor's date: the bounds do not matter


def test_columns_the_page_does_not_show_are_left_unread(recs, today):
    rec = recommendation_detail(pk=recs["full"].pk, today=TODAY)
    reply = rec.responses.all()[0]
    assert {"text"} <= reply.letter.get_deferred_fields() and {"restated_text"} <= reply.get_deferred_fields()
    assert "text" in rec.appearances.all()[0].document.get_deferred_fields()
    with CaptureQueriesContext(connection) as queries:  # still there when asked for
        assert reply.letter.text.startswith("Dear Chair") and reply.restated_text == "As restated."
    assert len(queries) == 2


def test_an_unknown_id_is_not_found(recs, client, today):
    with pytest.raises(Recommendation.DoesNotExist):
        recommendation_detail(pk=recs["full"].pk + 1000, today=TODAY)
    with pytest.raises(Recommendation.DoesNotExist):
        recommendation_detail(pk=2**70, today=TODAY)
    assert client.get(f"/recommendations/{2**70}/").status_code == 404


def _page(client, rec) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(rec.get_absolute_url())
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_page_shows_everything_it_read(recs, client, today):
    _, page = _page(client, recs["full"])
    for shown in (
        "Alpha Office",
        "Zed Office",
        "Web page 0, web page, line 10",  # the deadline conflict, each copy listed
        "Copies of this recommendation disagree on the deadline",
        "Due by 28 April 2023 at the latest.",  # undated report: its earliest deadline bounds it
        "Overdue record",
        "Deadline 31 January 2023 passed without a reply; flagged 1 February 2023",
        "The replies",  # the Mayor and the Home Secretary each replied
        "First letter 0, line 12",
        "A promise without a date",
        "Not named",
        "Owner ",
        "Due date revised:",
        "from 31 March 2025 to 30 September 2025. Funding 0",
        "Chased by the committee (CH-",
        "Letter from The Chair to The Mayor&#x27;s office: Late reply 0",
    ):
        assert shown in page, shown
    assert "DR-" not in page and "LT-" not in page  # a draft and a chase sent after today are not on its timeline

    _, bare = _page(client, recs["bare"])
    assert "No one named" in bare and "No reply yet." in bare and "None: there is no reply yet." in bare
    assert "Short form: “Short form”" in bare and "Overdue record" not in bare


def test_queries_do_not_grow_with_what_a_recommendation_has(recs, client, today):
    # The recommendation with its report, its addressees, copies and replies, the chases for its
    # timeline; overdue flags, commitments and revisions only when there are some.
    assert _page(client, recs["bare"])[0] == 5
    full = recs["full"]
    count, page = _page(client, full)
    assert count == 8 and page.count("Due date revised:") == 6 and page.count("Chased by the committee") == 2
    _fill(full, n=4, start=2)  # three times as much of everything
    count, page = _page(client, full)
    assert count == 8 and page.count("Due date revised:") == 18 and page.count("Chased by the committee") == 6 and page.count("Resolved</strong>") == 5


def test_signed_in_staff_see_the_same_page_and_their_panel(recs, client, today):
    anonymous = _page(client, recs["full"])[1]
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "x")
    client.force_login(user)
    staff = _page(client, recs["full"])[1]
    assert "Seen by signed-in staff only" in staff and "Seen by signed-in staff only" not in anonymous
    assert staff.count("Due date revised:") == anonymous.count("Due date revised:") == 6
