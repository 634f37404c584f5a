"""Judging Crossref's query.bibliographic candidates for one cited reference: link, review or unmatched.

Plain Python: no ORM, no HTTP. Like Crossref's search-based reference matcher, a candidate is trusted only
when what the reference string says (year, first author, title, volume, first page, journal) agrees with
the candidate's metadata; Crossref's relevance score, normalised by the query's length, is a gate, never
proof.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from references.identifiers import normalize_doi
from references.matching import family_key, fold, title_key
from references.refparse.records import ParsedReference
from references.refparse.text import parse_reference

METHOD = "crossref-bibliographic"

# How the thresholds were chosen: reasoned from Crossref's search-based reference matcher (three agreeing
# fields, a year one off allowed) and its four recorded answers, then checked on half A of
# bench/crossref_matching.py (gold DOI's SHA-1 first byte even). Numbers quoted below are from half A; see
# docs/crossref-matching.md for both halves. On that local bench the structural rules (no conflicting field,
# three agreeing, a title or both locators) decide every case; the confidence and score gates are margins.

# Crossref accepts long queries, but a "reference" longer than this is usually several glued together.
MAX_QUERY_CHARS = 400
# How many of Crossref's ranked candidates are validated (its matcher also looks past the first).
VALIDATE_TOP = 3
# Title similarity (0-1, folded text): at or above STRONG the title is the candidate's; below WEAK it is not.
# Of 1,797 wrong candidates' titles on half A, 2 reach 0.92 (an annual report's next edition: 1.0, and
# 0.94) and 17 reach 0.75; "Introduction to Distance Sampling" vs "Advanced Distance Sampling" by one author
# is 0.90. 0.92 is also references.matching's TITLE_THRESHOLD.
TITLE_STRONG = 0.92
TITLE_WEAK = 0.75
# A title under this many characters matches by accident inside a long string, so it must match the
# parsed title as a whole instead.
SHORT_TITLE_CHARS = 20
# A candidate title shorter than this share of the parsed title must match where that title starts.
FRAGMENT_SHARE = 0.6
# Journal names: abbreviations aside, two spellings of one journal score at least this.
CONTAINER_SIMILAR = 0.85
# The first author must appear among the string's first words (initials included: "D. Tkaczyk, P. ...").
AUTHOR_WINDOW_WORDS = 8
# How much each field weighs in the confidence (a weighted mean of the fields both sides state). Title and
# first author identify a work; year is nearly as telling; locators and journal confirm.
WEIGHTS = {"title": 3.0, "author": 2.0, "year": 2.0, "volume": 1.0, "page": 1.0, "container": 1.0}
# Crossref's search-based matcher asks for three agreeing fields; so do we, counting the title only when
# strong, and a year one off (online vs print) only when volume or first page agrees.
MIN_SUPPORT = 3
# Confidence needed to link, and below which a candidate is not worth a curator's time. On half A the
# correct links score 0.889-1.0 and the best wrong candidate 0.886 (the annual report, stopped by its year);
# the next wrong ones 0.60. LINK_CONFIDENCE leaves room under the lowest correct link.
LINK_CONFIDENCE = 0.80
REVIEW_CONFIDENCE = 0.55
# Crossref's score divided by the query's length in characters. Crossref's recorded matches score 0.65
# (167.7 / 256 characters) and 1.54 (38.5 / 25); the lowest correct link on the local bench 0.43. A
# candidate that matched only a few words of a long string scores a small fraction of that: it is not
# linked whatever the fields say.
MIN_NORMALISED_SCORE = 0.12
# Two different DOIs whose confidences are this close both fit: a curator decides.
AMBIGUITY_MARGIN = 0.03
# Records that are never the cited work itself.
NEVER_LINK_TYPES = frozenset({"journal-issue", "journal-volume", "journal", "book-series", "component"})

Outcome = Literal["link", "review", "unmatched"]
State = Literal["agree", "near", "differ", "missing", "unknown"]

_NUMBERING_RE = re.compile(
    r"^\s*(?:\[\s*\d{1,4}\s*\]|\(\s*\d{1,4}\s*\)|\d{1,3}\s*[.)](?=\s*\D)|[•·*\-–]\s)\s*"
)
_DOI_OR_URL_RE = re.compile(r"\b(?:doi:\s*)?10\.\d{4,9}/\S+|\b(?:https?://|www\.)\S+", re.IGNORECASE)
_NUMBER_RE = re.compile(r"(?<![0-9])[0-9]+(?![0-9])")
_WORD_RE = re.compile(r"[^\W_]+")
_TAG_RE = re.compile(r"</?[a-zA-Z][^<>]{0,40}>")  # Crossref titles carry <i>, <sub>, <scp>…
# "…fishes. In: Fish cognition…": what follows names the book or proceedings.
_IN_RE = re.compile(r"(?<=[.,])\s+(In:?|in:)\s+")
_STOPWORDS = frozenset(
    ("of", "the", "and", "on", "in", "for", "a", "an", "de", "la", "le", "der", "und", "to")
)
_SIMILARITY = {"agree": 1.0, "near": 0.6, "differ": 0.0, "missing": 0.0}
_HARD_FIELDS = ("title", "author", "year", "volume", "page")
_LABELS = {
    "title": "title",
    "author": "first author",
    "year": "year",
    "volume": "volume",
    "page": "first page",
}


@dataclass(frozen=True)
class Judgement:
    outcome: Outcome
    doi: str | None
    score: float  # our confidence, 0-1
    crossref_score: float | None
    item: dict | None  # the chosen candidate
    reason: str  # one sentence for a curator
    method: str = METHOD


@dataclass(frozen=True)
class Check:
    """One field compared: what the reference says against what the candidate says."""

    field: str
    state: State
    note: str = ""  # e.g. "year 2016 differs from 2015"


@dataclass(frozen=True)
class Validation:
    item: dict
    checks: tuple[Check, ...]
    normalised_score: float | None
    confidence: float

    def state(self, field: str) -> State:
        return next((check.state for check in self.checks if check.field == field), "unknown")

    @property
    def conflicts(self) -> list[Check]:
        return [check for check in self.checks if check.field in _HARD_FIELDS and check.state == "differ"]

    @property
    def support(self) -> int:
        """Agreeing fields. A year one off (online vs print) counts only when a locator confirms it: annual
        reports and yearly guidelines share a title and differ by one year."""
        located = "agree" in (self.state("volume"), self.state("page"))
        near_year = self.state("year") == "near" and located
        return sum(check.state == "agree" for check in self.checks) + near_year

    @property
    def identified(self) -> bool:
        """A strong title, or both locators, single the work out among an author's papers of one year."""
        return self.state("title") == "agree" or self.state("volume") == self.state("page") == "agree"

    @property
    def linkable(self) -> bool:
        score_ok = self.normalised_score is None or self.normalised_score >= MIN_NORMALISED_SCORE
        return (
            not self.conflicts
            and self.identified
            and self.support >= MIN_SUPPORT
            and self.confidence >= LINK_CONFIDENCE
            and score_ok
            and self.item.get("type") not in NEVER_LINK_TYPES
        )

    @property
    def reviewable(self) -> bool:
        """Worth a curator's look: the same title by the same people with details off (a sloppy citation,
        an online-first version), or one detail wrong in an otherwise agreeing candidate."""
        if self.state("title") == "agree" and self.state("author") != "differ":
            return True
        return len(self.conflicts) <= 1 and self.support >= 2 and self.confidence >= REVIEW_CONFIDENCE


