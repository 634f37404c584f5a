"""BibLaTeX data inheritance: what an entry takes from the entries named in its `xdata` and `crossref` fields.

Fields are plain strings (keys lower-cased, enclosing braces removed). An entry's own fields always win, then
its `xdata` containers' (copied as they are), then its `crossref` parent's, renamed by biblatex's rules
(appendix B of its manual): a book's `title` is its chapter's `booktitle`, a multi-volume work's `title` its
volume's `maintitle`, a periodical's `title` its article's `journaltitle`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Fields = dict[str, str]

# biblatex never inherits these; nor do we take the parent's identifiers and texts, which describe the parent
# work and would make a chapter a duplicate of its book (its DOI, PMID, abstract, pages).
_NOT_INHERITED = frozenset(
    (
        *("ids", "crossref", "xref", "xdata", "entryset", "entrysubtype", "execute", "label", "options"),
        *("presort", "related", "relatedoptions", "relatedstring", "relatedtype", "shorthand"),
        *("shorthandintro", "sortkey", "doi", "pmid", "pmcid", "eprint", "eprinttype", "eprintclass"),
        *("archiveprefix", "primaryclass", "url", "urldate", "abstract", "keywords", "annotation"),
        *("annote", "note", "file", "pages", "eid", "chapter"),
    )
)
_TITLE_FIELDS = ("title", "subtitle", "titleaddon")
_DROPPED_WITH_TITLE = frozenset(("shorttitle", "sorttitle", "indextitle", "indexsorttitle"))
_DATE_FIELDS = frozenset(("date", "year", "month", "day"))
_WHOLES = frozenset(
    (
        "book",
        "collection",
        "proceedings",
        "reference",
        "mvbook",
        "mvcollection",
        "mvproceedings",
        "mvreference",
    )
)
_PARTS = frozenset(
    ("inbook", "bookinbook", "suppbook", "incollection", "inreference", "suppcollection", "inproceedings")
)


@dataclass
class Source:
    entry_type: str  # lower-case
    fields: Fields


@dataclass
class Inheritance:
    """Resolves entries by key; `problems` collects what a curator should know, by the key it concerns."""

    sources: dict[str, Source]
    problems: dict[str, list[str]] = field(default_factory=dict)
    _resolved: dict[str, Fields] = field(default_factory=dict)
    _resolving: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._folded = {key.casefold(): key for key in reversed(self.sources)}

    def fields(self, key: str, source: Source) -> Fields:
        """The entry's fields with what it inherits; `key` may be "" for an entry nobody can point to."""
        if key and key in self._resolved:
            return self._resolved[key]
        self._resolving.add(key)
        merged = dict(source.fields)
        for name in _key_list(source.fields.get("xdata", "")):
            if parent := self._parent(key, name, "xdata"):
                _take(merged, parent[1], rename={})
        name = source.fields.get("crossref", "").strip()
        if name and (parent := self._parent(key, name, "crossref")):
            _take(merged, parent[1], rename=_renames(parent[0].entry_type, source.entry_type))
        self._resolving.discard(key)
        if key:
            self._resolved[key] = merged
        return merged

    def _parent(self, child: str, name: str, via: str) -> tuple[Source, Fields] | None:
        key = name if name in self.sources else self._folded.get(name.casefold())
        if key is None:
            self._note(child, f"{via} entry {name} is not in the file")
            return None
        if key in self._resolving:
            self._note(child, f"{via} entries {child} and {key} point to each other; nothing inherited")
            return None
        return self.sources[key], self.fields(key, self.sources[key])

    def _note(self, key: str, message: str) -> None:
        notes = self.problems.setdefault(key, [])
        if message not in notes:
            notes.append(message)


def _key_list(value: str) -> list[str]:
    return [key.strip() for key in value.split(",") if key.strip()]


def _renames(parent_type: str, child_type: str) -> dict[str, str | None]:
    prefix = _title_prefix(parent_type.lower(), child_type.lower())
    if prefix is None:
        return {}
    renames: dict[str, str | None] = {name: prefix + name for name in _TITLE_FIELDS}
    renames.update(dict.fromkeys(_DROPPED_WITH_TITLE))
    return renames


def _title_prefix(parent_type: str, child_type: str) -> str | None:
    if parent_type == "periodical":
        return "journal" if child_type in ("article", "suppperiodical") else None
    if parent_type in _WHOLES and parent_type.startswith("mv") and child_type in _WHOLES | _PARTS:
        return "main"
    if parent_type in _WHOLES and child_type in _PARTS:
        return "book"
    return None


def _take(child: Fields, parent: Fields, rename: dict[str, str | None]) -> None:
    """Copy the parent's fields the child lacks; a child with any date takes none of the parent's."""
    dated = bool(_DATE_FIELDS & child.keys())
    for name, value in parent.items():
        target = rename.get(name, name)
        if target is None or name in _NOT_INHERITED or (dated and name in _DATE_FIELDS):
            continue
        child.setdefault(target, value)
