"""Organisations, source documents, committee reports and their recommendations.

Deadline *state* (overdue, due soon, met, missed) is never stored: it is derived from dates and
``today`` by the queryset methods in ``recommendations.querysets``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tracker import links

from .dates import DatePrecision, ResponseDue, deadlines_disagree, response_due_for
from .querysets import OrganisationQuerySet, RecommendationQuerySet, ReportQuerySet


class TimeStampedModel(models.Model):
    # Plain defaults rather than auto_now(_add): seed fixtures leave timestamps out (so they are
    # byte-for-byte reproducible) and loaddata then stamps rows with the time they were loaded.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not kwargs.get("raw") and self.pk is not None:
            self.updated_at = timezone.now()
        super().save(*args, **kwargs)


class NaturalKeyManager(models.Manager):
    """Looks rows up by the fields named in the model's ``NATURAL_KEY`` (fixtures use natural keys,
    so they do not depend on database ids)."""

    def get_by_natural_key(self, *values):
        return self.get(**dict(zip(self.model.NATURAL_KEY, values, strict=False)))


class AdminProtectedModel(TimeStampedModel):
    """A record an importer creates and an admin may correct.

    Once an admin edits it (``edited_by_admin``), re-importing the source never overwrites it:
    the import preview reports the difference instead.
    """

    edited_by_admin = models.BooleanField(
        default=False,
        help_text="Set when an admin changes this record; re-imports then leave it alone.",
    )

    class Meta:
        abstract = True


class Organisation(TimeStampedModel):
    """A body that makes, receives or answers recommendations, or responds to a consultation."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", "Assembly committee"  # makes recommendations
        MAYOR = "mayor", "Mayor of London"  # answers them
        MOPAC = "mopac", "Mayor's Office for Policing and Crime"
        POLICE = "police", "Police service"
        GOVERNMENT = "government", "Government"
        COUNCIL = "council", "Council"  # consultees from here on
        CHARITY = "charity", "Charity or voluntary organisation"
        PUBLIC = "public", "Member of the public"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=60,
        blank=True,
        help_text="How recommendations name it (MOPAC, Met, Mayor); also the importer's key.",
    )
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)

    NATURAL_KEY = ("slug",)
    objects = NaturalKeyManager.from_queryset(OrganisationQuerySet)()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["short_name"],
                condition=~models.Q(short_name=""),
                name="organisation_short_name_unique",
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def natural_key(self) -> tuple:
        return (self.slug,)


class OrganisationAlias(TimeStampedModel):
    """Another name documents use for an organisation ("the Met", "MPS", "the brigade").

    Data an editor extends in the admin, not code: the importer hands every alias to the parsers
    (as a plain dict), which report an addressee or a respondent named by an alias under the name
    it stands for. Seeded by migration 0010 with the names the importer always knew.
    """

    alias = models.CharField(max_length=200, unique=True, help_text="As documents write it, e.g. 'the Met'; case is ignored.")
    stands_for = models.CharField(
        max_length=200,
        help_text="The organisation's short name (Mayor, MOPAC, Met) or its full name, e.g. 'London Fire Brigade'.",
    )

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "organisation aliases"

    def __str__(self) -> str:
        return f"{self.alias} → {self.stands_for}"

    def clean(self) -> None:
        self.alias, self.stands_for = " ".join(self.alias.split()), " ".join(self.stands_for.split())
        clash = OrganisationAlias.objects.filter(alias__iexact=self.alias).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError({"alias": f"'{self.alias}' is already an alias (of {clash.first().stands_for})."})


