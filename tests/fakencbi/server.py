"""A local HTTP server that answers like NCBI's E-utilities, with its rate limits, latency and injected faults."""

import contextlib
import random
import re
import socket
import sys
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

from tests.fakencbi import bodies

XML = "text/xml; charset=UTF-8"
FAULTS = frozenset({"429", "500", "502", "503", "slow", "truncated", "error"})
PATH = "/entrez/eutils/"
_DOI_TERM = re.compile(r'"?([^"\s()]+?)"?\s*\[doi\]', re.IGNORECASE)


@dataclass
class RequestRecord:
    """One request as the server saw it; ``params`` merges the query string and a POST's form body."""

    method: str
    path: str
    params: dict[str, list[str]]
    started: float
    ended: float | None = None
    status: int | None = None

    def param(self, name: str) -> str:
        values = self.params.get(name)
        return values[0] if values else ""

    @property
    def tool(self) -> str:
        return self.path.rsplit("/", 1)[-1].removesuffix(".fcgi")

    @property
    def ids(self) -> list[str]:
        return [pmid for pmid in self.param("id").split(",") if pmid.strip()]


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str = XML
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Fault:
    kind: str
    times: int
    tool: str | None = None  # "efetch", "esearch", ... or any
    message: str = "Unable to obtain query #1"


