"""Coroners' prevention-of-future-deaths reports (Regulation 28) and the replies to them.

The documents in b3_pfd/ were written for these tests after the official template: "THIS REPORT IS
BEING SENT TO" with one recipient on the line or several listed below it, numbered sections
("5 CORONER'S CONCERNS", "7 YOUR RESPONSE"), matters of concern introduced by "as follows" (with a
colon or a full stop) as numbered or dashed items, the duty to respond "within 56 days of the date of
this report" (with or without "namely by" a date), and the report dated at its foot. The reply is a
Trust's letter answering each matter of concern.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from importer.parsing import families
from importer.parsing.families import _document_head
from importer.services import document_import
from recommendations.models import Recommendation, Report

DOCS = Path(__file__).parent / "b3_pfd"


def _text(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def test_the_matters_of_concern_are_the_items_and_every_listed_recipient_is_an_addressee():
    family, parsed = families.read(_text("regulation28_report.txt"))
    assert family.name == "recommendations_document" and family.kind_of(parsed) == "other"
    assert [occurrence.text.split()[:3] for occurrence in parsed.occurrences] == [
        ["There", "is", "no"],
        ["Patients", "who", "wait"],
        ["Nationally,", "there", "is"],
    ]
    for occurrence in parsed.occurrences:
        assert occurrence.addressees == [
            "Chief Executive, Northvale Hospitals NHS Foundation Trust",
            "Secretary of State for Health and Social Care",
        ]


def test_the_duty_to_respond_namely_by_a_date_is_that_date():
    _family, parsed = families.read(_text("regulation28_report.txt"))
    assert {occurrence.deadline.date for occurrence in parsed.occurrences} == {datetime.date(2024, 8, 8)}


def test_matters_of_concern_as_follows_with_a_full_stop_and_dashes_are_read_and_the_boilerplate_is_not():
    _family, parsed = families.read(_text("pfd_report_dated_at_foot.txt"))
    texts = [occurrence.text for occurrence in parsed.occurrences]
    assert len(texts) == 2 and texts[0].startswith("Missed care visits") and texts[1].startswith("The council's contract")
    # the template's own sentences about the duty are not concerns
    assert not any("Your response must contain" in text or "action should be taken" in text for text in texts)
    assert all(o.addressees == ["Director of Adult Social Care, Ashford Vale County Council"] for o in parsed.occurrences)


def test_a_report_dated_at_its_foot_has_that_date():
    assert _document_head.date_of(_text("pfd_report_dated_at_foot.txt")).date == datetime.date(2025, 3, 3)
    # a long report keeps the date its head gives
    assert _document_head.date_of("Published 1 May 2024\n\n" + "A line.\n" * 60 + "Date: 3 March 2025\n").date == datetime.date(2024, 5, 1)


@pytest.mark.django_db
def test_the_56_day_duty_is_resolved_from_the_report_date_when_saved():
    document_import(data=_text("pfd_report_dated_at_foot.txt").encode(), source_name="pfd.txt", commit=True)
    report = Report.objects.get()
    assert report.published == datetime.date(2025, 3, 3)
    deadlines = set(Recommendation.objects.values_list("deadline", flat=True))
    assert deadlines == {datetime.date(2025, 4, 28)}  # 56 days after 3 March 2025


def test_a_reply_to_a_regulation_28_report_is_read_as_a_response():
    family, parsed = families.read(_text("regulation28_reply.txt"))
    assert family.name == "reply_document" and family.kind_of(parsed) == "response"
    assert parsed.date.date == datetime.date(2024, 8, 2)
    assert any(reply.stated_position == "accepted" for reply in parsed.replies)
