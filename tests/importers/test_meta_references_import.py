"""The saved article samples import through `import_sources` with their meta-tag references and authors."""

from io import StringIO

import pytest
from django.core.management import call_command

from config.shared import shared_dir
from references.models import SourceDocument, Work


def import_sample(name: str) -> Work:
    call_command("import_sources", str(shared_dir() / "samples" / "html" / name), stdout=StringIO())
    return SourceDocument.objects.select_related("work").get().work


@pytest.mark.django_db
def test_plos_one_page_imports_23_citations_read_from_its_meta_tags():
    work = import_sample("plos_one_article.html")
    citations = list(work.citations.order_by("position"))
    assert len(citations) == 23
    assert citations[0].parsed["title"] == "Occurrence of reticuloendotheliosis in Chinese partridge"
    assert citations[0].parsed["container_title"] == "J Vet Med Sci"
    assert citations[22].raw.startswith("Wang Y, Cui Z, Jiang S. Sequencing and analysis")


@pytest.mark.django_db
def test_elife_page_imports_with_its_dublin_core_authors():
    work = import_sample("elife_article.html")
    assert [a.family for a in work.authors][:3] == ["Kourakis", "Borba", "Zhang"]
    assert work.authors.count() == 7
    assert work.citations.count() == 17
