"""CSV cells a spreadsheet will not run as a formula ("CSV injection", OWASP).

Every CSV the tracker writes (the list's ``?format=csv``, ``manage.py export --format csv``, the
staff bulk download) passes each cell through :func:`csv_cell`: text that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return, which Excel, LibreOffice and Google Sheets would run as a
formula, is written with a single quote in front ("'=HYPERLINK(...)"), so it shows as text. Text
already beginning with a quote gets one more, so :func:`csv_cell_value` can take exactly one away
again when a downloaded file comes back (the bulk update): the round trip gives the value back
unchanged, whatever it was.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_ESCAPED_STARTS = (*FORMULA_STARTS, QUOTE)


def csv_cell(value):
    """``value`` as a CSV cell: text that would start a formula (or starts with a quote) gets a
    leading quote; numbers, dates and other text are returned as they are."""
    if isinstance(value, str) and value.startswith(_ESCAPED_STARTS):
        return QUOTE + value
    return value


def csv_cell_value(cell: str) -> str:
    """The value a cell of a CSV the tracker wrote stands for: :func:`csv_cell` undone."""
    if cell.startswith(QUOTE) and cell[1:].startswith(_ESCAPED_STARTS):
        return cell[1:]
    return cell


__all__ = ["FORMULA_STARTS", "csv_cell", "csv_cell_value"]
