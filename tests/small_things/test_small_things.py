"""Small things seen on a walk through the site: each as a visitor or officer would notice it."""

import datetime
import io
import logging
import logging.config
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from pages.templatetags.tracker import timedelta_words
from recommendations.models import Document, RecommendationAppearance
from tests.factories import DocumentFactory, RecommendationFactory, ReportFactory, ResponseFactory

pytestmark = pytest.mark.django_db
D = datetime.date
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-test-passphrase-41"  # noqa: S105 (test users only)


@pytest.fixture
def today():
    with time_machine.travel(datetime.datetime(2022, 9, 1, 12, tzinfo=zoneinfo.ZoneInfo("Europe/London")), tick=False):
        yield D(2022, 9, 1)


def _footer(html: str) -> str:
    return html[html.index("<footer") :]


def test_the_footers_admin_link_is_for_staff_only(client, django_user_model):
    assert "/admin/" not in _footer(client.get("/").content.decode())
    client.force_login(django_user_model.objects.create_user(username="reader", password=PASSWORD))
    assert "/admin/" not in _footer(client.get("/").content.decode())
    client.force_login(django_user_model.objects.create_superuser(username="root", password=PASSWORD, email="r@example.org"))
    assert ">Admin</a>" in _footer(client.get("/").content.decode())


@pytest.mark.parametrize(
    "length, words",
    [
        (datetime.timedelta(hours=1), "1 hour"),
        (datetime.timedelta(minutes=90), "1 hour 30 minutes"),
        (datetime.timedelta(days=2), "2 days"),
        (datetime.timedelta(seconds=20), "1 minute"),
    ],
)
def test_lengths_of_time_in_words(length, words):
    assert timedelta_words(length) == words


def test_the_lockout_page_says_one_hour_and_an_admin_can_unlock(django_user_model):
    django_user_model.objects.create_user(username="eddie", password=PASSWORD)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page = client.post("/accounts/login/", {"username": "eddie", "password": "wrong"})
    assert page.status_code == 429
    html = page.content.decode()
    assert "signing in is locked for 1 hour." in html and "1:00:00" not in html
    readme = (ROOT / "README.md").read_text()
    assert "axes_reset_username" in readme
    call_command("axes_reset_username", "eddie", verbosity=0)
    assert client.post("/accounts/login/", {"username": "eddie", "password": PASSWORD}).status_code == 302


def test_where_it_appears_lists_a_restated_and_answered_line_once(client, today):
    rec = RecommendationFactory(text="MOPAC should set up a forum.")
    letter = DocumentFactory(title="Mayor's response", text="\n".join(f"line {n}" for n in range(1, 100)))
    RecommendationAppearance.objects.create(recommendation=rec, document=letter, section="letter", line=88, text=rec.text, deadline_text="by September 2022")
    ResponseFactory(recommendation=rec, letter=letter, line=88, text="We have mechanisms already.")
    html = client.get(rec.get_absolute_url()).content.decode()
    sources = html[html.index('id="sources"') :]
    sources = sources[: sources.index("</ul>")]
    assert sources.count("<li>") == 1
    assert "Mayor&#x27;s response: response letter and the reply, line 88" in sources


def test_no_short_form_when_it_is_the_text_itself(client, today):
    same = RecommendationFactory(text="Publish the review.", short_text="Publish the review.")
    shorter = RecommendationFactory(text="MOPAC should publish the review of Operation Encompass by May.", short_text="Publish the review.")
    assert "Short form" not in client.get(same.get_absolute_url()).content.decode()
    assert "Short form: “Publish the review.”" in client.get(shorter.get_absolute_url()).content.decode()


def test_dates_read_the_same_way_everywhere(client, today):
    rec = RecommendationFactory(
        report=ReportFactory(slug="r", title="R", published=D(2022, 3, 22)),
        deadline=D(2022, 9, 30),
        deadline_text="by September 2022",
        deadline_precision="month",
    )
    ResponseFactory(recommendation=rec, date_received=D(2022, 8, 18))
    for url in ("/recommendations/", "/reports/r/", rec.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "18 August 2022" in html, url
        assert "18 Aug 2022" not in html and "30 Sep 2022" not in html, url


def test_the_assess_form_shows_every_error_at_once(db):
    officer = Group.objects.get(name="Scrutiny officers").user_set.model.objects.create_user(username="olive", password=PASSWORD)
    officer.groups.add(Group.objects.get(name="Scrutiny officers"))
    response = ResponseFactory(letter=DocumentFactory(kind=Document.Kind.RESPONSE_LETTER))
    client = Client()
    client.force_login(officer)
    page = client.post(
        f"/manage/replies/{response.pk}/assess/", {"assessment": "accepted", "rationale": "", "implementation_status": "implemented", "evidence": ""}
    )
    html = page.content.decode()
    assert page.status_code in (200, 400)
    assert "Give a short rationale for the assessment" in html
    assert "Give the evidence that justifies closing this item." in html


def test_the_first_admin_password_hints_at_sign_in_and_manage_and_comes_after_the_banners(capsys):
    call_command("ensure_admin")
    out = capsys.readouterr().out
    assert "/accounts/login/" in out and "/manage/" in out and "/admin/" not in out
    procfile = (ROOT / "Procfile.dev").read_text()
    admin_line = next(line for line in procfile.splitlines() if "ensure_admin" in line)
    assert admin_line.startswith("admin:") and "sleep" in admin_line.split("ensure_admin")[0]
    makefile = (ROOT / "Makefile").read_text()
    run_target = makefile[makefile.index("\nrun:") :].split("\n\n")[0]
    assert "ensure_admin" not in run_target  # printed by the Procfile's process, after the banners


def test_a_refused_request_logs_one_line_not_a_traceback(django_user_model):
    from tracker.settings import base

    stream = io.StringIO()
    saved = {name: (logging.getLogger(name).handlers[:], logging.getLogger(name).propagate, logging.getLogger(name).level) for name in ("", "django")}
    try:
        logging.config.dictConfig(base.LOGGING)
        for name in ("", "django"):
            for handler in logging.getLogger(name).handlers:
                handler.setStream(stream)
        client = Client(raise_request_exception=False)
        client.force_login(django_user_model.objects.create_user(username="reader", password=PASSWORD))
        assert client.get("/manage/").status_code == 403
    finally:
        for name, (handlers, propagate, level) in saved.items():
            logger = logging.getLogger(name)
            logger.handlers[:] = handlers
            logger.propagate = propagate
            logger.setLevel(level)
    lines = [line for line in stream.getvalue().splitlines() if line.strip()]
    assert len([line for line in lines if "Forbidden" in line]) == 1, lines
    assert not any("Traceback" in line for line in lines), lines
