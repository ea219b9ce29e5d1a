"""Contact details removed from consultation documents before they are stored.

Pure functions: text in, text out (and a parsed consultation in, a redacted copy out). The import
service applies them to everything it saves from a consultation document (the document's full text,
each submission's text, label, respondent, organisation and subject, each ask's text and section),
so no page, export, API record, feed or email can show what was removed.

Whose details, and which
------------------------
Everyone's. A consultation's respondents are councils, charities and other bodies, and members of
the public, but which is which is worked out from the text and can be wrong (a letterhead taken
into the email above it makes a member of the public look like an organisation), and a named
officer's work email or direct line is personal data as much as a home one. So in a consultation
document every respondent is treated as a private individual, and removed from every field are:

- **email addresses** ("[email removed]"), also when written ``name [at] example dot org`` or
  ``name(at)example(dot)com``; organisations' general mailboxes (``info@``) too, which cannot be
  told from a person's own domain (``info@janedoe.com``);
- **phone numbers** ("[phone removed]"): UK numbers in any usual layout (``+44 20 7983 4000``,
  ``+44 (0)20 ...``, ``0044 20 ...``, ``020 7983 4000``, ``(020) 7946 0000``, ``07700 900123``,
  ``020-7983-4000``) and international numbers written with ``+``;
- **postal addresses**, where they can be recognised reliably ("[address removed]"): a UK
  postcode, and a house number followed by a street name ("12 Acacia Avenue", "Flat 3, 27 Rose
  Court"). A town alone ("London") says nothing about anyone and stays.

Names stay: a submission is attributed to the person or organisation that made it.

Every replacement keeps the text's line breaks, so line numbers (links to a line, a submission's
first and last line) stay right.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from .types import ParsedConsultation, ParsedSubmission

__all__ = ["ADDRESS_REMOVED", "EMAIL_REMOVED", "PHONE_REMOVED", "redact_consultation", "redact_contact_details"]

EMAIL_REMOVED = "[email removed]"
PHONE_REMOVED = "[phone removed]"
ADDRESS_REMOVED = "[address removed]"

# --- email addresses -------------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# "name [at] example [dot] org", "name(at)example.org", "name at example dot org" (the last only
# with a "dot" word, so prose such as "looked at London" is not taken for one).
_AT = r"[ \t]*[\[({][ \t]*at[ \t]*[\])}][ \t]*"
_DOT = r"(?:[ \t]*[\[({][ \t]*dot[ \t]*[\])}][ \t]*|[ \t]+dot[ \t]+|\.)"
_OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w.+-]+(?:{_AT}[\w-]+(?:{_DOT}[\w-]+)*|[ \t]+at[ \t]+[\w-]+(?:{_DOT}[\w-]+)*[ \t]+dot[ \t]+[a-z]{{2,6}})\b",
    re.I,
)


def _redact_emails(text: str) -> str:
    return _OBFUSCATED_EMAIL.sub(EMAIL_REMOVED, _EMAIL.sub(EMAIL_REMOVED, text))


# --- phone numbers ---------------------------------------------------------------------------------

_SEP = r"[ \t\n()\-]"  # a newline too: a number wrapped across lines is still a number
_UK_PHONE = re.compile(rf"(?<![A-Za-z\d+])(?:(?:\(?\+[ \t]?44\)?|0044)[ \t\-]?(?:\(0\)[ \t\-]?)?|\(?0)\d(?:{_SEP}{{0,3}}\d){{7,12}}")
_INTERNATIONAL_PHONE = re.compile(rf"(?<![A-Za-z\d+])\+[ \t]?(?!44)[1-9]\d{{0,2}}(?:{_SEP}{{0,3}}\d){{6,13}}")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _uk_digits(candidate: str) -> str:
    """The number as dialled in the UK ("02079834000"), whatever prefix it was written with."""
    digits = _digits(candidate)
    if re.match(r"^\(?(?:\+[ \t]?44|0044)", candidate):
        digits = "0" + digits[2 if candidate.lstrip("(").startswith("+") else 4:].lstrip("0")
    return digits


def _valid_uk(candidate: str) -> bool:
    digits = _uk_digits(candidate)
    return 10 <= len(digits) <= 11 and digits[0] == "0" and digits[1] != "0"


def _valid_international(candidate: str) -> bool:
    return 8 <= len(_digits(candidate)) <= 15


def _longest_phone(candidate: str, valid: Callable[[str], bool]) -> int:
    """Length of the longest prefix of ``candidate`` that is a phone number and ends at a digit
    group's end, or 0: "020 7934 9999 2013" is the number "020 7934 9999" and then a year."""
    ends = [match.end() for match in re.finditer(r"\d+", candidate)]
    for end in reversed(ends):
        prefix = candidate[:end]
        if "\n\n" not in prefix and valid(prefix):
            return end
    return 0


