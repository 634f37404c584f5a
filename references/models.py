from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Left, Lower
from django.urls import reverse
from django.utils import timezone

from . import worktypes
from .crossref.metadata import read_record
from .importers.records import SourceRecord
from .matching import Keys, best_title_match, family_key, title_key
from .people import ROLES, Name
from .refparse import limits

WorkType = models.TextChoices(
    "WorkType",
    [(value.upper().replace("-", "_"), (value, label)) for value, label in worktypes.LABELS.items()],
)


class EnrichmentState(models.TextChoices):
    NOT_ENRICHED = "not-enriched", "Not enriched"
    QUEUED = "queued", "Queued"
    ENRICHED = "enriched", "Enriched"
    REVIEW = "review", "DOI match awaiting review"
    UNMATCHED = "unmatched", "No DOI found"
    FAILED = "failed", "Failed"


def text_list() -> ArrayField:
    return ArrayField(models.TextField(), default=list, blank=True)


class WorkQuerySet(models.QuerySet):
    def active(self) -> WorkQuerySet:
        """Works not merged into another."""
        return self.filter(merged_into__isnull=True)

    def sources(self) -> WorkQuerySet:
        """Works imported from a page or a search's export, as opposed to those known only from citations."""
        return self.filter(
            Exists(SourceDocument.objects.filter(work=OuterRef("pk")))
            | Exists(SearchHit.objects.filter(work=OuterRef("pk")))
        )

    def search(self, text: str) -> WorkQuerySet:
        """Full-text search: words, "quoted phrases", -exclusions, and prefixes written leuk*; works
        whose title matches come first, then the newest."""
        from .search.query import searched  # the search's room reads the index's models, defined here

        return searched(self, text, through="indexed__").order_by("-rank", "-year", "pk")

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

    def with_counts(self) -> WorkQuerySet:
        return self.annotate(
            reference_count=Count("citations", distinct=True),
            cited_by_count=Count("cited_by", distinct=True),
        )


def findings_by_label() -> tuple[dict[str, int], dict[str, str]]:
    """The finding vocabulary (curation.Finding), for filters: label to id, and each former label of a
    renamed finding to its label now (a label in use wins over the same former one). Imported lazily to
    keep apps apart."""
    from curation.models import Finding

    vocabulary = Finding.objects.values_list("label", "pk", "former_labels")
    ids = {label: pk for label, pk, _ in vocabulary}
    renamed = {old: label for label, _, former in vocabulary for old in former if old not in ids}
    return ids, renamed


