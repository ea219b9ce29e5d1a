"""The letter-import pages: upload, preview (nothing written), corrections, confirmation, refusals,
roles and CSRF."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from importer.services import document_import
from recommendations.models import Document, PendingImport, Report
from responses.models import Response
from tests.factories import DocumentFactory, RecommendationFactory, ReportFactory, ResponseFactory
from tests.test_import import _pdf_with_lines

from .conftest import SOURCES, VAWG_LETTER
from .documents import ANSWERS_ETHNICITY, ANSWERS_MONITORING, LETTER, REPORT

pytestmark = pytest.mark.django_db
START = "/manage/import/"


def _upload(client, data: bytes, name: str = "letter.txt", **fields):
    return client.post(START, {"file": SimpleUploadedFile(name, data), "kind": "auto", "report": "", **fields})


def _preview_form(page: str) -> dict:
    """The values the preview page's corrections form would post as shown (selected options, hidden fields)."""
    form = page[page.index('<form method="post" novalidate>'):]
    form = form[: form.index("</form>")]
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form):
        if name != "csrfmiddlewaretoken":  # the test client adds its own when it checks CSRF
            data[name] = html.unescape(value)
    for name, options in re.findall(r'<select class="govuk-select" id="[^"]+" name="(\w+)"[^>]*>(.*?)</select>', form, re.S):
        selected = re.search(r'<option value="([^"]*)" selected>', options)
        data[name] = html.unescape(selected.group(1)) if selected else ""
    for name, value in re.findall(r'type="radio" name="(\w+)" value="([^"]*)" checked>', form):  # a flagged reply's explicit choice
        data[name] = html.unescape(value)
    return data


@pytest.fixture
def stop_and_search():
    document_import(data=REPORT.encode(), source_name="report.txt", commit=True)
    return Report.objects.get(title="Stop and search in London")


def test_upload_then_preview_shows_the_matches_and_writes_nothing(client, editor, vawg_report, counts, pending_count):
    client.force_login(editor)
    before = counts()

    uploaded = _upload(client, VAWG_LETTER.read_bytes(), name=VAWG_LETTER.name)
    pending = PendingImport.objects.get()
    assert uploaded.status_code == 302 and uploaded["Location"] == reverse("import-preview", args=[pending.pk])
    page = client.get(uploaded["Location"])

    assert page.status_code == 200
    text = page.content.decode()
    assert "Preview: nothing has been saved yet" in text
    assert "Matched</strong> <a class=\"govuk-link\" href=\"/reports/violence-against-women-and-girls/\">Violence Against Women and Girls</a>" in text
    assert text.count('class="govuk-summary-card"') == 14
    assert text.count("Matched to recommendation") == 14
    assert "14 found, 14 matched to recommendations in the tracker, 14 to be saved" in text
    # the letter's restatement beside the recommendation's own (shorter, web page) wording, with a score
    assert "hold the Met to account on this." in text
    assert "% of the words agree" in text
    # a commitment and its due date
    assert "Due 31 December 2022 (\"later this year\")" in text
    assert counts() == before
    assert pending_count() == 1


def test_confirm_writes_the_letter_and_goes_to_the_report(client, editor, vawg_report, counts):
    client.force_login(editor)
    preview_url = _upload(client, VAWG_LETTER.read_bytes(), name=VAWG_LETTER.name)["Location"]
    form = _preview_form(client.get(preview_url).content.decode())

    done = client.post(preview_url, {**form, "confirm": "1"})

    assert done.status_code == 302 and done["Location"] == reverse("report-detail", args=[vawg_report.slug])
    assert Response.objects.filter(recommendation__report=vawg_report).count() == 14
    assert Document.objects.filter(kind="response_letter").count() == 1
    assert not PendingImport.objects.exists()
    report_page = client.get(done["Location"]).content.decode()
    assert "Imported Mayor&#x27;s response to &#x27;Violence Against Women and Girls&#x27; (MGLA230322-7616): 14 of 14 replies saved." in report_page