def _replace_phones(text: str, pattern: re.Pattern[str], valid: Callable[[str], bool]) -> str:
    def replace(match: re.Match[str]) -> str:
        candidate = match.group(0)
        end = _longest_phone(candidate, valid)
        if not end:
            return candidate
        # keep the line breaks a wrapped number had, so line numbers do not move
        removed = PHONE_REMOVED + "\n" * candidate[:end].count("\n")
        return removed + _replace_phones(candidate[end:], pattern, valid)

    return pattern.sub(replace, text)


def _redact_phones(text: str) -> str:
    return _replace_phones(_replace_phones(text, _UK_PHONE, _valid_uk), _INTERNATIONAL_PHONE, _valid_international)


# --- postal addresses ------------------------------------------------------------------------------

_POSTCODE = re.compile(r"(?<![A-Za-z\d])(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[ABD-HJLNP-UW-Z]{2})(?![A-Za-z\d])")
_STREET_WORDS = (
    r"Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Close|Crescent|Cres|Drive|Dr|Gardens|Gdns|Grove|Hill|Mews|Place|Pl"
    r"|Row|Square|Sq|Terrace|Walk|Way|Court|Ct|Park|Rise|View|Green|Parade|Estate|Wharf|Yard|House|Mansions"
)
_STREET_ADDRESS = re.compile(
    rf"(?:\b(?:Flat|Apartment|Apt\.?|Unit)[ \t]+\d+[A-Za-z]?,?[ \t]+)?\b\d{{1,4}}[A-Za-z]?(?:-\d{{1,4}})?,?[ \t]+"
    rf"(?:[A-Z][\w'’-]*[ \t]+){{1,3}}(?:{_STREET_WORDS})\b\.?"
)


def _redact_addresses(text: str) -> str:
    return _POSTCODE.sub(ADDRESS_REMOVED, _STREET_ADDRESS.sub(ADDRESS_REMOVED, text))


# --- putting it together ---------------------------------------------------------------------------


def redact_contact_details(text: str) -> str:
    """``text`` without email addresses, phone numbers or postal addresses (see the module
    docstring). Line breaks are kept: a number wrapped over two lines leaves both lines."""
    return _redact_addresses(_redact_phones(_redact_emails(text)))


def _redact_submission(submission: ParsedSubmission) -> ParsedSubmission:
    clean = redact_contact_details
    return dataclasses.replace(
        submission,
        respondent=clean(submission.respondent),
        organisation=clean(submission.organisation),
        subject=clean(submission.subject),
        label=clean(submission.label),
        text=clean(submission.text),
        asks=[dataclasses.replace(ask, text=clean(ask.text), section=clean(ask.section)) for ask in submission.asks],
    )


def redact_consultation(parsed: ParsedConsultation, text: str) -> tuple[ParsedConsultation, str]:
    """A parsed consultation document and its full text without contact details (the parse itself
    is made from the text as written: a letterhead's postcode helps tell who wrote it)."""
    copy = dataclasses.replace(
        parsed,
        consultation=redact_contact_details(parsed.consultation),
        title=redact_contact_details(parsed.title),
        submissions=[_redact_submission(submission) for submission in parsed.submissions],
        warnings=[redact_contact_details(warning) for warning in parsed.warnings],
    )
    return copy, redact_contact_details(text)