class FakeNCBI:
    """Serves recorded E-utilities answers on 127.0.0.1 under /entrez/eutils/, enforcing NCBI's limits.

    Each caller (its ``api_key``, else its address) may make ``rate`` requests a second, ``key_rate`` with a key;
    a request over the limit is answered 429 with NCBI's JSON body and counted in ``violations``.
    """

    def __init__(
        self,
        rate: int | None = 3,
        key_rate: int | None = 10,
        latency: tuple[float, float] | None = None,
        *,
        slow_seconds: float = 10.0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.rate, self.key_rate, self.latency, self.slow_seconds = rate, key_rate, latency, slow_seconds
        self.records: dict[str, bytes] = dict(bodies.recorded_records())
        self.dois: dict[str, str] = bodies.record_dois(self.records)
        self.violations = 0
        self.max_in_flight = 0
        self._address = (host, port)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._records: list[RequestRecord] = []
        self._faults: list[Fault] = []
        self._windows: dict[str, deque[float]] = defaultdict(deque)
        self._open = 0
        self._connections: set[socket.socket] = set()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle

    def start(self) -> Self:
        self._stopping.clear()
        self._httpd = _Server(self._address, self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-ncbi", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop at once: pending sleeps end, open connections are cut, the port is freed."""
        if self._httpd is None:
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self._thread.join()
        self._httpd = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The base URL, as NCBI_BASE_URL takes it."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}{PATH}"

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
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; expected one of {sorted(FAULTS)}")
        with self._lock:
            self._faults.append(Fault(fault, times, tool, message or Fault.message))

    @property
    def requests(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)

    def fetched(self, pmid: str) -> int:
        """How many answered efetch requests asked for this PMID."""
        return sum(1 for r in self.requests if r.tool == "efetch" and r.status == 200 and pmid in r.ids)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()
            self.violations = 0
            self.max_in_flight = self._open

    # -- request handling (runs in the server's threads)

    def _track(self, connection: socket.socket, open_: bool) -> None:
        with self._lock:
            (self._connections.add if open_ else self._connections.discard)(connection)

    def _handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        record = self._arrive(handler, body)
        reply = self._refusal(record, handler.client_address[0])
        try:
            reply = reply or self._answer(record)
        finally:
            with self._lock:
                record.ended, record.status = time.monotonic(), reply.status if reply else None
                self._open -= 1
        self._send(handler, reply)

    def _arrive(self, handler: BaseHTTPRequestHandler, body: bytes) -> RequestRecord:
        parts = urlsplit(handler.path)
        params = parse_qs(parts.query, keep_blank_values=True)
        for name, values in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
            params.setdefault(name, []).extend(values)
        record = RequestRecord(handler.command, parts.path, params, time.monotonic())
        with self._lock:
            self._records.append(record)
            self._open += 1
            self.max_in_flight = max(self.max_in_flight, self._open)
        return record

    def _refusal(self, record: RequestRecord, address: str) -> Reply | None:
        """NCBI's 429 if this caller is over its limit in the last second; else count the request."""
        key = record.param("api_key")
        limit = self.key_rate if key else self.rate
        if limit is None:
            return None
        with self._lock:
            window = self._windows[key or address]
            while window and window[0] <= record.started - 1.0:
                window.popleft()
            if len(window) >= limit:
                self.violations += 1
                body = bodies.TOO_MANY_REQUESTS % ((key or address).encode(), len(window) + 1, limit)
                return Reply(429, body, "application/json", {"X-RateLimit-Limit": str(limit)})
            window.append(record.started)
            remaining = limit - len(window)
        record.params["_remaining"] = [str(remaining)]
        return None

    def _answer(self, record: RequestRecord) -> Reply:
        if self.latency:
            self._stopping.wait(random.uniform(*self.latency))
        fault = self._take_fault(record)
        try:
            reply = self._route(record)
            if fault is None:
                pass
            elif fault.kind == "slow":
                self._stopping.wait(self.slow_seconds)
            elif fault.kind == "truncated":
                reply = replace(reply, body=reply.body[: len(reply.body) // 2])
            elif fault.kind == "error":
                reply = Reply(200, bodies.error_answer(_result_root(record.tool), fault.message))
            else:
                reply = _FAULT_REPLIES[fault.kind]()
        except Exception as error:  # a broken route should show up in the test, not hang it
            reply = Reply(500, f"FakeNCBI failed: {error!r}".encode(), "text/plain")
        limit = self.key_rate if record.param("api_key") else self.rate
        if limit is not None:
            reply.headers.update(
                {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": record.param("_remaining")}
            )
        return reply

    def _take_fault(self, record: RequestRecord) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.tool in (None, record.tool):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _route(self, record: RequestRecord) -> Reply:
        if not record.path.startswith(PATH):
            return Reply(404, b"Not Found", "text/plain")
        if record.param("db") not in ("pubmed", ""):
            return Reply(200, bodies.error_answer(_result_root(record.tool), "Invalid db name specified"))
        route = _ROUTES.get(record.tool)
        return route(self, record) if route else Reply(404, b"Not Found", "text/plain")

    def _efetch(self, record: RequestRecord) -> Reply:
        if not record.ids:
            return Reply(200, bodies.error_answer("eFetchResult", "Empty id list - nothing todo"))
        found = [self.records[pmid] for pmid in record.ids if pmid in self.records]
        return Reply(200, bodies.efetch_answer(found))

    def _esearch(self, record: RequestRecord) -> Reply:
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

    def _epost(self, record: RequestRecord) -> Reply:
        return Reply(200, bodies.fixture_bytes("epost1.xml" if record.ids else "epost3.xml"))

    def _send(self, handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        handler.send_response(reply.status)
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Type", reply.content_type)
        handler.send_header("Content-Length", str(len(reply.body)))
        handler.end_headers()
        handler.wfile.write(reply.body)


_ROUTES: dict[str, Callable[[FakeNCBI, RequestRecord], Reply]] = {
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


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: "_Server"

    def setup(self) -> None:
        super().setup()
        self.server.fake._track(self.connection, open_=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._track(self.connection, open_=False)

    def do_GET(self) -> None:
        self.server.fake._handle(self, b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.server.fake._handle(self, self.rfile.read(length))

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], fake: FakeNCBI) -> None:
        self.fake = fake
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if self.fake._stopping.is_set() or isinstance(sys.exception(), ConnectionError):
            return
        super().handle_error(request, client_address)
