"""The recommendation page runs a fixed number of queries for signed-in staff too, however long
its history: checked against 3,000 generated recommendations, before and after more changes."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from responses.services import commitment_revise, note_add, recommendation_deadline_correct, response_assess
from tests.pages.conftest import many_recommendations, today  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

# The public page's queries (the recommendation with its report, its addressees, copies, replies,
# their commitments and those commitments' due-date revisions, each read only when there are some;
# the overdue flags only when it has some: pages/detail_reads.py), plus for signed-in
# staff: the session, the user, their permissions and their groups' permissions (4), and the staff
# panel: notes, recorded missing replies, and the history of the recommendation, its addressees,
# its report, its replies and their commitments (7). A change to a link (a reply's letter, a
# commitment's owner) adds one query per kind of linked record to name them; these changes have none.
PUBLIC_WITH_COMMITMENTS = 7  # with the chasers sent, for the timeline (followup)
STAFF_EXTRA = 11


def _change_everything(rec, user, round_: int) -> None:
    response = rec.responses.first()
    commitment = response.commitments.first()
    recommendation_deadline_correct(
        recommendation=rec, deadline=datetime.date(2023, 1, 1) + datetime.timedelta(days=round_), reason=f"Round {round_}", user=user
    )
    response_assess(
        response=response, assessment="accepted" if round_ % 2 else "noted", rationale=f"Round {round_}",
        implementation_status="in_progress", evidence="", user=user,
    )
    commitment_revise(
        commitment=commitment, due_date=datetime.date(2023, 6, 1) + datetime.timedelta(days=round_), reason=f"Round {round_}", user=user
    )
    note_add(recommendation=rec, text=f"Note {round_}", author=user)


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def test_the_staff_view_of_a_recommendation_runs_a_fixed_number_of_queries(client_for, users, today, many_recommendations):  # noqa: F811
    rec = many_recommendations["recommendations"][0]  # answered, with a commitment
    url = rec.get_absolute_url()
    editor, anonymous = client_for("editor"), client_for("anonymous")
    _change_everything(rec, users["editor"], 1)

    staff_once, page = _queries(editor, url)
    public_once, _ = _queries(anonymous, url)
    assert page.count("Round 1") >= 3 and "Note 1" in page

    for round_ in range(2, 6):
        _change_everything(rec, users["editor"], round_)
    staff_later, page = _queries(editor, url)
    public_later, public_page = _queries(anonymous, url)
    assert page.count("(Due date revised: Round") == 5 and "Note 5" in page
    assert public_page.count("Round ") == 6  # five revision reasons and the latest rationale, to everyone

    assert staff_later == staff_once == PUBLIC_WITH_COMMITMENTS + STAFF_EXTRA
    assert public_later == public_once == PUBLIC_WITH_COMMITMENTS
