"""Fixtures: the bodies the digest is about (as the job tests name them)."""

from tests.jobs.conftest import actors  # noqa: F401 (fixture)
