"""Official responses to recommendations, commitments, and consultations with their submissions."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from recommendations.dates import DatePrecision
from recommendations.models import (
    AdminProtectedModel,
    Document,
    NaturalKeyManager,
    Organisation,
    Recommendation,
    TimeStampedModel,
)

from .querysets import CommitmentQuerySet


class Assessment(models.TextChoices):
    """How far the reply accepts the recommendation: a judgement about words, not delivery."""

    NOT_ASSESSED = "not_assessed", "Not yet assessed"  # nobody has judged the reply yet
    ACCEPTED = "accepted", "Accepted"  # the reply agrees to do what was asked
    PARTIALLY_ACCEPTED = "partially_accepted", "Partially accepted"  # agrees to some of it
    NOT_ACCEPTED = "not_accepted", "Not accepted"  # declines
    NOTED = "noted", "Noted, no commitment"  # describes current work, promises nothing new
    NOT_ANSWERED = "not_answered", "Not answered"  # the reply does not address the recommendation


class StatedPosition(models.TextChoices):
    """What the reply itself says of the recommendation, in the respondent's words ("accepts",
    "accepted in principle"): a fact about the document, kept apart from the officer's assessment."""

    NOT_STATED = "", "Not stated"  # the reply says no position in words
    ACCEPTED = "accepted", "Accepted"  # "accepts", "agrees"
    ACCEPTED_IN_PRINCIPLE = "accepted_in_principle", "Accepted in principle"
    PARTIALLY_ACCEPTED = "partially_accepted", "Partially accepted"
    SUPPORTED = "supported", "Supported"  # "supports", "welcomes": weaker than accepting
    UNDER_CONSIDERATION = "under_consideration", "Under consideration"  # "will consider", "further work"
    NOTED = "noted", "Noted"
    NOT_ACCEPTED = "not_accepted", "Not accepted"  # "does not accept", "rejects"


class ImplementationStatus(models.TextChoices):
    """Whether what was asked has been done: a judgement about delivery, kept apart from assessment."""

    OPEN = "open", "Open"  # nothing done yet, or not known
    IN_PROGRESS = "in_progress", "In progress"
    IMPLEMENTED = "implemented", "Implemented"  # needs evidence
    NOT_IMPLEMENTED = "not_implemented", "Not implemented"  # closed without being done
    SUPERSEDED = "superseded", "Superseded"  # overtaken by later events or a later recommendation


# Statuses that close an item: each needs the evidence that justifies it (Response.clean, the assess form).
CLOSING_STATUSES = frozenset({ImplementationStatus.IMPLEMENTED, ImplementationStatus.NOT_IMPLEMENTED, ImplementationStatus.SUPERSEDED})
EVIDENCE_NEEDED = "Give the evidence that justifies closing this item."


class Response(AdminProtectedModel):
    """The official reply to one recommendation, as it came in one letter.

    Assessment and implementation status are entered by officers; importing the letter again
    never changes them.
    """

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="responses")
    letter = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="responses")
    text = models.TextField()
    restated_text = models.TextField(blank=True, help_text="The recommendation as the letter restates it.")
    date_received = models.DateField()
    line = models.PositiveIntegerField(null=True, blank=True, help_text="1-based line of the reply in the letter.")
    stated_position = models.CharField(
        max_length=30, choices=StatedPosition.choices, blank=True, default=StatedPosition.NOT_STATED,
        help_text="What the reply itself says (read at import); the assessment below is the officer's own judgement.",
    )
    stated_position_text = models.CharField(max_length=500, blank=True, help_text="The reply's words that state it.")
    assessment = models.CharField(max_length=30, choices=Assessment.choices, default=Assessment.NOT_ASSESSED)
    assessment_rationale = models.TextField(blank=True)
    implementation_status = models.CharField(
        max_length=30, choices=ImplementationStatus.choices, default=ImplementationStatus.OPEN
    )
    implementation_evidence = models.TextField(blank=True, help_text="What justified closing the item.")

    NATURAL_KEY = ("recommendation__report__slug", "recommendation__number", "letter__sha256")
    objects = NaturalKeyManager()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["recommendation", "date_received"]
        permissions = [("assess_response", "Can assess replies and set implementation status")]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "letter"], name="one_response_per_recommendation_per_letter")
        ]
        indexes = [
            models.Index(fields=["recommendation", "date_received"]),
            # The change log's replies, newest first (/changes/, its feed, the digest).
            models.Index(fields=["-date_received", "-id"], name="response_received_newest"),
        ]

    def __str__(self) -> str:
        return f"Reply to {self.recommendation} ({self.date_received:%-d %B %Y})"

    def natural_key(self) -> tuple:
        return (*self.recommendation.natural_key(), self.letter.sha256)

    natural_key.dependencies = ["recommendations.recommendation", "recommendations.document"]

    def get_absolute_url(self) -> str:
        return f"{self.letter.get_absolute_url()}#line-{self.line}" if self.line else self.letter.get_absolute_url()

    def clean(self) -> None:
        report = self.recommendation.report if self.recommendation_id else None
        if report and report.published and self.date_received and self.date_received < report.published:
            raise ValidationError(
                {"date_received": f"A reply cannot be received before the report was published ({report.published:%d %B %Y})."}
            )
        if self.implementation_status in CLOSING_STATUSES and not self.implementation_evidence.strip():
            raise ValidationError({"implementation_evidence": EVIDENCE_NEEDED})


