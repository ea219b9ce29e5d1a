"""Plain dataclasses the parsers return.

Parsing is pure: text in, these out, no database. ``importer.services`` persists them.
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
class RelativeDeadline:
    """A deadline counted from an event, usually publication: "within six months", "56 days".

    It has no date until the event's date is known: ``deadlines.resolve_relative_deadline``.
    """

    text: str  # the words, e.g. "within two months of publication"
    months: int = 0
    days: int = 0
    anchor: str = "publication"  # what it counts from, in words ("publication", "the report")


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
    # general documents only (the seed parsers leave the defaults):
    label: str = ""  # the marker as printed: "Recommendation 3:", "2.", "- ", "(prose)"
    numbered: bool = True  # False when ``number`` is the item's position, not a printed number
    deadline_words: str = ""  # the time words as written, dated or not ("immediately", "within six months")
    relative_deadline: RelativeDeadline | None = None  # "within two months of publication"


@dataclass
class ItemsResult:
    """The recommendations found in a document of any layout (``items.extract_items``).

    ``looked_for`` says in words what was searched for, for the message when nothing is found.
    """

    occurrences: list[RecommendationOccurrence]
    stated_count: int | None = None  # "makes three recommendations"
    looked_for: str = ""
    warnings: list[str] = field(default_factory=list)


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
    # general families only: what the document is, in the corpus labels' words
    # ("committee_report", "report_page", "consultation", "other"); "" for the seed families
    form: str = ""


@dataclass
class ParsedCommitment:
    """A promise made inside a reply: "will be published later this year"."""

    text: str  # the sentence that makes the promise
    owner: str  # canonical organisation key ("MOPAC", "Met", "Mayor"); "" when unclear
    due: Deadline | None
    due_words: str = ""  # timing with no date ("quarterly", "after the summer"), when ``due`` is None


@dataclass
class ParsedReply:
    """The Mayor's reply to one numbered recommendation in a response letter."""

    number: int
    recommendation_text: str  # the recommendation as the letter restates it ("" if it does not)
    text: str  # the reply itself
    commitments: list[ParsedCommitment]
    line: int  # where the reply's heading starts in the source text
    # The respondent's own position as the reply states it ("accepted", "accepted_in_principle",
    # "partially_accepted", "not_accepted", "supported", "noted", "under_consideration"; "" when
    # it says none) and the words that say it. Kept apart from the officer's assessment.
    stated_position: str = ""
    stated_position_text: str = ""
    # When the reply's number and its restated text disagree: the recommendation the text matches.
    suggested_number: int | None = None
    # A reply under an unnumbered topic subheading ("Implementing change"): the subheading. Its
    # ``number`` is then the recommendation its words match, or 0 when none is known.
    topic: str = ""
    # A reply to a group of recommendations at once ("has accepted all the recommendations directed
    # to the Brigade"): the group as written. Its ``number`` is 0 unless the group is every
    # recommendation of a known report, when it becomes one reply per recommendation.
    covers: str = ""


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
    # general replies: who answers, as the text names them ("the Government", "London Fire Brigade");
    # "" for the seed letter, whose author_role says it
    respondent: str = ""
    summary_counts: dict = field(default_factory=dict)  # "accepts six recommendations": {"accepted": 6}
    commitments: list[ParsedCommitment] = field(default_factory=list)  # promises outside any one reply


@dataclass
class RepliesResult:
    """Replies read from any response document (a letter, a Government response, a progress report).

    ``summary_counts`` holds totals a document states instead of (or besides) item-by-item replies:
    {"accepted": 6, "not_accepted": 4, "further_work": 11, "total": 25} or {"accepted": "all"}.
    ``commitments`` are promises made for the document as a whole, outside any one reply.
    """

    replies: list[ParsedReply]
    respondent: str  # as written: "the Government", "MPS", "London Fire Brigade (LFB)"; "" if unsaid
    report_title: str  # the report it answers, as the document names it ("" when it does not)
    date: DocumentDate
    summary_counts: dict = field(default_factory=dict)
    commitments: list[ParsedCommitment] = field(default_factory=list)
    looked_for: str = ""
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


@dataclass
class ParseContext:
    """What the database knows that a parser may use, passed in as plain data (parsers stay pure)."""

    aliases: dict[str, str] | None = None  # alias as written -> the name it stands for ("the Met" -> "Met")
    recommendations: list[tuple[int, str]] | None = None  # a known report's (number, text), to match replies
