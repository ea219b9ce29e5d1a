"""What the parsers receive from a PDF: bold and larger headings kept as light markup, ligatures
spelt out, words hyphenated at line ends joined (real hyphens kept), paragraph breaks kept; and a
PDF the layout reader fails on is still read (pypdf's text), within the reader's limits."""

import pytest

from importer import read_child
from importer.parsing import pdf_layout
from importer.parsing.extract import extract_text

from .pdfs import Line, Run, pdf

REPORT = [
    Line.plain("Safer streets at night", size=22),
    Line.plain("for everyone", size=22, gap=26),
    Line.plain("Police and Crime Committee", size=15, gap=30),
    Line.plain("The committee heard from oﬃcers, ﬁnance staﬀ and those who run the night-time ﬂow of buses.", gap=30),
    Line((Run("Recommendation 1:", bold=True), Run(" the Mayor should publish a recom-")), gap=28),
    Line.plain("mendation plan with a long-"),
    Line.plain("term budget and multi-"),
    Line.plain("agency panels."),
    Line.bold("Recommendation 2", gap=28),
    Line.plain("The Met should tell the com-", gap=16),
    Line.plain("mittee how often it patrols. The committee will check."),
]


@pytest.fixture(scope="module")
def text():
    return extract_text(pdf([REPORT]), name="report.pdf")


def test_larger_lines_become_headings_largest_first_and_a_wrapped_title_stays_one_heading(text):
    lines = text.splitlines()
    assert lines[0] == "# Safer streets at night for everyone"
    assert "## Police and Crime Committee" in lines
    assert not any(line.startswith("#") and "Mayor" in line for line in lines)


def test_bold_is_marked_for_a_whole_line_and_for_an_inline_label(text):
    lines = text.splitlines()
    assert "**Recommendation 2**" in lines
    assert any(line.startswith("**Recommendation 1:** the Mayor should publish") for line in lines)
    assert text.count("**") == 4  # nothing set in the regular font is marked


def test_ligature_glyphs_are_spelt_out(text):
    assert "officers, finance staff" in text and "flow of buses" in text
    assert not any("\ufb00" <= character <= "\ufb06" for character in text)


def test_words_hyphenated_at_a_line_end_are_joined_and_real_hyphens_kept(text):
    flat = " ".join(text.split())
    assert "publish a recommendation plan" in flat
    assert "long-term budget" in flat and "multi-agency panels" in flat
    assert "tell the committee how often" in flat  # the document spells "committee" whole elsewhere
    assert "night-time" in flat


def test_a_paragraph_gap_is_a_blank_line(text):
    lines = text.splitlines()
    before = lines.index("**Recommendation 2**") - 1
    assert lines[before] == ""


def test_two_pages_are_both_read(text):
    second = extract_text(pdf([REPORT[:1], [Line.plain("The Mayor should act on page two.")]]))
    assert second.splitlines()[-1] == "The Mayor should act on page two."


def test_when_the_layout_reader_fails_the_pdf_is_still_read_without_markup(monkeypatch):
    from pdfminer.pdfparser import PDFSyntaxError

    def fails(data):
        raise PDFSyntaxError("No /Root object! - Is this really a PDF?")

    monkeypatch.setattr(pdf_layout, "layout_text", fails)
    text = extract_text(pdf([REPORT]), name="report.pdf")
    assert "Recommendation 1: the Mayor should publish a recommendation" in text and "**" not in text
    assert "officers" in text  # ligatures are still spelt out


def test_running_out_of_memory_in_the_layout_reader_is_the_memory_refusal(monkeypatch):
    def exhausts(data):
        raise MemoryError

    monkeypatch.setattr(pdf_layout, "layout_text", exhausts)
    outcome = read_child.read(pdf([REPORT]), name="report.pdf", kind="auto", max_pages=10, memory_mb=512)
    assert outcome == {"exceeded": "memory"}


def test_a_layout_reading_with_clearly_less_text_than_pypdf_is_not_used(monkeypatch):
    monkeypatch.setattr(pdf_layout, "layout_text", lambda data: "# Safer streets")
    text = extract_text(pdf([REPORT]), name="report.pdf")
    assert "the Met should tell" in " ".join(text.split()).replace("The Met", "the Met")
    assert not text.startswith("#")
