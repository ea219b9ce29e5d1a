"""Hostile documents, built here byte by byte (nothing is downloaded or stored): encrypted PDFs,
a JBIG2 stream, a page tree nested 150 deep, a FlateDecode bomb, and text the parsers are slow on."""

from __future__ import annotations

import io
import zlib

from tests.manage_import.documents import REPORT


def raw_pdf(objects: list[bytes], *, root: int = 1) -> bytes:
    """A PDF of these object bodies (object 1 first), with a correct cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _page(parent: int, contents: int, font: int) -> bytes:
    return b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>" % (
        parent,
        contents,
        font,
    )


def _text_stream(lines: list[str]) -> bytes:
    escaped = (line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines)
    return ("BT /F1 10 Tf 14 TL 40 800 Td " + " ".join(f"({line}) Tj T*" for line in escaped) + " ET").encode("latin-1")


def report_pdf(pages: int = 1) -> bytes:
    """A readable PDF of a three-recommendation committee report (its last page repeated to make ``pages``)."""
    lines = REPORT.splitlines()
    kids = b" ".join(b"%d 0 R" % (3 + 2 * page) for page in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)]
    for page in range(pages):  # page n is object 3 + 2n, its contents 4 + 2n; the font comes last
        objects += [_page(2, 4 + 2 * page, 3 + 2 * pages), _stream(_text_stream(lines if page == 0 else lines[-1:]))]
    return raw_pdf([*objects, _FONT])


def encrypted_pdf(user_password: str) -> bytes:
    """The report, AES-256 encrypted; opening it needs ``user_password`` ("" : it opens without one)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(report_pdf())))
    writer.encrypt(user_password=user_password, owner_password="the owner's own password", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def jbig2_pdf() -> bytes:
    """A page whose content stream claims to be JBIG2-compressed."""
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _page(2, 4, 5),
        _stream(b"\x97JB2\r\n\x1a\n\x01\x00\x00\x00\x01" + bytes(range(256)) * 4, b"/Filter /JBIG2Decode"),
        _FONT,
    ])


def deep_page_tree_pdf(depth: int = 150) -> bytes:
    """One page at the bottom of ``depth`` nested /Pages nodes."""
    nodes = depth  # objects 2 .. depth+1 are /Pages nodes, each the only kid of the one before
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(nodes):
        number = 2 + level
        parent = b"/Parent %d 0 R " % (number - 1) if level else b""
        objects.append(b"<< /Type /Pages %s/Kids [%d 0 R] /Count 1 >>" % (parent, number + 1))
    page = len(objects) + 1
    objects += [_page(page - 1, page + 1, page + 2), _stream(_text_stream(REPORT.splitlines())), _FONT]
    return raw_pdf(objects)


def flate_bomb_pdf(megabytes: int = 100) -> bytes:
    """A page whose content stream is ``megabytes`` MB of zeros, deflated to about 0.1% of that."""
    bomb = zlib.compress(b"0" * (megabytes * 1024 * 1024), 9)
    return raw_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", _page(2, 4, 5), _stream(bomb, b"/Filter /FlateDecode"), _FONT]
    )


def slow_text(megabytes: int = 16) -> bytes:
    """Plain text the parsers take many seconds over: a committee report followed by megabytes of
    short numbered lines ("Recommendation N" headings, each with a deadline to read)."""
    item = "Recommendation {n}\n\nMOPAC should report back by May 2020 on item {n} and the Met by June 2021.\n\n"
    body, n = [REPORT], 4
    size = len(REPORT)
    while size < megabytes * 1024 * 1024:
        chunk = item.format(n=n)
        body.append(chunk)
        size += len(chunk)
        n += 1
    return "".join(body).encode("utf-8")
