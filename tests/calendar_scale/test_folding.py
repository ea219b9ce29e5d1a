"""Calendar lines are folded at 75 octets (RFC 5545 3.1) without splitting a character: worked out
on the line's UTF-8 bytes (a character at a time was half of every feed's time). Calendar apps
unfold by removing each CRLF and the space after it, so the text must come back whole."""

import random

import pytest

from pages.feeds import _fold

SAMPLES = ["", "a" * 74, "a" * 75, "a" * 76, "é" * 37 + "a", "a" * 74 + "é", "a" * 73 + "€x", "‘Knife crime’ — MOPAC’s reply ✓ " * 9, "🚓" * 40]


def _lines(folded: str) -> list[bytes]:
    return [line.encode() for line in folded.split("\r\n")]


@pytest.mark.parametrize("text", SAMPLES + ["".join(random.Random(seed).choice("aé€🚓 ’") for _ in range(300)) for seed in range(30)])
def test_each_folded_line_fits_and_unfolds_to_the_text(text):
    folded = _fold(text)
    lines = _lines(folded)
    assert all(len(line) <= 75 for line in lines)
    assert all(line.startswith(b" ") for line in lines[1:])
    assert folded.replace("\r\n ", "") == text  # no character split or lost


def test_lines_are_as_full_as_they_can_be():
    """A fold only where the next character would not fit: a short first line would mean a cut too early."""
    # "€" is three octets: 73 + 3 > 75, so it starts the next line, after its leading space.
    assert [len(line) for line in _lines(_fold("a" * 73 + "€" * 10))] == [73, 31]
    assert [len(line) for line in _lines(_fold("€" * 50))] == [75, 73, 4]
    assert _fold("a" * 80).split("\r\n") == ["a" * 75, " " + "a" * 5]
