"""A letter can have several replies numbered 0 (to a group of recommendations, to a topic): the
review page names each reply by its position in the letter, so a correction to the second reaches
the second, and what confirming writes is that. A review kept before replies were named by
position (by number) still applies where its number names one reply."""

import re

import pytest

from importer.review import moved_keys
from importer.services import document_import
from recommendations.models import PendingImport, Report
from responses.models import Response
from tests.import_generality.test_replies_groups import REPORT
from tests.import_review.test_review_pages import _form, _page, _upload

pytestmark = pytest.mark.django_db

# The group-replies report (tests/import_generality); the letter, written for this test, has a reply
# numbered 1, then two replies to groups of recommendations (numbered 0).
LETTER = """Response to Waiting for Help: ambulance response times
Published 1 May 2025

Recommendation 1
The Trust should agree a maximum handover time with every hospital by 30 June 2025.
Response
The Trust accepts this recommendation and will agree handover times with every hospital by June 2025.

The Trust accepts all the recommendations addressed to the Trust. The Trust will write to every hospital by the end of June 2025.

The Trust supports the two recommendations addressed to the regulator and will share its figures with the regulator every quarter.
"""
FIRST_GROUP = "The Trust accepts all the recommendations addressed to the Trust."
SECOND_GROUP = "The Trust supports the two recommendations addressed to the regulator"


@pytest.fixture
def report(db):
    document_import(data=REPORT.encode(), source_name="report.txt", commit=True)
    return Report.objects.get(title="Waiting for Help: ambulance response times")


def _card(page: str, item: int) -> str:
    """The review page's card of one item (1: the first)."""
    start = page.index(f'id="item-{item}"')
    following = page.find(f'id="item-{item + 1}"', start)
    return page[start : following if following != -1 else len(page)]


def _answers_field(card: str) -> str:
    (name,) = set(re.findall(r'<select class="govuk-select" id="[^"]+" name="(reply_[\w]+)"', card))
    return name


def _upload_for(client, report) -> str:
    url = _upload(client, LETTER)
    assert client.post(url, {**_form(_page(client, url)), "report": report.slug, "check": "1"}).status_code == 200
    return url


def test_a_correction_to_the_second_reply_numbered_0_changes_that_reply_only_and_is_what_confirming_writes(client, editor, report):
    client.force_login(editor)
    url = _upload_for(client, report)
    page = _page(client, url)
    first, second = _answers_field(_card(page, 2)), _answers_field(_card(page, 3))
    assert first != second  # two questions, one a reply, not one choice "for both"
    assert FIRST_GROUP in _card(page, 2) and SECOND_GROUP in _card(page, 3)

    checked = client.post(url, {**_form(page), second: "3", "check": "1"})

    assert checked.status_code == 200
    page = checked.content.decode()
    assert "You matched it to recommendation 3" in _card(page, 3)
    assert "Not matched: will not be saved" in _card(page, 2)  # the first group reply is as it was
    assert _form(page)[first] == "0" and _form(page)[second] == "3"
    assert PendingImport.objects.get().review["matches"] == {"@2": 3}

    done = client.post(url, {**_form(page), "confirm": "1"})

    assert done.status_code == 302, done.content.decode()[:3000]
    assert not PendingImport.objects.exists()
    replies = {response.recommendation.number: response.text for response in Response.objects.filter(recommendation__report=report)}
    assert set(replies) == {1, 3}
    assert replies[3].startswith(SECOND_GROUP)
    assert FIRST_GROUP not in " ".join(replies.values())


def test_leaving_out_the_first_reply_numbered_0_leaves_the_second_as_it_was(client, editor, report):
    client.force_login(editor)
    url = _upload_for(client, report)
    page = _page(client, url)
    first, second = _answers_field(_card(page, 2)), _answers_field(_card(page, 3))

    page = client.post(url, {**_form(page), first: "skip", "check": "1"}).content.decode()

    assert "Left out" in _card(page, 2) and "Not matched: will not be saved" in _card(page, 3)
    assert _form(page)[second] == "0"


def test_a_review_kept_by_reply_number_still_applies_where_the_number_names_one_reply(client, editor, report):
    client.force_login(editor)
    url = _upload_for(client, report)
    pending = PendingImport.objects.get()
    # as the page kept corrections before they were by position: by the reply's number
    pending.review = {**pending.review, "matches": {"1": None}}
    pending.save()

    page = _page(client, url)

    assert "Left out" in _card(page, 1)
    assert _form(page)["reply_1"] == "skip"
    done = client.post(url, {**_form(page), "confirm": "1"})
    assert done.status_code == 302, re.sub(r"<[^>]+>", " ", done.content.decode())[:6000]
    assert not Response.objects.filter(recommendation__report=report).exists()


def test_corrections_move_with_their_replies_when_an_item_is_split_or_joined():
    items = [{"number": 1}, {"number": 0}, {"number": 0}, {"number": 4}]
    corrections = {"@1": None, "@2": 3, "@3": 2}
    # split the first reply in two: every later reply moves down one
    assert moved_keys(corrections, items, items, split=0) == {"@2": None, "@3": 3, "@4": 2}
    # join the second reply with the third: the third's correction goes, the fourth moves up
    assert moved_keys(corrections, items, items, merge=1) == {"@1": None, "@2": 2}
    # a reply renumbered by the editor is matched again by its new number
    renumbered = [{"number": 1}, {"number": 0}, {"number": 2}, {"number": 4}]
    assert moved_keys(corrections, items, renumbered) == {"@1": None, "@3": 2}
