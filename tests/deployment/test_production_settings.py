"""The production settings as an operator deploys them behind a TLS proxy, each in a clean process
with only the README's environment: `check --deploy` is clean, http is sent to https (except
/healthz), HSTS is sent, and X-Forwarded-Proto is believed only when a proxy is configured."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def documented_env(tmp_path):
    """The README's production environment behind one TLS proxy."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "tracker.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://tracker.example.org",
        "TRUSTED_PROXY_COUNT": "1",
        "TRACKER_VAR_DIR": str(tmp_path),
    }


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "tracker.settings.production", **env}
    return subprocess.run(args, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120)


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    script = f"import django, json; django.setup(); from django.conf import settings; {code}"
    return _run([sys.executable, "-c", script], env)


# Requests through the real middleware stack (no database needed: the answers come before any view).
_REQUESTS = """
from django.test import Client
client = Client(HTTP_HOST="tracker.example.org")
def answer(path, **headers):
    r = client.get(path, **headers)
    return [r.status_code, r.get("Location"), r.get("Strict-Transport-Security")]
print(json.dumps({
    "plain": answer("/recommendations/"),
    "via_proxy_https": answer("/healthz", HTTP_X_FORWARDED_PROTO="https"),
    "healthz_plain": answer("/healthz"),
}))
"""


def test_check_deploy_is_clean_with_the_documented_environment(documented_env):
    result = _run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], documented_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_still_warns_when_https_is_switched_off(documented_env):
    result = _run(
        [sys.executable, "manage.py", "check", "--deploy"],
        {**documented_env, "SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0"},
    )
    assert "security.W008" in result.stderr and "security.W004" in result.stderr


def test_behind_the_proxy_http_is_redirected_and_https_gets_hsts(documented_env):
    result = _python(_REQUESTS, documented_env)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    assert answers["plain"][:2] == [301, "https://tracker.example.org/recommendations/"]
    status, _, hsts = answers["via_proxy_https"]
    assert status == 200 and hsts == "max-age=31536000", "one year, no subdomains, no preload by default"
    assert answers["healthz_plain"][:2] == [200, None], "load balancers check /healthz over http"


def test_hsts_subdomains_and_preload_are_the_operators_choice(documented_env):
    env = {**documented_env, "SECURE_HSTS_SECONDS": "600", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true", "SECURE_HSTS_PRELOAD": "true"}
    answers = json.loads(_python(_REQUESTS, env).stdout)
    assert answers["via_proxy_https"][2] == "max-age=600; includeSubDomains; preload"
    check = _run([sys.executable, "manage.py", "check", "--deploy"], env)
    assert check.returncode == 0 and "no issues (0 silenced)" in check.stdout, check.stdout + check.stderr


def test_without_a_proxy_x_forwarded_proto_is_not_believed(documented_env):
    env = {key: value for key, value in documented_env.items() if key != "TRUSTED_PROXY_COUNT"}
    result = _python("print(json.dumps(settings.SECURE_PROXY_SSL_HEADER))", env)
    assert result.stdout.strip() == "null", result.stderr
    answers = json.loads(_python(_REQUESTS, env).stdout)
    # Anyone can send the header: the request is still plain http, so it is redirected, not served.
    assert answers["via_proxy_https"][:2] == [200, None] and answers["via_proxy_https"][2] is None
    redirected = _python(
        'from django.test import Client; r = Client(HTTP_HOST="tracker.example.org")'
        '.get("/recommendations/", HTTP_X_FORWARDED_PROTO="https"); print(r.status_code, r.get("Location"))',
        env,
    )
    assert redirected.stdout.split() == ["301", "https://tracker.example.org/recommendations/"]


def test_with_a_proxy_the_forwarded_proto_header_is_trusted(documented_env):
    result = _python("print(json.dumps([settings.SECURE_PROXY_SSL_HEADER, settings.TRUSTED_PROXY_COUNT]))", documented_env)
    assert json.loads(result.stdout) == [["HTTP_X_FORWARDED_PROTO", "https"], 1]


@pytest.mark.parametrize("module", ["tracker.settings.local", "tracker.settings.test"])
def test_proxy_headers_are_ignored_by_default_in_every_environment(module, tmp_path):
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": module, "TRACKER_VAR_DIR": str(tmp_path)}
    script = "import django; django.setup(); from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=clean, capture_output=True, text=True)
    assert result.stdout.strip() == "None", result.stderr


def test_a_worker_has_the_pages_loaded_before_its_first_request(documented_env):
    """gunicorn imports tracker.wsgi as each worker starts: the URLconf and the views, forms and
    parsers behind it are loaded then, not while the first visitor after a deploy waits."""
    code = "import sys, tracker.wsgi; print(all(m in sys.modules for m in ('pages.views', 'importer.import_forms', 'followup.views')))"
    done = _run([sys.executable, "-c", code], documented_env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "True"
