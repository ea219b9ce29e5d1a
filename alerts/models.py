"""Watches: someone (by email address) following one recommendation or report, and the record of
each change they were emailed about."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from recommendations.models import Recommendation, Report


class Watch(models.Model):
    """An email address following one recommendation or one report (all its recommendations and its
    reply). Only confirmed addresses are stored: a watch is created when its link is followed."""

    email = models.EmailField(help_text="Lower-cased, as confirmed.")
    recommendation = models.ForeignKey(Recommendation, null=True, blank=True, on_delete=models.CASCADE, related_name="watches")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.CASCADE, related_name="watches")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["email", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation__isnull=False, report__isnull=True) | Q(recommendation__isnull=True, report__isnull=False),
                name="watch_one_recommendation_or_report",
            ),
            models.UniqueConstraint(fields=["email", "recommendation"], condition=Q(recommendation__isnull=False), name="watch_recommendation_once"),
            models.UniqueConstraint(fields=["email", "report"], condition=Q(report__isnull=False), name="watch_report_once"),
        ]
        verbose_name_plural = "watches"

    def __str__(self) -> str:
        return f"{self.email} watching {self.target}"

    @property
    def target(self) -> Recommendation | Report:
        return self.recommendation if self.recommendation_id else self.report


class WatchNotification(models.Model):
    """One change (``responses.changes.Change.key``) for one watch. The row is claimed (created,
    unique) before the email is sent, so however often the task runs each change is emailed at
    most once; a failed send gives its claims back for the retry. Changes that happened before
    the watch began are recorded as ``baseline`` and never sent."""

    class Status(models.TextChoices):
        """Where this change stands for this watcher."""

        BASELINE = "baseline", "Before the watch began"  # never emailed
        SENDING = "sending", "Sending"  # claimed by a worker
        SENT = "sent", "Sent"  # the SMTP server accepted it

    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="notifications")
    change_key = models.CharField(max_length=100)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SENDING)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["watch", "created_at"]
        constraints = [models.UniqueConstraint(fields=["watch", "change_key"], name="watch_change_once")]

    def __str__(self) -> str:
        return f"{self.change_key} for {self.watch.email}: {self.get_status_display()}"
