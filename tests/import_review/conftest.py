"""Editors, sign-in and the documents of tests/manage_import, shared with the review tests."""

from tests.manage_import.conftest import PASSWORD, editor, vawg_report  # noqa: F401
