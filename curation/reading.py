"""What the reading view shows of a work's findings: highlighted text, suggestions, tags and their history."""

from __future__ import annotations

from dataclasses import dataclass

from references.models import Work

from .mentions import Matcher, Mention, Term, highlight, matcher_for, named_whole, suggestions
from .models import Annotation, Finding
from .services import history

SHOWN_STATES = (Annotation.State.ACCEPTED, Annotation.State.SUGGESTED)


@dataclass(frozen=True)
class Vocabulary:
    """The findings as they are now, read once per request, with their (cached) matcher."""

    findings: dict[str, Finding]
    matcher: Matcher
    study_types: Matcher  # the study-type findings alone, for the record's publication types

    @classmethod
    def load(cls) -> Vocabulary:
        findings = {finding.label: finding for finding in Finding.objects.all()}
        terms = [Term(label, tuple(finding.synonyms)) for label, finding in findings.items()]
        study_types = [term for term in terms if findings[term.label].category == Finding.Category.STUDY_TYPE]
        return cls(findings, matcher_for(terms), matcher_for(study_types))


def suggested_findings(work: Work, vocabulary: Vocabulary) -> list[tuple[Finding, Mention]]:
    """Findings the text names, or the record's publication type names ("Review": the review finding), that
    no curator has decided on yet (accepted, rejected or otherwise). For a study type the publication type
    is the better evidence: the record says what the work is, a sentence may only mention the word."""
    fields = {"title": work.title, "abstract": work.abstract, "keywords": "; ".join(work.keywords)}
    typed = named_whole(
        vocabulary.study_types, work.publication_types, Annotation.Field.PUBLICATION_TYPE.value
    )
    found = {**suggestions(vocabulary.matcher, fields), **typed}
    decided = set(work.annotations.values_list("finding__label", flat=True))
    return [(vocabulary.findings[label], mention) for label, mention in found.items() if label not in decided]


def find_suggestion(work: Work, finding: Finding, vocabulary: Vocabulary) -> Mention | None:
    suggested = suggested_findings(work, vocabulary)
    return next((mention for f, mention in suggested if f.pk == finding.pk), None)


def tag_panel(work: Work, vocabulary: Vocabulary | None = None) -> dict:
    """Everything the tagging panel needs, in a constant number of queries."""
    vocabulary = vocabulary or Vocabulary.load()
    annotations = work.annotations.filter(state__in=SHOWN_STATES).select_related("finding", "created_by")
    return {
        "work": work,
        "suggestions": suggested_findings(work, vocabulary),
        "annotations": list(annotations),
        "history": history(work),
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
