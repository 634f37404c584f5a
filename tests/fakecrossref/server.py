"""A local HTTP server that answers like api.crossref.org, with its limits, latency and injected faults."""

import contextlib
import random
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, unquote, urlsplit

from tests.fakecrossref import bodies

JSON = "application/json;charset=utf-8"
FAULTS = frozenset({"429", "500", "503", "504", "slow", "truncated", "404"})

SearchFunction = Callable[[str, int], list[dict[str, Any]]]


@dataclass
class RequestRecord:
    """One request as the server saw it.

    Times are ``time.monotonic()`` seconds; ``ended`` and ``status`` are set just before the answer is
    written, so they are filled in by the time the client has read it.
    """

    method: str
    target: str  # the request target as sent, query string included
    raw_path: str  # the path as sent, still percent-encoded
    path: str  # the path percent-decoded
    query: dict[str, list[str]]
    user_agent: str
    started: float
    ended: float | None = None
    status: int | None = None


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Fault:
    kind: str
    times: int
    path_contains: str | None = None
    retry_after: float | None = None

    def matches(self, record: RequestRecord) -> bool:
        return (
            self.path_contains is None
            or self.path_contains in record.target
            or self.path_contains in record.path
        )


class FakeCrossref:
    """Serves recorded Crossref bodies on 127.0.0.1, enforcing the limits it announces.

    ``search(query, rows)`` supplies the items of ``GET /works?query.bibliographic=…``; without it the
    recorded answers are served for their queries (see ``bodies.RECORDED_SEARCHES``) and an empty list
    for any other.
    """

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
        slow_seconds: float = 10.0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.rate_limit = rate_limit
        self.interval = interval
        self.concurrency_limit = concurrency_limit
        self.latency = latency
        self.search = search
        self.announce = {name.lower(): value for name, value in (announce or {}).items()}
        self.legacy_headers = legacy_headers
        self.slow_seconds = slow_seconds
        self.works: dict[str, bytes] = dict(bodies.recorded_works())
        self.aliases: dict[str, str] = dict(bodies.ALIASES)
        self.violations = 0
        self.max_in_flight = 0
        self._address = (host, port)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._records: list[RequestRecord] = []
        self._faults: list[Fault] = []
        self._window: deque[float] = deque()
        self._open = 0
        self._active = 0
        self._connections: set[socket.socket] = set()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle

    def start(self) -> Self:
        self._stopping.clear()
        self._httpd = _Server(self._address, self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-crossref",
            daemon=True,
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
            with contextlib.suppress(OSError):  # already closed by the client
                connection.shutdown(socket.SHUT_RDWR)
        self._thread.join()
        self._httpd = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

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
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; expected one of {sorted(FAULTS)}")
        with self._lock:
            self._faults.append(Fault(fault, times, path_contains, retry_after))

    @property
    def requests(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)

    def hits(self, doi: str) -> int:
        """How many requests asked for ``/works/{doi}`` (case-insensitive, after percent-decoding)."""
        wanted = f"/works/{doi}".lower()
        return sum(1 for record in self.requests if record.path.lower() == wanted)

    def clear(self) -> None:
        """Forget recorded requests, violations and the observed maximum (between benchmark phases)."""
        with self._lock:
            self._records.clear()
            self.violations = 0
            self.max_in_flight = self._open

    # -- request handling (runs in the server's threads)

    def _track(self, connection: socket.socket, open_: bool) -> None:
        with self._lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        record = self._arrive(handler)
        reply = self._refusal(record)
        admitted = reply is None
        try:
            if admitted:
                reply = self._answer(record)
        finally:
            # Leave before writing: a client that sends its next request as soon as it has read this
            # answer must not find its own finished request still counted as in flight.
            self._leave(record, admitted, reply)
        self._send(handler, record, reply)

    def _arrive(self, handler: BaseHTTPRequestHandler) -> RequestRecord:
        parts = urlsplit(handler.path)
        record = RequestRecord(
            method=handler.command,
            target=handler.path,
            raw_path=parts.path,
            path=unquote(parts.path),
            query=parse_qs(parts.query, keep_blank_values=True),
            user_agent=handler.headers.get("User-Agent", ""),
            started=time.monotonic(),
        )
        with self._lock:
            self._records.append(record)
            self._open += 1
            self.max_in_flight = max(self.max_in_flight, self._open)
        return record

    def _refusal(self, record: RequestRecord) -> Reply | None:
        """A 429 if admitting the request would break a limit; else admit it and return None."""
        with self._lock:
            while self._window and self._window[0] <= record.started - self.interval:
                self._window.popleft()
            over_rate = self.rate_limit is not None and len(self._window) >= self.rate_limit
            over_concurrency = self.concurrency_limit is not None and self._active >= self.concurrency_limit
            if over_rate or over_concurrency:
                self.violations += 1
                return _too_many_requests(retry_after=1)
            self._window.append(record.started)
            self._active += 1
            return None

    def _leave(self, record: RequestRecord, admitted: bool, reply: Reply | None) -> None:
        with self._lock:
            record.ended = time.monotonic()
            record.status = reply.status if reply else None
            self._open -= 1
            if admitted:
                self._active -= 1

    def _answer(self, record: RequestRecord) -> Reply:
        if self.latency:
            self._stopping.wait(random.uniform(*self.latency))
        fault = self._take_fault(record)
        try:
            if fault is None:
                return self._route(record)
            if fault.kind == "slow":
                self._stopping.wait(self.slow_seconds)
                return self._route(record)
            if fault.kind == "truncated":
                reply = self._route(record)
                return replace(reply, body=reply.body[: len(reply.body) // 2])
            return _FAULT_REPLIES[fault.kind](fault)
        except Exception as error:  # a broken search callable should show up in the test, not hang it
            return Reply(500, f"FakeCrossref failed: {error!r}".encode(), "text/plain")

    def _take_fault(self, record: RequestRecord) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(record):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _route(self, record: RequestRecord) -> Reply:
        if record.path.rstrip("/") == "/works":
            return self._search_reply(record.query)
        if record.path.startswith("/works/"):
            return self._work_reply(record.path.removeprefix("/works/"))
        return _not_found()

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

    def _send(self, handler: BaseHTTPRequestHandler, record: RequestRecord, reply: Reply) -> None:
        handler.send_response(reply.status)
        for name, value in {**self._limit_headers(record), **reply.headers}.items():
            handler.send_header(name, value)
        if reply.content_type:
            handler.send_header("Content-Type", reply.content_type)
        handler.send_header("Content-Length", str(len(reply.body)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(reply.body)

    def _limit_headers(self, record: RequestRecord) -> dict[str, str]:
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


_FAULT_REPLIES: dict[str, Callable[[Fault], Reply]] = {
    "429": lambda fault: _too_many_requests(fault.retry_after),
    "404": lambda fault: _not_found(),
    "500": lambda fault: Reply(
        500, bodies.fixture_bytes("error-500-exception-cursor.json"), "application/json"
    ),
    "503": lambda fault: Reply(503, bodies.SERVICE_UNAVAILABLE, "text/plain"),
    "504": lambda fault: Reply(504, bodies.fixture_bytes("error-504-gateway-timeout.html"), "text/html"),
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive; every reply carries Content-Length
    disable_nagle_algorithm = True  # headers and body go out in two writes; don't wait for an ACK between
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
        self.server.fake._handle(self)

    do_HEAD = do_GET

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the records say it all
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], fake: FakeCrossref) -> None:
        self.fake = fake
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up, or a connection cut by stop(), is not an error worth a traceback.
        if self.fake._stopping.is_set() or isinstance(sys.exception(), ConnectionError):
            return
        super().handle_error(request, client_address)
