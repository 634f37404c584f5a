"""The class of file that used to crash after a clean dry run: thousands of entries, long keys and values."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command

from references.models import Citation, ImportItem, Work

pytestmark = pytest.mark.django_db

SAMPLES = settings.SHARED_DIR / "samples"
LONG_VOLUME = "Supplement 2: Proceedings of the 61st Annual Meeting, part B.1"  # 62 characters
LONG_DOI = "10.1234/" + "x" * 300


def bibtex_list(copies: int) -> str:
    """biblatex's examples again and again, each copy's keys made distinct and longer than 21 characters,
    with volumes and DOIs longer than the columns that once held them."""
    text = (SAMPLES / "bibtex" / "biblatex-examples.bib").read_text(encoding="utf-8")
    copies_text = []
    for copy in range(copies):
        renamed = re.sub(r"^(@\w+\{)([^,\s]+),", rf"\1\2-copy-{copy:04d}-with-a-long-key,", text, flags=re.M)
        renamed = re.sub(
            r"(crossref|xdata)\s*=\s*\{([^}]+)\}", rf"\1 = {{\2-copy-{copy:04d}-with-a-long-key}}", renamed
        )
        copies_text.append(renamed)
    extra = "@article{long-values-entry-with-a-key-of-forty,\n title = {Long values}, journal = {Blood},\n"
    extra += (
        f" year = {{2020}}, volume = {{{LONG_VOLUME}}}, doi = {{{LONG_DOI}}}, pmid = {{not-a-pmid}}\n}}\n"
    )
    return "\n".join(copies_text) + "\n" + extra


def test_a_large_list_that_passes_its_dry_run_imports(tmp_path, capsys):
    work = Work.objects.create(title="A review citing thousands", doi="10.1234/citing")
    path = tmp_path / "large.bib"
    path.write_text(bibtex_list(copies=20), encoding="utf-8")
    call_command("import_references", str(path), "--into", str(work.pk), "--dry-run", "--skip-unreadable")
    dry_run = capsys.readouterr().out.splitlines()[0]
    call_command("import_references", str(path), "--into", str(work.pk), "--skip-unreadable")
    item = ImportItem.objects.get()
    assert dry_run.endswith(item.message)
    count = int(re.search(r"(\d+) references", item.message).group(1))
    assert count > 1_800 and work.citations.count() == item.reference_count == count
    long_one = Citation.objects.get(label="long-values-entry-with-a-key-of-forty")
    assert long_one.parsed["volume"] == LONG_VOLUME and long_one.doi == ""
    assert any("DOI longer than 255 characters" in problem for problem in item.problems)
    assert any("'not-a-pmid' is not a PubMed number" in problem for problem in item.problems)
