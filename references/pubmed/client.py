"""PubMed through NCBI's E-utilities, made polite and robust: shared throttle, retries, <ERROR> answers.

A plain HTTP client (httpx2, which habanero brings already) rather than Biopython's Bio.Entrez: Entrez keeps
its email, API key and address in module globals (one configuration per process, no local server per call),
spaces requests with a sleep in each process (no limit shared by workers), and retries on its own terms.
No ORM here: records come back as the PubMed XML reader's ParsedReference.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise

import httpx2

from references.crossref.client import Attempt, RetryPolicy
from references.crossref.throttle import Throttle, announced_limits
from references.refparse.formats.pubmed_xml import parse_pubmed_xml
from references.refparse.records import ParsedReference, Unreadable

EFETCH_BATCH = 200  # NCBI's most ids per request it documents for efetch
ESEARCH_BATCH = 50  # DOIs per esearch: an OR of [doi] terms, well under any length limit when POSTed
_ERROR = re.compile(rb"<ERROR>(.*?)</ERROR>", re.DOTALL)
_ID = re.compile(rb"<Id>(\d+)</Id>")
_COMPLETE = re.compile(rb"</(?:eSearchResult|PubmedArticleSet)>\s*$")
_RECORD_START = re.compile(rb"<Pubmed(?:Book)?Article>")
_RECORD_END = re.compile(rb"</Pubmed(?:Book)?Article>")
_PMID = re.compile(rb"<PMID[^>]*>(\d+)</PMID>")
_OWN_DOI = re.compile(rb'<(?:ArticleId IdType|ELocationID EIdType)="doi"[^>]*>([^<]+)<')
_CITED = (b"ReferenceList", b"CommentsCorrectionsList")
HEAD = b'<?xml version="1.0" ?>\n<PubmedArticleSet>\n'
TAIL = b"\n</PubmedArticleSet>\n"


class PubMedError(Exception):
    """NCBI could not answer; `reason` says why in words a curator understands."""

    def __init__(self, reason: str, *, retryable: bool = False, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.retryable, self.status = reason, retryable, status


@dataclass(frozen=True)
class Identity:
    """What every request carries, as NCBI asks: the tool's name, a contact, and the API key if any."""

    tool: str
    email: str
    api_key: str = ""

    def params(self) -> dict[str, str]:
        values = {"tool": self.tool, "email": self.email, "api_key": self.api_key}
        return {name: value for name, value in values.items() if value}


