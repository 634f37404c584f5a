"""PubMed XML (efetch's PubmedArticleSet): articles and books, every field, checked against Bio.Entrez."""

import io
import re
import time
from pathlib import Path

import pytest
from Bio import Entrez
from django.conf import settings

from references.people import Name
from references.refparse import parse_reference_list
from references.refparse.formats import parse_structured, render_reference
from references.refparse.records import Problem
from references.worktypes import BOOK, BOOK_CHAPTER, CASE_REPORT, REVIEW

SHARED = Path(settings.SHARED_DIR)
SAMPLES = [
    *sorted((SHARED / "samples" / "pubmed-xml").iterdir()),
    SHARED / "fixtures" / "ncbi" / "pubmed6.xml",
    SHARED / "fixtures" / "ncbi" / "pubmed7.xml",
]
BOOK_SAMPLE = SHARED / "samples" / "pubmed-xml" / "MedlineImporterTestPubmedBook.xml"
_TAG_RE = re.compile(r"</?[^>]+>")

ARTICLE = """\
<?xml version="1.0" ?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">
<PubmedArticleSet>
<PubmedArticle>
  <MedlineCitation Status="MEDLINE" Owner="NLM">
    <PMID Version="1">17658395</PMID>
    <Article PubModel="Print">
      <Journal>
        <ISSN IssnType="Electronic">1474-547X</ISSN>
        <JournalIssue CitedMedium="Internet">
          <Volume>370</Volume>
          <Issue>9583</Issue>
          <PubDate><MedlineDate>2007 Jul-Aug</MedlineDate></PubDate>
        </JournalIssue>
        <Title>Lancet (London, England)</Title>
        <ISOAbbreviation>Lancet</ISOAbbreviation>
      </Journal>
      <ArticleTitle>A treatment protocol for infants with <i>MLL</i>-rearranged leukaemia (Interfant-99).</ArticleTitle>
      <Pagination><MedlinePgn>2246-56</MedlinePgn></Pagination>
      <ELocationID EIdType="doi" ValidYN="Y">10.1016/S0140-6736(07)61126-X</ELocationID>
      <Abstract>
        <AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">Infants have a poor outcome.</AbstractText>
        <AbstractText Label="METHODS" NlmCategory="METHODS">We treated 482 infants.</AbstractText>
        <AbstractText Label="FINDINGS" NlmCategory="RESULTS">Event-free survival was 47%.</AbstractText>
      </Abstract>
      <AuthorList CompleteYN="Y">
        <Author ValidYN="Y">
          <LastName>Pieters</LastName><ForeName>Rob</ForeName><Initials>R</Initials>
          <Identifier Source="ORCID">https://orcid.org/0000-0002-1825-0097</Identifier>
          <AffiliationInfo><Affiliation>Erasmus MC-Sophia Children's Hospital, Rotterdam.</Affiliation></AffiliationInfo>
          <AffiliationInfo><Affiliation>Princess Maxima Center, Utrecht.</Affiliation></AffiliationInfo>
        </Author>
        <Author ValidYN="N"><LastName>Pieterss</LastName><Initials>R</Initials></Author>
        <Author ValidYN="Y"><LastName>Schrappe</LastName><Initials>M</Initials></Author>
        <Author ValidYN="Y"><CollectiveName>Interfant-99 Study Group</CollectiveName></Author>
      </AuthorList>
      <Language>eng</Language>
      <PublicationTypeList>
        <PublicationType UI="D016428">Journal Article</PublicationType>
        <PublicationType UI="D002363">Case Reports</PublicationType>
      </PublicationTypeList>
    </Article>
    <MedlineJournalInfo><MedlineTA>Lancet</MedlineTA><ISSNLinking>0140-6736</ISSNLinking></MedlineJournalInfo>
    <MeshHeadingList>
      <MeshHeading><DescriptorName MajorTopicYN="Y">Infant</DescriptorName></MeshHeading>
      <MeshHeading>
        <DescriptorName MajorTopicYN="N">Precursor Cell Lymphoblastic Leukemia-Lymphoma</DescriptorName>
        <QualifierName MajorTopicYN="Y">drug therapy</QualifierName>
        <QualifierName MajorTopicYN="N">genetics</QualifierName>
      </MeshHeading>
    </MeshHeadingList>
    <KeywordList Owner="NOTNLM"><Keyword MajorTopicYN="N">infant ALL</Keyword><Keyword>MLL</Keyword></KeywordList>
  </MedlineCitation>
  <PubmedData>
    <ArticleIdList>
      <ArticleId IdType="pubmed">17658395</ArticleId>
      <ArticleId IdType="pmc">PMC1234567</ArticleId>
    </ArticleIdList>
    <ReferenceList>
      <Reference><Citation>Cited work.</Citation>
        <ArticleIdList><ArticleId IdType="doi">10.9999/not-this-one</ArticleId></ArticleIdList>
      </Reference>
    </ReferenceList>
  </PubmedData>
</PubmedArticle>
<PubmedArticle>
  <MedlineCitation Status="In-Data-Review" Owner="NLM">
    <PMID Version="1">25523971</PMID>
    <Article PubModel="Electronic">
      <Journal><JournalIssue><Volume>19</Volume><PubDate><Year>2014</Year><Month>12</Month><Day>11</Day></PubDate></JournalIssue>
        <Title>Euro surveillance</Title><ISOAbbreviation>Euro Surveill</ISOAbbreviation></Journal>
      <ArticleTitle></ArticleTitle>
      <ELocationID EIdType="pii" ValidYN="Y">e20984</ELocationID>
      <AuthorList><Author><LastName>Feng</LastName><Initials>LZ</Initials></Author></AuthorList>
    </Article>
  </MedlineCitation>
</PubmedArticle>
</PubmedArticleSet>
"""

