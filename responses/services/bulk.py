"""Assessments and implementation statuses updated by CSV round trip: download the replies as CSV,
edit them in a spreadsheet, upload the file, check the preview, confirm.

- ``bulk_rows`` / ``bulk_csv_lines``: the download (one row per reply, with the stable id the
  open-data export gives it);
- ``bulk_preview``: reads an edited CSV and says, row by row, what would change and what is wrong.
  It writes nothing and reads the database in a fixed number of queries whatever the file's size;
- ``responses_bulk_update``: applies a preview's changes, all or nothing, in one transaction,
  refusing any row someone else changed since the preview. Each saved reply is marked
  ``edited_by_admin`` and its history names the user.

Only the four judgement columns are read back; the others are there to help the person editing,
except ``version``: the id of the reply's latest history record when the file was downloaded. A row
whose reply has changed since (someone else's edit, a move, a correction) is shown as a **conflict**
and never applied, so a stale file cannot silently undo another person's change; the other rows
can still be confirmed. A blank version (a row typed by hand) is not checked.
Cells that would start a spreadsheet formula are written with a leading quote and read back without
it (``tracker/csvcells.py``), so a downloaded file uploaded unchanged changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, QuerySet, Subquery

from recommendations.identifiers import recommendation_id
from recommendations.models import Report
from tracker.csvcells import csv_cell, csv_cell_value

from ..models import Assessment, ImplementationStatus, Response

BULK_FIELDS = [
    "id",
    "report",
    "number",
    "recommendation",
    "reply_received",
    "assessment",
    "assessment_rationale",
    "implementation_status",
    "implementation_evidence",
    "version",
]
EDITABLE = {
    "assessment": ("Assessment", Assessment),
    "assessment_rationale": ("Assessment rationale", None),
    "implementation_status": ("Implementation status", ImplementationStatus),
    "implementation_evidence": ("Implementation evidence", None),
}
REQUIRED_COLUMNS = ["id", *EDITABLE]
CHANGE_REASON = "Bulk update by CSV"
SHORT_WORDS = 20


VERSION_MISSING = (
    "The header row has no version column, so the file cannot show whether someone changed a reply since it "
    "was downloaded: download a fresh CSV and make your changes there."
)


class BulkConflict(Exception):
    """A confirmed change no longer applies: the reply changed, or went, since the preview."""


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str
    old_display: str
    new_display: str


@dataclass
class RowChange:
    """One CSV row that changes a reply: what each changed column was and becomes."""

    row: int  # the row number a spreadsheet shows (the header is row 1)
    id: str
    response_pk: int
    report_title: str
    number: int
    changes: list[FieldChange]
    version: str = ""  # the reply's latest history id the file was downloaded at


@dataclass
class RowConflict:
    """A row whose reply changed since the file was downloaded: not applied."""

    row: int
    id: str
    message: str


@dataclass
class RowError:
    row: int
    id: str
    messages: list[str]


@dataclass
class BulkPreview:
    """What an uploaded CSV would change. ``problems`` are about the file as a whole (the header,
    the format); ``errors`` about single rows. Confirmable only when both are empty."""

    changes: list[RowChange] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    conflicts: list[RowConflict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rows: int = 0  # data rows read (blank rows are not counted)

    @property
    def is_valid(self) -> bool:
        return not self.problems and not self.errors


# --- the download ----------------------------------------------------------------------------------


def response_bulk_id(response: Response) -> str:
    """The reply's stable id, as in the open-data export: ``<report slug>/<number>/<letter hash>``."""
    rec = response.recommendation
    return f"{recommendation_id(rec.report.slug, rec.number)}/{response.letter.sha256[:12]}"


def _with_version(rows: QuerySet) -> QuerySet:
    """Each reply with ``version``: the id of its latest history record ("" with none)."""
    latest = Response.history.filter(id=OuterRef("pk")).order_by("-history_id").values("history_id")[:1]
    return rows.annotate(version=Subquery(latest))


def _version(response: Response) -> str:
    return "" if response.version is None else str(response.version)


# What a download row reads, as plain values: model instances (four per row) would cost more than
# everything else, and a letter's full text would be read again for every one of its replies.
ROW_VALUES = (
    "recommendation__report__slug",
    "recommendation__number",
    "recommendation__short_text",
    "recommendation__text",
    "date_received",
    *EDITABLE,
    "letter__sha256",
    "version",
)
REPORTS_PER_BATCH = 100  # the whole download is read this many reports at a time


