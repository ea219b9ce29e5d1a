"""Fixtures for the backup tests: a database holding one of everything, an empty database to
restore into, and every table read row by row.

The backups are of committed data (``transactional_db``): ``pg_dump`` and SQLite's backup API read
the database through their own connections, as they do while the site runs.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from alerts.services import watch_start
from followup.selectors import chase_draft, chase_targets
from followup.services import chaser_draft_create, chaser_record_sent, similarity_verdict
from importer.services import pending_import_create
from pages.figures import fill as dashboard_figures_fill
from recommendations.models import Organisation, OrganisationAlias, Recommendation, Report
from responses.models import Commitment, Response
from responses.services import (
    commitment_revise,
    digest_send,
    digest_subscription_update,
    flags_refresh,
    note_add,
    report_response_due_override,
    response_assess,
)

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "fixtures" / "sources"
PASSWORD = "a-long-test-passphrase-41"  # noqa: S105 (test users only)
TODAY = datetime.date(2025, 3, 3)  # a Monday, after the seed documents' deadlines


def _signed_in_officer(django_user_model):
    officer = django_user_model.objects.create_user("olive", email="olive@example.org", password=PASSWORD, first_name="Olive")
    # Transactional tests flush the data migration's groups: make the role again if it is gone.
    group, _ = Group.objects.get_or_create(name="Scrutiny officers")
    group.permissions.add(Permission.objects.get(codename="assess_response"))
    officer.groups.add(group)
    officer.user_permissions.add(Permission.objects.get(codename="add_note"))
    Client().force_login(officer)  # a session row
    return officer


def _sign_in_records(officer) -> None:
    """What django-axes keeps: a sign-in, a failed attempt (still counting) and its log."""
    seen = {"ip_address": "192.0.2.7", "user_agent": "Firefox", "http_accept": "text/html", "path_info": "/accounts/login/"}
    AccessLog.objects.create(username=officer.username, session_hash="0" * 64, **seen)
    attempt = AccessAttempt.objects.create(username="mallory", get_data="", post_data="username=mallory", failures_since_start=2, **seen)
    AccessAttemptExpiration.objects.create(access_attempt=attempt, expires_at=timezone.now() + datetime.timedelta(hours=1))
    AccessFailureLog.objects.create(username="mallory", locked_out=False, **seen)


def _staff_work(officer) -> None:
    """What staff and the jobs write through the services: history, a note, a revision, flags,
    a subscription and its delivery, an upload waiting for confirmation, an admin log entry."""
    recommendation = Recommendation.objects.order_by("pk").first()
    note_add(recommendation=recommendation, text="Ask MOPAC for the evaluation.", author=officer)
    response = Response.objects.order_by("pk").first()
    response_assess(response=response, assessment="accepted", rationale="Says yes.", implementation_status="in_progress", evidence="", user=officer)
    commitment = Commitment.objects.exclude(due_date=None).order_by("pk").first()
    commitment_revise(
        commitment=commitment, due_date=commitment.due_date + datetime.timedelta(days=90), reason="The Mayor's office asked for more time.", user=officer
    )
    report_response_due_override(
        report=Report.objects.order_by("pk").first(), due_date=datetime.date(2022, 9, 30), reason="Agreed at the meeting.", user=officer
    )
    flags_refresh(today=TODAY)
    dashboard_figures_fill(days=[TODAY])  # the daily job's stored dashboard counts
    OrganisationAlias.objects.get_or_create(alias="the Commissioner", defaults={"stands_for": "Met"})  # an editor's, in the admin
    digest_subscription_update(
        user=officer, subscribed=True, organisations=[Organisation.objects.get(short_name="MOPAC")], reports=[Report.objects.order_by("pk").first()]
    )
    _follow_up_work(officer)
    digest_send(today=TODAY)
    letter = (SOURCES / "001_79a9159c5d07971e.txt").read_bytes() + b"\nAn amended copy, sent again.\n"
    pending_import_create(user=officer, name="amended-letter.txt", data=letter)
    LogEntry.objects.create(
        user=officer, content_type=ContentType.objects.get_for_model(Recommendation), object_id=str(recommendation.pk),
        object_repr=str(recommendation)[:200], action_flag=CHANGE, change_message="[]",
    )


def _follow_up_work(officer) -> None:
    """A watch with its baseline, a chaser letter recorded as sent, an editor's verdict on a link."""
    watch_start(email="watcher@example.org", target=Recommendation.objects.order_by("pk").first(), today=TODAY)
    drafts = (chase_draft(kind=t.kind, key=t.key, today=TODAY, absolute=lambda path: path) for t in chase_targets(today=TODAY))
    draft = next(d for d in drafts if d.commitments and d.recommendations)  # a body with overdue deadlines and promises
    chaser = chaser_draft_create(draft=draft, today=TODAY, user=officer)
    chaser_record_sent(chaser=chaser, sent_on=TODAY, sent_to="The Mayor's office", user=officer)
    first, second = Recommendation.objects.order_by("pk")[:2]
    similarity_verdict(one=("recommendation", first.pk), other=("recommendation", second.pk), verdict="confirmed", score=0.5, user=officer)