@dataclass(frozen=True)
class Cited:
    """The reference string, read once: its text, numbers and parsed fields."""

    text: str  # query_for(raw), uncapped
    key: str  # title_key of the text without DOIs and URLs
    parsed: ParsedReference
    numbers: frozenset[str]  # digit runs, leading zeros dropped
    assigned: dict[str, str]  # the parser's numeric fields: year, volume, issue, page, page_last
    outside_title: frozenset[str]  # the numbers outside the parsed title ("6-hydroxydopamine")

    def free_numbers(self, field: str) -> frozenset[str]:
        """Numbers the parser did not give to another locator (it mislabels some, so these still count)."""
        return self.numbers - {value for name, value in self.assigned.items() if name not in (field, "year")}


def query_for(reference: str) -> str:
    """What to send as query.bibliographic: the string without list numbering and extra whitespace, capped."""
    text = _clean(reference)
    if len(text) <= MAX_QUERY_CHARS:
        return text
    cut = text.rfind(" ", 0, MAX_QUERY_CHARS + 1)
    return text[: cut if cut > 0 else MAX_QUERY_CHARS]


def judge_candidates(reference: str, items: list[dict], parsed: ParsedReference | None = None) -> Judgement:
    """Link, review or leave unmatched: the best-validated of Crossref's top candidates for `reference`."""
    if not items:
        return Judgement("unmatched", None, 0.0, None, None, "no candidates")
    cited = read_reference(reference, parsed)
    query_length = max(len(query_for(reference)), 1)
    validations = [validate(cited, item, query_length) for item in items[:VALIDATE_TOP]]
    best = max(validations, key=_rank)
    if best.linkable:
        return _link_or_ambiguous(best, validations)
    if best.reviewable:
        return _judgement("review", best, _review_reason(best))
    return _judgement("unmatched", best, _unmatched_reason(best))


