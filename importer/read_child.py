"""The child process that reads one document: ``python -m importer.read_child LIMITS``.

``importer.reading`` starts it for every import, with the document's bytes on stdin and
``LIMITS`` as JSON (name, kind, seconds, memory_mb, max_pages). It caps its own address space and
CPU time first (``resource.setrlimit``), then extracts the text and parses it, and writes one JSON
object to stdout: ``{"read": ReadDocument JSON}``, ``{"refused": "why, in words"}`` or
``{"exceeded": "memory"}``. Whatever the document does to the parsing libraries stays in here.
No Django: parsing is pure.
"""

from __future__ import annotations

import json
import math
import resource
import sys

from importer.parsing.detect import parse_document
from importer.parsing.extract import extract_text
from importer.parsing.serialise import ReadDocument
from importer.parsing.types import ParseContext, ParseError

MB = 1024 * 1024


def main(argv: list[str]) -> int:
    limits = json.loads(argv[1])
    _cap(seconds=limits["seconds"], memory_mb=limits["memory_mb"])
    outcome = read(
        sys.stdin.buffer.read(),
        **{key: limits[key] for key in ("name", "kind", "max_pages", "memory_mb")},
        context=ParseContext(aliases=limits["aliases"]) if limits.get("aliases") else None,
    )
    sys.stdout.buffer.write(json.dumps(outcome, ensure_ascii=False).encode("utf-8"))
    return 0


def _cap(*, seconds: float, memory_mb: int) -> None:
    """Past these the kernel stops this process; the parent also kills it at the wall time."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * MB, memory_mb * MB))
    cpu = math.ceil(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


def read(data: bytes, *, name: str, kind: str, max_pages: int, memory_mb: int, context: ParseContext | None = None) -> dict:
    """The document's reading, or why there is none (as the JSON this process writes)."""
    try:
        text = extract_text(data, name=name, max_pages=max_pages, max_stream_bytes=memory_mb * MB // 8)
        parsed = parse_document(text, kind, context) if context else parse_document(text, kind)
        return {"read": ReadDocument(text=text, parsed=parsed).to_json()}
    except ParseError as error:
        return {"refused": str(error)}
    except MemoryError:
        return {"exceeded": "memory"}
    except RecursionError:
        return {"refused": f"{name} is nested too deeply to read: it is damaged or built to break readers."}
    except Exception as error:  # any other failure of a library on a hostile or damaged file
        return {"refused": f"{name} could not be read: it is damaged or not a document the tracker can read ({type(error).__name__})."}


if __name__ == "__main__":
    sys.exit(main(sys.argv))
