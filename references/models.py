from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.db import models
from django.db.models import Count, Exists, F, Func, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone

from .importers.records import SourceRecord
from .matching import Keys, best_title_match, family_key, title_key


class WorkType(models.TextChoices):
    JOURNAL_ARTICLE = "journal-article", "Journal article"
    REVIEW = "review", "Review"
    CASE_REPORT = "case-report", "Case report"
    BOOK_CHAPTER = "book-chapter", "Book chapter"
    BOOK = "book", "Book"
    REPORT = "report", "Report"
    CONFERENCE_ABSTRACT = "conference-abstract", "Conference abstract"
    WEB_PAGE = "web-page", "Web page"
    OTHER = "other", "Other"


class EnrichmentState(models.TextChoices):
    NOT_ENRICHED = "not-enriched", "Not enriched"
    QUEUED = "queued", "Queued"
    ENRICHED = "enriched", "Enriched"
    FAILED = "failed", "Failed"


def _joined(array_field: str) -> Func:
    return Func(F(array_field), Value(" "), function="array_to_string", output_field=models.TextField())


def text_list() -> ArrayField:
    return ArrayField(models.CharField(max_length=300), default=list, blank=True)


class WorkQuerySet(models.QuerySet):
    def active(self) -> WorkQuerySet:
        """Works not merged into another."""
        return self.filter(merged_into__isnull=True)

    def sources(self) -> WorkQuerySet:
        """Works imported from a page, as opposed to those known only from citations."""
        return self.filter(Exists(SourceDocument.objects.filter(work=OuterRef("pk"))))

    def search(self, text: str) -> WorkQuerySet:
        query = SearchQuery(text, search_type="websearch", config="english")
        return (
            self.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-year")
        )

    def matching_record(self, record: SourceRecord) -> Work | None:
        """The Work a page describes: by DOI, else PMID, else by title, year and first author."""
        if record.doi and (work := self.filter(doi=record.doi).first()):
            return work
        if record.pmid and (work := self.filter(pmid=record.pmid).first()):
            return work
        first_author = family_key(record.authors[0].family) if record.authors else ""
        keys = Keys(title_key(record.title), record.year, first_author)
        same_title_or_author = Q(title_key=keys.title) | (
            Q(first_author_key=first_author) if first_author else Q()
        )
        candidates = self.active().filter(
            Q(doi="") | Q(doi=record.doi), same_title_or_author, year=record.year
        )
        match = best_title_match(keys, {work.pk: work.match_keys for work in candidates})
        return self.get(pk=match.work_id) if match else None

    def update_search_vectors(self) -> int:
        """Weighted full-text vectors: title first, then keywords and authors, then journal and abstract."""
        names = (
            Contributor.objects.filter(work=OuterRef("pk"))
            .values("work")
            .annotate(names=StringAgg("family", " "))
            .values("names")
        )
        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector(_joined("keywords"), _joined("mesh_terms"), weight="B", config="english")
            + SearchVector(
                Coalesce(Subquery(names), Value(""), output_field=models.TextField()),
                weight="B",
                config="simple",
            )
            + SearchVector("container_title", "abstract", weight="C", config="english")
        )
        return self.update(search_vector=vector)

    def with_counts(self) -> WorkQuerySet:
        return self.annotate(
            reference_count=Count("citations", distinct=True),
            cited_by_count=Count("cited_by", distinct=True),
        )


class Work(models.Model):
    """One row per publication, whether imported as a source or known only as a cited work."""

    doi = models.CharField("DOI", max_length=255, blank=True)
    pmid = models.CharField("PMID", max_length=20, blank=True)
    title = models.TextField()
    container_title = models.CharField(max_length=500, blank=True)
    work_type = models.CharField(max_length=30, choices=WorkType, default=WorkType.JOURNAL_ARTICLE)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    volume = models.CharField(max_length=50, blank=True)
    issue = models.CharField(max_length=50, blank=True)
    pages = models.CharField(max_length=50, blank=True)
    issns = text_list()
    isbns = text_list()
    publisher = models.CharField(max_length=300, blank=True)
    abstract = models.TextField(blank=True)
    keywords = text_list()
    mesh_terms = text_list()
    authors_truncated = models.BooleanField(
        default=False, help_text="The source printed 'et al.' instead of the full author list."
    )
    crossref_json = models.JSONField(null=True, blank=True, editable=False)
    enrichment_state = models.CharField(
        max_length=20, choices=EnrichmentState, default=EnrichmentState.NOT_ENRICHED
    )
    search_vector = SearchVectorField(null=True, editable=False)
    # Normalised forms for matching citations to works (references.matching); kept by references.services.
    title_key = models.CharField(max_length=500, blank=True, editable=False)
    first_author_key = models.CharField(max_length=100, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_works", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["doi"], condition=~Q(doi=""), name="work_doi_unique"),
            models.CheckConstraint(condition=Q(doi=Lower("doi")), name="work_doi_lowercase"),
            models.UniqueConstraint(fields=["pmid"], condition=~Q(pmid=""), name="work_pmid_unique"),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="work_search_vector"),
            models.Index(fields=["first_author_key", "year"], name="work_author_year"),
            models.Index(fields=["title_key"], name="work_title_key"),
        ]

    def __str__(self) -> str:
        return self.title[:80]

    def get_absolute_url(self) -> str:
        return reverse("references:work-detail", args=[self.pk])

    def refresh_match_keys(self, first_author_family: str | None = None) -> None:
        """Recompute the matching keys; pass the first author's family name when it changed."""
        self.title_key = title_key(self.title)
        if first_author_family is not None:
            self.first_author_key = family_key(first_author_family)

    @property
    def match_keys(self) -> Keys:
        return Keys(self.title_key, self.year, self.first_author_key)

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def authors(self) -> models.QuerySet[Contributor]:
        return self.contributors.filter(role=Contributor.Role.AUTHOR)

    @property
    def editors(self) -> models.QuerySet[Contributor]:
        return self.contributors.filter(role=Contributor.Role.EDITOR)


