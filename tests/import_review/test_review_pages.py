"""The import review through the pages, as an editor: corrections are kept with the upload (a
reload, a new session) and are what confirming writes; a mismatched reply blocks confirmation until
chosen; a future-dated letter needs confirming; a report the importer found nothing in is entered
by hand; bad corrections are form errors."""

import datetime
import html
import re

import pytest
from django.test import Client

from importer.services import document_import
from recommendations.models import PendingImport, Report
from responses.models import Commitment, Response

from .documents import LETTER, REPORT

pytestmark = pytest.mark.django_db
START = "/manage/import/"


@pytest.fixture
def report(db):
    document_import(data=REPORT.encode(), source_name="report.txt", commit=True)
    return Report.objects.get(title="Neighbourhood policing in London")


def _form(page: str) -> dict:
    """What the review form posts as shown: hidden inputs, text inputs, textareas, selected options, checked boxes."""
    form = page[page.index('<form method="post" novalidate>'):]
    form = form[: form.index("</form>")]
    data: dict = {}
    for name, value in re.findall(r'<input type="hidden" name="([\w-]+)" value="([^"]*)"', form):
        if name != "csrfmiddlewaretoken":
            data[name] = html.unescape(value)
    for name, value in re.findall(r'<input class="govuk-input[^"]*" id="[^"]+" name="([\w-]+)" type="text"[^>]*value="([^"]*)"', form):
        data[name] = html.unescape(value)
    for name, value in re.findall(r'<textarea [^>]*name="([\w-]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = html.unescape(value)
    for name, options in re.findall(r'<select class="govuk-select" id="[^"]+" name="([\w-]+)"[^>]*>(.*?)</select>', form, re.S):
        selected = re.search(r'<option value="([^"]*)" selected>', options)
        data[name] = html.unescape(selected.group(1)) if selected else ""
    for name, value in re.findall(r'name="([\w-]+)" type="checkbox" value="([^"]*)" checked', form):
        data.setdefault(name, []).append(html.unescape(value))
    for name, value in re.findall(r'type="radio" name="([\w-]+)" value="([^"]*)" checked', form):
        data[name] = html.unescape(value)
    return data


def _upload(client, text: str) -> str:
    response = client.post(START, {"text": text, "kind": "auto", "report": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_reply_headed_with_the_wrong_number_is_flagged_in_words_and_blocks_confirmation(client, editor, report):
    client.force_login(editor)
    url = _upload(client, LETTER)
    page = _page(client, url)
    assert "Check reply 3: the letter heads it as answering recommendation 3, but its restated text matches recommendation 2 better" in html.unescape(page)
    assert 'type="radio" name="reply_3"' in page and 'name="reply_3" value="3" checked' not in page

    refused = client.post(url, {**_form(page), "confirm": "1"})
    assert refused.status_code == 400
    assert "Choose which recommendation it answers before you confirm." in refused.content.decode()
    assert Response.objects.count() == 0

    chosen = client.post(url, {**_form(page), "reply_3": "2", "check": "1"})
    assert chosen.status_code == 200 and "Check reply 3" not in chosen.content.decode()
    done = client.post(url, {**_form(_page(client, url)), "confirm": "1"})
    assert done.status_code == 302
    answered = {r.recommendation.number: r.text for r in Response.objects.select_related("recommendation")}
    assert sorted(answered) == [1, 2] and "ward vacancy rates" in answered[2]


def test_keeping_the_heading_number_is_an_explicit_choice_too(client, editor, report):
    client.force_login(editor)
    url = _upload(client, LETTER)
    page = _page(client, url)
    client.post(url, {**_form(page), "reply_3": "3", "check": "1"})
    page = _page(client, url)  # the choice survives a reload
    assert 'name="reply_3" value="3" checked' in page
    assert client.post(url, {**_form(page), "confirm": "1"}).status_code == 302
    assert Response.objects.get(recommendation__number=3).text.startswith("The MPS publishes ward vacancy rates")


def test_closing_courtesies_are_not_part_of_the_last_reply(client, editor, report):
    client.force_login(editor)
    url = _upload(client, LETTER)
    page = _page(client, url)
    client.post(url, {**_form(page), "reply_3": "2", "check": "1"})
    client.post(url, {**_form(_page(client, url)), "confirm": "1"})
    last = Response.objects.get(recommendation__number=2).text
    assert last.endswith("from July 2024.") and "happy to discuss" not in last and "helpful" not in last


def test_each_correction_survives_a_reload_and_a_new_session_and_is_what_is_written(client, editor, report):
    client.force_login(editor)
    url = _upload(client, LETTER)
    form = _form(_page(client, url))
    form.update({
        "reply_3": "2",
        "items-0-text": "MOPAC accepts this recommendation. The plan will be published by October 2024.",
        "items-1-number": "3",
        "commitments-0-text": "The plan will be published by October 2024.",
        "commitments-0-owner": "MOPAC",
        "commitments-0-due": "2024-10-31",
        "check": "1",
    })
    assert client.post(url, form).status_code == 200

    other = Client()  # another browser: a new session of the same editor
    other.force_login(editor)
    page = html.unescape(_page(other, url))
    assert "The plan will be published by October 2024." in page and "2024-10-31" in page
    assert other.post(url, {**_form(_page(other, url)), "confirm": "1"}).status_code == 302
    reply = Response.objects.get(recommendation__number=1)
    assert "October 2024" in reply.text
    commitment = Commitment.objects.get(response=reply)
    assert (commitment.due_date, commitment.owner.short_name) == (datetime.date(2024, 10, 31), "MOPAC")


def test_splitting_and_joining_items_are_kept_and_written(client, editor, report):
    client.force_login(editor)
    url = _upload(client, LETTER)
    form = _form(_page(client, url))
    split = client.post(url, {**form, "reply_3": "2", "items-0-split_at": "1", "split": "0"})
    assert split.status_code == 200
    page = _page(client, url)
    assert page.count('class="govuk-summary-card"') == 3
    assert len(PendingImport.objects.get().review["items"]) == 3
    joined = client.post(url, {**_form(page), "merge": "0"})
    assert joined.status_code == 200
    assert _page(client, url).count('class="govuk-summary-card"') == 2


def test_a_letter_dated_after_today_needs_confirming(client, editor, report, monkeypatch):
    monkeypatch.setattr("tracker.clock.today", lambda: datetime.date(2024, 5, 1))
    client.force_login(editor)
    url = _upload(client, LETTER)
    page = _page(client, url)
    assert "Dated 3 May 2024, after today" in page
    form = {**_form(page), "reply_3": "2", "check": "1"}
    client.post(url, form)
    refused = client.post(url, {**_form(_page(client, url)), "confirm": "1"})
    assert refused.status_code == 400 and "after today" in refused.content.decode()
    assert Response.objects.count() == 0
    client.post(url, {**_form(_page(client, url)), "details-future_date_confirmed": "on", "check": "1"})
    assert client.post(url, {**_form(_page(client, url)), "confirm": "1"}).status_code == 302


def test_a_report_the_importer_finds_nothing_in_is_entered_by_hand(client, editor):
    client.force_login(editor)
    refused = client.post(START, {"text": "Minutes of the meeting. Apologies were received.", "kind": "auto", "report": ""})
    assert refused.status_code == 200 and "Enter the report by hand" in refused.content.decode()
    made = client.post("/manage/import/by-hand/", {"text": "", "kind": "auto", "report": ""})
    url = made["Location"]
    form = _form(_page(client, url))
    form.update({
        "details-title": "Custody in London",
        "details-committee": "Police and Crime Committee",
        "details-date": "2024-02-01",
        "typed": "1. MOPAC should publish custody data by June 2024.\n2. The Met must review strip searches of children.",
        "check": "1",
    })
    assert client.post(url, form).status_code == 200
    page = _page(client, url)
    assert "MOPAC should publish custody data by June 2024." in page
    assert client.post(url, {**_form(page), "confirm": "1"}).status_code == 302
    report = Report.objects.get(title="Custody in London")
    assert report.published == datetime.date(2024, 2, 1)
    recommendations = {r.number: r for r in report.recommendations.all()}
    assert sorted(recommendations) == [1, 2]
    assert recommendations[1].deadline == datetime.date(2024, 6, 30)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"items-0-number": "-1"}, "greater than or equal to 0"),  # 0: a reply to a topic or a group, as the letter has them
        ({"items-0-text": ""}, "This field is required"),
        ({"commitments-0-due": "31st of Junetember"}, "Enter a valid date"),
        ({"split": "0"}, "Choose the sentence to split item 1 at"),
        ({"merge": "1"}, "There is no next item to merge with"),
        ({"typed": "1. The Met should act."}, "typed into a report only"),
        ({"reply_1": "99"}, "Select a valid choice"),
        ({"items-TOTAL_FORMS": "x"}, "ManagementForm data is missing or has been tampered with"),
    ],
)
def test_invalid_corrections_are_form_errors_and_keep_nothing(client, editor, report, change, message):
    client.force_login(editor)
    url = _upload(client, LETTER)
    before = PendingImport.objects.get().review
    response = client.post(url, {**_form(_page(client, url)), **change, "check": "1"})
    assert response.status_code == 400 and message in html.unescape(response.content.decode())
    assert PendingImport.objects.get().review == before


def test_a_post_from_an_older_page_is_refused(client, editor, report):
    client.force_login(editor)
    url = _upload(client, LETTER)
    old = _form(_page(client, url))
    client.post(url, {**old, "reply_3": "2", "check": "1"})
    stale = client.post(url, {**old, "items-0-text": "Overwritten", "check": "1"})
    assert stale.status_code == 409 and "changed in another tab" in stale.content.decode()
    assert PendingImport.objects.get().review["matches"] == {"@1": 2}  # the letter's second reply, reply 3
