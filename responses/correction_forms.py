"""Forms for corrections after the fact (``responses/correction_views.py``). Each asks for a reason,
kept in the record's history (100 characters there, with a short prefix saying what was done)."""

from __future__ import annotations

from django import forms

from recommendations.dates import DatePrecision
from recommendations.models import Recommendation

from .forms import PRECISION_CHOICES, GovukDateField, RecommendationChoiceField, ServiceErrorsMixin

REASON_LENGTH = 80


def _reason_field(label: str, required_message: str) -> forms.CharField:
    field = forms.CharField(max_length=REASON_LENGTH, label=label, help_text=f"Up to {REASON_LENGTH} characters, kept in the history.")
    field.error_messages["required"] = required_message
    return field


class ResponseMoveForm(ServiceErrorsMixin, forms.Form):
    recommendation = RecommendationChoiceField(queryset=Recommendation.objects.none(), label="The recommendation it answers")

    def __init__(self, *args, response, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].queryset = (
            Recommendation.objects.filter(report_id=response.recommendation.report_id)
            .exclude(pk=response.recommendation_id)
            .select_related("report")
            .order_by("number")
        )
        self.fields["recommendation"].error_messages["required"] = "Choose the recommendation the reply answers"
        self.fields["reason"] = _reason_field("Why it is moved", "Say why the reply is moved")


class ResponseCorrectForm(ServiceErrorsMixin, forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}), label="The reply")
    date_received = GovukDateField(label="Date received", required_message="Enter the date the reply was received")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Enter the reply"
        self.fields["reason"] = _reason_field("Why it is corrected", "Say why the reply is corrected")


class ReasonForm(ServiceErrorsMixin, forms.Form):
    """A confirmation with a reason: deleting a reply, undoing a creation, clearing an override."""

    def __init__(self, *args, label: str = "Why", required_message: str = "Give a reason", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = _reason_field(label, required_message)


class PublicationForm(ServiceErrorsMixin, forms.Form):
    published = GovukDateField(
        label="Publication date", required=False, help_text="Leave blank if it is not known. For example, 12 3 2020."
    )
    published_precision = forms.ChoiceField(choices=PRECISION_CHOICES, initial=DatePrecision.DAY, label="The source gives")
    published_source = forms.CharField(
        required=False,
        max_length=200,
        label="Where the date comes from",
        help_text="For example, “the report's cover” or “london.gov.uk page”.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = _reason_field("Why it changes", "Say why the publication date changes")
