"""Each seed page imports with the values it prints (read off the pages by hand)."""

import pytest
from django.core.management import call_command

from references.models import Citation, Contributor, ImportBatch, SourceDocument, Work, WorkType

EXPECTED = {
    "000": {
        "title": "Acute Lymphoblastic Leukemia in Infants: A Distinctive, High-Risk Subtype of "
        "Childhood Acute Lymphoblastic Leukemia",
        "doi": "10.1007/978-3-030-85147-7_6",
        "year": 2022,
        "work_type": WorkType.BOOK_CHAPTER,
        "container_title": "Clinical Management of Acute Lymphoblastic Leukemia",
        "references": 75,
        "first_reference": "Howlander N, Noone AM, Krapcho M, Miller D, Brest A, Yu M, et al., editors. "
        "SEER Cancer Statistics Review, 1975–2016. Bethesda: National Cancer Institute. "
        "https://seer.cancer.gov/csr/1975_2016 based on November 2018 SEER data submission, "
        "posted to the SEER web site, April 2019.",
        "last_reference": "Brivio E, Chantrain CF, Gruber TA, Thano A, Rialland F, Contet A, et al. "
        "Inotuzumab ozogamicin in infants and young children with relapsed or refractory acute "
        "lymphoblastic leukaemia: a case series. Br J Haematol. 2021;193(6):1172–7.",
    },
    "001": {
        "title": "Problems of therapy and search for curative options in infantile acute B-cell "
        "lymphoblastic leukemia: a clinical case",
        "doi": "10.21682/2311-1267-2025-12-4-89-96",
        "year": 2025,
        "work_type": WorkType.CASE_REPORT,
        "container_title": "Russian Journal of Pediatric Hematology and Oncology",
        "references": 14,
        "first_reference": "Knez V., Liu X., Schowinsky J., Pan Z., Wang D., Lorsbach R., Lu C., Luedke C., "
        "Haag M., Carstens B., Swisshelm K., Yang L.H., Jug R., Wang E., Liang X. Clinicopathologic and "
        "genetic spectrum of infantile B-lymphoblastic leukemia: a multi-institutional study. "
        "Leuk Lymphoma. 2019;60(4):1006–13. doi: 10.1080/10428194.2018.1508667.",
        "last_reference": "Mejstríková E., Hrusak O., Borowitz M.J., Whitlock J.A., Brethon B., Trippett T.M., "
        "Zugmaier G., Gore L., von Stackelberg A., Locatelli F. CD19-negative relapse of pediatric B-cell "
        "precursor acute lymphoblastic leukemia following blinatumomab treatment. Blood Cancer J. "
        "2017;7(12):659. doi: 10.1038/s41408-017-0023-x.",
    },
    "002": {
        "title": "Relapsed Acute Lymphoblastic Leukemia",
        "doi": "10.1007/s12098-023-04635-4",
        "year": 2024,
        "work_type": WorkType.REVIEW,
        "container_title": "Indian J Pediatr",
        "references": 5,
        "first_reference": "Irving JAE, Enshaei A, Parker CA, et al. Integration of genetic and clinical risk "
        "factors improves prognostication in relapsed childhood B-cell precursor acute lymphoblastic "
        "leukemia. Blood. 2016;128:911–922. doi: 10.1182/blood-2016-03-704973.",
        "last_reference": "Barz MJ, Hof J, Groeneveld-Krentz S, et al. Subclonal NT5C2 mutations are associated "
        "with poor outcomes after relapse of pediatric acute lymphoblastic leukemia. Blood. "
        "2020;135:921–933. doi: 10.1182/blood.2019002499.",
    },
    "003": {
        "title": "Blinatumomab as a Curative Therapy Option for Relapsed/Refractory Infant Acute Lymphoblastic "
        "Leukemia Post-Hematopoietic Stem Cell Transplantation - Case Report",
        "doi": "10.15264/cpho.2024.31.1.10",
        "year": 2024,
        "work_type": WorkType.CASE_REPORT,
        "container_title": "",
        "references": 0,
    },
    "004": {
        "title": "Relapsed childhood acute lymphoblastic leukaemia",
        "doi": "10.1016/s1470-2045(12)70580-6",
        "year": 2013,
        "work_type": WorkType.REVIEW,
        "container_title": "Lancet Oncol",
        "references": 0,
    },
}


