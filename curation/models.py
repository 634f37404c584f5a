from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Lower
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from references.models import Work
from references.search import indexing


class FindingQuerySet(models.QuerySet):
    def with_work_counts(self) -> FindingQuerySet:
        """Each finding with `work_count`: how many works (not merged ones) carry it as an accepted tag."""
        accepted = Q(
            annotations__state=Annotation.State.ACCEPTED, annotations__work__merged_into__isnull=True
        )
        return self.annotate(work_count=Count("annotations__work", filter=accepted, distinct=True))


class Finding(models.Model):
    """A term of the finding vocabulary, such as KMT2A-r or HSCT."""

    class Category(models.TextChoices):
        GENETICS = "genetics", "Genetics"
        THERAPY = "therapy", "Therapy"
        TRANSPLANT = "transplant", "Transplant"
        RESPONSE = "response", "Response"
        POPULATION = "population", "Population"
        STUDY_TYPE = "study-type", "Study type"

    label = models.CharField(max_length=100, unique=True)
    category = models.CharField(max_length=20, choices=Category)
    description = models.TextField(blank=True)
    synonyms = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    former_labels = ArrayField(
        models.CharField(max_length=100),
        default=list,
        blank=True,
        editable=False,
        help_text="Labels it had before a rename: saved links and exports that name them still find it.",
    )

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["category", "label"]
        constraints = [
            # "KMT2A-r" and "KMT2A-R" would be one finding to a reader; the form says so, this makes it hold.
            models.UniqueConstraint(Lower("label"), name="finding_label_unique_ignoring_case"),
        ]

    def __str__(self) -> str:
        return self.label

    def remember_label(self, former: str) -> None:
        """Keep a label it has just lost, so that links and exports naming it still find this finding."""
        self.former_labels = [old for old in [*self.former_labels, former] if old != self.label]


class Annotation(models.Model):
    """A curator's claim that a Work reports a Finding, with the sentence that supports it."""

    class State(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    class Field(models.TextChoices):
        TITLE = "title", "Title"
        ABSTRACT = "abstract", "Abstract"
        # The record's publication type as printed ("Review"): the evidence is the type, with no offsets.
        PUBLICATION_TYPE = "publication_type", "Publication type"

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="annotations")
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="annotations")
    evidence = models.TextField(blank=True, help_text="The quoted sentence that supports the finding.")
    evidence_field = models.CharField(max_length=20, choices=Field, blank=True)
    evidence_start = models.PositiveIntegerField(null=True, blank=True)
    evidence_end = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    state = models.CharField(max_length=20, choices=State, default=State.ACCEPTED)
    # Raised by every change; a change made against an older version is refused (two curators at once).
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["finding__label", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(evidence_start__isnull=True) | Q(evidence_end__gte=F("evidence_start")),
                name="annotation_evidence_span_ordered",
            ),
            # One annotation per finding and work: a rejected suggestion stays rejected, a tag is not doubled.
            models.UniqueConstraint(fields=["work", "finding"], name="annotation_one_per_finding"),
        ]

    def __str__(self) -> str:
        return f"{self.finding} on {self.work}"


# The fields evidence is quoted from, with offsets; a publication type is evidence as a whole value.
QUOTABLE_FIELDS = (Annotation.Field.TITLE, Annotation.Field.ABSTRACT)


@receiver([post_save, post_delete], sender=Annotation)
def reindex_tags(sender, instance: Annotation, origin=None, **kwargs) -> None:
    """A work's tags are facets: keep its index row in step with every saved or deleted annotation (bulk
    writes, which send no signals, refresh the index themselves). Not when the annotations go because
    their work does: its index row goes with it."""
    deleting_works = isinstance(origin, Work) or getattr(origin, "model", None) is Work
    if not deleting_works:
        indexing.refresh([instance.work_id], text=False)


@receiver([post_save, post_delete], sender=Finding)
def forget_counted_labels(sender, instance: Finding, **kwargs) -> None:
    """Cached facet counts carry the findings' labels: a renamed finding must not show its old one."""
    transaction.on_commit(indexing.next_generation)


# Queues live in their own module; Django finds models through this one.
from .queue_models import Decision, DoneMark, Queue, QueueItem, Resolution  # noqa: E402, F401
