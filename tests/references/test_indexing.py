"""The list page's index follows every write path: after each, it equals an index rebuilt from scratch."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curation import services
from curation.models import Annotation, Finding
from references.enrichment import start_enrichment
from references.merging import merge_works, undo_merge
from references.models import EnrichmentBatch, IndexedText, IndexedWork, SourceDocument, Work
from references.pipeline.reflists import import_reference_list, plan_reference_list
from references.search import indexing
from tests.references.test_seed_import import import_seeds

pytestmark = pytest.mark.django_db

REFERENCES = """1. Pieters R, Schrappe M, De Lorenzo P, et al. A treatment protocol for infants younger than 1 year
with acute lymphoblastic leukaemia (Interfant-99). Lancet. 2007;370(9583):240-250.
2. Zyxwv Q. An entirely unheard-of study of marrow. Imaginary Journal. 2031;1:1-2.
"""


def snapshot() -> list[tuple]:
    rows = IndexedWork.objects.order_by("pk").values_list(
        "pk",
        "is_source",
        "year",
        "work_type",
        "journal",
        "state",
        "tagged",
        "findings",
        "title",
        "text__document",
        "text__year",
        "text__is_source",
    )
    return list(rows)


def assert_in_step() -> None:
    kept = snapshot()
    indexing.rebuild()
    assert kept == snapshot()
    # The text rows' copies of the year and the source flag, which ranked searches read (browse._ranked).
    assert [(row[1], row[2]) for row in kept] == [(row[-1], row[-2]) for row in kept]
    active = Work.objects.active().count()
    assert len(kept) == active


@pytest.fixture
def library(seeds_dir) -> list[Work]:
    import_seeds(seeds_dir)
    return list(Work.objects.filter(source_documents__isnull=False).order_by("pk"))


@pytest.fixture
def curator() -> User:
    user = User.objects.create_user("curator")
    user.groups.add(Group.objects.get(name="curator"))
    return user


def test_an_import_indexes_its_sources_and_the_works_they_cite(library):
    assert IndexedWork.objects.filter(is_source=True).count() == len(library)
    assert IndexedWork.objects.filter(is_source=False).exists()
    assert_in_step()


def test_tags_written_by_every_path_are_facets(library, curator):
    work, other = library[0], library[1]
    hsct, infant = Finding.objects.get(label="HSCT"), Finding.objects.get(label="infant")
    services.tag_work(
        work=work, finding=hsct, field="title", quote=work.title, start=0, note="", user=curator
    )
    assert IndexedWork.objects.get(pk=work.pk).findings == [hsct.pk]
    services.bulk_tag(works=[work, other], finding=infant, user=curator)
    assert IndexedWork.objects.filter(findings__contains=[infant.pk]).count() == 2
    annotation = Annotation.objects.get(work=work, finding=hsct)
    services.change_annotation(
        annotation_id=annotation.pk, version=annotation.version, user=curator, state=Annotation.State.REJECTED
    )
    assert IndexedWork.objects.get(pk=work.pk).findings == [infant.pk]
    Annotation.objects.filter(work=other).delete()
    assert not IndexedWork.objects.get(pk=other.pk).tagged
    assert_in_step()


def test_a_merged_work_leaves_the_index_and_comes_back_on_undo(library, curator):
    duplicate, target = library[0], library[1]
    Annotation.objects.create(work=duplicate, finding=Finding.objects.get(label="MRD"))
    merge = merge_works(duplicate=duplicate, target=target, user=curator)
    assert not IndexedWork.objects.filter(pk=duplicate.pk).exists()
    assert IndexedWork.objects.get(pk=target.pk).tagged
    assert_in_step()
    undo_merge(merge=merge)
    assert IndexedWork.objects.get(pk=duplicate.pk).tagged
    assert_in_step()


def test_queued_works_show_their_new_state(library):
    start_enrichment(works=library[:2], origin=EnrichmentBatch.Origin.COMMAND)
    assert IndexedWork.objects.filter(state="queued").count() == 2
    assert_in_step()


def test_works_created_from_a_reference_list_are_searchable(library):
    into = library[0]
    import_reference_list(
        into=into,
        parsed=plan_reference_list(REFERENCES),
        text=REFERENCES,
        file_name="list.txt",
        user=None,
        origin="command",
    )
    assert Work.objects.search("unheard").filter(title__icontains="unheard-of").exists()
    assert_in_step()


def test_an_admin_edit_is_searchable(library, admin_client):
    work = library[0]
    response = admin_client.get(f"/admin/references/work/{work.pk}/change/")
    form = response.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if form[name].value() is not None}
    data.update(title="Ziftomenib after relapse", keywords="", mesh_terms="", issns="", isbns="")
    data.update({"contributors-TOTAL_FORMS": "0", "contributors-INITIAL_FORMS": "0"})
    response = admin_client.post(f"/admin/references/work/{work.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(Work.objects.search("ziftomenib")) == [work]
    assert_in_step()


def test_reindex_repairs_an_index_gone_stale(library):
    work = library[0]
    Work.objects.filter(pk=work.pk).update(title="Revumenib for relapsed infant ALL")  # no refresh
    assert not Work.objects.search("revumenib").exists()
    out = StringIO()
    call_command("reindex", stdout=out)
    assert list(Work.objects.search("revumenib")) == [work]
    assert f"Indexed {Work.objects.active().count():,} works" in out.getvalue()


def test_deleting_a_work_forgets_the_counts_without_reindexing_it_once_per_tag(
    library, curator, django_capture_on_commit_callbacks
):
    tagged, untagged = library[0], library[1]
    for finding in Finding.objects.all()[:5]:
        services.bulk_tag(works=[tagged], finding=finding, user=curator)
    before = indexing.generation()
    with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as plain:
        untagged.delete()
    assert indexing.generation() == before + 1  # no tag to tell: the deletion itself does
    with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as with_tags:
        tagged.delete()
    refreshes = [q["sql"] for q in with_tags.captured_queries if "references_indexedwork" in q["sql"]]
    assert len(refreshes) <= len([q for q in plain.captured_queries if "references_indexedwork" in q["sql"]])
    assert not IndexedWork.objects.filter(pk__in=[tagged.pk, untagged.pk]).exists()
    assert_in_step()


def test_a_cited_work_that_becomes_a_source_is_searched_among_the_sources(library):
    """Its new document changes only facts (no vector is recomputed), and its text row's copy follows."""
    cited = Work.objects.create(title="Marrow relapse in infants", year=2021)
    indexing.refresh([cited.pk])
    SourceDocument.objects.create(work=cited, file_name="a.txt", sha256="a" * 64, size=1, raw_text="x")
    indexing.refresh([cited.pk], text=False)
    assert IndexedText.objects.get(pk=cited.pk).is_source
    assert_in_step()