class Commitment(AdminProtectedModel):
    """A promise made in a response or a plan ("will be published later this year")."""

    class Status(models.TextChoices):
        """Whether the promise has been kept."""

        OPEN = "open", "Open"  # not yet done
        DONE = "done", "Done"  # kept
        DROPPED = "dropped", "Dropped"  # will not happen
        SUPERSEDED = "superseded", "Superseded"  # replaced by another commitment

    response = models.ForeignKey(Response, null=True, blank=True, on_delete=models.CASCADE, related_name="commitments")
    # Set when the promise concerns a recommendation but is not part of a reply to it: a reply
    # promised in a letter and still missing.
    recommendation = models.ForeignKey(
        Recommendation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="promised_replies",
        help_text="The recommendation a promised-but-missing reply is to (empty for promises made in a reply).",
    )
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="commitments")
    owner = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="commitments")
    text = models.TextField()
    due_date = models.DateField(null=True, blank=True, help_text="A month, year or financial year stands for its last day.")
    due_text = models.CharField(max_length=200, blank=True)
    due_precision = models.CharField(max_length=20, choices=DatePrecision.choices, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)

    position = models.PositiveIntegerField(help_text="Order of the commitment within its document.")

    NATURAL_KEY = ("document__sha256", "position")
    objects = NaturalKeyManager.from_queryset(CommitmentQuerySet)()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [models.UniqueConstraint(fields=["document", "position"], name="commitment_position_unique")]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            # /commitments/ in its order (due date, empty last, then document and position): a page's
            # ids from the index alone (PostgreSQL sorts empty dates last in ascending order).
            models.Index(fields=["due_date", "document", "position", "id"], name="commitment_list_order"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def natural_key(self) -> tuple:
        return (self.document.sha256, self.position)

    natural_key.dependencies = ["recommendations.document", "responses.response"]

    def clean(self) -> None:
        if self.due_date and not self.due_precision:
            raise ValidationError({"due_precision": "Say how precise the due date is."})
        if self.response_id and self.recommendation_id:
            raise ValidationError({"recommendation": "A promise made in a reply belongs to that reply, not directly to a recommendation."})
        if self.response_id and self.document_id and self.response.letter_id != self.document_id:
            raise ValidationError({"document": "A commitment made in a reply belongs to that reply's letter."})


class CommitmentRevision(TimeStampedModel):
    """A change to a commitment's due date: the original and the new date, and why.

    The commitment page lists these, so a deadline that keeps slipping is visible as such.
    """

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="revisions")
    previous_due_date = models.DateField(null=True, blank=True)
    previous_due_text = models.CharField(max_length=200, blank=True)
    new_due_date = models.DateField(null=True, blank=True)
    new_due_text = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    revised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.commitment}: {self.previous_due_date} -> {self.new_due_date}"


class Consultation(TimeStampedModel):
    """A call for views (e.g. on the draft Police and Crime Plan) and the submissions it drew."""

    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=300)

    NATURAL_KEY = ("slug",)
    objects = NaturalKeyManager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple:
        return (self.slug,)

    def get_absolute_url(self) -> str:
        return reverse("consultation-detail", args=[self.slug])


