"""Every record has a history from its first version (seeded, imported, typed); a report's
publication date is set with its source; a reply due date override can be cleared."""

from __future__ import annotations

import datetime
import html

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from recommendations.models import Recommendation, Report
from responses.models import Commitment, Response
from responses.services.baseline import history_baseline_create

pytestmark = pytest.mark.django_db
HISTORY = [Report, Recommendation, Response, Commitment]


def test_the_seed_data_has_a_history_for_every_record():
    call_command("load_seed_data", verbosity=0)
    for model in HISTORY:
        assert model.objects.exists()
        without = model.objects.exclude(pk__in=model.history.values("id"))
        assert not without.exists(), f"{model.__name__} without history"
    rec = Recommendation.objects.filter(addressees__isnull=False).first()
    first = rec.history.get(history_type="+")
    assert set(first.addressees.values_list("organisation_id", flat=True)) == set(rec.addressees.values_list("pk", flat=True))


def test_a_seeded_replys_first_change_can_be_reverted(client_for):
    call_command("load_seed_data", verbosity=0)
    reply = Response.objects.select_related("recommendation").first()
    original = reply.text
    editor = client_for("editor")
    answer = editor.post(
        reverse("manage-response-correct", args=[reply.pk]),
        {"text": "A wrong text.", "date_received_day": str(reply.date_received.day), "date_received_month": str(reply.date_received.month),
         "date_received_year": str(reply.date_received.year), "reason": "Trying it out"},
    )
    assert answer.status_code == 302
    page = editor.get(reply.recommendation.get_absolute_url()).content.decode()
    assert "Loaded from the seed data" in page
    baseline = Response.history.get(id=reply.pk, history_type="+")
    assert f"/manage/history/response/{baseline.history_id}/revert/" in page
    assert editor.post(reverse("manage-history-revert", args=["response", baseline.history_id])).status_code == 302
    assert Response.objects.get(pk=reply.pk).text == original


def test_the_baseline_is_written_once_for_rows_without_history(world):
    # As loaddata or a bulk insert leaves them: rows with no history at all.
    Response.history.all().delete()
    Recommendation.history.all().delete()
    world["recommendation"].addressees.set([])
    written = history_baseline_create(apps, reason="History begins")
    assert written == Response.objects.count() + Recommendation.objects.count()
    version = Response.history.get(id=world["response"].pk)
    assert (version.history_type, version.history_change_reason, version.text) == ("+", "History begins", "MOPAC accepts this.")
    assert history_baseline_create(apps, reason="again") == 0


def test_imported_records_have_a_history_from_their_creation():
    call_command("import_sources", "--commit", verbosity=0)
    for model in HISTORY:
        assert model.objects.exists()
        created = model.history.filter(history_type="+").values("id")
        assert not model.objects.exclude(pk__in=created).exists(), f"{model.__name__} without a creation in its history"


def test_the_publication_date_is_set_with_its_source_and_is_in_the_history(client_for, world):
    report = world["report"]
    editor = client_for("editor")
    url = reverse("manage-report-published", args=[report.slug])
    assert client_for("officer").post(url, {}).status_code == 403
    answer = editor.post(
        url,
        {"published_day": "1", "published_month": "3", "published_year": "2022", "published_precision": "month",
         "published_source": "the report's cover", "reason": "The cover says March 2022"},
    )
    assert answer.status_code == 302
    report.refresh_from_db()
    assert (report.published, report.published_precision, report.published_source) == (
        datetime.date(2022, 3, 31), "month", "the report's cover")
    page = html.unescape(editor.get(report.get_absolute_url()).content.decode())
    assert "31 March 2022" in page and "Source: the report's cover" in page
    assert Report.history.filter(id=report.pk).first().history_change_reason == "Publication date set: The cover says March 2022"


def test_a_publication_date_needs_a_source_and_cannot_follow_a_reply(client_for, world):
    url = reverse("manage-report-published", args=[world["report"].slug])
    editor = client_for("editor")
    no_source = editor.post(url, {"published_day": "1", "published_month": "3", "published_year": "2022",
                                  "published_precision": "day", "reason": "x"})
    assert no_source.status_code == 400 and "Say where the date comes from" in no_source.content.decode()
    late = editor.post(url, {"published_day": "1", "published_month": "9", "published_year": "2022", "published_precision": "day",
                             "published_source": "london.gov.uk page", "reason": "x"})
    assert late.status_code == 400 and "received on 18 August 2022" in late.content.decode()
    world["report"].refresh_from_db()
    assert world["report"].published == datetime.date(2022, 3, 22)


def test_an_override_of_the_reply_due_date_can_be_cleared_and_the_clearing_reverted(client_for, world):
    report = world["report"]
    editor = client_for("editor")
    editor.post(reverse("manage-report-response-due", args=[report.slug]),
                {"due_date_day": "30", "due_date_month": "6", "due_date_year": "2022", "reason": "Agreed with MOPAC"})
    report.refresh_from_db()
    assert report.response_due_override == datetime.date(2022, 6, 30)
    page = editor.get(world["recommendation"].get_absolute_url()).content.decode()
    clear = reverse("manage-report-response-due-clear", args=[report.slug])
    assert clear in page
    assert client_for("officer").post(clear, {"reason": "x"}).status_code == 403
    assert editor.post(clear, {"reason": "The agreement lapsed"}).status_code == 302
    report.refresh_from_db()
    assert (report.response_due_override, report.response_due_override_reason) == (None, "")
    page = editor.get(world["recommendation"].get_absolute_url()).content.decode()
    assert clear not in page and "Reply due date override cleared: The agreement lapsed" in page
    assert editor.post(clear, {"reason": "again"}).status_code == 400
    before = Report.history.filter(id=report.pk, history_change_reason__startswith="Reply due date set").get()
    assert editor.post(reverse("manage-history-revert", args=["report", before.history_id])).status_code == 302
    report.refresh_from_db()
    assert report.response_due_override == datetime.date(2022, 6, 30)
