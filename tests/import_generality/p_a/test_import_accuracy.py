"""``manage.py import_accuracy FOLDER``: documents read as an import would, compared with labels in
the development corpus's schema, per document and in total; nothing written."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from importer.accuracy import strip_corpus_header
from recommendations.models import Document

from .documents import GOVERNMENT_RESPONSE, NOTHING_ASKED, REPORT_PAGE

pytestmark = pytest.mark.django_db

HEADER = "SOURCE: https://example.org/page\nFRAGMENT: complete\n"
LABELS = {
    "about": "test labels",
    "documents": {
        "riverside.txt": {
            "kind": "report_page",
            "recommendations": [
                {"number": "1", "numbered_in_text": True, "first_words": "The brigade should publish a plan for inspecting every",
                 "addressees": ["London Fire Brigade"], "deadline_text": "by 30 September 2024", "deadline_date": "2024-09-30"},
                {"number": "2", "numbered_in_text": True, "first_words": "The Ministry of Housing should fund the fitting of",
                 "addressees": ["Ministry of Housing"], "deadline_text": "within six months", "deadline_date": None},
                {"number": "3", "numbered_in_text": True, "first_words": "The Mayor should report progress on the plan",
                 "addressees": ["The Mayor"], "deadline_text": "annually", "deadline_date": None},
                {"number": "4", "numbered_in_text": True, "first_words": "The Mayor should plant a tree in every",
                 "addressees": ["The Mayor"], "deadline_text": "", "deadline_date": None},
            ],
        },
        "response.txt": {
            "kind": "response",
            "recommendations": [  # as the response restates them
                {"number": "1", "numbered_in_text": True, "first_words": "The brigade should publish a plan for inspecting every"},
                {"number": "2", "numbered_in_text": True, "first_words": "The Ministry of Housing should fund the fitting of"},
            ],
            "replies": [
                {"answers": "1", "status": "accepted", "commitments": []},
                {"answers": "2", "status": "rejected", "commitments": []},
            ],
        },
        "summary.txt": {"kind": "other", "recommendations": []},
    },
}


@pytest.fixture
def corpus(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in (("riverside.txt", REPORT_PAGE), ("response.txt", GOVERNMENT_RESPONSE), ("summary.txt", NOTHING_ASKED)):
        (docs / name).write_text(HEADER + text)
    (tmp_path / "labels.json").write_text(json.dumps(LABELS))  # FOLDER/../labels.json, as the corpus keeps it
    return docs


def _run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_accuracy", *map(str, args), stdout=out)
    return out.getvalue()


def test_each_document_and_the_totals_are_reported(corpus):
    output = _run(corpus)
    lines = {line.split(":")[0]: line for line in output.splitlines() if line.endswith(("dates", "positions 2/2", "0/0 dates"))}
    assert "riverside.txt: report_page; recommendations 3/4 found, 1 missed, 0 spurious" in output
    assert "addressees 3/3; deadlines 3/3 words, 1/1 dates" in lines["riverside.txt"]
    assert "response.txt: response;" in output and "replies 2/2 matched, positions 2/2" in output
    assert "summary.txt: refused (label other)" in output
    assert "Documents: 3; kind right 2/3 (67%)" in output
    assert "response.txt: response; recommendations 2/2 found, 0 missed, 0 spurious" in output
    assert "Recommendations found: 5/6 (83%); missed 1; spurious 0" in output
    assert "Replies matched: 2/2 (100%)" in output
    assert not Document.objects.exists()  # measuring writes nothing


def test_details_say_what_was_missed_and_why_a_document_was_refused(corpus):
    output = _run(corpus, "--details")
    assert "missed 4: The Mayor should plant a tree" in output
    assert "Could not recognise this document" in output and "Looked for" in output


def test_the_corpus_header_lines_are_not_part_of_the_document():
    assert strip_corpus_header(HEADER + "SOURCE-ish line stays\nText") == "SOURCE-ish line stays\nText"


def test_figures_as_json_and_a_labels_file_given_by_hand(corpus, tmp_path):
    moved = tmp_path / "elsewhere.json"
    (tmp_path / "labels.json").rename(moved)
    with pytest.raises(CommandError, match="No labels file"):
        _run(corpus)
    figures = json.loads(_run(corpus, "--labels", moved, "--json"))
    assert figures["total"]["recommendations"] == 6 and figures["total"]["found"] == 5
