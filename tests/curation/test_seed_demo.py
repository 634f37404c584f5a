"""seed_demo: a small synthetic library in the test database, and --clear taking away only what it made."""

import io
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from curation.demo import text
from curation.demo.library import DEMO_DOI_PREFIX, HISTORY, demo_documents
from curation.mentions import Term, matcher_for
from curation.models import Annotation, Finding
from curation.vocabulary import VOCABULARY
from references.models import Citation, Contributor, SourceDocument, Work

WORKS, PER_WORK = 300, 5


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def outsider(db) -> Work:
    """A work a curator imported, with a document, an author and a tag: none of it is demo data."""
    work = Work.objects.create(title="A real paper on infant ALL", doi="10.1000/real.1", year=2020)
    SourceDocument.objects.create(
        work=work,
        file_name="demo-looking-but-real.txt",  # the prefix alone does not make a document demo data
        sha256="0" * 64,
        size=1,
        raw_text="x",
        file_format="text",
        encoding="utf-8",
        page_kind="pubmed",
    )
    Contributor.objects.create(work=work, position=1, family="Pieters")
    Annotation.objects.create(work=work, finding=Finding.objects.get(label="infant"))
    return work


@pytest.fixture
def seeded(outsider) -> str:
    return seed("--works", str(WORKS), "--citations-per-work", str(PER_WORK))


def demo_works():
    return Work.objects.filter(pk__in=demo_documents().values("work_id"))


def test_counts(seeded):
    works = demo_works()
    assert works.count() == WORKS
    assert demo_documents().count() == WORKS
    assert works.filter(doi__startswith=DEMO_DOI_PREFIX).count() >= WORKS * 0.8
    authors = Counter(Contributor.objects.filter(work__in=works).values_list("work_id", flat=True))
    assert len(authors) == WORKS and set(authors.values()) <= set(range(3, 9))
    citations = Citation.objects.filter(citing_work__in=works)
    assert citations.count() == WORKS * PER_WORK
    assert not citations.exclude(match_state="matched").exists()
    assert not citations.exclude(cited_work__in=works).exists()
    assert not [
        c for c in citations.only("citing_work_id", "cited_work_id") if c.citing_work_id == c.cited_work_id
    ]
    positions = Counter(citations.values_list("citing_work_id", "position"))
    assert set(positions.values()) == {1} and {p for _, p in positions} == set(range(1, PER_WORK + 1))


def test_works_look_like_the_literature(seeded):
    works = demo_works()
    years = set(works.values_list("year", flat=True))
    assert min(years) >= 1990 and max(years) <= 2026 and len(years) > 20
    types = Counter(works.values_list("work_type", flat=True))
    assert types.most_common(1)[0][0] == "journal-article"
    assert {"review", "case-report"} <= set(types)
    assert works.values("container_title").distinct().count() > 20
    assert works.exclude(enrichment_state="enriched").exists()
    assert works.exclude(keywords=[]).exists()
    assert works.exclude(abstract="").count() > WORKS * 0.9
    assert all(work.title_key for work in works.only("title_key"))


