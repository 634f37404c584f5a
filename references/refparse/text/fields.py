"""Labelled tokens -> ParsedReference, with rules for what print patterns say better than the CRF:
DOIs, PMIDs, PMCIDs, URLs and Vancouver's `2019;37(25):2246-56` block."""

from __future__ import annotations

import re

from references.identifiers import DOI_RE, first_doi
from references.importers.text import expand_pages
from references.worktypes import BOOK, BOOK_CHAPTER, CONFERENCE_ABSTRACT, JOURNAL_ARTICLE, REPORT, WEB_PAGE

from ..records import ParsedReference
from .boundary import LINK_WORDS, holds_a_sentence_end, journal_word, settle
from .names import parse_names
from .tokens import Token

_PMID_RE = re.compile(r"\bPMID:?\s*(\d{1,9})\b", re.IGNORECASE)
_PMCID_RE = re.compile(r"\bPMC\s?(\d{3,9})\b")
_URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
_DOI_URL_RE = re.compile(r"^https?://(?:dx\.)?doi\.org/", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?<![\d/.])(1[5-9]\d\d|20\d\d)(?![\d/])")
_MONTH = r"[A-Z][a-z]{2,8}\.?(?:\s*[-\u2013/]\s*[A-Z][a-z]{2,8}\.?)?"
_VANCOUVER_RE = re.compile(
    rf"(?<![\d.])(?P<year>1[5-9]\d\d|20\d\d)[a-z]?(?:\s+{_MONTH}(?:\s+\d{{1,2}})?)?\s*;\s*"
    r"(?P<volume>[A-Za-z]?\d+[A-Za-z]?|[IVXLC]+)(?:\s*\((?P<issue>[^()]{1,30})\))?"
    r"(?:\s*:\s*(?P<pages>[A-Za-z]{0,4}\d[^\s;,]*))?"
)
_VOLUME_PREFIX_RE = re.compile(
    r"^(?:(?:1[5-9]|20)\d\d[a-z]?\s*;\s*)?(?:vol(?:ume)?\.?|v\.|bd\.|band|t\.|tome)?\s*", re.IGNORECASE
)
_VOLUME_RE = re.compile(r"^([A-Za-z]?\d+[A-Za-z]?(?:[-\u2013/]\d+)?|[IVXLCDM]+|[ivxlcdm]+)\b")
_ISSUE_RE = re.compile(
    r"\(([^()]{1,30})\)|(?:no\.?|n[°º]\.?|nr\.?|issue|heft|h\.)\s*([\w\-\u2013/]+)|^:\s*(\d+)", re.IGNORECASE
)
_PAGES_PREFIX_RE = re.compile(r"^(?:pp?\.|pages?|pgs?\.?|s\.|ss\.)\s*", re.IGNORECASE)
_PAGE_RANGE_RE = re.compile(r"^([A-Za-z]*\d+)-([A-Za-z]*\d+(?:\.e\d+)?)")
_ARTICLE_NUMBER_RE = re.compile(r"^(?:[A-Za-z]+\d+|\d{6,})$")
_SUPPLEMENT_RE = re.compile(r"suppl|^S\d+$", re.IGNORECASE)
_REPORT_RE = re.compile(
    r"\b(?:report|statistics review|technical|working paper|white paper)\b", re.IGNORECASE
)
_ROLE_LEAD_RE = re.compile(r"^\s*(?:editors?|eds?|\(eds?\.?\))[.,:]\s+", re.IGNORECASE)
_EDGE_PUNCTUATION = " ,;:/"
NOT_A_REFERENCE = "this line does not look like a reference"


def segments(raw: str, tokens: list[Token], labels: list[str]) -> dict[str, str]:
    """The first span of each label, as printed; consecutive tokens with one label form a span."""
    if end := _title_resumes(labels):
        begin = labels.index("title")
        labels = [*labels[:begin], *["title"] * (end + 1 - begin), *labels[end + 1 :]]
    spans: dict[str, str] = {}
    start = 0
    for index in range(1, len(tokens) + 1):
        if index == len(tokens) or labels[index] != labels[start]:
            spans.setdefault(labels[start], raw[tokens[start].start : tokens[index - 1].end])
            start = index
    return spans


# A title goes on past these when the CRF takes a few of its words for a place or a date ('…, in Lake
# Ellesmere, New Zealand: results from …'); any other label ends it.
_INSIDE_TITLE = frozenset(("title", "location", "date", "note", "publisher"))


