"""What the API shows of works and findings; every serializer is read-only."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from curation.models import Annotation, Finding
from references.models import Citation, Contributor, Work


class PersonSerializer(serializers.ModelSerializer):
    """An author or editor."""

    class Meta:
        model = Contributor
        fields = ["family", "given", "orcid"]
        read_only_fields = fields


class WorkSerializer(serializers.ModelSerializer):
    """A work in a list: its citation metadata, authors and accepted findings."""

    # Reads the `author_list` and `accepted_annotations` prefetches of the views.
    url = serializers.HyperlinkedIdentityField(view_name="api:work-detail")
    html_url = serializers.SerializerMethodField()
    authors = PersonSerializer(source="author_list", many=True, read_only=True)
    findings = serializers.SerializerMethodField()

    class Meta:
        model = Work
        fields = [
            "id",
            "url",
            "html_url",
            "doi",
            "pmid",
            "title",
            "work_type",
            "container_title",
            "year",
            "volume",
            "issue",
            "pages",
            "authors",
            "findings",
            "enrichment_state",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, work: Work) -> str:
        """The work's page on the web site."""
        return self.context["request"].build_absolute_uri(work.get_absolute_url())

    def get_findings(self, work: Work) -> list[str]:
        """Labels of the findings curators accepted for this work (one annotation per finding)."""
        return [annotation.finding.label for annotation in work.accepted_annotations]


class AnnotationSerializer(serializers.ModelSerializer):
    """A finding claimed for a work, with its evidence."""

    finding = serializers.SlugRelatedField(slug_field="label", read_only=True)
    # Declared so that the schema allows the blank value: ModelSerializer drops allow_blank when read-only.
    evidence_field = serializers.ChoiceField(
        choices=Annotation.Field.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Annotation
        fields = [
            "id",
            "finding",
            "state",
            "evidence",
            "evidence_field",
            "evidence_start",
            "evidence_end",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class CitationSerializer(serializers.ModelSerializer):
    """An entry of a work's reference list, with the work it was matched to, if any."""

    cited_work_url = serializers.SerializerMethodField()

    class Meta:
        model = Citation
        fields = ["position", "label", "raw", "doi", "match_state", "cited_work", "cited_work_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_cited_work_url(self, citation: Citation) -> str | None:
        """The API address of the cited work, or null while unmatched."""
        if citation.cited_work_id is None:
            return None
        path = reverse("api:work-detail", args=[citation.cited_work_id])
        return self.context["request"].build_absolute_uri(path)


class WorkDetailSerializer(WorkSerializer):
    """One work in full: the list's fields, its abstract and indexing, annotations and reference list."""

    # Reads the prefetches and the `cited_by_count` annotation of views.WorkDetail.
    editors = PersonSerializer(source="editor_list", many=True, read_only=True)
    annotations = AnnotationSerializer(source="visible_annotations", many=True, read_only=True)
    citations = CitationSerializer(many=True, read_only=True)
    cited_by_count = serializers.IntegerField(read_only=True)

    class Meta(WorkSerializer.Meta):
        fields = [
            *WorkSerializer.Meta.fields,
            "abstract",
            "keywords",
            "mesh_terms",
            "issns",
            "isbns",
            "publisher",
            "editors",
            "annotations",
            "citations",
            "cited_by_count",
        ]
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer):
    """A term of the finding vocabulary and how many works carry it (accepted annotations)."""

    work_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Finding
        fields = ["label", "category", "description", "synonyms", "work_count"]
        read_only_fields = fields
