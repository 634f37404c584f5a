"""The same pages saved as HTML give the same records; meta tags fill and win; page text stays text."""

import dataclasses

import pytest

from references.importers import decode_page, parse_page

from .conftest import parse_bytes
from .pages import as_html

SEEDS = ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("prefix", SEEDS)
def test_html_page_gives_the_same_record_as_its_text(seed_bytes, prefix):
    text = seed_bytes(prefix).decode("utf-8")
    from_text = parse_bytes(text.encode("utf-8"))
    page = decode_page(as_html(text).encode("utf-8"))
    assert page.file_format == "html"
    from_html = parse_page(page)
    for field in dataclasses.fields(from_text):
        assert getattr(from_html, field.name) == getattr(from_text, field.name), field.name


def test_catalogue_record_as_a_details_table(seed_record):
    markup = """<!DOCTYPE html><html><head><title>Blinatumomab ... :: Library Catalogue</title>
    <script>var recordId = "doaj-1234";</script></head><body>
    <nav><a href="/">Search</a></nav>
    <h1 property="name">Blinatumomab as a Curative Therapy Option for Relapsed/Refractory Infant Acute
      Lymphoblastic Leukemia Post-Hematopoietic Stem Cell Transplantation - Case Report</h1>
    <div class="summary">Acute lymphoblastic leukemia (ALL) is the most common type of cancer in children,
      with a particularly poor prognosis in infants under one year of age. Hematopoietic stem cell
      transplantation (HSCT) is an effective therapy for relapsed or refractory ALL; however, relapse after
      HSCT remains a signific... <a href="#">Full description</a></div>
    <div class="savedLists"><strong>Saved in:</strong></div>
    <table class="table table-striped">
      <caption>Bibliographic Details</caption>
      <tr><th>Main Authors:</th><td><a>Suleimen Zhumatayev</a> (Author), <a>Koray Yalcin</a> (Author),
        <a>Safiye Suna Celen</a> (Author), <a>Vedat Uygun</a> (Author), <a>Gulsun Karasu</a> (Author),
        <a>Mehmet Akif Yesilipek</a> (Author)</td></tr>
      <tr><th>Format:</th><td>Book</td></tr>
      <tr><th>Published:</th><td>The Korean Society of Pediatric Hematology-Oncology, 2024-04-01T00:00:00Z.
      </td></tr>
      <tr><th>Subjects:</th><td></td></tr>
    </table>
    <div class="tab-content"><table>
      <tr><th>Summary:</th><td>SUMMARY</td></tr>
      <tr><th>Item Description:</th><td>2233-5250<br>10.15264/cpho.2024.31.1.10</td></tr>
    </table></div>
    </body></html>"""
    expected = seed_record("003")
    record = parse_bytes(markup.replace("SUMMARY", expected.abstract).encode("utf-8"))
    assert record.page_kind == "library-catalogue"
    assert record.title == expected.title
    assert record.authors == expected.authors
    assert (record.doi, record.issns, record.year) == (expected.doi, expected.issns, expected.year)
    assert record.publisher == expected.publisher
    assert record.abstract == expected.abstract
    assert record.work_type == "case-report"


HIGHWIRE_PAGE = """<!DOCTYPE html>
<html><head>
<title>Some publisher | Article</title>
<meta name="citation_title" content="Menin inhibition in infant KMT2A-rearranged leukemia">
<meta name="citation_author" content="Smith, Jane A.">
<meta name="citation_author" content="Rossi, Marco">
<meta name="citation_journal_title" content="Journal of Infant Leukemia">
<meta name="citation_publication_date" content="2023/05/17">
<meta name="citation_volume" content="7">
<meta name="citation_issue" content="3">
<meta name="citation_firstpage" content="101">
<meta name="citation_lastpage" content="109">
<meta name="citation_doi" content="10.5555/JIL.2023.0042">
<meta name="citation_issn" content="1234-5679">
<meta name="citation_publisher" content="Example Press">
<meta name="citation_keywords" content="menin; KMT2A; infant ALL">
<script>var doi = "10.9999/tracking";</script>
</head><body>
<h1>A different heading printed on the page</h1>
<p>Posted in research news. See also doi:10.1000/other-article.</p>
<h2>Abstract</h2>
<p>Menin inhibitors target the KMT2A complex. We report outcomes in infants.</p>
</body></html>"""


