"""Fixtures for the staff editing tests: a user for every role, signed in through real sessions,
and a small report with a recommendation, a reply and a commitment to act on."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from recommendations.models import Document
from tests.factories import CommitmentFactory, DocumentFactory, RecommendationFactory, ReportFactory, ResponseFactory

ROLES = ["anonymous", "no role", "officer", "editor", "superuser"]
PASSWORD = "a-long-test-passphrase-41"  # noqa: S105 (test users only)


@pytest.fixture
def users(django_user_model):
    """One user per signed-in role (``None`` for anonymous)."""
    def user(username, group=None, **extra):
        person = django_user_model.objects.create_user(username=username, password=PASSWORD, first_name=username.title(), **extra)
        if group:
            person.groups.add(Group.objects.get(name=group))
        return person

    return {
        "anonymous": None,
        "no role": user("reader"),
        "officer": user("olive", "Scrutiny officers"),
        "editor": user("eddie", "Editors"),
        "superuser": django_user_model.objects.create_superuser(username="root", password=PASSWORD, email="root@example.org"),
    }


@pytest.fixture
def client_for(users):
    """A test client signed in as ``role`` (a fresh one per call)."""
    def make(role: str, **kwargs) -> Client:
        client = Client(**kwargs)
        if users[role] is not None:
            client.force_login(users[role])
        return client

    return make


@pytest.fixture
def world(db):
    """A report published 22 March 2022 with recommendation 3 (deadline 31 May 2022), its reply in
    a letter of 18 August 2022 and one commitment in that reply."""
    report = ReportFactory(title="Violence Against Women and Girls", slug="vawg", published=datetime.date(2022, 3, 22))
    recommendation = RecommendationFactory(
        report=report, number=3, text="MOPAC should publish its review.", deadline=datetime.date(2022, 5, 31),
        deadline_text="by May 2022", deadline_precision="month",
    )
    other = RecommendationFactory(report=report, number=4, text="The Met should train every officer.")
    letter = DocumentFactory(kind=Document.Kind.RESPONSE_LETTER, title="Mayor's response to VAWG", reference="MGLA180822-1", report=report)
    response = ResponseFactory(recommendation=recommendation, letter=letter, text="MOPAC accepts this.", date_received=datetime.date(2022, 8, 18))
    commitment = CommitmentFactory(response=response, text="The review will be published later this year.")
    return {
        "report": report,
        "recommendation": recommendation,
        "other": other,
        "letter": letter,
        "response": response,
        "commitment": commitment,
    }
