"""Invariants the database itself enforces."""

import pytest
from django.db import IntegrityError, transaction

from references.models import Citation, Work
from references.search import indexing

pytestmark = pytest.mark.django_db


def test_doi_must_be_stored_lower_case():
    with pytest.raises(IntegrityError), transaction.atomic():
        Work.objects.create(title="Upper", doi="10.1016/S1470-2045(12)70580-6")


def test_doi_is_unique_but_many_works_may_have_none():
    Work.objects.create(title="One", doi="10.1/a")
    Work.objects.create(title="No DOI")
    Work.objects.create(title="No DOI either")
    with pytest.raises(IntegrityError), transaction.atomic():
        Work.objects.create(title="Two", doi="10.1/a")


def test_citation_position_is_unique_within_its_citing_work():
    citing, other = Work.objects.create(title="Citing"), Work.objects.create(title="Other")
    Citation.objects.create(citing_work=citing, position=1, raw="A")
    Citation.objects.create(citing_work=other, position=1, raw="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(citing_work=citing, position=1, raw="B")


def test_search_vector_ranks_title_matches_first():
    in_title = Work.objects.create(title="Blinatumomab in infants", abstract="A study.")
    in_abstract = Work.objects.create(title="A study of infants", abstract="They received blinatumomab.")
    Work.objects.create(title="Unrelated", abstract="Nothing here.")
    indexing.rebuild()
    assert list(Work.objects.search("blinatumomab")) == [in_title, in_abstract]
