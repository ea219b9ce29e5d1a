"""Consultation responses: splitting a compilation, who sent each submission, and their asks.

Seed checks compare with tests/truth_seeds.json (used here only, never by the parser); the inline
documents make sure nothing depends on the seeds' exact layout.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest

from importer.parsing.consultation import (
    parse_consultation_compilation,
    parse_consultation_submission,
)
from importer.parsing.privacy import redact_contact_details
from importer.parsing.types import DatePrecision, ParseError

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "fixtures" / "sources"
COMPILATION = "004_1342ce814f4a110e.txt"
SOLACE = "000_906300d753fab48b.txt"


def _truth() -> dict:
    return json.loads((ROOT / "tests" / "truth_seeds.json").read_text(encoding="utf-8"))


def _source(name: str) -> str:
    path = SOURCES / name
    if not path.exists():
        pytest.skip(f"seed {name} not present")
    return path.read_text(encoding="utf-8")


def _norm_org(name: str) -> str:
    """"London Borough of Southwark" and "Southwark Council" are the same council."""
    name = name.lower().replace("’", "'").strip()
    name = re.sub(r"^london borough of\s+", "", name)
    name = re.sub(r"\s+council$", "", name)
    return name


def _norm_person(name: str) -> str:
    name = name.lower().replace("councillor", "cllr")
    return " ".join(name.replace(".", "").split())


def _expected(entry: str) -> tuple[str | None, str | None]:
    """(organisation, person) from a truth label; None where the label leaves it open."""
    match = re.match(r"^(?P<head>.+?)\s*\((?P<note>.+)\)$", entry)
    if not match:
        return None, None
    head, note = match.group("head"), match.group("note")
    if note.lower().startswith("sent from"):
        return "", head  # a member of the public writing from someone else's address
    if note.lower().endswith("response"):
        return head, ""  # an organisation's officer response, no named person
    return head, note.split(",")[0]


@pytest.fixture(scope="module")
def compilation():
    return parse_consultation_compilation(_source(COMPILATION))


@pytest.fixture(scope="module")
def solace():
    return parse_consultation_submission(_source(SOLACE))


# --------------------------------------------------------------------------------------------------
# The 2013 compilation


def test_compilation_is_named_after_the_plan_it_answers(compilation):
    truth = _truth()["documents"][COMPILATION]
    assert compilation.kind == truth["kind"] == "consultation_compilation"
    assert compilation.consultation == truth["consultation"]
    assert compilation.title == "Responses to the call for views on the draft Police and Crime Plan 2013-2017"
    assert (compilation.date.date.year, compilation.date.date.month) == (2013, 2)
    assert compilation.date.precision == DatePrecision.MONTH


def test_compilation_splits_into_the_eighteen_submissions_in_order(compilation):
    truth = _truth()
    expected = truth["consultation_2013_submissions"]
    assert len(compilation.submissions) == truth["documents"][COMPILATION]["submissions"] == len(expected)
    for submission, entry in zip(compilation.submissions, expected, strict=True):
        organisation, person = _expected(entry)
        if organisation is None:  # a bare name: either a person or an organisation, and only that
            got = [value for value in (submission.organisation, submission.respondent) if value]
            assert len(got) == 1, (entry, submission.label)
            assert _norm_org(got[0]) == _norm_org(entry), (entry, submission.label)
            continue
        assert _norm_org(submission.organisation) == _norm_org(organisation), (entry, submission.label)
        assert _norm_person(submission.respondent) == _norm_person(person), (entry, submission.label)


def test_submissions_cover_the_text_without_gaps_or_overlaps(compilation):
    lines = _source(COMPILATION).split("\n")
    previous_end = 0
    for submission in compilation.submissions:
        assert submission.start_line > previous_end
        between = lines[previous_end:submission.start_line - 1]
        assert not any(line.strip() for line in between), submission.label
        assert submission.text.split("\n")[0] == lines[submission.start_line - 1]
        assert submission.text.split("\n")[-1] == lines[submission.end_line - 1]
        previous_end = submission.end_line


def test_each_email_is_dated_from_its_sent_header(compilation):
    by_person = {s.respondent: s for s in compilation.submissions}
    sent = {
        "Gareth Scarlett": datetime.date(2013, 2, 14),
        "Shaun McNamee": datetime.date(2013, 2, 15),
        "Jim Gleeson": datetime.date(2013, 2, 9),
        "Stephen Taylor": datetime.date(2013, 2, 13),
        "Angus F. Hewlett": datetime.date(2013, 2, 14),
        "Andrea Casalotti": datetime.date(2013, 2, 14),
        "Vanessa": datetime.date(2013, 2, 9),
        "Jessie Ben-Ami": datetime.date(2013, 2, 6),
    }
    for person, day in sent.items():
        assert by_person[person].date.date == day, person
        assert by_person[person].date.precision == DatePrecision.DAY


def test_letters_and_reports_are_dated_from_their_own_date_line_or_left_unknown(compilation):
    by_org = {_norm_org(s.organisation): s for s in compilation.submissions if s.organisation}
    assert by_org["barnardo's"].date.date == datetime.date(2013, 2, 15)
    assert by_org["refuge"].date.date == datetime.date(2013, 2, 21)
    assert by_org["london councils"].date.date == datetime.date(2013, 2, 18)
    # Southwark's letter gives no date of its own ("your letter of the 11th January" is not one)
    assert by_org["southwark"].date.date is None
    assert by_org["southwark"].date.precision == DatePrecision.UNKNOWN


def test_respondent_kinds(compilation):
    kinds = {s.label: s.respondent_kind for s in compilation.submissions}
    by_org = {_norm_org(s.organisation): s.respondent_kind for s in compilation.submissions if s.organisation}
    assert by_org["southwark"] == by_org["newham"] == by_org["london councils"] == "council"
    assert by_org["st giles trust"] == by_org["refuge"] == by_org["victim support"] == "charity"
    assert kinds["Gareth Scarlett"] == "public"
    publics = [s for s in compilation.submissions if s.respondent_kind == "public"]
    assert all(not s.organisation for s in publics)
    assert len(publics) == 7


def test_email_subjects_are_kept(compilation):
    by_person = {s.respondent: s for s in compilation.submissions}
    assert by_person["Jim Gleeson"].subject == "Comments on draft Police and Crime Plan"
    assert by_person["Vanessa"].subject == ""  # the email's Subject: was empty
    assert "sent from TOOLEY STREET" in by_person["Vanessa"].label


def test_refuge_makes_eight_numbered_recommendations_counted_once(compilation):
    refuge = next(s for s in compilation.submissions if s.organisation == "Refuge")
    assert len(refuge.asks) == _truth()["consultation_2013_refuge_recommendations"] == 8
    assert [ask.number for ask in refuge.asks] == list(range(1, 9))
    assert refuge.asks[0].text.startswith("Include a detailed action plan")
    assert refuge.asks[0].section == "1. Lack of specific detail"
    # 7a and 7b are one recommendation, as Refuge's own summary numbers them
    assert "(a) Commissioners must work closely" in refuge.asks[6].text
    assert "(b) Ensure that outcomes-based commissioning" in refuge.asks[6].text
    # the "Summary of recommendations" repeats them: not counted again
    assert all(ask.line < refuge.start_line + 210 for ask in refuge.asks)


def test_lists_of_crime_types_are_not_asks(compilation):
    southwark = compilation.submissions[0]
    camden_officers = next(s for s in compilation.submissions if s.label.endswith("(officer response)"))
    assert southwark.asks == []
    texts = " ".join(ask.text for ask in camden_officers.asks)
    assert "Serious Youth Violence" not in texts  # "high risk victims ... which include:" is not a request
    # "would ask for urgent clarity about ... the following issues:" is
    assert any("governance arrangements" in ask.text for ask in camden_officers.asks)


# --------------------------------------------------------------------------------------------------
# Solace Women's Aid's submission


def test_solace_submission_author_date_and_consultation(solace):
    truth = _truth()["documents"][SOLACE]
    assert solace.kind == truth["kind"] == "consultation_submission"
    assert solace.consultation == truth["consultation"]
    (submission,) = solace.submissions
    assert submission.organisation == truth["author_org"]
    assert submission.respondent_kind == "charity"
    assert submission.date.text == truth["date_text"]
    assert submission.date.precision == DatePrecision.MONTH
    assert (submission.date.date.year, submission.date.date.month) == (2022, 1)
    assert solace.date == submission.date


def test_solace_asks_per_section(solace):
    truth = _truth()["documents"][SOLACE]["asks"]
    asks = solace.submissions[0].asks
    assert len(asks) == truth["bullets"] == 18
    counts: dict[str, int] = {}
    for ask in asks:
        counts[ask.section] = counts.get(ask.section, 0) + 1
    assert counts == truth["sections"]
    # the bullet that states two asks stays one ask
    merged = [ask for ask in asks if "cultural competency training" in ask.text]
    assert len(merged) == 1 and "Commission perpetrator programmes" in merged[0].text


def test_solace_summary_repeats_section_asks(solace):
    asks = solace.submissions[0].asks
    summary = [ask for ask in asks if ask.section == "Summary"]
    later = [ask for ask in asks if ask.section != "Summary"]
    assert [ask.line for ask in summary] == sorted(ask.line for ask in summary)
    assert all(ask.line < min(a.line for a in later) for ask in summary)
    for phrase, section in (
        ("Victim Care Hub", "5. Better supporting victims"),
        ("abusing their position", "4. Increasing trust and confidence"),
        ("independent advisory service", "4. Increasing trust and confidence"),
    ):
        assert sum(phrase in ask.text for ask in summary) == 1, phrase
        assert any(phrase in ask.text and ask.section == section for ask in later), phrase


# --------------------------------------------------------------------------------------------------
# Small documents written here


TWO_EMAILS_AND_A_LETTER = """\
From: Jane Doe <jane.doe@example.com>
Sent: 03 March 2021 10:15
To: Consultation Team
Subject: My views on the draft plan

