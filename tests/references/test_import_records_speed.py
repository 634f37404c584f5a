"""What the faster record import must keep: the same matches from fewer loaded works, the same records from
the faster readers."""

import pytest

from references.models import Work
from references.people import Name
from references.pipeline.dedup import library_for, record_keys
from references.refparse.formats.medline import parse_medline
from references.refparse.formats.xmlrecords import _Utf8Reader
from references.refparse.records import ParsedReference

TITLE = "Outcome of infants younger than one year with acute lymphoblastic leukaemia"


def reference(title: str) -> ParsedReference:
    return ParsedReference(raw="", title=title, year=2007, authors=[Name(family="Pieters", given="Rob")])


def work(title: str) -> Work:
    created = Work.objects.create(title=title, year=2007)
    created.refresh_match_keys("Pieters")
    created.save()
    return created


@pytest.mark.django_db
def test_an_author_block_loads_only_titles_long_enough_to_match_and_still_matches_a_changed_start():
    changed_start = work("Outcomes in infants younger than one year with acute lymphoblastic leukaemia")
    far_longer = work(TITLE + " treated on the Interfant-99 protocol: a randomised trial in 22 countries")
    ref = reference(TITLE)
    seen = library_for([ref])
    loaded = {entry[1] for block in seen.blocks.values() for entry in block}
    assert changed_start.pk in loaded and far_longer.pk not in loaded
    match, possible = seen.find({"doi": "", "pmid": "", "pmcid": ""}, record_keys(ref))
    assert match is None and [(m.work_id, m.method) for m in possible] == [(changed_start.pk, "title")]


@pytest.mark.parametrize("size", [1, 7, 4096, -1])
def test_the_xml_reader_gives_the_text_as_utf8_whatever_the_read_size(size):
    text = "<a>Ünïcode — 白血病 " * 70_000 + "</a>"  # more than one slice, characters of 1 to 3 bytes
    reader, pieces = _Utf8Reader(text), []
    while chunk := reader.read(size if size > 0 else -1):
        assert size < 0 or len(chunk) <= size
        pieces.append(chunk)
        if size == 1 and len(pieces) > 5000:
            break
    joined = b"".join(pieces)
    assert text.encode("utf-8").startswith(joined) and (size == 1 or joined == text.encode("utf-8"))


def test_medline_tags_of_every_padding_read_alike():
    text = (
        "PMID- 1\nTI  - One\n      two\nAU  - Pieters R\nLID - 10.1016/x [doi]\nAB -  Short\nAB-C- no tag\n"
    )
    [ref] = parse_medline(text).references
    assert (ref.pmid, ref.title, ref.doi) == ("1", "One two", "10.1016/x")
    assert ref.abstract == "Short" and [a.family for a in ref.authors] == ["Pieters"]


@pytest.mark.django_db
def test_a_record_without_authors_finds_works_of_its_year_and_title_start_and_by_identifiers():
    changed_end = Work.objects.create(title=TITLE + " treated on Interfant-99", year=2007)
    other_year = Work.objects.create(title=TITLE + " treated on Interfant-99", year=2008)
    by_pmcid = Work.objects.create(title="Something else entirely", year=1999, pmcid="PMC123")
    for created in (changed_end, other_year, by_pmcid):
        created.refresh_match_keys("")
        created.save()
    ref = ParsedReference(raw="", title=TITLE + " treated on Interfant 99", year=2007, pmcid="pmc123")
    seen = library_for([ref])
    loaded = {entry[1] for block in seen.blocks.values() for entry in block}
    assert changed_end.pk in loaded and other_year.pk not in loaded
    match, _ = seen.find({"doi": "", "pmid": "", "pmcid": "PMC123"}, record_keys(ref))
    assert (match.work_id, match.method) == (by_pmcid.pk, "pmcid")


def test_folding_ascii_and_other_text_alike():
    from references.matching import fold, title_key

    assert fold("Leukaemia IN Infants") == "leukaemia in infants"
    assert title_key("Straße: Łódź ﬁndings — Leukaemia") == "strasse lodz findings leukemia"


@pytest.mark.django_db
def test_a_file_on_disk_is_refused_or_read_as_its_bytes_are(tmp_path):
    from references.pipeline.records import RecordsRefused, plan_records

    record = "PMID- 1\nTI  - Outcome of infants\nDP  - 2007\nAU  - Pieters R\n\n"
    late_nul = tmp_path / "late-nul.nbib"
    late_nul.write_bytes((record * 2000).encode() + b"\x00")  # beyond the start that is checked
    blank_start = tmp_path / "blank-start.nbib"
    blank_start.write_bytes(b"\n" * 100_000 + record.encode())
    empty = tmp_path / "empty.nbib"
    empty.write_bytes(b" \n")
    with pytest.raises(RecordsRefused, match="binary"):
        plan_records(late_nul, file_name=late_nul.name)
    with pytest.raises(RecordsRefused, match="empty"):
        plan_records(empty, file_name=empty.name)
    plan = plan_records(blank_start, file_name=blank_start.name)
    assert (plan.format, plan.decided) == ("medline", 1)
    assert plan.sha256 == plan_records(blank_start.read_bytes(), file_name="x").sha256
