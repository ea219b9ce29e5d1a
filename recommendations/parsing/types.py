"""Plain dataclasses the parsers return.

Parsing is pure: text in, these out, no database. ``recommendations.services`` persists them.
Every dataclass is frozen-by-convention (lists are built once by the parser, then only read).
Line numbers are 1-based and refer to the text the parser was given, so pages can link to the
exact place in the source document.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


class ParseError(ValueError):
    """The text is empty or not a recognisable document of the family asked for.

    The message names what could not be read, in words an admin understands.
    """


class DatePrecision:
    """How much of a date the source actually gave.

    A month means its last day ("by May 2020" is 2020-05-31 with precision ``month``);
    a year means 31 December; a UK financial year ("2022-23") means 31 March of its second year.
    """

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    FINANCIAL_YEAR = "financial_year"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Deadline:
    """A date found in words, kept with the words it came from."""

    date: datetime.date
    text: str  # the original words, e.g. "by the end of May 2020", "later this year"
    precision: str  # a DatePrecision value


@dataclass(frozen=True)
class DocumentDate:
    """When a document was written or published, as precisely as it says."""

    date: datetime.date | None
    precision: str  # a DatePrecision value; UNKNOWN when date is None
    text: str = ""  # the words it came from, e.g. "18 August 2022", "January 2022"


UNKNOWN_DATE = DocumentDate(date=None, precision=DatePrecision.UNKNOWN, text="")


@dataclass
class RecommendationOccurrence:
    """One place a numbered recommendation appears in a document.

    A committee report usually states each recommendation twice (the summary list and again in
    its chapter); a report's web page gives a short form. Each copy is one occurrence; merging
    them into one recommendation is ``merge.merge_occurrences``'s job.
    """

    number: int
    text: str  # whitespace-normalised, footnote markers and page furniture removed
    addressees: list[str]  # canonical keys from addressees.CANONICAL: "Mayor", "MOPAC", "Met", ...
    chapter: str  # the heading it sits under ("" when there is none)
    deadline: Deadline | None
    line: int  # where this copy starts in the source text
    section: str  # which copy: "summary", "chapter", "page", "letter"


@dataclass
class ParsedReport:
    """A committee report or a report's summary web page."""

    kind: str  # "committee_report" or "report_page"
    title: str
    committee: str  # e.g. "Police and Crime Committee" ("" when the text does not say)
    chair: str  # e.g. "Unmesh Desai AM" ("" when the text does not say)
    date: DocumentDate
    occurrences: list[RecommendationOccurrence]
    stated_count: int | None = None  # "The report makes the following 14 recommendations"
    warnings: list[str] = field(default_factory=list)


@dataclass
class ParsedCommitment:
    """A promise made inside a reply: "will be published later this year"."""

    text: str  # the sentence that makes the promise
    owner: str  # canonical organisation key ("MOPAC", "Met", "Mayor"); "" when unclear
    due: Deadline | None


@dataclass
class ParsedReply:
    """The Mayor's reply to one numbered recommendation in a response letter."""

    number: int
    recommendation_text: str  # the recommendation as the letter restates it ("" if it does not)
    text: str  # the reply itself
    commitments: list[ParsedCommitment]
    line: int  # where the reply's heading starts in the source text


@dataclass
class ParsedLetter:
    """A response letter (usually the Mayor's) answering a committee report."""

    kind: str  # "response_letter"
    date: DocumentDate
    reference: str  # e.g. "MGLA230322-7616"
    author_name: str  # "Sadiq Khan"
    author_role: str  # "Mayor of London"
    recipient_name: str  # "Susan Hall AM"
    recipient_role: str  # "Chairman of the London Assembly Police and Crime Committee"
    report_title: str  # the report the letter answers, as the letter names it
    apologises_for_delay: bool
    replies: list[ParsedReply]
    warnings: list[str] = field(default_factory=list)


@dataclass
class ParsedAsk:
    """One explicit ask in a consultation submission (a bullet, a numbered recommendation)."""

    text: str
    section: str  # heading it sits under ("Summary", "3. Reducing and preventing violence", ...)
    line: int
    number: int | None = None  # "Recommendation 3:" -> 3


@dataclass
class ParsedSubmission:
    """One response to a consultation: an email, a letter or a report."""

    respondent: str  # the person ("Gareth Scarlett"); "" when only an organisation signs
    organisation: str  # "Southwark Council", "Refuge"; "" for a member of the public
    respondent_kind: str  # "council", "charity", "public", "other"
    date: DocumentDate
    subject: str  # email subject or letter heading ("" when none)
    text: str  # the submission's full text
    asks: list[ParsedAsk]
    start_line: int
    end_line: int
    label: str = ""  # how a list shows it, e.g. "Southwark Council (Cllr Richard Livingstone)"


@dataclass
class ParsedConsultation:
    """A consultation response document: a compilation of many submissions, or a single one."""

    kind: str  # "consultation_compilation" or "consultation_submission"
    consultation: str  # e.g. "Draft Police and Crime Plan 2013-2017", "Draft Police and Crime Plan 2022"
    title: str
    date: DocumentDate
    submissions: list[ParsedSubmission]
    warnings: list[str] = field(default_factory=list)
