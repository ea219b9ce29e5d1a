"""Fixtures: the seed data loaded from fixtures/ (as `make run` loads it) and a user per role."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.editing.conftest import client_for, users  # noqa: F401 (one user per role, signed in)


@pytest.fixture
def seeded(db):
    call_command("load_seed_data", verbosity=0)