class Document(TimeStampedModel):
    """A source text the tracker imported: a report, a web page, a letter, a submission."""

    class Kind(models.TextChoices):
        COMMITTEE_REPORT = "committee_report", "Committee report"
        REPORT_PAGE = "report_page", "Report summary page"
        RESPONSE_LETTER = "response_letter", "Response letter"
        CONSULTATION_SUBMISSION = "consultation_submission", "Consultation submission"
        CONSULTATION_COMPILATION = "consultation_compilation", "Consultation responses (compilation)"
        PLAN = "plan", "Plan"
        RECOMMENDATIONS_DOCUMENT = "recommendations_document", "Report making recommendations"  # any other layout
        REPLY_DOCUMENT = "reply_document", "Reply to recommendations"  # any respondent, any layout

    REPLY_KINDS = (Kind.RESPONSE_LETTER, Kind.REPLY_DOCUMENT)  # documents that answer recommendations

    kind = models.CharField(max_length=40, choices=Kind.choices)
    title = models.CharField(max_length=500)
    author_organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="authored_documents")
    author_person = models.CharField(max_length=200, blank=True)
    author_role = models.CharField(max_length=300, blank=True)
    recipient_organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="received_documents")
    recipient_person = models.CharField(max_length=200, blank=True)
    recipient_role = models.CharField(max_length=300, blank=True)
    date = models.DateField(null=True, blank=True, help_text="A month or year stands for its last day.")
    date_precision = models.CharField(max_length=20, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN)
    date_text = models.CharField(max_length=100, blank=True, help_text="The date as the document writes it.")
    reference = models.CharField(max_length=100, blank=True, help_text="e.g. MGLA230322-7616")
    source_file = models.CharField(max_length=300, help_text="Path under fixtures/sources/ (or the uploaded name).")
    sha256 = models.CharField(max_length=64, unique=True, help_text="Of the source file's bytes: the same file is imported once.")
    text = models.TextField(help_text="The text as imported (extracted from the PDF where there was one).")
    apologises_for_delay = models.BooleanField(default=False)
    report = models.ForeignKey(
        "Report",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        help_text="The committee report this document is, summarises or answers.",
    )

    NATURAL_KEY = ("sha256",)
    objects = NaturalKeyManager()

    class Meta:
        ordering = ["-date", "title"]
        indexes = [
            models.Index(fields=["kind", "date"]),
            # /documents/ in its order (pages.selectors.DOCUMENT_LIST_ORDER): a page's ids from the index alone
            models.Index(fields=["kind", "-date", "title", "id"], name="document_list_order"),
        ]
        permissions = [("import_documents", "Can import documents (reports, letters, consultation responses)")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return links.path("document-detail", self.pk)

    def natural_key(self) -> tuple:
        return (self.sha256,)

    def clean(self) -> None:
        if self.date is None and self.date_precision != DatePrecision.UNKNOWN:
            raise ValidationError({"date_precision": "A document with no date has precision 'unknown'."})
        if self.date is not None and self.date_precision == DatePrecision.UNKNOWN:
            raise ValidationError({"date_precision": "Say how precise the date is."})


class Report(AdminProtectedModel):
    """A committee report: the set of numbered recommendations the Mayor is asked to answer.

    A report can reach the tracker through several documents (the full report, its web page);
    ``documents`` lists them. The Mayor's reply is due ``settings.RESPONSE_DUE_MONTHS`` calendar
    months after publication unless an editor overrides the date with a reason.
    """

    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=500)
    committee = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="reports")
    chair = models.CharField(max_length=200, blank=True)
    published = models.DateField(null=True, blank=True, help_text="A month or year stands for its last day.")
    published_precision = models.CharField(max_length=20, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN)
    published_source = models.CharField(max_length=200, blank=True, help_text="Where the publication date comes from (the report's cover, its web page).")
    response_due_override = models.DateField(null=True, blank=True)
    response_due_override_reason = models.CharField(max_length=500, blank=True)

    NATURAL_KEY = ("slug",)
    objects = NaturalKeyManager.from_queryset(ReportQuerySet)()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-published", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return links.path("report-detail", self.slug)

    def natural_key(self) -> tuple:
        return (self.slug,)

    def clean(self) -> None:
        if self.response_due_override and not self.response_due_override_reason.strip():
            raise ValidationError({"response_due_override_reason": "Say why the default due date does not apply."})
        if self.response_due_override and self.published and self.response_due_override < self.published:
            raise ValidationError({"response_due_override": "A reply cannot be due before the report was published."})

    @property
    def response_due(self) -> ResponseDue:
        """When the Mayor's reply is due (or at the latest, when the publication date is not
        known) and how that date was worked out."""
        earliest_deadline, earliest_reply = self.publication_bounds()
        return response_due_for(
            published=self.published,
            published_precision=self.published_precision,
            override=self.response_due_override,
            override_reason=self.response_due_override_reason,
            earliest_deadline=earliest_deadline,
            earliest_reply=earliest_reply,
        )

    def publication_bounds(self) -> tuple:
        """(earliest deadline, first reply): annotated by ``Report.objects.with_publication_bounds()``
        (every selector does, so pages run a fixed number of queries), else read once here: only
        when they matter, i.e. the publication date is not known and no editor set a due date."""
        if not self.needs_publication_bounds:
            return None, None
        if not hasattr(self, "earliest_deadline"):
            type(self).read_publication_bounds([self])
        return self.earliest_deadline, self.earliest_reply

    @property
    def needs_publication_bounds(self) -> bool:
        """Whether ``response_due`` reads the bounds: no publication date and no editor's date."""
        return self.published is None and self.response_due_override is None and self.pk is not None

    @classmethod
    def read_publication_bounds(cls, reports: list[Report]) -> None:
        """Set the bounds on those of ``reports`` that need them and lack them, in one query for all
        of them (none when none do): a page of rows from many reports reads them once."""
        needing = {report.pk for report in reports if report.needs_publication_bounds and not hasattr(report, "earliest_deadline")}
        if not needing:
            return
        found = {
            pk: (deadline, reply)
            for pk, deadline, reply in cls.objects.with_publication_bounds().filter(pk__in=needing).values_list("pk", "earliest_deadline", "earliest_reply")
        }
        for report in reports:
            if report.pk in needing:
                report.earliest_deadline, report.earliest_reply = found.get(report.pk, (None, None))


