"""Never a traceback: whatever text comes in, every family's recogniser and parser, and the import
itself (preview), either read it or refuse it with a clear message (``ParseError``/``ImportProblem``).

Property-based (hypothesis): text built from the pieces documents are made of (headings,
"Recommendation N" labels, numbered and bulleted items, reply labels, status words, dates, tables,
letters' salutations) shuffled with arbitrary characters, so the parsers are driven deep into their
branches, not only refused at the door. Derandomised: the same examples every run.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importer.parsing import families
from importer.parsing.serialise import ReadDocument
from importer.parsing.types import ParseContext, ParseError
from importer.services import ImportProblem, document_import

PIECES = [
    "Recommendation 1", "Recommendation 12:", "- Recommendation 3: The Mayor should", "1.", "2)", "(a)", "1.Once",
    "• ", "- ", "# Conclusions and recommendations", "## Areas for improvement", "Matters of concern",
    "(Paragraph 45)", "The Committee calls on the Mayor to", "We recommend that", "makes three recommendations to the Commissioner:",
    "By 31 May 2022, the brigade should develop an action plan to:", "within six months", "56 days", "immediately",
    "Not later than 31 March 2015", "by the end of November 2022", "Government response:", "Response:", "MPS response:",
    "The Government accepts this recommendation.", "accepted in principle", "does not accept", "will publish",
    "Dear Chair,", "Yours sincerely,", "Published 4 March 2024", "Date: 31/02/2024", "| Recommendation | Status |",
    "| 29 | In progress | Government | In principle |", "The brigade", "the Met", "MPS", "Ministry of Justice",
    "chief constables should", "work with TfL and Westminster Council", "Consultation response", "From: someone",
    "Subject: draft plan", "Page 3 of 9", "\u00ad", "ﬁ", "“", "’", "\t", "\x0c", "0", "99999999999999999999",
]
documentish = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=40)), max_size=40).map(
    lambda parts: "\n".join(" ".join(parts[i : i + 3]) for i in range(0, len(parts), 3))
)
any_text = st.one_of(documentish, st.text(max_size=400))
CHECKS = settings(max_examples=80, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("family", families.FAMILIES, ids=lambda family: family.name)
@CHECKS
@given(text=any_text)
def test_every_family_reads_or_refuses_any_text(family, text):
    assert isinstance(family.detect(text), int)
    try:
        family.parse(text, context=ParseContext(aliases={"the met": "Met"}, recommendations=[(1, "The Mayor should act.")]))
    except ParseError as refusal:
        assert str(refusal).strip()


@CHECKS
@given(text=any_text)
def test_the_registry_reads_or_refuses_any_text(text):
    try:
        family, parsed = families.read(text)
    except ParseError as refusal:
        assert str(refusal).strip()
    else:
        assert parsed.kind == family.name


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(text=documentish)
def test_importing_any_text_saves_it_or_says_why(text):
    """The saving half, fed every reading the registry makes (in this process, to keep it quick)."""
    try:
        read = ReadDocument(text=text, parsed=families.read(text)[1])
        document_import(data=text.encode(), source_name="any.txt", read=read)
    except (ParseError, ImportProblem) as refusal:
        assert str(refusal).strip()


@pytest.mark.django_db
@settings(max_examples=6, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.one_of(documentish.map(str.encode), st.binary(max_size=300)))
def test_importing_any_bytes_through_the_reader_says_why_or_previews(data):
    """End to end, through the child process that reads uploads."""
    try:
        result = document_import(data=data, source_name="upload.bin")
    except (ParseError, ImportProblem) as refusal:
        assert str(refusal).strip()
    else:
        assert not result.committed
