"""Respondents' contact details are removed when a consultation document is imported, so no output
can show them.

A compilation full of email addresses, phone numbers and a private person's postal address
(tests/privacy/documents.py), in a file whose name holds them too, is imported beside the seed
documents through the command line and through the import pages; then every output is read:
each public page, every JSON API dataset page by page, ``export`` of every dataset as JSON Lines and
CSV, every calendar feed, the weekly digest email, and the whole database as ``dumpdata`` writes it.
"""

from __future__ import annotations

import datetime
import html
import importlib
import io
import json
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from importer.services import document_import
from pages.exports import DATASETS
from recommendations.models import Document, Organisation, PendingImport, Report
from responses.models import Consultation, DigestSubscription, Submission
from tests.manage_import.test_import_pages import _preview_form

from .documents import COMPILATION, CONTACT_DETAILS, FILE_NAME

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2022, 9, 1)
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def today():
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(12), tzinfo=LONDON), tick=False):
        yield TODAY


@pytest.fixture
def seeded(today):
    call_command("import_sources", "--commit", verbosity=0)


def _import_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    path.write_text(COMPILATION)
    call_command("import_document", str(path), "--commit", stdout=io.StringIO())


def _import_through_the_pages(tmp_path: Path) -> None:
    editor = Client()
    edna = get_user_model().objects.create_user("edna", "edna@tracker.test", "correct horse battery staple 42")
    edna.groups.add(Group.objects.get(name="Editors"))
    editor.force_login(edna)
    upload = SimpleUploadedFile(FILE_NAME, COMPILATION.encode())
    preview_url = editor.post("/manage/import/", {"file": upload, "kind": "auto", "report": ""})["Location"]
    page = editor.get(preview_url).content.decode()
    done = editor.post(preview_url, {**_preview_form(page), "confirm": "1"})
    assert done.status_code == 302 and not PendingImport.objects.exists()


IMPORTS = {"command line": _import_on_the_command_line, "import pages": _import_through_the_pages}


# --- every output ----------------------------------------------------------------------------------


def _get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code in (200, 404), f"{url} answered {response.status_code}"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


def _pages(client: Client) -> dict[str, str]:
    urls = ["/", "/recommendations/", "/recommendations/?format=csv", "/reports/", "/documents/", "/commitments/",
            "/consultations/"]
    urls += [document.get_absolute_url() for document in Document.objects.all()]
    urls += [consultation.get_absolute_url() for consultation in Consultation.objects.all()]
    urls += [f"/reports/{slug}/" for slug in Report.objects.values_list("slug", flat=True)]
    return {url: html.unescape(_get(client, url)) for url in urls}


def _api(client: Client) -> dict[str, str]:
    outputs = {"/api/": _get(client, "/api/")}
    for dataset in DATASETS:
        url = f"/api/{dataset}/"
        while url:
            body = _get(client, url)
            outputs[url] = body
            url = json.loads(body)["next"]
    return outputs


def _exports(tmp_path: Path) -> dict[str, str]:
    outputs = {}
    for dataset in DATASETS:
        for format in ("jsonl", "csv"):
            path = tmp_path / f"{dataset}.{format}"
            call_command("export", dataset, "--format", format, "--output", str(path), "--today", TODAY.isoformat())
            outputs[f"export {dataset} --format {format}"] = path.read_text()
    return outputs


def _feeds(client: Client) -> dict[str, str]:
    urls = ["/calendar.ics", "/calendar.ics?from=2010-01-01"]
    urls += [f"/reports/{slug}/calendar.ics?from=2010-01-01" for slug in Report.objects.values_list("slug", flat=True)]
    urls += [f"/addressees/{slug}/calendar.ics?from=2010-01-01" for slug in Organisation.objects.values_list("slug", flat=True)]
    # unfold the iCalendar lines (a long line goes on after a line break and a space) and unescape
    return {url: _get(client, url).replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";") for url in urls}


