"""Search as an officer types it: "quoted phrases", or, -exclusions; over recommendations and
their replies, commitments and consultation asks; a box in every page's header. The same results
on PostgreSQL (websearch_to_tsquery) and SQLite (search.parse_query)."""

import datetime
import zoneinfo

import pytest
import time_machine

from pages.search import ParsedQuery, parse_query
from responses.models import Ask, Consultation, Submission
from tests.factories import CommitmentFactory, DocumentFactory, RecommendationFactory, ReportFactory, ResponseFactory

D = datetime.date


@pytest.mark.parametrize(
    "text, required, excluded",
    [
        ('"domestic abuse"', [["domestic abuse"]], []),
        ("refuge or shelter", [["refuge", "shelter"]], []),
        ('"domestic abuse" refuge or shelter -police', [["domestic abuse"], ["refuge", "shelter"]], ["police"]),
        ('-"stop and search" knife', [["knife"]], ["stop and search"]),
        ("or refuge", [["or"], ["refuge"]], []),  # a leading "or" is a word
        ('"unclosed phrase', [["unclosed phrase"]], []),
        ('""  -', [["-"]], []),
    ],
)
def test_queries_read_as_web_search(text, required, excluded):
    assert parse_query(text) == ParsedQuery(required=required, excluded=excluded)


@pytest.fixture
def today():
    with time_machine.travel(datetime.datetime(2022, 9, 1, 12, tzinfo=zoneinfo.ZoneInfo("Europe/London")), tick=False):
        yield D(2022, 9, 1)


@pytest.fixture
def records(db, today):
    report = ReportFactory(slug="vawg", title="Violence against women and girls")
    abuse = RecommendationFactory(report=report, number=1, text="MOPAC should fund domestic abuse refuges across London.")
    words_apart = RecommendationFactory(report=report, number=2, text="Abuse that is domestic in setting needs a shelter.")
    police = RecommendationFactory(report=report, number=3, text="The police should record domestic abuse consistently.")
    reply = ResponseFactory(recommendation=words_apart, text="MOPAC will commission more shelter places for survivors.")
    CommitmentFactory(response=reply, text="MOPAC will open two new refuges for survivors of domestic abuse.", due_text="by 2023")
    consultation = Consultation.objects.create(slug="plan", title="Police and Crime Plan consultation")
    document = DocumentFactory(kind="consultation_compilation", title="Responses")
    submission = Submission.objects.create(
        consultation=consultation, document=document, respondent_kind="charity", label="Women's Aid", text="Fund refuges.", start_line=1, end_line=3
    )
    Ask.objects.create(submission=submission, number=1, text="Guarantee funding for domestic abuse refuges.", line=2)
    return {"abuse": abuse, "words_apart": words_apart, "police": police}


def _found(client, query):
    page = client.get("/search/", {"q": query})
    assert page.status_code == 200
    return {group.kind: group.rows for group in page.context["groups"]}, page.content.decode()


def test_a_quoted_phrase_finds_the_phrase_not_the_words_apart(client, records, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # one query per kind
        groups, html = _found(client, '"domestic abuse"')
    assert {rec.pk for rec in groups["recommendations"]} == {records["abuse"].pk, records["police"].pk}
    assert [commitment.text for commitment in groups["commitments"]] == ["MOPAC will open two new refuges for survivors of domestic abuse."]
    assert [ask.text for ask in groups["asks"]] == ["Guarantee funding for domestic abuse refuges."]
    assert "Consultation asks" in html and "Commitments" in html and "Women&#x27;s Aid" in html


def test_or_and_exclusion(client, records):
    groups, _ = _found(client, "refuges or shelter -police")
    assert {rec.pk for rec in groups["recommendations"]} == {records["abuse"].pk, records["words_apart"].pk}
    groups, _ = _found(client, '"domestic abuse" -police')
    assert [rec.pk for rec in groups["recommendations"]] == [records["abuse"].pk]


def test_a_recommendation_is_found_by_its_replys_words(client, records):
    groups, _ = _found(client, '"shelter places"')
    assert [rec.pk for rec in groups["recommendations"]] == [records["words_apart"].pk]
    assert [reply.recommendation_id for reply in groups["replies"]] == [records["words_apart"].pk]


def test_the_list_filter_takes_the_same_syntax(client, records):
    page = client.get("/recommendations/", {"q": '"domestic abuse" -police'})
    assert [rec.pk for rec in page.context["object_list"]] == [records["abuse"].pk]


def test_nothing_found_says_so_and_a_huge_query_is_a_clear_400(client, records):
    _, html = _found(client, '"no such phrase anywhere"')
    assert "Nothing matches" in html
    page = client.get("/search/", {"q": "x" * 201})
    assert page.status_code == 400 and "at most 200 characters" in page.content.decode()


def test_every_page_has_the_search_box_in_its_header(client, records):
    for url in ("/", "/recommendations/", "/reports/", "/commitments/", "/consultations/", "/search/"):
        html = client.get(url).content.decode()
        header = html[html.index("<header") : html.index("</header>")]
        assert 'role="search"' in header and 'action="/search/"' in header and 'name="q"' in header, url


def test_many_matches_show_the_first_twenty_in_the_same_queries_and_link_to_all(client, records, django_assert_max_num_queries):
    report = ReportFactory(slug="many", title="Many")
    for number in range(1, 31):
        rec = RecommendationFactory(report=report, number=number, text=f"Fund domestic abuse services, part {number}.")
        CommitmentFactory(response__recommendation=rec, text=f"We will fund domestic abuse services, part {number}.")
    with django_assert_max_num_queries(4):
        groups, html = _found(client, '"domestic abuse"')
    assert len(groups["recommendations"]) == 20 and len(groups["commitments"]) == 20
    assert "first 20 shown" in html
    assert 'href="/recommendations/?q=%22domestic+abuse%22"' in html
