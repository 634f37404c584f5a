"""What the local stand-ins for Crossref and NCBI share: a threaded HTTP server on 127.0.0.1 that records every
request, answers after a random latency, refuses with 429 what its limits refuse, injects faults on request,
and stops at once (pending sleeps end, open connections are cut, the port is freed).

A server subclasses FakeServer with its limits (`_refusal`), its routes (`_route`), the replies of its faults
(`_fault_reply`) and the headers it adds to every reply (`_headers`); see tests.fakecrossref and tests.fakencbi.
"""

import contextlib
import random
import socket
import sys
import threading
import time
from collections import defaultdict, deque
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Self
from urllib.parse import parse_qs, unquote, urlsplit


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
    form: dict[str, list[str]]  # a POST's form body
    user_agent: str
    started: float
    ended: float | None = None
    status: int | None = None
    remaining: int | None = None  # requests its caller may still make in the window, once admitted

    @property
    def params(self) -> dict[str, list[str]]:
        """The query string's parameters and the form's, as a server that takes both reads them."""
        merged = {name: list(values) for name, values in self.query.items()}
        for name, values in self.form.items():
            merged.setdefault(name, []).extend(values)
        return merged

    def param(self, name: str) -> str:
        values = self.params.get(name)
        return values[0] if values else ""


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str | None = None  # the server's own type when None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Fault:
    """Answer the next ``times`` requests that match with ``kind`` instead of normally."""

    kind: str
    times: int

    def matches(self, record: RequestRecord) -> bool:
        return True


class Windows:
    """Sliding windows of admitted requests, one per caller: at most ``limit`` in any ``interval`` seconds."""

    def __init__(self) -> None:
        self._admitted: dict[Hashable, deque[float]] = defaultdict(deque)

    def admit(self, caller: Hashable, at: float, limit: int, interval: float) -> int | None:
        """Count the request and return how many more the caller may make; None (not counted) if over."""
        window = self._admitted[caller]
        while window and window[0] <= at - interval:
            window.popleft()
        if len(window) >= limit:
            return None
        window.append(at)
        return limit - len(window)

    def count(self, caller: Hashable) -> int:
        return len(self._admitted[caller])


class FakeServer:
    """The shared machinery; not a server of anything by itself."""

    FAULTS: ClassVar[frozenset[str]] = frozenset()
    METHODS: ClassVar[frozenset[str]] = frozenset({"GET"})
    content_type: ClassVar[str | None] = None  # of replies that name none
    Record: ClassVar[type[RequestRecord]] = RequestRecord
    name: ClassVar[str] = "fake-server"

    def __init__(
        self,
        latency: tuple[float, float] | None = None,
        *,
        slow_seconds: float = 10.0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.latency, self.slow_seconds = latency, slow_seconds
        self.violations = 0
        self.max_in_flight = 0
        self._address = (host, port)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._records: list[RequestRecord] = []
        self._faults: list[Fault] = []
        self._open = 0
        self._connections: set[socket.socket] = set()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle

    def start(self) -> Self:
        self._stopping.clear()
        self._httpd = _Server(self._address, self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=self.name, daemon=True
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
    def origin(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    # -- faults and observations

    def _add_fault(self, fault: Fault) -> None:
        if fault.kind not in self.FAULTS:
            raise ValueError(f"unknown fault {fault.kind!r}; expected one of {sorted(self.FAULTS)}")
        with self._lock:
            self._faults.append(fault)

    @property
    def requests(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)

    def clear(self) -> None:
        """Forget recorded requests, violations and the observed maximum (between benchmark phases)."""
        with self._lock:
            self._records.clear()
            self.violations = 0
            self.max_in_flight = self._open

    # -- what a server says (its own)

    def _refusal(self, record: RequestRecord, address: str) -> Reply | None:
        """A 429 if admitting the request would break a limit (counted in ``violations``); else admit it."""
        return None

    def _route(self, record: RequestRecord) -> Reply:
        raise NotImplementedError

    def _fault_reply(self, fault: Fault, record: RequestRecord) -> Reply:
        raise NotImplementedError

    def _headers(self, record: RequestRecord) -> dict[str, str]:
        """Headers every reply carries (a reply's own win)."""
        return {}

    def _left(self, record: RequestRecord, admitted: bool) -> None:
        """A request ends (called holding the lock)."""

    # -- request handling (runs in the server's threads)

    def _track(self, connection: socket.socket, open_: bool) -> None:
        with self._lock:
            (self._connections.add if open_ else self._connections.discard)(connection)

    def _handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        record = self._arrive(handler, body)
        reply = self._refusal(record, handler.client_address[0])
        admitted = reply is None
        try:
            if admitted:
                reply = self._answer(record)
        finally:
            # Leave before writing: a client that sends its next request as soon as it has read this
            # answer must not find its own finished request still counted as in flight.
            with self._lock:
                record.ended, record.status = time.monotonic(), reply.status if reply else None
                self._open -= 1
                self._left(record, admitted)
        self._send(handler, record, reply)

    def _arrive(self, handler: BaseHTTPRequestHandler, body: bytes) -> RequestRecord:
        parts = urlsplit(handler.path)
        record = self.Record(
            method=handler.command,
            target=handler.path,
            raw_path=parts.path,
            path=unquote(parts.path),
            query=parse_qs(parts.query, keep_blank_values=True),
            form=parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True),
            user_agent=handler.headers.get("User-Agent", ""),
            started=time.monotonic(),
        )
        with self._lock:
            self._records.append(record)
            self._open += 1
            self.max_in_flight = max(self.max_in_flight, self._open)
        return record

    def _answer(self, record: RequestRecord) -> Reply:
        if self.latency:
            self._stopping.wait(random.uniform(*self.latency))
        fault = self._take_fault(record)
        try:
            if fault is not None and fault.kind == "slow":
                self._stopping.wait(self.slow_seconds)
            if fault is None or fault.kind == "slow":
                return self._route(record)
            if fault.kind == "truncated":
                reply = self._route(record)
                return replace(reply, body=reply.body[: len(reply.body) // 2])
            return self._fault_reply(fault, record)
        except Exception as error:  # a broken route should show up in the test, not hang it
            return Reply(500, f"{type(self).__name__} failed: {error!r}".encode(), "text/plain")

    def _take_fault(self, record: RequestRecord) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(record):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _send(self, handler: BaseHTTPRequestHandler, record: RequestRecord, reply: Reply) -> None:
        handler.send_response(reply.status)
        for name, value in {**self._headers(record), **reply.headers}.items():
            handler.send_header(name, value)
        if content_type := reply.content_type or self.content_type:
            handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(reply.body)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(reply.body)


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
        self._serve(b"")

    def do_HEAD(self) -> None:
        self._serve(b"")

    def do_POST(self) -> None:
        self._serve(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def _serve(self, body: bytes) -> None:
        if self.command not in self.server.fake.METHODS:
            self.send_error(501, f"Unsupported method ({self.command!r})")
            return
        self.server.fake._handle(self, body)

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the records say it all
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], fake: FakeServer) -> None:
        self.fake = fake
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up, or a connection cut by stop(), is not an error worth a traceback.
        if self.fake._stopping.is_set() or isinstance(sys.exception(), ConnectionError):
            return
        super().handle_error(request, client_address)
