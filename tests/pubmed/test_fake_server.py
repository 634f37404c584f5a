"""The local E-utilities server: recorded answers, NCBI's limits per caller, injected faults."""

import httpx2
import pytest

from references.refparse.formats.pubmed_xml import parse_pubmed_xml


def test_every_recorded_record_is_served_by_pmid(ncbi_server):
    pmids = ["30108519", "29963580", "12091962", "9997", "11748933", "11700088", "21413195"]
    answer = httpx2.post(f"{ncbi_server.url}efetch.fcgi", data={"db": "pubmed", "id": ",".join(pmids)})
    assert [record.pmid for record in parse_pubmed_xml(answer.text).references] == pmids


@pytest.mark.parametrize("ncbi_server", [{"rate": 3, "key_rate": 10}], indirect=True)
def test_a_caller_over_its_limit_gets_ncbis_429(ncbi_server):
    with httpx2.Client() as http:
        statuses = [http.get(f"{ncbi_server.url}einfo.fcgi").status_code for _ in range(4)]
        keyed = [http.get(f"{ncbi_server.url}esearch.fcgi", params={"api_key": "k"}) for _ in range(11)]
    assert statuses.count(429) == 1
    assert [r.status_code for r in keyed].count(429) == 1
    assert keyed[-1].json()["error"] == "API rate limit exceeded" and keyed[-1].json()["limit"] == "10"
    assert ncbi_server.violations == 2


def test_errors_in_a_200_answer_and_recorded_errors(ncbi_server):
    empty = httpx2.post(f"{ncbi_server.url}efetch.fcgi", data={"db": "pubmed"})
    assert empty.status_code == 200 and b"<ERROR>Empty id list" in empty.content
    wrong_db = httpx2.get(f"{ncbi_server.url}epost.fcgi", params={"db": "nothing", "id": "1"})
    assert b"<ERROR>Invalid db name specified" in wrong_db.content


def test_a_truncated_answer_is_cut_in_half(ncbi_server):
    whole = httpx2.post(f"{ncbi_server.url}efetch.fcgi", data={"id": "9997"}).content
    ncbi_server.inject("truncated")
    cut = httpx2.post(f"{ncbi_server.url}efetch.fcgi", data={"id": "9997"}).content
    assert len(cut) == len(whole) // 2 and whole.startswith(cut)