def _title_resumes(labels: list[str]) -> int:
    """The last title token when title tokens come back after a short run of other labels, else 0."""
    if "title" not in labels:
        return 0
    last = index = labels.index("title")
    while index < len(labels) and labels[index] in _INSIDE_TITLE:
        if labels[index] == "title":
            last = index
        index += 1
    inside = labels[labels.index("title") : last]
    if "date" in inside and labels.count("date") == inside.count("date"):
        return 0  # the reference's only date ('… IM (2017) RNA/DNA ratio …') is not the title's
    return last if any(label != "title" for label in inside) else 0


def build_reference(raw: str, spans: dict[str, str]) -> ParsedReference:
    reference = ParsedReference(raw=raw)
    title = spans.get("title", "")
    # 'Howlander N, ..., et al., editors. SEER ...': the role word often lands in the title span.
    if role := _ROLE_LEAD_RE.match(title):
        spans["author"] = f"{spans.get('author', '')} {role.group().strip()}"
        title = title[role.end() :]
    _apply_names(reference, spans)
    reference.title = _tidy_title(title)
    reference.container_title = _tidy_container(spans.get("journal") or spans.get("container", ""))
    reference.publisher = _tidy(spans.get("publisher", ""))
    reference.location = _tidy(spans.get("location", ""))
    _apply_identifiers(reference, raw)
    vancouver = _VANCOUVER_RE.search(raw)
    block_start = -1
    if vancouver and (vancouver.group("issue") or vancouver.group("pages")):
        block_start = vancouver.start()
        _apply_vancouver(reference, vancouver)
        reference.container_title = _cut_before(raw, reference.container_title, vancouver.start())
        _move_prose_to_title(reference)
    else:
        _apply_spans(reference, spans, raw)
    if ";" in reference.container_title and not (reference.volume or reference.pages):
        _publisher_from_container(reference)
    _settle_title_journal(reference, raw, block_start)
    reference.work_type = guess_work_type(reference, spans)
    return reference


def _settle_title_journal(reference: ParsedReference, raw: str, block_start: int) -> None:
    """Where no full stop ends the title ('… developmental toxicology Hum Exp Toxicol 2019;38:590'), the CRF
    may cut inside the journal's name, or read the journal as the title's end when a Vancouver block follows:
    boundary.settle cuts again. Nothing but link words ('in', 'of') may stand between the two."""
    title, journal = reference.title, reference.container_title
    if not title and journal and reference.volume:
        # The CRF read the whole of 'Fishing down marine food webs Science. 1998;279:860' as the journal.
        title, journal = settle(journal, "")
        if journal:
            reference.title, reference.container_title = _tidy_title(title), _tidy_container(journal)
        return
    title_start = raw.find(title) if title and not title.endswith(("?", "!")) else -1
    if title_start < 0:
        return
    title_end = title_start + len(title)
    journal_start = raw.find(journal, title_end) if journal else -1
    if journal_start >= 0:
        gap = raw[title_end:journal_start].split()
    elif (
        not journal
        and block_start >= title_end
        and all(map(journal_word, raw[title_end:block_start].strip(" .,;:").split()))
    ):
        # No journal before the Vancouver block: it is the title's end, or labelled a note or an author.
        title, gap = raw[title_start:block_start].rstrip(" .,;:"), []
    else:
        return
    # A comma ends a title in many styles, and NLM's block may follow ('…, Rev Med Suisse 2009;5:1882');
    # but the CRF also cuts at a comma inside the title ('…, Mexico Geofis Int. 2003;42:467').
    comma_ok = block_start >= 0 or holds_a_sentence_end(journal)
    if all(word in LINK_WORDS or (word in (",", ":") and comma_ok) for word in gap):
        title, journal = settle(re.sub(r" ([,:])", r"\1", " ".join([title, *gap])), journal)
        reference.title, reference.container_title = _tidy_title(title), _tidy_container(journal)


def _publisher_from_container(reference: ParsedReference) -> None:
    """'Alan R Liss; New York 1987': NLM's 'Publisher; Place' read as a journal by the CRF."""
    publisher, _, location = reference.container_title.partition(";")
    reference.publisher = reference.publisher or publisher.strip()
    reference.location = reference.location or _YEAR_RE.sub("", location).strip(_EDGE_PUNCTUATION + ".")
    reference.container_title = ""


def _apply_names(reference: ParsedReference, spans: dict[str, str]) -> None:
    authors = parse_names(spans.get("author", ""))
    reference.et_al = authors.et_al
    if authors.editors:
        reference.editors = authors.names
    else:
        reference.authors = authors.names
    if "editor" in spans:
        reference.editors = reference.editors or parse_names(spans["editor"]).names