Dear Sir or Madam,

I think the plan should do more about burglary in my street. Police response times are far too
slow here and nobody comes round.

Thanks,
Jane Doe
07700 900123
From: Northtown Residents Trust
Sent: 04 March 2021 09:00
To: Consultation Team
Subject: Response from Northtown Residents Trust

Dear Team,

We welcome the plan and the chance to comment. We urge the Mayor to commit to:
• Publishing ward-level crime data every month so residents can see progress.
• Funding youth clubs in every borough that has lost one since 2010.

Kind regards,
Sam Patel
Chief Executive
Northtown Residents Trust
12 March 2021

The Deputy Mayor for Policing and Crime
City Hall
London SE1 2AA

Dear Deputy Mayor,

Draft Police and Crime Plan 2021-2025

On behalf of the London Borough of Westford, thank you for the chance to comment on the draft
plan. We support its focus on violence against women and girls but believe our neighbourhood
teams need more officers than the draft Police and Crime Plan allows.

Yours sincerely,

Councillor Alex Morgan
Cabinet Member for Community Safety
London Borough of Westford
"""


def test_two_emails_and_a_letter_are_three_submissions():
    parsed = parse_consultation_compilation(TWO_EMAILS_AND_A_LETTER)
    jane, trust, council = parsed.submissions
    assert (jane.respondent, jane.organisation, jane.respondent_kind) == ("Jane Doe", "", "public")
    assert jane.date.date == datetime.date(2021, 3, 3)
    assert jane.subject == "My views on the draft plan"
    assert (trust.respondent, trust.organisation, trust.respondent_kind) == (
        "Sam Patel", "Northtown Residents Trust", "charity")
    assert [ask.text for ask in trust.asks] == [
        "Publishing ward-level crime data every month so residents can see progress.",
        "Funding youth clubs in every borough that has lost one since 2010.",
    ]
    assert (council.respondent, council.organisation, council.respondent_kind) == (
        "Cllr Alex Morgan", "London Borough of Westford", "council")
    assert council.date.date == datetime.date(2021, 3, 12)  # the letter's date, not the email's signature
    assert council.subject == "Draft Police and Crime Plan 2021-2025"
    assert council.label == "London Borough of Westford (Cllr Alex Morgan)"
    assert parsed.consultation == "Draft Police and Crime Plan 2021-2025"
    assert [(s.start_line, s.end_line) for s in parsed.submissions] == [(1, 13), (14, 28), (29, 47)]


def test_contact_details_are_kept_in_text_but_can_be_redacted():
    jane = parse_consultation_compilation(TWO_EMAILS_AND_A_LETTER).submissions[0]
    assert "jane.doe@example.com" in jane.text and "07700 900123" in jane.text
    shown = redact_contact_details(jane.text)
    assert "jane.doe@example.com" not in shown and "07700 900123" not in shown
    assert "[email removed]" in shown and "[phone removed]" in shown
    assert "Jane Doe" in shown


CHARITY_WITH_RECOMMENDATIONS = """\
Safe Homes Trust
Response to the Mayor's draft Police and Crime Plan
March 2021

