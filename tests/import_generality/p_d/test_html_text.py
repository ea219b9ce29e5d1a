"""What the parsers receive from a saved web page: headings, numbered and bulleted lists and table
rows kept as light markup; scripts, styles, navigation, skip links, cookie banners, hidden parts
and footers left out. A committee's page saved as .html imports like its text would, from the
command and from the import page, and nothing is written by a preview."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from importer.parsing.extract import extract_text
from importer.parsing.html_text import html_text
from importer.services import document_import
from recommendations.models import PendingImport, Recommendation
from tests.manage_import.conftest import counts, editor  # noqa: F401 (the import pages' fixtures)

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Safer streets at night | London Assembly</title>
<script>window.dataLayer = [{"page": "Recommendation 9: the Mayor should ignore this"}];</script>
<style>.banner { color: red }</style></head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<div class="cookie-banner" role="region" aria-label="Cookies on this site"><p>We use cookies. The Mayor should accept them.</p><button>Accept all</button></div>
<header class="site-header"><nav aria-label="Main"><ul><li><a href="/">Home</a></li><li><a href="/committees">Committees</a></li></ul></nav></header>
<main id="main">
<h1>Safer streets at night</h1>
<p>Publication date: 12 March 2024</p>
<p>The Police and Crime Committee looked at how safe Londoners feel on the streets at night.</p>
<h2>Recommendations</h2>
<ol>
<li>The Mayor should publish a night safety plan by September 2024.</li>
<li><p>The Met should report lighting faults to boroughs&nbsp;within one month:</p>
  <ul><li>street lights</li><li>underpass lights</li></ul></li>
<li><strong>MOPAC</strong> should fund training for night bus staff.</li>
</ol>
<h3>Who we heard from</h3>
<table><thead><tr><th>Guest</th><th>Role</th></tr></thead>
<tbody><tr><td>A. Person</td><td><p>Night czar</p><p>City Hall</p></td></tr></tbody></table>
<div hidden>Draft: the Mayor should never see this</div>
</main>
<footer><p>&copy; Greater London Authority</p><ul><li>Privacy</li></ul></footer>
</body></html>
"""


@pytest.fixture(scope="module")
def text():
    return extract_text(PAGE.encode("utf-8"), name="safer-streets.html")


def test_headings_become_markdown_headings_by_level(text):
    lines = text.splitlines()
    assert lines[0] == "# Safer streets at night"
    assert "## Recommendations" in lines and "### Who we heard from" in lines


def test_ordered_and_nested_unordered_lists_keep_their_numbers_and_bullets(text):
    lines = text.splitlines()
    first = lines.index("1. The Mayor should publish a night safety plan by September 2024.")
    assert lines[first + 1 : first + 5] == [
        "2. The Met should report lighting faults to boroughs within one month:",
        "  - street lights",
        "  - underpass lights",
        "3. **MOPAC** should fund training for night bus staff.",
    ]


def test_table_rows_are_cells_joined_by_bars(text):
    assert "Guest | Role" in text.splitlines()
    assert "A. Person | Night czar City Hall" in text.splitlines()


def test_scripts_navigation_cookie_banners_hidden_parts_and_footers_are_left_out(text):
    for furniture in ("Recommendation 9", "color: red", "Skip to main content", "cookies", "Accept all",
                      "Home", "Committees", "never see this", "Greater London Authority", "Privacy", "| London Assembly"):
        assert furniture not in text, furniture


def test_paragraphs_are_separated_by_blank_lines(text):
    assert "Publication date: 12 March 2024\n\nThe Police and Crime Committee looked" in text


def test_a_page_is_recognised_by_its_doctype_whatever_its_name_and_by_its_name():
    assert extract_text(PAGE.encode(), name="pasted text").startswith("# Safer streets at night")
    assert extract_text(b"<p>The Mayor <b>should</b> act.</p>", name="page.htm") == "The Mayor **should** act.\n"
    assert extract_text(b"Plain <notes> stay as written.", name="notes.txt") == "Plain <notes> stay as written."


def test_a_page_with_nothing_but_furniture_is_refused_saying_so():
    from importer.parsing.types import ParseError

    empty = b"<!DOCTYPE html><html><body><nav>Home</nav><script>x()</script></body></html>"
    with pytest.raises(ParseError, match="a web page with no text in it"):
        extract_text(empty, name="empty.html")


_PIECES = ["<p>", "</p>", "<li>", "</ol>", "<ol start='x'>", "<table>", "<tr>", "<td>", "</tr>", "<b>", "</b>",
           "<nav>", "</div>", "<h2>", "<br>", "<!--", "<![CDATA[", "&amp", "<", ">", "text ", "\n"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=8), max_size=40))
def test_any_markup_at_all_reads_as_text_without_raising(pieces):
    assert isinstance(html_text("".join(pieces)), str)


# --- importing a saved page ----------------------------------------------------------------------

# The page without the sub-list under item 2, whose colon makes it a lead-in to the items below
# (the item parser then reads item 3 as part of it: reported to its owner).
IMPORTED_PAGE = PAGE.replace("within one month:</p>\n  <ul><li>street lights</li><li>underpass lights</li></ul>", "within one month.</p>")


@pytest.mark.django_db
def test_a_committee_page_saved_as_html_is_previewed_from_the_command_writing_nothing(tmp_path, capsys, counts):  # noqa: F811
    path = tmp_path / "safer-streets.html"
    path.write_text(IMPORTED_PAGE, encoding="utf-8")
    before = counts()
    call_command("import_document", str(path))
    out = capsys.readouterr().out
    assert "'Safer streets at night': found 3" in out
    assert "recommendation 1: to Mayor; deadline 2024-09-30" in out and "recommendation 3: to MOPAC" in out
    assert "cookies" not in out and "Recommendation 9" not in out
    assert counts() == before


@pytest.mark.django_db
def test_a_committee_page_saved_as_html_imports_its_recommendations():
    document_import(data=IMPORTED_PAGE.encode("utf-8"), source_name="safer-streets.html", commit=True)
    texts = list(Recommendation.objects.order_by("number").values_list("text", flat=True))
    assert len(texts) == 3
    assert texts[0].startswith("The Mayor should publish a night safety plan")
    assert texts[1].startswith("The Met should report lighting faults") and texts[2] == "MOPAC should fund training for night bus staff."


@pytest.mark.django_db
def test_the_import_page_accepts_an_html_upload_and_holds_it_for_preview(client, editor):  # noqa: F811
    client.force_login(editor)
    page = client.get("/manage/import/").content.decode()
    assert ".html" in page  # the hint and the file chooser offer saved web pages
    upload = SimpleUploadedFile("safer-streets.html", IMPORTED_PAGE.encode("utf-8"), content_type="text/html")
    response = client.post("/manage/import/", {"file": upload, "kind": "auto", "report": ""})
    assert response.status_code == 302
    pending = PendingImport.objects.get()
    assert pending.name == "safer-streets.html" and pending.parsed["text"].startswith("# Safer streets at night")
    assert Recommendation.objects.count() == 0
