"""The page cache keys kept pages on the code's release as well as the data version: a deploy (or,
under ``make run`` with DEBUG on, a template edit) never serves pages worked out by the old code.
The daily flag run keeps every page (none shows flags). Writes in a transaction replace the
version when it commits, through Django's public ``transaction.on_commit``."""

import datetime
import os
import threading
import zoneinfo

import pytest
import time_machine
from django.db import transaction

from recommendations.models import Recommendation
from responses.services import flags_refresh
from tests.factories import OrganisationFactory, RecommendationFactory, ReportFactory
from tracker import pagecache

D = datetime.date
TODAY = D(2022, 9, 1)
LIST = "/recommendations/"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _london_noon():
    with time_machine.travel(datetime.datetime(2022, 9, 1, 12, tzinfo=zoneinfo.ZoneInfo("Europe/London")), tick=False):
        yield


@pytest.fixture
def rec():
    mopac = OrganisationFactory(name="Mayor's Office for Policing and Crime", short_name="MOPAC", slug="mopac")
    report = ReportFactory(slug="stop-and-search", title="Stop and search", published=D(2022, 3, 1))
    made = RecommendationFactory(report=report, number=3, text="MOPAC should publish the stop and search review.", deadline=D(2022, 6, 30))
    made.addressees.add(mopac)
    return made


def _change_text_without_signals(rec):
    """A change only a page worked out afresh shows (``update()`` sends no signal)."""
    Recommendation.objects.filter(pk=rec.pk).update(text="MOPAC should publish the revised stop and search review.")


def _deploy(settings, release):
    """What a new process of a new release sees: another RELEASE, read once at start."""
    settings.RELEASE = release
    pagecache._deployed_release.cache_clear()


@pytest.fixture(autouse=True)
def _forget_the_release():
    pagecache._deployed_release.cache_clear()
    yield
    pagecache._deployed_release.cache_clear()


def test_a_deploy_never_serves_pages_the_old_release_worked_out(client, rec, settings):
    _deploy(settings, "release-1")
    client.get(LIST)
    _change_text_without_signals(rec)
    assert "revised" not in client.get(LIST).content.decode()  # the same release: the kept page
    _deploy(settings, "release-2")
    assert "revised stop and search review" in client.get(LIST).content.decode()


def test_without_a_release_setting_the_git_commit_or_a_source_fingerprint_names_it(settings, tmp_path):
    settings.RELEASE = ""
    settings.BASE_DIR = tmp_path  # not a git checkout: the code's fingerprint
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("<p>one</p>")
    assert pagecache.release().startswith("source-")
    _deploy(settings, "abc123")
    assert pagecache.release() == "abc123"


def test_with_debug_on_a_template_edit_shows_at_once(client, rec, settings, tmp_path):
    # `make run`: DEBUG on, runserver reloads Python on an edit but not templates.
    settings.DEBUG = True
    settings.BASE_DIR = tmp_path
    template = tmp_path / "templates" / "page.html"
    template.parent.mkdir()
    template.write_text("<p>one</p>")
    client.get(LIST)
    _change_text_without_signals(rec)
    assert "revised" not in client.get(LIST).content.decode()  # nothing edited: the kept page
    template.write_text("<p>one, edited</p>")
    stat = template.stat()
    os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert "revised stop and search review" in client.get(LIST).content.decode()


def test_the_daily_flag_run_keeps_every_kept_page(client, rec, django_assert_num_queries):
    first_list, first_dashboard = client.get(LIST).content.decode(), client.get("/").content.decode()
    assert flags_refresh(today=TODAY).raised  # the recommendation's deadline passed unanswered
    with django_assert_num_queries(0):
        again_list, again_dashboard = client.get(LIST), client.get("/")
    assert again_list.content.decode() == first_list and again_dashboard.content.decode() == first_dashboard


@pytest.mark.django_db(transaction=True)
def test_a_write_after_a_rolled_back_savepoint_still_replaces_the_version_at_commit(rec):
    seen_inside = []

    def other_request():  # another connection, working a page out while the transaction is open
        seen_inside.append(pagecache.data_version())

    with transaction.atomic():
        try:
            with transaction.atomic():
                rec.text = "A change that is rolled back."
                rec.save()
                raise RuntimeError("roll the savepoint back")
        except RuntimeError:
            pass
        rec.refresh_from_db()
        rec.short_text = "Publish the review"
        rec.save()
        thread = threading.Thread(target=other_request)
        thread.start()
        thread.join()
    assert pagecache.data_version() != seen_inside[0]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_replaces_nothing_at_commit(rec):
    before = pagecache.data_version()
    pagecache._Reads.since_change = False  # no page read since the last replacement: nothing replaced at once
    with pytest.raises(RuntimeError), transaction.atomic():
        rec.save()
        raise RuntimeError("roll back")
    assert pagecache.data_version() == before
