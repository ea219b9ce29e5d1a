from __future__ import annotations

from django import forms

from .models import SimilarityLink


class ChaserEditForm(forms.Form):
    to_name = forms.CharField(label="To", max_length=300)
    subject = forms.CharField(max_length=300)
    body = forms.CharField(label="Letter", widget=forms.Textarea(attrs={"rows": 24}))


class ChaserSentForm(forms.Form):
    sent_on = forms.DateField(label="Sent on (YYYY-MM-DD)")
    sent_to = forms.CharField(label="Sent to", max_length=300, help_text="The office or address it went to.")

    def __init__(self, *args, drafted_on=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.drafted_on, self.today = drafted_on, today

    def clean_sent_on(self):
        sent_on = self.cleaned_data["sent_on"]
        if self.drafted_on and sent_on < self.drafted_on:
            raise forms.ValidationError("A letter cannot be sent before it was drafted.")
        if self.today and sent_on > self.today:
            raise forms.ValidationError("Record a letter once it has been sent, not before.")
        return sent_on


class VerdictForm(forms.Form):
    other_kind = forms.ChoiceField(choices=SimilarityLink.Kind.choices)
    other_id = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    verdict = forms.ChoiceField(choices=[("", "Withdraw"), *SimilarityLink.Verdict.choices], required=False)
    score = forms.FloatField(required=False, min_value=0, max_value=1)
