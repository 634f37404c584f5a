"""Crossref through habanero, made polite and robust: shared throttle, retries, alias redirects, cache.

habanero sends the mailto in its User-Agent. Two of its habits need care: it puts a DOI into the URL
path as it is (a DOI with `#`, `?` or `;` would break the path), so DOIs are percent-encoded first;
and it raises on the 301 Crossref answers for an alias DOI, so the redirect is followed here.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote, unquote

import habanero
import httpx2

from .throttle import Limits, Throttle, announced_limits

SINGLE, LIST = "single", "list"
MAX_ALIAS_HOPS = 3


class Cache(Protocol):
    def get(self, key: str) -> Any: ...
    def set(self, key: str, value: Any, timeout: int) -> None: ...


class CrossrefError(Exception):
    """Crossref could not answer; `reason` says why in words a curator understands."""

    def __init__(self, reason: str, *, retryable: bool = False, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.retryable, self.status = reason, retryable, status


class NotFound(CrossrefError):
    pass


@dataclass
class Attempt:
    """What one HTTP request came to, for a batch's error count."""

    kind: str
    failed: bool


@dataclass
class RetryPolicy:
    max_tries: int = 5
    backoff: float = 1.0
    backoff_cap: float = 60.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Retry-After when the server gave one, else exponential backoff with full jitter."""
        if retry_after is not None:
            return retry_after
        return random.uniform(0, min(self.backoff_cap, self.backoff * 2 ** (attempt - 1)))


class CrossrefClient:
    def __init__(
        self,
        crossref: habanero.Crossref,
        throttles: dict[str, Throttle],
        *,
        cache: Cache | None = None,
        cache_prefix: str = "crossref",
        cache_seconds: int = 0,
        retry: RetryPolicy | None = None,
        on_attempt: Callable[[Attempt], None] | None = None,
    ) -> None:
        self.crossref, self.throttles = crossref, throttles
        self.cache, self.cache_prefix, self.cache_seconds = cache, cache_prefix, cache_seconds
        self.retry = retry or RetryPolicy()
        self.on_attempt = on_attempt or (lambda attempt: None)

    def work(self, doi: str) -> dict:
        """The Crossref record (`message`) of a DOI, following alias redirects."""
        for _hop in range(MAX_ALIAS_HOPS):
            try:
                return self._cached(SINGLE, f"work {doi.lower()}", lambda d=doi: self._fetch_work(d))
            except _Moved as moved:
                doi = moved.doi
        raise CrossrefError(f"Crossref redirected {doi} more than {MAX_ALIAS_HOPS} times.")

    def search(self, query: str, rows: int = 5) -> list[dict]:
        """Ranked candidates for a reference string, each with Crossref's `score`."""
        return self._cached(LIST, f"search {rows} {query}", lambda: self._search(query, rows))

    def _fetch_work(self, doi: str) -> dict:
        return self.crossref.works(ids=quote(doi, safe=""))["message"]

    def _search(self, query: str, rows: int) -> list[dict]:
        return self.crossref.works(query_bibliographic=query, limit=rows)["message"]["items"]

    def _cached(self, kind: str, request: str, fetch: Callable[[], Any]) -> Any:
        digest = hashlib.sha256(f"{self.crossref.base_url} {request}".encode()).hexdigest()
        key = f"{self.cache_prefix}:answer:{digest}"
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            return hit
        value = self._with_retries(kind, fetch)
        if self.cache is not None and self.cache_seconds:
            self.cache.set(key, value, self.cache_seconds)
        return value

    def _with_retries(self, kind: str, fetch: Callable[[], Any]) -> Any:
        throttle = self.throttles[kind]
        for attempt in range(1, self.retry.max_tries + 1):
            try:
                with throttle.slot():
                    value = fetch()
                self.on_attempt(Attempt(kind, failed=False))
                return value
            except Exception as error:  # classified below; what is not understood is re-raised
                failure = classify(error)
                self.on_attempt(Attempt(kind, failed=failure.error.retryable))
                if failure.announced:
                    throttle.follow(failure.announced)
                if not failure.error.retryable or attempt == self.retry.max_tries:
                    raise failure.error from error
                delay = self.retry.delay(attempt, failure.retry_after)
                if failure.retry_after is not None:
                    throttle.pause(delay)
                time.sleep(delay)
        raise AssertionError("unreachable")


class _Moved(Exception):
    def __init__(self, doi: str) -> None:
        self.doi = doi


@dataclass
class Failure:
    error: CrossrefError
    retry_after: float | None = None
    announced: Limits | None = None


def classify(error: Exception) -> Failure:
    """Turn whatever habanero or httpx2 raised into a reason, and whether to try again."""
    if response := getattr(_first(error, httpx2.HTTPStatusError), "response", None):
        return _status_failure(response)
    if _first(error, httpx2.TimeoutException):
        return Failure(CrossrefError("Crossref did not answer in time.", retryable=True))
    if _first(error, httpx2.TransportError):
        return Failure(CrossrefError(f"Crossref could not be reached: {error}.", retryable=True))
    if _first(error, json.JSONDecodeError) or isinstance(error, habanero.RequestError):
        return Failure(CrossrefError("Crossref sent an incomplete or malformed answer.", retryable=True))
    raise error


def _status_failure(response: httpx2.Response) -> Failure:
    status, headers = response.status_code, response.headers
    announced = announced_limits(headers)
    if status in (301, 302, 307, 308) and (location := headers.get("location")):
        raise _Moved(unquote(re.sub(r"^.*?/works/", "", location)))
    if status == 404:
        return Failure(NotFound("Crossref has no record of this DOI.", status=404), announced=announced)
    if status == 429:
        error = CrossrefError("Crossref asked us to slow down (429).", retryable=True, status=429)
        return Failure(error, _seconds(headers.get("retry-after")), announced)
    if status >= 500:
        error = CrossrefError(f"Crossref had a server error ({status}).", retryable=True, status=status)
        return Failure(error, announced=announced)
    return Failure(CrossrefError(f"Crossref refused the request ({status}).", status=status))


def _first(error: BaseException | None, kind: type[BaseException]) -> BaseException | None:
    """The first exception of this kind in the chain habanero and httpx2 raised (cause, then context)."""
    while error is not None:
        if isinstance(error, kind):
            return error
        error = error.__cause__ or error.__context__
    return None


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date; the backoff takes over
