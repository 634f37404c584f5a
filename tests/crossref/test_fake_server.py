"""The fake Crossref server, driven through the real habanero client and httpx2."""

import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import httpx2
import pytest
from habanero import Crossref

from tests.fakecrossref import (
    CERMINE_MATCH_QUERY,
    CERMINE_NOMATCH_QUERY,
    STRUCTURED_MATCH_QUERY,
    STRUCTURED_NOMATCH_QUERY,
    FakeCrossref,
)
from tests.fakecrossref.bodies import fixture_bytes

pytest_plugins = ["tests.fakecrossref.pytest_plugin"]

PLOS_DOI = "10.1371/journal.pone.0033693"
PLOS_FILE = "work-10.1371_journal.pone.0033693.json"
SICI_DOI = "10.1002/1096-9861(20010212)430:3<283::aid-cne1031>3.0.co;2-v"
SICI_FILE = "work-10.1002_1096-9861_20010212_430_3_283_aid-cne1031_3.0.co_2-v.json"
MAILTO_UA = {"User-Agent": "curation-tests/1.0 (mailto:test@example.org)"}


@pytest.fixture
def server():
    with FakeCrossref() as fake:
        yield fake


def habanero_client(server: FakeCrossref, timeout: float = 5) -> Crossref:
    return Crossref(base_url=server.url, mailto="test@example.org", timeout=timeout)


def get(server: FakeCrossref, path: str, **options) -> httpx2.Response:
    return httpx2.get(server.url + path, **options)


def get_in_parallel(server: FakeCrossref, paths: list[str]) -> list[int]:
    """Send all requests at once, each on its own connection; their statuses in order."""
    barrier = threading.Barrier(len(paths))

    def fetch(path: str) -> int:
        barrier.wait()
        return get(server, path, timeout=10).status_code

    with ThreadPoolExecutor(len(paths)) as pool:
        return list(pool.map(fetch, paths))


# -- works


def test_recorded_work_is_served_byte_for_byte(server):
    response = get(server, f"/works/{PLOS_DOI}")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json;charset=utf-8"
    assert response.content == fixture_bytes(PLOS_FILE)


def test_habanero_gets_the_recorded_work(server):
    work = habanero_client(server).works(ids=PLOS_DOI)

    assert work == json.loads(fixture_bytes(PLOS_FILE))
    assert len(work["message"]["reference"]) == 70


def test_percent_encoded_sici_doi_resolves(server):
    response = get(server, "/works/" + quote(SICI_DOI, safe=""))

    assert response.status_code == 200
    assert response.content == fixture_bytes(SICI_FILE)
    (record,) = server.requests
    assert "%2F" in record.raw_path and "%3C" in record.raw_path
    assert record.path == f"/works/{SICI_DOI}"
    assert server.hits(SICI_DOI.upper()) == 1


def test_habanero_sends_the_sici_doi_unencoded_and_it_still_resolves(server):
    work = habanero_client(server).works(ids=SICI_DOI)

    assert work["message"]["DOI"] == SICI_DOI
    assert server.hits(SICI_DOI) == 1


def test_doi_lookup_ignores_case(server):
    assert get(server, f"/works/{PLOS_DOI.upper()}").content == fixture_bytes(PLOS_FILE)


def test_alias_answers_301_with_relative_location_and_no_body(server):
    response = get(server, "/works/10.26434%2Fchemrxiv.5406907")

    assert response.status_code == 301
    assert response.headers["location"] == "/works/10.26434/chemrxiv.5406907.v5"
    assert response.content == b""
    redirected = get(server, response.headers["location"])
    assert redirected.content == fixture_bytes("work-10.26434_chemrxiv.5406907.v5-after-301-alias.json")


def test_habanero_does_not_follow_the_alias_redirect(server):
    with pytest.raises(httpx2.HTTPStatusError) as caught:
        habanero_client(server).works(ids="10.26434/chemrxiv.5406907")

    assert caught.value.response.status_code == 301
    assert caught.value.response.headers["location"] == "/works/10.26434/chemrxiv.5406907.v5"
    assert server.hits("10.26434/chemrxiv.5406907.v5") == 0


def test_unknown_doi_is_a_plain_text_404(server):
    response = get(server, "/works/10.1371/notarealdoi")

    assert response.status_code == 404
    assert response.headers["content-type"] == "text/plain"
    assert response.content == b"Resource not found."
    with pytest.raises(httpx2.HTTPStatusError) as caught:
        habanero_client(server).works(ids="10.1371/notarealdoi")
    assert caught.value.response.status_code == 404


