"""One rate limit and one concurrency cap shared by every worker process, kept in Redis.

The rate is a gap between consecutive grants (GCRA with no burst): at most one request every
interval / rate seconds. The cap is a set of leases that expire on their own, so a killed worker
cannot hold a slot for ever. Limits the server announces lower the configured ones for a while,
and a Retry-After pauses every process at once. Redis's clock is the only clock, so processes agree.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import redis

# KEYS: leases (sorted set: token -> expiry), next grant time, announced limits (hash), pause-until.
# ARGV: token, lease seconds, gap seconds, concurrency.
# Returns 0 when a slot was granted, else the seconds to wait before asking again.
_ACQUIRE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local gap, cap = tonumber(ARGV[3]), tonumber(ARGV[4])
local announced = redis.call('HMGET', KEYS[3], 'gap', 'cap')
if announced[1] then gap = math.max(gap, tonumber(announced[1])) end
if announced[2] then cap = math.min(cap, tonumber(announced[2])) end
local paused = tonumber(redis.call('GET', KEYS[4]) or '0')
if paused > now then return tostring(paused - now) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= cap then return '0.01' end
local next_grant = tonumber(redis.call('GET', KEYS[2]) or '0')
if next_grant > now then return tostring(next_grant - now) end
redis.call('SET', KEYS[2], tostring(now + gap), 'PX', math.ceil(gap * 1000) + 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return 0
"""


@dataclass(frozen=True)
class Limits:
    """At most `rate` requests per `interval` seconds, and at most `concurrency` in flight."""

    rate: float
    interval: float = 1.0
    concurrency: int = 1

    @property
    def gap(self) -> float:
        return self.interval / self.rate


def announced_limits(headers: Mapping[str, str]) -> Limits | None:
    """The limits a Crossref response announces (x-rate-limit-* or the older x-ratelimit-*), if any."""
    lowered = {name.lower(): value for name, value in headers.items()}
    rate = lowered.get("x-rate-limit-limit") or lowered.get("x-ratelimit-limit")
    interval = lowered.get("x-rate-limit-interval") or lowered.get("x-ratelimit-interval") or "1s"
    concurrency = lowered.get("x-concurrency-limit")
    try:
        return Limits(
            rate=float(rate) if rate else float("inf"),
            interval=float(interval.rstrip("s") or 1),
            concurrency=int(concurrency) if concurrency else 1_000_000,
        )
    except ValueError:
        return None


class Throttle:
    """A named throttle; every process that builds one with the same name shares its limits."""

    def __init__(
        self,
        client: redis.Redis,
        name: str,
        limits: Limits,
        *,
        lease_seconds: float = 60,
        margin: float = 0.0,
        announcement_seconds: float = 3600,
    ) -> None:
        self.redis, self.limits, self.lease_seconds = client, limits, lease_seconds
        self.margin, self.announcement_seconds = margin, announcement_seconds
        self.keys = [f"{name}:leases", f"{name}:next", f"{name}:announced", f"{name}:paused-until"]
        self._acquire = client.register_script(_ACQUIRE)

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Wait for a free slot within the rate, hold it while the request runs, then give it back."""
        token = uuid.uuid4().hex
        while (wait := float(self._acquire(keys=self.keys, args=self._args(token)))) > 0:
            time.sleep(min(wait, 1.0))
        try:
            yield
        finally:
            self.redis.zrem(self.keys[0], token)

    def follow(self, announced: Limits) -> None:
        """Obey lower limits the server announced, in every process, for a while."""
        gap = announced.gap * (1 + self.margin) if announced.rate != float("inf") else 0
        current = self.redis.hgetall(self.keys[2])
        if gap > float(current.get(b"gap", 0)) and gap > self._gap():
            self.redis.hset(self.keys[2], "gap", gap)
        if announced.concurrency < int(current.get(b"cap", self.limits.concurrency)):
            self.redis.hset(self.keys[2], "cap", announced.concurrency)
        self.redis.expire(self.keys[2], int(self.announcement_seconds))

    def pause(self, seconds: float) -> None:
        """Hold every process back for `seconds` (a Retry-After); never shortens a longer pause."""
        now = _redis_now(self.redis)
        current = float(self.redis.get(self.keys[3]) or 0)
        if now + seconds > current:
            self.redis.set(self.keys[3], now + seconds, ex=int(seconds) + 1)

    def effective(self) -> Limits:
        """The limits in force now, after any announcement."""
        announced = self.redis.hgetall(self.keys[2])
        gap = max(self._gap(), float(announced.get(b"gap", 0)))
        cap = min(self.limits.concurrency, int(announced.get(b"cap", self.limits.concurrency)))
        return Limits(rate=1 / gap, interval=1.0, concurrency=cap)

    def reset(self) -> None:
        self.redis.delete(*self.keys)

    def _gap(self) -> float:
        return self.limits.gap * (1 + self.margin)

    def _args(self, token: str) -> list:
        return [token, self.lease_seconds, self._gap(), self.limits.concurrency]


def _redis_now(client: redis.Redis) -> float:
    seconds, microseconds = client.time()
    return seconds + microseconds / 1_000_000