class PubMedClient:
    def __init__(
        self,
        http: httpx2.Client,
        throttle: Throttle,
        identity: Identity,
        *,
        base_url: str,
        retry: RetryPolicy | None = None,
        pause_seconds: float = 1.0,
        on_attempt: Callable[[Attempt], None] | None = None,
    ) -> None:
        self.http, self.throttle, self.identity = http, throttle, identity
        self.base_url = base_url.rstrip("/") + "/"
        self.retry, self.pause_seconds = retry or RetryPolicy(), pause_seconds
        self.on_attempt = on_attempt or (lambda attempt: None)

    def fetch_raw(self, pmids: Iterable[str]) -> dict[str, bytes]:
        """Each PubMed record's XML, by PMID, unread: a task reads its own work's record (see read_record),
        so that fetching is not held back by reading 200 records. The works a record cites and the comments
        on it, which the reader skips and which are often most of a record, are left out."""
        found: dict[str, bytes] = {}
        for chunk in _chunks(list(dict.fromkeys(pmids)), EFETCH_BATCH):
            body = self._request("efetch", {"db": "pubmed", "id": ",".join(chunk), "retmode": "xml"})
            for record in _split(body):
                if pmid := _PMID.search(record):
                    found.setdefault(pmid.group(1).decode(), _without_cited(record))
        return found

    def fetch_raw_by_doi(
        self, dois: Iterable[str], *, lookup: Callable[[list[str]], list[str]] | None = None
    ) -> dict[str, bytes]:
        """Each PubMed record's XML, by the DOI (lower-cased) it was found by; read_record checks the DOI.
        `lookup` finds the PMIDs (pmids_for_dois unless given)."""
        wanted = sorted({doi.lower() for doi in dois})
        found: dict[str, bytes] = {}
        for record in self.fetch_raw((lookup or self.pmids_for_dois)(wanted)).values():
            for doi in _OWN_DOI.findall(record):
                if (doi := doi.decode("utf-8", "replace").strip().lower()) in wanted:
                    found.setdefault(doi, record)
        return found

    def pmids_for_dois(self, dois: Iterable[str]) -> list[str]:
        """The PMIDs PubMed's [doi] field finds for these DOIs (an OR of terms finds no mapping: fetch to pair)."""
        pmids: list[str] = []
        for chunk in _chunks(list(dict.fromkeys(d.lower() for d in dois)), ESEARCH_BATCH):
            term = " OR ".join(f'"{doi}"[doi]' for doi in chunk)
            body = self._request("esearch", {"db": "pubmed", "term": term, "retmax": str(len(chunk) * 2)})
            pmids.extend(match.decode() for match in _ID.findall(body))
        return pmids

    def _request(self, tool: str, params: dict[str, str]) -> bytes:
        """POST, so that 200 ids or 50 DOIs fit; retried with backoff when NCBI may answer next time."""
        url, data = f"{self.base_url}{tool}.fcgi", {**params, **self.identity.params()}
        for attempt in range(1, self.retry.max_tries + 1):
            try:
                with self.throttle.slot():
                    response = self.http.post(url, data=data)
                self._obey(response)
                body = _checked(response)
                self.on_attempt(Attempt(tool, failed=False))
                return body
            except (PubMedError, httpx2.TransportError) as error:
                failure = error if isinstance(error, PubMedError) else _transport_failure(error)
                self.on_attempt(Attempt(tool, failed=failure.retryable))
                if not failure.retryable or attempt == self.retry.max_tries:
                    raise failure from error
                time.sleep(self._wait(attempt, failure))
        raise AssertionError("unreachable")

    def _obey(self, response: httpx2.Response) -> None:
        """A lower limit NCBI announces (a key it does not accept counts at 3 a second) holds for everyone."""
        announced = announced_limits(response.headers)
        if announced and announced.per_second < self.throttle.limits.per_second:
            self.throttle.follow(announced)

    def _wait(self, attempt: int, failure: PubMedError) -> float:
        """Backoff; after a 429 every process waits too, for the window NCBI counts in."""
        if failure.status != 429:
            return self.retry.delay(attempt, None)
        pause = max(self.pause_seconds, self.retry.delay(attempt, None))
        self.throttle.pause(pause)
        return pause


def read_record(raw: bytes) -> ParsedReference:
    """A record fetch_raw kept, read by the PubMed XML reader."""
    try:
        (record,) = parse_pubmed_xml((HEAD + raw + TAIL).decode("utf-8")).references
    except (Unreadable, UnicodeDecodeError, ValueError) as error:
        raise PubMedError(f"PubMed sent an unreadable record: {error}") from error
    return record


def _split(body: bytes) -> Iterator[bytes]:
    """The records of an efetch answer, each as its own XML (a scan for the tags, not a parse)."""
    starts = [match.start() for match in _RECORD_START.finditer(body)]
    for start, end in pairwise([*starts, len(body)]):
        ends = list(_RECORD_END.finditer(body, start, end))
        if ends:
            yield body[start : ends[-1].end()]


def _without_cited(record: bytes) -> bytes:
    for tag in _CITED:
        while (start := record.find(b"<" + tag)) >= 0:
            end = record.find(b"</" + tag + b">", start)
            if end < 0:
                break
            record = record[:start] + record[end + len(tag) + 3 :]
    return record


def _checked(response: httpx2.Response) -> bytes:
    """The body of a good answer; else the failure, retryable when NCBI may answer next time."""
    status = response.status_code
    if status == 429:
        raise PubMedError("NCBI asked us to slow down (429).", retryable=True, status=429)
    if status >= 500:
        raise PubMedError(f"NCBI had a server error ({status}).", retryable=True, status=status)
    if status != 200:
        raise PubMedError(f"NCBI refused the request ({status}).", status=status)
    body = response.content
    if errors := _ERROR.findall(body):
        text = "; ".join(error.decode("utf-8", "replace").strip() for error in errors)
        raise PubMedError(f"NCBI reported an error: {text}", status=status)
    if not _COMPLETE.search(body[-200:]):
        raise PubMedError("NCBI sent an incomplete answer.", retryable=True, status=status)
    return body


def _transport_failure(error: httpx2.TransportError) -> PubMedError:
    if isinstance(error, httpx2.TimeoutException):
        return PubMedError("NCBI did not answer in time.", retryable=True)
    return PubMedError(f"NCBI could not be reached: {error}.", retryable=True)


def _chunks(values: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
