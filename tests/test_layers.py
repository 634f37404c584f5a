"""The apps' one-way dependencies: curation builds on references, never the reverse. Pages that join both
sit in curation (the work page) or above both; what still joins them inside references is listed here, to
move, and the list may only shrink."""

import ast
from pathlib import Path

from tests.helpers import ROOT

# Inside references, still reading curation: the exports' keywords, the API's tags, the list's finding filter.
STILL_JOINED = {
    "references/api/serializers.py",
    "references/api/views.py",
    "references/exports.py",
    "references/models.py",
}


def importers_of(package: str, within: str) -> set[str]:
    """The modules under `within` that import `package` or anything in it, inside functions too."""
    found = set()
    for path in sorted((ROOT / within).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and node.level == 0
                else []
            )
            if any(name == package or name.startswith(f"{package}.") for name in names):
                found.add(str(path.relative_to(ROOT)))
    return found


def test_references_reads_curation_only_where_listed():
    assert importers_of("curation", "references") == STILL_JOINED


def test_the_work_page_joining_both_sits_in_curation():
    assert "curation/work_views.py" in importers_of("references", "curation")
    assert not (Path(ROOT) / "templates/references/work_detail.html").exists()