def read_reference(reference: str, parsed: ParsedReference | None = None) -> Cited:
    """The reference string's text, numbers and fields (parsed here unless given)."""
    text = _clean(reference)
    parsed = parsed or parse_reference(text)
    bare = _DOI_OR_URL_RE.sub(" ", text)
    assigned = {
        "year": str(parsed.year or ""),
        "volume": _first_number(parsed.volume),
        "issue": _first_number(parsed.issue),
        "page": _first_number(parsed.page_first or parsed.elocator),
        "page_last": _first_number(parsed.page_last),
    }
    outside = bare.replace(parsed.title, " ") if parsed.title else bare
    return Cited(
        text,
        title_key(bare),
        parsed,
        _numbers(bare),
        {k: v for k, v in assigned.items() if v},
        _numbers(outside),
    )


def _numbers(text: str) -> frozenset[str]:
    return frozenset(str(int(run)) for run in _NUMBER_RE.findall(text))


def validate(cited: Cited, item: dict, query_length: int) -> Validation:
    """Compare every field both sides state; the confidence is their weighted mean."""
    checks = (
        check_title(cited, item),
        check_author(cited, item),
        check_year(cited, item),
        check_number(cited, "volume", item),
        check_number(cited, "page", item),
        check_container(cited, item),
    )
    score = item.get("score")
    normalised = score / query_length if isinstance(score, int | float) else None
    return Validation(item, checks, normalised, _confidence(checks))


def _confidence(checks: Iterable[Check]) -> float:
    total = weight_sum = 0.0
    for check in checks:
        if check.state == "unknown":
            continue
        weight = WEIGHTS[check.field] * (0.5 if check.state == "missing" else 1.0)
        total += weight * _SIMILARITY[check.state]
        weight_sum += weight
    return round(total / weight_sum, 3) if weight_sum else 0.0


# Field checks


def check_title(cited: Cited, item: dict) -> Check:
    titles = _strings(item.get("title"))
    if not titles:
        return Check("title", "unknown")
    similarity = title_similarity(cited, item)
    if _is_the_container(titles[0], cited):
        return Check("title", "differ", "the candidate's title is the reference's journal or book")
    if similarity >= TITLE_STRONG:
        return Check("title", "agree", f"title ({similarity:.2f})")
    if similarity >= TITLE_WEAK:
        return Check("title", "near", f"title similarity only {similarity:.2f}")
    parsed = cited.parsed.title
    journals = [*_strings(item.get("container-title")), *_strings(item.get("short-container-title"))]
    if any(_part_of(parsed, journal) for journal in journals):
        return Check("title", "unknown")  # the parser took (part of) the journal for a title: there is none
    if len(title_key(parsed)) >= SHORT_TITLE_CHARS:
        return Check("title", "differ", f"title differs ({similarity:.2f}): “{_clip(titles[0])}”")
    return Check("title", "unknown")


