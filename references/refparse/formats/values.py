"""Values that database exports print in their own ways: dates, ISSNs, ISBNs, ORCIDs, keyword lists."""

from __future__ import annotations

import re
from collections.abc import Iterable

from references.importers.text import clean, unique

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
# "2007 Jul 28", "2007/07/28/", "2004 JUN 8", "2016/12//", "2018-03-18", "2002 Sep", "2016 Apr-Jun"
_DATE_RE = re.compile(r"^(\d{4})(?:[\s/\-]+(\d{1,2}|[A-Za-z]{3,9})\.?(?:[\s/\-]+(\d{1,2})(?!\d))?)?")
_ISSN_RE = re.compile(r"\b(\d{4})-?(\d{3}[\dXx])\b")
_ISBN_RE = re.compile(r"\b(?:97[89][\s-]?)?\d(?:[\s-]?\d){8}[\s-]?[\dXx]\b")
_ORCID_RE = re.compile(r"\b(\d{4}-\d{4}-\d{4}-\d{3}[\dX])\b")


def iso_date(printed: str) -> str:
    """'2007 Jul 28' -> '2007-07-28', '2016/12//' -> '2016-12', '2006' -> '2006'; "" without a leading year."""
    match = _DATE_RE.match(clean(printed))
    if not match:
        return ""
    year, month, day = match.groups()
    number = _month(month) if month else 0
    if not number:
        return year
    if day and 1 <= int(day) <= 31:
        return f"{year}-{number:02d}-{int(day):02d}"
    return f"{year}-{number:02d}"


def _month(printed: str) -> int:
    if printed.isdigit():
        return int(printed) if 1 <= int(printed) <= 12 else 0
    return _MONTHS.get(printed.lower(), 0)


def issns_from(values: Iterable[str]) -> list[str]:
    """'0140-6736 (Print)' and Scopus's '10518223' -> '0140-6736', '1051-8223'."""
    found = (f"{a}-{b.upper()}" for value in values for a, b in _ISSN_RE.findall(value))
    return unique(found)


def isbns_from(values: Iterable[str]) -> list[str]:
    """ISBNs as printed ('978-3-86680-192-9'), without 'ISBN' or '(cloth)'."""
    return unique(match.group(0) for value in values for match in _ISBN_RE.finditer(value))


def orcid_from(value: str) -> str:
    """'0000-0002-1825-0097' from 'ORCID: https://orcid.org/0000-0002-1825-0097' and the like."""
    match = _ORCID_RE.search(value.upper())
    return match.group(1) if match else ""


def split_list(values: Iterable[str], separator: str = ";") -> list[str]:
    """'Leukemia; Infant; ' -> ['Leukemia', 'Infant'], repeated values once."""
    parts: list[str] = []
    for value in values:
        if value:
            parts.extend(clean(value).split(separator))
    return list(dict.fromkeys(filter(None, map(str.strip, parts))))
