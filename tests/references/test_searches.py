"""The searches page, its PRISMA numbers and flow diagram, and the list's "Found by" facet, checked against
imports counted by hand: two small exports written here with known overlaps, and one sample as it is.

PubMed export (MEDLINE), 5 records: a1, a2, a3 (PMID only), a1 again (a duplicate within the file), a4.
Embase export (RIS), 6 records: a1 (by DOI: a work of the library), a3 (by PMID), b1, b2, b1 again (within
the file), and a2's title typed slightly differently with no identifier (a possible duplicate, new work).
The Biopython MEDLINE sample, 4 records, none shared.
"""

import importlib
import time
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from lxml import etree

from curation.models import Annotation, Finding
from references import prisma
from references.merging import merge_works
from references.models import DuplicateCandidate, IndexedWork, Search, SearchHit, Work
from references.search_counts import overall_flow, search_flows
from tests.helpers import member, signed_in

pytestmark = pytest.mark.django_db

SAMPLE = Path("/work/shared/samples/medline/pubmed_result2.txt")
SVG = "{http://www.w3.org/2000/svg}"
PAGE, DIAGRAM = reverse("references:search-list"), reverse("references:prisma-svg")


def medline(pmid: str, title: str, author: tuple[str, str], year: int, doi: str = "") -> str:
    family, given = author
    lines = [f"PMID- {pmid}", f"DP  - {year}", f"TI  - {title}", f"FAU - {family}, {given}"]
    lines += [f"AU  - {family} {given[0]}"] + ([f"AID - {doi} [doi]"] if doi else [])
    return "\n".join(lines) + "\n"


def ris(title: str, author: str, year: int, *, doi: str = "", pmid: str = "") -> str:
    lines = ["TY  - JOUR", f"TI  - {title}", f"AU  - {author}", f"PY  - {year}"]
    lines += ([f"DO  - {doi}"] if doi else []) + ([f"AN  - {pmid}"] if pmid else [])
    return "\n".join([*lines, "ER  - ", ""])


A1 = ("90000001", "KMT2A rearranged infant leukemia outcomes after chemotherapy", ("Smith", "John"), 2020)
A2 = ("90000002", "Beta blinatumomab in infants with acute lymphoblastic leukemia", ("Jones", "Kate"), 2021)
A3 = ("90000003", "Minimal residual disease in infant acute lymphoblastic leukemia", ("Brown", "Ann"), 2019)
A4 = ("90000004", "Venetoclax for relapsed KMT2A rearranged leukemia in infants", ("Green", "Bea"), 2022)


@pytest.fixture
def exports(tmp_path) -> dict[str, Path]:
    pubmed = tmp_path / "pubmed-infant-kmt2a.txt"
    pubmed.write_text(
        "\n".join(
            [
                medline(*A1, doi="10.9999/a1"),
                medline(*A2, doi="10.9999/a2"),
                medline(*A3),
                medline(*A1, doi="10.9999/a1"),
                medline(*A4, doi="10.9999/a4"),
            ]
        )
    )
    embase = tmp_path / "embase-infant-kmt2a.ris"
    embase.write_text(
        ris(A1[1], "Smith, John", 2020, doi="10.9999/A1")
        + ris(A3[1], "Brown, Ann", 2019, pmid=A3[0])
        + ris("CAR T cells for infants with relapsed leukemia", "White, Eve", 2023, doi="10.9999/b1")
        + ris("Inotuzumab in infant acute lymphoblastic leukemia", "Black, Tom", 2023, doi="10.9999/b2")
        + ris("CAR T cells for infants with relapsed leukemia", "White, Eve", 2023, doi="10.9999/b1")
        + ris(A2[1] + ": a cohort", "Jones, Kate", 2021)
    )
    return {"pubmed": pubmed, "embase": embase}


def import_all(exports: dict[str, Path]) -> dict[str, Search]:
    call_command(
        "import_records",
        str(exports["pubmed"]),
        search_label="PubMed: infant KMT2A",
        database="PubMed",
        query="infant AND KMT2A",
        run_on="2026-11-30",
        reported=5,
        stdout=StringIO(),
    )
    call_command(
        "import_records",
        str(exports["embase"]),
        search_label="Embase: infant KMT2A",
        database="Embase (Ovid)",
        stdout=StringIO(),
    )
    call_command(
        "import_records",
        str(SAMPLE),
        search_label="Biopython sample",
        database="PubMed",
        stdout=StringIO(),
    )
    return {search.label.split(":")[0]: search for search in Search.objects.all()} | {
        "sample": Search.objects.get(label="Biopython sample")
    }


@pytest.fixture
def searches(exports) -> dict[str, Search]:
    found = import_all(exports)
    tag(Work.objects.get(doi="10.9999/a1"))  # found by both PubMed and Embase
    tag(Work.objects.get(doi="10.1093/bioinformatics/btk021"))  # found by the sample
    return found


