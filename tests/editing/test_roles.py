"""The whole role matrix: anonymous, signed in with no role, scrutiny officer, editor and superuser
against every staff action, by GET (the form) and POST (the change).

Allowed: the form opens and a valid POST makes the change a user would see. Refused: anonymous
visitors are sent to the sign-in page and nothing changes; a signed-in user whose role does not
allow the action gets the 403 page and nothing changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.urls import reverse

from recommendations.models import Note
from responses.models import Commitment, CommitmentRevision, Response
from responses.services import recommendation_deadline_correct

from .conftest import ROLES

pytestmark = pytest.mark.django_db

STAFF = {"officer", "editor", "superuser"}
EDITORS = {"editor", "superuser"}


def _date(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


@dataclass(frozen=True)
class Action:
    name: str
    allowed: set[str]
    heading: str  # what the form page says at the top
    url: Callable[[dict], str]
    data: Callable[[dict], dict]
    done: Callable[[dict], bool]  # the change a valid POST makes
    prepare: Callable[[dict], None] = lambda world: None

    def __str__(self) -> str:
        return self.name


def _recommendation_moved_then(world):
    """An editor corrected the deadline; reverting goes back to the imported version."""
    rec = world["recommendation"]
    original = rec.history.earliest()
    recommendation_deadline_correct(
        recommendation=rec, deadline=datetime.date(2022, 6, 30), reason="Misread the report", user=None
    )
    world["revert_to"] = original.history_id


def _reload(obj):
    obj.refresh_from_db()
    return obj


ACTIONS = [
    Action(
        "enter a reply",
        EDITORS,
        "Enter a reply by hand",
        lambda w: reverse("manage-response-new"),
        lambda w: {
            "recommendation": w["other"].pk,
            "text": "The Met agrees and will train officers.",
            **_date("date_received", datetime.date(2022, 8, 18)),
            "letter": w["letter"].pk,
        },
        lambda w: Response.objects.filter(recommendation=w["other"]).exists(),
    ),
    Action(
        "record a missing reply",
        EDITORS,
        "Record a reply promised but still missing",
        lambda w: reverse("manage-reply-missing"),
        lambda w: {"recommendation": w["other"].pk, **_date("due_date", datetime.date(2022, 12, 1)), "letter": w["letter"].pk},
        lambda w: Commitment.objects.filter(text__startswith="A reply to recommendation 4 ").exists(),
    ),
    Action(
        "assess a reply",
        STAFF,
        "Assess the reply",
        lambda w: reverse("manage-response-assess", args=[w["response"].pk]),
        lambda w: {"assessment": "accepted", "rationale": "Agrees to publish.", "implementation_status": "in_progress", "evidence": ""},
        lambda w: _reload(w["response"]).assessment == "accepted",
    ),
    Action(
        "add a note",
        STAFF,
        "Add a note",
        lambda w: reverse("manage-note-new", args=[w["recommendation"].pk]),
        lambda w: {"text": "Chase MOPAC at the next meeting."},
        lambda w: Note.objects.filter(recommendation=w["recommendation"]).exists(),
    ),
    Action(
        "add a commitment",
        EDITORS,
        "Add a commitment",
        lambda w: reverse("manage-commitment-new", args=[w["response"].pk]),
        lambda w: {"text": "MOPAC will report back in the spring.", **_date("due_date", datetime.date(2023, 5, 31)), "due_precision": "month"},
        lambda w: Commitment.objects.filter(response=w["response"]).count() == 2,
    ),
    Action(
        "revise a commitment's due date",
        EDITORS,
        "Revise the due date",
        lambda w: reverse("manage-commitment-revise", args=[w["commitment"].pk]),
        lambda w: {**_date("due_date", datetime.date(2023, 3, 31)), "due_precision": "day", "reason": "The letter of 3 March moved it."},
        lambda w: CommitmentRevision.objects.filter(commitment=w["commitment"]).exists(),
    ),
    Action(
        "change a report's reply due date",
        EDITORS,
        "Change when the Mayor&#x27;s reply is due",
        lambda w: reverse("manage-report-response-due", args=[w["report"].slug]),
        lambda w: {**_date("due_date", datetime.date(2022, 6, 30)), "reason": "Agreed with the Mayor's office."},
        lambda w: _reload(w["report"]).response_due_override == datetime.date(2022, 6, 30),
    ),
    Action(
        "correct a recommendation's deadline",
        EDITORS,
        "Correct the deadline",
        lambda w: reverse("manage-recommendation-deadline", args=[w["recommendation"].pk]),
        lambda w: {**_date("deadline", datetime.date(2022, 7, 31)), "deadline_precision": "month", "reason": "The report says July."},
        lambda w: _reload(w["recommendation"]).deadline == datetime.date(2022, 7, 31),
    ),
    Action(
        "revert to an earlier version",
        EDITORS,
        "Revert to the version of",
        lambda w: reverse("manage-history-revert", args=["recommendation", w["revert_to"]]),
        lambda w: {},
        lambda w: _reload(w["recommendation"]).deadline == datetime.date(2022, 5, 31),
        prepare=_recommendation_moved_then,
    ),
]


@pytest.mark.parametrize("role", ROLES)
def test_the_manage_page_is_for_staff(client_for, world, role):
    response = client_for(role).get(reverse("manage"))
    _assert_refused_or(response, role, STAFF, reverse("manage"))
    if role in STAFF:
        assert "Manage the tracker" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS, ids=str)
def test_opening_the_form(client_for, world, action, role):
    action.prepare(world)
    url = action.url(world)
    response = client_for(role).get(url)
    _assert_refused_or(response, role, action.allowed, url)
    if role in action.allowed:
        assert response.status_code == 200
        assert action.heading in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS, ids=str)
def test_sending_the_form(client_for, world, action, role):
    action.prepare(world)
    url = action.url(world)
    response = client_for(role).post(url, action.data(world))
    _assert_refused_or(response, role, action.allowed, url)
    if role in action.allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert action.done(world), f"{role} could {action} but nothing changed"
    else:
        assert not action.done(world), f"{role} was refused but the change happened anyway"


def _assert_refused_or(response, role: str, allowed: set[str], url: str) -> None:
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={quote(url)}"
    elif role not in allowed:
        assert response.status_code == 403
        assert "You cannot do this" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "sees_history", "sees_revert", "sees_editor_links"),
    [
        ("anonymous", False, False, False),
        ("no role", False, False, False),
        ("officer", True, False, False),
        ("editor", True, True, True),
        ("superuser", True, True, True),
    ],
)
def test_the_recommendation_page_shows_each_role_what_it_may_do(client_for, world, role, sees_history, sees_revert, sees_editor_links):
    _recommendation_moved_then(world)
    page = client_for(role).get(world["recommendation"].get_absolute_url()).content.decode()
    assert ("History of changes" in page) is sees_history
    assert ("Notes" in page and "Seen by signed-in staff only" in page) is sees_history
    assert ("Assess<span" in page) is sees_history  # officers assess too
    assert ("Revert to this" in page) is sees_revert
    assert ("Enter a reply by hand" in page) is sees_editor_links
    assert ("Correct<span" in page) is sees_editor_links
    # The header: sign in, or who you are, Manage for staff, and a sign-out button.
    assert ("Sign in</a>" in page) is (role == "anonymous")
    assert (">Manage</a>" in page) is sees_history
    assert ("Sign out</button>" in page) is (role != "anonymous")
