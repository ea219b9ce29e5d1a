"""Forms of the import pages: the upload (a file or pasted text) and the editor's corrections to a
letter's preview (the report, and which recommendation each reply answers)."""

from __future__ import annotations

import collections

from django import forms

from responses.editing_choices import ReportSlugField, resolve_report_reference

from .parsing.detect import KINDS
from .review import suggestions
from .services import ImportResult, ReplyMatch

# A committee report's PDF is a few megabytes; anything far larger is not a document we import.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

KIND_LABELS = {
    "auto": "Work it out from the text",
    "response_letter": "Response letter",
    "committee_report": "Committee report",
    "report_page": "Report summary web page",
    "consultation": "Consultation response (compilation or single submission)",
    "consultation_compilation": "Consultation responses (compilation)",
    "consultation_submission": "Consultation submission",
    "reply_document": "Any other reply to recommendations (a Government, force or Brigade response, a progress report)",
    "recommendations_document": "Any other document making recommendations (a report, page, letter, inspection, conclusions)",
}
SKIP = "skip"


REPORT_REF_HELP = "Not in the list (the newest reports)? Give the report's title, or paste the address of its page."


def _report_ref_field() -> forms.CharField:
    return forms.CharField(required=False, max_length=500, label="Or name the report", help_text=REPORT_REF_HELP)


class DocumentUploadForm(forms.Form):
    """A PDF, saved web page or text file, or pasted text; the kind of document; optionally the report it answers."""

    file = forms.FileField(
        required=False,
        label="Upload a file",
        help_text="A PDF, a saved web page (.html) or a plain text (.txt) file, up to 20 MB.",
        error_messages={"empty": "The file is empty.", "invalid": "No file was sent: choose the file again."},
    )
    text = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        label="Or paste its text",
        help_text="For a letter that came by email: paste everything from the letterhead to the last reply.",
    )
    kind = forms.ChoiceField(label="What kind of document is it?", initial="auto")
    report = ReportSlugField(required=False, label="Which report does the letter answer?")
    report_ref = _report_ref_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, KIND_LABELS.get(kind, kind)) for kind in ("auto", *KINDS)]
        self.fields["report"].set_choices(selected=self["report"].value() or "", empty_label="Work it out from the letter")

    def clean(self):
        cleaned = super().clean()
        resolve_report_reference(self)
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        if "file" in self.errors:
            return cleaned
        if upload and text.strip():
            raise forms.ValidationError("Upload a file or paste text, not both.")
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                self.add_error("file", f"The file is {upload.size / 1024 / 1024:.1f} MB: the largest allowed is 20 MB.")
                return cleaned
            cleaned["data"], cleaned["name"] = upload.read(), upload.name
        elif text.strip():
            cleaned["data"], cleaned["name"] = text.encode("utf-8"), "pasted text"
        elif text:
            self.add_error("text", "The pasted text is empty.")
        else:
            self.add_error("file", "Choose a file to upload, or paste the text.")
        return cleaned


class ImportCorrectionForm(forms.Form):
    """The editor's corrections on a preview: the report, and per reply the recommendation it
    answers (or ``skip``), the closest recommendations by content first. A reply flagged as
    answering another recommendation (``flags``) is asked as radios with nothing chosen until the
    editor chooses (``chosen``). ``revision`` carries the review the page showed, so a post from an
    older page (another tab) is refused rather than applied over newer corrections.

    Each reply is asked once, named by its key (its position in the letter, ``review.reply_key``):
    two replies with one number (two replies numbered 0, to two topics) are two questions. The
    field of a reply whose number is the letter's only one of it keeps the name ``reply_<number>``."""

    report = ReportSlugField(required=False, label="Report")
    report_ref = _report_ref_field()
    revision = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, result: ImportResult, flags: dict | None = None, chosen: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.result, self.flags, chosen = result, flags or {}, chosen or {}
        self.fields["report"].set_choices(selected=self["report"].value() or "", empty_label="As the letter names it")
        self.reply_fields, self.current = [], {}  # (reply key, field name); reply key -> its match now
        counts = collections.Counter(reply.reply_number for reply in result.replies)
        for reply in result.replies:
            unique = counts[reply.reply_number] == 1
            current = SKIP if reply.how == ReplyMatch.How.SKIPPED else str(reply.recommendation_number or reply.reply_number)
            name = f"reply_{reply.reply_number}" if unique else "reply_at_" + reply.key.lstrip("@").replace(".", "_")
            made = chosen.get(reply.key, chosen.get(str(reply.reply_number)) if unique else None)  # older reviews: by number
            self.fields[name] = self._reply_field(reply, current, made, unique)
            self.reply_fields.append((reply.key, name))
            self.current[reply.key] = current

    def clean(self):
        cleaned = super().clean()
        resolve_report_reference(self, typed_wins=True)
        return cleaned

    def _reply_field(self, reply, current: str, chosen: str | None, unique: bool) -> forms.ChoiceField:
        recommendations = self.result.report_recommendations
        choices = [
            (
                str(number),
                f"Recommendation {number}"
                + (f" ({score:.0%} of the words agree)" if reply.restated_text else "")
                + f": {_short(recommendations[number])}",
            )
            for number, score in suggestions(reply.restated_text, recommendations)
        ]
        if reply.reply_number not in recommendations:
            wording = "new, as the letter restates it" if reply.restated_text else "not in the report"
            choices.insert(0, (str(reply.reply_number), f"Recommendation {reply.reply_number} ({wording})"))
        choices.append((SKIP, "Leave this reply out"))
        label = f"Reply {reply.reply_number} answers" if unique else f"The reply at line {reply.line} answers"
        if reply.key in self.flags:
            # no choice made for the editor: a required choice before confirming (checked by the view)
            return forms.ChoiceField(choices=choices, label=label, required=False, widget=forms.RadioSelect, initial=chosen if chosen == current else None)
        return forms.ChoiceField(choices=choices, label=label, initial=current)

    def reply_matches(self) -> dict[str, int | None]:
        """The corrections only (reply key -> recommendation number): replies matched to a number
        other than their own, or left out. A flagged reply left unchosen keeps its current match."""
        numbers = {reply.key: reply.reply_number for reply in self.result.replies}
        matches: dict[str, int | None] = {}
        for key, name in self.reply_fields:
            value = self.cleaned_data.get(name) or self.current[key]
            if value == SKIP:
                matches[key] = None
            elif int(value) != numbers[key]:
                matches[key] = int(value)
        return matches

    def choices_made(self) -> dict[str, str]:
        """The explicit choices on flagged replies (reply key -> the value chosen)."""
        names = dict(self.reply_fields)
        return {key: self.cleaned_data[names[key]] for key in self.flags if key in names and self.cleaned_data.get(names[key])}


def _short(text: str, words: int = 14) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")
