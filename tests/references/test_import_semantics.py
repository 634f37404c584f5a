"""One transaction per file, idempotent re-imports, updates that keep curators' work, a record of each import."""

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from curation.models import Annotation, Finding
from references.models import Citation, Contributor, ImportBatch, ImportItem, SourceDocument, Work
from references.pipeline.pages import import_sources

pytestmark = pytest.mark.django_db


def run_import(*files: tuple[str, bytes], user=None) -> ImportBatch:
    sources = [ContentFile(data, name=name) for name, data in files]
    return import_sources(sources, user=user, origin=ImportBatch.Origin.COMMAND)


def only_item(batch: ImportBatch) -> ImportItem:
    (item,) = batch.items.all()
    return item


def updated_springer_page(seed_paths) -> bytes:
    text = seed_paths["000"].read_text(encoding="utf-8")
    text = text.replace(
        "novel treatment approaches in development.", "novel treatment approaches now in trials."
    )
    extra = "  76. Doe J. An added reference. Blood. 2023;141(1):1–2.\n\n    Google Scholar \n\n"
    return text.replace("Download references", extra + "Download references").encode()


def test_import_records_who_when_file_hash_and_counts(seed_paths, admin_user):
    batch = run_import(("000.txt", seed_paths["000"].read_bytes()), user=admin_user)
    item = only_item(batch)
    assert batch.created_by == admin_user and batch.finished_at is not None
    assert (item.outcome, item.reference_count, item.size) == (
        "created",
        75,
        seed_paths["000"].stat().st_size,
    )
    assert len(item.sha256) == 64
    document = SourceDocument.objects.get()
    assert (document.sha256, document.imported_by, document.page_kind) == (
        item.sha256,
        admin_user,
        "springer-chapter",
    )


def test_updated_page_updates_the_work_and_keeps_annotations(seed_paths, admin_user):
    run_import(("000.txt", seed_paths["000"].read_bytes()))
    work = Work.objects.sources().get()
    kept_citation = work.citations.get(position=3)
    annotation = Annotation.objects.create(
        work=work,
        finding=Finding.objects.get(label="KMT2A-r"),
        evidence="Rearrangement of the KMT2A gene",
        created_by=admin_user,
    )
    batch = run_import(("000-v2.txt", updated_springer_page(seed_paths)))
    item = only_item(batch)
    assert item.outcome == "updated"
    assert "abstract" in item.message and "references" in item.message
    work.refresh_from_db()
    assert work.abstract.endswith("novel treatment approaches now in trials.")
    assert work.citations.count() == 76
    assert work.citations.get(position=76).raw == "Doe J. An added reference. Blood. 2023;141(1):1–2."
    assert work.citations.get(position=3).pk == kept_citation.pk
    assert Annotation.objects.get() == annotation
    assert Work.objects.sources().count() == 1 and SourceDocument.objects.count() == 2


def page_with_author(family: str, doi: str) -> bytes:
    return (
        '<html><head><meta name="citation_title" content="A page with an unusual author">'
        f'<meta name="citation_doi" content="{doi}"><meta name="citation_author" content="{family}, A">'
        "</head><body><h2>Abstract</h2><p>An abstract long enough to count as one, about infant leukemia.</p>"
        "</body></html>"
    ).encode()