def import_seeds(seeds_dir) -> None:
    call_command("import_sources", str(seeds_dir), stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def imported(db, seeds_dir) -> dict[str, Work]:
    import_seeds(seeds_dir)
    documents = SourceDocument.objects.select_related("work")
    return {document.file_name[:3]: document.work for document in documents}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_imports_with_printed_values(imported, prefix):
    expected, work = EXPECTED[prefix], imported[prefix]
    assert work.title == expected["title"]
    assert work.doi == expected["doi"]
    assert work.year == expected["year"]
    assert work.work_type == expected["work_type"]
    assert work.container_title == expected["container_title"]
    citations = list(work.citations.order_by("position"))
    assert len(citations) == expected["references"]
    assert [c.position for c in citations] == list(range(1, expected["references"] + 1))
    if citations:
        assert citations[0].raw == expected["first_reference"]
        assert citations[-1].raw == expected["last_reference"]


def test_springer_chapter_has_book_metadata_and_editors(imported):
    chapter = imported["000"]
    assert [a.family for a in chapter.authors] == ["Breese", "Kotecha", "Guest"]
    assert [e.family for e in chapter.editors] == ["Litzow", "Raetz"]
    assert chapter.publisher == "Springer, Cham"
    assert chapter.isbns == ["978-3-030-85146-0", "978-3-030-85147-7"]
    assert chapter.abstract.startswith("Acute lymphoblastic leukemia (ALL) in infants younger than 1 year")
    assert chapter.abstract.endswith("novel treatment approaches in development.")
    assert "USD" not in chapter.abstract
    assert not chapter.citations.filter(raw__contains="Google Scholar").exists()


def test_journal_page_has_full_citation_block(imported):
    article = imported["001"]
    assert (article.volume, article.issue, article.pages) == ("12", "4", "89-96")
    assert article.issns == ["2311-1267", "2413-5496"]
    assert article.authors.count() == 7
    assert article.authors.first().family == "Machneva"
    assert article.citations.exclude(doi="").count() == 14
    assert article.citations.get(position=10).doi == "10.1038/leu.2015.246"


def test_pubmed_page_keeps_one_author_and_says_the_list_is_truncated(imported):
    review = imported["002"]
    assert [(a.given, a.family) for a in review.authors] == [("Jasmeet", "Sidhu")]
    assert review.authors_truncated is True
    assert (review.volume, review.issue, review.pages) == ("91", "2", "158-167")
    assert review.keywords == ["Chemotherapy", "Childhood ALL", "Relapse", "Transplant"]
    assert not review.citations.filter(raw__contains="PubMed").exists()
    assert review.abstract.endswith("especially in patients with poor response disease.")


def test_catalogue_record_takes_the_full_summary_not_the_teaser(imported):
    record = imported["003"]
    assert record.abstract.endswith("for patients who cannot receive further HSCT.")
    assert "Full description" not in record.abstract
    assert record.publisher == "The Korean Society of Pediatric Hematology-Oncology"
    assert record.issns == ["2233-5250"]
    assert [a.family for a in record.authors] == [
        "Zhumatayev",
        "Yalcin",
        "Celen",
        "Uygun",
        "Karasu",
        "Yesilipek",
    ]


def test_pubmed_abstract_page_keeps_mesh_terms(imported):
    review = imported["004"]
    assert review.pages == "e205-e217"
    assert (review.volume, review.issue) == ("14", "6")
    assert len(review.mesh_terms) == 28
    assert "Hematopoietic Stem Cell Transplantation" in review.mesh_terms
    assert review.authors.count() == 0


def _snapshot() -> list:
    return [
        list(model.objects.order_by("pk").values()) for model in (Work, Contributor, Citation, SourceDocument)
    ]


def test_importing_the_seeds_again_reports_unchanged_and_changes_no_row(imported, seeds_dir):
    before = _snapshot()
    import_seeds(seeds_dir)
    assert _snapshot() == before
    latest = ImportBatch.objects.order_by("-pk").first()
    assert latest.outcome_counts() == {"created": 0, "updated": 0, "unchanged": 5, "failed": 0}
