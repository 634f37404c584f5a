"""A source that is down pauses its half of a batch, not the other's: NCBI failing pauses PubMed's half while
Crossref's goes on; the resume fetches only the PubMed parts that waited. Called as the task calls it."""

import pytest
from django.core.management import CommandError, call_command

from references.enrichment import resume_batch, start_enrichment
from references.enrichment_item import enrich
from references.models import EnrichmentBatch, EnrichmentState, Work
from references.tasks import _sources
from tests.helpers import run_pending

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_by_one(settings):
    """PubMed's half fetches a work at a time (groups of one, none ahead), as the counts below assume."""
    settings.NCBI_GROUP_SIZE = 1
    settings.NCBI_CONCURRENCY = 1
    settings.NCBI_GROUPS_AHEAD = 0


def test_ncbi_down_pauses_pubmeds_half_and_crossrefs_goes_on(settings, ncbi, crossref, one_by_one):
    settings.NCBI_MAX_TRIES = 2
    settings.CROSSREF_PAUSE_MIN_REQUESTS = 10
    pmids = ncbi.add_records(8, first_pmid=91_000_001)
    dois = [f"10.5555/pubmed.{pmid}" for pmid in pmids]
    for doi in dois:
        crossref.add_work(doi, publisher="Pause Press")
    works = [Work.objects.create(doi=doi, title=f"Work {i}") for i, doi in enumerate(dois)]
    ncbi.inject("503", times=10)  # exactly what it takes to pause: NCBI answers again afterwards
    batch = run_pending(start_enrichment(works=works, origin=EnrichmentBatch.Origin.COMMAND))

    assert batch.pubmed_paused_at is not None
    assert "10 of 10 requests to NCBI failed" in batch.pubmed_pause_reason
    assert "Crossref's half goes on" in batch.pubmed_pause_reason
    assert batch.pause_reason == "", "Crossref's half is not paused"
    assert all(crossref.hits(doi) == 1 for doi in dois), "Crossref's half went on for every work"
    assert Work.objects.filter(publisher="Pause Press").count() == 8
    assert len(ncbi.requests) == batch.pubmed_request_count == 10, "no request to NCBI after the pause"
    waiting = list(batch.items.filter(pubmed_pending=True).values_list("pk", flat=True))
    assert len(waiting) == 4 and batch.items.filter(state="failed").count() == 4
    assert batch.items.filter(state="pending").count() == 0
    assert batch.state == EnrichmentBatch.State.PAUSED and batch.finished_at is None
    assert "waits for the batch to be resumed" in batch.items.get(pk=waiting[0]).outcome

    assert resume_batch(batch) == 4
    batch = run_pending(batch)
    assert batch.state == EnrichmentBatch.State.FINISHED and batch.pubmed_paused_at is None
    assert not batch.items.filter(pubmed_pending=True).exists()
    resumed = batch.items.filter(pk__in=waiting).select_related("work")
    assert {item.state for item in resumed} == {"done"}
    for item in resumed:
        assert item.work.pmid and item.work.abstract, item.outcome
        assert "Filled from PubMed" in item.outcome and "waits" not in item.outcome
        assert item.work.enrichment_state == EnrichmentState.ENRICHED
    assert all(crossref.hits(doi) == 1 for doi in dois), "the resume did not ask Crossref again"
    assert ncbi.violations == 0


def test_a_paused_pubmed_half_is_resumed_while_crossrefs_still_runs(settings, ncbi, crossref):
    pmid = ncbi.add_records(1, first_pmid=91_100_001)[0]
    crossref.add_work(f"10.5555/pubmed.{pmid}")
    work = Work.objects.create(doi=f"10.5555/pubmed.{pmid}", title="Waiting")
    other = Work.objects.create(doi="10.5555/queued", title="Still queued")
    batch = start_enrichment(works=[work, other], origin=EnrichmentBatch.Origin.COMMAND)
    EnrichmentBatch.objects.filter(pk=batch.pk).update(pubmed_paused_at="2026-01-01T00:00Z")
    first = batch.items.get(work=work)
    enrich(first.pk)
    first.refresh_from_db()
    assert first.pubmed_pending and first.state == "done" and not ncbi.requests
    batch.refresh_from_db()
    assert batch.state == EnrichmentBatch.State.RUNNING, "the other item is still Crossref's to do"

    assert resume_batch(batch) == 1, "only the waiting PubMed part is sent: the other item is still queued"
    enrich(first.pk)
    work.refresh_from_db()
    assert work.pmid == pmid and ncbi.fetched(pmid) == 1


