"""Saved HTML pages: references from `citation_reference` meta tags, Dublin Core authors and fields, COinS."""

from config.shared import shared_dir
from references.importers.meta_refs import highwire_fields, meta_references

from .conftest import parse_bytes


def sample(name: str) -> bytes:
    return (shared_dir() / "samples" / "html" / name).read_bytes()


def page(
    head: str, body: str = "<h2>Abstract</h2><p>Infants with KMT2A-rearranged leukemia did well.</p>"
) -> bytes:
    return f"<!DOCTYPE html><html><head><title>A page</title>{head}</head><body>{body}</body></html>".encode()


def test_plos_one_page_gives_its_23_meta_references_in_printed_order():
    record = parse_bytes(sample("plos_one_article.html"))
    assert len(record.references) == 23
    assert [ref.position for ref in record.references] == list(range(1, 24))
    assert [ref.label for ref in record.references] == [str(n) for n in range(1, 24)]
    assert record.references[0].raw == (
        "Cheng Z, Shi Y, Zhan L, Zhu G, Diao X, Cui Z. Occurrence of reticuloendotheliosis in Chinese partridge. "
        "J Vet Med Sci. 2007;69(12):1295-1298."
    )
    assert record.references[-1].raw.startswith(
        "Wang Y, Cui Z, Jiang S. Sequencing and analysis of whole genome"
    )
    # The page's own fields still come from its Highwire tags.
    assert record.doi == "10.1371/journal.pone.0213978"
    assert len(record.authors) == 11


def test_elife_page_takes_its_authors_from_dc_contributor():
    record = parse_bytes(sample("elife_article.html"))
    assert [(a.family, a.given) for a in record.authors] == [
        ("Kourakis", "Matthew J"),
        ("Borba", "Cezar"),
        ("Zhang", "Angela"),
        ("Newman-Smith", "Erin"),
        ("Salas", "Priscilla"),
        ("Manjunath", "B."),
        ("Smith", "William C"),
    ]
    assert (record.title, record.doi, record.year) == (
        "Parallel visual circuitry in a basal chordate",
        "10.7554/elife.44753",
        2019,
    )
    assert record.publisher == "eLife Sciences Publications Limited"


def test_elife_page_keeps_printed_reference_numbers_and_an_empty_abstract_section_stays_empty():
    record = parse_bytes(sample("elife_article.html"))
    # The saved page prints references 1-5 and 49-60; each number is printed bare in an element of its own.
    assert [ref.label for ref in record.references] == [*map(str, range(1, 6)), *map(str, range(49, 61))]
    assert record.references[0].raw.startswith(
        "Fold-change detection in biological systems M Adler U Alon (2018)"
    )
    assert record.references[0].doi == "10.1016/j.coisb.2017.12.005"
    assert record.abstract == ""  # not "Results", the heading after the empty Abstract section


def test_an_item_whose_text_starts_with_a_number_keeps_the_lists_count():
    body = (
        "<h2>Abstract</h2><p>Infants did well.</p><h2>References</h2><ol>"
        "<li>Smith J. One. Blood. 2001;1:1-2.</li><li>2019 guidelines for infant ALL. Blood. 2019;3:4-5.</li></ol>"
    )
    record = parse_bytes(page('<meta name="citation_doi" content="10.5555/x">', body))
    assert [(ref.label, ref.raw) for ref in record.references] == [
        ("1", "Smith J. One. Blood. 2001;1:1-2."),
        ("2", "2019 guidelines for infant ALL. Blood. 2019;3:4-5."),
    ]


def test_highwire_reference_fields_are_split_only_before_another_citation_name():
    fields = highwire_fields(
        "citation_title=Leukemia; a review;citation_author=Smith, J.;citation_author=Doe K;citation_year=2001"
    )
    assert fields == {
        "citation_title": ["Leukemia; a review"],
        "citation_author": ["Smith, J.", "Doe K"],
        "citation_year": ["2001"],
    }
    assert highwire_fields("Smith J. Leukemia. Blood. 2001;1:1-2.") == {}


def test_meta_references_write_structured_tags_vancouver_style_and_keep_plain_strings():
    references = meta_references(
        [
            "citation_title=Menin inhibition;citation_author=Jane A. Smith;citation_author=M. Rossi;"
            "citation_journal_title=Blood;citation_year=2023;citation_volume=141;citation_issue=3;"
            "citation_firstpage=101;citation_lastpage=9;citation_doi=10.1182/BLOOD.2023.1",
            "Doe K. A plain reference string. Leukemia. 2020;34:1-9.",
            "citation_title=A book;citation_author=Roe, P.;citation_publisher=Springer;citation_year=2019",
        ]
    )
    assert [(ref.position, ref.label) for ref in references] == [(1, "1"), (2, "2"), (3, "3")]
    assert references[0].raw == (
        "Smith JA, Rossi M. Menin inhibition. Blood. 2023;141(3):101-109. doi:10.1182/blood.2023.1"
    )
    assert references[0].doi == "10.1182/blood.2023.1"
    assert references[1].raw == "Doe K. A plain reference string. Leukemia. 2020;34:1-9."
    assert references[2].raw == "Roe P. A book. Springer. 2019."


