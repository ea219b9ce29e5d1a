"""Forms for what staff enter by hand (``responses/editing_views.py``).

Forms check what a single field can check (a real date, a required rationale); rules that need the
database (a duplicate reply, a reply before the report was published) live in the services, whose
``ValidationError`` the view hands back to the form with ``add_service_error``, so the page shows
every error the same way and keeps what was typed.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError

from recommendations.dates import DatePrecision
from recommendations.models import Document, Organisation, Recommendation

from .editing_choices import letter_choices, letter_label, recommendation_choices, recommendation_from_reference, recommendation_label
from .models import CLOSING_STATUSES, EVIDENCE_NEEDED, Assessment, ImplementationStatus

# --- A GOV.UK date input: day, month and year boxes -------------------------------------------


class DateInputWidget(forms.MultiWidget):
    """Three text boxes named ``<name>_day``, ``<name>_month``, ``<name>_year``."""

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.TextInput(attrs={"inputmode": "numeric"}),
            "month": forms.TextInput(attrs={"inputmode": "numeric"}),
            "year": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with the GOV.UK design system's error messages:
    "Enter the due date", "Due date must include a month", "Due date must be a real date"."""

    widget = DateInputWidget

    def __init__(self, *, label: str, required_message: str = "", **kwargs):
        parts = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        super().__init__(fields=parts, require_all_fields=False, label=label, **kwargs)
        self.error_messages["required"] = required_message or f"Enter the {label[0].lower()}{label[1:]}"

    def compress(self, data_list):
        if not data_list or not any(part.strip() for part in data_list if part):
            return None
        day, month, year = ((part or "").strip() for part in data_list)
        name = self.label
        missing = [what for what, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise ValidationError(f"{name} must include a {' and a '.join(missing)}", code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{name} must be a real date, in numbers, for example 27 3 2023", code="invalid")
        if len(year) != 4:
            raise ValidationError(f"{name}: the year must have 4 numbers, for example 2023", code="invalid")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{name} must be a real date", code="invalid") from None


PRECISION_CHOICES = [
    (DatePrecision.DAY, "That day"),
    (DatePrecision.MONTH, "The month (the date is its last day)"),
    (DatePrecision.YEAR, "The year (the date is 31 December)"),
    (DatePrecision.FINANCIAL_YEAR, "The financial year (the date is 31 March)"),
]


class ServiceErrorsMixin:
    """Puts a service's ``ValidationError`` (keyed by model field) on the form's own fields.

    ``service_fields`` maps a model field's name to the form field that entered it; errors on
    fields the form does not have become errors for the whole form.
    """

    service_fields: dict[str, str] = {}
    # (legend, hint, field names): how the page groups the fields; the rest come first.
    fieldsets: list[tuple[str, str, list[str]]] = []

    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            field = self.service_fields.get(name, name)
            self.add_error(field if field in self.fields else None, errors)

    def grouped_fields(self):
        """(legend, hint, bound fields) groups for the template; the first has no legend."""
        grouped = {name for _, _, names in self.fieldsets for name in names}
        groups = [("", "", [self[name] for name in self.fields if name not in grouped])]
        groups += [(legend, hint, [self[name] for name in names]) for legend, hint, names in self.fieldsets]
        return [group for group in groups if group[2]]


class RecommendationChoiceField(forms.ModelChoiceField):
    """Accepts any recommendation; its select lists a bounded few (``editing_choices``)."""

    def label_from_instance(self, obj):
        return recommendation_label(obj)


class LetterChoiceField(forms.ModelChoiceField):
    """Accepts any response letter; its select lists a bounded few (``editing_choices``)."""

    def label_from_instance(self, obj):
        return letter_label(obj)


def _recommendations():
    return Recommendation.objects.select_related("report").order_by("report__title", "number")


def _letters():
    return Document.objects.filter(kind__in=Document.REPLY_KINDS).order_by("-date", "title")


class _LetterFieldsForm(ServiceErrorsMixin, forms.Form):
    """The letter a reply (or a promise) came in: an existing one, or a new one's details."""

    letter = LetterChoiceField(
        queryset=_letters(),
        required=False,
        label="Letter",
        empty_label="A new letter (give its details below)",
        help_text="The report's response letters, then the newest in the tracker.",
    )
    letter_reference = forms.CharField(
        required=False, max_length=100, label="Reference", help_text="As printed on the letter, for example MGLA230322-7616."
    )
    letter_date = GovukDateField(label="Date of the letter", required=False, help_text="For example, 18 8 2022.")
    letter_title = forms.CharField(
        required=False, max_length=500, label="Title", help_text="Leave blank to call it the Mayor's response to the report."
    )

    def __init__(self, *args, report=None, **kwargs):
        """``report``: the report in hand (a recommendation page's, or one the editor looked up),
        whose recommendations and letters the selects list first."""
        super().__init__(*args, **kwargs)
        self.report = report
        if "recommendation" in self.fields:
            self._bound_choices()

    def _value(self, name: str) -> str:
        value = self.data.get(name) if self.is_bound else self.initial.get(name)
        return "" if value is None else str(value)

    def _bound_choices(self) -> None:
        """Bounded selects: the chosen recommendation and letter, the report's own, the newest."""
        recommendation = self.fields["recommendation"]
        recommendation.choices = recommendation_choices(
            selected=self._value("recommendation"), report=self.report, empty_label=recommendation.empty_label
        )
        report = self.report
        if report is None and self._value("recommendation").isdigit():
            report = Recommendation.objects.filter(pk=int(self._value("recommendation"))).values_list("report", flat=True).first()
        letter = self.fields["letter"]
        letter.choices = letter_choices(
            selected=self._value("letter"), report=report, reference=self._value("letter_reference"), empty_label=letter.empty_label
        )

    def clean(self):
        data = super().clean()
        if "recommendation" in self.fields:
            self._clean_recommendation(data)
        if data.get("letter") is None and not self.has_error("letter_reference") and not (
            data.get("letter_reference", "").strip() or data.get("letter_title", "").strip()
        ):
            self.add_error("letter", "Choose the letter from the list, or give a new letter's reference or title")
        return data

    def _clean_recommendation(self, data: dict) -> None:
        """The recommendation chosen from the list or named by its id or address (one of the two)."""
        typed = data.get("recommendation_ref", "").strip()
        if self.has_error("recommendation"):
            return
        if typed:
            named = recommendation_from_reference(typed)
            if named is None:
                self.add_error(
                    "recommendation_ref",
                    f"No recommendation has the id or address “{typed}”. Give it as report-slug/number, "
                    "as in the CSV downloads, or copy the address of its page.",
                )
            elif data.get("recommendation") not in (None, named):
                self.add_error("recommendation_ref", "You chose one recommendation from the list and named another here: keep just one.")
            else:
                data["recommendation"] = named
        elif data.get("recommendation") is None:
            self.add_error("recommendation", self.recommendation_required)


RECOMMENDATION_REF_HELP = (
    "Not in the list? Give its id, report-slug/number as in the CSV downloads (for example vawg-2022/3), "
    "or paste the address of its page."
)


class ResponseRecordForm(_LetterFieldsForm):
    recommendation = RecommendationChoiceField(
        queryset=_recommendations(), required=False, label="Recommendation", empty_label="Choose a recommendation"
    )
    recommendation_ref = forms.CharField(required=False, max_length=500, label="Or its id or address", help_text=RECOMMENDATION_REF_HELP)
    recommendation_required = "Choose the recommendation the reply answers"
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}), label="The reply", help_text="Paste the reply's words from the letter."
    )
    date_received = GovukDateField(
        label="Date received", required_message="Enter the date the reply was received", help_text="For example, 18 8 2022.")

    field_order = ["recommendation", "recommendation_ref", "text", "date_received", "letter"]
    fieldsets = [("A new letter", "Only if the letter is not in the list above.", ["letter_reference", "letter_date", "letter_title"])]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Enter the reply"

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "recommendation": data["recommendation"],
            "text": data["text"],
            "date_received": data["date_received"],
            "letter": data["letter"],
            "letter_reference": data["letter_reference"],
            "letter_date": data["letter_date"],
            "letter_title": data["letter_title"],
        }


