"""A document as read once: its text and what the parser found, to and from JSON.

Pure. The child process that reads an upload (``importer.read_child``) sends this back as
JSON, and a held upload (``PendingImport.parsed``) keeps it, so the preview and the confirmation
use the very same reading instead of parsing the document again. Decoding follows the dataclasses'
own type hints (``types.py``): a round trip gives back equal objects.
"""

from __future__ import annotations

import dataclasses
import datetime
import types
import typing
from dataclasses import dataclass

from .types import ParsedConsultation, ParsedLetter, ParsedReport

Parsed = ParsedReport | ParsedLetter | ParsedConsultation


def _class_of_kind(kind: str) -> type:
    from .families import BY_NAME  # the registry names each family's dataclass

    return BY_NAME[kind].parsed_type


@dataclass
class ReadDocument:
    """A document's text and its parse, as one reading of its bytes gave them."""

    text: str
    parsed: Parsed

    def to_json(self) -> dict:
        return {"text": self.text, "parsed": _encode(self.parsed)}

    @classmethod
    def from_json(cls, data: dict) -> ReadDocument:
        parsed = data["parsed"]
        return cls(text=data["text"], parsed=_decode(_class_of_kind(parsed["kind"]), parsed))


def _encode(value):
    if dataclasses.is_dataclass(value):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _decode(hint, value):
    if value is None:
        return None
    if dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        return hint(**{f.name: _decode(hints[f.name], value[f.name]) for f in dataclasses.fields(hint) if f.name in value})
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):  # "X | None": the one that is not None
        return _decode(next(arg for arg in typing.get_args(hint) if arg is not type(None)), value)
    if origin is list:
        (item,) = typing.get_args(hint)
        return [_decode(item, entry) for entry in value]
    if hint is datetime.date:
        return datetime.date.fromisoformat(value)
    return value