def test_highwire_meta_tags_fill_a_generic_page_and_win():
    record = parse_bytes(HIGHWIRE_PAGE.encode("utf-8"))
    assert record.page_kind == "generic"
    assert record.title == "Menin inhibition in infant KMT2A-rearranged leukemia"
    assert record.doi == "10.5555/jil.2023.0042"
    assert [(a.family, a.given) for a in record.authors] == [("Smith", "Jane A."), ("Rossi", "Marco")]
    assert record.container_title == "Journal of Infant Leukemia"
    assert (record.year, record.volume, record.issue, record.pages) == (2023, "7", "3", "101-109")
    assert record.issns == ["1234-5679"]
    assert record.publisher == "Example Press"
    assert record.keywords == ["menin", "KMT2A", "infant ALL"]
    assert record.abstract == "Menin inhibitors target the KMT2A complex. We report outcomes in infants."


def test_meta_doi_and_title_win_over_the_text_of_a_known_layout(seed_text):
    meta = (
        '<meta name="citation_doi" content="https://doi.org/10.1007/978-3-030-85147-7_6">\n'
        '<meta name="citation_title" content="Infant ALL (chapter title from meta)">\n'
        '<meta name="citation_isbn" content="978-0-00-000000-2">\n'
    )
    record = parse_bytes(as_html(seed_text("000"), meta=meta).encode("utf-8"))
    assert record.page_kind == "springer-chapter"
    assert record.title == "Infant ALL (chapter title from meta)"
    assert record.doi == "10.1007/978-3-030-85147-7_6"
    # The text printed ISBNs: meta tags only fill gaps.
    assert record.isbns == ["978-3-030-85146-0", "978-3-030-85147-7"]


def test_escaped_script_text_in_an_abstract_stays_verbatim():
    markup = (
        "<html><body><h1>Cross-site scripting in a curation abstract field</h1><h2>Abstract</h2>"
        "<p>We printed &lt;script&gt;alert(1)&lt;/script&gt; in the abstract on purpose.</p>"
        "<p>doi: 10.5555/xss.1</p></body></html>"
    )
    record = parse_bytes(markup.encode("utf-8"))
    assert record.abstract == "We printed <script>alert(1)</script> in the abstract on purpose."


def test_real_script_element_inside_the_abstract_is_dropped():
    markup = (
        "<html><body><h1>Scripts inside the abstract container of a page</h1>"
        '<section class="abstract"><h2>Abstract</h2><p>First half of the abstract '
        "<script>document.write('injected words');</script>and the second half.</p>"
        "<style>.abstract { color: red; }</style></section>"
        "<p>doi: 10.5555/xss.2</p></body></html>"
    )
    record = parse_bytes(markup.encode("utf-8"))
    assert record.abstract == "First half of the abstract and the second half."


def test_list_items_keep_their_content_on_one_line():
    markup = (
        "<html><body><h1>A page with a numbered reference list</h1><h2>Abstract</h2><p>Short abstract.</p>"
        "<h2>References</h2><ol><li><p>Smith J. A study of things.</p><p>Blood. 2020;1:2-3.</p>"
        '<p class="links"><a>Article</a> <a>PubMed</a> <a>Google Scholar</a></p></li>'
        '<li data-counter="2.">Jones K. Another study. doi:10.5555/REF.2</li></ol></body></html>'
    )
    record = parse_bytes(markup.encode("utf-8"))
    assert record.abstract == "Short abstract."
    assert [(r.label, r.raw, r.doi) for r in record.references] == [
        ("1", "Smith J. A study of things. Blood. 2020;1:2-3.", ""),
        ("2", "Jones K. Another study. doi:10.5555/REF.2", "10.5555/ref.2"),
    ]
