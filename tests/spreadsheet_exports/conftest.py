"""The seed documents imported, for the spreadsheet export tests; the query-count database of
tests/pages for the fixed-query checks."""

from pathlib import Path

import pytest

from importer.services import sources_import
from tests.pages.conftest import many_recommendations, today  # noqa: F401 (fixtures)

MANIFEST = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "manifest.json"


@pytest.fixture
def seeds(db):
    sources_import(manifest=MANIFEST, commit=True)
