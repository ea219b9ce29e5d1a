"""Tests for the generic text clean-up helpers (importer/parsing/text.py)."""

from __future__ import annotations

import pytest

from importer.parsing.text import (
    blank_page_furniture,
    clean_text,
    ends_sentence,
    is_bullet,
    is_page_furniture,
    join_lines,
    looks_like_heading,
    markdown_heading,
    normalise_for_comparison,
    normalise_whitespace,
    read_item,
    strip_bullet,
    strip_footnote_markers,
    strip_markdown,
)


def test_normalise_whitespace_collapses_but_keeps_curly_quotes():
    assert normalise_whitespace("  The Met\u2019s\u00a0 response\n\tand \u2018Clare\u2019s Law\u2019 ") == (
        "The Met\u2019s response and \u2018Clare\u2019s Law\u2019"
    )


def test_normalise_whitespace_drops_soft_hyphens_and_zero_width_spaces():
    assert normalise_whitespace("multi\u00adagency\u200b work") == "multiagency work"


def test_normalise_for_comparison_makes_quotes_and_dashes_straight():
    assert normalise_for_comparison("The Met\u2019s \u201cresponse\u201d \u2013 2022") == 'The Met\'s "response" - 2022'
    assert normalise_for_comparison("The MET\u2019s", casefold=True) == "the met's"


@pytest.mark.parametrize(
    "line",
    [
        "London Assembly I Police and Crime Committee 35",
        "London Assembly | Police and Crime Committee 12",
        " London Assembly I Police and Crime Committee 12 ",
        "12 London Assembly | Budget and Performance Committee",
        "12",
        "  7  ",
        "Page 4",
        "Page 4 of 40",
        "- 9 -",
    ],
)
def test_page_furniture_is_recognised(line):
    assert is_page_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Outcomes 15 and 16",
        "In London, 15",
        "MOPAC should report back to this Committee, by May 2020, on the",
        "The Met\u2019s response",
        "2. The Met\u2019s response",
        "Recommendation 12",
        "",
    ],
)
def test_real_content_is_not_page_furniture(line):
    assert not is_page_furniture(line)


def test_blank_page_furniture_keeps_line_numbers():
    lines = ["first", "London Assembly I Police and Crime Committee 35", "12", "second"]
    assert blank_page_furniture(lines) == ["first", "", "", "second"]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("piloting a register in London.8", "piloting a register in London."),
        ("just over 46,000 in 2011.1 Each London", "just over 46,000 in 2011. Each London"),
        ("and the number of convictions continues to decline.4", "and the number of convictions continues to decline."),
        ("was \u201ctoo trivial/not worth reporting\u201d5, was a", "was \u201ctoo trivial/not worth reporting\u201d, was a"),
        ("and \u2018Clare\u2019s Law\u2019.6", "and \u2018Clare\u2019s Law\u2019."),
        ("on an annual basis. 2", "on an annual basis."),
        ("in the capital compared to 8,625 in 2017-18.26 In 2018", "in the capital compared to 8,625 in 2017-18. In 2018"),
        ("Violence service117 fully supports", "Violence service fully supports"),
    ],
)
def test_footnote_markers_are_removed(raw, expected):
    assert strip_footnote_markers(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "In 2019, there were around 89,000 domestic abuse offences",
        "by May 2020, on the work",
        "Outcomes 15 and 16",
        "It is estimated that 2.4 million adults",
        "those aged 16 or over",
        "the Covid-19 crisis and COVID19",
        "1.1 Domestic abuse in London has risen.",
        "7,051 offences in Enfield in 2019, compared to 1,685 in 2011.",
    ],
)
def test_real_numbers_are_kept(text):
    assert strip_footnote_markers(text) == text


def test_join_lines_joins_a_hard_wrapped_paragraph():
    assert join_lines(["MOPAC should include a measure of  ", "repeat victimisation on its ", "", "dashboard. "]) == (
        "MOPAC should include a measure of repeat victimisation on its dashboard."
    )


def test_join_lines_keeps_a_hyphenated_compound_split_at_a_line_end():
    assert join_lines(["a MARAC (multi-", "agency risk assessment conference)"]) == "a MARAC (multi-agency risk assessment conference)"


def test_ends_sentence_looks_past_footnote_markers():
    assert ends_sentence("a register in London.8")
    assert ends_sentence("\u201cuse its powers more effectively\u201d")  is False
    assert ends_sentence("what they said.\u201d")
    assert not ends_sentence("The Mayor should convene a group, incorporating")


def test_markdown_helpers():
    assert markdown_heading("### **Recommendation 3**") == (3, "Recommendation 3")
    assert markdown_heading("Recommendation 3") is None
    assert strip_markdown("**MOPAC must act.**") == "MOPAC must act."
    assert strip_bullet("\u2022 MOPAC should act") == "MOPAC should act"
    assert is_bullet("- item") and is_bullet("\u2022 item") and not is_bullet("-5 degrees")


def test_looks_like_heading():
    assert looks_like_heading(" Our approach ")
    assert looks_like_heading(" 4. Prevention")
    assert not looks_like_heading("perpetrator programmes if successful.")
    assert not looks_like_heading("the Assembly\u2019s work in lobbying for the introduction of a Domestic")


def test_clean_text_removes_furniture_markers_and_markdown():
    lines = [
        "**The Committee calls on the Mayor and MOPAC to continue to support**",
        "London Assembly I Police and Crime Committee 35",
        "the Assembly\u2019s work and consider a register in London.8",
    ]
    assert clean_text(lines) == (
        "The Committee calls on the Mayor and MOPAC to continue to support "
        "the Assembly\u2019s work and consider a register in London."
    )


def test_read_item_joins_an_item_split_by_a_page_break():
    lines = [
        "13. The Mayor should set out how he intends to meet his equalities",
        "",
        "London Assembly I Police and Crime Committee 35",
        "",
        "obligations and support all victims.",
        "",
        "14. Next item.",
    ]
    taken, after = read_item(lines, 0)
    assert clean_text(taken) == "13. The Mayor should set out how he intends to meet his equalities obligations and support all victims."
    assert lines[after:] == ["", "14. Next item."]


def test_read_item_ends_at_a_finished_sentence_and_blank_line():
    lines = ["MOPAC should act now.", "", "Another paragraph that is not part of it."]
    taken, _ = read_item(lines, 0)
    assert taken == ["MOPAC should act now."]


def test_read_item_ends_at_a_heading_that_follows_without_a_blank_line():
    lines = ["perpetrator programmes if successful.", " Our approach ", "", "The committee agreed terms."]
    taken, _ = read_item(lines, 0)
    assert taken == ["perpetrator programmes if successful."]


def test_read_item_stops_at_a_stop_line_even_mid_sentence():
    lines = ["The Mayor should fund", "", "Recommendation 2", "", "text"]
    taken, _ = read_item(lines, 0, stops=lambda line: line.startswith("Recommendation"))
    assert taken == ["The Mayor should fund"]


def test_read_item_takes_bulleted_sub_items_after_a_colon():
    lines = ["The Mayor should:", "", "\u2022 fund refuges;", "", "\u2022 publish data.", "", "Next paragraph."]
    taken, _ = read_item(lines, 0)
    assert [strip_bullet(line) for line in taken] == ["The Mayor should:", "fund refuges;", "publish data."]
