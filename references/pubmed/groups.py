"""PubMed's half of an enrichment batch fetched in groups: one efetch of up to 200 PMIDs (or one DOI lookup and
its efetch) instead of a request per work, several groups at once, shared by every process through Redis.

When a batch starts, its works' identifiers are split into numbered groups (the plan). A task that needs a
work's record takes it from the batch's store; if it is not there, the task claims the work's group and, so
that enough requests are in flight to use NCBI's limit, rolls on through the next free groups up to `ahead`
groups past its own, `in_flight` at once in threads (the shared throttle keeps them within the limit; DOI
lookups go before efetches, which wait on them), while the other tasks take their records as groups arrive.
Records are kept as fetched, unread (each task reads its own), so fetching is held back neither by reading nor
by writing works. A claim is a lease renewed while its fetch runs: a killed process's groups are claimed again
once their leases lapse, so nothing is lost and only the groups in flight at the kill are fetched twice. A
group's records are kept until every one of its works has used its own, or the batch ends. A group NCBI failed
(after the client's retries) keeps the failure for each of its works. No ORM here.
"""

from __future__ import annotations

import copy
import json
import queue
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial

import redis

from references.crossref.client import Attempt
from references.crossref.throttle import Throttle
from references.refparse.records import ParsedReference

from .client import ESEARCH_BATCH, PubMedClient, PubMedError, read_record

PMID, DOI = "pmid", "doi"
_MISSING, _FAILED = b"-", b"!"

# KEYS: fetched groups (set), claims (sorted set: group -> lease's end, in ms of Redis's clock).
# ARGV: first group, last group, how many, most claims at once, lease ms.
# Claims, in order, up to `how many` groups from first to last that are neither fetched nor claimed; beyond the
# first (the caller's own group), only while fewer than `most` claims are held by anyone.
_CLAIM = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local first, claimed = tonumber(ARGV[1]), {}
for n = first, tonumber(ARGV[2]) do
  if #claimed >= tonumber(ARGV[3]) then break end
  if n > first and redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then break end
  if redis.call('SISMEMBER', KEYS[1], n) == 0 and not redis.call('ZSCORE', KEYS[2], n) then
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), n)
    table.insert(claimed, n)
  end
end
return claimed
"""


def key_for(pmid: str, doi: str) -> str | None:
    """What PubMed finds a work by: its PMID, else its DOI (lower-cased); None when it has neither."""
    if pmid:
        return f"{PMID}:{pmid}"
    return f"{DOI}:{doi.lower()}" if doi else None


def split_key(key: str) -> tuple[str, str]:
    """A key's kind (PMID or DOI) and what PubMed finds it by: the PMID, or the lower-cased DOI."""
    kind, _, value = key.partition(":")
    return kind, value


def grouped(keys: Iterable[str], size: int) -> list[list[str]]:
    """PMIDs and DOIs in separate groups of at most `size`, in the order given, each key once."""
    groups: list[list[str]] = []
    keys = list(dict.fromkeys(keys))  # an iterator would be spent by the first kind
    for kind in (PMID, DOI):
        same = [key for key in keys if split_key(key)[0] == kind]
        groups += [same[start : start + size] for start in range(0, len(same), size)]
    return groups


@dataclass(frozen=True)
class Outcome:
    """What PubMed said about one work: its record's XML, no record, or the failure of its group's requests."""

    raw: bytes | None = None
    failure: str = ""

    def value(self, key: str) -> ParsedReference | None:
        """The record, read; a record found by a DOI that is not its own counts as none."""
        if self.failure:
            raise PubMedError(self.failure)
        if self.raw is None:
            return None
        record = read_record(self.raw)
        kind, value = split_key(key)
        return None if kind == DOI and record.doi.lower() != value else record


