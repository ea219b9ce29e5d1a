"""Issue 16: /manage/import/ and /manage/bulk/ list the newest reports, not all of them, and any
report can still be chosen (by the slug the forms always took, or named by title or address); the
whole-data CSV download streams every reply in order, read a batch of reports at a time."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.models import PendingImport, Recommendation, Report
from responses.editing_choices import RECENT_REPORTS
from responses.models import Response
from responses.services import bulk
from tests.factories import DocumentFactory, ResponseFactory
from tests.manage_import.documents import LETTER

pytestmark = pytest.mark.django_db

IMPORT = "/manage/import/"
BULK = "/manage/bulk/"
DOWNLOAD = "/manage/bulk/replies.csv"


def _options(html: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select[^>]* name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def _answer_every_report():
    for rec in Recommendation.objects.filter(number=1):
        ResponseFactory(recommendation=rec, letter=DocumentFactory(report=rec.report))


@pytest.mark.parametrize("url", [IMPORT, BULK])
def test_the_report_select_lists_the_newest_few_in_a_fixed_number_of_queries(client_for, world, many_reports, url):
    editor = client_for("superuser")
    many_reports(20)
    _answer_every_report()
    with CaptureQueriesContext(connection) as small:
        editor.get(url)
    many_reports(60, start=20)
    _answer_every_report()
    with CaptureQueriesContext(connection) as large:
        page = editor.get(url).content.decode()
    assert len(large) == len(small)
    options = _options(page, "report")
    assert len(options) == RECENT_REPORTS + 1
    assert options[1] == ("vawg", "Violence Against Women and Girls") and options[2] == ("old-0079", "Old report 0079")
    assert "Old report 0000" not in page


@pytest.mark.parametrize("named", [{"report": "old-0000"}, {"report_ref": "Old report 0000"}, {"report_ref": "https://x.example/reports/old-0000/"}])
def test_an_old_report_is_still_chosen_for_an_import(client_for, world, many_reports, named):
    many_reports(80)
    response = client_for("superuser").post(IMPORT, {"text": LETTER, "kind": "response_letter", **named})
    assert response.status_code == 302
    assert PendingImport.objects.get().report_slug == "old-0000"


def test_a_report_named_that_does_not_exist_is_refused_on_the_import_page(client_for, world):
    response = client_for("superuser").post(IMPORT, {"text": LETTER, "kind": "response_letter", "report_ref": "No such report"})
    assert response.status_code == 200  # the upload page shown again, as for any other mistake
    assert "No report has the title, slug or address “No such report”" in response.content.decode()
    assert not PendingImport.objects.exists()


@pytest.mark.parametrize("named", [{"report": "old-0000"}, {"report_ref": "old report 0000"}, {"report_ref": "/reports/old-0000/"}])
def test_an_old_reports_replies_are_still_downloaded(client_for, world, many_reports, named):
    many_reports(80)
    _answer_every_report()
    response = client_for("superuser").get(DOWNLOAD, named)
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["id"].rsplit("/", 1)[0] for row in rows] == ["old-0000/1"]


def test_a_report_without_replies_is_refused_for_the_download(client_for, world, many_reports):
    many_reports(3)
    response = client_for("superuser").get(DOWNLOAD, {"report_ref": "Old report 0001"})
    assert response.status_code == 400
    assert "“Old report 0001” has no replies yet." in response.content.decode()


def test_the_whole_download_has_every_reply_in_order_across_batches(client_for, world, many_reports, monkeypatch):
    monkeypatch.setattr(bulk, "REPORTS_PER_BATCH", 7)
    many_reports(30)
    _answer_every_report()
    ResponseFactory(recommendation=Recommendation.objects.get(report__slug="old-0003", number=2))
    response = client_for("superuser").get(DOWNLOAD)
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == Response.objects.count() == 32
    keys = [(row["report"], int(row["number"])) for row in rows]
    assert keys == sorted(keys)
    assert {row["report"] for row in rows} == set(Report.objects.values_list("slug", flat=True))
