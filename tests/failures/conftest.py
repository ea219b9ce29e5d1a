"""Running our management commands in their own processes, against the test's database.

On SQLite the test database is a file (``tests/conftest.py``), so another process can open it; on
PostgreSQL it is the test database on the same server. Tests that use ``run_command`` need
``django_db(transaction=True)``, so the process sees the rows the test wrote.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.database_url import database_url  # noqa: F401 (used by the fixtures below)

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 120  # how long a command may take before the test gives up; not a timing assertion


def command_env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "tests.failures.command_settings",
        **extra,
    }


def start_command(*args: str, **env: str) -> subprocess.Popen:
    """``manage.py`` with ``args`` in its own process; its output is captured as text."""
    return subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=command_env(**env),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def run_command(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run ``manage.py`` with ``args`` to the end; returns its status, stdout and stderr."""
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=command_env(**env),
        capture_output=True, text=True, timeout=WAIT_SECONDS,
    )


@pytest.fixture
def test_database_url(transactional_db) -> str:
    return database_url()
