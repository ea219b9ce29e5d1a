"""CSV for people: what every list's "Download as CSV" and ``export --format csv`` write.

The records are the open-data records of ``exports.py`` (the same as JSON Lines and the API, which
keep codes such as ``no_deadline`` and lists as JSON arrays, for programs). In a spreadsheet:

- the file starts with a UTF-8 byte order mark, so Excel reads ’ and £ as written;
- a coded value is shown by its label ("No deadline", "Partially accepted"), from ``LABELS``;
- a list is one cell of its items joined by "; " ("Home Office; Mayor's Office for Policing and
  Crime"), an item with several parts (a conflicting copy of a deadline, an ask) as one line of
  words, never JSON;
- every cell goes through ``csv_cell``: nothing a spreadsheet would run as a formula.

The header row keeps the records' field names (``id``, ``url``, ``deadline_status``): the same
names as the JSON, so a column can be looked up in either.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator

from django.db import models
from django.http import StreamingHttpResponse

from recommendations.dates import DatePrecision
from recommendations.models import Organisation
from recommendations.querysets import DeadlineStatus
from responses.models import Assessment, Commitment, ImplementationStatus
from responses.progress import Progress
from tracker.csvcells import csv_cell

BOM = "\ufeff"
LIST_SEPARATOR = "; "
# Records per piece of CSV text: one write per record costs more than the record itself (for a
# streamed response, a bytes conversion and a socket write each).
CSV_BATCH = 200


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


# Each dataset's coded fields and the labels they are shown by (dataset name as in exports.DATASETS).
LABELS: dict[str, dict[str, dict[str, str]]] = {
    "recommendations": {
        "deadline_precision": _labels(DatePrecision),
        "deadline_status": _labels(DeadlineStatus),
        "progress": _labels(Progress),
        "assessment": _labels(Assessment),
        "implementation_status": _labels(ImplementationStatus),
    },
    "responses": {"assessment": _labels(Assessment), "implementation_status": _labels(ImplementationStatus)},
    "commitments": {"due_precision": _labels(DatePrecision), "status": _labels(Commitment.Status)},
    "submissions": {"respondent_kind": _labels(Organisation.Kind)},
    "asks": {"respondent_kind": _labels(Organisation.Kind)},
    "reports": {"published_precision": _labels(DatePrecision)},
}


def _conflict_text(copy: dict) -> str:
    """A copy giving its own deadline: "2020-07-31 “by July 2020” in Knife crime report, chapter, line 40"."""
    place = ", ".join(str(part) for part in (copy.get("found_in"), copy.get("section")) if part)
    line = f", line {copy['line']}" if copy.get("line") else ""
    return f"{copy.get('date')} “{copy.get('words') or ''}” in {place}{line}"


def _ask_text(ask: dict) -> str:
    """An ask: "3. Fund refuges" or "Housing: Fund refuges"."""
    lead = f"{ask['number']}. " if ask.get("number") else (f"{ask['section']}: " if ask.get("section") else "")
    return lead + (ask.get("text") or "")


ITEM_TEXT: dict[str, Callable[[dict], str]] = {"deadline_conflicts": _conflict_text, "asks": _ask_text}


def _item_text(field: str, item) -> str:
    if isinstance(item, dict):
        text = ITEM_TEXT.get(field)
        return text(item) if text else ", ".join(f"{key}: {value}" for key, value in item.items() if value not in (None, ""))
    return str(item)


def cell(field: str, value, labels: dict[str, dict[str, str]]):
    """One cell for people: a label for a code, "A; B" for a list, never a formula."""
    if isinstance(value, (list, tuple)):
        value = LIST_SEPARATOR.join(_item_text(field, item) for item in value)
    elif isinstance(value, dict):
        value = _item_text(field, value)
    elif field in labels and value is not None:
        value = labels[field].get(value, value)
    return csv_cell(value)


def _batches(records: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def csv_lines(records: Iterable[dict], fields: list[str], labels: dict[str, dict[str, str]] | None = None) -> Iterator[str]:
    """CSV text: the byte order mark and the header, then the records' lines, ``CSV_BATCH``
    records to a piece; a field a record lacks is an empty cell (as ``csv.DictWriter``)."""
    labels = labels or {}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(fields)
    yield BOM + buffer.getvalue()
    for batch in _batches(records, CSV_BATCH):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([[cell(key, record.get(key, ""), labels) for key in fields] for record in batch])
        yield buffer.getvalue()


def csv_download(dataset: str, records: Iterable[dict], fields: list[str], *, filename: str) -> StreamingHttpResponse:
    """A streamed CSV attachment of ``records``, labelled as ``dataset``'s."""
    response = StreamingHttpResponse(
        csv_lines(records, fields, LABELS.get(dataset)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


__all__ = ["BOM", "LABELS", "csv_download", "csv_lines"]
