"""Bulk updates of assessments and implementation statuses by CSV round trip: download, edit with
the csv module as a spreadsheet would, upload, preview (nothing written), confirm (all or nothing)."""

import csv
import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from importer.services import document_import
from responses.models import Response
from responses.services.bulk import BULK_FIELDS, bulk_preview, response_bulk_id
from tests.factories import DocumentFactory, RecommendationFactory, ReportFactory, ResponseFactory

from .documents import LETTER, REPORT

pytestmark = pytest.mark.django_db
START = "/manage/bulk/"
VAWG = "violence-against-women-and-girls"


def _download(client, report: str = "") -> list[dict]:
    response = client.get(reverse("bulk-download"), {"report": report})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="replies-')
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def _csv(rows: list[dict], fields=BULK_FIELDS) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _upload(client, data: bytes, name: str = "replies.csv"):
    return client.post(START, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def _confirm_fields(page: str) -> dict:
    token = re.search(r'<input type="hidden" name="changes" value="([^"]+)"', page)
    return {"changes": html.unescape(token.group(1))} if token else {}


def _row(rows: list[dict], number: int) -> dict:
    return next(row for row in rows if row["number"] == str(number))


def _response(number: int, report: str = VAWG) -> Response:
    return Response.objects.get(recommendation__report__slug=report, recommendation__number=number)


@pytest.fixture
def two_reports(vawg_answered):
    """The VAWG report and letter, and a second report with its own letter (3 replies)."""
    document_import(data=REPORT.encode(), source_name="report.txt", commit=True)
    document_import(data=LETTER.encode(), source_name="letter.txt", reply_matches={4: None}, commit=True)
    return vawg_answered


def test_the_download_lists_each_reply_with_its_id_and_the_columns_to_edit(client, officer, two_reports):
    client.force_login(officer)
    rows = _download(client, VAWG)
    assert list(rows[0]) == BULK_FIELDS
    assert [row["number"] for row in rows] == [str(n) for n in range(1, 15)]
    first = rows[0]
    assert re.fullmatch(rf"{VAWG}/1/[0-9a-f]{{12}}", first["id"])
    assert first["id"] == response_bulk_id(_response(1))
    assert first["recommendation"].startswith("MOPAC must work with the Met")
    assert first["reply_received"] == "2022-08-18"
    assert (first["assessment"], first["implementation_status"]) == ("not_assessed", "open")
    assert len(_download(client)) == 17  # every report's replies when none is chosen


def test_downloading_an_unknown_report_is_refused(client, officer, two_reports):
    client.force_login(officer)
    response = client.get(reverse("bulk-download"), {"report": "no-such-report"})
    assert response.status_code == 400 and "There is no such report with replies" in response.content.decode()


def test_round_trip_previews_exactly_the_changes_then_saves_them_with_history(client, officer, two_reports, counts):
    client.force_login(officer)
    rows = _download(client, VAWG)
    _row(rows, 2).update(assessment="Partially accepted", assessment_rationale="Promises a review, not the dip sample asked for.")
    _row(rows, 5).update(implementation_status="IMPLEMENTED", implementation_evidence="Published in the 2023 VAWG strategy.")
    before = counts()

    preview = _upload(client, _csv(rows))

    page = preview.content.decode()
    assert preview.status_code == 200
    assert "14 rows read: <strong>2 to change</strong>,\n  12 unchanged." in page
    changes = page[page.index('id="changes"'):page.index("</table>", page.index('id="changes"'))]
    assert changes.count("<td data-label=\"Column\" class=\"govuk-table__cell\">Assessment</td>") == 1
    assert (
        "<td data-label=\"Now\" class=\"govuk-table__cell\">Not yet assessed</td>\n"
        "      <td data-label=\"Becomes\" class=\"govuk-table__cell\">Partially accepted</td>"
    ) in changes
    assert "Promises a review, not the dip sample asked for." in changes
    assert (
        "<td data-label=\"Now\" class=\"govuk-table__cell\">Open</td>\n"
        "      <td data-label=\"Becomes\" class=\"govuk-table__cell\">Implemented</td>"
    ) in changes
    assert "recommendation 2<br>" in changes and "recommendation 5<br>" in changes
    assert changes.count('rowspan="2"') == 4  # two rows, two columns changed in each
    assert counts() == before  # the preview wrote nothing

    done = client.post(reverse("bulk-confirm"), _confirm_fields(page))

    assert done.status_code == 302 and done["Location"] == START
    two, five = _response(2), _response(5)
    assert (two.assessment, two.assessment_rationale) == ("partially_accepted", "Promises a review, not the dip sample asked for.")
    assert (five.implementation_status, five.implementation_evidence) == ("implemented", "Published in the 2023 VAWG strategy.")
    assert two.edited_by_admin and five.edited_by_admin
    assert not _response(3).edited_by_admin
    latest = two.history.latest()
    assert latest.history_user == officer and latest.history_change_reason == "Bulk update by CSV"
    assert Response.history.count() == before["response history"] + 2
    assert "2 replies updated." in client.get(START).content.decode()


@pytest.mark.parametrize(
    "given, stored",
    [
        ("accepted", "accepted"),
        ("Accepted", "accepted"),
        ("  ACCEPTED ", "accepted"),
        ("Noted, no commitment", "noted"),
        ("noted", "noted"),
        ("partially accepted", "partially_accepted"),
        ("Partially_Accepted", "partially_accepted"),
        ("not yet assessed", "not_assessed"),
    ],
)
def test_a_choice_is_read_from_its_value_or_its_words_in_any_case(two_reports, given, stored):
    rows = [{"id": response_bulk_id(_response(1)), "assessment": given, "implementation_status": "Open"}]
    preview = bulk_preview(csv_text=_csv(rows).decode())
    assert preview.is_valid
    if stored == "not_assessed":
        assert preview.unchanged == 1 and not preview.changes
    else:
        assert [(c.field, c.new) for c in preview.changes[0].changes] == [("assessment", stored)]


def test_every_bad_row_is_listed_and_nothing_can_be_saved(client, officer, two_reports, counts):
    client.force_login(officer)
    rows = _download(client, VAWG)
    _row(rows, 1)["assessment"] = "Accepted"  # a valid change: still not saved, the file has errors
    _row(rows, 2)["id"] = f"{VAWG}/2/000000000000"
    _row(rows, 3)["assessment"] = "Acepted"
    _row(rows, 4).update(implementation_status="Superseded", implementation_evidence="  ")
    _row(rows, 6)["implementation_status"] = ""
    rows.append(dict(_row(rows, 7), assessment="Noted"))  # the same reply twice
    before = counts()

    response = _upload(client, _csv(rows))

    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "The file cannot be used: nothing will be saved" in page
    assert f"Row 3 ({VAWG}/2/000000000000): No reply has the id '{VAWG}/2/000000000000'." in page
    assert "Row 4 (" in page and "Assessment: 'Acepted' is not one of: Not yet assessed (not_assessed); Accepted (accepted);" in page
    assert "Row 5 (" in page and "Implementation evidence: Give the evidence that justifies closing this item." in page
    assert "Row 7 (" in page and "Implementation status is empty: give one of: Open (open);" in page
    assert "Row 16 (" in page and "The same reply is in row 8 already." in page
    assert "1 to change" in page and "5 with errors" in page
    assert 'name="changes"' not in page  # no confirmation offered
    assert counts() == before


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"id,report,number\nabc,vawg,1\n", "replies.csv",
         "The header row has no assessment, assessment_rationale, implementation_status, implementation_evidence columns"),
        (b"", "replies.csv", "The file is empty."),
        (b"\n\n", "replies.csv", "The file is empty: it has no header row and no replies."),
        (b"%PDF-1.4\n1 0 obj\n", "replies.pdf", "That file is a PDF, not a CSV"),
        (b"PK\x03\x04\x14\x00\x06\x00", "replies.xlsx", "That file is a spreadsheet workbook, not a CSV"),
        (bytes(range(256)), "replies.csv", "That file is not text, not a CSV"),
        (b'id,assessment,assessment_rationale,implementation_status,implementation_evidence\n"unclosed,a\n', "replies.csv",
         "The file could not be read as CSV (unexpected end of data)."),
    ],
    ids=["wrong-header", "empty", "blank", "pdf", "xlsx", "binary", "broken-quoting"],
)
def test_files_that_are_not_the_csv_are_refused(client, officer, two_reports, counts, data, name, message):
    client.force_login(officer)
    before = counts()
    response = _upload(client, data, name)
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert counts() == before


