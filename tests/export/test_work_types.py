"""Every work type of the one vocabulary has its own type in each export format."""

import pytest

from references import worktypes
from references.export.bibtex import ENTRY_TYPES
from references.export.csljson import CSL_TYPES
from references.export.ris import RIS_TYPES
from references.models import WorkType


@pytest.mark.parametrize("types", [ENTRY_TYPES, CSL_TYPES, RIS_TYPES], ids=["bibtex", "csljson", "ris"])
def test_every_work_type_has_an_export_type(types):
    assert set(types) == set(worktypes.LABELS)


def test_the_models_choices_are_the_vocabulary():
    assert dict(WorkType.choices) == worktypes.LABELS


def test_journal_like_types_export_as_journal_articles():
    for work_type in (worktypes.REVIEW, worktypes.CASE_REPORT, worktypes.CLINICAL_TRIAL):
        assert (ENTRY_TYPES[work_type], CSL_TYPES[work_type], RIS_TYPES[work_type]) == (
            "article",
            "article-journal",
            "JOUR",
        )