class ReplyMissingForm(_LetterFieldsForm):
    recommendation = RecommendationChoiceField(
        queryset=_recommendations(), required=False, label="Recommendation", empty_label="Choose a recommendation"
    )
    recommendation_ref = forms.CharField(required=False, max_length=500, label="Or its id or address", help_text=RECOMMENDATION_REF_HELP)
    recommendation_required = "Choose the recommendation whose reply is missing"
    due_date = GovukDateField(
        label="Reply promised by", required_message="Enter the date the reply was promised by", help_text="The date the letter says the reply will come by.")
    due_text = forms.CharField(
        required=False, max_length=200, label="In the letter's words (optional)", help_text="For example, “in the new year”."
    )
    letter_words = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What the letter says (optional)",
        help_text="Quote the promise, if the letter is new to the tracker.",
    )

    field_order = ["recommendation", "recommendation_ref", "due_date", "due_text", "letter"]
    fieldsets = [
        ("A new letter", "Only if the letter is not in the list above.", ["letter_reference", "letter_date", "letter_title", "letter_words"])
    ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        names = ("recommendation", "due_date", "due_text", "letter", "letter_reference", "letter_date", "letter_title", "letter_words")
        return {name: data[name] for name in names}


class ResponseAssessForm(ServiceErrorsMixin, forms.Form):
    """Assessment (of the reply's words) kept apart from implementation status (of delivery)."""

    assessment = forms.ChoiceField(choices=Assessment.choices, widget=forms.RadioSelect, label="How far does the reply accept the recommendation?")
    rationale = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why this assessment",
        help_text="A sentence or two. Needed for every assessment except “Not yet assessed”.",
    )
    implementation_status = forms.ChoiceField(
        choices=ImplementationStatus.choices, widget=forms.RadioSelect, label="Has it been done?"
    )
    evidence = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Evidence",
        help_text="What shows it was implemented, not implemented or superseded. Needed to close an item.",
    )

    service_fields = {"assessment_rationale": "rationale", "implementation_evidence": "evidence"}
    fieldsets = [
        ("The reply", "", ["assessment", "rationale"]),
        ("Implementation", "Judged apart from the reply: what has actually been done.", ["implementation_status", "evidence"]),
    ]

    def clean(self):
        data = super().clean()
        if data.get("assessment") not in (None, Assessment.NOT_ASSESSED) and not data.get("rationale", "").strip():
            self.add_error("rationale", "Give a short rationale for the assessment")
        # The model's rule too, checked here so every error shows at once (not one after the other).
        if data.get("implementation_status") in CLOSING_STATUSES and not data.get("evidence", "").strip():
            self.add_error("evidence", EVIDENCE_NEEDED)
        return data


