"""PubMed XML (efetch's `PubmedArticleSet`): `PubmedArticle` and `PubmedBookArticle` records.

Elements are read through `children()` dictionaries rather than ElementPath searches: a search costs
several microseconds, and a record has a hundred fields to read."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from references.people import Name
from references.refparse.records import ParsedList, ParsedReference, Unreadable
from references.refparse.source import TextSource
from references.worktypes import BOOK, BOOK_CHAPTER, from_publication_types

from .fields import doi_from, finish, pmcid_from, set_pages, title_text, year_from
from .xmlrecords import children, grouped, records, root_name, text_of

ROOTS = ("PubmedArticleSet", "PubmedArticle", "PubmedBookArticle", "PubmedBookArticleSet")
_RECORDS = ("PubmedArticle", "PubmedBookArticle")
_IDS = frozenset(("doi", "pmc", "pubmed"))
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
_MEDLINE_DATE_RE = re.compile(r"^(\d{4})(?:\s+([A-Za-z]{3}))?")
_ORCID_RE = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]")


def parse_pubmed_xml(text: str) -> ParsedList:
    return ParsedList(format="pubmed-xml", references=list(iter_pubmed_xml(text)))


def iter_pubmed_xml(text: str | TextSource) -> Iterator[ParsedReference]:
    """The records one at a time, as the file is read; a file that is not PubMed XML is refused at once."""
    if (root := root_name(text if isinstance(text, str) else text.head(65536))) not in ROOTS:
        raise Unreadable(
            f"This does not look like PubMed XML: its root element is <{root}>, not <PubmedArticleSet>."
        )
    return (
        _book(record) if record.tag == "PubmedBookArticle" else _article(record)
        for record in records(text, _RECORDS, what="PubMed XML")
    )


def _article(record: etree._Element) -> ParsedReference:
    parts = children(record)
    citation = children(parts.get("MedlineCitation"))
    article = grouped(citation.get("Article"))
    ref = _common(record, parts.get("PubmedData"), citation, article)
    ref.title = title_text(
        text_of(_first(article, "ArticleTitle")) or text_of(_first(article, "VernacularTitle"))
    )
    _read_journal(ref, article, children(citation.get("MedlineJournalInfo")))
    _read_pages(ref, article)
    types = _first(article, "PublicationTypeList")
    ref.publication_types = (
        [value for found in types if (value := text_of(found))] if types is not None else []
    )
    ref.work_type = from_publication_types(ref.publication_types)
    return finish(ref, entry=f"PMID {ref.pmid}" if ref.pmid else "")


def _book(record: etree._Element) -> ParsedReference:
    parts = children(record)
    document = grouped(parts.get("BookDocument"))
    book = grouped(_first(document, "Book"))
    ref = _common(
        record, parts.get("PubmedBookData"), {tag: found[0] for tag, found in document.items()}, document
    )
    book_title, chapter_title = text_of(_first(book, "BookTitle")), text_of(_first(document, "ArticleTitle"))
    if chapter_title:
        ref.work_type, ref.title, ref.container_title = BOOK_CHAPTER, title_text(chapter_title), book_title
    else:
        ref.work_type, ref.title = (
            BOOK,
            title_text(book_title or text_of(_first(document, "VernacularTitle"))),
        )
    ref.doi = ref.doi or doi_from(_elocation(book, "doi"))
    ref.authors = ref.authors or _names(book, "authors")
    ref.editors = _names(book, "editors")
    publisher = children(_first(book, "Publisher"))
    ref.publisher = text_of(publisher.get("PublisherName"))
    ref.location = text_of(publisher.get("PublisherLocation"))
    ref.isbns = _texts(book, "Isbn")
    ref.volume = text_of(_first(book, "Volume"))
    ref.year, ref.date = _date(_first(book, "PubDate"))
    _read_pages(ref, document)
    ref.publication_types = _texts(document, "PublicationType")
    return finish(ref, entry=f"PMID {ref.pmid}" if ref.pmid else "")


def _common(
    record: etree._Element,
    data: etree._Element | None,
    citation: dict[str, etree._Element],
    article: dict[str, list[etree._Element]],
) -> ParsedReference:
    """What articles and books share: identifiers, authors, abstract, language, keywords, MeSH."""
    ref = ParsedReference(raw="", line=record.sourceline, pmid=text_of(citation.get("PMID")))
    ref.authors = _names(article, "authors")
    ref.abstract = _abstract(_first(article, "Abstract"))
    ref.language = next(iter(_texts(article, "Language")), "")
    keywords, headings = citation.get("KeywordList"), citation.get("MeshHeadingList")
    ref.keywords = [value for found in keywords if (value := text_of(found))] if keywords is not None else []
    ref.mesh = [_heading(heading) for heading in headings] if headings is not None else []
    ids = _article_ids(children(data).get("ArticleIdList"), _first(article, "ArticleIdList"))
    ref.doi = doi_from(_elocation(article, "doi") or ids.get("doi", ""))
    ref.pmcid = pmcid_from(ids.get("pmc", ""))
    ref.pmid = ref.pmid or ids.get("pubmed", "")
    return ref


def _first(groups: dict[str, list[etree._Element]], tag: str) -> etree._Element | None:
    found = groups.get(tag)
    return found[0] if found else None


def _texts(groups: dict[str, list[etree._Element]], tag: str) -> list[str]:
    return [value for found in groups.get(tag, ()) if (value := text_of(found))]


def _elocation(groups: dict[str, list[etree._Element]], kind: str) -> str:
    return next(
        (text_of(found) for found in groups.get("ELocationID", ()) if found.get("EIdType") == kind), ""
    )


def _article_ids(*id_lists: etree._Element | None) -> dict[str, str]:
    """The record's own ids ({'doi': ..., 'pmc': ...}); ids of the works it cites are in a ReferenceList
    deeper down and are not among them."""
    ids: dict[str, str] = {}
    for id_list in id_lists:
        for article_id in id_list if id_list is not None else ():
            kind = article_id.get("IdType", "")
            if kind in _IDS and kind not in ids:
                ids[kind] = text_of(article_id)
    return ids


def _names(groups: dict[str, list[etree._Element]], kind: str) -> list[Name]:
    return [
        _name(author)
        for author_list in groups.get("AuthorList", ())
        if author_list.get("Type", "authors") == kind
        for author in author_list
        if author.get("ValidYN") != "N"
    ]


def _name(author: etree._Element) -> Name:
    family = given = orcid = affiliation = collective = ""
    initials = None
    for part in author:
        tag = part.tag
        if tag == "LastName":
            family = text_of(part)
        elif tag == "ForeName":
            given = text_of(part)
        elif tag == "Initials":
            initials = part
        elif tag == "CollectiveName":
            collective = text_of(part)
        elif tag == "AffiliationInfo" and not affiliation:
            affiliation = text_of(children(part).get("Affiliation"))
        elif tag == "Identifier" and part.get("Source") == "ORCID":
            orcid = _orcid(text_of(part))
    if collective:
        return Name(family=collective, affiliation=affiliation, collective=True)
    given = given or "".join(f"{letter}." for letter in text_of(initials))
    return Name(family=family, given=given, orcid=orcid, affiliation=affiliation)


def _orcid(value: str) -> str:
    match = _ORCID_RE.search(value)
    return match.group(0) if match else ""


def _abstract(abstract: etree._Element | None) -> str:
    """Sections of a structured abstract keep their labels: 'BACKGROUND: ... METHODS: ...'."""
    if abstract is None:
        return ""
    sections = []
    for section in abstract:
        if section.tag == "AbstractText" and (body := text_of(section)):
            label = section.get("Label", "")
            sections.append(f"{label}: {body}" if label else body)
    return " ".join(sections)


def _heading(heading: etree._Element) -> str:
    """MEDLINE style: 'Leukemia/*drug therapy', '*Infant', 'Sea Bream/*anatomy & histology/physiology'."""
    if len(heading) == 1:
        term = heading[0]
        return ("*" if term.get("MajorTopicYN") == "Y" else "") + text_of(term)
    return "/".join(("*" if term.get("MajorTopicYN") == "Y" else "") + text_of(term) for term in heading)


def _read_journal(
    ref: ParsedReference, article: dict[str, list[etree._Element]], info: dict[str, etree._Element]
) -> None:
    journal_element = _first(article, "Journal")
    journal = grouped(journal_element)
    ref.journal_abbrev = text_of(_first(journal, "ISOAbbreviation")) or text_of(info.get("MedlineTA"))
    # As the MEDLINE reader does (its TA): NLM references print MedlineTA, not the full title.
    ref.container_title = (
        text_of(info.get("MedlineTA")) or ref.journal_abbrev or text_of(_first(journal, "Title"))
    )
    issns = [*_texts(journal, "ISSN"), text_of(info.get("ISSNLinking"))]
    ref.issns = list(dict.fromkeys(issn for issn in issns if issn))
    issue = children(_first(journal, "JournalIssue"))
    ref.volume, ref.issue = text_of(issue.get("Volume")), text_of(issue.get("Issue"))
    ref.year, ref.date = _date(issue.get("PubDate"))
    if ref.year is None:
        ref.year, ref.date = _date(_first(article, "ArticleDate"))


def _date(element: etree._Element | None) -> tuple[int | None, str]:
    """(year, '2007-07-28' as full as given); a MedlineDate '1998 Dec-1999 Jan' is (1998, '1998-12')."""
    if element is None:
        return None, ""
    parts = children(element)
    year, month, day = (text_of(parts.get(tag)) for tag in ("Year", "Month", "Day"))
    if not year and (match := _MEDLINE_DATE_RE.match(text_of(parts.get("MedlineDate")))):
        year, month = match.group(1), match.group(2) or ""
    number = _month(month)
    printed = [year, f"{number:02d}" if number else ""]
    if number and day.isdigit():
        printed.append(f"{int(day):02d}")
    return year_from(year), "-".join(part for part in printed if part) if year else ""


def _month(value: str) -> int | None:
    if value.isdigit():
        return int(value) if 1 <= int(value) <= 12 else None
    return _MONTHS.get(value[:3].lower())


def _read_pages(ref: ParsedReference, article: dict[str, list[etree._Element]]) -> None:
    pagination = children(_first(article, "Pagination"))
    printed = text_of(pagination.get("MedlinePgn"))
    if not printed:
        start, end = text_of(pagination.get("StartPage")), text_of(pagination.get("EndPage"))
        printed = f"{start}-{end}" if start and end and start != end else start
    set_pages(ref, printed)
    if not ref.pages:
        ref.elocator = _elocation(article, "pii")
