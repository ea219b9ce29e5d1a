"""Forms of the bulk update pages: which replies to download, the edited CSV to upload, and the
confirmation, which carries the previewed changes signed so they cannot be altered on the way."""

from __future__ import annotations

from django import forms
from django.core import signing

from .editing_choices import ReportSlugField, reports_with_replies, resolve_report_reference
from .services.bulk import FieldChange, RowChange

# Thousands of replies fit in well under a megabyte; the cap keeps the confirmation (which carries
# the changes back) inside Django's request size limit.
MAX_CSV_BYTES = 2 * 1024 * 1024
CONFIRM_SALT = "responses.bulk.confirm"
CONFIRM_MAX_AGE = 60 * 60  # seconds: a preview older than an hour is uploaded again


class BulkDownloadForm(forms.Form):
    """All replies, or one report's: the select lists the newest reports with replies; any report
    with replies can be named in the box by its title, slug or page address."""

    report = ReportSlugField(required=False, label="Report", reports=reports_with_replies)
    report_ref = forms.CharField(
        required=False,
        max_length=500,
        label="Or name the report",
        help_text="Not in the list (the newest reports with replies)? Give the report's title, or paste the address of its page.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].set_choices(selected=self["report"].value() or "", empty_label="All reports")

    def clean(self):
        cleaned = super().clean()
        resolve_report_reference(self)
        return cleaned


class BulkUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the edited CSV",
        help_text="The file this page downloads, saved as CSV, up to 2 MB.",
        error_messages={"required": "Choose the edited CSV file to upload.", "empty": "The file is empty."},
    )

    def clean_file(self) -> str:
        """The file's text; refuses what is too big or is not a text (CSV) file."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(f"The file is {upload.size / 1024 / 1024:.1f} MB: the largest allowed is 2 MB.")
        data = upload.read()
        if data.lstrip()[:5] == b"%PDF-" or data[:4] == b"PK\x03\x04" or b"\x00" in data:
            what = "a PDF" if data.lstrip()[:5] == b"%PDF-" else "a spreadsheet workbook" if data[:2] == b"PK" else "not text"
            raise forms.ValidationError(
                f"That file is {what}, not a CSV: in your spreadsheet use 'Save as' and choose CSV."
            )
        # UTF-8 as downloaded (a BOM from Excel is fine); Excel's Windows "CSV" is cp1252.
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError("That file is not a CSV: its text could not be read.")


class BulkConfirmForm(forms.Form):
    """The previewed changes, signed for the user who previewed them."""

    changes = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    @classmethod
    def for_changes(cls, changes: list[RowChange], *, user) -> BulkConfirmForm:
        payload = [
            [
                c.row, c.id, c.response_pk, c.report_title, c.number,
                [[f.field, f.label, f.old, f.new, f.old_display, f.new_display] for f in c.changes],
                c.version,
            ]
            for c in changes
        ]
        token = signing.dumps(payload, salt=f"{CONFIRM_SALT}:{user.pk}", compress=True)
        return cls(initial={"changes": token}, user=user)

    def clean_changes(self) -> list[RowChange]:
        try:
            payload = signing.loads(self.cleaned_data["changes"], salt=f"{CONFIRM_SALT}:{self.user.pk}", max_age=CONFIRM_MAX_AGE)
        except signing.SignatureExpired:
            raise forms.ValidationError("This preview is more than an hour old: upload the file again.") from None
        except signing.BadSignature:
            raise forms.ValidationError("This preview could not be read back: upload the file again.") from None
        return [
            RowChange(row, ident, pk, title, number, [FieldChange(*f) for f in fields], *version)
            for row, ident, pk, title, number, fields, *version in payload
        ]