def test_corrected_matches_are_previewed_then_honoured(client, editor, stop_and_search, counts):
    client.force_login(editor)
    preview_url = _upload(client, LETTER.encode())["Location"]
    first = client.get(preview_url).content.decode()
    assert "Poor match: check it" in first  # replies 2 and 3 restate each other's recommendation
    assert "New recommendation 4" in first

    form = _preview_form(first)
    # replies 2 and 3 are flagged: nothing is chosen for the editor (tests/import_review covers the flag)
    assert "reply_2" not in form and "reply_3" not in form and form["reply_4"] == "4"
    corrected = {**form, "reply_2": "3", "reply_3": "2", "reply_4": "skip"}
    before = counts()
    checked = client.post(preview_url, {**corrected, "check": "1"})

    text = checked.content.decode()
    assert checked.status_code == 200
    assert "You matched it to recommendation 3" in text and "You matched it to recommendation 2" in text
    assert "Left out" in text and "Poor match" not in text
    assert counts() == before  # checking the matches writes nothing either

    done = client.post(preview_url, {**_preview_form(text), "confirm": "1"})
    assert done.status_code == 302
    replies = {r.recommendation.number: r.text for r in Response.objects.select_related("recommendation")}
    assert sorted(replies) == [1, 2, 3]
    assert ANSWERS_ETHNICITY in replies[2] and ANSWERS_MONITORING in replies[3]
    assert not stop_and_search.recommendations.filter(number=4).exists()


def test_confirming_matches_that_were_not_previewed_imports_nothing(client, editor, stop_and_search, counts):
    client.force_login(editor)
    preview_url = _upload(client, LETTER.encode())["Location"]
    form = _preview_form(client.get(preview_url).content.decode())
    before = counts()

    page = client.post(preview_url, {**form, "reply_4": "skip", "confirm": "1"})

    assert page.status_code == 200
    assert "You changed the matches since the preview, so nothing was imported yet." in page.content.decode()
    assert counts() == before and PendingImport.objects.count() == 1


def test_an_impossible_correction_is_explained_and_keeps_the_choices(client, editor, stop_and_search, counts):
    client.force_login(editor)
    preview_url = _upload(client, LETTER.encode())["Location"]
    form = _preview_form(client.get(preview_url).content.decode())
    before = counts()

    page = client.post(preview_url, {**form, "reply_2": "3", "confirm": "1"})

    text = page.content.decode()
    assert page.status_code == 400
    assert "govuk-error-summary" in text and "Replies 2 and 3 would both answer recommendation 3" in text
    assert _preview_form(text)["reply_2"] == "3"  # what the editor chose is kept
    assert counts() == before


def test_changing_the_report_matches_the_replies_again(client, editor, stop_and_search, vawg_report):
    client.force_login(editor)
    preview_url = _upload(client, LETTER.encode())["Location"]
    form = _preview_form(client.get(preview_url).content.decode())

    page = client.post(preview_url, {**form, "report": vawg_report.slug, "check": "1"})

    text = page.content.decode()
    assert "The report was changed, so the replies were matched again" in text
    assert 'href="/reports/violence-against-women-and-girls/">Violence Against Women and Girls</a>' in text
    assert PendingImport.objects.get().report_slug == vawg_report.slug


def test_pasted_text_is_imported_like_a_file(client, editor, stop_and_search):
    client.force_login(editor)
    response = client.post(START, {"text": LETTER, "kind": "response_letter", "report": ""})
    assert response.status_code == 302
    assert PendingImport.objects.get().name == "pasted text"


def test_a_pdf_letter_is_read_through_its_text(client, editor, stop_and_search):
    client.force_login(editor)
    # pypdf reads this PDF's apostrophes as ’, so the parser does not see the report's title:
    # the editor names the report on the upload form.
    pdf = _pdf_with_lines(LETTER.splitlines())
    preview_url = _upload(client, pdf, name="letter.pdf", report=stop_and_search.slug)["Location"]
    form = _preview_form(client.get(preview_url).content.decode())
    done = client.post(preview_url, {**form, "reply_2": "3", "reply_3": "2", "reply_4": "skip", "check": "1"})
    done = client.post(preview_url, {**_preview_form(done.content.decode()), "confirm": "1"})
    assert done.status_code == 302
    assert Response.objects.count() == 3
    assert Document.objects.get(kind="response_letter").source_file == "letter.pdf"


