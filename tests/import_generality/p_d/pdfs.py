"""PDFs written here byte by byte (no PDF library): lines of text in a regular and a bold font
(Helvetica, Helvetica-Bold) at chosen sizes, where "ﬁ", "ﬂ", "ﬃ" and "ﬀ" are drawn as the fonts'
ligature glyphs, as typeset reports draw them."""

from __future__ import annotations

from dataclasses import dataclass

# Character codes 1-4 draw the ligature glyphs (an /Encoding /Differences entry, as typesetters write).
_LIGATURES = {"\ufb01": "\\001", "\ufb02": "\\002", "\ufb03": "\\003", "\ufb00": "\\004"}
_ENCODING = b"<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [1 /fi /fl /ffi /ff] >>"


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]
    size: float = 10
    gap: float = 14  # the distance down from the line before

    @classmethod
    def plain(cls, text: str, **kwargs) -> Line:
        return cls((Run(text),), **kwargs)

    @classmethod
    def bold(cls, text: str, **kwargs) -> Line:
        return cls((Run(text, bold=True),), **kwargs)


def _string(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    for ligature, code in _LIGATURES.items():
        text = text.replace(ligature, code)
    return "(" + text + ")"


def _content(lines: list[Line]) -> bytes:
    y, parts = 800.0, ["BT"]
    for line in lines:
        y -= line.gap
        parts.append(f"1 0 0 1 40 {y:.1f} Tm")
        for run in line.runs:  # each run goes on from where the last ended
            parts.append(f"/{'F2' if run.bold else 'F1'} {line.size:g} Tf {_string(run.text)} Tj")
    parts.append("ET")
    return "\n".join(parts).encode("cp1252")


def pdf(pages: list[list[Line]]) -> bytes:
    """A PDF of these pages, each a list of lines drawn top to bottom."""
    count = len(pages)
    font_regular, font_bold, encoding = 3 + 2 * count, 4 + 2 * count, 5 + 2 * count
    kids = " ".join(f"{3 + 2 * page} 0 R" for page in range(count)).encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count)]
    for page, lines in enumerate(pages):
        stream = _content(lines)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> >>" % (4 + 2 * page, font_regular, font_bold)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    for base in (b"Helvetica", b"Helvetica-Bold"):
        objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding %d 0 R >>" % (base, encoding))
    objects.append(_ENCODING)
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