class Submission(AdminProtectedModel):
    """One response to a consultation: an email, a letter or a report, by a person or body."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="submissions")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="submissions")
    respondent = models.CharField(max_length=200, blank=True, help_text="The person, where one is named.")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="submissions"
    )
    respondent_kind = models.CharField(max_length=20, choices=Organisation.Kind.choices)
    label = models.CharField(max_length=300)
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=20, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN)
    subject = models.CharField(max_length=300, blank=True)
    text = models.TextField(help_text="As received, without contact details (removed at import: see importer/parsing/privacy.py).")
    start_line = models.PositiveIntegerField()
    end_line = models.PositiveIntegerField()

    NATURAL_KEY = ("document__sha256", "start_line")
    objects = NaturalKeyManager()

    class Meta:
        ordering = ["consultation", "document", "start_line"]
        constraints = [
            models.UniqueConstraint(fields=["document", "start_line"], name="submission_unique_in_document")
        ]

    def __str__(self) -> str:
        return self.label

    def natural_key(self) -> tuple:
        return (self.document.sha256, self.start_line)

    natural_key.dependencies = ["recommendations.document", "responses.consultation"]


class Ask(TimeStampedModel):
    """An explicit request in a submission: a bulleted commitment asked for, a numbered recommendation."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="asks")
    number = models.PositiveIntegerField(null=True, blank=True)
    section = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    line = models.PositiveIntegerField()

    NATURAL_KEY = ("submission__document__sha256", "submission__start_line", "line")
    objects = NaturalKeyManager()

    class Meta:
        ordering = ["submission", "line"]
        constraints = [models.UniqueConstraint(fields=["submission", "line"], name="ask_unique_in_submission")]

    def __str__(self) -> str:
        return self.text[:80]

    def natural_key(self) -> tuple:
        return (*self.submission.natural_key(), self.line)

    natural_key.dependencies = ["responses.submission"]


# --- Overdue flags and the weekly digest (the Celery jobs) --------------------------------------


class OverdueFlagQuerySet(models.QuerySet):
    def open(self) -> OverdueFlagQuerySet:
        """Flags not yet resolved: the item is still overdue as far as the last flag run knew."""
        return self.filter(resolved_at__isnull=True)

    def resolved(self) -> OverdueFlagQuerySet:
        """Flags closed by a later run (a reply arrived, a commitment was done, a date moved)."""
        return self.filter(resolved_at__isnull=False)


