"""What the queue's reading view offers a curator: each suggested finding with the sentence that supports it
best, and the text with mentions coloured by their finding's category, each a link offering that sentence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from references.models import Work

from .mentions import Mention, named_whole, sentence_around
from .models import QUOTABLE_FIELDS, Annotation, Finding
from .reading import Vocabulary

# The abstract's sentence says more than a title that only names the finding; keywords say least.
EVIDENCE_ORDER = ("abstract", "title", "keywords")


@dataclass(frozen=True)
class Offer:
    """A finding offered for a work, with the evidence accepting it would record."""

    finding: Finding
    field: str
    evidence: str
    start: int | None = None
    end: int | None = None

    @property
    def where(self) -> str:
        if self.field == Annotation.Field.PUBLICATION_TYPE:
            return "the publication type"
        return f"the {self.field}"


def offer_for(work: Work, mention: Mention, finding: Finding) -> Offer:
    if mention.field not in QUOTABLE_FIELDS:  # a publication type or a keyword is quoted whole
        return Offer(finding, mention.field, mention.text)
    text = getattr(work, mention.field)
    start, end = sentence_around(text, mention.start, mention.end)
    return Offer(finding, mention.field, text[start:end], start, end)


def mentions(work: Work, vocabulary: Vocabulary) -> dict[str, list[Mention]]:
    """The vocabulary's mentions in the work's abstract, title and keywords, found once per request."""
    texts = {"abstract": work.abstract, "title": work.title, "keywords": "; ".join(work.keywords)}
    return {field: vocabulary.matcher.find(texts[field] or "", field) for field in EVIDENCE_ORDER}


def best_mentions(
    work: Work, vocabulary: Vocabulary, found: dict[str, list[Mention]] | None = None
) -> dict[str, Mention]:
    """Per label, the mention whose surroundings support it best: a study type's publication type, else
    its first mention in the abstract, the title, the keywords."""
    found = found if found is not None else mentions(work, vocabulary)
    best: dict[str, Mention] = named_whole(
        vocabulary.study_types, work.publication_types, Annotation.Field.PUBLICATION_TYPE.value
    )
    for field in EVIDENCE_ORDER:
        for mention in found[field]:
            best.setdefault(mention.label, mention)
    return best


def offers(
    work: Work,
    vocabulary: Vocabulary,
    decided: Iterable[str] = (),
    found: dict[str, list[Mention]] | None = None,
) -> list[Offer]:
    """The findings the work's text or record names, but `decided` (labels), each with its best evidence,
    in the vocabulary's order. `found`: the mentions, when the caller has them already."""
    found, skip = best_mentions(work, vocabulary, found), set(decided)
    return [
        offer_for(work, found[label], finding)
        for label, finding in vocabulary.findings.items()
        if label in found and label not in skip
    ]


def offer_at(work: Work, finding: Finding, field: str, at: int) -> Offer | None:
    """The sentence of the work's field around position `at`, offered as evidence for the finding."""
    if field not in QUOTABLE_FIELDS:
        return None
    text = getattr(work, field) or ""
    if not 0 <= at < len(text):
        return None
    start, end = sentence_around(text, at, at)
    return Offer(finding, field, text[start:end], start, end)


def coloured(text: str, found: list[Mention], vocabulary: Vocabulary, base: str) -> SafeString:
    """text, escaped, with each mention (`found` in it) a link to `base` offering its sentence, coloured by
    its finding's category."""
    parts, position = [], 0
    for mention in found:
        finding = vocabulary.findings[mention.label]
        link = f"{base}?" + urlencode({"offer": finding.label, "field": mention.field, "at": mention.start})
        parts.append(escape(text[position : mention.start]))
        parts.append(
            f'<a class="mention category-{escape(finding.category)}" href="{escape(link)}#add-form" '
            f'data-finding="{escape(finding.label)}" title="{escape(finding.label)}: '
            f'{escape(finding.get_category_display())}">{escape(mention.text)}</a>'
        )
        position = mention.end
    parts.append(escape((text or "")[position:]))
    return mark_safe("".join(parts))  # every piece above is escaped


def categories() -> list[tuple[str, str]]:
    """The legend: each category's class name and label."""
    return list(Finding.Category.choices)