def title_similarity(cited: Cited, item: dict) -> float:
    """0-1: the candidate's title found in the string (the parser's title may be off), or equal to the
    parsed title. Its main title alone (before a colon) must equal the parsed title: a short main title such
    as "Spinal muscular atrophy" turns up inside many longer titles."""
    title = _TAG_RE.sub(" ", _strings(item.get("title"))[0])
    parsed = title_key(cited.parsed.title)
    full = [title_key(title)]
    subtitles = _strings(item.get("subtitle"))
    if subtitles and subtitles[0]:
        full.append(title_key(_TAG_RE.sub(" ", f"{title} {subtitles[0]}")))
    head = title_key(re.split(r"[:.?]\s", title, maxsplit=1)[0])
    best = max(_found_in(candidate, cited.key, parsed) for candidate in full)
    return max(best, _ratio(head, parsed) if len(head) >= SHORT_TITLE_CHARS else 0.0)


def _found_in(candidate: str, text: str, parsed: str) -> float:
    whole = _ratio(candidate, parsed)
    if len(candidate) < SHORT_TITLE_CHARS or len(candidate) > len(text):
        return whole
    if len(candidate) < FRAGMENT_SHARE * len(parsed):
        # Much shorter than the cited title: it must be where that title starts, not any phrase inside it.
        return max(whole, _ratio(candidate, parsed[: len(candidate)]))
    return max(whole, fuzz.partial_ratio(candidate, text) / 100)


def _ratio(a: str, b: str) -> float:
    return fuzz.ratio(a, b) / 100 if a and b else 0.0


def _part_of(parsed: str, journal: str) -> bool:
    short, long = sorted((title_key(parsed), title_key(journal)), key=len)
    return bool(short) and (_same_container(parsed, journal) or fuzz.partial_ratio(short, long) >= 95)


def _is_the_container(title: str, cited: Cited) -> bool:
    """The candidate is the book or journal the cited chapter or article appeared in."""
    key = title_key(title)
    container, own = title_key(cited.parsed.container_title), title_key(cited.parsed.title)
    if container and own and fuzz.ratio(key, container) >= 90 and fuzz.ratio(key, own) < TITLE_WEAK * 100:
        return True
    parts = _IN_RE.split(cited.text, maxsplit=1)
    if len(parts) < 3:
        return False
    before, after = title_key(parts[0]), title_key(parts[-1])
    inside = fuzz.partial_ratio(key, after) >= TITLE_STRONG * 100
    return inside and fuzz.partial_ratio(key, before) < TITLE_WEAK * 100


def check_author(cited: Cited, item: dict) -> Check:
    people = item.get("author") or item.get("editor") or []
    names = [str(person.get("family") or person.get("name") or "") for person in people[:10]]
    names = [name for name in names if family_key(name)]
    if not names:
        return Check("author", "unknown")
    window, shown = _name_window(cited), names[0]
    if family_key(shown) in window:
        return Check("author", "agree", f"first author {shown}")
    cited_first = _cited_first_author(cited)
    if not cited_first:
        return Check("author", "unknown")
    if any(family_key(name) in window for name in names[1:]):
        return Check("author", "near", f"first author {cited_first} is not the candidate's first ({shown})")
    return Check("author", "differ", f"first author {cited_first} differs from {shown}")


def _name_window(cited: Cited) -> set[str]:
    """Keys of the string's first words, alone and joined in twos and threes ("van der Linden")."""
    words = _WORD_RE.findall(fold(cited.text))[:AUTHOR_WINDOW_WORDS]
    window = {"".join(words[start:end]) for start in range(len(words)) for end in range(start + 1, start + 4)}
    window |= {family_key(name.family) for name in cited.parsed.authors[:1]}
    return window - {""}


def _cited_first_author(cited: Cited) -> str:
    if cited.parsed.authors:
        return cited.parsed.authors[0].family
    words = cited.text.split()
    return words[0].strip(",.;:") if words else ""


