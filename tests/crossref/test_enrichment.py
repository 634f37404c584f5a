"""What enriching one work does, called as the task calls it, against the local Crossref server."""

import uuid

import pytest
from django.conf import settings as django_settings

from references.crossref_answers import ReviewRefused, accept_candidate, reject_candidate
from references.enrichment import resume_batch, retry_failed, start_enrichment
from references.enrichment_item import enrich
from references.models import (
    Citation,
    Contributor,
    EnrichmentBatch,
    EnrichmentItem,
    EnrichmentState,
    FieldOrigin,
    MatchCandidate,
    Work,
)
from tests.fakecrossref.bodies import recorded_message

pytestmark = pytest.mark.django_db

PLOS = "10.1371/journal.pone.0033693"
CERMINE = "10.1007/s10032-015-0249-8"
CERMINE_TITLE = "CERMINE: automatic extraction of structured metadata from scientific literature"
# The strings a reference list printed, and what should become of them.
LINKED = (
    f"Tkaczyk D, Szostek P, Fedoryszak M, Dendek PJ, Bolikowski L. {CERMINE_TITLE}. IJDAR. 2015;18(4):317-35."
)
DOUBTFUL = f"Tkaczyk D. {CERMINE_TITLE}. 2013."
DIFFERENT = "Szostek P. Automatic extraction of metadata. 2015."


def recorded_items(name: str) -> list[dict]:
    return recorded_message(name)["items"]


@pytest.fixture
def crossref(settings, crossref_server):
    settings.CROSSREF_BASE_URL = crossref_server.url
    settings.CROSSREF_REDIS_PREFIX = f"test-enrich-{uuid.uuid4().hex}"
    items = recorded_items("search-query-bibliographic-cermine-unstructured-match.json")
    crossref_server.search = lambda query, rows: items[:rows]
    return crossref_server


def enrich_works(*works: Work) -> EnrichmentBatch:
    batch = start_enrichment(works=works, origin=EnrichmentBatch.Origin.COMMAND)
    for item in batch.items.all():
        enrich(item.pk)
    batch.refresh_from_db()
    return batch


def cited_only(raw: str, title: str = "CERMINE") -> Work:
    """A work known only from a reference without a DOI, as a reference-list import leaves it."""
    citing = Work.objects.create(title="A review citing it", doi=f"10.5555/{uuid.uuid4().hex[:8]}")
    work = Work.objects.create(title=title, year=2015)
    Citation.objects.create(citing_work=citing, position=1, raw=raw, cited_work=work, match_method="new")
    return work


def test_a_work_with_a_doi_is_filled_where_blank(crossref):
    work = Work.objects.create(doi=PLOS, title="Methylphenidate exposure induces dopamine neuron loss")
    batch = enrich_works(work)
    work.refresh_from_db()
    assert work.title == "Methylphenidate exposure induces dopamine neuron loss"  # kept: it was not blank
    assert (work.container_title, work.volume, work.issue, work.pages, work.year) == (
        "PLoS ONE",
        "7",
        "3",
        "e33693",
        2012,
    )
    assert (work.issns, work.publisher, work.declared_references) == (
        ["1932-6203"],
        "Public Library of Science (PLoS)",
        70,
    )
    assert list(work.authors.values_list("family", flat=True))[:2] == ["Sadasivan", "Pond"]
    assert work.crossref_json["DOI"] == PLOS
    assert work.enrichment_state == EnrichmentState.ENRICHED and work.enriched_at
    origin = work.field_origins.get(field="volume")
    assert (origin.source, origin.detail) == ("crossref", f"{crossref.url}/works/{PLOS}")
    assert not work.field_origins.filter(field="title").exists()
    item = batch.items.get()
    assert item.state == "done" and "volume" in item.outcome
    assert batch.state == EnrichmentBatch.State.FINISHED and batch.finished_at


def test_a_curators_value_is_never_overwritten(crossref):
    work = Work.objects.create(doi=PLOS, title="Methylphenidate", container_title="PLOS One")
    FieldOrigin.objects.create(work=work, field="volume", source="curator", detail="chief")
    FieldOrigin.objects.create(work=work, field="authors", source="curator", detail="chief")
    Contributor.objects.create(work=work, position=1, family="Sadasivan", given="S")
    enrich_works(work)
    work.refresh_from_db()
    assert work.volume == ""  # the curator emptied it on purpose
    assert work.container_title == "PLOS One"
    assert list(work.authors.values_list("family", flat=True)) == ["Sadasivan"]
    assert work.field_origins.get(field="volume").source == "curator"
    assert work.issue == "3"


def test_a_truncated_author_list_is_completed_with_orcids(crossref):
    work = Work.objects.create(
        doi="10.1136/jclinpath-2020-206745", title="Reference panel", authors_truncated=True
    )
    Contributor.objects.create(work=work, position=1, family="Xu", given="J")
    enrich_works(work)
    work.refresh_from_db()
    assert work.authors.count() > 1 and not work.authors_truncated
    assert work.authors.exclude(orcid="").exists()


