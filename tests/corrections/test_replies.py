"""Editors move, correct and delete a reply, each with a reason in the history, and every such
change (creation included) can be reverted; scrutiny officers may not (403)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from responses.digest import digest_content
from responses.models import Commitment, Response

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2022, 9, 1)


def _page(client, recommendation) -> str:
    return client.get(recommendation.get_absolute_url()).content.decode()


def _reply_section(page: str) -> str:
    return page.split('id="reply-heading"', 1)[1].split("</section>", 1)[0]


def _history_link(page: str, name: str, needle: str) -> str:
    """The URL of the ``name`` link (manage-history-revert etc.) in the history row that says ``needle``."""
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', page.split('id="history"', 1)[1], re.S)
    row = next(row for row in rows if needle in row)
    return re.search(rf'href="(/manage/history/[a-z]+/\d+/{name}/)"', row).group(1)


def _digest_labels(today=TODAY) -> set[str]:
    content = digest_content(today=today)
    return {
        f"{section.title}: {item.label}"
        for group in content.groups
        for section in group.reports
        for items in (section.newly_overdue, section.still_overdue, section.due_soon)
        for item in items
    }


@pytest.mark.parametrize(
    "name, method",
    [("manage-response-move", "get"), ("manage-response-move", "post"), ("manage-response-correct", "get"),
     ("manage-response-correct", "post"), ("manage-response-delete", "get"), ("manage-response-delete", "post")],
)
def test_a_scrutiny_officer_may_not_move_correct_or_delete_a_reply(client_for, world, name, method):
    url = reverse(name, args=[world["response"].pk])
    data = {"recommendation": world["other"].pk, "reason": "I think so", "text": "Changed", "date_received_day": "1",
            "date_received_month": "9", "date_received_year": "2022"}
    answer = getattr(client_for("officer"), method)(url, data if method == "post" else None)
    assert answer.status_code == 403
    world["response"].refresh_from_db()
    assert (world["response"].recommendation, world["response"].text) == (world["recommendation"], "MOPAC accepts this.")
    assert client_for("editor").get(url).status_code == 200


def test_the_officer_sees_no_move_or_delete_links_and_the_editor_does(client_for, world):
    officer = _reply_section(_page(client_for("officer"), world["recommendation"]))
    editor = _reply_section(_page(client_for("editor"), world["recommendation"]))
    for label in ("Move to another recommendation", "Delete", "Correct its text or date"):
        assert label not in officer and label in editor


def test_moving_a_reply_files_it_against_the_other_recommendation_and_can_be_reverted(client_for, world):
    editor = client_for("editor")
    answer = editor.post(
        reverse("manage-response-move", args=[world["response"].pk]),
        {"recommendation": world["other"].pk, "reason": "The letter restates recommendation 4"},
    )
    assert answer.status_code == 302 and answer["Location"].startswith(world["other"].get_absolute_url())
    assert "MOPAC accepts this." in _reply_section(_page(editor, world["other"]))
    old_page = _page(editor, world["recommendation"])
    assert "MOPAC accepts this." not in _reply_section(old_page) and "No reply yet." in _reply_section(old_page)
    assert "Moved from recommendation 3: The letter restates recommendation 4" in old_page
    # The commitment made in the reply moved with it.
    assert Commitment.objects.get(pk=world["commitment"].pk).response.recommendation == world["other"]
    # Revert to the version before the move: the reply is back where it was.
    revert = _history_link(_page(editor, world["other"]), "revert", "Reply of 18 August 2022</strong>: created")
    assert editor.post(revert).status_code == 302
    assert "MOPAC accepts this." in _reply_section(_page(editor, world["recommendation"]))
    assert "No reply yet." in _reply_section(_page(editor, world["other"]))


def test_a_reply_cannot_be_moved_onto_a_recommendation_that_has_one_from_the_same_letter(client_for, world):
    from tests.factories import ResponseFactory

    ResponseFactory(recommendation=world["other"], letter=world["letter"], text="Other reply.", date_received=datetime.date(2022, 8, 18))
    answer = client_for("editor").post(
        reverse("manage-response-move", args=[world["response"].pk]), {"recommendation": world["other"].pk, "reason": "Wrong"}
    )
    assert answer.status_code == 400 and "already has a reply from this letter" in answer.content.decode()
    assert Response.objects.get(pk=world["response"].pk).recommendation == world["recommendation"]


def test_a_move_needs_a_reason(client_for, world):
    answer = client_for("editor").post(reverse("manage-response-move", args=[world["response"].pk]), {"recommendation": world["other"].pk})
    assert answer.status_code == 400 and "Say why the reply is moved" in answer.content.decode()


def test_correcting_the_text_and_date_is_kept_with_its_reason_and_can_be_reverted(client_for, world):
    editor = client_for("editor")
    answer = editor.post(
        reverse("manage-response-correct", args=[world["response"].pk]),
        {"text": "MOPAC accepts this recommendation in full.", "date_received_day": "19", "date_received_month": "8",
         "date_received_year": "2022", "reason": "Pasted only half the reply"},
    )
    assert answer.status_code == 302
    page = _page(editor, world["recommendation"])
    assert "MOPAC accepts this recommendation in full." in _reply_section(page)
    assert "Received 19 August 2022" in _reply_section(page)
    assert "Corrected: Pasted only half the reply" in page
    revert = _history_link(page, "revert", "Reply of 18 August 2022</strong>: created")
    assert editor.post(revert).status_code == 302
    response = Response.objects.get(pk=world["response"].pk)
    assert (response.text, response.date_received) == ("MOPAC accepts this.", datetime.date(2022, 8, 18))


def test_deleting_a_reply_shows_the_recommendation_awaiting_a_reply_and_can_be_reverted(client_for, world):
    editor = client_for("editor")
    label = "Violence Against Women and Girls: Recommendation 3"
    assert label not in _digest_labels()  # answered, so not overdue
    answer = editor.post(reverse("manage-response-delete", args=[world["response"].pk]), {"reason": "Filed twice"})
    assert answer.status_code == 302
    page = _page(editor, world["recommendation"])
    assert "No reply yet." in _reply_section(page)
    assert "Deleted: Filed twice" in page
    assert not Commitment.objects.filter(pk=world["commitment"].pk).exists()
    assert label in _digest_labels()  # its deadline passed with no reply: overdue again
    # The deletion is reverted: the reply and its commitment come back with their ids.
    restore = _history_link(page, "restore", "Deleted: Filed twice")
    assert editor.get(restore).status_code == 200
    assert editor.post(restore, {"reason": "Not a duplicate after all"}).status_code == 302
    assert "MOPAC accepts this." in _reply_section(_page(editor, world["recommendation"]))
    assert Commitment.objects.get(pk=world["commitment"].pk).response_id == world["response"].pk
    assert label not in _digest_labels()


def test_an_officer_may_not_restore_or_undo_a_creation(client_for, world):
    editor = client_for("editor")
    editor.post(reverse("manage-response-delete", args=[world["response"].pk]), {"reason": "Filed twice"})
    deleted = Response.history.get(id=world["response"].pk, history_type="-")
    created = Commitment.history.filter(id=world["commitment"].pk, history_type="+").first()
    officer = client_for("officer")
    assert officer.post(reverse("manage-deletion-revert", args=["response", deleted.history_id]), {"reason": "x"}).status_code == 403
    assert officer.post(reverse("manage-creation-undo", args=["commitment", created.history_id]), {"reason": "x"}).status_code == 403
    assert not Response.objects.filter(pk=world["response"].pk).exists()


def test_reverting_a_replys_creation_deletes_it_and_that_can_be_reverted_too(client_for, world):
    editor = client_for("editor")
    answer = editor.post(
        reverse("manage-response-new"),
        {"recommendation": world["other"].pk, "text": "The Met agrees to train officers.", "date_received_day": "18",
         "date_received_month": "8", "date_received_year": "2022", "letter": world["letter"].pk},
    )
    assert answer.status_code == 302
    reply = Response.objects.get(recommendation=world["other"])
    page = _page(editor, world["other"])
    undo = _history_link(page, "undo-creation", "Entered by hand")
    assert editor.post(undo, {"reason": "Entered against the wrong report"}).status_code == 302
    assert not Response.objects.filter(pk=reply.pk).exists()
    page = _page(editor, world["other"])
    assert "No reply yet." in _reply_section(page) and "creation reverted, Entered against the wrong report" in page
    restore = _history_link(page, "restore", "creation reverted")
    assert editor.post(restore, {"reason": "It was right"}).status_code == 302
    assert Response.objects.get(pk=reply.pk).text == "The Met agrees to train officers."


def test_unknown_kinds_and_versions_are_not_found(client_for, world):
    editor = client_for("editor")
    assert editor.get(reverse("manage-creation-undo", args=["report", 1])).status_code == 404
    assert editor.get(reverse("manage-deletion-revert", args=["response", 999999])).status_code == 404
