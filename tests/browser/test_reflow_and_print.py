"""Reflow (WCAG 1.4.10) and print, in Debian's Chromium.

At 320 CSS pixels wide no page scrolls sideways: every page a visitor can reach by following links
from the dashboard, every page a signed-in editor can reach from /manage/ and from the
recommendation pages, and the pages only a form leads to (a filter with an error, sign-in, an import
preview, a bulk-update preview, the 404 page). Tables turn into labelled stacked rows there. Printed,
a page has no navigation and each link shows its address."""

import importlib
import re
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth.models import Group, Permission
from pypdf import PdfReader

from recommendations.models import Recommendation

from .conftest import ROOT

pytestmark = pytest.mark.django_db(transaction=True)

NARROW = {"width": 320, "height": 640}
PASSWORD = "a-long-reflow-passphrase-7"  # noqa: S105 (a test user only)
LETTER = ROOT / "fixtures" / "sources" / "001_79a9159c5d07971e.txt"

# Not pages of the site's own design (Django's admin), not HTML (downloads, feeds, JSON), or not
# a page at all (signing out is a POST).
NOT_PAGES = re.compile(r"^/(admin/|api/[^/]+/|accounts/logout/)|\.(csv|ics|json)$|[?&]format=")
# Each filter, sort and page of a list is the same template: a few of each path are enough.
QUERIES_PER_PATH = 4

# Which element pushes past the right edge: the innermost one that does, named for the message.
WIDEST = """() => {
    const edge = document.documentElement.clientWidth;
    const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
        + [...e.classList].map(c => '.' + c).join('');
    let worst = null;
    for (const e of document.body.querySelectorAll('*')) {
        const box = e.getBoundingClientRect();
        if (box.width && box.right > edge + 0.5 && (!worst || box.right >= worst.right)) {
            worst = {right: Math.round(box.right), name: name(e), text: (e.innerText || '').slice(0, 60)};
        }
    }
    return {scrollWidth: document.documentElement.scrollWidth, worst};
}"""


def _links(page, origin: str) -> set[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    return {urldefrag(href).url for href in hrefs if href.startswith(origin)}


def _overflow(page) -> str | None:
    measured = page.evaluate(WIDEST)
    if measured["scrollWidth"] <= NARROW["width"]:
        return None
    worst = measured["worst"] or {}
    return f"scrollWidth {measured['scrollWidth']}px, widest {worst.get('name')} to {worst.get('right')}px ({worst.get('text')!r})"


def _crawl(page, origin: str, start: list[str]) -> tuple[dict[str, str], set[str]]:
    """Visit every same-site page reachable from `start`; return the overflowing ones and all seen."""
    queue, seen, per_path, problems = [origin + path for path in start], set(), {}, {}
    while queue:
        url = queue.pop(0)
        parts = urlsplit(url)
        if url in seen or NOT_PAGES.search(parts.path + ("?" + parts.query if parts.query else "")):
            continue
        if parts.query:
            per_path[parts.path] = per_path.get(parts.path, 0) + 1
            if per_path[parts.path] > QUERIES_PER_PATH:
                continue
        seen.add(url)
        response = page.goto(url)
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        assert response.status < 500, f"{url} answered {response.status}"
        if problem := _overflow(page):
            problems[url.removeprefix(origin)] = problem
        queue.extend(sorted(_links(page, origin) - seen))
    return problems, seen


@pytest.fixture
def narrow(browser):
    context = browser.new_context(viewport=NARROW, accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def editor(seeded, django_user_model):
    roles = importlib.import_module("recommendations.migrations.0003_roles")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.set(
        [Permission.objects.get(content_type__app_label=app, codename=code) for app, code in roles.EDITOR_PERMISSIONS]
    )
    user = django_user_model.objects.create_user(username="rita", first_name="Rita", password=PASSWORD)
    user.groups.add(group)
    return user


def _sign_in(page, origin: str) -> None:
    page.goto(f"{origin}/accounts/login/")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))