class Recommendation(AdminProtectedModel):
    """A numbered recommendation of a committee report.

    ``text`` is the fullest wording found in any copy, ``short_text`` the shortest when it differs
    (a web page's short form). ``deadline`` is the earliest deadline any copy states; when copies
    disagree, every copy's deadline is kept on its ``RecommendationAppearance`` and shown.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveIntegerField()
    text = models.TextField()
    short_text = models.TextField(blank=True)
    addressees = models.ManyToManyField(Organisation, related_name="recommendations", blank=True)
    chapter = models.CharField(max_length=300, blank=True)
    deadline = models.DateField(null=True, blank=True, help_text="A month means its last day.")
    deadline_text = models.CharField(max_length=200, blank=True, help_text="The words, e.g. 'by May 2020'.")
    deadline_precision = models.CharField(max_length=20, choices=DatePrecision.choices, blank=True)
    made_in = models.ForeignKey(
        Document,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations_made",
        help_text="The document that made it (the report itself where the tracker has it).",
    )

    NATURAL_KEY = ("report__slug", "number")
    objects = NaturalKeyManager.from_queryset(RecommendationQuerySet)()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"], m2m_fields=[addressees])

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="recommendation_number_unique_in_report")]
        indexes = [models.Index(fields=["deadline"])]

    def __str__(self) -> str:
        return f"{self.report} – recommendation {self.number}"

    def get_absolute_url(self) -> str:
        return links.path("recommendation-detail", self.pk)

    def natural_key(self) -> tuple:
        return (self.report.slug, self.number)

    natural_key.dependencies = ["recommendations.report"]

    def clean(self) -> None:
        if self.deadline and not self.deadline_precision:
            raise ValidationError({"deadline_precision": "Say how precise the deadline is."})
        if self.deadline is None and self.deadline_text and self.deadline_precision:
            raise ValidationError({"deadline": "The deadline's words are given but not its date."})

    def deadline_conflicts(self) -> list[RecommendationAppearance]:
        """Every copy's deadline when copies disagree (empty when they agree or none gives one).

        Uses prefetched ``appearances`` when present, so list pages stay at a fixed query count.
        """
        with_deadline = [a for a in self.appearances.all() if a.deadline is not None]
        return with_deadline if deadlines_disagree(a.deadline for a in with_deadline) else []


class RecommendationAppearance(TimeStampedModel):
    """One place a recommendation appears: a report's summary list, its chapter, a web page, or
    the restatement in a response letter. Each copy keeps its own wording and deadline."""

    class Section(models.TextChoices):
        SUMMARY = "summary", "Summary list"
        CHAPTER = "chapter", "Chapter"
        PAGE = "page", "Web page"
        LETTER = "letter", "Response letter"

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="appearances")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="appearances")
    section = models.CharField(max_length=20, choices=Section.choices)
    line = models.PositiveIntegerField(help_text="1-based line in the document's text.")
    text = models.TextField()
    deadline = models.DateField(null=True, blank=True)
    deadline_text = models.CharField(max_length=200, blank=True)
    deadline_precision = models.CharField(max_length=20, choices=DatePrecision.choices, blank=True)

    NATURAL_KEY = ("document__sha256", "section", "line")
    objects = NaturalKeyManager()

    class Meta:
        ordering = ["document", "line"]
        constraints = [models.UniqueConstraint(fields=["document", "section", "line"], name="appearance_unique")]

    def __str__(self) -> str:
        return f"{self.recommendation} in {self.document} ({self.get_section_display()}, line {self.line})"

    def get_absolute_url(self) -> str:
        return f"{self.document.get_absolute_url()}#line-{self.line}"

    def natural_key(self) -> tuple:
        return (self.document.sha256, self.section, self.line)

    natural_key.dependencies = ["recommendations.document", "recommendations.recommendation"]


class Note(TimeStampedModel):
    """A scrutiny officer's note on a recommendation (seen by signed-in staff only)."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Note by {self.author} on {self.recommendation}"


