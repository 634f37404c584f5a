"""A local HTTP server that answers like api.crossref.org, with its limits, latency and injected faults."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from tests.fakecrossref import bodies
from tests.fakeserver import FakeServer, Fault, Reply, RequestRecord, Windows

JSON = "application/json;charset=utf-8"

SearchFunction = Callable[[str, int], list[dict[str, Any]]]


@dataclass
class PathFault(Fault):
    path_contains: str | None = None
    retry_after: float | None = None

    def matches(self, record: RequestRecord) -> bool:
        return (
            self.path_contains is None
            or self.path_contains in record.target
            or self.path_contains in record.path
        )


class FakeCrossref(FakeServer):
    """Serves recorded Crossref bodies on 127.0.0.1, enforcing the limits it announces.

    ``search(query, rows)`` supplies the items of ``GET /works?query.bibliographic=…``; without it the
    recorded answers are served for their queries (see ``bodies.RECORDED_SEARCHES``) and an empty list
    for any other.
    """

    FAULTS: ClassVar[frozenset[str]] = frozenset({"429", "500", "503", "504", "slow", "truncated", "404"})
    METHODS: ClassVar[frozenset[str]] = frozenset({"GET", "HEAD"})
    name: ClassVar[str] = "fake-crossref"

    def __init__(
        self,
        rate_limit: int | None = None,
        interval: float = 1.0,
        concurrency_limit: int | None = None,
        latency: tuple[float, float] | None = None,
        search: SearchFunction | None = None,
        announce: dict[str, str] | None = None,
        *,
        legacy_headers: bool = False,
        **server: Any,
    ) -> None:
        super().__init__(latency, **server)
        self.rate_limit = rate_limit
        self.interval = interval
        self.concurrency_limit = concurrency_limit
        self.search = search
        self.announce = {name.lower(): value for name, value in (announce or {}).items()}
        self.legacy_headers = legacy_headers
        self.works: dict[str, bytes] = dict(bodies.recorded_works())
        self.aliases: dict[str, str] = dict(bodies.ALIASES)
        self._window = Windows()
        self._active = 0

    @property
    def url(self) -> str:
        return self.origin

    # -- content

    def add_work(
        self, doi: str, template_doi: str = bodies.DEFAULT_TEMPLATE_DOI, **fields: Any
    ) -> dict[str, Any]:
        """Serve a work derived from a recorded one (see ``bodies.derive_work``); returns its message."""
        envelope = bodies.derive_work(doi, template_doi, **fields)
        self.works[doi.lower()] = bodies.serialise(envelope)
        return envelope["message"]

    def add_works(self, n: int, prefix: str = "10.5555/bench.", **fields: Any) -> list[str]:
        """Serve ``n`` synthetic works ``{prefix}1`` … ``{prefix}n``; ``fields`` apply to all of them."""
        dois = [f"{prefix}{number}" for number in range(1, n + 1)]
        for number, doi in enumerate(dois, start=1):
            self.add_work(doi, **{**bodies.synthetic_fields(number), **fields})
        return dois

    # -- faults and observations

    def inject(
        self, fault: str, times: int = 1, path_contains: str | None = None, retry_after: float | None = None
    ) -> None:
        """Answer the next ``times`` matching requests with ``fault`` instead of normally."""
        self._add_fault(PathFault(fault, times, path_contains, retry_after))

    def hits(self, doi: str) -> int:
        """How many requests asked for ``/works/{doi}`` (case-insensitive, after percent-decoding)."""
        wanted = f"/works/{doi}".lower()
        return sum(1 for record in self.requests if record.path.lower() == wanted)

    # -- what Crossref says

    def _refusal(self, record: RequestRecord, address: str) -> Reply | None:
        """A 429 if admitting the request would break a limit (the rate is everyone's); else admit it."""
        with self._lock:
            over_concurrency = self.concurrency_limit is not None and self._active >= self.concurrency_limit
            if over_concurrency or (
                self.rate_limit is not None
                and self._window.admit(None, record.started, self.rate_limit, self.interval) is None
            ):
                self.violations += 1
                return _too_many_requests(retry_after=1)
            self._active += 1
            return None

    def _left(self, record: RequestRecord, admitted: bool) -> None:
        if admitted:
            self._active -= 1

    def _route(self, record: RequestRecord) -> Reply:
        if record.path.rstrip("/") == "/works":
            return self._search_reply(record.query)
        if record.path.startswith("/works/"):
            return self._work_reply(record.path.removeprefix("/works/"))
        return _not_found()

    def _fault_reply(self, fault: PathFault, record: RequestRecord) -> Reply:
        return _FAULT_REPLIES[fault.kind](fault)

    def _work_reply(self, doi: str) -> Reply:
        target = self.aliases.get(doi.lower())
        if target is not None:
            return Reply(301, headers={"Location": f"/works/{target}"})
        body = self.works.get(doi.lower())
        return Reply(200, body, JSON) if body is not None else _not_found()

    def _search_reply(self, query: dict[str, list[str]]) -> Reply:
        terms = _first(query, "query.bibliographic") or _first(query, "query") or ""
        rows = int(_first(query, "rows") or 20)
        if self.search is None:
            return Reply(200, bodies.recorded_search(terms), JSON)
        items = self.search(terms, rows)
        selected = _first(query, "select")
        if selected:
            items = [_select(item, selected.split(",")) for item in items]
        return Reply(200, bodies.work_list(items, rows), JSON)

    def _headers(self, record: RequestRecord) -> dict[str, str]:
        """The limit headers Crossref sends; unconfigured limits are not announced unless ``announce`` says."""
        polite = "mailto:" in record.user_agent or "mailto" in record.query
        prefix = "x-ratelimit-" if self.legacy_headers else "x-rate-limit-"
        headers = {
            f"{prefix}limit": self.rate_limit,
            f"{prefix}interval": f"{self.interval:g}s" if self.rate_limit is not None else None,
            "x-concurrency-limit": self.concurrency_limit,
            "x-api-pool": "polite" if polite else "public",
            **self.announce,
        }
        return {name: str(value) for name, value in headers.items() if value is not None}


def _first(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[0] if values else None


def _select(item: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """What Crossref's ``select`` keeps of an item: the named fields only, ``score`` included only if named."""
    return {name: value for name, value in item.items() if name in fields}


def _not_found() -> Reply:
    return Reply(404, bodies.fixture_bytes("error-404-works-notarealdoi.txt"), "text/plain")


def _too_many_requests(retry_after: float | None) -> Reply:
    headers = {} if retry_after is None else {"Retry-After": f"{retry_after:g}"}
    return Reply(429, bodies.TOO_MANY_REQUESTS, "text/html", headers)


_FAULT_REPLIES: dict[str, Callable[[PathFault], Reply]] = {
    "429": lambda fault: _too_many_requests(fault.retry_after),
    "404": lambda fault: _not_found(),
    "500": lambda fault: Reply(
        500, bodies.fixture_bytes("error-500-exception-cursor.json"), "application/json"
    ),
    "503": lambda fault: Reply(503, bodies.SERVICE_UNAVAILABLE, "text/plain"),
    "504": lambda fault: Reply(504, bodies.fixture_bytes("error-504-gateway-timeout.html"), "text/html"),
}
