"""The work page reads a fixed number of queries whatever the work holds, and shows its references and the
works citing it from one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from references.models import Citation, Contributor, SourceDocument, Work
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client, django_user_model):
    return signed_in(client, django_user_model)


def work_with(documents: int, citing: int) -> Work:
    work = Work.objects.create(title="Blinatumomab in infant ALL", year=2020, abstract="After relapse.")
    for n in range(documents):
        SourceDocument.objects.create(
            work=work, file_name=f"{work.pk}-{n}.txt", sha256=f"{work.pk * 10 + n:064d}", size=1, raw_text="x"
        )
    Contributor.objects.create(work=work, position=1, family="Biondi", given="A", printed="Biondi A")
    Contributor.objects.create(
        work=work, position=1, family="Conter", given="V", printed="Conter V", role=Contributor.Role.EDITOR
    )
    other = Work.objects.create(title="Interfant-99", year=2007)
    Citation.objects.create(citing_work=work, position=1, raw="Pieters R. Interfant-99.", cited_work=other)
    Citation.objects.create(citing_work=work, position=2, raw="An unlinked reference.")
    for n in range(citing):
        citer = Work.objects.create(title=f"A later review {n}", year=2022)
        Citation.objects.create(citing_work=citer, position=1, raw="Blinatumomab.", cited_work=work)
    return work


def queries_for(reader, work: Work) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = reader.get(work.get_absolute_url())
    assert response.status_code == 200
    return len(queries), response.text


def test_the_work_page_costs_the_same_however_many_documents_and_citing_works(reader):
    queries_for(reader, work_with(documents=0, citing=0))  # the first request reads the permissions
    few, _ = queries_for(reader, work_with(documents=1, citing=1))
    many, _ = queries_for(reader, work_with(documents=3, citing=4))
    assert few == many


def test_references_link_to_works_in_the_library_and_citing_works_are_named(reader):
    work = work_with(documents=1, citing=2)
    _, html = queries_for(reader, work)
    cited = Work.objects.get(title="Interfant-99")
    assert f'href="/works/{cited.pk}/" class="cited-work"' in html
    assert "An unlinked reference." in html and "References (2)" in html
    assert "A later review 0" in html and "A later review 1" in html
    assert '<span class="author">Biondi A</span>' in html and "<dt>Editors</dt><dd>Conter V</dd>" in html
