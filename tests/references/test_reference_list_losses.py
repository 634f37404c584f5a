"""A reference list never replaces a work's citations with fewer than the user agreed to."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from references.models import Citation, ImportBatch, Work
from tests.references.test_reference_lists import BIBTEX_WITH_A_BROKEN_ENTRY, TEXT_LIST

pytestmark = pytest.mark.django_db


@pytest.fixture
def write(tmp_path):
    def write(name: str, text: str):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def cited(write):
    """A work whose two citations a bad list must not wipe out."""
    work = Work.objects.create(title="A review that cites", doi="10.1234/citing")
    call_command("import_references", str(write("good.txt", TEXT_LIST)), "--into", str(work.pk))
    assert work.citations.count() == 2
    return work


def test_a_file_that_reads_as_no_reference_is_refused_and_replaces_nothing(cited, write):
    path = write("sentence.json", "This is a plain sentence, not a list of references.")
    with pytest.raises(CommandError, match="No reference could be read"):
        call_command("import_references", str(path), "--into", str(cited.pk), "--format", "csljson")
    assert cited.citations.count() == 2
    assert ImportBatch.objects.count() == 1  # the good import only


def test_unreadable_entries_are_refused_unless_their_loss_is_accepted(cited, write, capsys):
    path = write("half.bib", BIBTEX_WITH_A_BROKEN_ENTRY)
    with pytest.raises(
        CommandError, match=r"1 of 2 entries could not be read.*broken2011.*--skip-unreadable"
    ):
        call_command("import_references", str(path), "--into", str(cited.pk))
    assert cited.citations.count() == 2
    call_command("import_references", str(path), "--into", str(cited.pk), "--skip-unreadable")
    assert [c.label for c in cited.citations.all()] == ["mann2010"]
    output = capsys.readouterr()
    assert "left out: line 8" in output.err and "broken2011" in output.err
    assert "bibtex: 1 references, 1 entry left out" in output.out


def test_a_dry_run_says_what_the_import_would_refuse(cited, write):
    path = write("half2.bib", BIBTEX_WITH_A_BROKEN_ENTRY)
    with pytest.raises(CommandError, match="1 of 2 entries could not be read"):
        call_command("import_references", str(path), "--into", str(cited.pk), "--dry-run")


def test_lines_that_are_not_references_are_never_stored_as_citations(cited, write, capsys):
    text = TEXT_LIST + "3. See the supplementary appendix.\n"
    path = write("with-note.txt", text)
    call_command("import_references", str(path), "--into", str(cited.pk), "--skip-unreadable")
    assert cited.citations.count() == 2
    assert not Citation.objects.filter(raw__contains="supplementary").exists()
    assert "does not look like a reference" in capsys.readouterr().err


def test_deeply_nested_json_is_refused_by_the_command_without_a_traceback(cited, write):
    path = write("deep.json", "[" * 100_000)
    with pytest.raises(CommandError):
        call_command("import_references", str(path), "--into", str(cited.pk), "--format", "csljson")
    assert cited.citations.count() == 2