def tag(work: Work) -> None:
    Annotation.objects.create(work=work, finding=Finding.objects.first(), state=Annotation.State.ACCEPTED)


def flows_by_label() -> dict[str, prisma.SearchFlow]:
    return {flow.label: flow for _, flow in search_flows()}


def test_each_search_counts_what_its_export_held_and_what_became_of_it(searches):
    flows = flows_by_label()
    assert flows["PubMed: infant KMT2A"] == prisma.SearchFlow(
        label="PubMed: infant KMT2A",
        database="PubMed",
        reported=5,
        records=5,
        duplicates_in_file=1,
        duplicates_in_library=0,
        unreadable=0,
        added=4,
        works=4,
        tagged=1,
        pending=0,
    )
    assert flows["Embase: infant KMT2A"] == prisma.SearchFlow(
        label="Embase: infant KMT2A",
        database="Embase (Ovid)",
        reported=None,
        records=6,
        duplicates_in_file=1,
        duplicates_in_library=2,
        unreadable=0,
        added=3,  # b1, b2 and the retyped a2, which waits for a curator
        works=5,
        tagged=1,
        pending=1,
    )
    sample = flows["Biopython sample"]
    assert (sample.records, sample.duplicates, sample.screened, sample.works, sample.tagged) == (
        4,
        0,
        4,
        4,
        1,
    )
    for flow in flows.values():  # PRISMA's arithmetic: identified - removed = screened
        assert flow.records - flow.duplicates - flow.unreadable == flow.screened


def test_overall_sums_records_and_counts_each_work_once(searches):
    total = overall_flow([flow for _, flow in search_flows()])
    assert (total.searches, total.records, total.duplicates_in_file, total.duplicates_in_library) == (
        3,
        15,
        2,
        2,
    )
    assert total.screened == 11 == total.records - total.duplicates
    # a1 and a3 were found by two searches: 4 + 5 + 4 hits, 11 works
    assert SearchHit.objects.count() == 13
    assert (total.works, total.tagged, total.pending) == (11, 2, 1)
    assert total.databases == (
        prisma.DatabaseCount("PubMed", 9, None),  # the sample's search gave no reported count
        prisma.DatabaseCount("Embase (Ovid)", 6, None),
    )


def test_a_curators_merge_keeps_the_work_found_by_the_search_that_found_its_duplicate(
    searches, django_user_model
):
    pending = DuplicateCandidate.objects.get(state=DuplicateCandidate.State.PENDING)
    retyped, original = sorted(
        [pending.first, pending.second], key=lambda work: work.doi
    )  # retyped has no DOI
    merge_works(duplicate=retyped, target=original, user=None)
    pubmed, embase = searches["PubMed"], searches["Embase"]
    assert IndexedWork.objects.get(work=original).searches == sorted([pubmed.pk, embase.pk])
    assert flows_by_label()["Embase: infant KMT2A"].works == 5  # a2 is now the retyped record's work
    assert flows_by_label()["PubMed: infant KMT2A"].works == 4
    assert overall_flow([flow for _, flow in search_flows()]).works == 10


def test_the_found_by_facet_counts_and_selects_by_search(client, searches, django_user_model):
    signed_in(client, django_user_model)  # reading the library takes a role
    pubmed, embase, sample = searches["PubMed"], searches["Embase"], searches["sample"]
    page = client.get(reverse("references:work-list"), {"counts": "now"})  # the facets in the page
    facet = {
        v.value: (v.label, v.count)
        for name, _, values in page.context["facets"]
        if name == "search"
        for v in values
    }
    assert facet == {
        str(embase.pk): ("Embase: infant KMT2A", 5),
        str(pubmed.pk): ("PubMed: infant KMT2A", 4),
        str(sample.pk): ("Biopython sample", 4),
    }
    both = client.get(reverse("references:work-list") + f"?search={pubmed.pk}&search={embase.pk}")
    assert {work.doi for work in both.context["page"].object_list} == {"10.9999/a1", ""}
    assert b'id="facet-search"' in page.content and b"Found by" in page.content


def test_the_export_and_the_api_select_by_search_as_the_list_does(client, searches, django_user_model):
    signed_in(client, django_user_model)  # reading the library takes a role
    embase = searches["Embase"]
    response = client.get(reverse("references:export-bib") + f"?search={embase.pk}")
    bib = b"".join(response.streaming_content).decode()
    assert all(doi in bib.lower() for doi in ("10.9999/b1", "10.9999/b2", "10.9999/a1"))
    assert "10.9999/a4" not in bib.lower() and "10.1093/bioinformatics" not in bib
    api = client.get(reverse("api:work-list") + f"?search={embase.pk}").json()
    assert {item["id"] for item in api["results"]} == set(
        IndexedWork.objects.filter(searches__contains=[embase.pk]).values_list("work_id", flat=True)
    )
    assert api["count"] == 5
    assert client.get(reverse("api:work-list") + "?search=999999").status_code == 400


