"""One import review page: the kept review applied to the upload's reading, its preview, and the
forms an editor corrects it with. Used by ``import_views.import_preview`` (which stays thin).

A section of the page is bound to a post only when the post carries it (its formset's management
form, or ``details-shown``), so a post of the matches alone leaves the items as they were."""

from __future__ import annotations

import datetime

from django.shortcuts import render

from .import_forms import KIND_LABELS, SKIP, ImportCorrectionForm
from .review import (
    OCCURRENCES,
    REPLIES,
    ReviewInvalid,
    future_date,
    items_field,
    moved_keys,
    reply_flag,
    reply_key,
    review_apply,
    review_items,
    review_revision,
)
from .review_forms import (
    ActionForm,
    CommitmentFormSet,
    DetailsForm,
    ItemFormSets,
    commitment_initial,
    edited_items,
    item_initial,
    with_action,
    with_commitments,
)
from .services import (
    AlreadyImported,
    ImportProblem,
    ImportResult,
    ParseError,
    ReplyMatch,
    pending_import_preview,
    pending_import_read,
    pending_import_report_set,
)

REPORT_CHANGED = "The report was changed, so the replies were matched again to its recommendations. Check them, then confirm."
# What a confirmation must have previewed: everything but the explicit choices and the date confirmation.
UNPREVIEWED = ("chosen", "future_date_confirmed")


def material(review: dict) -> dict:
    return {key: value for key, value in (review or {}).items() if key not in UNPREVIEWED and value not in ({}, [], None, "")}


def _bound(data, marker: str):
    return data if data is not None and marker in data else None


def _preview(pending, review) -> tuple[ImportResult, str]:
    """The preview, or an empty one and the problem that stops it (the editor fixes it in the review)."""
    try:
        return pending_import_preview(pending=pending, review=review), ""
    except AlreadyImported:
        raise
    except (ParseError, ImportProblem, ReviewInvalid) as error:
        return ImportResult(source=pending.name, kind=pending.kind, title="", committed=False), str(error)


def keyed(review: dict, result: ImportResult) -> dict:
    """``review`` with corrections kept by reply number (before replies were named by position) named
    by the key of each reply of that number, as they applied; as it is when nothing is by number."""
    if not result.replies:
        return review
    keys: dict[str, list[str]] = {}
    for reply in result.replies:
        keys.setdefault(str(reply.reply_number), []).append(reply.key)
    changed = {}
    for name in ("matches", "chosen"):
        corrections = review.get(name) or {}
        if any(not str(old).startswith("@") for old in corrections):
            changed[name] = {key: value for old, value in corrections.items() for key in (keys.get(str(old), []) if not str(old).startswith("@") else [old])}
    return {**review, **changed}


def current_value(reply: ReplyMatch) -> str:
    return SKIP if reply.how == ReplyMatch.How.SKIPPED else str(reply.recommendation_number or reply.reply_number)


