"""One work per publication: the seeds cite some of the same papers, in different house styles."""

import pytest
from django.db.models import Count

from references.models import Citation, Work
from tests.helpers import signed_in
from tests.references.test_seed_import import import_seeds

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, django_user_model):
    """Reading the library takes a role: these tests read as a researcher."""
    return signed_in(client, django_user_model)


# (position in the Springer chapter 000, position in the Russian case report 001, DOI printed by 001)
CITED_BY_BOTH = {
    "Pieters 2007 Lancet (Interfant-99)": (3, 6, "10.1016/s0140-6736(07)61126-x"),
    "van der Linden 2009 Blood": (10, 2, "10.1182/blood-2009-02-204214"),
    "Driessen 2016 Leukemia": (56, 10, "10.1038/leu.2015.246"),
    "Mann 2010 Blood": (60, 9, "10.1182/blood-2010-03-273532"),
    "Gardner 2016 Blood": (74, 11, "10.1182/blood-2015-08-665547"),
}


@pytest.fixture
def library(seeds_dir):
    import_seeds(seeds_dir)
    return {
        prefix: Work.objects.get(doi=doi)
        for prefix, doi in {
            "000": "10.1007/978-3-030-85147-7_6",
            "001": "10.21682/2311-1267-2025-12-4-89-96",
        }.items()
    }


@pytest.mark.parametrize("name", sorted(CITED_BY_BOTH))
def test_a_paper_cited_by_two_sources_is_one_work(library, name):
    springer_position, russian_position, doi = CITED_BY_BOTH[name]
    from_springer = library["000"].citations.get(position=springer_position)
    from_russian = library["001"].citations.get(position=russian_position)
    assert from_springer.cited_work_id == from_russian.cited_work_id is not None
    cited = from_springer.cited_work
    assert cited.doi == doi, "the DOI one source prints fills the work the other created"
    assert set(cited.cited_by.values_list("citing_work", flat=True)) == {library["000"].pk, library["001"].pk}


def test_every_citation_with_a_title_is_linked_and_no_work_is_cited_twice_by_one_source(library):
    assert not Citation.objects.filter(cited_work__isnull=True).exclude(parsed__title="").exists()
    repeated = Citation.objects.values("citing_work", "cited_work").annotate(n=Count("id")).filter(n__gt=1)
    assert not repeated.exists()


def test_near_misses_in_the_seeds_stay_apart(library):
    chapter = library["000"]
    tomizawa = [chapter.citations.get(position=p).cited_work_id for p in (13, 57, 58)]
    brown = [chapter.citations.get(position=p).cited_work_id for p in (5, 8, 53)]
    salzer = [chapter.citations.get(position=p).cited_work_id for p in (51, 52)]
    for group in (tomizawa, brown, salzer):
        assert len(set(group)) == len(group)


def test_work_page_shows_cited_by_within_the_library(client, library):
    cited = library["000"].citations.get(position=3).cited_work
    html = client.get(cited.get_absolute_url()).text
    assert "Cited by in the library" in html
    assert library["000"].title in html and library["001"].title in html


def test_importing_the_seeds_again_creates_no_work(library, seeds_dir):
    count = Work.objects.count()
    import_seeds(seeds_dir)
    assert Work.objects.count() == count