CHAPTER = """\
<?xml version="1.0" ?>
<PubmedArticleSet>
<PubmedBookArticle>
  <BookDocument>
    <PMID Version="1">20301426</PMID>
    <ArticleIdList><ArticleId IdType="bookaccession">NBK1116</ArticleId></ArticleIdList>
    <Book>
      <Publisher><PublisherName>University of Washington, Seattle</PublisherName><PublisherLocation>Seattle (WA)</PublisherLocation></Publisher>
      <BookTitle book="gene">GeneReviews</BookTitle>
      <PubDate><Year>1993</Year></PubDate>
      <AuthorList Type="editors"><Author><LastName>Adam</LastName><ForeName>Margaret P</ForeName></Author></AuthorList>
      <Isbn>0000000000</Isbn>
    </Book>
    <ArticleTitle book="gene" part="all">Acute Lymphoblastic Leukemia Overview</ArticleTitle>
    <Pagination><MedlinePgn>1-20</MedlinePgn></Pagination>
    <AuthorList Type="authors"><Author><LastName>Smith</LastName><ForeName>Jane</ForeName></Author></AuthorList>
    <PublicationType UI="D016454">Review</PublicationType>
  </BookDocument>
  <PubmedBookData><ArticleIdList><ArticleId IdType="pubmed">20301426</ArticleId></ArticleIdList></PubmedBookData>
</PubmedBookArticle>
</PubmedArticleSet>
"""


def parse(text: str):
    return parse_structured(text, "pubmed-xml")


def entrez_records(path: Path) -> list[dict]:
    """Bio.Entrez's reading of a file: PubMed DTDs ship with Biopython, so nothing is fetched."""
    data = path.read_bytes()
    if not data.startswith(b"<?xml"):
        # JabRef's book sample is a bare PubmedBookArticle; Bio.Entrez needs a declaration and a DTD.
        head = (
            (SHARED / "samples" / "pubmed-xml" / "pubmed1.xml").read_bytes().split(b"<PubmedArticleSet>")[0]
        )
        data = head + b"<PubmedArticleSet>" + data + b"</PubmedArticleSet>"
    result = Entrez.read(io.BytesIO(data), validate=False)
    return [*result["PubmedArticle"], *result["PubmedBookArticle"]]


def test_reads_every_field_of_an_article():
    ref = parse(ARTICLE).references[0]
    assert ref.pmid == "17658395"
    assert ref.pmcid == "PMC1234567"
    assert ref.doi == "10.1016/s0140-6736(07)61126-x"
    assert ref.title == "A treatment protocol for infants with MLL-rearranged leukaemia (Interfant-99)"
    assert ref.container_title == "Lancet"
    assert ref.journal_abbrev == "Lancet"
    assert ref.issns == ["1474-547X", "0140-6736"]
    assert (ref.volume, ref.issue) == ("370", "9583")
    assert (ref.page_first, ref.page_last) == ("2246", "2256")
    assert (ref.year, ref.date) == (2007, "2007-07")
    assert ref.language == "eng"
    assert ref.keywords == ["infant ALL", "MLL"]
    assert ref.publication_types == ["Journal Article", "Case Reports"]
    assert ref.work_type == CASE_REPORT
    assert ref.line == 4
    assert ref.problems == []


def test_authors_in_order_with_orcid_first_affiliation_and_collective_names():
    authors = parse(ARTICLE).references[0].authors
    assert authors == [
        Name(
            "Pieters",
            "Rob",
            orcid="0000-0002-1825-0097",
            affiliation="Erasmus MC-Sophia Children's Hospital, Rotterdam.",
        ),
        Name("Schrappe", "M."),
        Name("Interfant-99 Study Group", collective=True),
    ]


