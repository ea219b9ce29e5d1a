"""The import pipeline end to end: the seed documents against the truth file, item by item;
fixtures reproduced exactly; previews that write nothing; re-imports that change nothing and keep
admins' edits; clear errors for bad input; and documents written here, in the same families."""

import datetime
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from importer.parsing.detect import detect_kind
from importer.seed import fixture_paths, serialize_fixtures
from importer.services import ImportProblem, ParseError, document_import, sources_import
from recommendations.models import Document, Recommendation, Report
from responses.models import Commitment, Response, Submission
from tests.database_url import database_url

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "fixtures" / "sources"
MANIFEST = SOURCES / "manifest.json"
TRUTH = json.loads((Path(__file__).parent / "truth_seeds.json").read_text())
D = datetime.date
SHORT = {"MOPAC": "MOPAC", "Met": "Met", "Mayor": "Mayor"}

pytestmark = pytest.mark.django_db


def plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    return " ".join(text.split()).casefold()


@pytest.fixture
def imported():
    return sources_import(manifest=MANIFEST, commit=True)


def _report(title_start: str) -> Report:
    return Report.objects.get(title__istartswith=title_start)


# --- the seeds against the truth file -----------------------------------------------------------


@pytest.mark.parametrize("report_key, title", [("vawg", "Violence Against Women and Girls"), ("domestic_abuse", "Domestic abuse")])
def test_every_recommendation_matches_the_truth(imported, report_key, title):
    expected = TRUTH["reports"][report_key]["recommendations"]
    report = _report(title)
    recs = {rec.number: rec for rec in report.recommendations.prefetch_related("addressees", "appearances")}
    assert sorted(recs) == sorted(int(n) for n in expected)
    for number, facts in expected.items():
        rec = recs[int(number)]
        assert sorted(org.short_name for org in rec.addressees.all()) == sorted(facts["to"]), number
        if "starts" in facts:
            assert plain(rec.text).startswith(plain(facts["starts"])), number
        if "chapter" in facts:
            assert plain(rec.chapter) == plain(facts["chapter"]), number
        if "deadline_conflict" in facts:
            conflict_dates = sorted(a.deadline.isoformat() for a in rec.deadline_conflicts())
            assert conflict_dates == sorted(facts["deadline_conflict"]), number
            assert rec.deadline.isoformat() == min(facts["deadline_conflict"])
        elif facts["deadline"] is None:
            assert rec.deadline is None, number
            assert rec.deadline_conflicts() == []
        else:
            assert rec.deadline.isoformat() == facts["deadline"], number
            assert rec.deadline_text == facts["deadline_text"], number
            assert rec.deadline_precision == "month"


def test_every_domestic_abuse_recommendation_is_recorded_in_both_places(imported):
    for rec in _report("Domestic abuse").recommendations.prefetch_related("appearances"):
        assert sorted(a.section for a in rec.appearances.all()) == ["chapter", "summary"], rec.number


def test_the_letter_gives_the_fuller_wording_and_the_page_the_short_form(imported):
    report = _report("Violence Against Women and Girls")
    for number in (1, 3, 4, 13):
        rec = report.recommendations.get(number=number)
        assert rec.short_text and len(rec.text) > len(rec.short_text), number
        assert sorted(rec.appearances.values_list("section", flat=True)) == ["letter", "page"]


def test_the_response_letter_matches_the_truth(imported):
    facts = TRUTH["documents"]["001_79a9159c5d07971e.txt"]
    letter = Document.objects.get(kind=Document.Kind.RESPONSE_LETTER)
    assert letter.date.isoformat() == facts["date"] and letter.date_precision == "day"
    assert letter.reference == facts["reference"]
    assert f"{letter.author_person}, {letter.author_role}" == facts["from"]
    assert f"{letter.recipient_person}, {letter.recipient_role}" == facts["to"]
    assert letter.apologises_for_delay is facts["apologises_for_delay"]
    assert letter.report == _report("Violence Against Women and Girls")
    responses = Response.objects.filter(letter=letter)
    assert responses.count() == facts["responses"]
    assert sorted(responses.values_list("recommendation__number", flat=True)) == list(range(1, 15))
    assert set(responses.values_list("date_received", flat=True)) == {D(2022, 8, 18)}


