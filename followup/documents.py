"""A chaser letter as a Word document (python-docx): the same words the page shows."""

from __future__ import annotations

from io import BytesIO

from docx import Document as WordDocument

from .models import Chaser


def chaser_docx(chaser: Chaser) -> bytes:
    document = WordDocument()
    document.core_properties.title = chaser.subject
    document.core_properties.author = chaser.from_name
    document.add_heading(chaser.subject, level=1)
    document.add_paragraph(f"To: {chaser.to_name}")
    for paragraph in chaser.body.split("\n\n"):
        document.add_paragraph(paragraph)
    out = BytesIO()
    document.save(out)
    return out.getvalue()
