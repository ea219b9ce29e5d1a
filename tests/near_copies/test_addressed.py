"""One rule for "addressed to this body": the What changed page's addressee select and filter, and
the digest's bodies, agree on which bodies recommendations are addressed to and which changes are
theirs."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import CommitmentFactory, OrganisationFactory, RecommendationFactory, ResponseFactory

from .conftest import options

pytestmark = pytest.mark.django_db


@pytest.fixture
def bodies():
    """Two bodies addressed (one by two recommendations), one owning a commitment only, one neither."""
    home = OrganisationFactory(name="Home Office", short_name="HO", slug="home-office")
    met = OrganisationFactory(name="A Met unit", short_name="MU", slug="met-unit")
    owner, nobody = OrganisationFactory(name="Probation", slug="probation"), OrganisationFactory(name="Nobody", slug="nobody")
    first, second, third = RecommendationFactory(), RecommendationFactory(), RecommendationFactory()
    first.addressees.set([home, met])
    second.addressees.set([home])
    CommitmentFactory(owner=owner)
    for number, rec in enumerate((first, second, third)):
        ResponseFactory(recommendation=rec, text=f"Reply {number} text.", date_received=datetime.date(2024, 1, 1 + number))
    return {"home": home, "met": met, "owner": owner, "nobody": nobody}


def test_the_changes_addressee_select_lists_the_bodies_addressed_by_name(client, bodies):
    page = client.get("/changes/").content.decode()
    assert options(page, "addressee") == [("met-unit", "MU"), ("home-office", "HO")]


def test_the_changes_filter_shows_the_changes_of_recommendations_addressed_to_the_body_once(client, bodies):
    home = client.get("/changes/", {"addressee": "home-office"}).content.decode()
    assert [home.count(f"Reply {n} text.") for n in range(3)] == [1, 1, 0]
    met = client.get("/changes/", {"addressee": "met-unit"}).content.decode()
    assert [met.count(f"Reply {n} text.") for n in range(3)] == [1, 0, 0]
    assert client.get("/changes/", {"addressee": "nobody"}).status_code == 400  # not offered, so refused


def test_the_digest_offers_the_bodies_addressed_or_owning_a_commitment(client, bodies):
    page = client.get(reverse("subscribe")).content.decode()
    offered = re.findall(r'<label class="govuk-label govuk-checkboxes__label" for="id_organisations_\d+">(.*?)</label>', page)
    names = {body.short_name for body in bodies.values()}
    assert [name for name in offered if name in names] == [bodies[key].short_name for key in ("met", "home", "owner")]
