"""Text out of an uploaded or stored file: plain text as it is, PDFs through pypdf and pdfplumber,
saved web pages (``.html``) through ``html_text``.

A PDF is screened and read by pypdf first (the limits and refusals below). Then pdfplumber reads it
again for its layout: headings, bold and paragraph breaks as light markup (``pdf_layout``); if it
fails on a file pypdf read, or reads clearly less of it, pypdf's plain text is used. Either way
ligatures are spelt out and words hyphenated at line ends joined (``typography``). A web page keeps
its headings, lists and tables, without scripts, navigation or cookie banners. Plain text is kept
as it is, bar ligature characters.

Pure (bytes in, text out). Refuses what it cannot read with a ``ParseError`` saying why: every
failure of pypdf (damaged files, unsupported filters such as JBIG2, page trees nested too deep,
streams that inflate past ``max_stream_bytes``) becomes one message. An encrypted PDF that opens
with the empty password (most "protected" PDFs: printing or copying restricted) is read; one that
needs a password is refused as password-protected. pypdf never runs an external decoder here.

Time and memory are bounded by the process this runs in (``importer.read_child``).
"""

from __future__ import annotations

import io
import re

from . import pdf_layout
from .html_text import html_text, looks_like_html
from .types import ParseError
from .typography import join_hyphenated, spell_out_ligatures

# A committee report's pages are small; a stream inflating past this is not text worth reading.
MAX_STREAM_BYTES = 64 * 1024 * 1024
MAX_PAGES = 1000
_HTML_NAME = re.compile(r"\.x?html?$", re.I)
_HTML_BODY = re.compile(r"<(?:body|main|article|p|div|h[1-6]|table|ul|ol)\b", re.I)
# pdfplumber's text is used unless it has clearly less in it than pypdf's (fonts it cannot map).
LAYOUT_SHARE = 0.9


def extract_text(data: bytes, *, name: str = "", max_pages: int = MAX_PAGES, max_stream_bytes: int = MAX_STREAM_BYTES) -> str:
    """The document's text. PDFs are recognised by their signature, not by the file name."""
    if data.lstrip()[:5] == b"%PDF-":
        return _pdf_text(data, name or "The PDF", max_pages=max_pages, max_stream_bytes=max_stream_bytes)
    text = _decoded(data, name)
    if looks_like_html(text) or (_HTML_NAME.search(name) and _HTML_BODY.search(text)):
        return _page_text(text, name or "The web page")
    return spell_out_ligatures(text)


def _decoded(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise ParseError(f"{name or 'The file'} is neither plain text nor a PDF, so it cannot be read.")


def _page_text(page: str, name: str) -> str:
    try:
        text = html_text(page)
    except (MemoryError, RecursionError):
        raise
    except Exception as error:  # html.parser is tolerant; this is for what it still cannot take
        raise ParseError(f"{name} could not be read as a web page ({_said(error)}).") from error
    if not text.strip():
        raise ParseError(f"{name} is a web page with no text in it (once scripts, menus and banners are left out).")
    return spell_out_ligatures(text)


def _pdf_text(data: bytes, name: str, *, max_pages: int, max_stream_bytes: int) -> str:
    from pypdf import apply_configuration
    from pypdf.errors import LimitReachedError

    limits = {
        setting: max_stream_bytes
        for setting in (
            "maximum_declared_stream_length",
            "array_based_stream_maximum_output_length",
            "jbig2_maximum_output_length",
            "lzw_maximum_output_length",
            "run_length_maximum_output_length",
            "zlib_maximum_output_length",
            "brotli_maximum_output_length",
            "image_maximum_buffer_size",
        )
    }
    try:
        with apply_configuration(jbig2dec_binary=None, **limits):
            pages = _pdf_pages(data, name, max_pages)
    except (ParseError, MemoryError):
        raise
    except LimitReachedError as error:
        raise ParseError(
            f"{name} goes past a limit the tracker reads PDFs within ({_said(error)}, streams up to "
            f"{max_stream_bytes // (1024 * 1024)} MB unpacked): it is damaged or built to exhaust PDF readers."
        ) from error
    except RecursionError as error:
        raise ParseError(f"{name} is nested too deeply to read: it is damaged or built to break PDF readers.") from error
    except Exception as error:  # pypdf's own errors, zlib's, and whatever else a damaged file makes it raise
        raise ParseError(f"{name} could not be read as a PDF: it is damaged or uses something the tracker cannot read ({_said(error)}).") from error
    text = "\n".join(pages).replace("\x00", "")
    if not text.strip():
        raise ParseError(f"{name} has no text layer (a scan?): it needs OCR before import.")
    return join_hyphenated(spell_out_ligatures(_layout_text(data, plain=text) or text))


def _layout_text(data: bytes, *, plain: str) -> str:
    """pdfplumber's reading with headings and bold, or "" where pypdf's plain text is the better one."""
    try:
        text = pdf_layout.layout_text(data).replace("\x00", "")
    except MemoryError:
        raise
    except Exception:  # incl. RecursionError: pypdf read this file within the limits, so its text stands
        return ""
    if _letters(text) < LAYOUT_SHARE * _letters(plain) or text.count("(cid:") > plain.count("(cid:"):
        return ""
    return text


def _letters(text: str) -> int:
    return sum(1 for character in spell_out_ligatures(text) if character.isalnum())


def _pdf_pages(data: bytes, name: str, max_pages: int) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ParseError(f"{name} is password-protected: save a copy without the password (or paste its text), then upload that.")
    count = len(reader.pages)
    if count > max_pages:
        raise ParseError(f"{name} has {count:,} pages: the most the tracker reads is {max_pages:,}.")
    return [page.extract_text() or "" for page in reader.pages]


def _said(error: BaseException) -> str:
    said = " ".join(str(error).split())[:160].rstrip(".")
    return f"{type(error).__name__}: {said}" if said else type(error).__name__
