"""Exports of database searches become works of the library: one per publication, with the search that found
it, whatever the format and whichever file came first."""

import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from references.models import Contributor, DuplicateCandidate, Search, SearchHit, Work
from tests.references.test_seed_import import import_seeds

pytestmark = pytest.mark.django_db

SAMPLES = settings.SHARED_DIR / "samples"
EXPORTS = sorted(path for path in SAMPLES.glob("*/*") if path.parent.name != "html" and path.is_file())


def ris(*records: dict[str, str | list[str]]) -> str:
    """A RIS file of journal articles: each record's tags in order, lists for repeated tags."""
    lines = []
    for record in records:
        lines.append("TY  - JOUR")
        for tag, value in record.items():
            for one in value if isinstance(value, list) else [value]:
                lines.append(f"{tag}  - {one}")
        lines.append("ER  - \n")
    return "\n".join(lines)


def medline(*records: dict[str, str | list[str]]) -> str:
    blocks = []
    for record in records:
        lines = []
        for tag, value in record.items():
            for one in value if isinstance(value, list) else [value]:
                lines.append(f"{tag:<4}- {one}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def run(path, *extra) -> dict:
    """Import one file with --json and return its summary."""
    from io import StringIO

    out = StringIO()
    call_command("import_records", str(path), "--json", "--skip-unreadable", *extra, stdout=out)
    return json.loads(out.getvalue().splitlines()[-1])


@pytest.fixture
def library(seeds_dir):
    import_seeds(seeds_dir)
    return Work.objects.count()


@pytest.mark.parametrize("path", EXPORTS, ids=lambda path: path.name)
def test_every_sample_export_imports_into_a_library_of_the_seed_pages(path, library):
    summary = run(path)
    assert summary["outcome"] == "imported"
    readable = summary["records"] - summary["skipped"]
    assert summary["new"] + summary["merged"] + summary["duplicates_in_file"] == readable > 0
    search = Search.objects.get()
    assert Work.objects.count() == library + summary["new"]
    assert search.hits.count() == summary["new"] + summary["merged"]
    assert set(Work.objects.sources().filter(search_hits__search=search)) == set(search.works.all())
    again = run(path)
    assert again["outcome"] == "unchanged" and Work.objects.count() == library + summary["new"]
    assert Search.objects.count() == 1


def test_one_publication_in_two_files_becomes_one_work(tmp_path):
    first = tmp_path / "pubmed.nbib"
    first.write_text(
        medline(
            {
                "PMID": "17658395",
                "TI": "A treatment protocol for infants younger than 1 year with ALL.",
                "FAU": "Pieters, Rob",
                "AU": "Pieters R",
                "DP": "2007 Jul 28",
                "TA": "Lancet",
                "AID": "10.1016/S0140-6736(07)61126-X [doi]",
                "PT": "Journal Article",
            },
            {
                "PMID": "20558611",
                "TI": "Improved outcome with hematopoietic stem cell transplantation in infants.",
                "FAU": "Mann, Georg",
                "AU": "Mann G",
                "DP": "2010 Oct 14",
                "TA": "Blood",
                "PT": "Journal Article",
            },
            {
                "PMID": "30000001",
                "TI": "Blinatumomab for infants with relapsed KMT2A-rearranged leukemia.",
                "FAU": "Stutterheim, Janine",
                "AU": "Stutterheim J",
                "DP": "2019",
                "TA": "Blood",
                "PT": "Journal Article",
            },
        ),
        encoding="utf-8",
    )
    second = tmp_path / "embase.ris"
    second.write_text(
        ris(
            # Same DOI, written differently.
            {
                "TI": "A treatment protocol for infants younger than one year",
                "AU": "Pieters, R.",
                "PY": "2007",
                "DO": "https://doi.org/10.1016/s0140-6736(07)61126-x",
            },
            # Same PMID, no DOI.
            {
                "TI": "Improved outcome with HSCT in a poor prognostic subgroup of infants",
                "AU": "Mann, G.",
                "PY": "2010",
                "AN": "20558611",
                "M1": "20558611",
            },
            # No identifiers, the title typed differently.
            {
                "TI": "Blinatumomab for infants with relapsed KMT2A rearranged leukaemia",
                "AU": "Stutterheim, J.",
                "PY": "2019",
            },
            # A near miss: same first author and year, another title.
            {
                "TI": "Minimal residual disease after blinatumomab in infant ALL",
                "AU": "Stutterheim, J.",
                "PY": "2019",
            },
        ),
        encoding="utf-8",
    )
    assert run(first)["new"] == 3
    summary = run(second)
    assert Work.objects.count() == 4
    assert summary["new"] == 1 and summary["merged"] + summary["possible_duplicates"] == 3
    blinatumomab = Work.objects.get(pmid="30000001")
    assert set(blinatumomab.searches.values_list("file_name", flat=True)) == {"pubmed.nbib", "embase.ris"}
    assert Work.objects.filter(title__startswith="Minimal residual disease").count() == 1
    assert not DuplicateCandidate.objects.exists()


def test_a_sure_duplicate_fills_blanks_and_keeps_what_a_curator_set(tmp_path):
    work = Work.objects.create(
        title="A treatment protocol for infants younger than 1 year",
        year=2007,
        doi="10.1016/s0140-6736(07)61126-x",
        volume="",
    )
    from references.models import FieldOrigin
    from references.origins import record_origins

    work.container_title = "The Lancet (curated)"
    work.save()
    record_origins(work, ["container_title"], FieldOrigin.Source.CURATOR, "chief")
    path = tmp_path / "one.ris"
    path.write_text(
        ris(
            {
                "TI": "Another title",
                "PY": "2007",
                "DO": "10.1016/S0140-6736(07)61126-X",
                "JO": "Lancet",
                "VL": "370",
                "AU": "Pieters, R.",
                "AB": "BACKGROUND: Infants.",
            }
        )
    )
    assert run(path)["merged"] == 1
    work.refresh_from_db()
    assert (work.title, work.container_title, work.volume) == (
        "A treatment protocol for infants younger than 1 year",
        "The Lancet (curated)",
        "370",
    )
    assert work.abstract == "BACKGROUND: Infants."
    assert list(Contributor.objects.filter(work=work).values_list("family", flat=True)) == ["Pieters"]
    assert dict(work.field_origins.values_list("field", "source"))["volume"] == "import"


def test_a_close_title_goes_to_the_curators_and_both_works_stay(tmp_path):
    base = {"AU": ["Pieters, R.", "Schrappe, M."], "PY": "2007", "JO": "Lancet"}
    one, two = tmp_path / "a.ris", tmp_path / "b.ris"
    title = "A treatment protocol for infants younger than {} year with acute lymphoblastic leukaemia{}"
    one.write_text(ris({**base, "TI": title.format("1", ": an observational study")}))
    two.write_text(ris({**base, "TI": title.format("one", " and a randomised trial")}))
    run(one)
    summary = run(two)
    assert summary["possible_duplicates"] == 1 and Work.objects.count() == 2
    candidate = DuplicateCandidate.objects.get()
    assert candidate.state == "pending" and 0.85 <= candidate.score < 0.97
    assert candidate.found_by == Search.objects.get(file_name="b.ris")


def test_a_dry_run_writes_nothing_and_says_what_the_import_does(tmp_path):
    path = SAMPLES / "medline" / "pubmed_result2.txt"
    planned = run(path, "--dry-run")
    assert planned["outcome"] == "planned" and not Work.objects.exists()
    imported = run(path)
    assert {k: v for k, v in imported.items() if k not in ("outcome", "search")} == {
        k: v for k, v in planned.items() if k != "outcome"
    }


def test_a_file_that_is_not_records_is_refused_and_writes_nothing(tmp_path, seed_paths):
    junk = tmp_path / "notes.txt"
    junk.write_text("Some notes about infant leukemia, not a list of records.\n")
    gz = tmp_path / "export.nbib.gz"
    gz.write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)))
    for path in (junk, gz, seed_paths["002"]):
        with pytest.raises(CommandError):
            call_command("import_records", str(path))
    assert not Work.objects.exists() and not Search.objects.exists()


