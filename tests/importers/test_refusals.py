"""What is not a saved article page is refused with a sentence naming the import that takes it: a file of
bibliographic records, or a page that is only a reference list."""

import textwrap
import time
from pathlib import Path

import pytest

from config.shared import shared_dir
from references.importers import PageRejected

from .conftest import parse_bytes

# The folder of each sample and how the refusal names its format.
FORMAT_NAMES = {
    "bibtex": "a BibTeX file",
    "csljson": "a CSL-JSON file",
    "endnote": "an EndNote XML file",
    "medline": "a MEDLINE (PubMed) file",
    "pubmed-xml": "a PubMed XML file",
    "ris": "a RIS file",
    "scopus": "a CSV file",
    "wos": "a Web of Science file",
}
RECORD_FILES = sorted(
    path for path in (shared_dir() / "samples").glob("*/*") if path.parent.name != "html" and path.is_file()
)
COMMANDS = (
    "not a saved article page: import it with `manage.py import_records` (into the library) or "
    "`manage.py import_references --into WORK` (as a work's reference list)."
)
BIBLIOGRAPHY = (
    "This page is a list of references with no abstract, not an article: import it as the reference list of the "
    "work that cites them, with `manage.py import_references FILE --into WORK` or the “Import a reference list” page."
)
REFERENCES = [
    "Pui CH, Yang JJ, Hunger SP, et al. Childhood acute lymphoblastic leukemia: progress through collaboration. "
    "J Clin Oncol. 2015;33(27):2938-2948. doi:10.1200/JCO.2014.59.1636",
    "Hunger SP, Mullighan CG. Acute lymphoblastic leukemia in children. N Engl J Med. 2015;373(16):1541-1552.",
    "Inaba H, Mullighan CG. Pediatric acute lymphoblastic leukemia. Haematologica. 2020;105(11):2524-2539.",
    "Pieters R, De Lorenzo P, Ancliffe P, et al. Outcome of infants younger than 1 year with acute lymphoblastic "
    "leukemia treated with the Interfant-06 protocol. J Clin Oncol. 2019;37(25):2246-2256.",
    "Brown P, Pieters R, Biondi A. How I treat infant leukemia. Blood. 2019;133(3):205-214.",
    "Locatelli F, Zugmaier G, Rizzari C, et al. Effect of blinatumomab vs chemotherapy on event-free survival "
    "among children with high-risk first-relapse B-cell acute lymphoblastic leukemia. JAMA. 2021;325(9):843-854.",
    "van der Sluis IM, de Lorenzo P, Kotecha RS, et al. Blinatumomab added to chemotherapy in infant "
    "lymphoblastic leukemia. N Engl J Med. 2023;388(17):1572-1581. https://doi.org/10.1056/NEJMoa2214171",
]
PROSE = (
    "Blinatumomab has changed how infants with KMT2A-rearranged leukemia are treated, and the results reported "
    "this year show a marked improvement in event-free survival compared with historical controls. "
)


def refusal(data: bytes) -> str:
    with pytest.raises(PageRejected) as caught:
        parse_bytes(data)
    return str(caught.value)


def test_every_record_format_of_the_samples_is_covered():
    assert {path.parent.name for path in RECORD_FILES} == set(FORMAT_NAMES)


@pytest.mark.parametrize("path", RECORD_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_a_record_file_is_refused_naming_its_format_and_the_commands_that_take_it(path: Path):
    assert (
        refusal(path.read_bytes())
        == f"This is {FORMAT_NAMES[path.parent.name]} of bibliographic records, {COMMANDS}"
    )


def test_a_list_of_dois_is_refused_as_records():
    assert refusal(b"10.1182/blood-2016-03-704973\n10.1038/s41408-017-0023-x\n").startswith(
        "This is a list of DOIs or PubMed ids of bibliographic records"
    )


def test_xml_that_no_record_reader_takes_is_refused_as_xml():
    message = refusal(
        b'<?xml version="1.0"?>\n<catalog><book id="1"><title>Leukemia</title></book></catalog>\n'
    )
    assert message.startswith("This is an XML file, not a saved article page (save the page as text or HTML)")
    assert "`manage.py import_records`" in message


def test_an_xhtml_page_with_an_xml_declaration_is_read_as_a_page():
    markup = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head>'
        '<meta name="citation_title" content="Infant ALL outcomes"/></head>'
        "<body><h2>Abstract</h2><p>Infants did well.</p></body></html>"
    )
    assert parse_bytes(markup.encode()).title == "Infant ALL outcomes"


def test_a_numbered_bibliography_saved_as_text_is_refused():
    text = "Bibliography\n\n" + "\n".join(f"{n}. {ref}" for n, ref in enumerate(REFERENCES, start=1))
    assert refusal(text.encode()) == BIBLIOGRAPHY


def test_an_unnumbered_bibliography_wrapped_at_a_fixed_width_is_refused():
    assert refusal("\n".join(textwrap.fill(ref, 70) for ref in REFERENCES).encode()) == BIBLIOGRAPHY
    assert refusal("\n\n".join(textwrap.fill(ref, 70) for ref in REFERENCES).encode()) == BIBLIOGRAPHY


def test_a_bibliography_saved_as_html_is_refused_not_imported_as_a_work_titled_bibliography():
    entries = "".join(f'<div class="csl-entry">{ref}</div>' for ref in REFERENCES)
    markup = f'<html><head><title>Bibliography</title></head><body><div class="csl-bib-body">{entries}</div></body></html>'
    assert refusal(markup.encode()) == BIBLIOGRAPHY


def test_a_short_article_with_a_long_reference_list_and_no_abstract_is_still_an_article():
    text = "\n\n".join(
        [
            "Infant leukemia: a commentary on outcomes after blinatumomab",
            "doi:10.5555/comm.2024.1",
            *[PROSE * 3] * 3,
            "References",
            *(f"{n}. {ref}" for n, ref in enumerate(REFERENCES, start=1)),
        ]
    )
    record = parse_bytes(text.encode())
    assert record.title == "Infant leukemia: a commentary on outcomes after blinatumomab"
    assert len(record.references) == len(REFERENCES)


def test_a_reference_list_page_that_names_its_own_work_in_meta_tags_is_that_work():
    entries = "".join(f"<li>{ref}</li>" for ref in REFERENCES)
    markup = (
        '<html><head><meta name="citation_title" content="Infant ALL outcomes">'
        f'<meta name="citation_doi" content="10.5555/own"></head><body><h2>References</h2><ol>{entries}</ol></body></html>'
    )
    record = parse_bytes(markup.encode())
    assert (record.title, record.doi, len(record.references)) == ("Infant ALL outcomes", "10.5555/own", 7)


def test_the_saved_article_samples_are_not_refused():
    for name in ("plos_one_article.html", "elife_article.html"):
        assert parse_bytes((shared_dir() / "samples" / "html" / name).read_bytes()).doi


def test_a_megabyte_bibliography_is_refused_quickly():
    lines = [f"{n}. {REFERENCES[n % len(REFERENCES)]}" for n in range(1, 7000)]
    data = ("Bibliography\n\n" + "\n".join(lines)).encode()
    assert len(data) > 1_000_000
    started = time.perf_counter()
    assert refusal(data) == BIBLIOGRAPHY
    assert time.perf_counter() - started < 3
