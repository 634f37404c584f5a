"""The generic fallback for pages of no known layout, and the rejection of pages with nothing in them."""

import pytest

from references.importers import PageRejected

from .conftest import parse_bytes

UNKNOWN_PAGE = """Home | Journals | About

Outcomes of infants with KMT2A-rearranged leukemia treated with blinatumomab

Published online 3 March 2024. https://doi.org/10.5555/Infant.Blina.2024.17.

Abstract

Infants with KMT2A-rearranged acute lymphoblastic leukemia have a poor prognosis.
We reviewed twelve infants treated with blinatumomab after induction.

Introduction

Acute lymphoblastic leukemia in infancy is rare.
"""

PROSE = """My holiday

We went to the seaside and the weather was lovely for most of the week.
On the last day it rained, so we visited the museum and had lunch in town.
"""


def test_unknown_page_gives_title_doi_and_abstract():
    record = parse_bytes(UNKNOWN_PAGE.encode())
    assert record.page_kind == "generic"
    assert record.title == "Outcomes of infants with KMT2A-rearranged leukemia treated with blinatumomab"
    assert record.doi == "10.5555/infant.blina.2024.17"
    assert record.abstract == (
        "Infants with KMT2A-rearranged acute lymphoblastic leukemia have a poor prognosis. "
        "We reviewed twelve infants treated with blinatumomab after induction."
    )
    assert record.work_type == "journal-article"


def test_inline_summary_heading():
    page = "A case report of congenital leukemia in a newborn\n\nSummary: A newborn had leukemia cutis.\n"
    record = parse_bytes(page.encode())
    assert record.abstract == "A newborn had leukemia cutis."
    assert record.work_type == "case-report"
    assert record.doi == ""


def test_a_line_starting_with_summary_is_not_a_heading():
    page = "Outcomes of infant leukemia trials\n\nSummary of findings in the trial\n\ndoi:10.5555/x.1\n"
    assert parse_bytes(page.encode()).abstract == ""


def test_page_with_only_a_doi_is_accepted():
    record = parse_bytes(b"Some notes about an article\n\ndoi:10.1182/BLOOD.2019002499.\n")
    assert record.doi == "10.1182/blood.2019002499"
    assert record.abstract == ""


def test_unrelated_prose_is_rejected():
    with pytest.raises(PageRejected) as caught:
        parse_bytes(PROSE.encode())
    assert (
        str(caught.value)
        == "Nothing recognisable in this file: no DOI, no abstract and no known page layout."
    )


def test_html_title_is_used_when_there_is_no_meta_title():
    markup = (
        "<html><head><title>Infant leukemia trial results | Example Journal</title></head>"
        "<body><p>Menu</p><h2>Abstract</h2><p>Results of the trial.</p></body></html>"
    )
    record = parse_bytes(markup.encode())
    assert record.title == "Infant leukemia trial results"
    assert record.abstract == "Results of the trial."