# -- derived works


def test_add_work_overrides_fields_of_the_template(server):
    server.add_work(
        "10.5555/Derived.1",
        title="A derived title",
        container_title="Leukemia",
        author=["Pieters, Rob", "Martin Schrappe"],
        year=2007,
        volume=370,
        issue="9583",
        page="240-250",
        ISSN=["0140-6736"],
        publisher="Elsevier BV",
        type="journal-article",
        reference=[{"key": "r1", "unstructured": "Some cited paper."}],
    )

    message = habanero_client(server).works(ids="10.5555/derived.1")["message"]

    assert message["DOI"] == "10.5555/Derived.1"
    assert message["title"] == ["A derived title"]
    assert message["container-title"] == ["Leukemia"]
    assert [(a["family"], a["given"], a["sequence"]) for a in message["author"]] == [
        ("Pieters", "Rob", "first"),
        ("Schrappe", "Martin", "additional"),
    ]
    assert message["issued"] == {"date-parts": [[2007]]}
    assert (message["volume"], message["issue"], message["page"]) == ("370", "9583", "240-250")
    assert message["ISSN"] == ["0140-6736"]
    assert message["publisher"] == "Elsevier BV"
    assert message["reference-count"] == 1
    assert "updated-by" not in message


def test_add_works_registers_valid_distinct_bodies(server):
    dois = server.add_works(200)

    assert len(set(dois)) == 200
    for doi in (dois[0], dois[99], dois[-1]):
        response = get(server, "/works/" + quote(doi, safe=""))
        assert response.status_code == 200
        assert json.loads(response.content)["message"]["DOI"] == doi
    titles = {json.loads(server.works[doi.lower()])["message"]["title"][0] for doi in dois}
    assert len(titles) == 200


def test_add_works_is_quick_enough_for_a_thousand_works():
    started = time.perf_counter()
    with FakeCrossref() as fake:
        fake.add_works(1000, prefix="10.5555/speed.")
    assert time.perf_counter() - started < 5


# -- search


def test_search_uses_the_callable_and_wraps_a_work_list(server):
    calls = []

    def search(query: str, rows: int) -> list[dict]:
        calls.append((query, rows))
        return [{"DOI": f"10.5555/hit.{i}", "title": [query], "score": 10.0 - i} for i in range(rows)]

    server.search = search
    answer = habanero_client(server).works(query_bibliographic="Interfant-99 Lancet 2007", limit=3)

    assert calls == [("Interfant-99 Lancet 2007", 3)]
    assert answer["status"] == "ok"
    assert answer["message-type"] == "work-list"
    assert answer["message-version"] == "1.0.0"
    message = answer["message"]
    assert message["facets"] == {}
    assert message["total-results"] == 3
    assert message["items-per-page"] == 3
    assert message["query"] == {"start-index": 0, "search-terms": None}
    assert [item["score"] for item in message["items"]] == [10.0, 9.0, 8.0]


def test_search_select_keeps_only_named_fields(server):
    server.search = lambda query, rows: [{"DOI": "10.5555/x", "title": ["X"], "score": 3.5, "volume": "1"}]

    answer = habanero_client(server).works(query_bibliographic="x", select=["DOI", "score"])

    assert answer["message"]["items"] == [{"DOI": "10.5555/x", "score": 3.5}]


@pytest.mark.parametrize(
    ("query", "filename"),
    [
        (CERMINE_MATCH_QUERY, "search-query-bibliographic-cermine-unstructured-match.json"),
        (CERMINE_NOMATCH_QUERY, "search-query-bibliographic-cermine-unstructured-nomatch.json"),
        (STRUCTURED_MATCH_QUERY, "search-query-bibliographic-structured-match.json"),
        (STRUCTURED_NOMATCH_QUERY, "search-query-bibliographic-structured-nomatch.json"),
        ("no such reference anywhere", "search-query-no-results-adfaaf.json"),
    ],
)
def test_recorded_search_answers_by_query(server, query, filename):
    response = get(server, "/works", params={"query.bibliographic": query, "rows": "5", "mailto": "a@b.org"})

    assert response.status_code == 200
    assert response.content == fixture_bytes(filename)


def test_cermine_match_query_has_the_recorded_length():
    assert len(CERMINE_MATCH_QUERY) == 256