def test_the_page_shows_each_search_and_the_totals(client, searches, django_user_model):
    client.force_login(member(django_user_model, "reader", "researcher"))
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "PubMed: infant KMT2A" in html and "infant AND KMT2A" in html and "the database reported 5" in html
    assert f'src="{DIAGRAM}"' in html and f'href="{DIAGRAM}?download=1"' in html
    assert response.context["total"].records == 15


def test_the_diagram_is_well_formed_svg_carrying_the_numbers(client, searches, django_user_model):
    client.force_login(member(django_user_model, "reader", "researcher"))
    response = client.get(DIAGRAM)
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "Content-Disposition" not in response
    root = etree.fromstring(response.content)
    assert root.tag == f"{SVG}svg"
    text = " ".join(" ".join(node.itertext()) for node in root.iter(f"{SVG}text"))
    for expected in (
        "Records identified from databases (n = 15)",
        "PubMed: n = 9",
        "Embase (Ovid): n = 6",
        "Duplicate records (n = 4)",
        "within the same export (n = 2)",
        "already in the library (n = 2)",
        "Records screened (n = 11)",
        "Possible duplicates (n = 1)",
        "Works tagged so far (n = 2)",
        "of 11 distinct works",
    ):
        assert expected in text
    assert len(root.findall(f"{SVG}line")) == 4  # two arrows down, two across
    download = client.get(DIAGRAM + "?download=1")
    assert download["Content-Disposition"] == 'attachment; filename="prisma-flow-diagram.svg"'
    assert download.content == response.content


def test_labels_and_databases_are_text_in_the_diagram_whatever_they_hold():
    hostile = '<script>alert("x")</script> & ]]> \x00\x01\x1b\ufffe "quoted" ' + "é" * 500
    flow = prisma.SearchFlow(hostile, hostile, 3, 3, 0, 0, 0, 3, 3, 0, 0)
    started = time.monotonic()
    svg = prisma.flow_diagram(prisma.overall([flow] * 40, works=3, tagged=0, pending=0))
    assert time.monotonic() - started < 2
    root = etree.fromstring(svg.encode())
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))
    text = " ".join(" ".join(node.itertext()) for node in root.iter(f"{SVG}text"))
    assert '<script>alert("x")</script> &' in text
    assert "\x00" not in svg and "\x01" not in svg and "\ufffe" not in svg
    assert max(len(node.text or "") for node in root.iter(f"{SVG}text")) < 70  # wrapped, and cut


def test_many_databases_are_named_up_to_a_limit_and_the_rest_counted_together():
    flows = [
        prisma.SearchFlow(f"s{i}", f"Database {i:02}", None, 100 - i, 0, 0, 0, 100 - i, 0, 0, 0)
        for i in range(14)
    ]
    root = etree.fromstring(prisma.flow_diagram(prisma.overall(flows, works=0, tagged=0, pending=0)).encode())
    text = [node.text for node in root.iter(f"{SVG}text")]
    assert (
        "Database 00: n = 100" in text and "Database 09: n = 91" in text and "Database 10: n = 90" not in text
    )
    assert "4 other databases: n = 354" in text  # 90 + 89 + 88 + 87


def test_an_empty_library_has_a_page_and_a_diagram_of_zeros(client, django_user_model):
    client.force_login(member(django_user_model, "curator", "curator"))
    assert b"No search has been imported yet" in client.get(PAGE).content
    root = etree.fromstring(client.get(DIAGRAM).content)
    assert "Records identified from databases (n = 0)" in [node.text for node in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("group", ["researcher", "curator", "admin"])
def test_every_role_reads_the_searches(client, django_user_model, group):
    client.force_login(member(django_user_model, group, group))
    assert client.get(PAGE).status_code == 200
    assert client.get(DIAGRAM).status_code == 200
    assert f'href="{PAGE}"'.encode() in client.get(reverse("references:work-list")).content


def test_a_user_in_no_group_is_refused_and_sees_no_link(client, reader):
    client.force_login(reader)
    assert client.get(PAGE).status_code == 403
    assert client.get(DIAGRAM).status_code == 403
    assert f'href="{PAGE}"'.encode() not in client.get(reverse("references:work-list")).content


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    for url in (PAGE, DIAGRAM, DIAGRAM + "?download=1"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_pages_are_read_only(client, django_user_model):
    client.force_login(member(django_user_model, "chief", "admin"))
    assert client.post(PAGE).status_code == 405
    assert client.post(DIAGRAM).status_code == 405
    assert AnonymousUser().has_perm("references.view_search") is False


def test_the_migration_fills_the_found_by_column_of_works_indexed_before_it(searches):
    migration = importlib.import_module("references.migrations.0013_indexed_work_searches")
    expected = dict(IndexedWork.objects.values_list("work_id", "searches"))
    IndexedWork.objects.update(searches=[])
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL)
    assert dict(IndexedWork.objects.values_list("work_id", "searches")) == expected
    assert sum(len(ids) for ids in expected.values()) == SearchHit.objects.count()
