"""Forms of the import review (``/manage/import/<id>/``): the document's own facts, each item
(number, text, addressees, deadline; a reply's restatement and text), each commitment, and the
actions that change an item's boundaries. Each validates what an editor can post; the review
document they make is ``importer.review``'s."""

from __future__ import annotations

import datetime

from django import forms

from .parsing.addressees import CANONICAL
from .review import OCCURRENCES, REPLIES, ReviewInvalid, merge_items, split_choices, split_item, typed_items

MAX_ITEMS = 2000
ORGANISATIONS = [(key, name) for key, (name, _) in CANONICAL.items()]
DATE_HELP = "For example, 2024-05-31 or 31/05/2024"
DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"]


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(required=False, label=label, input_formats=DATE_INPUTS, help_text=DATE_HELP)


class DetailsForm(forms.Form):
    """The document's own facts: a report's title and committee, and its date (a letter's too)."""

    title = forms.CharField(max_length=300, label="Title of the report")
    committee = forms.CharField(max_length=200, required=False, label="Committee")
    date = _date_field("Date of the document")
    future_date_confirmed = forms.BooleanField(required=False, label="The document really is dated after today")

    def __init__(self, *args, parsed, **kwargs):
        super().__init__(*args, **kwargs)
        if not hasattr(parsed, "title") or not hasattr(parsed, "committee"):  # a letter: only its date
            del self.fields["title"], self.fields["committee"]
        if not hasattr(parsed, "date"):
            del self.fields["date"]

    def details(self, kept: dict) -> dict:
        """The corrections to the document's facts: ``kept`` (the earlier ones) and what differs from the page shown."""
        cleaned, details = self.cleaned_data, dict(kept)
        for name in ("title", "committee"):
            if cleaned.get(name) and cleaned[name].strip() != (self.initial.get(name) or ""):
                details[name] = cleaned[name].strip()
        if cleaned.get("date") and cleaned["date"] != self.initial.get("date"):
            details["date"] = cleaned["date"].isoformat()
        return details


class _ItemForm(forms.Form):
    number = forms.IntegerField(min_value=1, max_value=9999, label="Number")
    text = forms.CharField(max_length=20000, strip=True, widget=forms.Textarea(attrs={"rows": 4}), label="Text")
    split_at = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Split before")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        text = (self.initial or {}).get("text", "")
        self.fields["split_at"].choices = [("", "Choose a sentence")] + [(str(i), f"Sentence {i + 1}: {opening}") for i, opening in split_choices(text)]


class OccurrenceForm(_ItemForm):
    """One numbered recommendation of a report."""

    addressees = forms.MultipleChoiceField(choices=ORGANISATIONS, required=False, widget=forms.CheckboxSelectMultiple, label="Addressed to")
    deadline = _date_field("Deadline")

    def item(self, stored: dict) -> dict:
        cleaned = self.cleaned_data
        item = {**stored, "number": cleaned["number"], "text": cleaned["text"], "addressees": cleaned["addressees"]}
        return {**item, **_dated(stored, "deadline", cleaned.get("deadline"))}


class ReplyItemForm(_ItemForm):
    """One reply of a letter: the recommendation as the letter restates it, and the reply."""

    # 0: a reply to a topic or a group of recommendations, not to one numbered recommendation
    number = forms.IntegerField(min_value=0, max_value=9999, label="Number")
    restated = forms.CharField(max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 3}), label="The letter restates")

    def item(self, stored: dict) -> dict:
        cleaned = self.cleaned_data
        return {**stored, "number": cleaned["number"], "restated": cleaned["restated"], "text": cleaned["text"]}


class CommitmentForm(forms.Form):
    """A promise made in a reply: its words, who owns it, when it is due."""

    reply = forms.TypedChoiceField(coerce=int, label="In reply")
    text = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 2}), label="Commitment")
    owner = forms.ChoiceField(choices=[("", "Not clear")] + ORGANISATIONS, required=False, label="Owner")
    due = _date_field("Due")

    def __init__(self, *args, replies: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].choices = [(str(position), label) for position, label in replies]