def test_a_committee_report_is_previewed_and_imported_the_same_way(client, editor, counts):
    client.force_login(editor)
    before = counts()
    preview_url = _upload(client, REPORT.encode(), name="report.txt")["Location"]
    page = client.get(preview_url).content.decode()
    assert "Will be created</strong> Stop and search in London" in page
    assert "govuk-summary-card" not in page  # no replies to match
    assert counts() == before

    done = client.post(preview_url, {**_preview_form(page), "confirm": "1"})
    assert done["Location"] == reverse("report-detail", args=["stop-and-search-in-london"])
    assert Report.objects.get().recommendations.count() == 3


def test_a_consultation_response_goes_to_its_document_page(client, editor):
    client.force_login(editor)
    source = SOURCES / "000_906300d753fab48b.txt"
    preview_url = _upload(client, source.read_bytes(), name=source.name)["Location"]
    page = client.get(preview_url).content.decode()
    assert "Consultation submission" in page

    done = client.post(preview_url, {**_preview_form(page), "confirm": "1"})
    document = Document.objects.get()
    assert done["Location"] == document.get_absolute_url()
    assert "Imported " in client.get(done["Location"]).content.decode()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"file": SimpleUploadedFile("empty.txt", b"")}, "The file is empty."),
        ({"file": SimpleUploadedFile("minutes.txt", b"Minutes of the meeting. Apologies were received.")}, "Could not recognise"),
        ({"file": SimpleUploadedFile("image.png", bytes(range(256)) * 4)}, "is neither plain text nor a PDF"),
        ({"file": SimpleUploadedFile("broken.pdf", b"%PDF-1.4\n garbage that is not a pdf")}, "could not be read as a PDF"),
        ({"text": "   \n  "}, "The pasted text is empty."),
        ({}, "Choose a file to upload, or paste the text."),
        ({"file": SimpleUploadedFile("letter.txt", LETTER.encode()), "text": LETTER}, "Upload a file or paste text, not both."),
        ({"text": LETTER.replace("Date: 2 May 2024\n", "")}, "The letter&#x27;s date could not be read"),
    ],
    ids=["empty", "unrelated", "binary", "broken-pdf", "blank-paste", "nothing", "both", "undated-letter"],
)
def test_bad_uploads_are_refused_with_the_reason_and_nothing_is_written(client, editor, stop_and_search, counts, fields, message):
    client.force_login(editor)
    before = counts()
    response = client.post(START, {"kind": "auto", "report": "", **fields})
    text = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in text and message in text
    assert counts() == before and not PendingImport.objects.exists()


def test_an_upload_too_big_is_refused(client, editor, monkeypatch):
    monkeypatch.setattr("importer.import_forms.MAX_UPLOAD_BYTES", 1000)
    client.force_login(editor)
    response = _upload(client, LETTER.encode())
    assert "the largest allowed is 20 MB" in response.content.decode()
    assert not PendingImport.objects.exists()


def test_a_letter_already_imported_is_refused_with_a_link_to_it(client, editor, vawg_answered, counts):
    client.force_login(editor)
    letter = Document.objects.get(kind="response_letter")
    before = counts()
    response = _upload(client, VAWG_LETTER.read_bytes(), name="same-letter-renamed.txt")
    text = response.content.decode()
    assert "This file was imported already" in text
    assert f'href="{letter.get_absolute_url()}">See the imported document</a>' in text
    assert counts() == before and not PendingImport.objects.exists()


def test_a_letter_imported_by_someone_else_after_the_preview_is_not_imported_twice(client, editor, vawg_report):
    client.force_login(editor)
    preview_url = _upload(client, VAWG_LETTER.read_bytes(), name=VAWG_LETTER.name)["Location"]
    form = _preview_form(client.get(preview_url).content.decode())
    document_import(data=VAWG_LETTER.read_bytes(), source_name="by-someone-else.txt", commit=True)

    response = client.post(preview_url, {**form, "confirm": "1"})

    assert response.status_code == 409 and "This file was imported already" in response.content.decode()
    assert Document.objects.get(kind="response_letter").source_file == "by-someone-else.txt"