1. Introduction
Safe Homes Trust is a charity supporting survivors of domestic abuse across London. Safe Homes
Trust welcomes the draft plan and its focus on victims.

2. Housing and safety
Too many survivors are placed in unsafe temporary accommodation. Safe Homes Trust believes the
plan should address this directly.
Recommendation 1: Fund a pan-London network of safe accommodation for survivors.

Recommendation 2: Require every borough to publish how it places survivors in temporary
accommodation.

Summary of recommendations
1. Fund a pan-London network of safe accommodation for survivors.
2. Require every borough to publish how it places survivors in temporary accommodation.
"""


def test_charity_submission_with_numbered_recommendations():
    parsed = parse_consultation_submission(CHARITY_WITH_RECOMMENDATIONS)
    assert parsed.consultation == "Draft Police and Crime Plan 2021"  # no years stated: the date's year
    (submission,) = parsed.submissions
    assert submission.organisation == "Safe Homes Trust"
    assert submission.respondent_kind == "charity"
    assert submission.date.text == "March 2021" and submission.date.precision == DatePrecision.MONTH
    assert [(ask.number, ask.section) for ask in submission.asks] == [
        (1, "2. Housing and safety"), (2, "2. Housing and safety")]
    assert submission.asks[1].text == (
        "Require every borough to publish how it places survivors in temporary accommodation.")
    assert submission.asks[0].line == 12


def test_a_summary_list_alone_gives_the_asks():
    only_summary = CHARITY_WITH_RECOMMENDATIONS.replace("Recommendation 1: ", "We think we should ").replace(
        "Recommendation 2: ", "We think we should ")
    submission = parse_consultation_submission(only_summary).submissions[0]
    assert [(ask.number, ask.section) for ask in submission.asks] == [
        (1, "Summary of recommendations"), (2, "Summary of recommendations")]


def test_bullets_count_as_asks_only_when_introduced_as_requests():
    letter = """\