@pytest.mark.parametrize("expected", TRUTH["commitments_in_response_letter_must_include"], ids=lambda e: f"rec{e['recommendation']}")
def test_commitments_in_replies_have_their_due_dates(imported, expected):
    candidates = Commitment.objects.filter(response__recommendation__number=expected["recommendation"], due_date__isnull=False)
    first_words = plain(expected["says"].split("...")[0])
    matching = [c for c in candidates if first_words in plain(c.text)]
    assert len(matching) == 1, [c.text for c in candidates]
    assert matching[0].due_date.isoformat() == expected["due"]
    assert matching[0].due_precision == expected["precision"]


def test_the_2013_compilation_is_split_into_its_submissions(imported):
    submissions = list(Submission.objects.filter(consultation__title__contains="2013-2017").order_by("start_line"))
    assert len(submissions) == TRUTH["documents"]["004_1342ce814f4a110e.txt"]["submissions"]
    for submission, expected in zip(submissions, TRUTH["consultation_2013_submissions"], strict=False):
        names = [submission.respondent, submission.organisation.name if submission.organisation else ""]
        # the truth names each submission by organisation and/or person; every word it names must be found
        ignored = {"council", "sent", "from", "leader", "officer", "response", "tooley", "street"}
        words = [w for w in re.findall(r"[\w']+", plain(expected)) if len(w) > 3 and w not in ignored]
        found = plain(" ".join(names) + " " + submission.label)
        assert all(word in found for word in words), (expected, names)
    refuge = next(s for s in submissions if s.organisation and s.organisation.name == "Refuge")
    assert refuge.asks.count() == TRUTH["consultation_2013_refuge_recommendations"]


def test_solace_asks_per_section(imported):
    facts = TRUTH["documents"]["000_906300d753fab48b.txt"]
    solace = Submission.objects.get(organisation__name=facts["author_org"])
    assert solace.consultation.title == facts["consultation"]
    assert solace.asks.count() == facts["asks"]["bullets"]
    for section, count in facts["asks"]["sections"].items():
        assert solace.asks.filter(section=section).count() == count, section


def test_deadline_state_of_the_seeds_on_22_november_2026(imported):
    facts = TRUTH["flags_on_2026_11_22_at_least"]
    today = D(2026, 11, 22)
    overdue = Recommendation.objects.overdue(today=today)
    assert overdue.count() >= facts["recommendation_deadlines_passed_without_reply"]
    assert set(overdue.values_list("report__title", flat=True)) == {"Domestic abuse"}
    assert Commitment.objects.overdue(today=today).count() >= facts["reply_commitments_past_due"]
    # VAWG 6 and 7 were due by September 2022 and answered in August 2022: met, not overdue.
    vawg = Recommendation.objects.with_deadline_status(today=today).filter(report__title__startswith="Violence")
    assert set(vawg.filter(number__in=[6, 7]).values_list("deadline_status", flat=True)) == {"met"}


def test_each_source_is_recognised_as_the_kind_its_manifest_says():
    for entry in json.loads(MANIFEST.read_text())["sources"]:
        assert detect_kind((SOURCES / entry["file"]).read_text()) == entry["kind"], entry["file"]


# --- fixtures, previews, re-imports --------------------------------------------------------------


def test_committed_fixtures_are_reproduced_exactly_from_the_sources(imported):
    produced = serialize_fixtures()
    for path in fixture_paths():
        assert path.exists(), f"{path.name} is missing: run import_sources --commit then write_fixtures"
        assert produced[path.stem] == path.read_text(encoding="utf-8"), f"{path.name} differs from a fresh import"


def test_fixtures_load_into_an_empty_database(capsys):
    call_command("load_seed_data")
    assert Recommendation.objects.count() == 30
    assert Response.objects.count() == 14
    assert serialize_fixtures() == {path.stem: path.read_text(encoding="utf-8") for path in fixture_paths()}


def test_a_preview_writes_nothing():
    results = sources_import(manifest=MANIFEST, commit=False)
    assert [r.found for r in results] == [14, 14, 16, 18, 1]
    assert not any(r.committed for r in results)
    assert Document.objects.count() == Recommendation.objects.count() == Response.objects.count() == 0


def test_importing_twice_changes_nothing(imported):
    before = serialize_fixtures()
    again = sources_import(manifest=MANIFEST, commit=True)
    assert {action for result in again for action in result.actions} == {"unchanged"}
    assert serialize_fixtures() == before