def check_year(cited: Cited, item: dict) -> Check:
    years = _candidate_years(item)
    if not years:
        return Check("year", "unknown")
    shown = years[0]
    said = cited.parsed.year
    if said in years or (not said and any(str(year) in cited.free_numbers("year") for year in years)):
        return Check("year", "agree", f"year {said or shown}")
    if said and min(abs(said - year) for year in years) == 1:
        return Check("year", "near", f"year {said} is one off {shown}")
    if said:
        return Check("year", "differ", f"year {said} differs from {shown}")
    return Check("year", "unknown")


def _candidate_years(item: dict) -> list[int]:
    years: list[int] = []
    for name in ("issued", "published-print", "published-online", "published"):
        parts = (item.get(name) or {}).get("date-parts") or [[None]]
        year = parts[0][0] if parts and parts[0] else None
        if isinstance(year, int) and year not in years:
            years.append(year)
    return years


def check_number(cited: Cited, field: str, item: dict) -> Check:
    """Volume or first page: equal to what the parser read, or found among the string's free numbers."""
    candidate = _first_page(item) if field == "page" else _first_number(str(item.get("volume") or ""))
    said = cited.assigned.get(field, "")
    label = _LABELS[field]
    if not candidate:
        return (
            Check(field, "missing", f"{label} {said} is not in the candidate")
            if said
            else Check(field, "unknown")
        )
    if candidate == said or candidate in cited.free_numbers(field):
        return Check(field, "agree", f"{label} {candidate}")
    if said:
        return Check(field, "differ", f"{label} {said} differs from {candidate}")
    unexplained = sorted(cited.outside_title - _explained(cited, item), key=int)
    if field == "page" and unexplained:
        # The parser missed the page (it reads "47:1986" as a year), but some locator disagrees.
        return Check(
            field, "differ", f"{_join(unexplained)} in the reference match no locator of the candidate"
        )
    return Check(field, "unknown")


def _explained(cited: Cited, item: dict) -> set[str]:
    """Numbers the candidate accounts for, the year the parser found, and a short issue number when the
    candidate has none (the parser reads "152A:1618" as volume and issue, so a long one may be the page)."""
    locators = [str(item.get(name) or "") for name in ("volume", "issue", "page", "article-number")]
    explained = {str(int(run)) for text in locators for run in _NUMBER_RE.findall(text)}
    explained |= {str(year) for year in _candidate_years(item)} | {cited.assigned.get("year", "")}
    issue = cited.assigned.get("issue", "")
    return explained | ({issue} if len(issue) <= 2 and not item.get("issue") else set())


def _first_page(item: dict) -> str:
    page = str(item.get("page") or item.get("article-number") or "")
    return _first_number(re.split(r"[-–,]", page, maxsplit=1)[0])


def check_container(cited: Cited, item: dict) -> Check:
    names = [*_strings(item.get("container-title")), *_strings(item.get("short-container-title"))]
    names = [name for name in names if title_key(name)]
    if not names:
        return Check("container", "unknown")
    said = cited.parsed.container_title
    if any(_same_container(said, name) or _named_in(name, cited.key) for name in names):
        return Check("container", "agree", f"journal {names[0]}")
    if said:
        return Check("container", "differ", f"journal “{_clip(said)}” differs from “{_clip(names[0])}”")
    return Check("container", "unknown")


def _same_container(said: str, name: str) -> bool:
    said_key, name_key = title_key(said), title_key(name)
    if not said_key:
        return False
    if fuzz.ratio(said_key, name_key) >= CONTAINER_SIMILAR * 100:
        return True
    return _abbreviates(said_key.split(), name_key.split()) or _abbreviates(
        name_key.split(), said_key.split()
    )


def _abbreviates(short: list[str], full: list[str]) -> bool:
    """ "j neurosci res" abbreviates "journal of neuroscience research": each word, in order, is a
    subsequence of a full word with the same first letter; stopwords may be skipped."""
    significant = [word for word in full if word not in _STOPWORDS]
    short = [word for word in short if word not in _STOPWORDS]
    if not short or len(short) < len(significant) - 1 or short == significant:
        return False
    position = 0
    for word in short:
        while position < len(significant) and not _subsequence(word, significant[position]):
            position += 1
        if position == len(significant):
            return False
        position += 1
    return True