@pytest.fixture
def everything(transactional_db, django_user_model, settings):
    """A database holding at least one row in every table."""
    settings.DIGEST_SEND_WHEN_EMPTY = True  # the delivery row must exist whatever the seed says
    call_command("import_sources", "--commit", verbosity=0)
    officer = _signed_in_officer(django_user_model)
    _sign_in_records(officer)
    _staff_work(officer)
    return officer


# --- Reading every table -------------------------------------------------------------------------


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def every_row() -> dict[str, list[tuple]]:
    """Every table the database holds, each as its sorted rows (a raw SELECT *), plus where the
    next automatic ids come from (SQLite's sqlite_sequence, PostgreSQL's sequences)."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if connection.vendor == "sqlite":
            tables.append("sqlite_sequence")
        rows = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from the catalogue)
            rows[table] = sorted((tuple(_plain(v) for v in row) for row in cursor.fetchall()), key=repr)
        if connection.vendor == "postgresql":
            cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
            rows["pg_sequences"] = sorted(cursor.fetchall())
    return rows


def schema() -> list[tuple]:
    """The database's own definitions: tables, indexes, triggers and functions."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
            return cursor.fetchall()
        cursor.execute(
            "SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
            "UNION ALL SELECT 'trigger', trigger_name || ' ' || event_manipulation || ' ' || event_object_table, action_statement "
            "FROM information_schema.triggers WHERE trigger_schema = 'public' "
            "UNION ALL SELECT 'function', p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' "
            "UNION ALL SELECT 'column', table_name || '.' || column_name, data_type || ' ' || coalesce(column_default, '') "
            "FROM information_schema.columns WHERE table_schema = 'public' "
            "ORDER BY 1, 2, 3"
        )
        return cursor.fetchall()


# --- An empty database to restore into -----------------------------------------------------------


def _postgres(statement: str) -> None:
    db = connection.settings_dict
    admin = psycopg2.connect(dbname="postgres", user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"])
    admin.autocommit = True  # CREATE and DROP DATABASE cannot run inside a transaction
    try:
        with admin.cursor() as cursor:
            cursor.execute(statement)
    finally:
        admin.close()


@contextmanager
def _connected_to(name: str):
    """The default connection points at database ``name`` (as Django's test runner points it at the
    test database) until the block ends."""
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


@pytest.fixture
def empty_database(tmp_path):
    """A context manager: inside it the site's database is a new, empty one (no tables at all)."""
    if connection.vendor == "sqlite":
        yield lambda: _connected_to(str(tmp_path / "restored.sqlite3"))
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    _postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _postgres(f'CREATE DATABASE "{name}"')
    try:
        yield lambda: _connected_to(name)
    finally:
        _postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