def test_habanero_reads_a_recorded_search_answer(server):
    answer = habanero_client(server).works(query_bibliographic=CERMINE_MATCH_QUERY, limit=5)

    assert answer["message"]["items"][0]["DOI"] == "10.1007/s10032-015-0249-8"


# -- faults


@pytest.mark.parametrize(
    ("fault", "status", "content_type", "body"),
    [
        ("500", 500, "application/json", fixture_bytes("error-500-exception-cursor.json")),
        ("503", 503, "text/plain", b"Service Unavailable"),
        ("504", 504, "text/html", fixture_bytes("error-504-gateway-timeout.html")),
        ("404", 404, "text/plain", b"Resource not found."),
    ],
)
def test_injected_error_replaces_the_next_answer_only(server, fault, status, content_type, body):
    server.inject(fault)

    faulty = get(server, f"/works/{PLOS_DOI}")
    normal = get(server, f"/works/{PLOS_DOI}")

    assert (faulty.status_code, faulty.headers["content-type"], faulty.content) == (
        status,
        content_type,
        body,
    )
    assert normal.status_code == 200


def test_habanero_raises_http_status_error_on_injected_500(server):
    server.inject("500")

    with pytest.raises(httpx2.HTTPStatusError) as caught:
        habanero_client(server).works(ids=PLOS_DOI)

    assert caught.value.response.status_code == 500
    assert caught.value.response.json()["message-type"] == "exception"


def test_injected_429_carries_retry_after_and_is_not_a_violation(server):
    server.inject("429", retry_after=7)

    with pytest.raises(httpx2.HTTPStatusError) as caught:
        habanero_client(server).works(ids=PLOS_DOI)

    assert caught.value.response.status_code == 429
    assert caught.value.response.headers["retry-after"] == "7"
    assert server.violations == 0


def test_injected_faults_match_paths_and_count_down(server):
    server.inject("503", times=2, path_contains="pone")

    statuses = [
        get(server, "/works/10.1038/nnano.2014.279").status_code,
        get(server, f"/works/{PLOS_DOI}").status_code,
        get(server, f"/works/{PLOS_DOI}").status_code,
        get(server, f"/works/{PLOS_DOI}").status_code,
    ]

    assert statuses == [200, 503, 503, 200]


def test_truncated_answer_is_half_the_json_with_a_matching_length(server):
    server.inject("truncated")

    response = get(server, f"/works/{PLOS_DOI}")

    assert response.status_code == 200
    assert (
        int(response.headers["content-length"]) == len(response.content) == len(fixture_bytes(PLOS_FILE)) // 2
    )
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_habanero_raises_json_decode_error_on_truncated_answer(server):
    server.inject("truncated")

    with pytest.raises(json.JSONDecodeError):
        habanero_client(server).works(ids=PLOS_DOI)


def test_slow_answer_times_out_a_client_and_stop_does_not_wait_for_it():
    fake = FakeCrossref(slow_seconds=30).start()
    fake.inject("slow")

    with pytest.raises(httpx2.ReadTimeout):
        habanero_client(fake, timeout=0.3).works(ids=PLOS_DOI)

    started = time.perf_counter()
    fake.stop()
    assert time.perf_counter() - started < 2


def test_slow_answer_arrives_after_the_delay():
    with FakeCrossref(slow_seconds=0.3) as fake:
        fake.inject("slow")
        started = time.perf_counter()
        response = get(fake, f"/works/{PLOS_DOI}", timeout=5)
        assert response.status_code == 200
        assert time.perf_counter() - started >= 0.3


def test_unknown_fault_is_refused(server):
    with pytest.raises(ValueError):
        server.inject("418")


# -- limits


def test_requests_beyond_the_rate_get_429_and_count_as_violations():
    with FakeCrossref(rate_limit=3, interval=1.0) as fake, httpx2.Client(base_url=fake.url) as client:
        responses = [client.get(f"/works/{PLOS_DOI}") for _ in range(5)]

    assert [r.status_code for r in responses] == [200, 200, 200, 429, 429]
    assert responses[-1].headers["retry-after"] == "1"
    assert fake.violations == 2


def test_requests_spaced_within_the_rate_are_all_answered():
    with FakeCrossref(rate_limit=2, interval=0.2) as fake, httpx2.Client(base_url=fake.url) as client:
        statuses = []
        for _ in range(8):
            statuses.append(client.get(f"/works/{PLOS_DOI}").status_code)
            time.sleep(0.15)

    assert statuses == [200] * 8
    assert fake.violations == 0