def test_reimport_keeps_what_admins_entered(imported):
    rec = Recommendation.objects.get(report__title="Domestic abuse", number=4)
    rec.text = "MOPAC should report back by May 2020 (wording corrected by an admin)."
    rec.edited_by_admin = True
    rec.save()
    response = Response.objects.get(recommendation__number=2, recommendation__report__title__startswith="Violence")
    response.assessment = "partially_accepted"
    response.assessment_rationale = "Promises a review, not the dip sample asked for."
    response.save()

    results = sources_import(manifest=MANIFEST, commit=True)

    rec.refresh_from_db()
    response.refresh_from_db()
    assert rec.text.endswith("(wording corrected by an admin).")
    assert response.assessment == "partially_accepted" and response.assessment_rationale.startswith("Promises")
    kept = [line for result in results for line in result.lines if "[kept]" in line]
    assert len(kept) == 1 and "recommendation 4" in kept[0] and "text" in kept[0]


def test_a_failing_document_rolls_back_the_whole_batch(tmp_path):
    (tmp_path / "good.txt").write_bytes((SOURCES / "002_7c65ebac806b2e61.txt").read_bytes())
    (tmp_path / "bad.txt").write_text("Minutes of a meeting about the weather.\n")
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"sources": [{"file": "good.txt", "kind": "auto"}, {"file": "bad.txt", "kind": "auto"}]}))
    with pytest.raises(ParseError, match="Could not recognise"):
        sources_import(manifest=manifest, commit=True)
    assert Report.objects.count() == 0 and Document.objects.count() == 0


# --- commands and bad input ----------------------------------------------------------------------


def test_import_document_preview_prints_items_and_writes_nothing(capsys):
    call_command("import_document", str(SOURCES / "003_7e0a022b52963b59.txt"))
    out = capsys.readouterr().out
    assert "recommendation 4: to MOPAC; deadline 2020-05-31 ('by May 2020')" in out
    assert "CONFLICTING DEADLINES 2020-05-31 'by May 2020' (summary" in out and "2020-07-31 'by July 2020' (chapter" in out
    assert "found 16" in out and "preview: nothing written" in out
    assert Recommendation.objects.count() == 0


def test_import_document_commit_then_letter_matched_by_title(capsys):
    call_command("import_document", str(SOURCES / "002_7c65ebac806b2e61.txt"), "--commit")
    call_command("import_document", str(SOURCES / "001_79a9159c5d07971e.txt"), "--commit")
    out = capsys.readouterr().out
    assert "found 14, matched 14, missed 0" in out
    assert Report.objects.count() == 1
    assert Response.objects.filter(recommendation__report__slug="violence-against-women-and-girls").count() == 14


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"Minutes of the meeting. Apologies were received. The weather was discussed.", "Could not recognise"),
        (bytes(range(256)) * 4, "neither plain text nor a PDF"),
        (b"%PDF-1.4\n garbage that is not a pdf", "could not be read as a PDF"),
    ],
    ids=["empty", "blank", "unrelated", "binary", "broken-pdf"],
)
def test_bad_input_is_refused_clearly_and_writes_nothing(tmp_path, content, message):
    path = tmp_path / "upload.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message) as error:
        call_command("import_document", str(path), "--commit")
    assert "Nothing was written" in str(error.value)
    assert Document.objects.count() == 0


def test_bad_input_exits_non_zero_from_the_shell(tmp_path, transactional_db):
    path = tmp_path / "empty.txt"
    path.write_text("")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_document", str(path)], cwd=ROOT, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "tracker.settings.test", "DATABASE_URL": database_url()},
    )
    assert result.returncode != 0
    assert "empty" in result.stderr


def test_a_letter_for_an_unknown_report_slug_is_refused():
    data = (SOURCES / "001_79a9159c5d07971e.txt").read_bytes()
    with pytest.raises(ImportProblem, match="no report with the slug 'nope'"):
        document_import(data=data, source_name="letter.txt", report_slug="nope", commit=True)
    assert Document.objects.count() == 0


# --- documents of the same families, written here -------------------------------------------------

