"""Entering, assessing and correcting by hand: what the editor sees when it works, and the clear,
specific errors (with the GOV.UK error summary, status 400 and what was typed kept) when it does not."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from recommendations.models import Document
from responses.models import Commitment, OverdueFlag, Response
from responses.services import flags_refresh

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: int | str, month: int | str, year: int | str) -> dict:
    return {f"{prefix}_day": str(day), f"{prefix}_month": str(month), f"{prefix}_year": str(year)}


@pytest.fixture
def editor(client_for):
    return client_for("editor")


def _errors(response) -> list[str]:
    """The error summary's messages, as a user reads them."""
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    summary = page[page.index("govuk-error-summary__list") : page.index("</ul>", page.index("govuk-error-summary__list"))]
    return [re.sub(r"<[^>]+>", "", item).strip().replace("&#x27;", "'").replace("&quot;", '"') for item in re.findall(r"<li>(.*?)</li>", summary, re.S)]


def test_an_editor_enters_a_reply_from_a_new_letter_and_sees_it_on_the_page(editor, world):
    other = world["other"]
    response = editor.post(
        reverse("manage-response-new"),
        {
            "recommendation": other.pk,
            "text": "The Met will train every officer by 2024.",
            **_date("date_received", 5, 9, 2022),
            "letter": "",
            "letter_reference": "MGLA050922-9",
            **_date("letter_date", 1, 9, 2022),
        },
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == other.get_absolute_url() + "#reply"
    assert "Reply to recommendation 4 recorded" in page
    assert "The Met will train every officer by 2024." in page
    assert "Received 5 September 2022" in page
    letter = Document.objects.get(reference="MGLA050922-9")
    assert letter.kind == Document.Kind.RESPONSE_LETTER and letter.report == world["report"]
    assert re.fullmatch(r"[0-9a-f]{64}", letter.sha256)
    assert Response.objects.get(recommendation=other).edited_by_admin  # a re-import never overwrites it


def test_a_reply_dated_before_the_report_was_published_is_refused_and_the_form_keeps_what_was_typed(editor, world):
    response = editor.post(
        reverse("manage-response-new"),
        {"recommendation": world["other"].pk, "text": "Typed with care.", **_date("date_received", 1, 3, 2022), "letter": world["letter"].pk},
    )
    assert response.status_code == 400
    assert _errors(response) == ["A reply cannot be received before the report was published (22 March 2022)."]
    page = response.content.decode()
    assert 'href="#id_date_received_day"' in page  # the summary leads to the field
    assert ">Typed with care.</textarea>" in page
    assert 'name="date_received_day" type="text" inputmode="numeric" value="1"' in page
    assert f'<option value="{world["other"].pk}" selected>' in page
    assert not Response.objects.filter(recommendation=world["other"]).exists()


def test_a_second_reply_to_the_same_recommendation_from_the_same_letter_is_refused(editor, world):
    response = editor.post(
        reverse("manage-response-new"),
        {"recommendation": world["recommendation"].pk, "text": "Again.", **_date("date_received", 18, 8, 2022), "letter": world["letter"].pk},
    )
    assert response.status_code == 400
    assert _errors(response) == [
        "There is already a reply to recommendation 3 from “Mayor's response to VAWG”. Assess or correct that reply instead of adding another."
    ]
    assert Response.objects.filter(recommendation=world["recommendation"]).count() == 1


def test_a_new_letter_whose_reference_is_already_known_must_be_chosen_from_the_list(editor, world):
    response = editor.post(
        reverse("manage-response-new"),
        {"recommendation": world["other"].pk, "text": "Yes.", **_date("date_received", 18, 8, 2022), "letter_reference": "MGLA180822-1"},
    )
    assert response.status_code == 400
    assert _errors(response) == [
        "A letter with reference MGLA180822-1 is already in the tracker (“Mayor's response to VAWG”): choose it from the list."
    ]


def test_a_reply_needs_its_words_date_and_letter(editor, world):
    response = editor.post(reverse("manage-response-new"), {})
    assert response.status_code == 400
    assert _errors(response) == [  # in the order of the fields on the page
        "Choose the recommendation the reply answers",
        "Enter the reply",
        "Enter the date the reply was received",
        "Choose the letter from the list, or give a new letter's reference or title",
    ]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("31", "2", "2023"), "New due date must be a real date"),
        (("tomorrow", "3", "2023"), "New due date must be a real date, in numbers, for example 27 3 2023"),
        (("31", "3", ""), "New due date must include a year"),
        (("", "", "23"), "New due date must include a day and a month"),
        (("31", "3", "23"), "New due date: the year must have 4 numbers, for example 2023"),
        (("", "", ""), "Enter the new due date"),
    ],
)
def test_a_due_date_that_is_not_a_date_is_refused_with_a_specific_message(editor, world, typed, message):
    commitment = world["commitment"]
    response = editor.post(
        reverse("manage-commitment-revise", args=[commitment.pk]),
        {**_date("due_date", *typed), "due_precision": "day", "reason": "Moved by the Mayor's letter."},
    )
    assert response.status_code == 400
    assert _errors(response) == [message]
    page = response.content.decode()
    assert f'name="due_date_day" type="text" inputmode="numeric" value="{typed[0]}"' in page
    assert ">Moved by the Mayor&#x27;s letter.</textarea>" in page
    commitment.refresh_from_db()
    assert commitment.due_date == datetime.date(2022, 12, 31)


