"""Recorded Crossref records read into our fields."""

import pytest

from references.crossref.metadata import plain_text, read_record
from tests.fakecrossref.bodies import recorded_message


def recorded(name: str) -> dict:
    return recorded_message(name)


def test_a_journal_article_gives_every_field():
    record = read_record(recorded("work-10.1136_jclinpath-2020-206745.json"))
    fields = record.fields
    assert fields["title"].startswith(
        "Construction of a reference material panel for detecting KRAS/NRAS/EGFR/"
    )
    assert (fields["container_title"], fields["container_abbreviation"]) == (
        "Journal of Clinical Pathology",
        "J Clin Pathol",
    )
    # Published online in 2020, in print in May 2021: reference lists cite the print year.
    assert (fields["year"], fields["volume"], fields["issue"], fields["pages"]) == (
        2021,
        "74",
        "5",
        "314-320",
    )
    assert fields["issns"] == ["0021-9746", "1472-4146"]
    assert (fields["publisher"], fields["work_type"], fields["doi"]) == (
        "BMJ",
        "journal-article",
        "10.1136/jclinpath-2020-206745",
    )
    assert fields["abstract"].startswith("Background: The absence of high-quality next-generation sequencing")
    assert "<jats" not in fields["abstract"]
    assert record.declared_references == 36
    assert (record.authors[0].family, record.authors[0].given) == ("Xu", "Jun")


def test_orcids_are_kept_without_their_url():
    message = recorded("work-10.1136_jclinpath-2020-206745.json")
    with_orcid = [a for a in message["author"] if a.get("ORCID")]
    record = read_record(message)
    orcids = [p.orcid for p in record.authors if p.orcid]
    assert orcids and len(orcids) == len(with_orcid)
    assert all(not orcid.startswith("http") and len(orcid) == 19 for orcid in orcids)


def test_a_book_chapter_without_a_year():
    fields = read_record(recorded("work-10.4018_978-1-4666-9588-7.les2-book-chapter.json")).fields
    assert fields["work_type"] == "book-chapter"
    assert fields["year"] is None
    assert fields["container_title"] == "Impact of the Model Minority Stereotype on Modern Society"


def test_non_ascii_names_survive():
    record = read_record(recorded("work-10.3389_fgene.2017.00147.json"))
    families = [p.family for p in record.authors]
    assert any(name in families for name in ("Pánek", "Modrák"))


@pytest.mark.parametrize(
    "markup, text",
    [
        ("<jats:p>MLL &amp; <i>AF4</i></jats:p>", "MLL & AF4"),
        (
            "<jats:sec><jats:title>Methods</jats:title><jats:p>We   treated</jats:p></jats:sec>",
            "Methods: We treated",
        ),
    ],
)
def test_markup_becomes_plain_text(markup, text):
    assert plain_text(markup) == text