def _subsequence(short: str, word: str) -> bool:
    if short[0] != word[0]:
        return False
    rest = iter(word)
    return all(char in rest for char in short)


def _named_in(name: str, text_key: str) -> bool:
    """The candidate's journal spelled out in the string, or its acronym ("IJDAR") as a word of it."""
    key = title_key(name)
    words = [word for word in key.split() if word not in _STOPWORDS]
    acronym = "".join(word[0] for word in words)
    padded = f" {text_key} "
    if len(words) >= 2 and f" {key} " in padded:
        return True
    bracketed = re.findall(r"\(([A-Za-z]{3,})\)", name)
    return any(
        f" {word.lower()} " in padded for word in [*bracketed, acronym if len(acronym) >= 4 else ""] if word
    )


# Decisions and reasons


def _rank(validation: Validation) -> tuple[bool, float, float]:
    return validation.linkable, validation.confidence, validation.normalised_score or 0.0


def _link_or_ambiguous(best: Validation, validations: list[Validation]) -> Judgement:
    doi = _doi(best.item)
    rivals = [
        other
        for other in validations
        if other.linkable
        and _doi(other.item) != doi
        and other.confidence >= best.confidence - AMBIGUITY_MARGIN
    ]
    if rivals:
        reason = f"{doi} and {_doi(rivals[0].item)} fit equally well ({_agreeing(best)})"
        return _judgement("review", best, reason)
    return _judgement("link", best, f"{_agreeing(best)} agree")


def _judgement(outcome: Outcome, validation: Validation, reason: str) -> Judgement:
    """An unmatched judgement names no DOI and carries no item; its reason names the closest candidate."""
    score = validation.item.get("score")
    chosen = outcome != "unmatched"
    return Judgement(
        outcome=outcome,
        doi=_doi(validation.item) if chosen else None,
        score=validation.confidence,
        crossref_score=float(score) if isinstance(score, int | float) else None,
        item=validation.item if chosen else None,
        reason=reason,
    )


def _agreeing(validation: Validation) -> str:
    notes = [check.note for check in validation.checks if check.state in ("agree", "near") and check.note]
    return _join(notes) or "nothing"


def _review_reason(validation: Validation) -> str:
    problems = [check.note for check in validation.checks if check.state in ("differ", "missing", "near")]
    agreeing = [_LABELS.get(c.field, "journal") for c in validation.checks if c.state == "agree"]
    lead = f"{_join(agreeing)} {'agrees' if len(agreeing) == 1 else 'agree'}" if agreeing else "little agrees"
    if problems:
        return f"{lead} but {'; '.join(problems)}"
    if not validation.identified:
        return f"{lead}, but neither a title nor volume and first page confirm it"
    if validation.support < MIN_SUPPORT:
        return f"only {lead}: too little to link without a curator"
    if validation.normalised_score is not None and validation.normalised_score < MIN_NORMALISED_SCORE:
        return f"{lead}, but Crossref's score is low ({validation.normalised_score:.2f} per character)"
    return f"{lead}, but the confidence is only {validation.confidence:.2f}"


def _unmatched_reason(validation: Validation) -> str:
    doi = _doi(validation.item)
    problems = [check.note for check in validation.checks if check.state in ("differ", "missing")]
    if problems:
        return f"best candidate {doi} disagrees: {'; '.join(problems)}"
    return (
        f"best candidate {doi} shares too little with the reference (confidence {validation.confidence:.2f})"
    )


# Small helpers


def _clean(reference: str) -> str:
    return " ".join(_NUMBERING_RE.sub("", reference.strip(), count=1).split())


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [entry for entry in value or [] if isinstance(entry, str)]


def _first_number(value: str) -> str:
    found = _NUMBER_RE.search(value or "")
    return str(int(found.group())) if found else ""


def _doi(item: dict) -> str:
    return normalize_doi(str(item.get("DOI") or ""))


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" and {words[-1]}"


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
