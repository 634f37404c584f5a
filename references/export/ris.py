"""RIS records, one tag per line as `TAG  - value`.

Lines end with "\\n": the RIS specification shows CRLF, but every reader we know of (Zotero, EndNote, Mendeley,
JabRef) takes LF too, and LF keeps the files like the rest of the export. A value is one line: runs of white
space, line breaks included, become single spaces.
"""

from __future__ import annotations

from references.people import Name
from references.worktypes import (
    BOOK,
    BOOK_CHAPTER,
    CASE_REPORT,
    CLINICAL_TRIAL,
    CONFERENCE_ABSTRACT,
    JOURNAL_ARTICLE,
    OTHER,
    REPORT,
    REVIEW,
    WEB_PAGE,
)

from .records import ExportRecord, clean, split_pages

RIS_TYPES: dict[str, str] = {
    JOURNAL_ARTICLE: "JOUR",
    REVIEW: "JOUR",
    CASE_REPORT: "JOUR",
    CLINICAL_TRIAL: "JOUR",
    BOOK_CHAPTER: "CHAP",
    BOOK: "BOOK",
    REPORT: "RPRT",
    CONFERENCE_ABSTRACT: "CONF",
    WEB_PAGE: "ELEC",
    OTHER: "GEN",
}


def ris_name(person: Name) -> str:
    """The name as "Family, Given"; an organisation, or a person with no given name, as the name alone."""
    family, given = clean(person.family), clean(person.given)
    return f"{family}, {given}" if given and not person.is_organisation else family


def ris_record(record: ExportRecord, *, abstract: bool = False) -> str:
    """One record: TY first, ER last, then a blank line; empty values left out."""
    first_page, last_page = split_pages(clean(record.pages))
    tags = [
        ("TY", RIS_TYPES.get(record.work_type, "GEN")),
        ("ID", record.key),
        *(("AU", ris_name(person)) for person in record.authors),
        *(("A2", ris_name(person)) for person in record.editors),  # A2: secondary author, the editor
        ("TI", record.title),
        ("T2", record.container_title),
        ("PY", str(record.year) if record.year is not None else ""),
        ("VL", record.volume),
        ("IS", record.issue),
        ("SP", first_page),
        ("EP", last_page),
        ("PB", record.publisher),
        *(("SN", number) for number in (*record.issns, *record.isbns)),
        ("DO", record.doi),
        ("AN", record.pmid),  # accession number: where PubMed's own exports put the PMID
        ("UR", record.url),
        *(("KW", keyword) for keyword in record.keywords),
        ("AB", record.abstract if abstract else ""),
    ]
    lines = (f"{tag}  - {value}\n" for tag, value in ((tag, clean(value)) for tag, value in tags) if value)
    return "".join(lines) + "ER  - \n\n"
