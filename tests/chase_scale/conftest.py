"""Fixtures: a user per role."""

from tests.editing.conftest import client_for, users  # noqa: F401 (one user per role, signed in)