@pytest.fixture
def refusing_database():
    """The database refuses one author's name, as a full disk or a broken constraint would refuse a row."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_impossible() RETURNS trigger AS $$ BEGIN "
            "IF NEW.family = 'Impossible' THEN RAISE EXCEPTION 'no room for this row'; END IF; "
            "RETURN NEW; END $$ LANGUAGE plpgsql; "
            "CREATE TRIGGER refuse_impossible BEFORE INSERT ON references_contributor "
            "FOR EACH ROW EXECUTE FUNCTION refuse_impossible();"
        )


def test_a_failing_file_writes_nothing_and_the_others_still_import(seed_paths, refusing_database):
    bad = page_with_author("Impossible", "10.1234/impossible")
    batch = run_import(("bad.html", bad), ("001.txt", seed_paths["001"].read_bytes()))
    outcomes = dict(batch.items.values_list("file_name", "outcome"))
    assert outcomes == {"bad.html": "failed", "001.txt": "created"}
    assert not Work.objects.filter(doi="10.1234/impossible").exists()
    assert "could not be stored" in batch.items.get(file_name="bad.html").message


def test_values_longer_than_the_old_columns_are_stored_whole():
    long_name = "X" * 250
    batch = run_import(("long.html", page_with_author(long_name, "10.1234/long")))
    assert only_item(batch).outcome == "created"
    assert Contributor.objects.get().family == long_name


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"\x00\x01\x02\x03binary\x00\xff" * 50, "binary"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"Just a shopping list.\nMilk\nEggs\nBread\n", "Nothing recognisable"),
    ],
)
def test_bad_input_gets_a_clear_error_and_writes_nothing(data, message):
    item = only_item(run_import(("bad.txt", data)))
    assert item.outcome == "failed"
    assert message.lower() in item.message.lower()
    assert Work.objects.count() == Citation.objects.count() == SourceDocument.objects.count() == 0


def test_file_over_the_size_limit_is_refused_unread(settings, seed_paths):
    settings.IMPORT_MAX_BYTES = 1000
    item = only_item(run_import(("000.txt", seed_paths["000"].read_bytes())))
    assert item.outcome == "failed"
    assert "larger than 1000" in item.message
    assert item.sha256 == ""
    assert Work.objects.count() == 0


def test_windows_1251_page_imports_as_correct_cyrillic():
    title = "Проблемы терапии инфантильного острого лимфобластного лейкоза"
    abstract = (
        "Инфантильный острый В-лимфобластный лейкоз является редким заболеванием у детей первого года жизни. "
        "Он склонен к агрессивному течению и частым рецидивам после трансплантации."
    )
    page = f"{title}\n\nhttps://doi.org/10.21682/2311-1267-2025-12-4-1-2\n\nАннотация\n\n{abstract}\n"
    item = only_item(run_import(("ru.txt", page.encode("cp1251"))))
    assert item.outcome == "created", item.message
    work = Work.objects.sources().get()
    assert work.title == title
    assert work.abstract == abstract
    assert SourceDocument.objects.get().encoding.replace("_", "-").lower() in {"windows-1251", "cp1251"}


def test_latin_1_page_imports_with_its_accents(seed_paths):
    text = seed_paths["000"].read_text(encoding="utf-8").replace("Moricke A", "Möricke A")
    text = text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2022", "*").replace("\u00a9", "(c)")
    item = only_item(run_import(("latin1.txt", text.encode("latin-1"))))
    assert item.outcome == "created", item.message
    assert Citation.objects.get(position=10).raw.startswith(
        "van der Linden MH, Valsecchi MG, De Lorenzo P, Möricke A"
    )


def test_script_in_an_abstract_is_stored_as_text():
    page = (
        b"<!doctype html><html><head><title>A page</title>"
        b'<meta name="citation_title" content="Infant leukemia and scripts">'
        b'<meta name="citation_doi" content="10.1234/script"></head><body>'
        b"<h2>Abstract</h2><p>Infants respond &lt;script&gt;alert(1)&lt;/script&gt; poorly to chemotherapy.</p>"
        b"<script>document.title = 'owned'</script></body></html>"
    )
    only_item(run_import(("script.html", page)))
    work = Work.objects.sources().get()
    assert work.abstract == "Infants respond <script>alert(1)</script> poorly to chemotherapy."
    assert "owned" not in SourceDocument.objects.get().work.abstract


def test_command_prints_one_line_per_file_and_fails_when_one_fails(tmp_path, seed_paths, capsys):
    (tmp_path / "a.txt").write_bytes(seed_paths["004"].read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(CommandError, match="1 of 2 files failed"):
        call_command("import_sources", str(tmp_path))
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(f"a.txt: created work #{Work.objects.sources().get().pk}: 0 references.")
    assert "empty.txt: failed: The file is empty." in lines[1]


def test_command_refuses_a_missing_path(tmp_path):
    with pytest.raises(CommandError, match="No such file or folder"):
        call_command("import_sources", str(tmp_path / "nope.txt"))
    assert ImportBatch.objects.count() == 0


def test_import_records_where_each_field_came_from(seed_paths):
    run_import(("000.txt", seed_paths["000"].read_bytes()))
    work = Work.objects.sources().get()
    origins = dict(work.field_origins.values_list("field", "detail"))
    assert origins["title"] == origins["authors"] == "000.txt"
    assert work.field_origins.get(field="title").source == "import"
    assert "volume" not in origins or work.volume


def test_a_new_version_of_a_page_leaves_a_curators_value_alone(seed_paths):
    from references.models import FieldOrigin

    run_import(("000.txt", seed_paths["000"].read_bytes()))
    work = Work.objects.sources().get()
    Work.objects.filter(pk=work.pk).update(abstract="A curator's abstract.")
    FieldOrigin.objects.update_or_create(
        work=work, field="abstract", defaults={"source": "curator", "detail": "chief"}
    )
    batch = run_import(("000-v2.txt", updated_springer_page(seed_paths)))
    work.refresh_from_db()
    assert work.abstract == "A curator's abstract."
    assert only_item(batch).outcome == "updated"  # the added reference still came in
    assert work.citations.count() == 76
    assert work.field_origins.get(field="abstract").source == "curator"
