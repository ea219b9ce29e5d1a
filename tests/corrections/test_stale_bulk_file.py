"""A bulk CSV downloaded before someone else changed a reply: that row is shown as a conflict and
never applied (their change stays), while the file's other rows can still be saved."""

from __future__ import annotations

import csv
import datetime
import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from responses.models import Response
from responses.services.editing import response_assess
from tests.factories import ResponseFactory

pytestmark = pytest.mark.django_db


def _download(client) -> tuple[list[str], list[dict]]:
    answer = client.get(reverse("bulk-download"), {"report": "vawg"})
    reader = csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode("utf-8")))
    rows = list(reader)
    return reader.fieldnames, rows


def _upload(client, fields, rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    writer.writerows(rows)
    return client.post(reverse("bulk-start"), {"file": SimpleUploadedFile("r.csv", buffer.getvalue().encode(), content_type="text/csv")})


@pytest.fixture
def two_replies(world):
    second = ResponseFactory(recommendation=world["other"], letter=world["letter"], text="The Met agrees.", date_received=datetime.date(2022, 8, 18))
    return world["response"], second


def test_a_row_changed_since_the_download_is_a_conflict_and_is_not_applied(client_for, users, two_replies):
    first, second = two_replies
    officer = client_for("officer")
    fields, rows = _download(officer)
    assert "version" in fields and all(row["version"] for row in rows)
    # Meanwhile an editor assesses the first reply.
    response_assess(response=first, assessment="accepted", rationale="Agrees in full", implementation_status="open", evidence="", user=users["editor"])
    # The officer's stale file changes both rows.
    for row in rows:
        row["assessment"], row["assessment_rationale"] = "not_accepted", "Declines"
    page = _upload(officer, fields, rows)
    text = html.unescape(page.content.decode())
    assert page.status_code == 200
    assert 'id="conflicts"' in text and "Changed by eddie" in text and "this row is not applied" in text
    changes = text[text.index('id="changes"'):]
    assert "recommendation 4" in changes and "recommendation 3<br>" not in changes
    token = re.search(r'name="changes" value="([^"]+)"', page.content.decode()).group(1)
    assert officer.post(reverse("bulk-confirm"), {"changes": html.unescape(token)}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.assessment, first.assessment_rationale) == ("accepted", "Agrees in full")  # their change is kept
    assert second.assessment == "not_accepted"


def test_a_change_between_preview_and_confirmation_saves_nothing(client_for, users, two_replies):
    first, second = two_replies
    officer = client_for("officer")
    fields, rows = _download(officer)
    for row in rows:
        row["assessment"], row["assessment_rationale"] = "noted", "Describes current work"
    page = _upload(officer, fields, rows).content.decode()
    token = html.unescape(re.search(r'name="changes" value="([^"]+)"', page).group(1))
    # The reply's text is corrected (not a column of the file) after the preview.
    first.text = "MOPAC accepts this in full."
    first._history_user = users["editor"]
    first.save()
    answer = officer.post(reverse("bulk-confirm"), {"changes": token})
    assert answer.status_code == 409 and "changed by someone else since the preview" in answer.content.decode()
    assert set(Response.objects.values_list("assessment", flat=True)) == {"not_assessed"}


def test_a_file_without_the_version_column_is_refused(client_for, two_replies):
    officer = client_for("officer")
    fields, rows = _download(officer)
    fields.remove("version")
    for row in rows:
        del row["version"]
        row["assessment"], row["assessment_rationale"] = "noted", "Describes current work"
    answer = _upload(officer, fields, rows)
    assert answer.status_code == 400 and "no version column" in answer.content.decode()
    assert set(Response.objects.values_list("assessment", flat=True)) == {"not_assessed"}


def test_the_preview_reads_a_fixed_number_of_queries_with_conflicts(client_for, users, world, django_assert_max_num_queries):
    for number in range(5, 25):
        from tests.factories import RecommendationFactory

        rec = RecommendationFactory(report=world["report"], number=number)
        ResponseFactory(recommendation=rec, letter=world["letter"], date_received=datetime.date(2022, 8, 18))
    officer = client_for("officer")
    fields, rows = _download(officer)
    for reply in Response.objects.all():
        response_assess(response=reply, assessment="accepted", rationale="Yes", implementation_status="open", evidence="", user=users["editor"])
    for row in rows:
        row["assessment"], row["assessment_rationale"] = "noted", "Describes current work"
    with django_assert_max_num_queries(12):
        page = _upload(officer, fields, rows)
    assert html.unescape(page.content.decode()).count("this row is not applied") == len(rows) == 21
