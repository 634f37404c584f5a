"""A batch enriches from PubMed and Crossref together, on a real Celery worker, against both local servers."""

import uuid

import pytest

from config.celery import app as celery_app
from references.enrichment import start_enrichment
from references.models import EnrichmentBatch, FieldOrigin, Work
from tests.conftest import running_worker, worker_env
from tests.fakecrossref import FakeCrossref
from tests.fakencbi import FakeNCBI
from tests.helpers import ROOT, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

CRYO_PMID, CRYO_DOI = "11748933", "10.1006/cryo.2001.2328"  # pubmed2.xml: MeSH, no keywords
BLOOD_DOI = "10.3389/fphys.2018.01034"  # pubmed6.xml


@pytest.fixture(scope="module")
def queue():
    name, previous = f"pubmed-{uuid.uuid4().hex[:12]}", celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = name
    yield name
    celery_app.conf.task_default_queue = previous
    with celery_app.connection_for_write() as connection:
        connection.default_channel.client.delete(name)


@pytest.fixture
def servers():
    with FakeCrossref(rate_limit=10) as crossref, FakeNCBI(rate=3, latency=(0.02, 0.05)) as ncbi:
        yield crossref, ncbi


@pytest.fixture
def worker(queue, servers, django_db_blocker, settings):
    crossref, ncbi = servers
    settings.NCBI_ENRICH = True
    # The batch's PubMed groups are planned here, by start_enrichment, where the worker finds them.
    settings.NCBI_REDIS_PREFIX = f"test-pubmed-worker-{uuid.uuid4().hex}"
    with django_db_blocker.unblock():
        env = worker_env(
            CROSSREF_BASE_URL=crossref.url,
            CROSSREF_REDIS_PREFIX=f"test-pubmed-worker-{uuid.uuid4().hex}",
            NCBI_ENRICH="true",
            NCBI_BASE_URL=ncbi.url,
            NCBI_EMAIL="curators@example.org",
            NCBI_API_KEY="",
            NCBI_RATE="3",
            NCBI_REDIS_PREFIX=settings.NCBI_REDIS_PREFIX,
        )
    with running_worker(queue, env, log_path=ROOT / "test-pubmed-worker.log") as process:
        yield process


def test_a_batch_fills_from_both_sources_and_spares_the_curators_abstract(servers, worker):
    crossref, ncbi = servers
    crossref.add_work(CRYO_DOI, publisher="Elsevier BV")
    crossref.add_work(BLOOD_DOI, publisher="Frontiers Media SA")
    only_pmid = Work.objects.create(pmid=CRYO_PMID, title="")
    only_doi = Work.objects.create(doi=BLOOD_DOI, title="A blood relationship")
    curated = Work.objects.create(pmid="9997", title="Magnetic studies", abstract="Curator's summary.")
    FieldOrigin.objects.create(work=curated, field="abstract", source=FieldOrigin.Source.CURATOR)
    crossref.add_work("10.1016/0005-2795(76)90109-4", abstract="<jats:p>Crossref's abstract</jats:p>")
    batch = start_enrichment(works=[only_pmid, only_doi, curated], origin=EnrichmentBatch.Origin.COMMAND)

    wait_until(lambda: not batch.items.filter(state="pending").exists(), timeout=90)

    assert list(batch.items.values_list("state", flat=True)) == ["done"] * 3, list(
        batch.items.values("outcome")
    )
    only_pmid.refresh_from_db()
    assert only_pmid.title.startswith("Is cryopreservation a homogeneous process?")
    assert only_pmid.doi == CRYO_DOI and only_pmid.year == 2001 and only_pmid.container_title
    assert "Cell Membrane/ultrastructure" in only_pmid.mesh_terms and only_pmid.abstract
    assert [a.family for a in only_pmid.authors][:1] == ["Taddei"]
    origins = dict(only_pmid.field_origins.values_list("field", "source"))
    assert origins["abstract"] == origins["title"] == "pubmed" and origins["publisher"] == "crossref"
    assert crossref.hits(CRYO_DOI) == 1, "PubMed's DOI let Crossref fetch the record, not search"
    only_doi.refresh_from_db()
    assert only_doi.pmid == "30108519" and only_doi.abstract.startswith("Maximal Lactate")
    curated.refresh_from_db()
    assert curated.abstract == "Curator's summary."
    assert ncbi.violations == 0
    efetches = [r for r in ncbi.requests if r.tool == "efetch"]
    assert sorted(len(r.ids) for r in efetches) == [1, 2], "both PMIDs in one request, the DOI's in another"


def test_ncbi_down_fails_the_item_with_the_reason_and_keeps_crossrefs_fill(servers, worker):
    crossref, ncbi = servers
    crossref.add_work(BLOOD_DOI, publisher="Frontiers Media SA")
    ncbi.inject("503", times=50)
    work = Work.objects.create(doi=BLOOD_DOI, title="A blood relationship")
    batch = start_enrichment(works=[work], origin=EnrichmentBatch.Origin.COMMAND)
    wait_until(lambda: not batch.items.filter(state="pending").exists(), timeout=90)
    item = batch.items.get()
    assert item.state == "failed" and "PubMed failed: NCBI had a server error (503)." in item.outcome
    wait_until(lambda: Work.objects.filter(pk=work.pk, enrichment_state="failed").exists())
    work.refresh_from_db()
    assert work.publisher == "Frontiers Media SA", "Crossref's half is kept"
