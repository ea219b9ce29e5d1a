"""One registry of document families: each is recognised, read and saved through its one entry;
the seeds keep their own families; the general families read the layouts the seeds do not."""

import json
from pathlib import Path

import pytest

from importer import services
from importer.parsing import families
from importer.parsing.detect import KINDS, detect_kind, parse_document
from importer.parsing.serialise import ReadDocument
from importer.parsing.types import ParseError

from .documents import GOVERNMENT_RESPONSE, INSPECTION_PAGE, NOTHING_ASKED, REPORT_PAGE

SOURCES = Path(__file__).resolve().parents[3] / "fixtures" / "sources"


def test_every_family_is_listed_once_with_a_saver_and_offered_as_a_kind():
    names = [family.name for family in families.FAMILIES]
    assert len(names) == len(set(names)) and tuple(names) == KINDS
    for family in families.FAMILIES:
        assert family.saves_as in services._SAVERS, family.name
        assert callable(family.module.detect) and callable(family.module.parse)


def test_the_seed_documents_are_still_read_by_their_own_families():
    manifest = json.loads((SOURCES / "manifest.json").read_text())["sources"]
    for entry in manifest:
        if entry["file"].endswith(".txt"):
            assert detect_kind((SOURCES / entry["file"]).read_text()) == entry["kind"], entry["file"]


@pytest.mark.parametrize(
    "text, family, label_kind",
    [
        (REPORT_PAGE, "recommendations_document", "report_page"),
        (INSPECTION_PAGE, "recommendations_document", "other"),
        (GOVERNMENT_RESPONSE, "reply_document", "response"),
    ],
    ids=["assembly-page", "inspection", "government-response"],
)
def test_layouts_the_seeds_do_not_have_are_read_by_the_general_families(text, family, label_kind):
    found, parsed = families.read(text)
    assert found.name == family and found.kind_of(parsed) == label_kind


def test_a_general_reading_survives_the_trip_to_and_from_the_child_process():
    parsed = parse_document(GOVERNMENT_RESPONSE)
    again = ReadDocument.from_json(json.loads(json.dumps(ReadDocument(text=GOVERNMENT_RESPONSE, parsed=parsed).to_json())))
    assert again.parsed == parsed


def test_a_document_with_nothing_asked_is_refused_naming_what_was_looked_for():
    with pytest.raises(ParseError) as refused:
        parse_document(NOTHING_ASKED)
    message = str(refused.value)
    assert "Looked for" in message and "Recommendation N" in message and "Government response" in message
