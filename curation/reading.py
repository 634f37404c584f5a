"""What the reading view shows of a work's findings: highlighted text, suggestions, tags and their history."""

from __future__ import annotations

from dataclasses import dataclass

from references.models import Work

from .mentions import Matcher, Mention, Term, highlight, matcher_for, named_whole, suggestions
from .models import Annotation, Finding
from .services import history, with_findings

SHOWN_STATES = (Annotation.State.ACCEPTED, Annotation.State.SUGGESTED)


@dataclass(frozen=True)
class Vocabulary:
    """The findings as they are now, read once per request, with their (cached) matcher."""

    findings: dict[str, Finding]
    matcher: Matcher
    study_types: Matcher  # the study-type findings alone, for the record's publication types
    by_id: dict[int, Finding]

    @classmethod
    def load(cls) -> Vocabulary:
        findings = {finding.label: finding for finding in Finding.objects.all()}
        terms = [Term(label, tuple(finding.synonyms)) for label, finding in findings.items()]
        study_types = [term for term in terms if findings[term.label].category == Finding.Category.STUDY_TYPE]
        by_id = {finding.pk: finding for finding in findings.values()}
        return cls(findings, matcher_for(terms), matcher_for(study_types), by_id)


def annotations_of(work: Work, vocabulary: Vocabulary) -> list[Annotation]:
    """The work's annotations in every state, with who made them, ordered by finding, then age. Each one's
    finding is the vocabulary's: joining the findings' table cost more than the rest of the query."""
    annotations = with_findings(work.annotations.select_related("created_by").order_by(), vocabulary.by_id)
    return sorted(annotations, key=lambda annotation: (annotation.finding.label, annotation.created_at))


def suggested_findings(
    work: Work, vocabulary: Vocabulary, annotations: list[Annotation] | None = None
) -> list[tuple[Finding, Mention]]:
    """Findings the text names, or the record's publication type names ("Review": the review finding), that
    no curator has decided on yet (accepted, rejected or otherwise). For a study type the publication type
    is the better evidence: the record says what the work is, a sentence may only mention the word.
    `annotations`, the work's in every state, when read already."""
    fields = {"title": work.title, "abstract": work.abstract, "keywords": "; ".join(work.keywords)}
    typed = named_whole(
        vocabulary.study_types, work.publication_types, Annotation.Field.PUBLICATION_TYPE.value
    )
    found = {**suggestions(vocabulary.matcher, fields), **typed}
    if annotations is None:
        decided = set(work.annotations.values_list("finding__label", flat=True))
    else:
        decided = {annotation.finding.label for annotation in annotations}
    return [(vocabulary.findings[label], mention) for label, mention in found.items() if label not in decided]


def find_suggestion(work: Work, finding: Finding, vocabulary: Vocabulary) -> Mention | None:
    suggested = suggested_findings(work, vocabulary)
    return next((mention for f, mention in suggested if f.pk == finding.pk), None)


def tag_panel(work: Work, vocabulary: Vocabulary | None = None) -> dict:
    """Everything the tagging panel needs, in a constant number of queries."""
    vocabulary = vocabulary or Vocabulary.load()
    annotations = annotations_of(work, vocabulary)
    return {
        "work": work,
        "suggestions": suggested_findings(work, vocabulary, annotations),
        "annotations": [annotation for annotation in annotations if annotation.state in SHOWN_STATES],
        "history": history(work, vocabulary.by_id),
        "finding_labels": list(vocabulary.findings),
    }


def reading_view(work: Work) -> dict:
    """The panel, and the title and abstract with every vocabulary mention marked."""
    vocabulary = Vocabulary.load()
    marked = {
        field: highlight(getattr(work, field), vocabulary.matcher.find(getattr(work, field), field))
        for field in ("title", "abstract")
    }
    return {"highlighted": marked, **tag_panel(work, vocabulary)}