def bulk_rows(*, report_slug: str | None = None) -> QuerySet:
    """The replies a download lists (all, or one report's), as tuples of ``ROW_VALUES``."""
    rows = _with_version(Response.objects.all()).order_by("recommendation__report__slug", "recommendation__number", "date_received", "pk")
    if report_slug:
        rows = rows.filter(recommendation__report__slug=report_slug)
    return rows.values_list(*ROW_VALUES)


def bulk_rows_streamed(*, report_slug: str | None = None) -> Iterator[tuple]:
    """``bulk_rows`` in the same order, read a batch of reports at a time: the first rows of the
    whole download come at once (not after sorting every reply) and memory stays bounded."""
    if report_slug:
        yield from bulk_rows(report_slug=report_slug).iterator(chunk_size=2000)
        return
    after = ""  # keyset pagination on the unique slug: no report is read twice or missed
    while True:
        batch = list(Report.objects.filter(slug__gt=after).order_by("slug").values_list("pk", "slug")[:REPORTS_PER_BATCH])
        if not batch:
            return
        yield from bulk_rows().filter(recommendation__report__in=[pk for pk, _ in batch])
        after = batch[-1][1]


def _short(text: str) -> str:
    words = text.split()
    return " ".join(words[:SHORT_WORDS]) + (" …" if len(words) > SHORT_WORDS else "")


def _csv_row(row: tuple) -> list:
    slug, number, short_text, text, received, assessment, rationale, status, evidence, sha256, version = row
    return [
        f"{recommendation_id(slug, number)}/{sha256[:12]}",  # as response_bulk_id
        slug,
        number,
        _short(short_text or text),
        received.isoformat(),
        assessment,
        rationale,
        status,
        evidence,
        "" if version is None else str(version),
    ]


def bulk_csv_lines(rows: Iterable[tuple], *, lines_per_chunk: int = 200) -> Iterator[str]:
    """The download as CSV text: the header, then the replies' lines (``bulk_rows``' tuples),
    ``lines_per_chunk`` at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(BULK_FIELDS)
    for count, row in enumerate(rows.iterator(chunk_size=2000) if isinstance(rows, QuerySet) else rows):
        if count % lines_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        # csv_cell: no cell starts a spreadsheet formula (tracker/csvcells.py)
        writer.writerow(csv_cell(value) for value in _csv_row(row))
    if buffer.tell():
        yield buffer.getvalue()


# --- the preview -----------------------------------------------------------------------------------


def _text(value: str | None) -> str:
    """A cell as stored: spreadsheets write Windows line ends and pad cells."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _choice(value: str, choices, label: str) -> tuple[str | None, str | None]:
    """(value, None) for a choice given as its value or its words, in any case; else (None, error)."""
    wanted = " ".join(value.split()).casefold()
    for choice_value, choice_label in choices.choices:
        if wanted in (choice_value.casefold(), choice_label.casefold(), choice_value.replace("_", " ").casefold()):
            return choice_value, None
    allowed = "; ".join(f"{choice_label} ({choice_value})" for choice_value, choice_label in choices.choices)
    if not value.strip():
        return None, f"{label} is empty: give one of: {allowed}."
    return None, f"{label}: '{value.strip()}' is not one of: {allowed}."


def bulk_preview(*, csv_text: str) -> BulkPreview:
    """Read an edited CSV and say what it would change. Writes nothing.

    Each row is matched to its reply by id; the assessment and implementation status may be given
    as their value (``partially_accepted``) or their words (``Partially accepted``), in any case.
    Changed rows are validated as the model validates a save (closing an item needs evidence).
    """
    preview = BulkPreview()
    table = _read_table(csv_text, preview)
    if table is None:
        return preview
    header = [cell.strip().lower() for cell in table[0]]
    preview.problems.extend(_header_problems(header))
    if preview.problems:
        return preview
    preview.ignored_columns = [name for name in header if name and name not in BULK_FIELDS]
    column = {name: header.index(name) for name in header if name}

    # (row number, cells)
    records = [(index, cells) for index, cells in enumerate(table[1:], start=2) if any(cell.strip() for cell in cells)]
    preview.rows = len(records)
    responses = _responses_by_id({cells[column["id"]].strip() for _, cells in records if len(cells) > column["id"]})

    seen: dict[str, int] = {}
    stale: list[tuple[int, str, Response]] = []
    for row, cells in records:
        _preview_row(preview, row, cells, header=header, column=column, responses=responses, seen=seen, stale=stale)
    preview.conflicts = _conflicts(stale)
    return preview