class Work(models.Model):
    """One row per publication, whether imported as a source or known only as a cited work."""

    doi = models.CharField("DOI", max_length=limits.DOI_MAX_LENGTH, blank=True)
    pmid = models.CharField("PMID", max_length=limits.PMID_MAX_LENGTH, blank=True)
    citation_key = models.CharField(
        max_length=100,
        blank=True,
        editable=False,
        help_text="BibTeX key: given at the first export, never changed.",
    )
    title = models.TextField()
    # Text where real records set no bound (a 62-character volume exists); bounded columns are checked by the
    # readers (references.refparse.limits), so a preview that passes is an import that passes.
    container_title = models.TextField(blank=True)
    container_abbreviation = models.TextField(blank=True)
    work_type = models.CharField(max_length=30, choices=WorkType, default=WorkType.JOURNAL_ARTICLE)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    volume = models.TextField(blank=True)
    issue = models.TextField(blank=True)
    pages = models.TextField(blank=True)
    issns = text_list()
    isbns = text_list()
    publisher = models.TextField(blank=True)
    abstract = models.TextField(blank=True)
    keywords = text_list()
    mesh_terms = text_list()
    publication_types = text_list()  # as the record printed them: "Review", "Case Reports"
    pmcid = models.CharField("PMCID", max_length=limits.PMID_MAX_LENGTH, blank=True)
    language = models.TextField(blank=True)
    authors_truncated = models.BooleanField(
        default=False, help_text="The source printed 'et al.' instead of the full author list."
    )
    declared_references = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many references the publisher deposited with Crossref."
    )
    crossref_json = models.JSONField(null=True, blank=True, editable=False)
    enriched_at = models.DateTimeField(null=True, blank=True, editable=False)
    enrichment_state = models.CharField(
        max_length=20, choices=EnrichmentState, default=EnrichmentState.NOT_ENRICHED
    )
    # Normalised forms for matching citations to works (references.matching); kept by references.pipeline.
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
            models.UniqueConstraint(
                fields=["citation_key"], condition=~Q(citation_key=""), name="work_citation_key_unique"
            ),
        ]
        indexes = [
            # The record import's blocks (references.pipeline.dedup), each probed once per record: the author
            # block read from the index alone, for a common surname's block is many works of a year.
            models.Index(
                fields=["first_author_key", "year"],
                include=["id", "title_key", "doi", "pmid", "pmcid", "merged_into_id"],
                name="work_author_year",
            ),
            models.Index(fields=["title_key", "year"], name="work_title_year"),
            models.Index(Left("title_key", 8), F("year"), name="work_title_start_year"),
            models.Index(fields=["pmcid"], condition=~Q(pmcid=""), name="work_pmcid"),
        ]

    def __str__(self) -> str:
        return self.display_title[:80]

    def get_absolute_url(self) -> str:
        return reverse("curation:work-detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        """The title, or what names a work whose record gave none (so a link is never empty)."""
        named = f"doi:{self.doi}" if self.doi else f"PMID {self.pmid}" if self.pmid else f"work #{self.pk}"
        return self.title.strip() or f"[No title] {named}"

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

    def replace_contributors(self, role: str, people: Iterable[Name]) -> None:
        """This role's people, in order, instead of the ones stored."""
        self.contributors.filter(role=role).delete()
        Contributor.objects.bulk_create(
            Contributor(
                work=self,
                role=role,
                position=position,
                family=person.family,
                given=person.given,
                printed=person.in_print,
                orcid=person.orcid,
                affiliation=person.affiliation,
            )
            for position, person in enumerate(people, start=1)
        )

    def add_author_details(self, people: Iterable) -> None:
        """The ORCIDs and affiliations another source gives for our authors: by position, where the family
        name is the same and we have none yet."""
        changed = []
        for contributor, person in zip(self.authors, people, strict=False):
            if contributor.family.casefold() != person.family.casefold():
                continue
            fields = [
                name
                for name in ("orcid", "affiliation")
                if getattr(person, name, "") and not getattr(contributor, name)
            ]
            for name in fields:
                setattr(contributor, name, getattr(person, name))
            if fields:
                changed.append(contributor)
        Contributor.objects.bulk_update(changed, ["orcid", "affiliation"])

    @property
    def authors(self) -> models.QuerySet[Contributor]:
        return self.contributors.filter(role=Contributor.Role.AUTHOR)

    @property
    def editors(self) -> models.QuerySet[Contributor]:
        return self.contributors.filter(role=Contributor.Role.EDITOR)


class Contributor(models.Model):
    Role = models.TextChoices("Role", [(value.upper(), (value, label)) for value, label in ROLES.items()])

    # No index of its own: contributor_position_unique's starts with the work.
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="contributors", db_index=False)
    role = models.CharField(max_length=10, choices=Role, default=Role.AUTHOR)
    position = models.PositiveSmallIntegerField()
    family = models.TextField()
    given = models.TextField(blank=True)
    printed = models.TextField(blank=True, help_text="The name as the source printed it.")
    orcid = models.CharField("ORCID", max_length=limits.ORCID_MAX_LENGTH, blank=True)
    affiliation = models.TextField(blank=True, help_text="The first affiliation the record gives.")

    class Meta:
        ordering = ["role", "position"]
        constraints = [
            models.UniqueConstraint(fields=["work", "role", "position"], name="contributor_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.family} {self.given}".strip()


class IndexedWork(models.Model):
    """A work as the list page filters, counts and sorts it: one narrow row per work not merged away.

    Facets and sorting over a large selection read only these rows, never the wide works; the document's
    vector lives apart (IndexedText) for the same reason. `references.search.indexing` keeps both in step.
    """

    work = models.OneToOneField(Work, primary_key=True, on_delete=models.CASCADE, related_name="indexed")
    is_source = models.BooleanField(
        help_text="Imported from a page or an export, not known only from citations."
    )
    year = models.PositiveSmallIntegerField(null=True)
    work_type = models.CharField(max_length=30, choices=WorkType)
    journal = models.TextField()
    state = models.CharField(max_length=20, choices=EnrichmentState)
    tagged = models.BooleanField(help_text="Has at least one accepted annotation.")
    findings = ArrayField(models.IntegerField(), default=list, help_text="Ids of the accepted findings.")
    searches = ArrayField(models.IntegerField(), default=list, help_text="Ids of the searches that found it.")
    title = models.TextField()

    class Meta:
        indexes = [
            GinIndex(fields=["findings"], name="indexedwork_findings"),
            GinIndex(fields=["searches"], name="indexedwork_searches"),
            models.Index(F("year").desc(), "title", "work", name="indexedwork_newest"),
        ]

    def __str__(self) -> str:
        return self.title[:80]


class IndexedText(models.Model):
    """The full-text vectors of an indexed work. Matches are found through the document's GIN index; the
    title's vector ranks them, read in the same pass as the matching rows. The work's year and whether it is
    a source are copied from its IndexedWork, so that a search in order of relevance over the sources finds,
    ranks and orders its matches from these rows alone (browse.first_pages): joining every match to its
    IndexedWork was most of that statement's time."""

    entry = models.OneToOneField(IndexedWork, primary_key=True, on_delete=models.CASCADE, related_name="text")
    document = SearchVectorField(help_text="Title, keywords, people, journal and abstract, weighted.")
    title_vector = SearchVectorField(help_text="What relevance is ranked by.")
    year = models.PositiveSmallIntegerField(null=True, help_text="IndexedWork.year, copied.")
    is_source = models.BooleanField(default=False, help_text="IndexedWork.is_source, copied.")

    class Meta:
        indexes = [GinIndex(fields=["document"], name="indexedtext_document")]

    def __str__(self) -> str:
        return str(self.entry)


class ImportBatch(models.Model):
    """One run of an importer (a command or an upload): who, when, and one item per file."""

    class Kind(models.TextChoices):
        SOURCES = "sources", "Source pages"
        RECORDS = "records", "Records of a database search"
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
    # Each problem with its record ("line 8, broken2011: …"): entries left out and values dropped.
    problems = models.JSONField(default=list, blank=True)
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
    label = models.TextField(blank=True)
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
    # Annotations of a finding both works had, folded into the target's: its values before, for undo.
    folded_annotations = models.JSONField(default=list, blank=True)
    # The duplicate's search hits: moved to the target (ids), or dropped where that search found the target
    # too (their values), for undo.
    moved_hits = models.JSONField(default=dict, blank=True)
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


class FieldOrigin(models.Model):
    """Where and when a work's field got its current value. A curator's value is never overwritten."""

    class Source(models.TextChoices):
        IMPORT = "import", "Imported page or record"
        CROSSREF = "crossref", "Crossref"
        CURATOR = "curator", "Curator"
        PUBMED = "pubmed", "PubMed"

    # No index of its own: field_origin_unique's starts with the work (an import writes a dozen rows a work).
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="field_origins", db_index=False)
    field = models.CharField(max_length=40)
    source = models.CharField(max_length=20, choices=Source)
    detail = models.TextField(blank=True, help_text="File, URL or user the value came from.")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["field"]
        constraints = [models.UniqueConstraint(fields=["work", "field"], name="field_origin_unique")]

    def __str__(self) -> str:
        return f"{self.field} from {self.source}"


class EnrichmentBatch(models.Model):
    """A set of works sent to Crossref together, with its own error count and progress."""

    class State(models.TextChoices):
        RUNNING = "running", "Running"
        PAUSED = "paused", "Paused"
        FINISHED = "finished", "Finished"

    class Origin(models.TextChoices):
        IMPORT = "import", "After an import"
        COMMAND = "command", "Command line"
        WEB = "web", "Web"

    origin = models.CharField(max_length=20, choices=Origin)
    state = models.CharField(max_length=20, choices=State, default=State.RUNNING)
    pause_reason = models.TextField(blank=True)
    request_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # PubMed's half pauses on its own (NCBI down) while Crossref's goes on; `state` is Crossref's.
    pubmed_paused_at = models.DateTimeField(null=True, blank=True)
    pubmed_pause_reason = models.TextField(blank=True)
    pubmed_request_count = models.PositiveIntegerField(default=0)
    pubmed_error_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "enrichment batches"

    def __str__(self) -> str:
        return f"Enrichment #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("references:enrichment-batch", args=[self.pk])

    def progress(self) -> dict[str, int]:
        counts = dict(self.items.values_list("state").annotate(n=Count("pk")))
        total = sum(counts.values())
        done, failed = counts.get(EnrichmentItem.State.DONE, 0), counts.get(EnrichmentItem.State.FAILED, 0)
        finished = done + failed
        percent = round(100 * finished / total) if total else 100
        return {
            "total": total,
            "done": done,
            "failed": failed,
            "remaining": total - finished,
            "percent": percent,
        }


class EnrichmentItem(models.Model):
    """One work in a batch; its task runs until the item is done or failed, whatever the redeliveries."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    batch = models.ForeignKey(EnrichmentBatch, on_delete=models.CASCADE, related_name="items")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="enrichment_items")
    state = models.CharField(max_length=20, choices=State, default=State.PENDING)
    outcome = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Crossref's half is done (outcome says how); PubMed's waits for the batch to be resumed.
    pubmed_pending = models.BooleanField(default=False)
    # PubMed's part ran while Crossref's half was paused; its outcome waits for Crossref's.
    pubmed_outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["batch", "work"], name="enrichment_item_unique")]
        indexes = [models.Index(fields=["batch", "state"], name="enrichment_item_state")]

    def __str__(self) -> str:
        return f"{self.work_id} in {self.batch_id}: {self.state}"


class MatchCandidate(models.Model):
    """A Crossref record that may be a DOI-less work, waiting for a curator's yes or no."""

    class State(models.TextChoices):
        PENDING = "pending", "Awaiting review"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="match_candidates")
    query = models.TextField(help_text="The reference string sent to Crossref.")
    doi = models.CharField("DOI", max_length=255)
    record = models.JSONField(help_text="The candidate as Crossref returned it.")
    score = models.FloatField(help_text="Our confidence, 0 to 1.")
    crossref_score = models.FloatField(null=True, blank=True)
    reason = models.TextField(blank=True)
    state = models.CharField(max_length=20, choices=State, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["work", "doi"], name="match_candidate_unique"),
            models.CheckConstraint(condition=Q(doi=Lower("doi")), name="match_candidate_doi_lowercase"),
        ]

    def __str__(self) -> str:
        return f"{self.doi} for #{self.work_id} ({self.state})"

    @property
    def summary(self) -> dict[str, object]:
        """The candidate's record in our field names, with its first author, for a curator to compare."""
        record = read_record(self.record)
        first = record.authors[0].family if record.authors else ""
        return {**record.fields, "first_author": first, "more_authors": len(record.authors) > 1}