def test_a_file_too_big_is_refused(client, officer, monkeypatch):
    monkeypatch.setattr("responses.bulk_forms.MAX_CSV_BYTES", 100)
    client.force_login(officer)
    response = _upload(client, b"id,assessment\n" + b"x,accepted\n" * 20)
    assert response.status_code == 400 and "the largest allowed is 2 MB" in response.content.decode()


def test_a_cp1252_file_from_excel_with_extra_columns_is_read(client, officer, two_reports):
    client.force_login(officer)
    rows = _download(client, VAWG)
    _row(rows, 1).update(assessment="Accepted", assessment_rationale="Agrees – and funds it.", notes="mine")
    data = _csv(rows, BULK_FIELDS + ["notes"]).decode().encode("cp1252")
    page = html.unescape(_upload(client, data).content.decode())
    assert "1 to change" in page and "Columns not read: notes." in page
    assert "Agrees – and funds it." in page


def test_a_reply_changed_since_the_preview_stops_the_whole_update(client, officer, editor, two_reports):
    client.force_login(officer)
    rows = _download(client, VAWG)
    _row(rows, 1)["assessment"] = "accepted"
    _row(rows, 2)["assessment"] = "not_accepted"
    page = _upload(client, _csv(rows)).content.decode()
    someone_else = _response(2)
    someone_else.assessment = "noted"
    someone_else.save()

    response = client.post(reverse("bulk-confirm"), _confirm_fields(page))

    assert response.status_code == 409
    assert "changed by someone else since the preview" in html.unescape(response.content.decode())
    assert _response(1).assessment == "not_assessed"  # all or nothing
    assert _response(2).assessment == "noted"


