"""Issue 16: entering a reply (or a missing reply) by hand stays quick however many recommendations
and letters there are: the selects list a bounded few, and ANY recommendation can still be chosen
(by its report, by its id or page address, or by the pk the form always accepted)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations.models import Document, Recommendation
from responses.editing_choices import RECENT_LETTERS, RECENT_RECOMMENDATIONS
from responses.models import Commitment, Response

pytestmark = pytest.mark.django_db

NEW = "/manage/replies/new/"
MISSING = "/manage/replies/missing/"


def _date(prefix: str, day: int, month: int, year: int) -> dict:
    return {f"{prefix}_day": str(day), f"{prefix}_month": str(month), f"{prefix}_year": str(year)}


def _options(html: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select[^>]* name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def _oldest(rec_number: int = 1) -> Recommendation:
    return Recommendation.objects.get(report__slug="old-0000", number=rec_number)


def test_the_selects_list_a_bounded_few_and_the_queries_do_not_grow_with_the_data(client_for, world, many_reports):
    editor = client_for("editor")
    many_reports(40)
    with CaptureQueriesContext(connection) as small:
        page = editor.get(NEW).content.decode()
    many_reports(120, start=40)
    with CaptureQueriesContext(connection) as large:
        page = editor.get(NEW).content.decode()
    assert len(large) == len(small)
    recommendations, letters = _options(page, "recommendation"), _options(page, "letter")
    assert len(recommendations) <= RECENT_RECOMMENDATIONS + 1 and len(letters) <= 2 * RECENT_LETTERS + 1
    assert recommendations[1][1] == "Violence Against Women and Girls: recommendation 3", "the newest report's come first"
    assert ("", "Choose a recommendation") == recommendations[0]
    assert "Old report 0000" not in page


def test_a_recommendation_page_link_lists_its_report_and_selects_it(client_for, world, many_reports):
    many_reports(120)
    old = _oldest(2)
    page = client_for("editor").get(f"{NEW}?recommendation={old.pk}").content.decode()
    assert f'<option value="{old.pk}" selected>Old report 0000: recommendation 2</option>' in page
    assert any(label.startswith("Letter on Old report 0000") for _, label in _options(page, "letter")), "its report's letter is listed"


def test_finding_an_old_report_lists_its_recommendations(client_for, world, many_reports):
    many_reports(120)
    editor = client_for("editor")
    found = editor.get(NEW, {"find": "report 0000"}).content.decode()
    assert 'href="?report=old-0000">Old report 0000</a>' in found
    listed = editor.get(NEW, {"report": "old-0000"}).content.decode()
    assert "Listing the recommendations of “Old report 0000”." in listed
    labels = [label for _, label in _options(listed, "recommendation")]
    assert labels[1:3] == ["Old report 0000: recommendation 1", "Old report 0000: recommendation 2"]
    nothing = editor.get(NEW, {"find": "no such words"}).content.decode()
    assert "No report's title has all of “no such words”" in nothing


@pytest.mark.parametrize("how", ["pk", "id", "address", "full address"])
def test_a_reply_to_an_old_recommendation_is_recorded_however_it_is_named(client_for, world, many_reports, how):
    many_reports(120)
    old = _oldest()
    named = {
        "pk": {"recommendation": old.pk},
        "id": {"recommendation_ref": "old-0000/1"},
        "address": {"recommendation_ref": old.get_absolute_url()},
        "full address": {"recommendation_ref": f"https://tracker.example.org{old.get_absolute_url()}?from=list"},
    }[how]
    letter = Document.objects.get(reference="OLD-old-0000")
    response = client_for("editor").post(NEW, {**named, "text": "The Mayor agrees.", **_date("date_received", 2, 3, 2015), "letter": letter.pk})
    assert response.status_code == 302 and response["Location"] == old.get_absolute_url() + "#reply"
    assert Response.objects.get(recommendation=old).letter == letter


def test_an_unknown_id_is_refused_clearly_and_nothing_is_saved(client_for, world):
    response = client_for("editor").post(
        NEW, {"recommendation_ref": "vawg/99", "text": "Kept.", **_date("date_received", 5, 9, 2022), "letter": world["letter"].pk}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "No recommendation has the id or address “vawg/99”" in page
    assert ">Kept.</textarea>" in page and 'value="vawg/99"' in page
    assert Response.objects.count() == 1


def test_choosing_one_and_naming_another_is_refused(client_for, world):
    response = client_for("editor").post(
        NEW,
        {
            "recommendation": world["recommendation"].pk,
            "recommendation_ref": "vawg/4",
            "text": "Yes.",
            **_date("date_received", 5, 9, 2022),
            "letter_reference": "MGLA-NEW",
        },
    )
    assert response.status_code == 400
    assert "You chose one recommendation from the list and named another here: keep just one." in response.content.decode()
    assert not Response.objects.filter(recommendation=world["other"]).exists()


def test_an_old_letters_reference_typed_as_new_puts_it_in_the_list_to_choose(client_for, world, many_reports):
    many_reports(120)
    response = client_for("editor").post(
        NEW, {"recommendation": world["other"].pk, "text": "Yes.", **_date("date_received", 5, 9, 2022), "letter_reference": "OLD-old-0000"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "A letter with reference OLD-old-0000 is already in the tracker" in page
    letter = Document.objects.get(reference="OLD-old-0000")
    assert (str(letter.pk), "Letter on Old report 0000 (OLD-old-0000, 2 March 2015)") in _options(page, "letter")


def test_a_missing_reply_to_an_old_recommendation_is_recorded_by_its_id(client_for, world, many_reports):
    many_reports(120)
    response = client_for("editor").post(
        MISSING,
        {"recommendation_ref": "old-0000/2", **_date("due_date", 1, 6, 2015), "letter": Document.objects.get(reference="OLD-old-0000").pk},
    )
    assert response.status_code == 302 and response["Location"] == reverse("commitment-list")
    assert Commitment.objects.get(recommendation=_oldest(2)).due_date == datetime.date(2015, 6, 1)


@pytest.mark.parametrize(
    "typed",
    ["vawg/²", "vawg/\u0661", "vawg/99999999999999999999", "/recommendations/99999999999999999999/", "no such slug/1"],
)
def test_an_id_or_address_no_recommendation_can_have_is_refused_clearly(client_for, world, typed):
    response = client_for("editor").post(
        NEW, {"recommendation_ref": typed, "text": "Kept.", **_date("date_received", 5, 9, 2022), "letter": world["letter"].pk}
    )
    assert response.status_code == 400
    assert f"No recommendation has the id or address “{typed}”" in response.content.decode()
    assert Response.objects.count() == 1