def test_an_assessment_needs_a_rationale_and_closing_an_item_needs_evidence(client_for, world):
    officer = client_for("officer")
    url = reverse("manage-response-assess", args=[world["response"].pk])
    response = officer.post(url, {"assessment": "partially_accepted", "rationale": "", "implementation_status": "implemented", "evidence": ""})
    assert response.status_code == 400
    # Every error at once, not the evidence's only after the rationale's is fixed.
    assert _errors(response) == ["Give a short rationale for the assessment", "Give the evidence that justifies closing this item."]
    assert 'value="partially_accepted" checked' in response.content.decode()

    response = officer.post(
        url, {"assessment": "partially_accepted", "rationale": "Only the first half.", "implementation_status": "implemented", "evidence": ""}
    )
    assert response.status_code == 400
    assert _errors(response) == ["Give the evidence that justifies closing this item."]

    response = officer.post(
        url,
        {"assessment": "partially_accepted", "rationale": "Only the first half.", "implementation_status": "implemented", "evidence": "Published 1 May 2023."},
        follow=True,
    )
    page = response.content.decode()
    assert "Assessment saved: Partially accepted, implemented." in page
    assert "Why this assessment: Only the first half." in page
    assert "Evidence on implementation: Published 1 May 2023." in page
    assert "Partially accepted</strong>" in page and "Implemented</strong>" in page


def test_overriding_a_reports_reply_due_date_needs_a_reason_and_the_page_then_explains_it(editor, world):
    url = reverse("manage-report-response-due", args=[world["report"].slug])
    response = editor.post(url, {**_date("due_date", 30, 6, 2022), "reason": ""})
    assert response.status_code == 400
    assert _errors(response) == ["Say why the default due date does not apply"]
    response = editor.post(url, {**_date("due_date", 1, 1, 2022), "reason": "Agreed."})
    assert _errors(response) == ["A reply cannot be due before the report was published."]

    editor.post(url, {**_date("due_date", 30, 6, 2022), "reason": "Agreed with the Mayor's office in April."})
    page = editor.get(world["recommendation"].get_absolute_url()).content.decode()
    assert "Due 30 June 2022." in page
    assert "Agreed with the Mayor&#x27;s office in April." in page


def test_a_revised_commitment_shows_its_original_date_new_date_and_reason_to_everyone(editor, client, world):
    commitment = world["commitment"]
    editor.post(
        reverse("manage-commitment-revise", args=[commitment.pk]),
        {**_date("due_date", 31, 3, 2023), "due_text": "by the end of March", "due_precision": "day", "reason": "The Mayor's letter of 3 March moved it."},
    )
    editor.post(
        reverse("manage-commitment-revise", args=[commitment.pk]),
        {**_date("due_date", 30, 6, 2023), "due_precision": "day", "reason": "Slipped again."},
    )
    page = client.get(world["recommendation"].get_absolute_url()).content.decode()
    assert "30 June 2023" in page
    assert "from 31 December 2022 to 31 March 2023. The Mayor&#x27;s letter of 3 March moved it." in page
    assert "from 31 March 2023 to 30 June 2023. Slipped again." in page
    listing = client.get(reverse("commitment-list")).content.decode()
    assert "Revised twice; first due 31 December 2022" in listing


def test_revising_to_the_date_it_already_has_is_refused(editor, world):
    commitment = world["commitment"]
    response = editor.post(
        reverse("manage-commitment-revise", args=[commitment.pk]),
        {**_date("due_date", 31, 12, 2022), "due_text": "later this year", "due_precision": "year", "reason": "No change."},
    )
    assert _errors(response) == ["The commitment is already due on 31 December 2022."]


def test_a_missing_reply_is_listed_with_the_commitments_flagged_when_overdue_and_closed_when_the_reply_comes(editor, client, world):
    response = editor.post(
        reverse("manage-reply-missing"),
        {"recommendation": world["other"].pk, **_date("due_date", 30, 9, 2022), "due_text": "next month", "letter": world["letter"].pk},
        follow=True,
    )
    assert "It is listed here and flagged if it goes overdue." in response.content.decode()
    listing = client.get(reverse("commitment-list")).content.decode()
    assert "A reply to recommendation 4 of “Violence Against Women and Girls”, promised in “Mayor&#x27;s response to VAWG” (MGLA180822-1)." in listing
    promise = Commitment.objects.get(text__startswith="A reply to recommendation 4 ")
    assert promise.owner.name == "Mayor of London" and promise.due_date == datetime.date(2022, 9, 30)
    assert promise.recommendation == world["other"]
    assert f'href="{world["other"].get_absolute_url()}"' in listing, "the list links to the recommendation awaiting its reply"

    flags_refresh(today=datetime.date(2022, 10, 1))
    assert OverdueFlag.objects.open().filter(commitment=promise).exists()

    editor.post(
        reverse("manage-response-new"),
        {"recommendation": world["other"].pk, "text": "At last.", **_date("date_received", 3, 10, 2022), "letter_reference": "MGLA031022-2"},
    )
    promise.refresh_from_db()
    assert promise.status == Commitment.Status.DONE
    flags_refresh(today=datetime.date(2022, 10, 4))
    assert not OverdueFlag.objects.open().filter(commitment=promise).exists()


def test_notes_are_shown_to_staff_only(client_for, client, world):
    client_for("officer").post(reverse("manage-note-new", args=[world["recommendation"].pk]), {"text": "Ask at the March meeting."})
    url = world["recommendation"].get_absolute_url()
    assert "Ask at the March meeting." in client_for("editor").get(url).content.decode()
    assert "Ask at the March meeting." not in client.get(url).content.decode()
    assert "Ask at the March meeting." not in client_for("no role").get(url).content.decode()


def test_correcting_a_deadline_needs_a_reason(editor, world):
    response = editor.post(
        reverse("manage-recommendation-deadline", args=[world["recommendation"].pk]), {**_date("deadline", 31, 7, 2022), "deadline_precision": "month"}
    )
    assert response.status_code == 400
    assert _errors(response) == ["Say why the deadline is corrected"]