class StagedImport(models.Model):
    """What an admin uploaded or pasted, held between the preview and the confirmation. In the database, not
    the cache: uploads are large, and a confirmation must claim them atomically (one winner of two POSTs)."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    details = models.JSONField(default=dict, blank=True)  # the preview's choices: citing work, format, …
    claimed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Staged import {self.token[:8]}…"


class StagedFile(models.Model):
    staged = models.ForeignKey(StagedImport, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=500)
    data = models.BinaryField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class Search(models.Model):
    """A database search whose export was imported: what was run, where, when, and what it gave (PRISMA)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="searches")
    label = models.TextField(help_text="How curators name it: 'PubMed, infant KMT2A, Dec 2026'.")
    database = models.TextField(blank=True, help_text="PubMed, Embase (Ovid), Scopus, Web of Science, …")
    query = models.TextField(blank=True, help_text="The query as it was run.")
    run_on = models.DateField(null=True, blank=True)
    reported = models.PositiveIntegerField(null=True, blank=True, help_text="Records the database reported.")
    file_name = models.TextField()
    sha256 = models.CharField(max_length=64)
    file_format = models.CharField(max_length=20)
    # What the import found; PRISMA's "records identified" and "duplicates removed" come from these.
    records = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    merged = models.PositiveIntegerField(default=0, help_text="Sure duplicates of works in the library.")
    duplicates_in_file = models.PositiveIntegerField(default=0)
    possible_duplicates = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0, help_text="Records left out as unreadable.")
    problems = models.JSONField(default=list, blank=True)
    works = models.ManyToManyField(Work, through="SearchHit", related_name="searches")

    class Meta:
        ordering = ["-batch__started_at", "pk"]
        verbose_name_plural = "searches"

    def __str__(self) -> str:
        return self.label


