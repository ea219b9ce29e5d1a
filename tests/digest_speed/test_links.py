"""The digest's lines link to the recommendation's (or the reply letter's) page, as the pages
themselves name it, whatever the site's address."""

from __future__ import annotations

import datetime

import pytest

from recommendations.models import DatePrecision
from responses.digest import absolute_url, digest_content
from tests.factories import CommitmentFactory, DocumentFactory, RecommendationFactory, ReportFactory, ResponseFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def _lines(content) -> list:
    return [item for group in content.groups for section in group.uncut for key in ("newly_overdue", "due_soon") for item in getattr(section, key)]


@pytest.mark.parametrize("site", ["https://tracker.example.org", "https://example.org/tracker/"])
def test_each_line_links_to_the_page_of_what_it_is_about(actors, settings, site):
    settings.SITE_URL = site
    rec = RecommendationFactory(
        report=ReportFactory(published=None),
        number=7,
        text="MOPAC should act.",
        deadline="2026-11-20",
        deadline_text="by then",
        deadline_precision=DatePrecision.DAY,
    )
    rec.addressees.set([actors["MOPAC"]])
    answered = RecommendationFactory(report=rec.report, number=8, text="Answered.")
    promised = CommitmentFactory(
        response=ResponseFactory(recommendation=answered),
        recommendation=answered,
        owner=actors["Met"],
        text="We will do it.",
        due_date=datetime.date(2026, 11, 25),
    )
    letter = DocumentFactory()
    unlinked = CommitmentFactory(
        response=None, recommendation=None, document=letter, owner=actors["Met"], text="We will also.", due_date=datetime.date(2026, 11, 26)
    )

    lines = {item.text: item.url for item in _lines(digest_content(today=TODAY))}

    assert lines["MOPAC should act."] == absolute_url(rec.get_absolute_url())
    assert lines["We will do it."] == absolute_url(promised.response.recommendation.get_absolute_url())
    assert lines["We will also."] == absolute_url(unlinked.document.get_absolute_url()) and unlinked.document == letter