def test_a_structured_abstract_keeps_its_section_labels():
    assert parse(ARTICLE).references[0].abstract == (
        "BACKGROUND: Infants have a poor outcome. METHODS: We treated 482 infants. "
        "FINDINGS: Event-free survival was 47%."
    )


def test_mesh_headings_are_written_medline_style_with_major_topics_starred():
    assert parse(ARTICLE).references[0].mesh == [
        "*Infant",
        "Precursor Cell Lymphoblastic Leukemia-Lymphoma/*drug therapy/genetics",
    ]


def test_raw_is_the_one_line_rendering():
    ref = parse(ARTICLE).references[0]
    assert ref.raw == render_reference(ref)
    assert ref.raw.startswith("Pieters R, Schrappe M, Interfant-99 Study Group. A treatment protocol")


def test_a_record_without_a_title_is_kept_with_a_problem_and_its_e_locator():
    ref = parse(ARTICLE).references[1]
    assert ref.problems == [Problem("entry has no title", line=ref.line, entry="PMID 25523971")]
    assert ref.elocator == "e20984"
    assert (ref.year, ref.date) == (2014, "2014-12-11")
    assert ref.authors == [Name("Feng", "L.Z.")]
    assert ref.doi == ""


def test_a_book_chapter_from_the_bookshelf():
    ref = parse(CHAPTER).references[0]
    assert ref.work_type == BOOK_CHAPTER
    assert ref.title == "Acute Lymphoblastic Leukemia Overview"
    assert ref.container_title == "GeneReviews"
    assert ref.authors == [Name("Smith", "Jane")]
    assert ref.editors == [Name("Adam", "Margaret P")]
    assert (ref.publisher, ref.location, ref.year) == (
        "University of Washington, Seattle",
        "Seattle (WA)",
        1993,
    )
    assert (ref.page_first, ref.page_last) == ("1", "20")
    assert ref.isbns == ["0000000000"]
    assert ref.publication_types == ["Review"]
    assert ref.raw.startswith(
        "Smith J. Acute Lymphoblastic Leukemia Overview. In: Adam MP, editor. GeneReviews."
    )


def test_a_whole_book_with_a_collective_author():
    ref = parse(BOOK_SAMPLE.read_text(encoding="utf-8")).references[0]
    assert ref.work_type == BOOK
    assert ref.title.startswith("Rheumatoid Arthritis: National Clinical Guideline")
    assert ref.authors[0] == Name(
        "National Collaborating Centre for Chronic Conditions (UK)", collective=True
    )
    assert ref.authors[1].affiliation.startswith("Division of Infectious Disease")
    assert ref.isbns == ["9781860163593"]
    assert (ref.year, ref.date, ref.pmid) == (2009, "2009-02", "21413195")
    assert ref.publication_types == ["Review", "Practice Guideline"]


def test_publication_types_give_the_work_type():
    review, article = parse((SHARED / "samples" / "pubmed-xml" / "pubmed1.xml").read_text()).references
    assert (review.publication_types, review.work_type) == (["Journal Article", "Review"], REVIEW)
    assert review.mesh[:2] == ["AIDS Serodiagnosis", "*Acquired Immunodeficiency Syndrome"]
    assert article.mesh[1] == "Chromatium/*enzymology"
    assert (article.year, article.date) == (1976, "1976-09-28")


def test_inline_markup_and_mathml_stay_as_text():
    pubmed6, pubmed7 = (parse(path.read_text(encoding="utf-8")).references[0] for path in SAMPLES[-2:])
    assert pubmed6.title.startswith('A "Blood Relationship" Between the Overlooked Minimum Lactate')
    assert "(LEmin)" in pubmed6.abstract
    assert "<" not in pubmed7.abstract and "  " not in pubmed7.abstract
    assert pubmed7.authors[1].orcid == "0000-0002-4590-7461"
    assert pubmed7.authors[-1] == Name("Canadian Respiratory Research Network", collective=True)


def test_a_pubmed_xml_list_is_detected():
    parsed = parse_reference_list(ARTICLE)
    assert parsed.format == "pubmed-xml"
    assert [ref.pmid for ref in parsed.references] == ["17658395", "25523971"]


