"""Hostile documents never crash the importer: each is refused with one clear message, on the
command line (one line, a non-zero exit status) and on the import page (a form error, never a 500),
and nothing is written. Documents are read once, in a child process held to a time, memory and page
limit; a held upload keeps that reading, so its preview and confirmation never read it again."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from importer import services
from recommendations.models import PendingImport, Recommendation, Report
from responses.models import Response
from tests.database_url import database_url
from tests.manage_import.documents import LETTER, REPORT
from tests.manage_import.test_import_pages import _preview_form

from . import documents

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
START = "/manage/import/"

REFUSALS = {
    "password.pdf": "password.pdf is password-protected: save a copy without the password",
    "jbig2.pdf": "jbig2.pdf could not be read as a PDF: it is damaged or uses something the tracker cannot read",
    "deep.pdf": "deep.pdf goes past a limit the tracker reads PDFs within (LimitReachedError: Maximum page tree depth",
    "bomb.pdf": "bomb.pdf goes past a limit the tracker reads PDFs within (LimitReachedError: Limit reached while decompressing",
}


def _refusal(path: Path, *args: str) -> str:
    with pytest.raises(CommandError) as raised:
        call_command("import_document", str(path), "--commit", *args)
    return str(raised.value)


def _upload(client, name: str, data: bytes):
    return client.post(START, {"file": SimpleUploadedFile(name, data), "kind": "auto", "report": ""})


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_the_command_refuses_a_hostile_pdf_in_one_line_and_writes_nothing(hostile, counts, name):
    before = counts()
    message = _refusal(hostile[name])
    assert REFUSALS[name] in message
    assert message.endswith("Nothing was written.") and "\n" not in message and "Traceback" not in message
    assert counts() == before


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_the_import_page_refuses_a_hostile_pdf_as_a_form_error_and_writes_nothing(client, editor, hostile, counts, name):
    client.force_login(editor)
    before = counts()
    page = _upload(client, name, hostile[name].read_bytes())
    text = page.content.decode()
    assert page.status_code == 200
    assert "govuk-error-summary" in text and REFUSALS[name].replace("'", "&#x27;") in text and "Nothing was written." in text
    assert counts() == before and not PendingImport.objects.exists()


def test_run_as_a_command_a_hostile_pdf_exits_non_zero_with_one_line_and_no_traceback(hostile, transactional_db):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tracker.settings.test", "DATABASE_URL": database_url()}
    done = subprocess.run(
        [sys.executable, "manage.py", "import_document", str(hostile["deep.pdf"])], cwd=ROOT, env=env, capture_output=True, text=True
    )
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1
    assert len(lines) == 1 and lines[0].startswith(f"CommandError: deep.pdf: {REFUSALS['deep.pdf']}")
    assert lines[0].endswith("Nothing was written.")


def test_an_encrypted_pdf_that_opens_without_a_password_is_imported(tmp_path, capsys):
    path = tmp_path / "protected.pdf"
    path.write_bytes(documents.encrypted_pdf(""))
    call_command("import_document", str(path), "--commit")
    assert "found 3" in capsys.readouterr().out
    report = Report.objects.get(title="Stop and search in London")
    assert sorted(report.recommendations.values_list("number", flat=True)) == [1, 2, 3]


def test_an_encrypted_pdf_that_opens_without_a_password_is_previewed_and_confirmed_on_the_page(client, editor):
    client.force_login(editor)
    uploaded = _upload(client, "protected.pdf", documents.encrypted_pdf(""))
    assert uploaded.status_code == 302
    page = client.get(uploaded["Location"])
    assert page.status_code == 200 and "Stop and search in London" in page.content.decode()
    assert not Report.objects.exists()


def test_more_pages_than_allowed_are_refused(tmp_path, counts):
    path = tmp_path / "two-pages.pdf"
    path.write_bytes(documents.report_pdf(pages=2))
    before = counts()
    with override_settings(IMPORT_PARSE_MAX_PAGES=1):
        message = _refusal(path)
    assert "two-pages.pdf has 2 pages: the most the tracker reads is 1." in message
    assert counts() == before
    call_command("import_document", str(path), "--commit")  # within the default limit it is read
    assert Recommendation.objects.count() == 3


def test_a_document_slower_to_read_than_the_time_limit_is_refused_and_its_reader_stopped(client, editor, tmp_path, counts):
    """Several seconds of parsing against a limit of half a second."""
    data = documents.slow_text(megabytes=4)
    path = tmp_path / "slow.txt"
    path.write_bytes(data)
    client.force_login(editor)
    before = counts()
    with override_settings(IMPORT_PARSE_SECONDS=0.5):
        message = _refusal(path)
        page = _upload(client, "slow.txt", data)
    expected = "This document took longer than 0.5 seconds to read, so it was refused"
    assert expected in message and "\n" not in message
    assert page.status_code == 200 and expected in page.content.decode()
    assert counts() == before and not PendingImport.objects.exists()
    assert _readers_running() == []  # killed at the limit, not left parsing


def _readers_running() -> list[int]:
    """This process's child readers still alive (Linux: from /proc)."""
    running = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"importer.read_child" in command:
            running.append(int(entry.name))
    return running


