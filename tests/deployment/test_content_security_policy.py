"""The Content-Security-Policy on every page, and no page that needs it relaxed: every HTML page a
visitor, a signed-in editor or a superuser (the admin too) can reach is fetched, including forms
with errors, the import preview and the lockout page, and none has an inline script, a <style>
block, a style attribute or an event handler attribute."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from importer.services import document_import
from tests.manage_import.documents import LETTER, REPORT

from .pages import crawl, inline_code

pytestmark = pytest.mark.django_db

PASSWORD = "quiet-meadow-harbour-93"  # noqa: S105 (test users only)
PUBLIC_START = ["/", "/recommendations/", "/reports/", "/documents/", "/commitments/", "/consultations/", "/api/"]


@pytest.fixture
def seeded(db):
    call_command("import_sources", "--commit", verbosity=0)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("csp-root", "root@example.org", PASSWORD)


def _policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def _problems(pages: dict) -> dict[str, list[str]]:
    return {url: found for url, response in pages.items() if (found := inline_code(response.content.decode()).found)}


def test_the_policy_allows_scripts_and_styles_only_from_the_site(client):
    policy = _policy(client.get("/"))
    for directive in ("script-src", "style-src"):
        assert policy[directive] == ["'self'"], directive
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"] and policy["form-action"] == ["'self'"]


def test_every_public_page_has_the_policy_and_no_inline_code(client, seeded):
    pages = crawl(client, PUBLIC_START)
    assert len(pages) >= 12, sorted(pages)
    for url, response in pages.items():
        policy = _policy(response)
        script_sources = policy.get("script-src", policy.get("default-src"))
        assert "'unsafe-inline'" not in script_sources and "'unsafe-eval'" not in script_sources, url
        assert "'unsafe-inline'" not in policy.get("style-src", policy.get("default-src")), url
    assert not _problems(pages)


def test_error_and_sign_in_pages_have_no_inline_code(client, seeded, superuser):
    pages = {
        "not found": client.get("/recommendations/999999/"),
        "bad filter": client.get("/recommendations/?status=soonish"),
        "sign in": client.get(reverse("login")),
        "sign in failed": client.post(reverse("login"), {"username": "csp-root", "password": "wrong"}),
    }
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = client.post(reverse("login"), {"username": "csp-root", "password": "wrong"})
    pages["locked out"] = locked
    assert locked.status_code == 429
    signed_in = Client()
    signed_in.force_login(superuser)
    pages["password change"] = signed_in.get(reverse("password_change"))
    pages["signed out"] = signed_in.post(reverse("logout"))
    assert [response.status_code for response in pages.values()] == [404, 400, 200, 200, 429, 200, 200]
    for response in pages.values():
        _policy(response)
    assert not _problems(pages)


def test_every_staff_and_admin_page_has_no_inline_code(seeded, superuser):
    client = Client()
    client.force_login(superuser)
    document_import(data=REPORT.encode(), source_name="report.txt", commit=True)
    upload = client.post(reverse("import-start"), {"file": SimpleUploadedFile("letter.txt", LETTER.encode()), "kind": "auto", "report": ""})
    assert upload.status_code == 302
    replies = b"".join(client.get(reverse("bulk-download"), {"report": "violence-against-women-and-girls"}).streaming_content)
    pages = crawl(client, ["/manage/", "/preferences/", upload["Location"], "/admin/"], per_route=1, limit=300)
    pages["bulk preview"] = client.post(reverse("bulk-start"), {"file": SimpleUploadedFile("r.csv", replies, content_type="text/csv")})
    pages["import errors"] = client.post(reverse("import-start"), {"file": SimpleUploadedFile("empty.txt", b""), "kind": "auto"})
    admin_pages = [url for url in pages if str(url).startswith("/admin/")]
    assert len(admin_pages) >= 20 and upload["Location"] in pages, sorted(map(str, pages))
    for response in pages.values():
        _policy(response)
    assert not _problems(pages)