def test_a_tampered_confirmation_is_refused(client, officer, two_reports):
    client.force_login(officer)
    rows = _download(client, VAWG)
    _row(rows, 1)["assessment"] = "accepted"
    fields = _confirm_fields(_upload(client, _csv(rows)).content.decode())
    response = client.post(reverse("bulk-confirm"), {"changes": fields["changes"][:-3] + "abc"})
    assert response.status_code == 400 and "could not be read back" in response.content.decode()
    assert _response(1).assessment == "not_assessed"


def test_a_confirmation_is_only_good_for_the_user_who_previewed_it(client, officer, editor, two_reports):
    client.force_login(officer)
    rows = _download(client, VAWG)
    _row(rows, 1)["assessment"] = "accepted"
    fields = _confirm_fields(_upload(client, _csv(rows)).content.decode())
    client.force_login(editor)
    assert client.post(reverse("bulk-confirm"), fields).status_code == 400
    assert _response(1).assessment == "not_assessed"


# --- roles and CSRF ------------------------------------------------------------------------------


def test_anonymous_visitors_are_asked_to_sign_in(client):
    for method, url in (("get", START), ("post", START), ("get", reverse("bulk-download")), ("post", reverse("bulk-confirm"))):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('login')}?next={url}", url


@pytest.mark.parametrize("role, allowed", [("officer", True), ("editor", True), ("superuser", True), ("stranger", False)])
def test_officers_and_editors_update_in_bulk(client, request, role, allowed, two_reports):
    client.force_login(request.getfixturevalue(role))
    assert client.get(START).status_code == (200 if allowed else 403)
    assert client.get(reverse("bulk-download")).status_code == (200 if allowed else 403)
    rows = [{"id": response_bulk_id(_response(1)), "assessment": "accepted", "implementation_status": "open"}]
    preview = _upload(client, _csv(rows))
    assert preview.status_code == (200 if allowed else 403)
    if allowed:
        assert client.post(reverse("bulk-confirm"), _confirm_fields(preview.content.decode())).status_code == 302
    assert _response(1).assessment == ("accepted" if allowed else "not_assessed")


def test_the_bulk_forms_need_their_csrf_token(officer, two_reports):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    rows = [{"id": response_bulk_id(_response(1)), "assessment": "accepted", "implementation_status": "open"}]
    assert _upload(client, _csv(rows)).status_code == 403

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(START).content.decode()).group(1)
    page = client.post(START, {"file": SimpleUploadedFile("r.csv", _csv(rows)), "csrfmiddlewaretoken": token})
    assert page.status_code == 200
    assert client.post(reverse("bulk-confirm"), _confirm_fields(page.content.decode())).status_code == 403
    assert _response(1).assessment == "not_assessed"


# --- query counts ---------------------------------------------------------------------------------


def _many_replies(reports: int, per_report: int) -> None:
    for n in range(reports):
        report = ReportFactory(slug=f"generated-{n}", title=f"Generated report {n}")
        letter = DocumentFactory()
        for number in range(1, per_report + 1):
            ResponseFactory(recommendation=RecommendationFactory(report=report, number=number), letter=letter)


def test_the_preview_reads_the_database_a_fixed_number_of_times(client, officer, two_reports, django_assert_max_num_queries):
    client.force_login(officer)

    def preview_queries() -> int:
        rows = _download(client)
        for row in rows:
            row["assessment"] = "noted"
        with CaptureQueriesContext(connection) as queries:
            response = _upload(client, _csv(rows))
        assert response.status_code == 200
        assert f"{len(rows)} to change" in response.content.decode()
        return len(queries)

    rows = [{"id": response_bulk_id(_response(1)), "assessment": "noted", "implementation_status": "open"}]
    # the session, the user, their permissions (2), the replies named, the reports to download
    # (the newest dated and the first undated: ReportQuerySet.newest_titles)
    with django_assert_max_num_queries(7):
        _upload(client, _csv(rows))
    few = preview_queries()  # 17 replies
    _many_replies(reports=6, per_report=30)
    assert preview_queries() == few  # 197 replies