def test_requests_beyond_the_concurrency_limit_get_429():
    with FakeCrossref(concurrency_limit=2, latency=(0.4, 0.4)) as fake:
        statuses = get_in_parallel(fake, [f"/works/{PLOS_DOI}"] * 4)

    assert sorted(statuses) == [200, 200, 429, 429]
    assert fake.violations == 2


def test_sequential_client_at_the_concurrency_limit_is_never_refused():
    with FakeCrossref(concurrency_limit=1) as fake, httpx2.Client(base_url=fake.url) as client:
        statuses = {client.get(f"/works/{PLOS_DOI}").status_code for _ in range(50)}

    assert statuses == {200}
    assert fake.max_in_flight == 1


def test_max_in_flight_and_request_records():
    with FakeCrossref(latency=(0.3, 0.3)) as fake:
        statuses = get_in_parallel(fake, [f"/works/{PLOS_DOI}"] * 5)

    assert statuses == [200] * 5
    assert fake.max_in_flight == 5
    record = fake.requests[0]
    assert (record.method, record.status, record.query) == ("GET", 200, {})
    assert record.user_agent.startswith("python-httpx2/")
    assert record.ended - record.started >= 0.3


def test_many_keep_alive_clients_in_parallel_are_all_served():
    def worker(_: int) -> list[int]:
        with httpx2.Client(base_url=fake.url) as client:
            return [client.get(f"/works/{PLOS_DOI}").status_code for _ in range(25)]

    with FakeCrossref(latency=(0.0, 0.01)) as fake, ThreadPoolExecutor(8) as pool:
        results = list(pool.map(worker, range(8)))

    assert [status for statuses in results for status in statuses] == [200] * 200
    assert fake.hits(PLOS_DOI) == 200


# -- headers


def test_headers_announce_the_limits_and_the_polite_pool():
    with FakeCrossref(rate_limit=10, interval=1, concurrency_limit=3) as fake:
        polite = get(fake, f"/works/{PLOS_DOI}", headers=MAILTO_UA).headers
        public = get(fake, f"/works/{PLOS_DOI}", headers={"User-Agent": "curation-tests/1.0"}).headers

    assert (polite["x-rate-limit-limit"], polite["x-rate-limit-interval"]) == ("10", "1s")
    assert polite["x-concurrency-limit"] == "3"
    assert polite["x-api-pool"] == "polite"
    assert public["x-api-pool"] == "public"


def test_announce_overrides_and_legacy_spellings():
    with FakeCrossref(rate_limit=10, legacy_headers=True, announce={"X-Ratelimit-Limit": "5"}) as fake:
        headers = get(fake, "/works/10.1371/notarealdoi").headers

    assert headers["x-ratelimit-limit"] == "5"
    assert headers["x-ratelimit-interval"] == "1s"
    assert "x-rate-limit-limit" not in headers


def test_refusals_carry_the_limit_headers_too():
    with FakeCrossref(rate_limit=1, interval=5) as fake:
        get(fake, f"/works/{PLOS_DOI}")
        refused = get(fake, f"/works/{PLOS_DOI}")

    assert refused.status_code == 429
    assert refused.headers["x-rate-limit-limit"] == "1"
    assert refused.headers["x-rate-limit-interval"] == "5s"


# -- lifecycle and fixture


def test_stop_frees_the_port():
    fake = FakeCrossref().start()
    port = int(fake.url.rsplit(":", 1)[1])
    get(fake, f"/works/{PLOS_DOI}")
    fake.stop()

    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
    with pytest.raises(httpx2.ConnectError):
        httpx2.get(f"http://127.0.0.1:{port}/works/{PLOS_DOI}")


def test_fixture_serves_recorded_works(crossref_server):
    assert get(crossref_server, f"/works/{PLOS_DOI}").content == fixture_bytes(PLOS_FILE)


@pytest.mark.parametrize("crossref_server", [{"rate_limit": 7, "concurrency_limit": 2}], indirect=True)
def test_fixture_takes_options_by_indirect_parametrisation(crossref_server):
    response = get(crossref_server, f"/works/{PLOS_DOI}")

    assert response.headers["x-rate-limit-limit"] == "7"
    assert response.headers["x-concurrency-limit"] == "2"