def _read_table(csv_text: str, preview: BulkPreview) -> list[list[str]] | None:
    """The CSV's rows from its first non-blank one (the header); None, with the problem noted, if it has none."""
    try:
        reader = csv.reader(io.StringIO(csv_text, newline=""), strict=True)
        # the download wrote "'=..." for a value "=..." so no spreadsheet runs it: read back the value
        table = [[csv_cell_value(cell) for cell in row] for row in reader]
    except csv.Error as error:
        preview.problems.append(f"The file could not be read as CSV ({error}).")
        return None
    while table and not any(cell.strip() for cell in table[0]):
        table.pop(0)
    if not table:
        preview.problems.append("The file is empty: it has no header row and no replies.")
        return None
    return table


def _header_problems(header: list[str]) -> list[str]:
    """What is wrong with the header row: missing, repeated or (without a version column) out-of-date columns."""
    problems: list[str] = []
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    duplicated = sorted({name for name in header if name and header.count(name) > 1})
    if missing:
        problems.append(
            f"The header row has no {', '.join(missing)} column{'s' if len(missing) > 1 else ''}: "
            f"upload the CSV this page downloads, whose first row is {','.join(BULK_FIELDS)}."
        )
    if duplicated:
        problems.append(f"The header row names {', '.join(duplicated)} more than once.")
    if not missing and "version" not in header:
        problems.append(VERSION_MISSING)
    return problems


def _preview_row(
    preview: BulkPreview,
    row: int,
    cells: list[str],
    *,
    header: list[str],
    column: dict[str, int],
    responses: dict[str, Response],
    seen: dict[str, int],
    stale: list[tuple[int, str, Response]],
) -> None:
    """Add one row to the preview: an error, unchanged, stale (a conflict), or a change."""
    if len(cells) > len(header):
        preview.errors.append(RowError(row, "", [f"The row has {len(cells)} cells but the header only {len(header)}."]))
        return
    cells = cells + [""] * (len(header) - len(cells))
    ident = cells[column["id"]].strip()
    if not ident:
        preview.errors.append(RowError(row, "", ["The id is empty: every row needs the id it was downloaded with."]))
        return
    response = responses.get(ident)
    if response is None:
        preview.errors.append(RowError(row, ident, [f"No reply has the id '{ident}'."]))
        return
    if ident in seen:
        preview.errors.append(RowError(row, ident, [f"The same reply is in row {seen[ident]} already."]))
        return
    seen[ident] = row
    wanted, messages = _wanted_values(cells, column)
    if messages:
        preview.errors.append(RowError(row, ident, messages))
        return
    changes = [
        _field_change(name, _text(getattr(response, name)), wanted[name])
        for name in EDITABLE
        if _text(getattr(response, name)) != wanted[name]
    ]
    if not changes:
        preview.unchanged += 1
        return
    if _stale(cells[column["version"]], response):
        stale.append((row, ident, response))
        return
    problems = _validation_problems(response, wanted)
    if problems:
        preview.errors.append(RowError(row, ident, problems))
        return
    rec = response.recommendation
    preview.changes.append(RowChange(row, ident, response.pk, rec.report.title, rec.number, changes, _version(response)))


def _wanted_values(cells: list[str], column: dict[str, int]) -> tuple[dict[str, str], list[str]]:
    """(the editable fields' values as the row gives them, messages for choices that are not allowed)."""
    messages: list[str] = []
    wanted: dict[str, str] = {}
    for name, (label, choices) in EDITABLE.items():
        raw = cells[column[name]]
        if choices is None:
            wanted[name] = _text(raw)
            continue
        value, error = _choice(raw, choices, label)
        if error:
            messages.append(error)
        else:
            wanted[name] = value
    return wanted, messages


def _stale(version_cell: str, response: Response) -> bool:
    """Whether the row was downloaded before the reply's latest change. A blank cell (a row typed by
    hand, not downloaded) is not checked."""
    version = version_cell.strip()
    return bool(version) and version != _version(response)


