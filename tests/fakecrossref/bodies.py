"""Response bodies: the recorded Crossref files, and work bodies derived from them.

The recorded files live in ``$SHARED_DIR/fixtures/crossref`` (default ``../shared``); their README says which
request produced each one.
"""

import json
from functools import cache
from typing import Any

from config.shared import shared_dir

FIXTURES_DIR = shared_dir() / "fixtures" / "crossref"

# Crossref answers GET /works/10.26434/chemrxiv.5406907 with a 301 to the versioned DOI.
ALIASES = {"10.26434/chemrxiv.5406907": "10.26434/chemrxiv.5406907.v5"}

DEFAULT_TEMPLATE_DOI = "10.1371/journal.pone.0033693"

# query.bibliographic strings of the four recorded search answers (search-based-reference-matcher's tests).
CERMINE_MATCH_QUERY = (
    "[1]D. Tkaczyk, P. Szostek, M. Fedoryszak, P. J. Dendek, and Bolikowski,“CERMINE: automatic extraction "
    "of structured metadata from scientific literature,” International Journal on Document Analysis and "
    "Recognition (IJDAR), vol. 18, no. 4, pp. 317–335, 2015."
)
CERMINE_NOMATCH_QUERY = (
    "P. Szostek, M. Fedoryszak, P. J. Dendek, and Ł. Bolikowski,“CERMINE: automatic extraction of structured "
    "metadata from scientific literature,” IJDAR, vol. 14, no. 40, pp. 310–335, 2016."
)
# The recorded structured queries were built by Java code we do not reproduce; these constants are ours:
# the reference's field values (author, volume, first-page, year, journal-title) joined by spaces.
STRUCTURED_MATCH_QUERY = "Tkaczyk 18 317 2015 IJDAR"
STRUCTURED_NOMATCH_QUERY = "Tkaczyk 93 2015 Communications in Computer and Information"

RECORDED_SEARCHES = {
    CERMINE_MATCH_QUERY: "search-query-bibliographic-cermine-unstructured-match.json",
    CERMINE_NOMATCH_QUERY: "search-query-bibliographic-cermine-unstructured-nomatch.json",
    STRUCTURED_MATCH_QUERY: "search-query-bibliographic-structured-match.json",
    STRUCTURED_NOMATCH_QUERY: "search-query-bibliographic-structured-nomatch.json",
}
NO_RESULTS_FILE = "search-query-no-results-adfaaf.json"

# Crossref's 429 page as users reported it (CrossRef/rest-api-doc#159); no recorded 429 body exists.
TOO_MANY_REQUESTS = (
    b"<html><body><h1>429 Too Many Requests</h1>\n"
    b"You have sent too many requests in a given amount of time.\n</body></html>\n"
)
SERVICE_UNAVAILABLE = b"Service Unavailable"


def fixture_bytes(name: str) -> bytes:
    """The recorded body in file ``name``, byte for byte."""
    return (FIXTURES_DIR / name).read_bytes()


def recorded_message(name: str) -> Any:
    """The `message` of the recorded answer in file ``name``."""
    return json.loads(fixture_bytes(name))["message"]


@cache
def recorded_works() -> dict[str, bytes]:
    """Every recorded single-work body, keyed by its lower-cased DOI."""
    works = {}
    for path in sorted(FIXTURES_DIR.glob("work-*.json")):
        body = path.read_bytes()
        works[json.loads(body)["message"]["DOI"].lower()] = body
    return works


def recorded_search(query: str) -> bytes:
    """The recorded answer for a query.bibliographic string; the zero-results answer for any other."""
    return fixture_bytes(RECORDED_SEARCHES.get(query.strip(), NO_RESULTS_FILE))


def serialise(document: dict[str, Any]) -> bytes:
    """Compact JSON with ASCII escapes, as Crossref writes it."""
    return json.dumps(document, separators=(",", ":")).encode("ascii")


def work_list(items: list[dict[str, Any]], rows: int) -> bytes:
    """A ``work-list`` envelope around search results."""
    message = {
        "facets": {},
        "total-results": len(items),
        "items": items,
        "items-per-page": rows,
        "query": {"start-index": 0, "search-terms": None},
    }
    return serialise(
        {"status": "ok", "message-type": "work-list", "message-version": "1.0.0", "message": message}
    )


@cache
def _template(doi: str) -> dict[str, Any]:
    return json.loads(recorded_works()[doi.lower()])


def derive_work(doi: str, template_doi: str = DEFAULT_TEMPLATE_DOI, **fields: Any) -> dict[str, Any]:
    """A work envelope copied from a recorded one, with a new DOI and the given fields replaced.

    Known fields: title, container_title, author, year, volume, issue, page, ISSN, publisher, type,
    reference. Any other keyword sets that key as is (underscores become hyphens).
    """
    template = _template(template_doi)
    # Shallow copies: nested template values are replaced, never mutated.
    message = {k: v for k, v in template["message"].items() if k not in ("updated-by", "relation")}
    message.update({"DOI": doi, "URL": f"https://doi.org/{doi}", "prefix": doi.split("/", 1)[0]})
    for name, value in fields.items():
        message.update(_field(name, value))
    return {**template, "message": {k: v for k, v in message.items() if v is not None}}


def _field(name: str, value: Any) -> dict[str, Any]:
    """The message keys that one keyword of ``derive_work`` sets; None removes a key."""
    if name == "title":
        return {"title": _as_list(value), "subtitle": [], "short-title": [], "original-title": []}
    if name == "container_title":
        return {"container-title": _as_list(value), "short-container-title": []}
    if name == "author":
        return {"author": [_author(person, i) for i, person in enumerate(value)]}
    if name == "year":
        date = {"date-parts": [[value]]}
        return {
            "issued": date,
            "published": date,
            "published-print": date,
            "published-online": None,
            "journal-issue": None,
        }
    if name == "ISSN":
        issns = _as_list(value)
        return {"ISSN": issns, "issn-type": [{"value": issn, "type": "print"} for issn in issns]}
    if name == "reference":
        return {"reference": value, "reference-count": len(value), "references-count": len(value)}
    if name in ("volume", "issue", "page"):
        return {name: str(value)}
    return {name.replace("_", "-"): value}


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _author(person: str | dict[str, Any], position: int) -> dict[str, Any]:
    """A Crossref author from a dict (taken as is) or a "Family, Given" / "Given Family" string."""
    if isinstance(person, dict):
        return person
    if "," in person:
        family, given = (part.strip() for part in person.split(",", 1))
    else:
        given, _, family = person.rpartition(" ")
    sequence = "first" if position == 0 else "additional"
    return {"given": given, "family": family, "sequence": sequence, "affiliation": []}


def synthetic_fields(number: int) -> dict[str, Any]:
    """Distinct, plausible metadata for the ``number``-th benchmark work."""
    return {
        "title": [f"Synthetic benchmark study {number} of relapsed acute lymphoblastic leukemia"],
        "container_title": ["Journal of Benchmark Haematology"],
        "author": [f"Author{number}, Alice", f"Coauthor{number % 97}, Bob"],
        "year": 1990 + number % 35,
        "volume": 1 + number % 60,
        "issue": 1 + number % 12,
        "page": f"{100 + number}-{110 + number}",
    }