def test_an_unknown_doi_fails_with_the_reason_and_can_be_retried(crossref):
    work = Work.objects.create(doi="10.5555/not-registered", title="A ghost")
    batch = enrich_works(work)
    item = batch.items.get()
    assert (item.state, item.outcome) == ("failed", "Crossref has no record of this DOI.")
    work.refresh_from_db()
    assert work.enrichment_state == EnrichmentState.FAILED
    crossref.add_work("10.5555/not-registered", title="A ghost no more")
    retry = retry_failed(batch, user=None)
    for retried in retry.items.all():
        enrich(retried.pk)
    work.refresh_from_db()
    assert work.enrichment_state == EnrichmentState.ENRICHED


def test_a_repeated_delivery_changes_nothing(crossref, settings):
    settings.CROSSREF_CACHE_SECONDS = 0  # a second request would reach the server, not the cache
    work = Work.objects.create(doi=PLOS, title="Methylphenidate")
    batch = enrich_works(work)
    item = batch.items.get()
    finished_at = item.finished_at
    enrich(item.pk)
    item.refresh_from_db()
    assert item.finished_at == finished_at
    assert crossref.hits(PLOS) == 1


def test_a_confident_bibliographic_match_links_the_doi(crossref):
    work = cited_only(LINKED)
    enrich_works(work)
    work.refresh_from_db()
    assert work.doi == CERMINE
    assert work.container_title.startswith("International Journal on Document Analysis")
    assert (work.volume, work.pages) == ("18", "317-335")
    citation = work.cited_by.get()
    assert citation.match_method == "crossref-bibliographic" and citation.match_score >= 0.8
    assert work.field_origins.get(field="doi").detail.startswith("crossref-bibliographic, score")
    assert crossref.requests[0].query["query.bibliographic"] == [LINKED]


def test_a_match_to_a_doi_the_library_has_merges_the_works(crossref):
    holder = Work.objects.create(doi=CERMINE, title=CERMINE_TITLE)
    work = cited_only(LINKED)
    enrich_works(work)
    work.refresh_from_db()
    assert work.merged_into == holder
    assert holder.cited_by.count() == 1


def test_a_doubtful_match_waits_for_review_and_is_accepted_in_one_step(crossref, admin_user):
    work = cited_only(DOUBTFUL)
    batch = enrich_works(work)
    work.refresh_from_db()
    assert work.doi == "" and work.enrichment_state == EnrichmentState.REVIEW
    candidate = work.match_candidates.get()
    assert (candidate.doi, candidate.state) == (CERMINE, "pending")
    assert "year 2013" in candidate.reason
    assert batch.items.get().outcome.startswith("Awaiting a curator's review")
    accept_candidate(candidate, user=admin_user)
    work.refresh_from_db()
    candidate.refresh_from_db()
    assert work.doi == CERMINE and work.cited_by.get().match_method == "crossref-review"
    assert (candidate.state, candidate.decided_by) == ("accepted", admin_user)
    with pytest.raises(ReviewRefused):
        reject_candidate(candidate, user=admin_user)


def test_a_rejected_candidate_is_not_proposed_again(crossref, admin_user):
    work = cited_only(DOUBTFUL)
    enrich_works(work)
    reject_candidate(work.match_candidates.get(), user=admin_user)
    work.refresh_from_db()
    assert work.enrichment_state == EnrichmentState.UNMATCHED
    batch = enrich_works(work)
    assert work.match_candidates.filter(state="pending").count() == 0
    assert "No DOI linked" in batch.items.get().outcome


def test_a_different_work_stays_unmatched_with_the_reason(crossref):
    work = cited_only(DIFFERENT, title="Automatic extraction of metadata")
    batch = enrich_works(work)
    work.refresh_from_db()
    assert work.doi == "" and work.enrichment_state == EnrichmentState.UNMATCHED
    assert "title differs" in batch.items.get().outcome
    assert not MatchCandidate.objects.exists()


def test_a_batch_pauses_itself_when_errors_pass_ten_percent(crossref, settings):
    settings.CROSSREF_MAX_TRIES = 2
    crossref.inject("503", times=1000)
    works = [Work.objects.create(doi=f"10.5555/pause.{i}", title=f"Work {i}") for i in range(8)]
    batch = enrich_works(*works)
    assert batch.state == EnrichmentBatch.State.PAUSED
    assert "Paused by itself" in batch.pause_reason and "more than 10%" in batch.pause_reason
    pending = batch.items.filter(state="pending").count()
    assert pending > 0
    # No request is made for the items after the pause.
    assert len(crossref.requests) == batch.request_count == django_settings.CROSSREF_PAUSE_MIN_REQUESTS
    assert resume_batch(batch) == pending
    batch.refresh_from_db()
    assert (batch.state, batch.request_count) == (EnrichmentBatch.State.RUNNING, 0)


def test_nothing_to_enrich_makes_no_batch():
    assert start_enrichment(works=[], origin=EnrichmentBatch.Origin.COMMAND) is None
    assert not EnrichmentItem.objects.exists()
