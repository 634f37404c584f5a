"""The one vocabulary of work types, shared by the readers, the exports and the model's choices. Plain Python."""

from __future__ import annotations

from collections.abc import Iterable

JOURNAL_ARTICLE = "journal-article"
REVIEW = "review"
CASE_REPORT = "case-report"
CLINICAL_TRIAL = "clinical-trial"
BOOK_CHAPTER = "book-chapter"
BOOK = "book"
REPORT = "report"
CONFERENCE_ABSTRACT = "conference-abstract"
WEB_PAGE = "web-page"
OTHER = "other"

LABELS: dict[str, str] = {
    JOURNAL_ARTICLE: "Journal article",
    REVIEW: "Review",
    CASE_REPORT: "Case report",
    CLINICAL_TRIAL: "Clinical trial",
    BOOK_CHAPTER: "Book chapter",
    BOOK: "Book",
    REPORT: "Report",
    CONFERENCE_ABSTRACT: "Conference abstract",
    WEB_PAGE: "Web page",
    OTHER: "Other",
}

# Publication types as PubMed, Embase, Scopus and Web of Science print them (lower-cased), most telling first:
# a randomised trial that is also a "Journal Article" is a trial; a systematic review is a review.
_BY_PUBLICATION_TYPE: tuple[tuple[str, str], ...] = (
    ("systematic review", REVIEW),
    ("meta-analysis", REVIEW),
    ("review", REVIEW),
    ("case reports", CASE_REPORT),
    ("case report", CASE_REPORT),
    ("randomized controlled trial", CLINICAL_TRIAL),
    ("clinical trial", CLINICAL_TRIAL),
    ("clinical trial, phase i", CLINICAL_TRIAL),
    ("clinical trial, phase ii", CLINICAL_TRIAL),
    ("clinical trial, phase iii", CLINICAL_TRIAL),
    ("clinical trial, phase iv", CLINICAL_TRIAL),
    ("multicenter study", JOURNAL_ARTICLE),
    ("congress", CONFERENCE_ABSTRACT),
    ("conference abstract", CONFERENCE_ABSTRACT),
    ("conference paper", CONFERENCE_ABSTRACT),
    ("meeting abstract", CONFERENCE_ABSTRACT),
    ("proceedings paper", CONFERENCE_ABSTRACT),
    ("book chapter", BOOK_CHAPTER),
    ("chapter", BOOK_CHAPTER),
    ("book", BOOK),
    ("journal article", JOURNAL_ARTICLE),
    ("article", JOURNAL_ARTICLE),
)


def from_publication_types(types: Iterable[str], default: str = JOURNAL_ARTICLE) -> str:
    """The work type that a record's publication types ("Review", "Case Reports", ...) say, else `default`."""
    printed = {value.strip().lower() for value in types}
    return next((work_type for name, work_type in _BY_PUBLICATION_TYPE if name in printed), default)
