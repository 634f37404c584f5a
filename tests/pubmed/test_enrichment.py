"""Filling works from PubMed: what a work lacks, with PubMed as each field's origin, never a curator's value."""

import pytest

from references.models import Contributor, FieldOrigin, Work
from references.pubmed.client import PubMedError, read_record
from references.pubmed.enrichment import (
    batch_records,
    enrich_from_pubmed,
    forget_groups,
    plan_groups,
    pubmed_client,
)

pytestmark = pytest.mark.django_db

PMID, DOI = "30108519", "10.3389/fphys.2018.01034"  # pubmed6.xml
BATCH = 1  # in Redis under the test's own prefix (the ncbi fixture)


def enrich(work: Work) -> str:
    """As a batch's task enriches a work: planned in its batch's groups, its record taken from them."""
    plan_groups(BATCH, [work.pk], new=True)
    try:
        return enrich_from_pubmed(work.pk, batch_records(BATCH))
    finally:
        forget_groups(BATCH)


def test_a_work_known_only_by_its_pmid_gets_the_whole_record(ncbi):
    work = Work.objects.create(pmid=PMID, title="")
    outcome = enrich(work)
    work.refresh_from_db()
    assert work.title.startswith('A "Blood Relationship" Between')
    assert (work.container_title, work.year, work.doi, work.pmcid) == (
        "Front Physiol",
        2018,
        DOI,
        "PMC6079548",
    )
    assert work.abstract.startswith("Maximal Lactate Steady State")
    assert work.keywords and work.publication_types == ["Journal Article"]
    assert [(a.family, a.given) for a in work.authors[:2]] == [
        ("Garcia-Tabar", "Ibai"),
        ("Gorostiaga", "Esteban M"),
    ]
    assert work.first_author_key and work.title_key
    origins = dict(work.field_origins.values_list("field", "source"))
    assert {origins[name] for name in ("title", "abstract", "authors", "doi", "container_title")} == {
        "pubmed"
    }
    assert outcome.startswith("Filled from PubMed:") and "abstract" in outcome


def test_mesh_headings_are_filled(ncbi):
    work = Work.objects.create(pmid="11748933", title="Is cryopreservation a homogeneous process?")
    enrich(work)
    work.refresh_from_db()
    assert "Cell Membrane/ultrastructure" in work.mesh_terms
    assert work.title == "Is cryopreservation a homogeneous process?", "a real title is kept"


def test_a_work_with_a_doi_and_no_abstract_gets_one_through_its_pmid(ncbi):
    work = Work.objects.create(doi=DOI, title="A blood relationship", year=2018)
    enrich(work)
    work.refresh_from_db()
    assert work.pmid == PMID and work.abstract.startswith("Maximal Lactate")
    assert [r.tool for r in ncbi.requests] == ["esearch", "efetch"]


def test_a_curators_abstract_and_authors_survive(ncbi):
    work = Work.objects.create(pmid=PMID, title="T", abstract="The curator's own summary.")
    Contributor.objects.create(work=work, position=1, family="Curated", given="A")
    for name in ("abstract", "authors"):
        FieldOrigin.objects.create(work=work, field=name, source=FieldOrigin.Source.CURATOR)
    enrich(work)
    work.refresh_from_db()
    assert work.abstract == "The curator's own summary."
    assert [a.family for a in work.authors] == ["Curated"]
    assert work.field_origins.get(field="abstract").source == "curator"


def test_a_curators_empty_field_stays_empty(ncbi):
    work = Work.objects.create(pmid=PMID, title="T")
    FieldOrigin.objects.create(work=work, field="keywords", source=FieldOrigin.Source.CURATOR)
    enrich(work)
    work.refresh_from_db()
    assert work.keywords == [] and work.abstract


def test_initials_give_way_to_full_names_of_the_same_people(ncbi):
    ncbi.add_record("90000001", doi="10.5555/two.authors")
    work = Work.objects.create(pmid="90000001", title="T")
    record = fetched("90000001")
    for position, name in enumerate(record.authors, start=1):
        initials = "".join(part[0] for part in name.given.split())
        Contributor.objects.create(work=work, position=position, family=name.family, given=initials)
    enrich(work)
    assert work.authors.first().given == "Ibai"


def test_an_identifier_another_work_holds_is_not_taken(ncbi):
    holder = Work.objects.create(doi=DOI, title="The same article, imported before")
    work = Work.objects.create(pmid=PMID, title="")
    enrich(work)
    work.refresh_from_db()
    assert work.doi == "" and work.abstract
    assert Work.objects.get(pk=holder.pk).pmid == ""


def test_an_existing_value_is_not_overwritten(ncbi):
    work = Work.objects.create(pmid=PMID, title="T", year=2017, container_title="Frontiers")
    enrich(work)
    work.refresh_from_db()
    assert (work.year, work.container_title) == (2017, "Frontiers")


def test_a_review_becomes_a_review_unless_a_page_said_otherwise(ncbi):
    work = Work.objects.create(pmid="12091962", title="The treatment of AIDS")
    FieldOrigin.objects.create(work=work, field="work_type", source=FieldOrigin.Source.CROSSREF)
    enrich(work)
    work.refresh_from_db()
    assert work.work_type == "review"
    kept = Work.objects.create(pmid="9997", title="x", work_type="book")
    FieldOrigin.objects.create(work=kept, field="work_type", source=FieldOrigin.Source.IMPORT)
    enrich(kept)
    kept.refresh_from_db()
    assert kept.work_type == "book"


def test_unknown_identifiers_say_so_and_change_nothing(ncbi):
    by_pmid = Work.objects.create(pmid="1", title="T")
    by_doi = Work.objects.create(doi="10.5555/not-in-pubmed", title="T")
    assert enrich(by_pmid) == "PubMed has no record of PMID 1."
    assert enrich(by_doi) == "PubMed does not index this DOI."
    assert not FieldOrigin.objects.exists()


def test_ncbi_failing_raises_with_the_reason_and_writes_nothing(ncbi):
    work = Work.objects.create(pmid=PMID, title="T")
    ncbi.inject("500", times=3)
    with pytest.raises(PubMedError, match="server error"):
        enrich(work)
    work.refresh_from_db()
    assert work.abstract == ""


def test_authors_get_pubmeds_affiliations_whether_replaced_or_kept(ncbi):
    record = fetched(PMID)
    affiliations = [name.affiliation for name in record.authors]
    assert any(affiliations)
    new = Work.objects.create(pmid=PMID, title="")
    enrich(new)
    assert [author.affiliation for author in new.authors] == affiliations
    ncbi.add_record("90000002", doi="10.5555/kept.authors")
    kept = Work.objects.create(pmid="90000002", title="T")
    for position, name in enumerate(fetched("90000002").authors, start=1):
        Contributor.objects.create(work=kept, position=position, family=name.family, given=name.given)
    enrich(kept)
    assert [author.affiliation for author in kept.authors] == affiliations


def fetched(pmid: str):
    """PubMed's record of the PMID, read as enrichment reads it."""
    return read_record(pubmed_client().fetch_raw([pmid])[pmid])