def test_entities_are_not_expanded_and_nothing_is_fetched():
    doctype = (
        '<!DOCTYPE PubmedArticleSet [<!ENTITY secret SYSTEM "file:///etc/passwd">'
        '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    )
    body = ARTICLE.split("\n", 2)[2]  # without the declaration and the public DOCTYPE
    hostile = f'<?xml version="1.0"?>\n{doctype}\n{body}'.replace(
        "<MedlineTA>Lancet<", "<MedlineTA>&secret;&d;<"
    )
    started = time.perf_counter()
    ref = parse(hostile).references[0]
    assert time.perf_counter() - started < 2
    assert "root:" not in ref.raw and "aaaaaaaaaa" not in ref.raw
    assert ref.title.startswith("A treatment protocol")


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
def test_sample_files_agree_with_bio_entrez(path):
    expected = entrez_records(path)
    parsed = parse_reference_list(path.read_text(encoding="utf-8"))
    assert parsed.format == "pubmed-xml"
    assert len(parsed.references) == len(expected)
    for ref, record in zip(parsed.references, expected, strict=True):
        assert ref.problems == []
        fields = _entrez_fields(record)
        assert ref.pmid == fields["pmid"]
        assert ref.title == fields["title"]
        first = ref.authors[0]
        assert (first.family, first.collective) == (fields["first_author"], fields["collective"])
        assert ref.year == fields["year"]
        assert ref.container_title == fields["journal"]
        assert ref.volume == fields["volume"]
        assert ref.page_first == fields["pages"].split("-")[0]
        assert ref.page_last.endswith(fields["pages"].partition("-")[2])
        assert ref.doi == fields["doi"]
        assert ref.pmcid == fields["pmcid"]
        assert bool(ref.abstract) == fields["abstract"]
        assert len(ref.mesh) == fields["mesh"]
        assert ref.publication_types == fields["publication_types"]


def _entrez_fields(record: dict) -> dict:
    if "BookDocument" in record:
        return _entrez_book(record)
    citation, data = record["MedlineCitation"], record["PubmedData"]
    article = citation["Article"]
    issue = article["Journal"]["JournalIssue"]
    author = article["AuthorList"][0]
    ids = {str(item.attributes["IdType"]): str(item) for item in data["ArticleIdList"]}
    return {
        "pmid": str(citation["PMID"]),
        "title": _plain(article["ArticleTitle"]),
        "first_author": str(author.get("LastName") or author.get("CollectiveName")),
        "collective": "CollectiveName" in author,
        "year": int(str(issue["PubDate"].get("Year") or issue["PubDate"]["MedlineDate"])[:4]),
        "journal": str(citation["MedlineJournalInfo"]["MedlineTA"]),
        "volume": str(issue.get("Volume", "")),
        "pages": str(article.get("Pagination", {}).get("MedlinePgn", "")),
        "doi": ids.get("doi", "").lower(),
        "pmcid": ids.get("pmc", ""),
        "abstract": bool(article.get("Abstract", {}).get("AbstractText")),
        "mesh": len(citation.get("MeshHeadingList", [])),
        "publication_types": [str(value) for value in article["PublicationTypeList"]],
    }


def _entrez_book(record: dict) -> dict:
    document = record["BookDocument"]
    book = document["Book"]
    author = (book["AuthorList"] or document["AuthorList"])[0][0]
    ids = {str(item.attributes["IdType"]): str(item) for item in record["PubmedBookData"]["ArticleIdList"]}
    return {
        "pmid": str(document["PMID"]),
        "title": _plain(document.get("ArticleTitle") or book["BookTitle"]),
        "first_author": str(author.get("LastName") or author.get("CollectiveName")),
        "collective": "CollectiveName" in author,
        "year": int(str(book["PubDate"]["Year"])),
        "journal": "",
        "volume": "",
        "pages": "",
        "doi": ids.get("doi", "").lower(),
        "pmcid": ids.get("pmc", ""),
        "abstract": bool(document.get("Abstract", {}).get("AbstractText")),
        "mesh": 0,
        "publication_types": [str(value) for value in document["PublicationType"]],
    }


def _plain(value: str) -> str:
    """Bio.Entrez keeps inline markup (<i>) in titles; ours is the text without it and the closing period."""
    return " ".join(_TAG_RE.sub("", str(value)).split()).removesuffix(".")


def test_a_large_file_is_read_quickly():
    text = (SHARED / "samples" / "pubmed-xml" / "pubmed2.xml").read_text(encoding="utf-8")
    head, _, rest = text.partition("<PubmedArticle>")
    body = "<PubmedArticle>" + rest.rpartition("</PubmedArticleSet>")[0]
    big = head + body * 1000 + "</PubmedArticleSet>\n"  # 2,000 records, 11 MB
    started = time.perf_counter()
    parsed = parse(big)
    assert len(parsed.references) == 2000
    assert time.perf_counter() - started < 20  # about 0.5 s on one idle core; generous for a loaded machine