def test_printed_references_are_kept_when_the_tags_hold_fewer():
    body = (
        "<h2>Abstract</h2><p>Infants did well.</p><h2>References</h2><ol>"
        "<li>Smith J. One. Blood. 2001;1:1-2.</li><li>Doe K. Two. Blood. 2002;2:3-4.</li></ol>"
    )
    record = parse_bytes(page('<meta name="citation_reference" content="citation_title=Only one">', body))
    assert [ref.raw for ref in record.references] == [
        "Smith J. One. Blood. 2001;1:1-2.",
        "Doe K. Two. Blood. 2002;2:3-4.",
    ]


def test_dublin_core_gives_title_authors_date_identifier_and_publisher():
    head = (
        '<meta name="DC.title" content="Blinatumomab in infants">'
        '<meta name="DC.creator" content="Sidhu, Jasmeet">'
        '<meta name="DC.creator" content="Pieters, Rob">'
        '<meta name="dcterms.issued" content="2021-06-03">'
        '<meta name="DC.identifier" content="https://doi.org/10.5555/DC.2021.7">'
        '<meta name="dcterms.publisher" content="Example Press">'
        '<meta name="DC.source" content="Journal of Infant Leukemia">'
        '<meta name="DC.source.volume" content="12"><meta name="DC.source.issue" content="4">'
        '<meta name="DC.source.ISSN" content="1234-5679">'
    )
    record = parse_bytes(page(head))
    assert record.title == "Blinatumomab in infants"
    assert [(a.family, a.given) for a in record.authors] == [("Sidhu", "Jasmeet"), ("Pieters", "Rob")]
    assert (record.year, record.doi, record.publisher) == (2021, "10.5555/dc.2021.7", "Example Press")
    assert (record.container_title, record.volume, record.issue) == ("Journal of Infant Leukemia", "12", "4")
    assert record.issns == ["1234-5679"]


def test_highwire_authors_win_over_dublin_core_ones():
    head = '<meta name="citation_author" content="Smith, Jane"><meta name="dc.creator" content="Doe, Kim">'
    assert [a.family for a in parse_bytes(page(head)).authors] == ["Smith"]


COINS = (
    "ctx_ver=Z39.88-2004&amp;rft_val_fmt=info%3Aofi%2Ffmt%3Akev%3Amtx%3Ajournal&amp;rft.genre=article"
    "&amp;rft.atitle=Outcome+of+infants+with+ALL&amp;rft.jtitle=Journal+of+Clinical+Oncology"
    "&amp;rft.aulast=Pieters&amp;rft.aufirst=Rob&amp;rft.au=De+Lorenzo%2C+Paola&amp;rft.date=2019"
    "&amp;rft.volume=37&amp;rft.issue=25&amp;rft.spage=2246&amp;rft.epage=2256"
    "&amp;rft_id=info%3Adoi%2F10.1200%2FJCO.19.00261&amp;rft_id=info%3Apmid%2F31283407"
)


def test_one_coins_span_describes_the_page_when_it_has_no_highwire_tags():
    record = parse_bytes(page("", f'<span class="Z3988" title="{COINS}"></span><p>doi:10.9999/other</p>'))
    assert record.title == "Outcome of infants with ALL"
    assert record.doi == "10.1200/jco.19.00261"
    assert record.pmid == "31283407"
    assert [(a.family, a.given) for a in record.authors] == [("Pieters", "Rob"), ("De Lorenzo", "Paola")]
    assert record.container_title == "Journal of Clinical Oncology"
    assert (record.year, record.volume, record.issue, record.pages) == (2019, "37", "25", "2246-2256")


def test_several_coins_spans_are_the_works_the_page_cites():
    spans = "".join(
        f'<li>Reference {n}<span class="Z3988" title="{COINS.replace("ALL", f"ALL {n}")}"></span></li>'
        for n in (1, 2)
    )
    record = parse_bytes(page("", f"<h2>Abstract</h2><p>Infants did well.</p><ul>{spans}</ul>"))
    assert [ref.raw for ref in record.references] == [
        f"Pieters R, De Lorenzo P. Outcome of infants with ALL {n}. Journal of Clinical Oncology. "
        "2019;37(25):2246-2256. doi:10.1200/jco.19.00261"
        for n in (1, 2)
    ]


def test_coins_are_ignored_on_a_page_with_highwire_tags():
    head = '<meta name="citation_title" content="The page itself">'
    record = parse_bytes(page(head, f'<span class="Z3988" title="{COINS}"></span><p>doi:10.5555/page</p>'))
    assert record.title == "The page itself"
    assert record.doi == "10.5555/page"
