"""Select committee conclusions lists and replies quoting a finding.

The documents are written for these tests, in the layouts the corpus showed: numbered conclusions
mixing findings with asks, "would hope that" asks, a described duty ("under which they are expected
to operate") that is no ask, and a Government response that quotes a finding it agrees with.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from importer.parsing import families
from importer.parsing.items import extract_items
from importer.parsing.types import ParseError

DOCS = Path(__file__).parent / "b_conclusions"


def _text(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def test_conclusions_list_keeps_asks_and_drops_findings():
    found = extract_items(_text("committee_conclusions.txt"))
    numbers = [occurrence.number for occurrence in found.occurrences]
    # 1 is a finding: "are expected to operate" describes the crews' work, it asks nobody to act
    assert numbers == [2, 3, 4]


def test_would_hope_that_is_an_ask():
    found = extract_items(_text("committee_conclusions.txt"))
    third = next(occurrence for occurrence in found.occurrences if occurrence.number == 3)
    assert third.text.startswith("For the next session, we would hope")


def test_body_prepared_to_act_is_the_addressee_and_object_bodies_are_not():
    found = extract_items(_text("committee_conclusions.txt"))
    fourth = next(occurrence for occurrence in found.occurrences if occurrence.number == 4)
    names = [name.casefold() for name in fourth.addressees]
    # "the budget for such a panel should not ..." names no panel as addressee; the Board is asked to be prepared to act
    assert "panel" not in " ".join(names)
    assert any("board" in name for name in names)


def test_reply_quoting_a_finding_is_not_read_as_a_recommendation():
    text = _text("reply_quoting_a_finding.txt")
    assert not extract_items(text).occurrences
    with pytest.raises(ParseError):
        families.read(text)
