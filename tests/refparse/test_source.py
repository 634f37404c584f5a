"""Large UTF-8 exports are read a slice at a time from their bytes, and come to what the whole text gives."""

from dataclasses import asdict
from itertools import pairwise

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from references.refparse.formats.medline import iter_medline
from references.refparse.formats.pubmed_xml import iter_pubmed_xml
from references.refparse.formats.xmlrecords import _last_character
from references.refparse.records import Unreadable
from references.refparse.source import TextSource
from references.refparse.streaming import stream_records

SAMPLES = settings.SHARED_DIR / "samples"


@pytest.fixture(autouse=True)
def small_slices(monkeypatch):
    """Slices of 7 bytes: every line end, multi-byte character and tag falls across a slice somewhere."""
    monkeypatch.setattr("references.refparse.source.SLICE", 7)


def test_slices_give_the_text_with_unix_line_ends_whatever_the_cuts():
    text = "PMID- 1\r\nTI  - Leucémie aiguë ≥ 1 an\r\nAB  - 🧬 line\rnext\n"
    data = "\ufeff".encode() + text.encode("utf-8")
    source = TextSource.of(data)
    assert "".join(source.slices()) == text.replace("\r\n", "\n").replace("\r", "\n")
    assert source.text() == "".join(source.slices())
    assert source.head(10) == "PMID- 1\nT"  # ten characters of the bytes: "\r\n" is two
    assert source.count("\nTI  -") == 1 and source.startswith("PMID-")


def test_bytes_that_are_not_utf8_throughout_are_not_a_source():
    assert TextSource.of("PMID- 1\nTI  - Leucémie\n".encode("cp1252")) is None
    assert TextSource.of(b"PMID- 1\n" + "é".encode()[:1]) is None  # cut inside a character at the end


@pytest.mark.parametrize(
    ("folder", "read"), [("medline", iter_medline), ("pubmed-xml", iter_pubmed_xml)], ids=("medline", "xml")
)
def test_a_source_reads_as_the_whole_text_does(folder, read):
    for path in sorted((SAMPLES / folder).iterdir()):
        data = path.read_bytes()
        whole = [asdict(ref) for ref in read(data.decode("utf-8-sig").replace("\r\n", "\n"))]
        assert [asdict(ref) for ref in read(TextSource.of(data))] == whole, path.name
        assert whole


def test_a_cut_xml_source_is_refused_with_the_same_sentence_as_its_text():
    data = (SAMPLES / "pubmed-xml" / "pubmed2.xml").read_bytes()
    cut = data[: data.index(b"</PubmedArticle>") + 40]
    with pytest.raises(Unreadable) as from_text:
        list(iter_pubmed_xml(cut.decode()))
    with pytest.raises(Unreadable) as from_source:
        list(iter_pubmed_xml(TextSource.of(cut)))
    assert str(from_source.value) == str(from_text.value) and "cut short" in str(from_text.value)


class _NeverWhole(TextSource):
    def text(self) -> str:
        raise AssertionError("the whole text was read")


def test_a_cut_xml_source_is_refused_without_reading_it_whole(monkeypatch):
    monkeypatch.setattr("references.refparse.source.SLICE", 7)  # lines and characters split across slices
    data = (SAMPLES / "pubmed-xml" / "pubmed2.xml").read_bytes()
    cut = data[: data.index(b"</PubmedArticle>") + 40]
    with pytest.raises(Unreadable) as from_text:
        list(iter_pubmed_xml(cut.decode()))
    with pytest.raises(Unreadable) as from_source:
        list(iter_pubmed_xml(_NeverWhole(cut)))
    assert str(from_source.value) == str(from_text.value)


@given(st.text(alphabet="ab é≥\n\t", max_size=40), st.lists(st.integers(0, 40), max_size=4))
def test_the_last_character_is_found_a_slice_at_a_time_as_in_the_whole_text(text, cuts):
    bounds = [0, *sorted(min(cut, len(text)) for cut in cuts), len(text)]
    pieces = [text[start:end] for start, end in pairwise(bounds)]
    body = text.rstrip()
    whole = (body.count("\n") + 1, len(body.rpartition("\n")[2].encode())) if body else (1, 0)
    assert _last_character(pieces) == whole


def test_a_source_that_does_not_start_as_a_streamed_format_is_read_whole():
    data = (SAMPLES / "ris" / "example_full.ris").read_bytes()
    stream = stream_records(TextSource.of(data))
    assert stream.format == "ris" and len(list(stream.references)) == stream.expected > 0
    named = stream_records(
        TextSource.of((SAMPLES / "medline" / "pubmed_result2.txt").read_bytes()), format="medline"
    )
    assert named.format == "medline" and len(list(named.references)) == named.expected == 4


@pytest.mark.parametrize("on_disk", [False, True], ids=("bytes", "path"))
def test_a_file_on_disk_reads_as_its_bytes_do(tmp_path, on_disk):
    text = "PMID- 1\r\nTI  - Leucémie aiguë ≥ 1 an\r\nPMID- 2\nTI  - 🧬\n"
    data = "\ufeff".encode() + text.encode("utf-8")
    path = tmp_path / "export.nbib"
    path.write_bytes(data)
    source = TextSource.of(path if on_disk else data)
    assert "".join(source.slices()) == source.text() == text.replace("\r\n", "\n")
    assert source.startswith("PMID- 1") and not source.startswith("\ufeff")
    # Every occurrence falls across a cut of 7-byte slices somewhere; each counts once.
    assert source.count("\nPMID-") == 1 and source.count("TI  - ") == 2 and source.count("é") == 1
    with source.utf8() as stream:
        assert stream.read() == text.encode("utf-8")


def test_a_file_holding_a_nul_anywhere_is_not_a_source(tmp_path):
    path = tmp_path / "export.nbib"
    path.write_bytes(b"PMID- 1\n" * 20 + b"\x00" + b"TI  - x\n")
    assert TextSource.of(path) is None
