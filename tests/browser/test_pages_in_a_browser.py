"""What a scrutiny officer does in a real browser (Debian's Chromium): filter the list, open a
recommendation and see it beside the reply with its status, download the CSV, follow the
dashboard's links; every page passes an axe-core scan and is photographed at desktop and phone
widths (tests/artifacts/)."""

import csv
import re

import pytest

from recommendations.models import Document, Recommendation, Report
from responses.models import Consultation

from .conftest import DESKTOP, PHONE, axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _count(page) -> int:
    return int(re.search(r"(\d+) recommendations?", page.locator("#result-count").inner_text()).group(1))


def test_filter_the_list_and_open_a_recommendation_beside_its_reply(page, seeded):
    page.goto(f"{seeded.url}/recommendations/")
    everything = _count(page)
    page.get_by_label("Addressed to").select_option(label="MOPAC")
    page.get_by_label("Deadline status").select_option(label="Overdue")
    page.get_by_role("button", name="Apply filter").click()
    assert "status=overdue" in page.url and "addressee=mayors-office-for-policing-and-crime" in page.url
    overdue = _count(page)
    assert 0 < overdue < everything
    # The deadline's "Overdue" tag (beside it, where it stands: "Reply overdue").
    assert page.locator("table .govuk-tag", has_text=re.compile(r"^Overdue$")).count() == overdue

    # The filter survives a reload from its URL (it can be shared).
    page.goto(page.url)
    assert _count(page) == overdue

    rec = Recommendation.objects.filter(report__slug="violence-against-women-and-girls", number=1).get()
    page.goto(f"{seeded.url}/recommendations/?q=VAWG+data")
    page.get_by_role("link", name="Violence Against Women and Girls, recommendation 1", exact=True).click()
    assert page.url.endswith(rec.get_absolute_url())
    recommended, replied = page.locator("#recommendation"), page.locator("#reply")
    assert "MOPAC" in recommended.inner_text() and "Received 18 August 2022" in replied.inner_text()
    left, right = recommended.bounding_box(), replied.bounding_box()
    assert left["x"] + left["width"] <= right["x"] and abs(left["y"] - right["y"]) < 5, "side by side on a desktop"
    assert page.locator("#status .govuk-tag").first.is_visible()
    # The GOV.UK styles are there: a status tag has its coloured background.
    background = page.locator("#status .govuk-tag").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")

    page.set_viewport_size(PHONE)
    # Measure both boxes in one frame, once the page has reflowed to the phone width.
    stacked = page.wait_for_function(
        """() => {
            const a = document.querySelector('#recommendation').getBoundingClientRect();
            const b = document.querySelector('#reply').getBoundingClientRect();
            return document.documentElement.clientWidth <= 420 && b.top >= a.bottom - 1;
        }""",
        timeout=5000,
    )
    assert stacked.json_value(), "stacked on a phone"
    page.set_viewport_size(DESKTOP)


def test_download_the_filtered_rows_as_csv(page, seeded, tmp_path):
    page.goto(f"{seeded.url}/recommendations/?report=domestic-abuse&status=overdue")
    shown = _count(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"Download these \d+ rows as CSV")).click()
    path = tmp_path / "download.csv"
    download.value.save_as(path)
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert len(rows) == shown > 0
    assert {row["report"] for row in rows} == {"domestic-abuse"}
    assert {row["deadline_status"] for row in rows} == {"Overdue"}


def test_the_dashboards_counts_lead_to_lists_of_that_many(page, seeded):
    page.goto(seeded.url)
    links = page.locator("#counts a[href^='/recommendations/']")
    targets = [
        (links.nth(i).get_attribute("href"), int(links.nth(i).locator(".tracker-count__number").inner_text()))
        for i in range(links.count())
    ]
    assert len(targets) == 5
    for href, number in targets:
        page.goto(seeded.url)
        page.locator(f"#counts a[href='{href}']").click()
        assert _count(page) == number, href
    page.goto(seeded.url)
    page.locator("#by-report a", has_text="Domestic abuse").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Domestic abuse"


def test_filtering_works_without_javascript(browser, seeded):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{seeded.url}/recommendations/")
    page.get_by_label("Deadline status").select_option(label="No deadline")
    page.get_by_role("button", name="Apply filter").click()
    assert "status=no_deadline" in page.url and _count(page) > 0
    context.close()


def test_a_bad_filter_value_shows_an_error_summary(page, seeded):
    response = page.goto(f"{seeded.url}/recommendations/?status=soonish")
    assert response.status == 400
    summary = page.locator(".govuk-error-summary")
    assert "There is a problem with the filter" in summary.inner_text()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_status", "the link takes you to the field"
    assert "Select a valid choice" in page.locator(".govuk-form-group--error").inner_text()


def test_every_page_passes_axe_and_is_photographed(page, seeded):
    rec16 = Recommendation.objects.get(report__slug="domestic-abuse", number=16)
    letter = Document.objects.filter(kind=Document.Kind.RESPONSE_LETTER).first()
    pages = {
        "dashboard": "/",
        "recommendations": "/recommendations/",
        "recommendations-filtered": "/recommendations/?status=overdue&sort=deadline",
        "recommendations-error": "/recommendations/?status=soonish",
        "recommendation": rec16.get_absolute_url(),
        "recommendation-replied": Recommendation.objects.filter(responses__isnull=False).first().get_absolute_url(),
        "reports": "/reports/",
        "report": Report.objects.get(slug="violence-against-women-and-girls").get_absolute_url(),
        "documents": "/documents/",
        "document": letter.get_absolute_url(),
        "commitments": "/commitments/",
        "consultations": "/consultations/",
        "consultation": Consultation.objects.first().get_absolute_url(),
        "not-found": "/recommendations/999999/",
    }
    problems = {}
    for name, url in pages.items():
        page.goto(f"{seeded.url}{url}")
        violations = axe_violations(page)
        if violations:
            problems[name] = violations
        screenshot(page, name)
    assert not problems, problems