class SearchHit(models.Model):
    """A work found by a search: the record it came from and what the import did with it."""

    class Outcome(models.TextChoices):
        ADDED = "added", "Added"
        MERGED = "merged", "Merged into a work in the library"
        UNCHANGED = "unchanged", "Already in the library from this export"

    # No index of its own: search_hit_once_per_work's starts with the search.
    search = models.ForeignKey(Search, on_delete=models.CASCADE, related_name="hits", db_index=False)
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="search_hits")
    position = models.PositiveIntegerField(help_text="The record's number in the file, from 1.")
    outcome = models.CharField(max_length=20, choices=Outcome)
    method = models.CharField(max_length=20, blank=True)  # doi | pmid | pmcid | title
    score = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["search", "position"]
        constraints = [models.UniqueConstraint(fields=["search", "work"], name="search_hit_once_per_work")]

    def __str__(self) -> str:
        return f"{self.search}: {self.work_id}"


class DuplicateCandidate(models.Model):
    """Two works that may be one publication, for a curator to decide. A pair decided 'not duplicates' is
    never proposed again, by the importer, the enrichment or the queue."""

    class State(models.TextChoices):
        PENDING = "pending", "Awaiting a curator"
        MERGED = "merged", "Merged"
        DISTINCT = "distinct", "Not duplicates"

    # The lower id first, so a pair has one row whichever way it was found.
    first = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    method = models.CharField(max_length=20)
    state = models.CharField(max_length=20, choices=State, default=State.PENDING)
    found_by = models.ForeignKey(Search, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_once"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="duplicate_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"#{self.first_id} ~ #{self.second_id} ({self.get_state_display()})"


class RecordImportJob(models.Model):
    """Record files an admin confirmed, imported by a worker: the row the import page polls for progress.
    The counts are written on a connection of their own while the import's transaction is open; the state
    'done' and the batches are written in that transaction, so a job is done exactly when its import is."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    token = models.CharField(max_length=64, unique=True, help_text="The staged upload the task claims.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=20, choices=State, default=State.QUEUED)
    files = models.PositiveIntegerField(default=0)
    records_total = models.PositiveIntegerField(default=0, help_text="Records the preview read.")
    records_read = models.PositiveIntegerField(default=0)
    records_written = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    batches = models.ManyToManyField(ImportBatch, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Record import #{self.pk} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("references:import-job", args=[self.pk])

    @property
    def active(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    def finish(self, batches: list[ImportBatch]) -> None:
        self.batches.add(*batches)
        self.state, self.finished_at = self.State.DONE, timezone.now()
        self.records_written = self.records_read = self.records_total
        self.save(update_fields=["state", "finished_at", "records_written", "records_read", "updated_at"])

    def fail(self, error: str) -> None:
        """Unless another delivery of the same task has done the import meanwhile."""
        now = timezone.now()
        values = {"state": self.State.FAILED, "error": error, "finished_at": now, "updated_at": now}
        RecordImportJob.objects.filter(pk=self.pk).exclude(state=self.State.DONE).update(**values)
