"""Text out of an uploaded or stored file: plain text as it is, PDFs through pypdf.

Pure (bytes in, text out). Refuses what it cannot read with a ``ParseError`` saying why.
"""

from __future__ import annotations

import io

from .types import ParseError


def extract_text(data: bytes, *, name: str = "") -> str:
    """The document's text. PDFs are recognised by their signature, not by the file name."""
    if data.lstrip()[:5] == b"%PDF-":
        return _pdf_text(data, name)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise ParseError(f"{name or 'The file'} is neither plain text nor a PDF, so it cannot be read.")


def _pdf_text(data: bytes, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as error:
        raise ParseError(f"{name or 'The PDF'} could not be read as a PDF ({error}).") from error
    text = "\n".join(pages)
    if not text.strip():
        raise ParseError(f"{name or 'The PDF'} has no text layer (a scan?): it needs OCR before import.")
    return text