class GroupStore:
    """One batch's plan, claims and fetched records in Redis."""

    def __init__(
        self, client: redis.Redis, prefix: str, batch_id: int, *, lease_seconds: float, days: int = 7
    ) -> None:
        self.redis, self.lease_ms, self.ttl = client, int(lease_seconds * 1000), days * 86400
        base = f"{prefix}:batch:{batch_id}"
        self.groups_key, self.index_key, self.records_key = (
            f"{base}:groups",
            f"{base}:group-of",
            f"{base}:records",
        )
        self.fetched_key, self.claims_key, self.used_prefix = (
            f"{base}:fetched",
            f"{base}:claims",
            f"{base}:used:",
        )
        self._claim = client.register_script(_CLAIM)

    def plan(self, keys: Iterable[str], size: int) -> int:
        """Group the keys not planned yet (a resume adds those a first run could not know); returns how many
        groups were added."""
        known = set(self.redis.hkeys(self.index_key))
        new = [key for key in keys if key.encode() not in known]
        groups = grouped(new, size)
        if not groups:
            return 0
        first = self.redis.llen(self.groups_key)
        with self.redis.pipeline() as pipe:
            pipe.rpush(self.groups_key, *(json.dumps(group) for group in groups))
            pipe.hset(
                self.index_key,
                mapping={key: first + n for n, group in enumerate(groups) for key in group},
            )
            for name in (self.groups_key, self.index_key):
                pipe.expire(name, self.ttl)
            pipe.execute()
        return len(groups)

    def group_of(self, key: str) -> int | None:
        number = self.redis.hget(self.index_key, key)
        return None if number is None else int(number)

    def members(self, number: int) -> list[str]:
        return json.loads(self.redis.lindex(self.groups_key, number) or "[]")

    def count(self) -> int:
        return self.redis.llen(self.groups_key)

    def look(self, key: str, number: int) -> tuple[Outcome | None, bool]:
        """What is kept for the key, and whether its group was fetched, at once."""
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.hget(self.records_key, key)
            pipe.sismember(self.fetched_key, number)
            data, fetched = pipe.execute()
        return (None if data is None else _decode(data)), bool(fetched)

    def claim(self, first: int, last: int, how_many: int, most: int) -> list[int]:
        """Claim the group `first` if free, and free groups after it up to `last` while fewer than `most`
        groups are claimed by anyone; at most `how_many` in all."""
        args = [first, last, how_many, most, self.lease_ms]
        return [int(n) for n in self._claim(keys=[self.fetched_key, self.claims_key], args=args)]

    def renew(self, numbers: Iterable[int]) -> None:
        seconds, microseconds = self.redis.time()
        until = seconds * 1000 + microseconds // 1000 + self.lease_ms
        if mapping := {str(number): until for number in numbers}:
            self.redis.zadd(self.claims_key, mapping, xx=True)

    def release(self, numbers: Iterable[int]) -> None:
        if members := [str(number) for number in numbers]:
            self.redis.zrem(self.claims_key, *members)

    def keep(self, number: int, outcomes: dict[str, bytes]) -> None:
        """The group's outcomes (encoded), its mark as fetched and the end of its claim, at once."""
        with self.redis.pipeline(transaction=True) as pipe:
            if outcomes:
                pipe.hset(self.records_key, mapping=outcomes)
            pipe.sadd(self.fetched_key, number)
            pipe.zrem(self.claims_key, str(number))
            for name in (self.records_key, self.fetched_key, self.claims_key):
                pipe.expire(name, self.ttl)
            pipe.execute()

    def used(self, key: str, number: int) -> None:
        """A work took its record from its group; once all of a group's works have, the group's records go."""
        name = f"{self.used_prefix}{number}"
        with self.redis.pipeline() as pipe:
            pipe.lindex(self.groups_key, number)
            pipe.sadd(name, key)
            pipe.expire(name, self.ttl)
            pipe.scard(name)
            group, *_, done = pipe.execute()
        members = json.loads(group or "[]")
        if done >= len(members):
            self.redis.hdel(self.records_key, *members)

    def forget(self) -> None:
        """The batch ended: everything it kept goes."""
        names = [self.groups_key, self.index_key, self.records_key, self.fetched_key, self.claims_key]
        names += [f"{self.used_prefix}{number}" for number in range(self.count())]
        self.redis.delete(*names)


class Stopped(Exception):
    """The caller's attempt counter stopped the fetches (PubMed's half of the batch paused)."""


