"""A local HTTP server that answers like NCBI's E-utilities, with its rate limits, latency and injected faults."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from tests.fakencbi import bodies
from tests.fakeserver import FakeServer, Fault, Reply, RequestRecord, Windows

XML = "text/xml; charset=UTF-8"
PATH = "/entrez/eutils/"
_DOI_TERM = re.compile(r'"?([^"\s()]+?)"?\s*\[doi\]', re.IGNORECASE)


class NCBIRequest(RequestRecord):
    """A request to an E-utility; its parameters merge the query string and a POST's form body."""

    @property
    def tool(self) -> str:
        return self.path.rsplit("/", 1)[-1].removesuffix(".fcgi")

    @property
    def ids(self) -> list[str]:
        return [pmid for pmid in self.param("id").split(",") if pmid.strip()]


@dataclass
class ToolFault(Fault):
    tool: str | None = None  # "efetch", "esearch", ... or any
    message: str = "Unable to obtain query #1"

    def matches(self, record: NCBIRequest) -> bool:
        return self.tool in (None, record.tool)


class FakeNCBI(FakeServer):
    """Serves recorded E-utilities answers on 127.0.0.1 under /entrez/eutils/, enforcing NCBI's limits.

    Each caller (its ``api_key``, else its address) may make ``rate`` requests a second, ``key_rate`` with a key;
    a request over the limit is answered 429 with NCBI's JSON body and counted in ``violations``.
    """

    FAULTS: ClassVar[frozenset[str]] = frozenset({"429", "500", "502", "503", "slow", "truncated", "error"})
    METHODS: ClassVar[frozenset[str]] = frozenset({"GET", "POST"})
    content_type: ClassVar[str | None] = XML
    Record: ClassVar[type[RequestRecord]] = NCBIRequest
    name: ClassVar[str] = "fake-ncbi"

    def __init__(
        self,
        rate: int | None = 3,
        key_rate: int | None = 10,
        latency: tuple[float, float] | None = None,
        **server: Any,
    ) -> None:
        super().__init__(latency, **server)
        self.rate, self.key_rate = rate, key_rate
        self.records: dict[str, bytes] = dict(bodies.recorded_records())
        self.dois: dict[str, str] = bodies.record_dois(self.records)
        self._windows = Windows()

    @property
    def url(self) -> str:
        """The base URL, as NCBI_BASE_URL takes it."""
        return f"{self.origin}{PATH}"

    # -- content

    def add_record(self, pmid: str, **fields: Any) -> bytes:
        """Serve a record derived from the template (see ``bodies.derive_record``)."""
        body = bodies.derive_record(pmid, **fields)
        self.records[pmid] = body
        if doi := re.search(rb'<ArticleId IdType="doi">([^<]+)</ArticleId>', body):
            self.dois[doi.group(1).decode().lower()] = pmid
        return body

    def add_records(self, n: int, first_pmid: int = 90_000_001) -> list[str]:
        """Serve ``n`` synthetic records with PMIDs from ``first_pmid`` and DOIs 10.5555/pubmed.<PMID>."""
        pmids = [str(number) for number in range(first_pmid, first_pmid + n)]
        for pmid in pmids:
            self.add_record(pmid)
        return pmids

    # -- faults and observations

    def inject(self, fault: str, times: int = 1, tool: str | None = None, message: str | None = None) -> None:
        """Answer the next ``times`` requests (to ``tool`` if given) with ``fault`` instead of normally."""
        self._add_fault(ToolFault(fault, times, tool, message or ToolFault.message))

    @property
    def requests(self) -> list[NCBIRequest]:
        """Every request so far, in the order they arrived."""
        return super().requests

    def fetched(self, pmid: str) -> int:
        """How many answered efetch requests asked for this PMID."""
        return sum(1 for r in self.requests if r.tool == "efetch" and r.status == 200 and pmid in r.ids)

    # -- what NCBI says

    def _limit(self, record: RequestRecord) -> int | None:
        return self.key_rate if record.param("api_key") else self.rate

    def _refusal(self, record: RequestRecord, address: str) -> Reply | None:
        """NCBI's 429 if this caller is over its limit in the last second; else count the request."""
        caller, limit = record.param("api_key") or address, self._limit(record)
        if limit is None:
            return None
        with self._lock:
            record.remaining = self._windows.admit(caller, record.started, limit, 1.0)
            if record.remaining is not None:
                return None
            self.violations += 1
            body = bodies.TOO_MANY_REQUESTS % (caller.encode(), self._windows.count(caller) + 1, limit)
        return Reply(429, body, "application/json", {"X-RateLimit-Limit": str(limit)})

    def _headers(self, record: RequestRecord) -> dict[str, str]:
        limit = self._limit(record)
        if limit is None or record.remaining is None:
            return {}
        return {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(record.remaining)}

    def _route(self, record: NCBIRequest) -> Reply:
        if not record.path.startswith(PATH):
            return Reply(404, b"Not Found", "text/plain")
        if record.param("db") not in ("pubmed", ""):
            return Reply(200, bodies.error_answer(_result_root(record.tool), "Invalid db name specified"))
        route = _ROUTES.get(record.tool)
        return route(self, record) if route else Reply(404, b"Not Found", "text/plain")

    def _fault_reply(self, fault: ToolFault, record: NCBIRequest) -> Reply:
        if fault.kind == "error":
            return Reply(200, bodies.error_answer(_result_root(record.tool), fault.message))
        return _FAULT_REPLIES[fault.kind]()

    def _efetch(self, record: NCBIRequest) -> Reply:
        if not record.ids:
            return Reply(200, bodies.error_answer("eFetchResult", "Empty id list - nothing todo"))
        found = [self.records[pmid] for pmid in record.ids if pmid in self.records]
        return Reply(200, bodies.efetch_answer(found))

    def _esearch(self, record: NCBIRequest) -> Reply:
        term = record.param("term")
        dois = _DOI_TERM.findall(term)
        if dois:
            pmids = [pmid for doi in dois if (pmid := self.dois.get(doi.lower()))]
            return Reply(200, bodies.esearch_answer(pmids, term))
        if record.param("usehistory") == "y":
            return Reply(200, bodies.fixture_bytes("esearch2.xml"))
        if term.lower() == "biopython":
            return Reply(200, bodies.fixture_bytes("esearch1.xml"))
        return Reply(200, bodies.fixture_bytes("esearch8.xml"))

    def _epost(self, record: NCBIRequest) -> Reply:
        return Reply(200, bodies.fixture_bytes("epost1.xml" if record.ids else "epost3.xml"))


_ROUTES: dict[str, Callable[[FakeNCBI, NCBIRequest], Reply]] = {
    "efetch": FakeNCBI._efetch,
    "esearch": FakeNCBI._esearch,
    "epost": FakeNCBI._epost,
    "esummary": lambda server, record: Reply(200, bodies.fixture_bytes("esummary1.xml")),
    "elink": lambda server, record: Reply(200, bodies.fixture_bytes("elink1.xml")),
}

_FAULT_REPLIES: dict[str, Callable[[], Reply]] = {
    "429": lambda: Reply(429, bodies.TOO_MANY_REQUESTS % (b"injected", 11, 10), "application/json"),
    "500": lambda: Reply(500, b"<html><body>Internal Server Error</body></html>", "text/html"),
    "502": lambda: Reply(502, b"<html><body>Bad Gateway</body></html>", "text/html"),
    "503": lambda: Reply(503, b"Service Temporarily Unavailable", "text/plain"),
}


def _result_root(tool: str) -> str:
    return {"efetch": "eFetchResult", "esearch": "eSearchResult", "epost": "ePostResult"}.get(tool, "eResult")