def test_the_page_says_pubmed_is_paused_and_why(admin_client):
    batch = EnrichmentBatch.objects.create(
        origin="web",
        pubmed_paused_at="2026-01-01T00:00Z",
        pubmed_pause_reason="10 of 10 requests to NCBI failed.",
    )
    page = admin_client.get(batch.get_absolute_url()).text
    assert "PubMed is paused" in page and "10 of 10 requests to NCBI failed." in page
    assert "Resume</button>" in page


def test_the_time_limit_names_the_sources_asked(settings):
    settings.NCBI_ENRICH = True
    assert _sources() == "Crossref or PubMed"
    settings.NCBI_ENRICH = False
    assert _sources() == "Crossref"


def test_the_command_resumes_a_batch_whose_pubmed_half_alone_is_paused():
    batch = EnrichmentBatch.objects.create(
        origin="command", pubmed_paused_at="2026-01-01T00:00Z", pubmed_pause_reason="NCBI down."
    )
    call_command("enrich", "--resume", str(batch.pk))
    batch.refresh_from_db()
    assert batch.pubmed_paused_at is None and batch.pubmed_pause_reason == ""
    with pytest.raises(CommandError, match="No paused or stalled batch"):
        call_command("enrich", "--resume", str(batch.pk))


def test_crossref_down_pauses_crossrefs_half_and_pubmeds_goes_on(settings, ncbi, crossref, one_by_one):
    settings.CROSSREF_MAX_TRIES = 2
    settings.CROSSREF_PAUSE_MIN_REQUESTS = 10
    pmids = ncbi.add_records(8, first_pmid=91_200_001)
    dois = [f"10.5555/pubmed.{pmid}" for pmid in pmids]
    for doi in dois:
        crossref.add_work(doi, publisher="Paused Press")
    works = [Work.objects.create(doi=doi, title=f"Work {i}") for i, doi in enumerate(dois)]
    crossref.inject("503", times=10)  # exactly what it takes to pause: Crossref answers again afterwards
    batch = run_pending(start_enrichment(works=works, origin=EnrichmentBatch.Origin.COMMAND))

    assert batch.state == EnrichmentBatch.State.PAUSED and "Paused by itself" in batch.pause_reason
    assert batch.pubmed_paused_at is None
    pending = batch.items.filter(state="pending")
    went_on = pending.exclude(pubmed_outcome="")
    assert pending.count() == 4 and went_on.count() == 3, "the item in flight at the pause waits whole"
    assert all(item.pubmed_outcome.startswith("Filled from PubMed") for item in went_on)
    assert Work.objects.filter(pk__in=went_on.values("work_id")).exclude(abstract="").count() == 3
    assert not Work.objects.filter(publisher="Paused Press").exists()

    assert resume_batch(batch) == 4
    batch = run_pending(batch)
    assert batch.state == EnrichmentBatch.State.FINISHED
    resumed = batch.items.filter(work__publisher="Paused Press")
    assert resumed.count() == 4 and {item.state for item in resumed} == {"done"}
    assert all("Filled from PubMed" in item.outcome for item in resumed)
    assert all(ncbi.fetched(pmid) <= 1 for pmid in pmids), "PubMed's parts done in the pause were not redone"
    assert sum(ncbi.fetched(pmid) for pmid in pmids) == 4, (
        "the 4 items Crossref failed first got no PubMed part"
    )
