"""The staff editing fixtures (a user per role, a small report with a reply and a commitment)."""

from tests.editing.conftest import client_for, users, world  # noqa: F401 (pytest fixtures)