def test_a_document_needing_more_memory_than_the_limit_is_refused(client, editor, tmp_path, counts):
    data = ("Recommendation 1\n\nThe Met should do it by May 2020.\n\n" * 300_000).encode()  # 16 MB of text
    path = tmp_path / "huge.txt"
    path.write_bytes(data)
    client.force_login(editor)
    before = counts()
    with override_settings(IMPORT_PARSE_MEMORY_MB=64):
        message = _refusal(path)
        page = _upload(client, "huge.txt", data)
    expected = "This document needed more than 64 MB of memory to read, so it was refused"
    assert expected in message and "\n" not in message
    assert page.status_code == 200 and expected in page.content.decode()
    assert counts() == before and not PendingImport.objects.exists()


# --- one reading per upload -----------------------------------------------------------------------


@pytest.fixture
def stop_and_search():
    services.document_import(data=REPORT.encode(), source_name="report.txt", commit=True)
    return Report.objects.get(title="Stop and search in London")


def test_an_upload_is_read_once_however_often_it_is_previewed_and_then_confirmed(client, editor, stop_and_search, monkeypatch):
    reads = []

    def counted(data, **kwargs):
        reads.append(kwargs["name"])
        return real(data, **kwargs)

    real = services.read_document
    monkeypatch.setattr(services, "read_document", counted)
    client.force_login(editor)
    preview_url = _upload(client, "letter.txt", LETTER.encode())["Location"]
    form = _preview_form(client.get(preview_url).content.decode())
    # replies 2 and 3 are flagged as swapped: the editor matches them (tests/import_review)
    checked = client.post(preview_url, {**form, "reply_2": "3", "reply_3": "2", "reply_4": "skip", "check": "1"})
    done = client.post(preview_url, {**_preview_form(checked.content.decode()), "confirm": "1"})

    assert done.status_code == 302
    assert sorted(Response.objects.values_list("recommendation__number", flat=True)) == [1, 2, 3]  # reply 4 left out
    assert reads == ["letter.txt"]
    assert not PendingImport.objects.exists()


def test_the_preview_and_confirmation_use_the_reading_kept_at_upload(client, editor, stop_and_search):
    """With a time limit no reading could meet, the held upload is still previewed and confirmed."""
    client.force_login(editor)
    preview_url = _upload(client, "letter.txt", LETTER.encode())["Location"]
    kept = PendingImport.objects.get().parsed
    assert kept["parsed"]["kind"] == "response_letter" and [reply["number"] for reply in kept["parsed"]["replies"]] == [1, 2, 3, 4]
    with override_settings(IMPORT_PARSE_SECONDS=0.001):
        page = client.get(preview_url)
        assert page.status_code == 200 and "took longer" not in page.content.decode()
        # replies 2 and 3 are flagged as swapped: the editor keeps them as headed, explicitly
        done = client.post(preview_url, {**_preview_form(page.content.decode()), "reply_2": "2", "reply_3": "3", "confirm": "1"})
    assert done.status_code == 302
    assert sorted(stop_and_search.recommendations.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert sorted(Response.objects.values_list("recommendation__number", flat=True)) == [1, 2, 3, 4]


def test_an_upload_held_before_readings_were_kept_is_read_once_then_keeps_its_reading(client, editor, stop_and_search):
    client.force_login(editor)
    pending = PendingImport.objects.create(uploaded_by=editor, name="letter.txt", data=LETTER.encode(), kind="auto")
    assert pending.parsed is None
    page = client.get(f"/manage/import/{pending.pk}/")
    assert page.status_code == 200 and "Stop and search in London" in page.content.decode()
    pending.refresh_from_db()
    assert pending.parsed["parsed"]["kind"] == "response_letter"
