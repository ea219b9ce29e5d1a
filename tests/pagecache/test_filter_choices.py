"""The lists' filter choices (reports, bodies addressed, chapters) are kept between requests under a
version of their own: an editor's reply leaves them kept, so the next visitor's list reads its rows
but not its several hundred choices; any write to a report, recommendation, body or addressee link
(and any bulk write) shows in the selects on the very next page, even inside one transaction."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pages.filters import RecommendationFilter
from recommendations.models import Recommendation
from responses import filters as commitment_filters
from responses.services import response_record
from tests.factories import OrganisationFactory, RecommendationFactory, ReportFactory
from tracker import pagecache

pytestmark = pytest.mark.django_db
D = datetime.date
LIST = "/recommendations/"


@pytest.fixture
def world(settings):
    settings.PAGE_CACHE_SECONDS = 0  # every page worked out afresh: only the choices are kept
    OrganisationFactory(name="Mayor of London", short_name="Mayor", slug="mayor-of-london")
    met = OrganisationFactory(name="Metropolitan Police Service", short_name="Met", slug="met")
    report = ReportFactory(slug="stop-and-search", title="Stop and search", published=D(2022, 3, 1))
    first = RecommendationFactory(report=report, number=1, chapter="Stops", text="The Met should record every stop.")
    first.addressees.add(met)
    second = RecommendationFactory(report=report, number=2, chapter="Searches", text="The Met should publish its search data.")
    second.addressees.add(met)
    editor = get_user_model().objects.create_user("editor", password="a long enough password", is_superuser=True, is_staff=True)
    return {"report": report, "met": met, "first": first, "second": second, "editor": editor}


def _options(html: str, name: str) -> list[str]:
    """The labels a select offers, as a visitor sees them."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def _choice_reads(queries) -> list[str]:
    """The page's queries that read a filter's choices: reports for the select, the chapters, the bodies."""
    sql = [query["sql"] for query in queries]
    return [q for q in sql if "WITH RECURSIVE chapters" in q or ('"recommendations_organisation"' in q and "EXISTS" in q)
            or (q.lstrip().startswith('SELECT "recommendations_report"."slug"'))]


def _list(client):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(LIST)
    assert page.status_code == 200
    return page.content.decode(), queries


def test_a_reply_leaves_the_choices_kept_and_the_rows_are_still_worked_out_afresh(client, world):
    first_html, first_queries = _list(client)
    assert _choice_reads(first_queries), "the first list reads the choices"
    response_record(recommendation=world["first"], text="The Met will record every stop from April.", date_received=D(2022, 9, 1),
                    letter_title="Mayor's reply on stop and search", letter_date=D(2022, 9, 1), user=world["editor"])
    html, queries = _list(client)
    assert _choice_reads(queries) == []
    assert "No reply yet" in first_html and html.count("No reply yet") == first_html.count("No reply yet") - 1  # the reply shows
    for name in ("report", "addressee", "chapter"):
        assert _options(html, name) == _options(first_html, name)


@pytest.mark.parametrize(
    ("write", "select", "shown"),
    [
        (lambda w: _save(w["report"], title="Stop and search in London"), "report", "Stop and search in London"),
        (lambda w: _save(w["first"], chapter="Stops and their records"), "chapter", "Stops and their records"),
        (lambda w: _save(w["met"], short_name="MPS"), "addressee", "MPS"),
        (lambda w: w["second"].addressees.add(OrganisationFactory(name="British Transport Police", short_name="BTP")), "addressee", "BTP"),
        (lambda w: RecommendationFactory(report=ReportFactory(title="Custody", published=D(2022, 5, 1)), number=1), "report", "Custody"),
    ],
    ids=["report title", "chapter", "body's name", "addressee link", "new report"],
)
def test_a_write_to_what_the_choices_are_read_from_shows_on_the_next_page(client, world, write, select, shown):
    assert shown not in _options(_list(client)[0], select)
    write(world)
    assert shown in _options(_list(client)[0], select)


def _save(instance, **changes):
    for field, value in changes.items():
        setattr(instance, field, value)
    instance.save()


def test_inside_one_transaction_a_report_written_after_a_reply_shows_at_once(client, world):
    """The test's transaction never commits: the versions are replaced at once, each on its own
    (a reply had already replaced the data version when the report was written)."""
    _list(client)
    response_record(recommendation=world["first"], text="The Met will record every stop.", date_received=D(2022, 9, 1),
                    letter_title="Mayor's reply", letter_date=D(2022, 9, 1), user=world["editor"])
    _save(world["report"], title="Stop and search, revised")
    assert "Stop and search, revised" in _options(_list(client)[0], "report")


def test_a_bulk_write_throws_the_choices_away(client, world):
    _list(client)
    Recommendation.objects.filter(pk=world["first"].pk).update(chapter="Renamed without signals")
    pagecache.data_changed()  # what every bulk writer calls
    assert "Renamed without signals" in _options(_list(client)[0], "chapter")


def test_with_the_choices_cache_off_every_page_reads_them(client, world, settings):
    settings.FILTER_CHOICES_CACHE_SECONDS = 0
    _list(client)
    assert _choice_reads(_list(client)[1])


def test_each_request_offers_its_own_chosen_report_though_the_form_class_is_shared(world, monkeypatch):
    """An older report outside the latest ones is added to that request's choices only."""
    older = [ReportFactory(slug=f"old-{n}", title=f"Old report {n}", published=D(2001, 1, 1 + n)) for n in range(2)]
    monkeypatch.setattr(commitment_filters, "REPORT_SELECT_LIMIT", 1)
    forms = [RecommendationFilter({"report": report.slug}, queryset=Recommendation.objects.all()).form for report in older]
    offered = [[value for value, _ in form.fields["report"].choices] for form in forms]
    assert type(forms[0]) is type(forms[1])
    assert "old-0" in offered[0] and "old-1" not in offered[0]
    assert "old-1" in offered[1] and "old-0" not in offered[1]
    assert all(form.is_valid() for form in forms)