def test_unreadable_records_need_the_loss_accepted(tmp_path):
    path = tmp_path / "half.bib"
    path.write_text(
        "@article{good, title={Blinatumomab in infants}, author={Doe, J.}, journal={Blood}, year={2020}}\n"
        "@article{bad, title={Broken {brace, author={Roe, K.}, year={2021}\n"
    )
    with pytest.raises(CommandError):
        call_command("import_records", str(path))
    assert not Work.objects.exists()
    assert run(path)["skipped"] == 1 and Work.objects.count() == 1
    assert Search.objects.get().problems and SearchHit.objects.count() == 1


def test_records_read_a_batch_at_a_time_come_to_what_one_batch_gives(tmp_path, monkeypatch):
    """Duplicates within the file, sure merges and possible duplicates that span batches decide as in one."""
    from references.pipeline import records

    known = {
        "PMID": "17658395",
        "TI": "A treatment protocol for infants with ALL.",
        "AU": "Pieters R",
        "DP": "2007",
    }
    close = "A treatment protocol for infants younger than {} year with acute lymphoblastic leukaemia{}"
    base = {"AU": ["Schrappe M"], "DP": "2009", "JT": "Lancet"}
    file = tmp_path / "export.nbib"
    file.write_text(
        medline(
            {"PMID": "1", "TI": close.format("1", ": an observational study"), **base},
            {"PMID": "2", "TI": "Blinatumomab after relapse.", "AU": "Doe J", "DP": "2020"},
            {**known, "PMID": "17658395"},
            {"PMID": "3", "TI": close.format("one", " and a randomised trial"), **base},
            {"PMID": "2", "TI": "Blinatumomab after relapse.", "AU": "Doe J", "DP": "2020"},
        )
    )
    (tmp_path / "library.nbib").write_text(medline({**known, "AB": "An abstract."}))
    run(tmp_path / "library.nbib")
    monkeypatch.setattr(records, "BATCH", 2)
    planned = run(file, "--dry-run")
    summary = run(file)
    assert (
        summary["new"],
        summary["merged"],
        summary["duplicates_in_file"],
        summary["possible_duplicates"],
    ) == (
        3,
        1,
        1,
        1,
    )
    assert {k: v for k, v in summary.items() if k not in ("outcome", "search")} == {
        k: v for k, v in planned.items() if k != "outcome"
    }
    search = Search.objects.get(file_name="export.nbib")
    assert search.records == 5 and search.added == 3 and search.hits.count() == 4
    assert DuplicateCandidate.objects.get().found_by == search
    assert Work.objects.count() == 4


