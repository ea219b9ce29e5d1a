"""Shared fixtures for the import and bulk-update pages: users in each role, the seed letter and the
report page it answers, and helpers to count what is in the database."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from importer.services import document_import
from recommendations.models import Document, PendingImport, Recommendation, RecommendationAppearance, Report
from responses.models import Commitment, Response

SOURCES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"
VAWG_PAGE = SOURCES / "002_7c65ebac806b2e61.txt"
VAWG_LETTER = SOURCES / "001_79a9159c5d07971e.txt"
PASSWORD = "correct horse battery staple 42"


def _user(django_user_model, username: str, group: str | None = None, **extra):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", PASSWORD, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(django_user_model):
    return _user(django_user_model, "edna", "Editors")


@pytest.fixture
def officer(django_user_model):
    return _user(django_user_model, "olu", "Scrutiny officers")


@pytest.fixture
def superuser(django_user_model):
    return _user(django_user_model, "sam", is_superuser=True, is_staff=True)


@pytest.fixture
def stranger(django_user_model):
    """Signed in, but in no role."""
    return _user(django_user_model, "steve")


@pytest.fixture
def vawg_report(db):
    """The VAWG report as its web page gives it (14 recommendations, no replies yet)."""
    result = document_import(data=VAWG_PAGE.read_bytes(), source_name=VAWG_PAGE.name, commit=True)
    return Report.objects.get(slug=result.report_slug)


@pytest.fixture
def vawg_answered(vawg_report):
    """The VAWG report and the Mayor's letter answering it (14 replies)."""
    document_import(data=VAWG_LETTER.read_bytes(), source_name=VAWG_LETTER.name, commit=True)
    return vawg_report


def database_counts() -> dict[str, int]:
    """How many rows of everything an import writes (and their history)."""
    counts = {
        model.__name__: model.objects.count()
        for model in (Report, Recommendation, RecommendationAppearance, Document, Response, Commitment)
    }
    counts["response history"] = Response.history.count()
    counts["recommendation history"] = Recommendation.history.count()
    return counts


@pytest.fixture
def counts():
    return database_counts


@pytest.fixture
def pending_count():
    return PendingImport.objects.count
