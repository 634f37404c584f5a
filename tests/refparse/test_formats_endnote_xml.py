"""EndNote XML (<xml><records><record>): values in <style> runs, checked against lxml's own XPath reading."""

from pathlib import Path

import pytest
from django.conf import settings
from lxml import etree

from references.people import Name
from references.refparse import parse_reference_list
from references.refparse.formats import parse_structured, render_reference
from references.refparse.records import Problem
from references.worktypes import BOOK_CHAPTER, JOURNAL_ARTICLE, REVIEW

SAMPLES = sorted((Path(settings.SHARED_DIR) / "samples" / "endnote").iterdir())

RECORDS = """\
<?xml version="1.0" encoding="UTF-8"?>
<xml><records>
<record>
  <rec-number>12</rec-number>
  <ref-type name="Journal Article">17</ref-type>
  <contributors><authors>
    <author><style face="normal" font="default" size="100%">Pieters, Rob</style></author>
    <author><style face="normal" font="default" size="100%">Schrappe, </style><style face="normal">Martin</style></author>
  </authors></contributors>
  <titles>
    <title><style face="normal" font="default" size="100%">Outcome of infants with </style><style face="italic" font="default" size="100%">KMT2A</style><style face="normal" font="default" size="100%">-rearranged leukaemia</style></title>
    <secondary-title><style face="normal" font="default" size="100%">Lancet</style></secondary-title>
  </titles>
  <periodical><full-title><style face="normal">The Lancet</style></full-title><abbr-1><style face="normal">Lancet</style></abbr-1></periodical>
  <pages><style face="normal">2246-56</style></pages>
  <volume><style face="normal">370</style></volume>
  <number><style face="normal">9583</style></number>
  <keywords><keyword><style face="normal">infant</style></keyword><keyword><style face="normal">MLL</style></keyword></keywords>
  <dates><year><style face="normal">2007</style></year><pub-dates><date><style face="normal">Jul 21</style></date></pub-dates></dates>
  <isbn><style face="normal">0140-6736 (Print)&#xD;1474-547X (Electronic)</style></isbn>
  <accession-num><style face="normal">17658395</style></accession-num>
  <electronic-resource-num><style face="normal">10.1016/S0140-6736(07)61126-X</style></electronic-resource-num>
  <custom2><style face="normal">PMC1234567</style></custom2>
  <work-type><style face="normal">Review</style></work-type>
  <language><style face="normal">eng</style></language>
  <abstract><style face="normal">BACKGROUND: Infants do badly. </style><style face="normal">METHODS: We treated them.</style></abstract>
</record>
<record>
  <rec-number>13</rec-number>
  <ref-type name="Book Section">5</ref-type>
  <contributors>
    <authors><author><style face="normal">Heim, S.</style></author></authors>
    <secondary-authors><author><style face="normal">Mitelman, F.</style></author></secondary-authors>
  </contributors>
  <titles><title><style face="normal">Cancer cytogenetics</style></title>
    <secondary-title><style face="normal">Chromosomes in cancer</style></secondary-title></titles>
  <pages><style face="normal">12-30</style></pages>
  <dates><year><style face="normal">1987</style></year></dates>
  <pub-location><style face="normal">New York</style></pub-location>
  <publisher><style face="normal">Alan R Liss</style></publisher>
  <isbn><style face="normal">978-0-471-01234-5</style></isbn>
  <urls><related-urls><url><style face="normal">https://doi.org/10.1002%2F0471234567.ch2</style></url></related-urls></urls>
</record>
<record>
  <rec-number>14</rec-number>
  <ref-type name="Journal Article">17</ref-type>
  <titles><title></title></titles>
  <dates><year><style face="normal">2010</style></year></dates>
</record>
</records></xml>
"""


def parse(text: str):
    return parse_structured(text, "endnote-xml")


def test_joins_the_style_runs_of_every_field():
    ref = parse(RECORDS).references[0]
    assert ref.title == "Outcome of infants with KMT2A-rearranged leukaemia"
    assert ref.authors == [Name("Pieters", "Rob"), Name("Schrappe", "Martin")]
    assert ref.abstract == "BACKGROUND: Infants do badly. METHODS: We treated them."


def test_reads_every_field_of_a_journal_article():
    ref = parse(RECORDS).references[0]
    assert (ref.label, ref.line) == ("12", 3)
    assert ref.container_title == "The Lancet"
    assert ref.journal_abbrev == "Lancet"
    assert (ref.volume, ref.issue, ref.page_first, ref.page_last) == ("370", "9583", "2246", "2256")
    assert (ref.year, ref.date) == (2007, "2007-07-21")
    assert ref.doi == "10.1016/s0140-6736(07)61126-x"
    assert (ref.pmid, ref.pmcid) == ("17658395", "PMC1234567")
    assert ref.issns == ["0140-6736", "1474-547X"]
    assert ref.keywords == ["infant", "MLL"]
    assert ref.language == "eng"
    assert (ref.publication_types, ref.work_type) == (["Review"], REVIEW)
    assert ref.raw == render_reference(ref)


def test_a_book_section_with_its_editor_publisher_and_isbn():
    ref = parse(RECORDS).references[1]
    assert ref.work_type == BOOK_CHAPTER
    assert (ref.title, ref.container_title) == ("Cancer cytogenetics", "Chromosomes in cancer")
    assert ref.editors == [Name("Mitelman", "F.")]
    assert (ref.publisher, ref.location, ref.year) == ("Alan R Liss", "New York", 1987)
    assert ref.isbns == ["978-0-471-01234-5"]
    assert ref.doi == "10.1002/0471234567.ch2"
    assert ref.raw.startswith("Heim S. Cancer cytogenetics. In: Mitelman F, editor. Chromosomes in cancer.")


def test_a_record_without_a_title_is_kept_with_a_problem():
    ref = parse(RECORDS).references[2]
    assert ref.work_type == JOURNAL_ARTICLE
    assert ref.problems == [Problem("entry has no title", line=ref.line, entry="record 14")]


def test_an_endnote_xml_list_is_detected():
    parsed = parse_reference_list(RECORDS)
    assert parsed.format == "endnote-xml"
    assert [ref.label for ref in parsed.references] == ["12", "13", "14"]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
def test_sample_files_agree_with_an_xpath_reading(path):
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    expected = tree.xpath("/xml/records/record")
    parsed = parse_reference_list(path.read_text(encoding="utf-8"))
    assert parsed.format == "endnote-xml"
    assert len(parsed.references) == len(expected)
    for ref, record in zip(parsed.references, expected, strict=True):
        assert ref.problems == []
        assert ref.title == _xpath(record, "titles/title")
        assert ref.authors[0].family == _xpath(record, "contributors/authors/author[1]").split(",")[0]
        assert ref.year == int(_xpath(record, "dates/year"))
        assert ref.container_title == (
            _xpath(record, "periodical/full-title") or _xpath(record, "titles/secondary-title")
        )
        assert ref.volume == _xpath(record, "volume")
        assert ref.page_first == _xpath(record, "pages").split("-")[0]
        assert ref.doi == _xpath(record, "electronic-resource-num").lower()
        assert ref.pmid == _xpath(record, "accession-num")
        assert bool(ref.abstract) == bool(_xpath(record, "abstract"))
        assert len(ref.keywords) == int(record.xpath("count(keywords/keyword)"))


def _xpath(record: etree._Element, path: str) -> str:
    return record.xpath(f"normalize-space(string({path}))")