class BatchRecords:
    """PubMed records for one batch's works, fetched a group at a time.

    `on_attempt` runs in the calling thread for every request (the fetching threads hand their attempts over),
    so that it may use the database; whatever it raises stops the fetches and is raised again here.
    """

    def __init__(
        self,
        store: GroupStore,
        client: PubMedClient,
        *,
        in_flight: int,
        ahead: int,
        on_attempt: Callable[[Attempt], None] | None = None,
        poll_seconds: float = 0.1,
    ) -> None:
        self.store, self.client, self.in_flight, self.ahead = store, client, max(1, in_flight), ahead
        self.on_attempt = on_attempt or (lambda attempt: None)
        self.poll_seconds = poll_seconds
        self.groups: dict[str, int | None] = {}  # the group of each key asked for and not used yet

    def record(self, key: str) -> ParsedReference | None:
        """The record PubMed has for this key (None if none); PubMedError with the reason if NCBI failed."""
        number = self.groups[key] = self.store.group_of(key)
        if number is None:  # not planned (a DOI found since the batch started): on its own
            return self._fetch_alone(key)
        last = min(number + self.ahead, self.store.count() - 1)
        while True:
            outcome, fetched = self.store.look(key, number)
            if outcome is not None:
                return outcome.value(key)
            if fetched:  # its group's records are gone (used up by a task that died before it ended)
                return self._fetch_alone(key)
            if claimed := self.store.claim(number, last, self.in_flight, self.in_flight):
                self.fetch(number, last, claimed)
            else:  # another process fetches our group; its lease lapses if that process died
                time.sleep(self.poll_seconds)

    def used(self, key: str) -> None:
        """The work took its record (see GroupStore.used); its group as record() read it."""
        number = self.groups.pop(key) if key in self.groups else self.store.group_of(key)
        if number is not None:
            self.store.used(key, number)

    def fetch(self, first: int, last: int, claimed: list[int]) -> None:
        """Fetch the claimed groups and, as each ends, the next free groups up to `last`, `in_flight` at
        once; keep what NCBI said. What could not be finished is released for another process."""
        attempts: queue.SimpleQueue[Attempt] = queue.SimpleQueue()
        turns = _Turns(self.client.throttle)
        client = _reporting(self.client, attempts.put, turns)
        running: dict[Future, int] = {}
        try:
            with ThreadPoolExecutor(self.in_flight, thread_name_prefix="pubmed-group") as pool:
                try:
                    self._roll(pool, client, first, last, claimed, running, attempts)
                except BaseException:
                    turns.stop()  # the threads make no new request
                    raise
        finally:
            self._settle(running)

    def _settle(self, running: dict[Future, int]) -> None:
        """After a stop: keep the groups fetched all the same; release the others (failed ones too: the
        stop is a pause, and they are asked again on its resume) for another process."""
        unfinished = []
        for future, number in running.items():
            outcomes = None if future.exception() else future.result()
            if outcomes is None or any(value.startswith(_FAILED) for value in outcomes.values()):
                unfinished.append(number)
            else:
                self.store.keep(number, outcomes)
        self.store.release(unfinished)

    def _roll(
        self,
        pool: ThreadPoolExecutor,
        client: PubMedClient,
        first: int,
        last: int,
        claimed: list[int],
        running: dict[Future, int],
        attempts: queue.SimpleQueue,
    ) -> None:
        """Attempts are counted here as the threads make them, and the claims renewed while they run."""
        renewed = time.monotonic()
        while claimed or running:
            for number in claimed:
                running[pool.submit(_outcomes, client, self.store.members(number))] = number
            self._count(attempts)
            for future in [f for f in running if f.done()]:
                number = running.pop(future)
                if (outcomes := future.result()) is not None:
                    self.store.keep(number, outcomes)
            free = self.in_flight - len(running)
            claimed = self.store.claim(first, last, free, self.in_flight) if free else []
            if time.monotonic() - renewed > self.store.lease_ms / 3000:
                self.store.renew(running.values())
                renewed = time.monotonic()
            if running and not claimed:
                time.sleep(0.02)
        self._count(attempts)

    def _count(self, attempts: queue.SimpleQueue) -> None:
        while not attempts.empty():
            self.on_attempt(attempts.get())

    def _fetch_alone(self, key: str) -> ParsedReference | None:
        client = _reporting(self.client, self.on_attempt, _Turns(self.client.throttle))
        return _decode(_outcomes(client, [key])[key]).value(key)


