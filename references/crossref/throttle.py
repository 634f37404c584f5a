"""One rate limit and one concurrency cap shared by every worker process, kept in Redis.

The rate is a sliding window, as Crossref counts: no more than `rate` grants in any `interval`
(stretched by a small margin, so network jitter cannot squeeze two windows' worth into one of the
server's). The cap is a set of leases that expire on their own, so a killed worker cannot hold a slot
for ever. Limits the server announces lower the configured ones for a while, and a Retry-After pauses
every process at once. Redis's clock is the only clock, so processes agree.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import redis

# KEYS: leases (sorted set: token -> expiry), grants (sorted set: token -> time), announced limits (hash),
# pause-until. ARGV: token, lease seconds, configured count, configured window, configured cap.
# Returns 0 when a slot was granted, else the seconds to wait before asking again.
_ACQUIRE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local paused = tonumber(redis.call('GET', KEYS[4]) or '0')
if paused > now then return tostring(paused - now) end
local cap = tonumber(ARGV[5])
local limits = {{tonumber(ARGV[3]), tonumber(ARGV[4])}}
local announced = redis.call('HMGET', KEYS[3], 'count', 'window', 'cap')
if announced[1] then table.insert(limits, {tonumber(announced[1]), tonumber(announced[2])}) end
if announced[3] then cap = math.min(cap, tonumber(announced[3])) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= cap then return '0.005' end
local longest = 0
for _, limit in ipairs(limits) do
  longest = math.max(longest, limit[2])
  local recent = redis.call('ZRANGEBYSCORE', KEYS[2], now - limit[2], '+inf', 'WITHSCORES')
  local count = #recent / 2
  if count >= limit[1] then
    return tostring(tonumber(recent[2 * (count - limit[1]) + 2]) + limit[2] - now)
  end
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - longest)
redis.call('ZADD', KEYS[2], now, ARGV[1])
redis.call('PEXPIRE', KEYS[2], math.ceil(longest * 1000) + 1000)
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
    def per_second(self) -> float:
        return self.rate / self.interval

    def window(self, margin: float = 0.0) -> tuple[int, float]:
        """As a sliding window: (grants, seconds). Half a request per second is one in two seconds."""
        count, seconds = (
            (math.floor(self.rate), self.interval) if self.rate >= 1 else (1, self.interval / self.rate)
        )
        return count, seconds * (1 + margin)


def announced_limits(headers: Mapping[str, str]) -> Limits | None:
    """The limits a Crossref response announces (x-rate-limit-* or the older x-ratelimit-*), if any."""
    lowered = {name.lower(): value for name, value in headers.items()}
    rate = lowered.get("x-rate-limit-limit") or lowered.get("x-ratelimit-limit")
    interval = lowered.get("x-rate-limit-interval") or lowered.get("x-ratelimit-interval") or "1s"
    concurrency = lowered.get("x-concurrency-limit")
    try:
        return Limits(
            rate=float(rate) if rate else math.inf,
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
        self.keys = [f"{name}:leases", f"{name}:grants", f"{name}:announced", f"{name}:paused-until"]
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
        current = self.effective()
        if announced.per_second < current.per_second:
            count, window = announced.window(self.margin)
            self.redis.hset(self.keys[2], mapping={"count": count, "window": window})
        if announced.concurrency < current.concurrency:
            self.redis.hset(self.keys[2], "cap", announced.concurrency)
        self.redis.expire(self.keys[2], int(self.announcement_seconds))

    def pause(self, seconds: float) -> None:
        """Hold every process back for `seconds` (a Retry-After); never shortens a longer pause."""
        now = _redis_now(self.redis)
        current = float(self.redis.get(self.keys[3]) or 0)
        if now + seconds > current:
            self.redis.set(self.keys[3], now + seconds, ex=math.ceil(seconds) + 1)

    def effective(self) -> Limits:
        """The limits in force now, after any announcement."""
        announced = self.redis.hgetall(self.keys[2])
        cap = min(self.limits.concurrency, int(announced.get(b"cap", self.limits.concurrency)))
        limits = Limits(self.limits.rate, self.limits.interval, cap)
        if b"count" in announced:
            lowered = Limits(float(announced[b"count"]), float(announced[b"window"]) / (1 + self.margin), cap)
            limits = min(limits, lowered, key=lambda candidate: candidate.per_second)
        return limits

    def reset(self) -> None:
        self.redis.delete(*self.keys)

    def _args(self, token: str) -> list:
        count, window = self.limits.window(self.margin)
        return [token, self.lease_seconds, count, window, self.limits.concurrency]


def _redis_now(client: redis.Redis) -> float:
    seconds, microseconds = client.time()
    return seconds + microseconds / 1_000_000
