"""What an officer sees of the one status and the search box, in a real browser on the seeds:
VAWG recommendation 7 (a reply that declines) does not read as done, the header's search box takes
a quoted phrase and an exclusion and groups what it finds, and the search page fits a phone."""

from recommendations.models import Recommendation

from .conftest import axe_violations


def test_vawg_7_reads_as_replied_not_done(page, seeded):
    rec = Recommendation.objects.get(report__slug="violence-against-women-and-girls", number=7)
    page.goto(f"{seeded.url}{rec.get_absolute_url()}")
    stands = page.locator("#progress").inner_text()
    assert stands.strip() == "Replied, not yet assessed"
    listing = page.goto(f"{seeded.url}/recommendations/?progress=not_assessed&report=violence-against-women-and-girls")
    assert listing.status == 200
    assert page.get_by_role("link", name="Violence Against Women and Girls, recommendation 7").count() == 1


def test_the_header_search_box_finds_a_phrase_and_groups_what_it_finds(page, seeded):
    page.goto(f"{seeded.url}/reports/")
    box = page.get_by_role("search").get_by_role("searchbox")
    box.fill('"domestic abuse" -zzzz')
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    headings = [text.split("\n")[0].strip() for text in page.locator("main h2").all_inner_texts()]
    assert "Recommendations" in " ".join(headings)
    assert page.locator("#results-recommendations li").count() >= 1
    first = page.locator("#results-recommendations li a").first
    first.click()
    page.wait_for_url("**/recommendations/*/")
    assert page.locator("#progress").count() == 1  # the recommendation's own page, with where it stands
    page.go_back()
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