def test_authors_keep_their_affiliations_and_the_work_page_lists_them(tmp_path, client, django_user_model):
    from django.contrib.auth.models import Group

    path = tmp_path / "one.nbib"
    path.write_text(
        medline(
            {
                "PMID": "17658395",
                "TI": "A treatment protocol for infants younger than 1 year with ALL.",
                "FAU": "Pieters, Rob",
                "AU": "Pieters R",
                "AD": "Erasmus MC-Sophia Children's Hospital, Rotterdam, Netherlands.",
                "DP": "2007",
            }
        )
    )
    run(path)
    author = Contributor.objects.get()
    assert author.affiliation == "Erasmus MC-Sophia Children's Hospital, Rotterdam, Netherlands."
    user = django_user_model.objects.create_user("reader", password="x")
    user.groups.add(Group.objects.get(name="researcher"))
    client.force_login(user)
    page = client.get(author.work.get_absolute_url()).content.decode()
    assert "<summary>Affiliations</summary>" in page and "Erasmus MC-Sophia Children&#x27;s Hospital" in page


@pytest.mark.django_db
def test_a_record_repeated_batches_later_without_identifiers_joins_the_work_the_first_became(
    tmp_path, monkeypatch
):
    from references.pipeline import records

    title = "Blinatumomab for infants with relapsed KMT2A-rearranged acute lymphoblastic leukaemia"
    first = {"TI": title, "AU": "Doe J", "DP": "2020"}
    others = [
        {"PMID": str(n), "TI": f"Unrelated study number {n}", "AU": "Roe K", "DP": "2019"} for n in (1, 2, 3)
    ]
    file = tmp_path / "export.nbib"
    file.write_text(medline(first, *others, {**first, "TI": title.replace("leukaemia", "leukemia.")}))
    monkeypatch.setattr(records, "BATCH", 2)
    planned, summary = run(file, "--dry-run"), run(file)
    assert planned["duplicates_in_file"] == summary["duplicates_in_file"] == 1 and summary["new"] == 4
    search = Search.objects.get(file_name="export.nbib")
    [work] = Work.objects.filter(title=title)
    assert search.hits.filter(work=work).count() == 1 and Work.objects.count() == 4
