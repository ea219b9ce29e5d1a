"""Seed fixtures: the database's imported content written as JSON, deterministically.

``fixtures/*.json`` are produced by importing ``fixtures/sources/`` (``import_sources --commit``)
and then ``write_fixtures``; the run command loads them into an empty database with ``loaddata``.
Records are keyed by natural keys (slugs, numbers, file hashes), never database ids, and carry no
timestamps, so importing the same sources always writes byte-identical files (a test checks).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core import serializers

from recommendations.models import Document, Organisation, Recommendation, RecommendationAppearance, Report
from responses.models import Ask, Commitment, Consultation, Response, Submission

# File name -> (model, ordering) in load order: each file refers only to files before it.
FIXTURE_GROUPS: dict[str, list[tuple[type, list[str]]]] = {
    "organisations": [(Organisation, ["slug"])],
    "documents": [(Report, ["slug"]), (Document, ["sha256"])],
    "recommendations": [
        (Recommendation, ["report__slug", "number"]),
        (RecommendationAppearance, ["document__sha256", "section", "line"]),
    ],
    "responses": [
        (Response, ["recommendation__report__slug", "recommendation__number", "letter__sha256"]),
        (Commitment, ["document__sha256", "position"]),
    ],
    "consultations": [
        (Consultation, ["slug"]),
        (Submission, ["document__sha256", "start_line"]),
        (Ask, ["submission__document__sha256", "submission__start_line", "line"]),
    ],
}
VOLATILE_FIELDS = {"created_at", "updated_at"}
# Fields an editor fills in by hand (no importer sets them): left out of the fixtures while empty,
# so adding one does not change every fixture file.
OMITTED_WHEN_EMPTY = {"published_source"}


def fixtures_folder() -> Path:
    return Path(settings.BASE_DIR) / "fixtures"


def fixture_paths(folder: Path | None = None) -> list[Path]:
    folder = folder or fixtures_folder()
    return [folder / f"{name}.json" for name in FIXTURE_GROUPS]


def serialize_fixtures() -> dict[str, str]:
    """Each fixture file's exact contents, from what is in the database now."""
    files = {}
    for name, groups in FIXTURE_GROUPS.items():
        records = []
        for model, ordering in groups:
            payload = serializers.serialize(
                "json",
                model.objects.order_by(*ordering),
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
            )
            for record in json.loads(payload):
                for field_name in VOLATILE_FIELDS:
                    record["fields"].pop(field_name, None)
                for field_name in OMITTED_WHEN_EMPTY:
                    if record["fields"].get(field_name, None) == "":
                        del record["fields"][field_name]
                for field_name, value in record["fields"].items():
                    if isinstance(value, list) and field_name == "addressees":
                        record["fields"][field_name] = sorted(value)
                records.append(record)
        files[name] = json.dumps(records, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    return files
