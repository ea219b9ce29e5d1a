"""The page cache (tracker/pagecache.py): the dashboard and the recommendations list are served
from kept HTML, but never show anything older than the last write or another day's deadline
states, and never show one visitor's header to another."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from importer.synthetic import synthetic_dataset_generate
from recommendations.dates import DatePrecision
from recommendations.models import Recommendation
from responses.services import flags_refresh, response_record
from responses.tasks import flag_overdue
from tests.factories import OrganisationFactory, RecommendationFactory, ReportFactory
from tests.pages.conftest import LONDON, TODAY
from tracker import pagecache

pytestmark = pytest.mark.django_db
D = datetime.date
LIST = "/recommendations/"


@pytest.fixture
def rec(today):
    mopac = OrganisationFactory(name="Mayor's Office for Policing and Crime", short_name="MOPAC", slug="mopac")
    met = OrganisationFactory(name="Metropolitan Police Service", short_name="Met", slug="met")
    report = ReportFactory(slug="stop-and-search", title="Stop and search", published=D(2022, 3, 1))
    RecommendationFactory(report=report, number=1, text="The Met should record every stop.").addressees.add(met)
    rec = RecommendationFactory(
        report=report, number=3, text="MOPAC should publish the stop and search review.",
        deadline=D(2022, 6, 30), deadline_text="by June 2022", deadline_precision=DatePrecision.MONTH,
    )
    rec.addressees.add(mopac)
    return rec


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user("editor", password="a long enough password", is_superuser=True, is_staff=True)


def _count(html: str, label: str) -> str:
    """The number shown on a dashboard count, e.g. _count(html, "overdue")."""
    marker = f'</span> {label}'
    before = html[: html.index(marker)]
    return before[before.rindex(">") + 1:]


def test_a_kept_page_is_served_without_working_it_out_again(client, rec, django_assert_num_queries):
    first_list, first_dashboard = client.get(LIST).content.decode(), client.get("/").content.decode()
    with django_assert_num_queries(0):
        again_list, again_dashboard = client.get(LIST), client.get("/")
    assert again_list.content.decode() == first_list and again_dashboard.content.decode() == first_dashboard
    # A filter not asked for before is worked out.
    with CaptureQueriesContext(connection) as worked_out:
        client.get(LIST, {"addressee": "met"})
    assert len(worked_out) > 0


def test_a_reply_entered_after_the_pages_were_kept_shows_at_once(client, rec, editor):
    assert "No reply yet" in client.get(LIST, {"addressee": "mopac"}).content.decode()
    assert _count(client.get("/").content.decode(), "overdue") == "1"

    response_record(recommendation=rec, text="MOPAC will publish the review in the autumn.", date_received=TODAY,
                    letter_title="Letter from the Mayor, 1 September 2022", letter_date=TODAY, user=editor)

    html = client.get(LIST, {"addressee": "mopac"}).content.decode()
    assert "<p class=\"govuk-body-s\">No reply yet</p>" not in html and "1 September 2022" in html
    assert _count(client.get("/").content.decode(), "overdue") == "0"


def test_an_addressee_added_later_puts_the_recommendation_in_that_filter(client, rec):
    # Links between recommendations and addressees send no save of either: m2m_changed is watched.
    assert "Stop and search, recommendation 3" not in client.get(LIST, {"addressee": "met"}).content.decode()
    rec.addressees.add(OrganisationFactory._meta.model.objects.get(slug="met"))
    assert "Stop and search, recommendation 3" in client.get(LIST, {"addressee": "met"}).content.decode()


def test_a_deleted_recommendation_leaves_the_kept_list(client, rec):
    assert "Stop and search, recommendation 3" in client.get(LIST).content.decode()
    Recommendation.objects.filter(pk=rec.pk).delete()
    html = client.get(LIST).content.decode()
    assert "Stop and search, recommendation 3" not in html and "Stop and search, recommendation 1" in html


def test_a_kept_list_shows_the_next_days_deadline_states_without_any_write(client, db):
    report = ReportFactory(slug="custody", title="Custody", published=D(2022, 1, 10))
    RecommendationFactory(report=report, number=1, text="The Met should report by 30 June 2022.",
                          deadline=D(2022, 6, 30), deadline_text="by 30 June 2022", deadline_precision=DatePrecision.DAY)
    with time_machine.travel(datetime.datetime(2022, 6, 30, 23, 50, tzinfo=LONDON), tick=False):
        assert "due today" in client.get(LIST).content.decode()
        assert "due today" in client.get(LIST).content.decode()  # kept
    # Ten past midnight in London (British Summer Time) is still 30 June in UTC: London's date
    # decides, and the page kept on the 30th is not shown on the 1st.
    with time_machine.travel(datetime.datetime(2022, 7, 1, 0, 10, tzinfo=LONDON), tick=False):
        assert datetime.datetime.now(datetime.UTC).date() == D(2022, 6, 30)
        html = client.get(LIST).content.decode()
    assert "1 day overdue" in html and "due today" not in html


def test_the_header_is_drawn_for_each_visitor_around_the_kept_content(client, rec, editor):
    anonymous = client.get(LIST).content.decode()
    assert "Sign in" in anonymous and "Sign out" not in anonymous
    client.force_login(editor)
    signed_in = client.get(LIST).content.decode()
    assert "Sign out" in signed_in and "editor" in signed_in and ">Sign in<" not in signed_in
    assert "Stop and search, recommendation 3" in signed_in
    client.logout()
    assert "Sign out" not in client.get(LIST).content.decode()


def test_a_refused_filter_stays_refused_when_asked_again(client, rec):
    assert client.get(LIST, {"addressee": "met"}).status_code == 200
    for _ in range(2):
        page = client.get(LIST, {"status": "whenever"})
        assert page.status_code == 400
        html = page.content.decode()
        assert "<title>Error: Recommendations" in html and "There is a problem" in html


def test_the_overdue_flag_job_leaves_the_days_dashboard_ready(client, rec, django_assert_num_queries):
    assert flags_refresh(today=TODAY).raised  # the recommendation, and the report's reply
    # The scheduled task raises nothing new today, but still works the dashboard out for today.
    flag_overdue(TODAY.isoformat())
    with django_assert_num_queries(0):
        html = client.get("/").content.decode()
    assert _count(html, "overdue") == "1"


def test_bulk_writes_that_send_no_signals_still_replace_the_data_version(client, rec, today):
    client.get(LIST)  # a page kept under the current version
    before = pagecache.data_version()
    synthetic_dataset_generate(recommendations=12, seed=7, anchor=TODAY, subscribers=2)  # COPY / bulk insert
    assert pagecache.data_version() != before


def test_with_the_cache_off_every_request_is_worked_out(client, rec, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(LIST)
    Recommendation.objects.filter(pk=rec.pk).update(text="MOPAC should publish the revised stop and search review.")  # no signal: only an uncached page sees it
    assert "revised stop and search review" in client.get(LIST).content.decode()


def test_pages_kept_for_one_filter_are_not_shown_for_another(client, rec):
    mopac = client.get(LIST, {"addressee": "mopac"}).content.decode()
    met = client.get(LIST, {"addressee": "met"}).content.decode()
    assert "Stop and search, recommendation 3" in mopac and "Stop and search, recommendation 3" not in met


def test_a_write_in_another_process_throws_away_the_pages_this_one_kept(client, rec, settings, tmp_path, django_assert_num_queries):
    # As between the web server and the Celery worker: one cache both use (files here, Redis in a
    # deployment), and a write elsewhere (here: a process that only says the data changed).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path / "cache")}}
    client.get(LIST)
    with django_assert_num_queries(0):
        client.get(LIST)
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "tracker.settings.test", "TRACKER_VAR_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite3'}", "CACHE_URL": f"filecache://{tmp_path / 'cache'}"}
    script = "import django; django.setup(); from tracker import pagecache; pagecache.data_changed()"
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with CaptureQueriesContext(connection) as worked_out:
        assert "Stop and search, recommendation 3" in client.get(LIST).content.decode()
    assert len(worked_out) > 0


@pytest.mark.django_db(transaction=True)
def test_a_page_worked_out_during_anothers_transaction_is_not_shown_after_it_commits(client, today):
    # An editor's transaction is writing while a visitor's request works the list out from the
    # data before it; once the editor's transaction commits, the visitor's next request shows it.
    import threading

    from django.db import connections, transaction

    report = ReportFactory(slug="custody", title="Custody", published=D(2022, 1, 10))
    rec = RecommendationFactory(report=report, number=1, text="The Met should publish custody data.")
    written, read = threading.Event(), threading.Event()

    def editor():
        try:
            with transaction.atomic():
                Recommendation.objects.filter(pk=rec.pk).update(text="The Met should publish revised custody data.")
                Recommendation.objects.get(pk=rec.pk).save()  # a signal, as any ORM write
                written.set()
                read.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=editor)
    thread.start()
    assert written.wait(10)
    assert "revised custody data" not in client.get(LIST).content.decode()  # not committed yet
    read.set()
    thread.join(10)
    assert "revised custody data" in client.get(LIST).content.decode()