class ReviewPage:
    def __init__(self, pending, review: dict, today: datetime.date, *, data=None, result: ImportResult | None = None):
        self.pending, self.review, self.today, self.data = pending, review, today, data
        self.errors: list[str] = []
        read = pending_import_read(pending=pending)
        self.original = read.parsed
        self.parsed = review_apply(read.parsed, review)
        self.field = items_field(self.parsed)
        self.items = review_items(read.parsed, review)
        self.result, self.problem = (result, "") if result is not None else _preview(pending, review)
        self.review = review = keyed(review, self.result)
        self.flags = self._flags()
        self._forms(data)

    def _flags(self) -> dict:
        flags = {}
        for reply in self.result.replies:
            if reply.how == ReplyMatch.How.SKIPPED:
                continue
            flag = reply_flag(reply.reply_number, reply.restated_text, reply.recommendation_number or reply.reply_number, self.result.report_recommendations)
            if flag:
                flags[reply.key] = flag
        return flags

    def _forms(self, data) -> None:
        date = getattr(getattr(self.parsed, "date", None), "date", None)
        self.details = DetailsForm(
            _bound(data, "details-shown"),
            parsed=self.parsed,
            prefix="details",
            initial={"title": getattr(self.parsed, "title", ""), "committee": getattr(self.parsed, "committee", ""), "date": date,
                     "future_date_confirmed": self.review.get("future_date_confirmed", False)},
        )
        self.formset = None
        if self.field:
            self.formset = ItemFormSets[self.field](_bound(data, "items-TOTAL_FORMS"), initial=item_initial(self.field, self.items), prefix="items")
        self.commitments = None
        if self.field == REPLIES:
            replies = [(position, f"Reply {item['number']} (item {position + 1})") for position, item in enumerate(self.items)]
            self.commitments = CommitmentFormSet(
                _bound(data, "commitments-TOTAL_FORMS"), initial=commitment_initial(self.items), prefix="commitments", form_kwargs={"replies": replies}
            )
        self.action = ActionForm(data)
        self.corrections = ImportCorrectionForm(
            data,
            result=self.result,
            flags=self.flags,
            chosen=self.review.get("chosen") or {},
            initial={"report": self.pending.report_slug, "revision": review_revision(self.review, self.pending.report_slug)},
        )

    def bound_forms(self) -> list:
        forms = [self.corrections, self.action]
        forms += [form for form in (self.details, self.formset, self.commitments) if form is not None and form.is_bound]
        return forms

    def stale(self) -> bool:
        return self.data.get("revision") != review_revision(self.review, self.pending.report_slug)

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.bound_forms()])  # a list: every form reports its errors

    def new_review(self) -> tuple[dict, str | None]:
        """The review this post makes, and a notice when the report changed. Raises ``ReviewInvalid``."""
        review = dict(self.review)
        if self.details.is_bound:
            review["details"] = self.details.details(self.review.get("details") or {})
            review["future_date_confirmed"] = self.details.cleaned_data["future_date_confirmed"]
        if self.field:
            review.update(self._items())
        report_slug = self.corrections.cleaned_data["report"]
        if report_slug != self.pending.report_slug:
            pending_import_report_set(pending=self.pending, report_slug=report_slug)
            return {**review, "matches": {}, "chosen": {}}, REPORT_CHANGED
        chosen = {**(self.review.get("chosen") or {}), **self.corrections.choices_made()}
        return {**review, "matches": self._moved(self.corrections.reply_matches()), "chosen": self._moved(chosen)}, None

    def _moved(self, corrections: dict) -> dict:
        """Corrections by reply key, moved with their replies when items were split or joined."""
        if not self.field or not self.formset.is_bound:
            return corrections
        edited = edited_items(self.formset, self.items)
        action = self.action.cleaned_data
        return moved_keys(corrections, self.items, edited, split=action.get("split"), merge=action.get("merge"))

    def _items(self) -> dict:
        items = self.items
        if self.formset.is_bound:
            items = edited_items(self.formset, items)
        if self.commitments is not None and self.commitments.is_bound:
            items = with_commitments(self.commitments, items)
        items = with_action(self.action, self.formset, items, self.field) if self.formset.is_bound or self.action.cleaned_data.get("typed") else items
        return {"items": items} if items != review_items(self.original, None) or "items" in self.review else {}

    def changed_notice(self, review: dict) -> str:
        if {k: v for k, v in material(review).items() if k != "matches"} == {k: v for k, v in material(self.review).items() if k != "matches"}:
            return "You changed the matches since the preview, so nothing was imported yet. Check the new preview, then confirm."
        return "You changed the review since the preview, so nothing was imported yet. Check the new preview, then confirm."

    def blockers(self) -> list[str]:
        """Why this review cannot be confirmed yet, in words (empty: it can)."""
        chosen = self.review.get("chosen") or {}
        current = {reply.key: current_value(reply) for reply in self.result.replies}
        numbers = {reply.key: str(reply.reply_number) for reply in self.result.replies}
        # a choice kept before replies were named by position is by number
        problems = [str(flag) for key, flag in self.flags.items() if chosen.get(key, chosen.get(numbers.get(key))) != current.get(key)]
        late = future_date(self.parsed, self.today)
        if late and not self.review.get("future_date_confirmed"):
            problems.append(
                f"The document is dated {late:%d %B %Y}, after today: correct its date, or tick that it really is dated then."
            )
        if self.problem:
            problems.append(self.problem)
        return problems

    def _cards(self) -> list[dict]:
        """Per item: its form, where to split it, its reply in the preview, its commitments' forms."""
        replies = {reply.key: reply for reply in self.result.replies}
        reply_fields = {key: self.corrections[name] for key, name in self.corrections.reply_fields}
        commitment_forms = list(self.commitments.forms) if self.commitments is not None else []
        cards = []
        for position, form in enumerate(self.formset.forms if self.formset else []):
            item = self.items[position] if position < len(self.items) else {}
            key = reply_key(position)
            cards.append({
                "position": position,
                "form": form,
                "item": item,
                "reply": replies.get(key),
                "field": reply_fields.get(key),
                "flag": self.flags.get(key),
                "commitments": [f for f in commitment_forms if str(f.initial.get("reply", "")) == str(position)],
                "last": position == len(self.items) - 1,
            })
        return cards

    def render(self, request, *, status: int = 200, notice: str | None = None):
        result = self.result
        context = {
            "pending": self.pending,
            "page": self,
            "result": result,
            "form": self.corrections,
            "cards": self._cards(),
            "notice": notice,
            "problem": self.problem,
            "how": ReplyMatch.How,
            "occurrences": self.field == OCCURRENCES,
            "letter": self.field == REPLIES,
            "future": future_date(self.parsed, self.today),
            "kind_label": KIND_LABELS.get(result.kind, result.kind),
            "saved_count": sum(1 for reply in result.replies if reply.recommendation_number is not None),
            "commitment_count": sum(len(reply.commitments) for reply in result.replies if reply.recommendation_number is not None),
            "actions": sorted(result.actions.items()),
            "new_commitments": [f for f in (self.commitments.extra_forms if self.commitments is not None else [])],
        }
        return render(request, "manage/import_preview.html", context, status=status)
