"""Curation queues: a stable list of works that assigned curators work through, alone or independently of
each other, and what they decided (kept apart from the work's tags until resolved)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from references.models import Work

from .models import Annotation, Finding

USER = settings.AUTH_USER_MODEL


class Queue(models.Model):
    """A selection of the list page (its query string), frozen into items in a stable order."""

    class Mode(models.TextChoices):
        SINGLE = "single", "One curator tags the work"
        INDEPENDENT = "independent", "Two curators decide independently, a resolver settles"

    name = models.CharField(max_length=200)
    selection = models.TextField(blank=True, help_text="The list page's query string the works come from.")
    mode = models.CharField(max_length=20, choices=Mode, default=Mode.SINGLE)
    curators = models.ManyToManyField(USER, related_name="curation_queues")
    resolver = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resolved_queues",
        help_text="Settles disagreements; when empty, any admin does.",
    )
    size = models.PositiveIntegerField(default=0, editable=False, help_text="How many works it holds.")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("work_queue", "Can work through assigned curation queues")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("curation:queue-detail", args=[self.pk])

    @property
    def independent(self) -> bool:
        return self.mode == self.Mode.INDEPENDENT


class QueueItem(models.Model):
    """A work's place in a queue; positions only grow, so the order a curator sees never changes."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="items")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["queue", "position"]
        constraints = [
            models.UniqueConstraint(fields=["queue", "work"], name="queueitem_work_once"),
            models.UniqueConstraint(fields=["queue", "position"], name="queueitem_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.queue} #{self.position}"

    def get_absolute_url(self) -> str:
        return reverse("curation:queue-item", args=[self.pk])


class DoneMark(models.Model):
    """A curator said they are done with a work of a queue."""

    item = models.ForeignKey(QueueItem, on_delete=models.CASCADE, related_name="done_marks")
    # The item's queue again: a curator's progress is counted from one index, without the items.
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="+")
    curator = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "curator"], name="donemark_once")]
        indexes = [models.Index(fields=["queue", "curator"], name="donemark_progress")]

    def __str__(self) -> str:
        return f"{self.curator} done with {self.item}"


class Decision(models.Model):
    """One curator's decision on one finding for one work of an independent queue, with its evidence."""

    class Verdict(models.TextChoices):
        ACCEPT = "accept", "Accepted"
        REJECT = "reject", "Rejected"

    item = models.ForeignKey(QueueItem, on_delete=models.CASCADE, related_name="decisions")
    curator = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=10, choices=Verdict)
    added = models.BooleanField(default=False, help_text="Added by hand rather than a suggestion decided.")
    evidence = models.TextField(blank=True)
    evidence_field = models.CharField(max_length=20, choices=Annotation.Field, blank=True)
    evidence_start = models.PositiveIntegerField(null=True, blank=True)
    evidence_end = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    decided_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["finding__label"]
        constraints = [
            models.UniqueConstraint(fields=["item", "curator", "finding"], name="decision_one_per_curator"),
            models.CheckConstraint(
                condition=Q(evidence_start__isnull=True) | Q(evidence_end__gte=models.F("evidence_start")),
                name="decision_evidence_span_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.curator}: {self.finding} {self.verdict}"

    @property
    def accepted(self) -> bool:
        return self.verdict == self.Verdict.ACCEPT


class Resolution(models.Model):
    """The outcome for a finding of a double-curated work: agreed by both, or settled by the resolver. It is
    what becomes the work's tag (an Annotation)."""

    item = models.ForeignKey(QueueItem, on_delete=models.CASCADE, related_name="resolutions")
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=10, choices=Decision.Verdict)
    evidence = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Empty: agreed."
    )
    resolved_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["finding__label"]
        constraints = [models.UniqueConstraint(fields=["item", "finding"], name="resolution_once")]

    def __str__(self) -> str:
        return f"{self.finding}: {self.verdict}"