Dear Deputy Mayor,

Our borough has looked closely at the draft plan and the crime figures for the last three years.
A better basket of indicators for the plan would be:
• Burglary
• Youth crime
• Harassment

We recommend that the final plan commits to:
• Publishing response times for every ward every quarter.
• Keeping at least one front counter open in each borough around the clock.

Yours faithfully,

Robin Hale
Head of Community Safety
Eastbridge Council
"""
    submission = parse_consultation_compilation(letter).submissions[0]
    assert [ask.text for ask in submission.asks] == [
        "Publishing response times for every ward every quarter.",
        "Keeping at least one front counter open in each borough around the clock.",
    ]
    assert (submission.respondent, submission.organisation) == ("Robin Hale", "Eastbridge Council")


# --------------------------------------------------------------------------------------------------
# Redaction and errors


def test_redact_contact_details_removes_emails_and_uk_phone_numbers_only():
    text = (
        "Call 020 7974 5707, (020) 7946 0958, +44 20 7946 0958 or 07700-900-123; "
        "email sarah.hayward@camden.gov.uk. In 2013-2017, 1,087 survivors were helped; 01632 960001."
    )
    shown = redact_contact_details(text)
    assert shown.count("[phone removed]") == 5
    assert shown.count("[email removed]") == 1
    assert "2013-2017" in shown and "1,087" in shown
    assert "camden.gov.uk" not in shown


@pytest.mark.parametrize("parse", [parse_consultation_compilation, parse_consultation_submission])
@pytest.mark.parametrize("text", ["", "   \n\n  ", "Hello", "Police and Crime Plan"])
def test_parse_error_on_empty_or_unrecognisable_text(parse, text):
    with pytest.raises(ParseError):
        parse(text)