def _digest(settings) -> dict[str, str]:
    settings.DIGEST_SEND_WHEN_EMPTY = True
    reader = get_user_model().objects.create_user("reader", "reader@tracker.test", "correct horse battery staple 42")
    DigestSubscription.objects.create(user=reader)
    mail.outbox.clear()
    call_command("send_digest", "--commit", "--today", TODAY.isoformat(), stdout=io.StringIO())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    parts = [message.subject, message.body] + [content for content, _type in message.alternatives]
    return {"digest email": "\n".join(parts)}


def _database(tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "everything.json"
    call_command("dumpdata", "--output", str(path), verbosity=0)
    return {"dumpdata (every stored field)": path.read_text()}


@pytest.mark.parametrize("route", IMPORTS)
def test_no_contact_detail_of_a_respondent_reaches_any_output(route, seeded, tmp_path, settings):
    IMPORTS[route](tmp_path)
    document = Document.objects.get(title__contains="2013-2017", source_file__contains="responses")
    assert document.submissions.count() == 3 and Submission.objects.filter(document=document, asks__isnull=False).exists()

    client = Client()
    outputs = {**_pages(client), **_api(client), **_exports(tmp_path), **_feeds(client), **_digest(settings),
               **_database(tmp_path)}

    leaks = [(name, detail) for name, text in outputs.items() for detail in CONTACT_DETAILS if detail in text]
    assert leaks == []
    # what was said is all there, with only the contact details taken out
    consultation_page = outputs[document.submissions.first().consultation.get_absolute_url()]
    assert "Jane Doe" in consultation_page
    assert "printing my number, [phone removed], on its leaflets" in consultation_page
    assert "write to me at [address removed], London [address removed]" in outputs[document.get_absolute_url()]
    assert "as to me at [email removed] or [email removed]" in outputs["/api/submissions/"]
    assert "[email removed] [phone removed] responses.txt" in outputs[document.get_absolute_url()]  # the file's name
    assert "[phone removed]" in outputs["export submissions --format csv"]


def test_lines_keep_their_numbers_when_a_wrapped_number_is_removed(today):
    text = COMPILATION.replace("You\ncan reach me on 07700 900123", "You can reach me on 07700\n900123")
    assert text != COMPILATION
    document_import(data=text.encode(), source_name="wrapped.txt", commit=True)
    stored = Document.objects.get().text
    assert len(stored.splitlines()) == len(text.splitlines())
    assert "900123" not in stored and "07700" not in stored
    jane = Submission.objects.get(respondent="Jane Doe")
    first, last = stored.splitlines()[jane.start_line - 1], stored.splitlines()[jane.end_line - 1]
    assert first.startswith("From: Jane Doe") and last == "Tel [phone removed]"


def test_what_was_imported_before_loses_its_contact_details_when_migrating(today):
    """Responses migration 0006 removes what earlier imports kept (the pages used to hide it)."""
    from django.apps import apps

    from tests.factories import AskFactory, DocumentFactory, SubmissionFactory

    migration = importlib.import_module("responses.migrations.0006_contact_details_removed")
    document = DocumentFactory(kind=Document.Kind.CONSULTATION_COMPILATION, text=COMPILATION, source_file=FILE_NAME)
    letter = DocumentFactory(kind=Document.Kind.RESPONSE_LETTER, text="Call 020 7983 4000 at City Hall.")
    submission = SubmissionFactory(document=document, label="Pat (pat.smith@example.net)", respondent="Pat",
                                   subject="Ring 07911-123-456", text=COMPILATION)
    AskFactory(submission=submission, text="Visit me at 12 Acacia Avenue, London N1 1AA.", section="")

    migration._remove_contact_details(apps, None)

    document.refresh_from_db()
    submission.refresh_from_db()
    stored = [document.text, document.source_file, submission.label, submission.subject, submission.text,
              submission.asks.get().text]
    assert not [detail for detail in CONTACT_DETAILS for value in stored if detail in value]
    assert submission.label == "Pat ([email removed])" and submission.asks.get().text == "Visit me at [address removed], London [address removed]."
    letter.refresh_from_db()
    assert letter.text == "Call 020 7983 4000 at City Hall."  # a letter from City Hall is not a consultation
