"""Restated recommendations in replies, and pages about recommendations that are not replies.

The documents in a3_layouts/ were written for these tests after real layouts: a government progress
report page that restates an inquiry's recommendations in the subjunctive ("4: That the Department
... establish [a national ... academy] immediately", an editor's insertion in square brackets) before
"What we committed to doing"; a fire service's news page answering a review by topic subheadings
("The Review's one recommendation for NFRS ...", "Two recommendations are directed at the fire
inspectorate ..."); an inquiry's page on how it follows up its recommendations ("The Chair expects
that all accepted recommendations are acted upon"), which states nobody's position; and a council's
reply accepting all of a review's recommendations at once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from importer.accuracy import items_of
from importer.parsing import families
from importer.parsing.addressees import actors_of, restated_addressees
from importer.parsing.replies import extract_replies
from importer.services import document_import
from recommendations.models import Recommendation
from tests.factories import RecommendationFactory, ReportFactory

DOCS = Path(__file__).parent / "a3_layouts"


def _text(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


# --- who a restated recommendation is for ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "addressees"),
    [
        ("That the Department for Transport establish a national academy with sufficient resources.", ["Department for Transport"]),
        ("That [the academy board] should publish a yearly account of its work.", ["academy board"]),
        ("That the Authority notes the report.", ["Authority"]),
        ("The Ministry of Justice[3] should publish the figures.", ["Ministry of Justice"]),  # a footnote marker is no part of a name
        ("Fire and rescue services should review their training.", ["Fire and rescue services"]),
        ("That it be noted that the plan is to be published on the internet.", []),  # passive: nobody named
        ("That is why the review returns to training in chapter 4.", []),  # prose, not a resolution
    ],
)
def test_a_subjunctive_that_clause_names_its_subject_as_the_addressee(text, addressees):
    assert actors_of(text) == addressees


def test_a_restatement_naming_a_known_body_keeps_its_known_name_and_otherwise_any_body_is_named():
    assert restated_addressees("MOPAC must work with the Met to prioritise action on data.") == ["MOPAC", "Met"]  # as always
    assert restated_addressees("Two recommendations are directed at the fire inspectorate and suggest it should inspect again.") == ["fire inspectorate"]


def test_restatements_in_a_progress_report_carry_their_addressees_and_timing_words():
    family, parsed = families.read(_text("progress_report_restated.txt"))
    assert family.name == "reply_document"
    first, second = items_of(parsed)
    assert (first.number, first.addressees, first.deadline_text) == (4, ["Department for Transport"], "immediately")
    assert (second.number, second.addressees, second.deadline_text) == (5, ["academy board"], "")


def test_topic_replies_name_the_body_each_restated_recommendation_is_for():
    family, parsed = families.read(_text("brigade_topic_response.txt"))
    assert family.name == "reply_document"
    assert [(item.addressees, item.text.split()[0]) for item in items_of(parsed)] == [(["NFRS"], "The"), (["fire inspectorate"], "Two")]


@pytest.mark.django_db
def test_the_saver_records_a_restated_recommendations_addressees_and_timing_words():
    report = ReportFactory(title="Coastal rescue review")
    for number in (4, 5):
        RecommendationFactory(report=report, number=number, text=f"Recommendation {number} as the review made it.")
    result = document_import(data=_text("progress_report_restated.txt").encode(), source_name="progress.txt", report_slug=report.slug, commit=True)
    assert result.matched == 2
    fourth, fifth = Recommendation.objects.filter(report=report).order_by("number")
    assert [org.name for org in fourth.addressees.all()] == ["Department for Transport"]
    assert fourth.deadline_text == "immediately" and fourth.deadline is None
    assert [org.name for org in fifth.addressees.all()] == ["academy board"]


# --- pages about recommendations are not replies ------------------------------------------------


def test_a_page_about_following_up_accepted_recommendations_is_not_a_reply():
    found = extract_replies(_text("monitoring_page.txt"))
    assert "accepted" not in found.summary_counts  # "all accepted recommendations" describes them
    assert not any(reply.stated_position == "accepted" for reply in found.replies)
    family, parsed = families.read(_text("monitoring_page.txt"))
    assert family.name == "recommendations_document"  # it asks bodies to publish their steps; it answers nobody
    assert any(occurrence.text.startswith("Where no other date is given, each organisation should") for occurrence in parsed.occurrences)


def test_a_respondent_accepting_all_recommendations_is_still_a_reply_to_them_all():
    found = extract_replies(_text("group_acceptance_reply.txt"))
    assert found.summary_counts.get("accepted") == "all"
    group = next(reply for reply in found.replies if reply.covers)
    assert group.stated_position == "accepted" and group.covers.startswith("all the recommendations")
    assert families.read(_text("group_acceptance_reply.txt"))[0].name == "reply_document"