class PendingImport(TimeStampedModel):
    """An uploaded document waiting for an editor to confirm its import preview.

    Nothing the document says is written until confirmation; this row only holds the upload so the
    preview and the confirmation read the very same bytes (and its one reading). Deleted once confirmed or abandoned.
    """

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports")
    name = models.CharField(max_length=300)
    data = models.BinaryField()
    kind = models.CharField(max_length=40, default="auto")
    report_slug = models.CharField(max_length=200, blank=True)
    # The one reading of ``data`` (text and parse, ``parsing.serialise.ReadDocument``), made at upload
    # in a contained child process: the preview and the confirmation never read the document again.
    parsed = models.JSONField(null=True, blank=True, editable=False)
    # The editor's corrections to that reading (``importer.review``), kept so they survive a
    # reload, another tab or a sign-out; applied to the reading for the preview and the confirmation.
    review = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class DashboardFigures(models.Model):
    """The dashboard's counts for one day, stored so a request need not count every row
    (``pages.figures`` fills them and keeps them current on every write).
    ``organisation_id`` 0 holds the totals; any other is an addressee's row."""

    day = models.DateField()
    due_soon_days = models.PositiveIntegerField()
    organisation_id = models.IntegerField()  # no foreign key: 0 stands for "all"
    recommendations = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)
    due_soon = models.IntegerField(default=0)
    awaiting_response = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    reports = models.IntegerField(default=0)
    reports_response_overdue = models.IntegerField(default=0)
    reports_reply_due_unknown = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "due_soon_days", "organisation_id"], name="dashboard_figures_one_row")]

    def __str__(self) -> str:
        return f"Dashboard figures for {self.day} (organisation {self.organisation_id})"
