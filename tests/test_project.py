"""The project as a newcomer meets it: settings from the environment, the database CI asked for,
the run command's first admin account and seed loading, the admin, and the compose file."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from tests.factories import CommitmentFactory, RecommendationFactory, ResponseFactory

ROOT = Path(__file__).resolve().parents[1]


def _settings_in_subprocess(module: str, code: str, **env: str) -> subprocess.CompletedProcess:
    """Import a settings module in a clean process with only the given environment."""
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": module, **env}
    script = f"import django; django.setup(); from django.conf import settings; {code}"
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=clean, capture_output=True, text=True)


@pytest.mark.django_db
def test_the_database_is_the_one_database_url_names():
    url = os.environ.get("DATABASE_URL", "")
    with connection.cursor() as cursor:
        if url.startswith(("postgres://", "postgresql://")):
            assert connection.vendor == "postgresql"
            cursor.execute("SELECT version()")
            assert "PostgreSQL" in cursor.fetchone()[0]
        else:
            assert connection.vendor == "sqlite"


def test_local_defaults_need_no_servers(tmp_path):
    result = _settings_in_subprocess(
        "tracker.settings.local",
        "print(settings.DATABASES['default']['ENGINE']); print(settings.CELERY_BROKER_URL); "
        "print(settings.EMAIL_BACKEND); print(settings.EMAIL_FILE_PATH); print(settings.TIME_ZONE); "
        "print(settings.CACHES['default']['BACKEND']); print(settings.CACHES['default']['LOCATION'])",
        TRACKER_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    engine, broker, email, mail_path, tz, cache, cache_path = result.stdout.split()
    # Kept pages live in files every local process shares (the web server and the Celery worker).
    assert (cache, cache_path) == ("django.core.cache.backends.filebased.FileBasedCache", str(tmp_path / "cache"))
    assert engine == "django.db.backends.sqlite3"
    assert broker == "filesystem://"
    assert email == "django.core.mail.backends.filebased.EmailBackend"
    assert mail_path == str(tmp_path / "mail")
    assert tz == "Europe/London"
    assert (tmp_path / "secret_key").exists(), "a local secret key is generated, never committed"


def test_environment_switches_to_postgres_and_redis(tmp_path):
    result = _settings_in_subprocess(
        "tracker.settings.local",
        "print(settings.DATABASES['default']['ENGINE']); print(settings.CELERY_BROKER_URL); "
        "print(settings.CACHES['default']['BACKEND']); print(settings.CACHES['default']['LOCATION'])",
        TRACKER_VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://u:p@db.example:5432/tracker",
        CELERY_BROKER_URL="redis://cache.example:6379/0",
        CACHE_URL="rediscache://cache.example:6379/1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql", "redis://cache.example:6379/0",
        "django.core.cache.backends.redis.RedisCache", "redis://cache.example:6379/1",
    ]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _settings_in_subprocess("tracker.settings.production", "print('started')", TRACKER_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    started = _settings_in_subprocess(
        "tracker.settings.production", "print(settings.DEBUG)", TRACKER_VAR_DIR=str(tmp_path), SECRET_KEY="x" * 50
    )
    assert started.stdout.strip() == "False"


@pytest.mark.django_db
def test_first_admin_password_is_generated_and_printed_once(capsys):
    call_command("ensure_admin")
    first = capsys.readouterr().out
    password = next(line.split(":", 1)[1].strip() for line in first.splitlines() if "password:" in line)
    assert len(password) >= 20
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)
    call_command("ensure_admin")
    second = capsys.readouterr().out
    assert password not in second and "already exists" in second
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_load_seed_data_never_overwrites_existing_data(capsys):
    response = ResponseFactory(assessment="accepted")
    call_command("load_seed_data")
    assert "already loaded" in capsys.readouterr().out
    response.refresh_from_db()
    assert response.assessment == "accepted"


@pytest.mark.django_db
def test_home_page_and_admin_answer(client, admin_client):
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get("/admin/login/").status_code == 200
    assert client.get("/healthz").content.decode().splitlines() == ["ok", "database: ok", "cache: ok"]
    assert client.get("/livez").content.decode() == "ok\n"
    assert admin_client.get("/admin/").status_code == 200


def test_the_liveness_check_asks_nothing_of_the_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/livez").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", ["organisation", "document", "report", "recommendation", "response", "commitment", "consultation", "submission"]
)
def test_every_model_has_a_working_admin(admin_client, model):
    CommitmentFactory()  # a response, recommendation, report, committee and letter too
    app = "recommendations" if model in {"organisation", "document", "report", "recommendation"} else "responses"
    assert admin_client.get(f"/admin/{app}/{model}/").status_code == 200
    assert admin_client.get(f"/admin/{app}/{model}/add/").status_code == 200


@pytest.mark.django_db
def test_admin_search_and_filters_work(admin_client):
    rec = RecommendationFactory(text="MOPAC should review Operation Encompass.")
    page = admin_client.get("/admin/recommendations/recommendation/", {"q": "Encompass", "report__id__exact": rec.report_id})
    assert page.status_code == 200
    assert [r.pk for r in page.context["cl"].result_list] == [rec.pk]
    assert admin_client.get("/admin/recommendations/recommendation/", {"q": "nothing-like-it"}).context["cl"].result_count == 0


@pytest.mark.django_db
def test_editing_in_the_admin_protects_the_record_from_reimport(admin_client):
    rec = RecommendationFactory(text="MOPAC should do it.")
    assert not rec.edited_by_admin
    page = admin_client.get(f"/admin/recommendations/recommendation/{rec.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    data.update({"text": "MOPAC should do it, corrected.", "addressees": [], "appearances-TOTAL_FORMS": 0, "appearances-INITIAL_FORMS": 0})
    response = admin_client.post(f"/admin/recommendations/recommendation/{rec.pk}/change/", data)
    assert response.status_code == 302, response.content
    rec.refresh_from_db()
    assert rec.text == "MOPAC should do it, corrected." and rec.edited_by_admin


def test_compose_file_runs_web_worker_beat_on_one_image_with_postgres_redis_and_mail():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "mailcatcher"} <= set(services)
    images = {services[name]["image"] for name in ("web", "worker", "beat")}
    assert len(images) == 1, "web, worker and beat must share one image"
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:" in env["DATABASE_URL"]
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:")
        assert env["EMAIL_HOST"] == "mailcatcher"
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"] and "beat" in services["beat"]["command"]
