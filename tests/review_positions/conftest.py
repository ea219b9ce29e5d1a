"""Editors and sign-in, shared with the import pages' tests."""

from tests.manage_import.conftest import PASSWORD, editor  # noqa: F401