def _form_pages(page, origin: str, tmp_path) -> dict[str, str]:
    """Pages only a form leads to, as an editor: an import preview and a bulk-update preview."""
    problems = {}
    page.goto(f"{origin}/manage/import/")
    # The seed letter with a line of its own added, so it is not refused as already imported.
    upload = tmp_path / "letter.txt"
    upload.write_bytes(LETTER.read_bytes() + b"\nA reflow test copy.\n")
    page.locator("input[type=file]").set_input_files(upload)
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_url(re.compile(r"/manage/import/\d+/"))
    page.wait_for_load_state("load")  # the preview is worked out in a child process: wait for the whole page
    page.locator("h1").first.wait_for()
    if problem := _overflow(page):
        problems["import preview"] = problem
    page.goto(f"{origin}/manage/bulk/")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    sheet = tmp_path / "replies.csv"
    download.value.save_as(sheet)
    page.locator("input[type=file]").set_input_files(sheet)
    page.get_by_role("button", name="Preview the changes").click()
    if problem := _overflow(page):
        problems["bulk preview"] = problem
    return problems


def test_no_page_scrolls_sideways_at_320_pixels(narrow, seeded, editor, tmp_path):
    origin = seeded.url
    start = ["/", "/recommendations/?status=soonish", "/recommendations/?q=domestic+abuse&sort=deadline",
             "/accounts/login/", "/recommendations/999999/", "/no-such-page/"]
    problems, seen = _crawl(narrow, origin, start)
    recommendations = {rec.get_absolute_url() for rec in Recommendation.objects.all()}
    assert {origin + url for url in recommendations} <= seen, "every recommendation's page is reachable from the dashboard"
    assert {f"{origin}/api/", f"{origin}/commitments/", f"{origin}/consultations/", f"{origin}/documents/"} <= seen

    _sign_in(narrow, origin)
    staff, staff_seen = _crawl(narrow, origin, ["/manage/", "/manage/import/", "/manage/bulk/", "/preferences/",
                                                "/accounts/password_change/", *sorted(recommendations)])
    problems.update({f"{url} (signed in)": problem for url, problem in staff.items()})
    assert any("/manage/replies/" in url and "/assess/" in url for url in staff_seen), "the editor's forms were visited"
    problems.update(_form_pages(narrow, origin, tmp_path))
    assert not problems, "\n".join(f"{url}: {problem}" for url, problem in problems.items())


def test_tables_become_labelled_stacked_rows_on_a_narrow_screen(narrow, seeded):
    narrow.goto(f"{seeded.url}/recommendations/")
    cell = narrow.locator("table tbody tr").first.locator("td").nth(1)
    # The label is shown, and given empty alternative text: a screen reader hears the real header.
    assert cell.evaluate("e => getComputedStyle(e, '::before').content") == '"Status" / ""'
    first, second = (narrow.locator("table tbody tr").first.locator("td").nth(i).bounding_box() for i in (0, 1))
    assert second["y"] >= first["y"] + first["height"] - 1, "the cells of a row are stacked"
    # Still a table to a screen reader: the browser's accessibility tree keeps rows, cells and headers.
    assert narrow.get_by_role("columnheader", name="Deadline").count() == 1
    tree = narrow.context.new_cdp_session(narrow).send("Accessibility.getFullAXTree")["nodes"]
    roles = {node.get("role", {}).get("value") for node in tree}
    assert {"table", "row", "cell", "columnheader"} <= roles, roles

    narrow.set_viewport_size({"width": 1280, "height": 900})
    assert cell.evaluate("e => getComputedStyle(e, '::before').content") in ("none", "normal"), "no labels on a desktop"
    # On a desktop the columns keep their words whole (a narrow "No." column is not broken letter by letter).
    narrow.goto(f"{seeded.url}/reports/violence-against-women-and-girls/")
    number = narrow.get_by_role("columnheader", name="No.")
    assert number.evaluate("e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length; }") == 1


def test_a_printed_page_has_no_navigation_and_shows_link_addresses(page, seeded, tmp_path):
    rec = Recommendation.objects.filter(report__slug="domestic-abuse", number=16).get()
    page.goto(f"{seeded.url}/recommendations/?report=domestic-abuse")
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Menu").is_visible()
    assert not page.get_by_role("button", name="Apply filter").is_visible(), "the filter form is not printed"
    # What is on paper: the PDF Chromium prints, read back as text.
    page.pdf(path=str(tmp_path / "printed.pdf"))
    printed = "".join("".join(p.extract_text() for p in PdfReader(tmp_path / "printed.pdf").pages).split())
    assert f"recommendation16({rec.get_absolute_url()})" in printed, "a link shows its address after its text"
    assert f"Printedfrom{seeded.url}/recommendations/" in printed, "the site's address"
    assert "Sourcedocuments" not in printed and "Applyfilter" not in printed, "no navigation, no filter form"

    page.emulate_media(media="screen")
    assert page.get_by_role("navigation", name="Menu").is_visible()
    assert page.get_by_role("button", name="Apply filter").is_visible()
