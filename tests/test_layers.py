"""The apps' one-way dependencies: curation builds on references, never the reverse. Pages that join both
sit in curation (the work page) or above both; what still joins them inside references is listed here, to
move, and the list may only shrink."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Inside references, still reading curation: the exports' keywords, the API's tags, the list's finding filter.
STILL_JOINED = {
    "references/api/serializers.py",
    "references/api/views.py",
    "references/exports.py",
    "references/models.py",
}


def importers_of(package: str, within: str) -> set[str]:
    """The modules under `within` (a folder or a module) that import `package` or anything in it, inside
    functions too."""
    found = set()
    top = ROOT / within
    for path in sorted(top.rglob("*.py") if top.is_dir() else [top]):
        if "migrations" in path.parts:
            continue
        module = path.relative_to(ROOT).with_suffix("").parts
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):  # "from ..models import X" read as "references.models"
                base = ".".join(module[: len(module) - node.level] if node.level else ())
                names = [".".join(part for part in (base, node.module or "") if part)]
                names += [f"{names[0]}.{alias.name}" for alias in node.names]
            else:
                continue
            if any(name == package or name.startswith(f"{package}.") for name in names):
                found.add(str(path.relative_to(ROOT)))
    return found


def test_references_reads_curation_only_where_listed():
    assert importers_of("curation", "references") == STILL_JOINED


def test_the_work_page_joining_both_sits_in_curation():
    assert "curation/work_views.py" in importers_of("references", "curation")
    assert not (ROOT / "templates/references/work_detail.html").exists()


# Domain logic in plain Python: the readers, the exports' writers, Crossref's client and judge, matching, and
# the shared vocabularies of work types, people and identifiers know nothing of Django, HTTP or the ORM.
PLAIN = [
    "references/importers",
    "references/refparse",
    "references/export",
    "references/crossref",
    "references/matching.py",
    "references/people.py",
    "references/identifiers.py",
    "references/worktypes.py",
    "curation/agreement.py",
]


@pytest.mark.parametrize("within", PLAIN)
def test_plain_modules_import_no_django_and_no_models(within):
    assert importers_of("django", within) == set()
    assert importers_of("references.models", within) | importers_of("curation.models", within) == set()