def _reporting(client: PubMedClient, report: Callable[[Attempt], None], turns: _Turns) -> PubMedClient:
    """A copy of the client whose attempts are reported (to the calling thread) and whose requests take turns."""
    reporting = copy.copy(client)
    reporting.on_attempt, reporting.throttle = report, turns
    return reporting


class _Turns:
    """The client's throttle for the threads of one fetch: lookups first, and no new request (nor retry) once
    stopped.

    A DOI group's efetch waits for its lookups, so a lookup waiting for a slot goes before any efetch: what the
    limit lets through first is what other requests wait on, and the last requests of a batch are efetches,
    not lookups that an efetch must still follow. An efetch still goes at once when no lookup is waiting.
    """

    def __init__(self, throttle: Throttle) -> None:
        self.throttle, self.waiting, self.stopped = throttle, 0, False
        self.changed = threading.Condition()

    def slot(self) -> AbstractContextManager[None]:
        """An efetch's slot: once no lookup waits for one."""
        with self.changed:
            self.changed.wait_for(lambda: not self.waiting or self.stopped)
        return self._granted()

    @contextmanager
    def lookup_slot(self) -> Iterator[None]:
        with ExitStack() as held:
            with self.changed:
                self.waiting += 1
            try:
                held.enter_context(self._granted())
            finally:
                with self.changed:
                    self.waiting -= 1
                    self.changed.notify_all()
            yield

    def lookups(self) -> _Lookups:
        return _Lookups(self)

    def stop(self) -> None:
        with self.changed:
            self.stopped = True
            self.changed.notify_all()

    def _granted(self) -> AbstractContextManager[None]:
        if self.stopped:
            raise Stopped
        return self.throttle.slot()

    def __getattr__(self, name: str) -> object:
        return getattr(self.throttle, name)


class _Lookups:
    """The same turns, as the lookups' client takes them."""

    def __init__(self, turns: _Turns) -> None:
        self.turns = turns

    def slot(self) -> AbstractContextManager[None]:
        return self.turns.lookup_slot()

    def __getattr__(self, name: str) -> object:
        return getattr(self.turns.throttle, name)


def _outcomes(client: PubMedClient, keys: list[str]) -> dict[str, bytes] | None:
    """What PubMed says about each key of a group, encoded to be kept (in the fetching thread, as zlib lets
    other threads run meanwhile); None when the fetch was stopped. `client` takes its turns (see _Turns)."""
    split = [split_key(key) for key in keys]
    pmids = [value for kind, value in split if kind == PMID]
    dois = [value for kind, value in split if kind == DOI]
    try:
        found = {(PMID, pmid): raw for pmid, raw in client.fetch_raw(pmids).items()} if pmids else {}
        if dois:
            lookups = copy.copy(client)
            lookups.throttle = client.throttle.lookups()
            lookup = partial(_pmids_at_once, lookups)
            found |= {(DOI, doi): raw for doi, raw in client.fetch_raw_by_doi(dois, lookup=lookup).items()}
    except Stopped:
        return None
    except PubMedError as error:
        return {key: _encode(Outcome(failure=error.reason)) for key in keys}
    return {
        key: _encode(Outcome(raw=found.get(kind_value))) for key, kind_value in zip(keys, split, strict=True)
    }


def _pmids_at_once(client: PubMedClient, dois: list[str]) -> list[str]:
    """A group's DOIs looked up an esearch's worth each, all at once, so that a group of 200 DOIs waits for
    one esearch answer before its efetch instead of four in a row."""
    chunks = [dois[start : start + ESEARCH_BATCH] for start in range(0, len(dois), ESEARCH_BATCH)]
    if len(chunks) == 1:
        return client.pmids_for_dois(dois)
    with ThreadPoolExecutor(len(chunks), thread_name_prefix="pubmed-esearch") as pool:
        return [pmid for pmids in pool.map(client.pmids_for_dois, chunks) for pmid in pmids]


def _encode(outcome: Outcome) -> bytes:
    if outcome.failure:
        return _FAILED + outcome.failure.encode()
    return _MISSING if outcome.raw is None else zlib.compress(outcome.raw, 1)


def _decode(data: bytes) -> Outcome:
    if data.startswith(_FAILED):
        return Outcome(failure=data[1:].decode())
    return Outcome() if data == _MISSING else Outcome(raw=zlib.decompress(data))
