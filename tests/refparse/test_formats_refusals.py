"""Content no reader takes is refused with a sentence saying what it looks like, and nothing is parsed."""

import gzip
import io
import random
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from references.importers import PageRejected, decode_page
from references.refparse import Unreadable, parse_reference_list
from references.refparse.formats import FORMATS, detect_format

SAMPLES = Path(settings.SHARED_DIR) / "samples"
PUBMED = (SAMPLES / "pubmed-xml" / "pubmed2.xml").read_text(encoding="utf-8")
PUBMED7 = (Path(settings.SHARED_DIR) / "fixtures" / "ncbi" / "pubmed7.xml").read_text(encoding="utf-8")
ENDNOTE = (SAMPLES / "endnote" / "EndnoteXmlImporterTestArticle.xml").read_text(encoding="utf-8")
RSS = """\
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Blood: current issue</title>
<item><title>Outcome of infants with ALL</title><link>https://example.org/1</link></item>
</channel></rss>
"""


def refusal(text: str, format: str | None = None) -> str:
    with pytest.raises(Unreadable) as refused:
        parse_reference_list(text, format=format)
    return str(refused.value)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (PUBMED[: len(PUBMED) // 2], 4),  # one-line records: the cut one starts on line 4
        (PUBMED7[: len(PUBMED7) // 2], 4),
        (PUBMED7[:-60], 4),
    ],
)
def test_pubmed_xml_cut_in_a_record_is_refused_with_the_line_of_that_record(text, line):
    assert refusal(text) == (
        f"This looks like PubMed XML that ends in the middle of a record (line {line}): the file is cut short."
    )


def test_pubmed_xml_without_its_closing_tag_is_refused():
    assert "the file is cut short" in refusal(PUBMED.replace("</PubmedArticleSet>", ""))


def test_endnote_xml_cut_short_is_refused():
    assert refusal(ENDNOTE[:2000]) == (
        "This looks like EndNote XML that ends in the middle of a record (line 4): the file is cut short."
    )


def test_broken_xml_in_the_middle_is_not_called_cut_short():
    message = refusal(PUBMED.replace("</Title>", "", 1))
    assert message.startswith("This looks like PubMed XML that is not well-formed at line 4")


def test_an_rss_feed_is_an_xml_file_no_reader_takes():
    assert refusal(RSS) == (
        "This looks like an XML file that is not PubMed XML or EndNote XML (its root element is <rss>)."
    )


def test_an_html_page_is_refused():
    page = (SAMPLES / "html" / "plos_one_article.html").read_text(encoding="utf-8")
    assert refusal(page).startswith("This looks like an HTML page, not a bibliographic file")


def test_a_named_xml_format_that_does_not_fit_is_refused():
    assert "root element is <rss>" in refusal(RSS, format="pubmed-xml")
    assert "root element is <PubmedArticleSet>" in refusal(PUBMED, format="endnote-xml")


def test_gzip_bytes_are_refused_when_decoded_and_before():
    data = gzip.compress(PUBMED.encode())
    assert refusal(data.decode("latin-1")) == "This looks like a gzip-compressed file; unpack it first."
    assert (
        refusal(data.decode("utf-8", errors="replace"))
        == "This looks like a gzip-compressed file; unpack it first."
    )
    with pytest.raises(PageRejected):  # the upload path refuses the bytes before any reader sees them
        decode_page(data)


def test_a_zip_archive_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("pubmed.xml", PUBMED)
    assert refusal(buffer.getvalue().decode("latin-1")).startswith("This looks like a ZIP archive")


@pytest.mark.parametrize("format", [None, "text", "ris", "pubmed-xml"])
def test_random_binary_is_refused_whatever_the_format(format):
    data = random.Random(13).randbytes(4000)
    assert refusal(data.decode("latin-1"), format=format).startswith("This looks like binary content")


def test_nul_characters_are_binary_content():
    assert refusal("TY  - JOUR\nTI  - A title\x00\x00\nER  - \n").startswith("This looks like binary content")


@pytest.mark.parametrize(
    "path",
    sorted(
        path
        for path in SAMPLES.rglob("*")
        if path.is_file() and path.parent.name != "html" and path.suffix != ".md"
    ),
    ids=lambda path: path.name,
)
def test_no_real_bibliographic_file_is_refused(path):
    assert detect_format(decode_page(path.read_bytes()).text) in (*FORMATS, "text")
