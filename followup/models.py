"""Chaser letters (what is overdue, chased by the committee's chair) and links between items of
different documents that ask for the same thing."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from recommendations.models import Organisation, Recommendation, Report, TimeStampedModel
from responses.models import Commitment


class ChaserQuerySet(models.QuerySet):
    def sent(self) -> ChaserQuerySet:
        """Letters recorded as sent (drafts are the committee's own business until then)."""
        return self.filter(status=Chaser.Status.SENT, sent_on__isnull=False)


class Chaser(TimeStampedModel):
    """A letter from the committee's chair chasing a late reply or overdue deadlines and promises.

    Drafted from what is overdue on the day (``followup.letters``), edited by an editor, then
    recorded as sent with the date and to whom. The items it chases are kept, so a later reminder
    says which were chased before and the recommendation's timeline shows the chase.
    """

    class Status(models.TextChoices):
        """Where the letter stands."""

        DRAFT = "draft", "Draft"  # being written; not yet sent
        SENT = "sent", "Sent"  # recorded as sent, with the date and to whom

    report = models.ForeignKey(
        Report,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chasers",
        help_text="The report whose reply is overdue (empty for a letter to an addressee).",
    )
    addressee = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chasers",
        help_text="The body with overdue deadlines or commitments (empty for a report's reply).",
    )
    reference = models.CharField(max_length=60, unique=True)
    to_name = models.CharField("To", max_length=300, help_text="Who the letter is addressed to, as it opens.")
    from_name = models.CharField("From", max_length=300, help_text="The chair who signs it.")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    drafted_on = models.DateField()
    sent_on = models.DateField(null=True, blank=True)
    sent_to = models.CharField(max_length=300, blank=True, help_text="To whom it went, e.g. an office or an email address.")
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="chasers")
    commitments = models.ManyToManyField(Commitment, blank=True, related_name="chasers")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ChaserQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-drafted_on", "-pk"]
        permissions = [("send_chaser", "Can draft chaser letters and record them as sent")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(sent_on__isnull=False),
                name="chaser_sent_has_a_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("followup:chaser-detail", args=[self.pk])

    def clean(self) -> None:
        if self.status == self.Status.SENT and not self.sent_on:
            raise ValidationError({"sent_on": "Say when the letter was sent."})
        if self.status == self.Status.SENT and not self.sent_to.strip():
            raise ValidationError({"sent_to": "Say to whom the letter was sent."})
        if self.sent_on and self.sent_on < self.drafted_on:
            raise ValidationError({"sent_on": "A letter cannot be sent before it was drafted."})


class SimilarityLink(TimeStampedModel):
    """An editor's verdict that two items of different documents ask for the same thing (or not).

    Items are named by kind and id (``recommendation``, ``ask``, ``commitment``); the pair is
    stored once, in a fixed order, so a verdict given from either side is the same row.
    """

    class Kind(models.TextChoices):
        """What an item is."""

        RECOMMENDATION = "recommendation", "Recommendation"
        ASK = "ask", "Consultation ask"
        COMMITMENT = "commitment", "Commitment"

    class Verdict(models.TextChoices):
        """The editor's judgement of a suggested link."""

        CONFIRMED = "confirmed", "The same ask"  # shown first and exported
        REJECTED = "rejected", "Not the same"  # no longer suggested

    a_kind = models.CharField(max_length=20, choices=Kind.choices)
    a_id = models.PositiveIntegerField()
    b_kind = models.CharField(max_length=20, choices=Kind.choices)
    b_id = models.PositiveIntegerField()
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    score = models.FloatField(null=True, blank=True, help_text="The wording similarity when the verdict was given.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["a_kind", "a_id", "b_kind", "b_id"]
        constraints = [models.UniqueConstraint(fields=["a_kind", "a_id", "b_kind", "b_id"], name="similarity_link_pair_unique")]

    def __str__(self) -> str:
        return f"{self.a_kind} {self.a_id} ~ {self.b_kind} {self.b_id}: {self.verdict}"

    @staticmethod
    def ordered(one: tuple[str, int], other: tuple[str, int]) -> tuple[tuple[str, int], tuple[str, int]]:
        return (one, other) if one <= other else (other, one)
