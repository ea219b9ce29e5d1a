"""Issue 16: pages worked out afresh (page cache off) stay light as the data grows.

- PostgreSQL's JIT is off for the app's connections: it spent about 250 ms compiling each page
  query whose planner cost was high (correlated subqueries at 250,000 rows) for queries that run in
  about 10 ms (bench/NOTES.md).
- The list page's HTML, filter form's choices included, stays under 100 KB when there are more
  reports than the report filter lists.
"""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from importer.synthetic import synthetic_dataset_generate
from recommendations.models import Report
from responses.filters import REPORT_SELECT_LIMIT

ROOT = Path(__file__).resolve().parents[2]
ANCHOR = datetime.date(2026, 11, 22)


def _database_settings(database_url: str, **extra: str) -> dict:
    code = "import json; from tracker.settings import base; print(json.dumps(base.DATABASES['default'].get('OPTIONS', {})))"
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT), **extra}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_postgresql_connections_turn_jit_off():
    options = _database_settings("postgres://u@127.0.0.1:5432/tracker")
    assert "-c jit=off" in options["options"]


def test_jit_can_be_turned_back_on_and_sqlite_is_left_alone():
    assert "jit" not in _database_settings("postgres://u@127.0.0.1:5432/tracker", POSTGRES_JIT="true").get("options", "")
    assert "options" not in _database_settings("sqlite:////tmp/tracker-perf-cold.sqlite3")


@pytest.mark.django_db
def test_list_page_under_100_kb_with_more_reports_than_the_filter_lists(client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the cold path: worked out afresh
    synthetic_dataset_generate(recommendations=2500, seed=1, anchor=ANCHOR, subscribers=0)
    assert Report.objects.count() > REPORT_SELECT_LIMIT
    for query in ("", "?status=overdue", "?addressee=mayors-office-for-policing-and-crime", "?q=knife"):
        response = client.get("/recommendations/" + query)
        assert response.status_code == 200
        html = response.content.decode()
        assert len(response.content) < 100 * 1024, (query, len(response.content))
        report_select = html.split('name="report"', 1)[1].split("</select>", 1)[0]
        assert report_select.count("<option") <= REPORT_SELECT_LIMIT + 1  # "Any report" besides the reports
