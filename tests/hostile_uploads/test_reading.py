"""The reading a child process sends back (and a held upload keeps) round-trips exactly; whatever a
parsing library raises becomes one message; a reader that dies is explained, not a 500."""

import json
import subprocess
import zlib
from pathlib import Path

import pytest

from importer import read_child
from importer.parsing.detect import parse_document
from importer.parsing.extract import extract_text
from importer.parsing.serialise import ReadDocument
from importer.reading import DocumentUnreadable, _outcome, read_document

SOURCES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"
MANIFEST = json.loads((SOURCES / "manifest.json").read_text())["sources"]
LIMITS = {"name": "odd.pdf", "kind": "auto", "seconds": 20, "memory_mb": 512, "max_pages": 1000}


@pytest.mark.parametrize("entry", MANIFEST, ids=[entry["kind"] for entry in MANIFEST])
def test_every_seed_document_read_in_the_child_equals_reading_it_here(entry):
    data = (SOURCES / entry["file"]).read_bytes()
    text = extract_text(data, name=entry["file"])
    here = ReadDocument(text=text, parsed=parse_document(text, entry["kind"]))

    read = read_document(data, name=entry["file"], kind=entry["kind"])

    assert read == here
    assert ReadDocument.from_json(json.loads(json.dumps(read.to_json()))) == here  # as a held upload keeps it


@pytest.mark.parametrize(
    "failure, expected",
    [
        (RecursionError("maximum recursion depth exceeded"), "odd.pdf is nested too deeply to read"),
        (
            UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
            "odd.pdf could not be read: it is damaged or not a document the tracker can read (UnicodeDecodeError).",
        ),
        (zlib.error("Error -3 while decompressing data"), "odd.pdf could not be read: it is damaged or not a document the tracker can read (error)."),
        (KeyError("/Root"), "odd.pdf could not be read: it is damaged or not a document the tracker can read (KeyError)."),
    ],
    ids=["recursion", "unicode", "zlib", "key"],
)
def test_any_failure_of_a_parsing_library_becomes_one_refusal(monkeypatch, failure, expected):
    def fails(text, kind):
        raise failure

    monkeypatch.setattr(read_child, "parse_document", fails)
    outcome = read_child.read(b"Some text", name="odd.pdf", kind="auto", max_pages=10, memory_mb=512)
    assert list(outcome) == ["refused"] and outcome["refused"].startswith(expected)


def test_running_out_of_memory_in_the_reader_says_so(monkeypatch):
    def fails(text, kind):
        raise MemoryError

    monkeypatch.setattr(read_child, "parse_document", fails)
    outcome = read_child.read(b"Some text", name="odd.pdf", kind="auto", max_pages=10, memory_mb=512)
    with pytest.raises(DocumentUnreadable, match="This document needed more than 512 MB of memory to read, so it was refused"):
        _outcome(subprocess.CompletedProcess([], 0, json.dumps(outcome).encode(), b""), LIMITS)


@pytest.mark.parametrize(
    "returncode, stderr, expected",
    [
        (-11, b"", "odd.pdf could not be read: reading it stopped unexpectedly (it may need more than 512 MB of memory)"),
        (1, b"Fatal Python error: MemoryError", "This document needed more than 512 MB of memory to read"),
        (-24, b"", "This document took longer than 20 seconds to read"),  # SIGXCPU: the CPU-time backstop
    ],
    ids=["crashed", "no-memory-to-start", "cpu-limit"],
)
def test_a_reader_that_dies_is_explained(returncode, stderr, expected):
    with pytest.raises(DocumentUnreadable) as raised:
        _outcome(subprocess.CompletedProcess([], returncode, b"", stderr), LIMITS)
    assert str(raised.value).startswith(expected) and "\n" not in str(raised.value)