class NoteForm(ServiceErrorsMixin, forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Note", help_text="Seen by signed-in staff only.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Enter the note"


class CommitmentForm(ServiceErrorsMixin, forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What was promised")
    owner = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"), required=False, label="Who promised it", empty_label="Not named"
    )
    due_date = GovukDateField(label="Due date", required=False, help_text="Leave blank if the promise names no date.")
    due_text = forms.CharField(required=False, max_length=200, label="In the reply's words (optional)", help_text="For example, “later this year”.")
    due_precision = forms.ChoiceField(choices=PRECISION_CHOICES, initial=DatePrecision.DAY, label="The words give")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Enter what was promised"


class CommitmentReviseForm(ServiceErrorsMixin, forms.Form):
    due_date = GovukDateField(label="New due date")
    due_text = forms.CharField(required=False, max_length=200, label="In the source's words (optional)")
    due_precision = forms.ChoiceField(choices=PRECISION_CHOICES, initial=DatePrecision.DAY, label="The words give")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="Why the date changes", help_text="For example, the Mayor's letter of 3 March 2023 moved it."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Say why the due date changes"


class ResponseDueForm(ServiceErrorsMixin, forms.Form):
    due_date = GovukDateField(label="Reply due date")
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why the default date does not apply",
        help_text="For example, the committee agreed a later date with the Mayor's office.",
    )

    service_fields = {"response_due_override": "due_date", "response_due_override_reason": "reason"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Say why the default due date does not apply"


class DeadlineCorrectForm(ServiceErrorsMixin, forms.Form):
    deadline = GovukDateField(label="Deadline", required=False, help_text="Leave blank if the recommendation sets no deadline.")
    deadline_text = forms.CharField(
        required=False, max_length=200, label="In the report's words (optional)", help_text="For example, “by May 2020”."
    )
    deadline_precision = forms.ChoiceField(choices=PRECISION_CHOICES, initial=DatePrecision.DAY, label="The words give")
    # The reason is kept as the history record's change reason, which holds 100 characters.
    reason = forms.CharField(max_length=100, label="Why the deadline is corrected", help_text="Up to 100 characters.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Say why the deadline is corrected"


class RevertForm(forms.Form):
    """Nothing to fill in: the confirmation page's button posts this (with its CSRF token)."""