OWN_REPORT = """Police and Crime Committee

Knife crime in London

March 2024

Foreword

Knife crime continues to blight communities across the capital.

Recommendations

Recommendation 1

MOPAC should publish a knife crime action plan by June 2024, setting out
how it will measure progress.

Recommendation 2

The Met must record the outcome of every weapons sweep and share the
results with this Committee.

Recommendation 3

The Mayor should fund youth outreach in every borough.
"""

OWN_LETTER = """MAYOR OF LONDON

Chair of the Police and Crime Committee
City Hall

Our ref: MGLA010424-0001
Date: 2 May 2024

Dear Chair,

Thank you for your report, 'Knife crime in London'. The annex sets out my response to each
recommendation.

Yours sincerely,

Sadiq Khan
Mayor of London

Recommendation 1

MOPAC should publish a knife crime action plan by June 2024, setting out how it will measure progress.

MOPAC accepts this recommendation. The action plan will be published by September 2024.

Recommendation 2

The Met must record the outcome of every weapons sweep and share the results with this Committee.

The MPS already records these outcomes and will share them quarterly.

Recommendation 3

The Mayor should fund youth outreach in every borough.

I have funded outreach in twenty boroughs this financial year (2024-25).
"""


def test_a_report_and_letter_written_here_import_without_code_changes(tmp_path):
    (tmp_path / "report.txt").write_text(OWN_REPORT)
    (tmp_path / "letter.txt").write_text(OWN_LETTER)
    call_command("import_document", str(tmp_path / "report.txt"), "--commit")
    call_command("import_document", str(tmp_path / "letter.txt"), "--commit")

    report = Report.objects.get()
    assert report.title == "Knife crime in London"
    recs = {rec.number: rec for rec in report.recommendations.prefetch_related("addressees")}
    assert sorted(recs) == [1, 2, 3]
    assert recs[1].deadline == D(2024, 6, 30) and recs[1].deadline_text == "by June 2024"
    assert [org.short_name for org in recs[2].addressees.all()] == ["Met"]
    assert Response.objects.filter(recommendation__report=report).count() == 3
    promise = Commitment.objects.get(due_date=D(2024, 9, 30))
    assert "published by September 2024" in promise.text
    # answered on 2 May 2024, before its June deadline
    status = Recommendation.objects.with_deadline_status(today=D(2024, 7, 1)).get(pk=recs[1].pk).deadline_status
    assert status == "met"


def _pdf_with_lines(lines: list[str]) -> bytes:
    """A minimal one-page PDF with one text line per entry (standard Helvetica, no dependencies)."""
    def escape(line: str) -> str:
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 10 Tf 14 TL 40 800 Td " + " ".join(f"({escape(line)}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = "%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("latin-1")


def test_a_pdf_report_is_read_through_its_text(tmp_path, capsys):
    path = tmp_path / "report.pdf"
    path.write_bytes(_pdf_with_lines(OWN_REPORT.splitlines()))
    call_command("import_document", str(path), "--commit")
    out = capsys.readouterr().out
    assert "found 3" in out
    rec = Recommendation.objects.get(number=1)
    assert rec.deadline == D(2024, 6, 30)
    assert Document.objects.get().kind == Document.Kind.COMMITTEE_REPORT


def test_a_letter_goes_to_the_report_with_its_exact_title_not_one_whose_title_starts_the_same(tmp_path):
    from tests.factories import ReportFactory

    shorter = ReportFactory(slug="knife-crime", title="Knife crime", published=None, published_precision="unknown")
    exact = ReportFactory(slug="knife-crime-in-london", title="Knife crime in London", published=None, published_precision="unknown")
    assert list(Report.objects.values_list("title", flat=True)) == ["Knife crime", "Knife crime in London"]  # the shorter is met first
    result = document_import(data=OWN_LETTER.encode(), source_name="letter.txt", commit=True)
    assert result.report_slug == exact.slug
    assert Response.objects.filter(recommendation__report=exact).count() == 3
    assert not shorter.recommendations.exists()


def test_a_title_that_partly_matches_two_reports_matches_neither():
    from importer.services import _find_report
    from tests.factories import ReportFactory

    ReportFactory(slug="knife-crime-in-london-2023", title="Knife crime in London 2023")
    ReportFactory(slug="knife-crime-in-london-2024", title="Knife crime in London 2024")
    assert _find_report("Knife crime in London") is None
    assert _find_report("Knife crime in London 2024").slug == "knife-crime-in-london-2024"