def test_abstracts_are_as_long_as_real_ones(seeded):
    """The seed pages' abstracts run from about 900 to 2,100 characters; search and its benchmark read
    vectors of that size, not of a sketch."""
    lengths = sorted(len(a) for a in demo_works().exclude(abstract="").values_list("abstract", flat=True))
    assert 1000 <= lengths[len(lengths) // 2] <= 1600
    assert lengths[len(lengths) // 10] >= 750


def test_annotations_quote_the_abstract_at_their_offsets(seeded):
    annotations = Annotation.objects.filter(work__in=demo_works()).select_related("work", "finding")
    matcher = matcher_for(Term(f.label, tuple(f.synonyms)) for f in Finding.objects.all())
    for annotation in annotations:
        abstract = annotation.work.abstract
        assert annotation.evidence_field == "abstract"
        assert abstract[annotation.evidence_start : annotation.evidence_end] == annotation.evidence
        assert annotation.evidence.endswith((".", "?", "!"))
        labels = {m.label for m in matcher.find(annotation.evidence, "abstract")}
        assert annotation.finding.label in labels


def test_about_a_third_of_the_works_are_tagged(seeded):
    annotations = Annotation.objects.filter(work__in=demo_works())
    accepted = Counter(annotations.filter(state="accepted").values_list("work_id", flat=True))
    assert WORKS * 0.15 <= len(accepted) <= WORKS * 0.45
    assert max(accepted.values()) <= 3
    assert annotations.exclude(state="accepted").exists()  # a few rejected or suggested ones


def test_each_demo_annotation_has_its_creation_in_the_history(seeded):
    annotations = Annotation.objects.filter(work__in=demo_works())
    created = HISTORY.objects.filter(id__in=annotations.values("pk"), history_type="+")
    assert created.count() == annotations.count()


def test_search_finds_demo_works(seeded):
    works = demo_works()
    assert not works.filter(indexed__text__isnull=True).exists()
    found = Work.objects.search("transplantation")
    assert found.filter(pk__in=works).exists()
    # Names the English stemmer leaves alone: the query is stemmed, the indexed names are not ("Morris").
    author = Contributor.objects.filter(
        work__in=works, family__in=["Smith", "Chen", "Wang", "Tanaka"]
    ).first()
    assert Work.objects.search(author.family).filter(pk=author.work_id).exists()
    assert Work.objects.sources().filter(pk__in=works).count() == WORKS


def test_prints_the_phases_and_their_times(seeded):
    for phase in ("works, authors, documents, annotations:", "citations:", "search index:", "analyze:"):
        assert phase in seeded
    assert f"{WORKS * PER_WORK:,} citations" in seeded


def test_refuses_to_seed_twice(seeded):
    with pytest.raises(CommandError, match="already present"):
        seed("--works", "10")


def test_clear_removes_only_demo_data(seeded, outsider):
    demo_work = demo_works().first()
    cited = Citation.objects.create(
        citing_work=outsider, position=1, raw="a demo work", cited_work=demo_work, match_state="matched"
    )
    assert "Removed 300 demo works" in seed("--clear")
    assert not demo_documents().exists()
    assert not Work.objects.filter(doi__startswith=DEMO_DOI_PREFIX).exists()
    assert list(Work.objects.all()) == [outsider]
    assert outsider.source_documents.count() == 1
    assert outsider.contributors.count() == 1
    assert outsider.annotations.count() == 1
    cited.refresh_from_db()
    assert (cited.cited_work, cited.match_state) == (None, "unmatched")
    assert Finding.objects.count() > 20
    assert not HISTORY.objects.exclude(work_id=outsider.pk).exists()


def test_clear_with_works_replaces_the_demo_data(seeded):
    seed("--clear", "--works", "20", "--citations-per-work", "3")
    assert demo_works().count() == 20
    assert Citation.objects.filter(citing_work__in=demo_works()).count() == 60


def test_the_same_seed_gives_the_same_library(db):
    seed("--works", "30", "--seed", "7")
    first = list(demo_works().order_by("doi", "title").values_list("title", "year"))
    seed("--clear", "--works", "30", "--seed", "7")
    assert list(demo_works().order_by("doi", "title").values_list("title", "year")) == first


def test_term_frequencies_are_those_of_the_literature():
    """Most findings are named by under 5 % of the works, relapse and chemotherapy by a fifth to a third,
    leukemia by nearly all: searches and facets are measured on the selectivity real libraries have."""
    rng = random.Random(5)
    matcher = matcher_for(Term(t.label, (t.label, *t.synonyms)) for t in VOCABULARY)
    named, leukemia, works = Counter(), 0, 4000
    for _ in range(works):
        year = text.random_year(rng)
        work_type = text.weighted(rng, text.WORK_TYPES)
        topic = text.make_topic(rng, year, work_type)
        parts = [text.make_title(rng, topic, work_type), text.make_abstract(rng, topic, work_type)]
        parts += [*text.make_keywords(rng, topic), *text.make_mesh(rng, topic)]
        document = " ".join(parts)
        named.update({mention.label for mention in matcher.find(document, "abstract")})
        leukemia += "leuk" in document.lower()
    share = {term.label: named[term.label] / works for term in VOCABULARY}
    assert 0.2 <= share["relapse"] <= 0.33 and 0.2 <= share["chemotherapy"] <= 0.33
    rare = [label for label, part in share.items() if part < 0.05]
    assert len(rare) > len(VOCABULARY) / 2
    assert {"blinatumomab", "venetoclax", "CAR-T", "menin inhibitor", "lineage switch"} <= set(rare)
    assert leukemia / works > 0.9