class Contributor(models.Model):
    class Role(models.TextChoices):
        AUTHOR = "author", "Author"
        EDITOR = "editor", "Editor"

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="contributors")
    role = models.CharField(max_length=10, choices=Role, default=Role.AUTHOR)
    position = models.PositiveSmallIntegerField()
    family = models.CharField(max_length=200)
    given = models.CharField(max_length=200, blank=True)
    printed = models.CharField(max_length=300, blank=True, help_text="The name as the source printed it.")
    orcid = models.CharField("ORCID", max_length=40, blank=True)

    class Meta:
        ordering = ["role", "position"]
        constraints = [
            models.UniqueConstraint(fields=["work", "role", "position"], name="contributor_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.family} {self.given}".strip()


class ImportBatch(models.Model):
    """One run of an importer (a command or an upload): who, when, and one item per file."""

    class Kind(models.TextChoices):
        SOURCES = "sources", "Source pages"
        REFERENCES = "references", "Reference list"

    class Origin(models.TextChoices):
        COMMAND = "command", "Management command"
        WEB = "web", "Web upload"

    kind = models.CharField(max_length=20, choices=Kind, default=Kind.SOURCES)
    origin = models.CharField(max_length=20, choices=Origin, default=Origin.COMMAND)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("references:import-batch", args=[self.pk])

    def mark_finished(self) -> None:
        self.finished_at = timezone.now()
        self.save(update_fields=["finished_at"])

    def outcome_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ImportItem.Outcome.values, 0)
        rows = self.items.values_list("outcome").annotate(n=Count("id")).order_by()
        counts.update(dict(rows))
        return counts


class ImportItem(models.Model):
    """What one file of a batch did. Written even when the file failed and nothing else was."""

    class Outcome(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"
        UNCHANGED = "unchanged", "Unchanged"
        FAILED = "failed", "Failed"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="items")
    file_name = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=Outcome)
    message = models.TextField(blank=True)
    work = models.ForeignKey(Work, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reference_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.file_name}: {self.outcome}"


class SourceDocument(models.Model):
    """An imported file, kept verbatim: the evidence behind a Work's imported metadata."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="source_documents")
    batch = models.ForeignKey(ImportBatch, null=True, on_delete=models.SET_NULL, related_name="documents")
    file_name = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    raw_text = models.TextField()
    file_format = models.CharField(max_length=10)
    encoding = models.CharField(max_length=40)
    page_kind = models.CharField(max_length=40)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.file_name


class Citation(models.Model):
    """One entry of a Work's reference list; linked to the cited Work once matched."""

    class MatchState(models.TextChoices):
        UNMATCHED = "unmatched", "Unmatched"
        MATCHED = "matched", "Matched"
        REVIEW = "review", "Needs review"
        REJECTED = "rejected", "Rejected"

    citing_work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="citations")
    position = models.PositiveIntegerField()
    label = models.CharField(max_length=20, blank=True)
    raw = models.TextField()
    doi = models.CharField("DOI", max_length=255, blank=True)
    parsed = models.JSONField(default=dict, blank=True)
    cited_work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.SET_NULL, related_name="cited_by"
    )
    match_state = models.CharField(max_length=20, choices=MatchState, default=MatchState.UNMATCHED)
    match_method = models.CharField(max_length=40, blank=True)
    match_score = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["citing_work", "position"]
        constraints = [
            models.UniqueConstraint(fields=["citing_work", "position"], name="citation_position_unique"),
            models.CheckConstraint(condition=Q(doi=Lower("doi")), name="citation_doi_lowercase"),
        ]

    def __str__(self) -> str:
        return f"[{self.label or self.position}] {self.raw[:60]}"


class WorkMerge(models.Model):
    """A curator's merge of a duplicate into a work, with what moved, so that it can be undone."""

    target = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="merges_received")
    duplicate = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="merges_given")
    moved_citation_ids = ArrayField(models.BigIntegerField(), default=list)
    moved_annotation_ids = ArrayField(models.BigIntegerField(), default=list)
    filled_fields = models.JSONField(
        default=dict, help_text="Target fields filled from the duplicate: old values."
    )
    duplicate_doi = models.CharField(max_length=255, blank=True)
    duplicate_pmid = models.CharField(max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(target=F("duplicate")), name="merge_into_another_work"),
        ]

    def __str__(self) -> str:
        return f"#{self.duplicate_id} merged into #{self.target_id}"
