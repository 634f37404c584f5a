"""What the reading view shows of a work's findings: highlighted text, suggestions, tags and their history."""

from __future__ import annotations

from functools import lru_cache

from references.models import Work

from .mentions import Matcher, Mention, Term, highlight, suggestions
from .models import Annotation, Finding
from .services import history

SHOWN_STATES = (Annotation.State.ACCEPTED, Annotation.State.SUGGESTED)


def vocabulary_matcher() -> Matcher:
    """A matcher for the vocabulary as it is now; rebuilt only when an admin has changed the vocabulary."""
    terms = tuple(
        Term(label, tuple(synonyms)) for label, synonyms in Finding.objects.values_list("label", "synonyms")
    )
    return _matcher(terms)


@lru_cache(maxsize=4)
def _matcher(terms: tuple[Term, ...]) -> Matcher:
    return Matcher(terms)


def mentions_in(work: Work, matcher: Matcher) -> dict[str, list[Mention]]:
    return {"title": matcher.find(work.title, "title"), "abstract": matcher.find(work.abstract, "abstract")}


def suggested_findings(work: Work, matcher: Matcher) -> list[tuple[Finding, Mention]]:
    """Findings the text names that no curator has decided on yet (accepted, rejected or otherwise)."""
    fields = {"title": work.title, "abstract": work.abstract, "keywords": "; ".join(work.keywords)}
    found = suggestions(matcher, fields)
    decided = set(work.annotations.values_list("finding__label", flat=True))
    findings = {f.label: f for f in Finding.objects.filter(label__in=found.keys() - decided)}
    return [(findings[label], mention) for label, mention in found.items() if label in findings]


def find_suggestion(work: Work, finding: Finding) -> Mention | None:
    return dict((f.label, m) for f, m in suggested_findings(work, vocabulary_matcher())).get(finding.label)


def tag_panel(work: Work) -> dict:
    """Everything the tagging panel needs, in a constant number of queries."""
    matcher = vocabulary_matcher()
    annotations = work.annotations.filter(state__in=SHOWN_STATES).select_related("finding", "created_by")
    return {
        "work": work,
        "suggestions": suggested_findings(work, matcher),
        "annotations": list(annotations),
        "history": history(work),
        "finding_labels": list(Finding.objects.values_list("label", flat=True)),
    }


def highlighted(work: Work) -> dict[str, str]:
    mentions = mentions_in(work, vocabulary_matcher())
    return {field: highlight(getattr(work, field), found) for field, found in mentions.items()}
