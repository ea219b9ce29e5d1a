"""Redis (the page cache) going away: pages are worked out afresh, staff writes succeed,
/healthz says so, and once it is back no page from before a write is shown. And the page cache
cannot be flooded: made-up parameters make no new copies, and error pages are not kept."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations.models import Recommendation
from responses.models import Response
from tests.editing.conftest import client_for, users, world  # noqa: F401 (fixtures)
from tests.factories import RecommendationFactory, ReportFactory

pytestmark = pytest.mark.django_db
LIST = "/recommendations/"
DOWN = ["ok", "database: ok", "cache: unavailable (pages worked out afresh)"]
UP = ["ok", "database: ok", "cache: ok"]


def _count(html: str, label: str) -> str:
    """The number shown on a dashboard count, e.g. _count(html, "responded")."""
    before = html[: html.index(f"</span> {label}")]
    return before[before.rindex(">") + 1 :]


def _health(client) -> tuple[int, list[str]]:
    response = client.get("/healthz")
    return response.status_code, response.content.decode().splitlines()


def _reply_to_recommendation_4(editor):
    return editor.post(
        reverse("manage-response-new"),
        {
            "recommendation": Recommendation.objects.get(number=4).pk,
            "text": "The Met will train every officer by 2024.",
            "date_received_day": "5", "date_received_month": "9", "date_received_year": "2022",
            "letter": Response.objects.get().letter_id,
        },
        follow=True,
    )


def _kept_page_served(client, path) -> str:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(path).content.decode()
    assert len(queries) == 0, "served from the page cache"
    return html


def test_with_the_cache_stopped_pages_and_writes_work_and_once_back_no_page_from_before_is_shown(redis_server, client, client_for, world, caplog):  # noqa: F811
    client.get(LIST), client.get("/")
    before = _kept_page_served(client, LIST)
    assert "No reply yet" in before and _count(_kept_page_served(client, "/"), "responded") == "1"
    assert _health(client) == (200, UP)

    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="tracker.pagecache"):
        assert client.get(LIST).status_code == 200 and client.get("/").status_code == 200
        written = _reply_to_recommendation_4(client_for("editor"))
        assert written.status_code == 200 and "Reply to recommendation 4 recorded" in written.content.decode()
        assert Response.objects.filter(recommendation__number=4).exists()
        during = client.get(LIST)
        during_html = during.content.decode()
        assert during.status_code == 200 and "<p class=\"govuk-body-s\">No reply yet</p>" not in during_html and "5 September 2022" in during_html
        assert _count(client.get("/").content.decode(), "responded") == "2"
        assert _health(client) == (200, DOWN)
    # One warning for the whole outage, not one per request.
    assert [record.levelno for record in caplog.records if record.name == "tracker.pagecache"] == [logging.WARNING]

    redis_server.start()
    assert redis_server.keys() > 1  # what was kept before the outage is back, under the old version
    after = client.get(LIST).content.decode()
    assert "<p class=\"govuk-body-s\">No reply yet</p>" not in after and "5 September 2022" in after
    assert _count(client.get("/").content.decode(), "responded") == "2"
    assert _health(client) == (200, UP)
    # ... and pages are kept again.
    assert "5 September 2022" in _kept_page_served(client, LIST)


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_while_the_cache_is_down_is_shown_once_it_is_back(redis_server, client):
    # The version is replaced when the transaction commits too: that must not fail the write.
    rec = RecommendationFactory(report=ReportFactory(title="Custody"), number=1, text="The Met should publish custody data.")
    assert "publish custody data" in client.get(LIST).content.decode()
    redis_server.stop()
    with transaction.atomic():
        rec.text = "The Met should publish revised custody data."
        rec.save()
    assert Recommendation.objects.get().text == "The Met should publish revised custody data."
    redis_server.start()
    assert "publish revised custody data" in client.get(LIST).content.decode()


def test_a_cache_that_never_answered_leaves_every_page_working(client, client_for, world, settings, monkeypatch):  # noqa: F811
    from tests.cache_outage.conftest import _free_port
    from tracker import pagecache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{_free_port()}/0"}}
    monkeypatch.setattr(pagecache, "RETRY_SECONDS", 0)
    try:
        assert client.get("/").status_code == 200
        assert client.get(LIST, {"status": "overdue"}).status_code == 200
        assert client.get(LIST, {"status": "whenever"}).status_code == 400
        assert "Reply to recommendation 4 recorded" in _reply_to_recommendation_4(client_for("editor")).content.decode()
        assert "5 September 2022" in client.get(LIST).content.decode()
        assert _health(client) == (200, DOWN)
    finally:
        pagecache.reset_outage()


def test_made_up_parameters_make_no_new_copies_of_a_page(redis_server, client, world):  # noqa: F811
    first = client.get(LIST, {"sort": "-number"}).context["content"]
    assert "recommendation 4" in first and 'format=csv' in first
    kept = redis_server.keys()
    for n in range(20):
        query = {f"utm_{n}": "x" * 2000, "q": "", "status": "", "page": "1", "sort": "-number"}
        with CaptureQueriesContext(connection) as queries:
            content = client.get(LIST, query).context["content"]
        assert len(queries) == 0  # the kept page
        assert content == first and "utm_" not in content  # nor is the made-up parameter drawn into its links
    assert redis_server.keys() == kept
    # A value the list does read is another page.
    client.get(LIST, {"sort": "number"})
    assert redis_server.keys() == kept + 1


def test_a_page_with_form_errors_is_not_kept(redis_server, client, world):  # noqa: F811
    client.get(LIST)  # the filter's choices and the data version are kept
    kept = redis_server.keys()
    for _ in range(2):
        page = client.get(LIST, {"status": "whenever"})
        assert page.status_code == 400 and "There is a problem" in page.content.decode()
    # Nothing kept for it (its choices were, by the first request; an invalid filter reads no rows).
    assert redis_server.keys() == kept


def test_healthz_answers_503_when_the_database_does_not(tmp_path):
    from tests.cache_outage.conftest import _free_port

    script = (
        "import django; django.setup(); from django.test.utils import setup_test_environment; setup_test_environment();"
        "from django.test import Client; r = Client().get('/healthz'); print(r.status_code); print(r.content.decode(), end='')"
    )
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "tracker.settings.test", "TRACKER_VAR_DIR": str(tmp_path),
           "DATABASE_URL": f"postgres://tracker@127.0.0.1:{_free_port()}/tracker"}
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["503", "unavailable", "database: unavailable", "cache: ok"]