def _apply_identifiers(reference: ParsedReference, raw: str) -> None:
    if doi := first_doi(raw):
        reference.doi = doi
    if pmid := _PMID_RE.search(raw):
        reference.pmid = pmid.group(1)
    if pmcid := _PMCID_RE.search(raw):
        reference.pmcid = f"PMC{pmcid.group(1)}"
    for url in _URL_RE.finditer(raw):
        if not _DOI_URL_RE.match(url.group()):
            reference.url = url.group().rstrip(".,;)")
            break


def _cut_before(raw: str, container: str, block_start: int) -> str:
    """'Indian J Pediatr. 2024 Feb' -> 'Indian J Pediatr': the container ends before the year block."""
    start = raw.find(container)
    if not container or start < 0 or start + len(container) <= block_start:
        return container
    return _tidy_container(raw[start:block_start])


def _move_prose_to_title(reference: ParsedReference) -> None:
    """'Report from the MRC Working Party. Leukemia' as container: NLM's journal is the last sentence before
    the year block, and a sentence of prose before it ends the title."""
    head, stop, journal = reference.container_title.rpartition(". ")
    words = head.split()
    if stop and journal and len(words) >= 4 and sum(word.islower() for word in words) >= 2:
        reference.title = f"{reference.title}. {head}" if reference.title else head
        reference.container_title = _tidy_container(journal)


def _apply_vancouver(reference: ParsedReference, block: re.Match[str]) -> None:
    reference.year = int(block.group("year"))
    reference.volume = block.group("volume") or ""
    reference.issue = block.group("issue") or ""
    _apply_pages(reference, (block.group("pages") or "").rstrip("."))


def _apply_spans(reference: ParsedReference, spans: dict[str, str], raw: str) -> None:
    reference.year = (
        _year(spans.get("date", "")) or _year(spans.get("volume", "")) or _fallback_year(raw, spans)
    )
    volume = _VOLUME_PREFIX_RE.sub("", spans.get("volume", "").strip())
    if found := _VOLUME_RE.match(volume):
        reference.volume = found.group(1)
        volume = volume[found.end() :]
    if issue := _ISSUE_RE.search(volume):
        reference.issue = next(group for group in issue.groups() if group).strip()
    _apply_pages(reference, _PAGES_PREFIX_RE.sub("", spans.get("pages", "").strip()).rstrip(".,;: "))


def _apply_pages(reference: ParsedReference, printed: str) -> None:
    if not printed:
        return
    pages = expand_pages(printed).replace(" ", "")
    if found := _PAGE_RANGE_RE.match(pages):
        reference.page_first, reference.page_last = found.groups()
    elif _ARTICLE_NUMBER_RE.match(pages):
        reference.elocator = pages
    else:
        reference.page_first = pages.rstrip(".,")


def _year(text: str) -> int | None:
    found = _YEAR_RE.search(text)
    return int(found.group(1)) if found else None


def _fallback_year(raw: str, spans: dict[str, str]) -> int | None:
    """The last year printed outside the title, when the CRF labelled no date."""
    title = spans.get("title", "")
    outside = raw.replace(title, " ") if title else raw
    years = _YEAR_RE.findall(_URL_RE.sub(" ", DOI_RE.sub(" ", outside)))
    return int(years[-1]) if years else None


def guess_work_type(reference: ParsedReference, spans: dict[str, str]) -> str:
    if _SUPPLEMENT_RE.search(reference.issue):
        return CONFERENCE_ABSTRACT
    if reference.container_title and ("journal" in spans or reference.volume):
        return JOURNAL_ARTICLE
    if _REPORT_RE.search(reference.title) or "report" in spans.get("genre", "").lower():
        return REPORT
    if "container" in spans or ("editor" in spans and reference.authors):
        return BOOK_CHAPTER
    if reference.publisher or reference.location or reference.editors:
        return BOOK
    if reference.url and not reference.container_title:
        return WEB_PAGE
    return JOURNAL_ARTICLE


def _tidy(text: str) -> str:
    return text.strip(_EDGE_PUNCTUATION).rstrip(".").strip(_EDGE_PUNCTUATION)


def _tidy_title(text: str) -> str:
    text = text.strip(_EDGE_PUNCTUATION)
    if text[:1] in '"“‘«' and text.rstrip(".,")[-1:] in '"”’»':
        text = text.rstrip(".,")[1:-1]
    return text.rstrip(".,").strip(_EDGE_PUNCTUATION)


def _tidy_container(text: str) -> str:
    text = re.sub(r"^in:?\s+", "", text.strip(), flags=re.IGNORECASE).strip(_EDGE_PUNCTUATION)
    # 'J. Inorg. Biochem.' keeps its last abbreviation point; 'J Clin Oncol.' loses its full stop.
    dotted = text.count(".") > 1 and not text.endswith("..")
    return text.rstrip(",;:") if dotted else text.rstrip(".,;: ")