def _conflicts(stale: list[tuple[int, str, Response]]) -> list[RowConflict]:
    """Say who changed each stale row's reply, and when (one query for them all)."""
    if not stale:
        return []
    latest = {
        version.history_id: version
        for version in Response.history.filter(history_id__in=[r.version for _, _, r in stale]).select_related("history_user")
    }
    conflicts = []
    for row, ident, response in stale:
        version = latest.get(response.version)
        who = (version.history_user.get_username() if version and version.history_user else "an import or command")
        when = f" on {version.history_date:%-d %B %Y at %H:%M}" if version else ""
        conflicts.append(
            RowConflict(
                row,
                ident,
                f"Changed by {who}{when}, after this file was downloaded: this row is not applied, so their change "
                "is kept. Download a fresh CSV to change this reply.",
            )
        )
    return conflicts


def _responses_by_id(ids: set[str]) -> dict[str, Response]:
    """The replies these ids name, in one query (ids are ``<report slug>/<number>/<hash>``)."""
    slugs = {ident.split("/", 1)[0] for ident in ids if ident.count("/") == 2}
    if not slugs:
        return {}
    rows = _with_version(Response.objects.filter(recommendation__report__slug__in=slugs)).select_related(
        "recommendation__report", "letter"
    )
    by_id = {response_bulk_id(response): response for response in rows}
    return {ident: by_id[ident] for ident in ids if ident in by_id}


def _field_change(name: str, old: str, new: str) -> FieldChange:
    label, choices = EDITABLE[name]
    labels = dict(choices.choices) if choices else {}
    return FieldChange(name, label, old, new, labels.get(old, old), labels.get(new, new))


def _validation_problems(response: Response, wanted: dict[str, str]) -> list[str]:
    """What the model would refuse if ``response`` were saved with ``wanted`` (no queries: the
    recommendation and report are selected with it; nothing is saved)."""
    original = {name: getattr(response, name) for name in EDITABLE}
    for name, value in wanted.items():
        setattr(response, name, value)
    try:
        response.clean_fields(exclude=[f.name for f in Response._meta.fields if f.name not in EDITABLE])
        response.clean()
    except ValidationError as error:
        return [
            f"{EDITABLE.get(name, (name.replace('_', ' ').capitalize(),))[0]}: {message}"
            if name != "__all__"
            else message
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    finally:
        for name, value in original.items():
            setattr(response, name, value)
    return []


# --- the update ------------------------------------------------------------------------------------


@transaction.atomic
def responses_bulk_update(*, changes: list[RowChange], user) -> int:
    """Apply a preview's changes, all or nothing. Returns how many replies were saved.

    Raises ``BulkConflict`` (nothing saved) when a reply went, or a changed column no longer holds
    what the preview showed as its old value: someone edited it since. Raises ``ValidationError``
    if a change is no longer valid.
    """
    responses = Response.objects.select_for_update().select_related("recommendation__report").in_bulk(
        [change.response_pk for change in changes]
    )
    versions = dict(
        Response.history.filter(id__in=[change.response_pk for change in changes])
        .values("id")
        .annotate(latest=Max("history_id"))
        .values_list("id", "latest")
    )
    for change in changes:
        response = responses.get(change.response_pk)
        if response is None:
            raise BulkConflict(f"Row {change.row}: the reply {change.id} was deleted since the preview. Nothing was saved.")
        if change.version and str(versions.get(change.response_pk, "")) != change.version:
            raise BulkConflict(
                f"Row {change.row}: {change.id} was changed by someone else since the preview. Nothing was saved: "
                "download a fresh CSV and make your changes there."
            )
        for field_change in change.changes:
            if _text(getattr(response, field_change.field)) != field_change.old:
                raise BulkConflict(
                    f"Row {change.row}: the {field_change.label.lower()} of {change.id} was changed by someone else "
                    "since the preview. Nothing was saved: download a fresh CSV and make your changes there."
                )
            setattr(response, field_change.field, field_change.new)
        response.edited_by_admin = True
        response._history_user = user  # simple-history: who, even outside a request
        response._change_reason = CHANGE_REASON
        response.full_clean()
        response.save()
    return len(changes)


__all__ = [
    "BULK_FIELDS",
    "BulkConflict",
    "BulkPreview",
    "FieldChange",
    "RowChange",
    "RowConflict",
    "RowError",
    "bulk_csv_lines",
    "bulk_preview",
    "bulk_rows",
    "bulk_rows_streamed",
    "response_bulk_id",
    "responses_bulk_update",
]
