"""Services that link citations to the works they cite: one work per publication across the library."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.db.models import Q

from .matching import Keys, best_title_match, family_key, title_key
from .models import Citation, Contributor, Work
from .refparse.records import ParsedReference
from .search import indexing

FILLABLE = ("doi", "pmid", "container_title", "volume", "issue", "pages", "publisher")


def reference_keys(ref: ParsedReference) -> Keys:
    first_author = family_key(ref.authors[0].family) if ref.authors else ""
    return Keys(title_key(ref.title), ref.year, first_author)


def parsed_fields(ref: ParsedReference) -> dict:
    """What a citation stores of its parse: every field but the raw string it came from."""
    data = asdict(ref)
    data.pop("raw")
    data["problems"] = [str(problem) for problem in ref.problems]
    return data


@dataclass
class LibraryIndex:
    """The works a batch of references could cite, loaded in one query, plus those the batch creates."""

    by_doi: dict[str, Work] = field(default_factory=dict)
    by_pmid: dict[str, Work] = field(default_factory=dict)
    by_block: dict[tuple[str, int | None], list[Work]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls, refs: list[ParsedReference]) -> LibraryIndex:
        index = cls()
        keys = [reference_keys(ref) for ref in refs]
        wanted = (
            Q(doi__in={r.doi for r in refs if r.doi})
            | Q(pmid__in={r.pmid for r in refs if r.pmid})
            | Q(title_key__in={k.title for k in keys if k.title})
            | Q(
                first_author_key__in={k.first_author for k in keys if k.first_author},
                year__in={k.year for k in keys},
            )
        )
        for work in Work.objects.active().filter(wanted):
            index.add(work)
        return index

    def add(self, work: Work) -> None:
        self.add_identifiers(work)
        self.by_block[(work.title_key, work.year)].append(work)
        if work.first_author_key:
            self.by_block[(work.first_author_key, work.year)].append(work)

    def add_identifiers(self, work: Work) -> None:
        if work.doi:
            self.by_doi[work.doi] = work
        if work.pmid:
            self.by_pmid[work.pmid] = work

    def find(self, ref: ParsedReference) -> tuple[Work, str, float] | None:
        """The cited work with the method and score that found it."""
        if ref.doi and (work := self.by_doi.get(ref.doi)):
            return work, "doi", 1.0
        if ref.pmid and (work := self.by_pmid.get(ref.pmid)):
            return work, "pmid", 1.0
        keys = reference_keys(ref)
        blocks = (
            self.by_block.get((keys.title, keys.year), []),
            self.by_block.get((keys.first_author, keys.year), []),
        )
        # Unsaved works (created earlier in this batch) are not hashable: deduplicate by identity.
        candidates = list({id(work): work for block in blocks for work in block}.values())
        match = best_title_match(keys, dict(enumerate(work.match_keys for work in candidates)))
        return (candidates[match.work_id], match.method, match.score) if match else None


def link_citations(pairs: list[tuple[Citation, ParsedReference]]) -> None:
    """Link each citation to the work it cites; a work the library lacks is created from the reference.

    Works are written here; the citations are only filled in, for the caller to save in one statement.
    """
    index = LibraryIndex.load([ref for _, ref in pairs])
    new_works: list[tuple[Work, ParsedReference]] = []
    filled: dict[int, Work] = {}
    for citation, ref in pairs:
        citation.parsed = parsed_fields(ref)
        citation.doi = citation.doi or ref.doi
        found = index.find(ref)
        if found:
            work, method, score = found
            _link(citation, work, method, score)
            if work.pk and _fill_blanks(work, ref):
                filled[work.pk] = work
                index.add_identifiers(work)
        elif ref.title or ref.doi or ref.pmid:
            work = _work_from_reference(ref)
            index.add(work)
            new_works.append((work, ref))
            _link(citation, work, "new", None)
        else:
            citation.match_state, citation.match_method, citation.match_score = (
                Citation.MatchState.UNMATCHED,
                "",
                None,
            )
    _save_works(new_works, filled)


def _link(citation: Citation, work: Work, method: str, score: float | None) -> None:
    citation.cited_work = work
    citation.match_state, citation.match_method, citation.match_score = (
        Citation.MatchState.MATCHED,
        method,
        score,
    )


def _work_from_reference(ref: ParsedReference) -> Work:
    work = Work(
        title=ref.title,
        work_type=ref.work_type,
        year=ref.year,
        **{name: _reference_value(ref, name) for name in FILLABLE},
    )
    work.refresh_match_keys(ref.authors[0].family if ref.authors else "")
    return work


def _reference_value(ref: ParsedReference, name: str) -> str:
    return ref.pages if name == "pages" else getattr(ref, name)


def _fill_blanks(work: Work, ref: ParsedReference) -> bool:
    """Fill what the work lacks from the reference; never overwrite. Returns whether anything changed."""
    changed = False
    for name in FILLABLE:
        value = _reference_value(ref, name)
        if value and not getattr(work, name):
            setattr(work, name, value)
            changed = True
    return changed


def _save_works(new_works: list[tuple[Work, ParsedReference]], filled: dict[int, Work]) -> None:
    Work.objects.bulk_create([work for work, _ in new_works])
    Contributor.objects.bulk_create(
        Contributor(work=work, position=i, family=name.family, given=name.given)
        for work, ref in new_works
        for i, name in enumerate(ref.authors, start=1)
    )
    Work.objects.bulk_update(filled.values(), list(FILLABLE))
    indexing.refresh([work.pk for work, _ in new_works] + list(filled))