def _dated(stored: dict, prefix: str, date: datetime.date | None) -> dict:
    """A corrected date keeps the words it came from only while it is the same date."""
    if date is None:
        return {prefix: None, f"{prefix}_text": "", f"{prefix}_precision": ""}
    if stored.get(prefix) == date.isoformat():
        return {key: stored.get(key) for key in (prefix, f"{prefix}_text", f"{prefix}_precision")}
    return {prefix: date.isoformat(), f"{prefix}_text": "", f"{prefix}_precision": "day"}


ItemFormSets = {
    OCCURRENCES: forms.formset_factory(OccurrenceForm, extra=0, max_num=MAX_ITEMS, validate_max=True, absolute_max=MAX_ITEMS),
    REPLIES: forms.formset_factory(ReplyItemForm, extra=0, max_num=MAX_ITEMS, validate_max=True, absolute_max=MAX_ITEMS),
}
CommitmentFormSet = forms.formset_factory(CommitmentForm, extra=1, can_delete=True, max_num=MAX_ITEMS, absolute_max=MAX_ITEMS)


class ActionForm(forms.Form):
    """What the editor asked for besides saving: split or merge an item, add typed recommendations."""

    split = forms.IntegerField(required=False, min_value=0, max_value=MAX_ITEMS)
    merge = forms.IntegerField(required=False, min_value=0, max_value=MAX_ITEMS)
    typed = forms.CharField(
        required=False,
        max_length=200000,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Add recommendations",
        help_text="Type or paste them: one a line, or numbered paragraphs (\"1. MOPAC should ...\").",
    )


def item_initial(field: str, items: list[dict]) -> list[dict]:
    keys = ("number", "text", "addressees", "deadline") if field == OCCURRENCES else ("number", "restated", "text")
    return [{key: item.get(key) for key in keys} for item in items]


def commitment_initial(items: list[dict]) -> list[dict]:
    return [
        {"reply": position, "text": c["text"], "owner": c.get("owner", ""), "due": c.get("due")}
        for position, item in enumerate(items)
        for c in item.get("commitments") or []
    ]


def edited_items(formset, items: list[dict]) -> list[dict]:
    """The stored items with each form's corrections."""
    return [form.item(stored) for form, stored in zip(formset.forms, items, strict=False)]


def with_commitments(formset, items: list[dict]) -> list[dict]:
    """Each reply with the commitments the formset gives it (deleted ones dropped, new ones added)."""
    old = {(position, c["text"]): c for position, item in enumerate(items) for c in item.get("commitments") or []}
    grouped: list[list[dict]] = [[] for _ in items]
    for form in formset.forms:
        if not form.cleaned_data or form.cleaned_data.get("DELETE"):  # an extra form left empty, or deleted
            continue
        cleaned = form.cleaned_data
        stored = old.get((cleaned["reply"], cleaned["text"]), {})
        grouped[cleaned["reply"]].append({"text": cleaned["text"], "owner": cleaned["owner"], **_dated(stored, "due", cleaned.get("due"))})
    return [{**item, "commitments": commitments} for item, commitments in zip(items, grouped, strict=False)]


def with_action(action: ActionForm, formset, items: list[dict], field: str) -> list[dict]:
    """``items`` after the split, merge or typed recommendations asked for. Raises ``ReviewInvalid``."""
    cleaned = action.cleaned_data
    if cleaned.get("typed") and field != OCCURRENCES:
        raise ReviewInvalid("Recommendations can be typed into a report only, not into a letter.")
    if cleaned.get("split") is not None:
        index = cleaned["split"]
        at = formset.forms[index].cleaned_data.get("split_at") if index < len(formset.forms) else None
        if at is None:
            raise ReviewInvalid(f"Choose the sentence to split item {index + 1} at.")
        items = split_item(items, index, at)
    if cleaned.get("merge") is not None:
        items = merge_items(items, cleaned["merge"])
    if cleaned.get("typed"):
        typed = typed_items(cleaned["typed"], after=max((item["number"] for item in items), default=0))
        if not typed:
            raise ReviewInvalid("No recommendations were found in what you typed.")
        items = items + typed
    return items