class OverdueFlag(TimeStampedModel):
    """A record that something became overdue, raised once by the daily job and resolved with when.

    Deadline *state* is still derived from dates (``overdue(today=...)``); a flag is the history:
    when the tracker first noticed, and when and why it stopped being overdue. At most one open flag
    exists per item, so running the job twice raises nothing new; an item that becomes overdue again
    after being resolved gets a new flag.
    """

    class Kind(models.TextChoices):
        """What went overdue."""

        RECOMMENDATION = "recommendation", "Recommendation deadline passed without a reply"
        REPORT_REPLY = "report_reply", "Reply to a report overdue"
        COMMITMENT = "commitment", "Commitment past its due date and not done"

    class Resolution(models.TextChoices):
        """Why a flag was resolved."""

        REPLY_RECEIVED = "reply_received", "Reply received"  # the report-back or reply arrived
        COMMITMENT_CLOSED = "commitment_closed", "Commitment done, dropped or superseded"
        DATE_CHANGED = "date_changed", "Deadline changed or removed"  # an editor moved the date
        ITEM_DELETED = "item_deleted", "Item deleted"  # kept so the history survives

    kind = models.CharField(max_length=20, choices=Kind.choices)
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.SET_NULL, related_name="overdue_flags"
    )
    report = models.ForeignKey(
        "recommendations.Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="overdue_flags"
    )
    commitment = models.ForeignKey(
        Commitment, null=True, blank=True, on_delete=models.SET_NULL, related_name="overdue_flags"
    )
    due_date = models.DateField(help_text="The deadline that passed; the item was overdue from the next day.")
    raised_on = models.DateField(help_text="The day (London date) the flag job first found it overdue.")
    raised_at = models.DateTimeField(default=timezone.now, editable=False)
    resolved_on = models.DateField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=20, choices=Resolution.choices, blank=True)

    objects = OverdueFlagQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "kind", "pk"]
        constraints = [
            # Exactly the item its kind names (or none, once that item was deleted and the flag resolved).
            models.CheckConstraint(
                condition=(
                    models.Q(kind="recommendation", report__isnull=True, commitment__isnull=True)
                    | models.Q(kind="report_reply", recommendation__isnull=True, commitment__isnull=True)
                    | models.Q(kind="commitment", recommendation__isnull=True, report__isnull=True)
                ),
                name="overdue_flag_names_one_kind_of_item",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(resolved_at__isnull=True, resolved_on__isnull=True, resolution="")
                    | models.Q(resolved_at__isnull=False, resolved_on__isnull=False) & ~models.Q(resolution="")
                ),
                name="overdue_flag_resolved_with_when_and_why",
            ),
            # The once-only promise: one open flag per item.
            models.UniqueConstraint(
                fields=["recommendation"],
                condition=models.Q(resolved_at__isnull=True, recommendation__isnull=False),
                name="one_open_flag_per_recommendation",
            ),
            models.UniqueConstraint(
                fields=["report"],
                condition=models.Q(resolved_at__isnull=True, report__isnull=False),
                name="one_open_flag_per_report",
            ),
            models.UniqueConstraint(
                fields=["commitment"],
                condition=models.Q(resolved_at__isnull=True, commitment__isnull=False),
                name="one_open_flag_per_commitment",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "resolved_at"]),
            # The change log's "became overdue", newest first (/changes/, its feed, the digest).
            models.Index(fields=["-raised_on", "-id"], name="overdueflag_raised_newest"),
        ]

    def __str__(self) -> str:
        state = f"resolved {self.resolved_on:%d %b %Y}" if self.resolved_on else "open"
        return f"{self.get_kind_display()}: {self.item} (due {self.due_date:%d %b %Y}, {state})"

    @property
    def item(self):
        return self.recommendation or self.report or self.commitment

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class DigestSubscription(TimeStampedModel):
    """A user's choice to get the weekly overdue-deadline digest, optionally only about some bodies
    and some reports (both chosen: items of those reports for those bodies)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_subscription")
    subscribed = models.BooleanField(default=True)
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="digest_subscriptions",
        help_text="Only items these bodies must act on; none chosen means everything.",
    )
    reports = models.ManyToManyField(
        "recommendations.Report",
        blank=True,
        related_name="digest_subscriptions",
        help_text="Only items of these reports; none chosen means every report.",
    )
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user"]

    def __str__(self) -> str:
        return f"{self.user} ({'subscribed' if self.subscribed else 'unsubscribed'})"


class DigestDelivery(TimeStampedModel):
    """One subscriber's digest for one ISO week: the record that makes the weekly send once per
    subscriber (a crash may repeat the one message in flight, with the same Message-ID).

    The row is created before anything is sent; a worker claims it (``sending``) with a conditional
    update, sends, then marks it ``sent``. A second run finds it sent and sends nothing; a run that
    died part-way leaves the rest ``pending`` (or ``failed``) for the restart, and the one it was
    sending ``sending`` until the claim goes stale (``DIGEST_CLAIM_TIMEOUT_SECONDS``).
    """

    class Status(models.TextChoices):
        """Where this week's digest for this subscriber stands."""

        PENDING = "pending", "Pending"  # to be sent
        SENDING = "sending", "Sending"  # claimed by a worker; a stale claim is retried
        SENT = "sent", "Sent"  # the SMTP server accepted it
        SKIPPED = "skipped", "Skipped"  # nothing to say, or unsubscribed before it went
        FAILED = "failed", "Failed"  # the last attempt failed; retried with backoff, never dropped

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries")
    week_start = models.DateField(help_text="Monday of the ISO week this digest is for.")
    digest_date = models.DateField(help_text="The day the digest describes ('today' for its contents).")
    email = models.EmailField(blank=True, help_text="Where it was sent.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=300, blank=True)
    items = models.PositiveIntegerField(default=0, help_text="How many items the digest listed.")
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-week_start", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "week_start"], name="one_digest_per_subscriber_per_week"),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="digest_delivery_sent_has_sent_at",
            ),
        ]
        indexes = [models.Index(fields=["week_start", "status"])]
        verbose_name_plural = "digest deliveries"

    def __str__(self) -> str:
        return f"Digest for {self.user}, week of {self.week_start:%d %b %Y}: {self.get_status_display()}"

    def clean(self) -> None:
        if self.week_start and self.week_start.isoweekday() != 1:
            raise ValidationError({"week_start": "A week starts on a Monday."})