def test_abandoning_an_upload_deletes_it_and_writes_nothing(client, editor, vawg_report, counts):
    client.force_login(editor)
    preview_url = _upload(client, VAWG_LETTER.read_bytes(), name=VAWG_LETTER.name)["Location"]
    before = counts()
    pending = PendingImport.objects.get()
    assert f'href="{preview_url}">{VAWG_LETTER.name}</a>' in client.get(START).content.decode()  # waiting for you
    response = client.post(reverse("import-abandon", args=[pending.pk]), follow=True)
    assert "was abandoned; nothing was imported" in response.content.decode()
    assert not PendingImport.objects.exists() and counts() == before
    assert client.get(preview_url).status_code == 404


def test_an_upload_is_only_seen_by_the_editor_who_made_it(client, editor, superuser, vawg_report):
    client.force_login(editor)
    preview_url = _upload(client, VAWG_LETTER.read_bytes(), name=VAWG_LETTER.name)["Location"]
    client.force_login(superuser)
    assert client.get(preview_url).status_code == 404


# --- roles and CSRF ------------------------------------------------------------------------------


def test_anonymous_visitors_are_asked_to_sign_in(client, vawg_report):
    for method, url in (("get", START), ("post", START), ("get", "/manage/import/1/"), ("post", "/manage/import/1/abandon/")):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('login')}?next={url}", url


@pytest.mark.parametrize("role, status", [("officer", 403), ("stranger", 403), ("editor", 200), ("superuser", 200)])
def test_only_editors_import(client, request, role, status, stop_and_search):
    client.force_login(request.getfixturevalue(role))
    assert client.get(START).status_code == status
    response = client.post(START, {"text": LETTER, "kind": "auto", "report": ""})
    assert response.status_code == (302 if status == 200 else 403)
    assert PendingImport.objects.count() == (1 if status == 200 else 0)


def test_the_import_forms_need_their_csrf_token(editor, stop_and_search):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(START, {"text": LETTER, "kind": "auto", "report": ""}).status_code == 403
    assert not PendingImport.objects.exists()

    page = client.get(START).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    uploaded = client.post(START, {"text": LETTER, "kind": "auto", "report": "", "csrfmiddlewaretoken": token})
    assert uploaded.status_code == 302
    form = _preview_form(client.get(uploaded["Location"]).content.decode())
    assert client.post(uploaded["Location"], {**form, "confirm": "1"}).status_code == 403
    assert Response.objects.count() == 0


# --- query counts ---------------------------------------------------------------------------------


def _other_reports(count: int) -> None:
    """Reports, recommendations and replies that have nothing to do with the letter being imported."""
    for n in range(count):
        report = ReportFactory(slug=f"other-{n}", title=f"Other report {n}")
        letter = DocumentFactory()
        for number in range(1, 11):
            ResponseFactory(recommendation=RecommendationFactory(report=report, number=number), letter=letter)


def test_the_preview_page_runs_a_bounded_number_of_queries(client, editor, vawg_report, django_assert_max_num_queries):
    client.force_login(editor)
    preview_url = _upload(client, VAWG_LETTER.read_bytes(), name=VAWG_LETTER.name)["Location"]
    # The preview is the import itself, rolled back: its queries grow with the letter's replies
    # (14 here, about 25 queries each, one of them pages.figures asking which days'
    # dashboard counts are stored), never with the size of the tracker.
    with django_assert_max_num_queries(430):
        assert client.get(preview_url).status_code == 200
    with CaptureQueriesContext(connection) as small:
        client.get(preview_url)
    _other_reports(8)
    with CaptureQueriesContext(connection) as large:
        assert client.get(preview_url).status_code == 200
    assert len(large) == len(small)


def test_a_letter_that_does_not_name_its_report_asks_for_it(client, editor, stop_and_search, counts):
    client.force_login(editor)
    unnamed = LETTER.replace("your report, 'Stop and search in London'", "your report")
    before = counts()
    refused = client.post(START, {"text": unnamed, "kind": "auto", "report": ""})
    assert "The letter does not say which report it answers: choose the report" in html.unescape(refused.content.decode())
    assert counts() == before and not PendingImport.objects.exists()

    accepted = client.post(START, {"text": unnamed, "kind": "auto", "report": stop_and_search.slug})
    assert accepted.status_code == 302
    page = client.get(accepted["Location"]).content.decode()
    assert 'href="/reports/stop-and-search-in-london/">Stop and search in London</a>' in page
