"""The list's page of rows is read by three fixed queries (pages/list_reads.py), not querysets
compiled on every request: they read the same rows as the querysets they replaced, addressees in
the organisations' order and replies received by the day asked for, oldest first."""

import datetime

import pytest

from pages import list_reads
from recommendations.models import Organisation, Recommendation
from responses.models import Response
from tests.factories import OrganisationFactory, RecommendationFactory, ReportFactory, ResponseFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def page():
    undated = ReportFactory(published=None, title="Undated & <b>")
    dated = ReportFactory(published=D(2021, 3, 31))
    names = [OrganisationFactory(name="Zebra Trust", short_name=""), OrganisationFactory(name="Alpha", short_name="Z"), OrganisationFactory(name="Beta")]
    recs = [
        RecommendationFactory(report=undated if n % 2 else dated, number=n, deadline=D(2022, 1, n) if n % 3 else None, chapter=f"C{n}") for n in range(1, 7)
    ]
    for n, rec in enumerate(recs):
        rec.addressees.add(*names[: n % 4])
        for k in range(n % 3):
            ResponseFactory(recommendation=rec, date_received=D(2022, 6, 1) + datetime.timedelta(days=10 * k - n))
    RecommendationFactory()  # not on the page
    return [rec.pk for rec in recs]


def test_the_fixed_queries_read_what_the_querysets_read(page):
    today = D(2022, 6, 6)  # a reply came that very day (recommendation 5)
    fields = [f if f != "id" else "pk" for f in list_reads.ROW_FIELDS] + [f"report__{f}" for f in list_reads.REPORT_FIELDS]
    assert sorted(list_reads.rows(page)) == sorted(Recommendation.objects.filter(pk__in=page).values_list(*fields))
    addressed = (
        Recommendation.addressees.through.objects.filter(recommendation_id__in=page)
        .order_by(*(f"organisation__{name}" for name in Organisation._meta.ordering), "organisation_id")
        .values_list("recommendation_id", "organisation__short_name", "organisation__name")
    )
    assert list_reads.addressee_names(page) == list(addressed)
    replies = (
        Response.objects.filter(recommendation_id__in=page, date_received__lte=today)
        .order_by("date_received", "pk")
        .values_list("recommendation_id", *list_reads.REPLY_FIELDS)
    )
    assert list_reads.replies_by(page, today) == list(replies) and len(replies) < Response.objects.count()
    assert isinstance(list_reads.replies_by(page, today)[0][1], datetime.date)  # a date on every database
    assert list_reads.rows([]) == list_reads.addressee_names([]) == list_reads.replies_by([], today) == []
