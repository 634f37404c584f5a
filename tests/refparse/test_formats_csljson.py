"""CSL-JSON reference lists: every field, item types, Crossref's CSL output and broken JSON."""

import json
from dataclasses import replace

import pytest

from config.shared import shared_dir
from references.people import Name
from references.refparse.formats import parse_structured
from references.refparse.records import ParsedReference, Problem
from references.worktypes import (
    BOOK,
    BOOK_CHAPTER,
    CONFERENCE_ABSTRACT,
    JOURNAL_ARTICLE,
    OTHER,
    REPORT,
    WEB_PAGE,
)
from tests.refparse.expected import HEIM_1987, PIETERS_2007

FIXTURES = shared_dir() / "fixtures"

INTERFANT_CSL = """[
  {
    "id": "pieters2007",
    "type": "article-journal",
    "title": "A treatment protocol for infants younger than 1 year with acute lymphoblastic leukaemia (Interfant-99): an observational study and a multicentre randomised trial",
    "container-title": "Lancet",
    "author": [
      {"family": "Pieters", "given": "Rob"},
      {"family": "Schrappe", "given": "Martin"},
      {"family": "De Lorenzo", "given": "Paola"}
    ],
    "issued": {"date-parts": [[2007, 7, 21]]},
    "volume": "370",
    "issue": "9583",
    "page": "240-250",
    "DOI": "10.1016/S0140-6736(07)61126-X",
    "PMID": "17658395"
  },
  {
    "id": "mejstrikova2017",
    "type": "article-journal",
    "title": "CD19-negative relapse of pediatric B-cell precursor acute lymphoblastic leukemia following blinatumomab treatment",
    "container-title": "Blood Cancer J",
    "author": [
      {"family": "Mejstříková", "given": "Ester"},
      {"family": "Stackelberg", "given": "Arend", "non-dropping-particle": "von"}
    ],
    "issued": {"literal": "December 2017"},
    "volume": 7,
    "issue": 12,
    "page": "659",
    "URL": "https://doi.org/10.1038/s41408-017-0023-x"
  },
  {
    "id": "heim1987",
    "type": "book",
    "title": "Cancer Cytogenetics",
    "author": [{"family": "Heim", "given": "Sverre"}, {"family": "Mitelman", "given": "Felix"}],
    "publisher": "Alan R. Liss",
    "publisher-place": "New York",
    "issued": {"date-parts": [["1987"]]}
  },
  {
    "id": "seer2019",
    "type": "report",
    "title": "SEER Cancer Statistics Review, 1975-2016",
    "author": [{"literal": "National Cancer Institute"}],
    "publisher": "National Cancer Institute",
    "publisher-place": "Bethesda, MD",
    "issued": {"raw": "2019-04-15"},
    "URL": "https://seer.cancer.gov/csr/1975_2016/"
  }
]
"""


def parse(text: str):
    return parse_structured(text, "csljson")


def test_reads_every_field_of_a_journal_article():
    parsed = parse(INTERFANT_CSL)
    assert parsed.format == "csljson"
    assert parsed.problems == []
    assert parsed.references[0] == replace(
        PIETERS_2007, line=2, label="pieters2007", pmid="17658395", date="2007-07-21"
    )


def test_reads_particles_numbers_a_literal_date_and_a_doi_url():
    assert parse(INTERFANT_CSL).references[1] == ParsedReference(
        raw="Mejstříková E, von Stackelberg A. CD19-negative relapse of pediatric B-cell precursor acute "
        "lymphoblastic leukemia following blinatumomab treatment. Blood Cancer J. 2017;7(12):659. "
        "doi:10.1038/s41408-017-0023-x",
        line=19,
        label="mejstrikova2017",
        authors=[Name("Mejstříková", "Ester"), Name("von Stackelberg", "Arend")],
        title="CD19-negative relapse of pediatric B-cell precursor acute lymphoblastic leukemia following "
        "blinatumomab treatment",
        container_title="Blood Cancer J",
        year=2017,
        volume="7",
        issue="12",
        page_first="659",
        doi="10.1038/s41408-017-0023-x",
        url="https://doi.org/10.1038/s41408-017-0023-x",
    )


def test_reads_a_book_and_a_report_with_a_group_author():
    book, report = parse(INTERFANT_CSL).references[2:]
    assert book == replace(HEIM_1987, line=34, label="heim1987", date="1987")
    assert report == ParsedReference(
        raw="National Cancer Institute. SEER Cancer Statistics Review, 1975-2016. Bethesda, MD: National "
        "Cancer Institute; 2019. Available from: https://seer.cancer.gov/csr/1975_2016/",
        line=43,
        label="seer2019",
        authors=[Name("National Cancer Institute", collective=True)],
        title="SEER Cancer Statistics Review, 1975-2016",
        year=2019,
        publisher="National Cancer Institute",
        location="Bethesda, MD",
        url="https://seer.cancer.gov/csr/1975_2016/",
        work_type=REPORT,
        date="2019-04-15",
    )


def test_reads_a_chapter_with_editors():
    chapter = {
        "id": "breese2022",
        "type": "chapter",
        "title": "Acute Lymphoblastic Leukemia in Infants",
        "container-title": "Clinical Management of Acute Lymphoblastic Leukemia",
        "author": [{"family": "Breese", "given": "E. H."}],
        "editor": [{"family": "Litzow", "given": "Mark R."}, {"family": "Raetz", "given": "Elizabeth A."}],
        "publisher": "Springer",
        "publisher-place": "Cham",
        "issued": {"date-parts": [[2022]]},
        "DOI": "10.1007/978-3-030-85147-7_6",
    }
    ref = parse(json.dumps([chapter])).references[0]
    assert (ref.work_type, ref.authors, ref.editors) == (
        BOOK_CHAPTER,
        [Name("Breese", "E.H.")],
        [Name("Litzow", "Mark R."), Name("Raetz", "Elizabeth A.")],
    )
    assert ref.raw == (
        "Breese EH. Acute Lymphoblastic Leukemia in Infants. In: Litzow MR, Raetz EA, editors. Clinical "
        "Management of Acute Lymphoblastic Leukemia. Cham: Springer; 2022. doi:10.1007/978-3-030-85147-7_6"
    )


@pytest.mark.parametrize(
    ("csl_type", "work_type"),
    [
        ("article-journal", JOURNAL_ARTICLE),
        ("journal-article", JOURNAL_ARTICLE),
        ("book", BOOK),
        ("chapter", BOOK_CHAPTER),
        ("paper-conference", CONFERENCE_ABSTRACT),
        ("report", REPORT),
        ("webpage", WEB_PAGE),
        ("thesis", OTHER),
    ],
)
def test_maps_item_types(csl_type, work_type):
    text = json.dumps({"id": "x", "type": csl_type, "title": "Interfant-06"})
    assert parse(text).references[0].work_type == work_type


def test_the_test_items_are_valid_csl_json():
    schema = json.loads((FIXTURES / "csl" / "csl-data.json").read_text())
    assert schema_errors(json.loads(INTERFANT_CSL), schema, schema) == []
    assert schema_errors([{"id": "x", "type": "book", "titel": "typo"}], schema, schema) == ["[0]: titel"]


def test_reads_crossref_csl_json_a_single_object():
    parsed = parse((FIXTURES / "crossref" / "cn-csl-json-10.1126_science.169.3946.635.json").read_text())
    assert parsed.problems == []
    assert parsed.references[0].abstract.startswith("The train of thought pursued in this article")
    assert [replace(ref, abstract="") for ref in parsed.references] == [
        ParsedReference(
            raw="Frank HS. The Structure of Ordinary Water. Science. 1970;169(3946):635-641. "
            "doi:10.1126/science.169.3946.635",
            line=1,
            label="",
            authors=[Name("Frank", "Henry S.")],
            title="The Structure of Ordinary Water",
            container_title="Science",
            year=1970,
            volume="169",
            issue="3946",
            page_first="635",
            page_last="641",
            publisher="American Association for the Advancement of Science (AAAS)",
            doi="10.1126/science.169.3946.635",
            url="http://dx.doi.org/10.1126/science.169.3946.635",
            journal_abbrev="Science",
            issns=["0036-8075", "1095-9203"],
            date="1970-08-14",
            language="en",
        )
    ]


def test_reads_crossref_lists_of_titles_and_an_elocator():
    work = json.loads((FIXTURES / "crossref" / "work-10.1371_journal.pone.0033693.json").read_text())
    ref = parse(json.dumps([work["message"]])).references[0]
    assert ref.title == (
        "Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia in the Basal "
        "Ganglia of Mice"
    )
    assert (ref.container_title, ref.year, ref.volume, ref.issue) == ("PLoS ONE", 2012, "7", "3")
    assert (ref.elocator, ref.page_first, ref.doi) == ("e33693", "", "10.1371/journal.pone.0033693")
    assert ref.authors[:2] == [Name("Sadasivan", "Shankar"), Name("Pond", "Brooks B.")]


def test_an_article_number_is_an_elocator_when_there_is_no_page():
    ref = parse('{"type": "article-journal", "title": "LEMON", "article-number": "e000776"}').references[0]
    assert (ref.elocator, ref.pages) == ("e000776", "e000776")


def test_invalid_json_is_reported_with_line_and_column_and_earlier_items_are_kept():
    broken = INTERFANT_CSL.replace('"publisher": "Alan R. Liss",', '"publisher": "Alan R. Liss"')
    parsed = parse(broken)
    assert parsed.problems == [
        Problem("not valid JSON: Expecting ',' delimiter at line 40, column 5", line=40),
    ]
    assert [ref.label for ref in parsed.references] == ["pieters2007", "mejstrikova2017"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", Problem("not valid JSON: Expecting value at line 1, column 1", line=1)),
        ('[{"title": "x"},]', Problem("not valid JSON: Expecting value at line 1, column 17", line=1)),
        ('{"title": "x"}\n{"title": "y"}', Problem("not valid JSON: Extra data at line 2, column 1", line=2)),
    ],
)
def test_broken_json(text, problem):
    assert parse(text).problems == [problem]


def test_items_that_are_not_objects_are_reported():
    parsed = parse('[\n  "Pieters R. Lancet 2007",\n  {"title": "Interfant-99"},\n  [1, 2]\n]')
    assert parsed.problems == [
        Problem("not a CSL object but a JSON str", line=2, entry="item 1"),
        Problem("not a CSL object but a JSON list", line=4, entry="item 3"),
    ]
    assert [(ref.title, ref.line) for ref in parsed.references] == [("Interfant-99", 3)]


def test_an_item_without_a_title_is_kept_with_a_problem():
    ref = parse('[{"id": "mann2010", "container-title": "Blood"}]').references[0]
    assert ref.problems == [Problem("entry has no title", line=1, entry="mann2010")]


def test_an_empty_list_is_no_references():
    parsed = parse(" [ ] ")
    assert (parsed.references, parsed.problems) == ([], [])


def schema_errors(value, schema, root, path=""):
    """The subset of JSON Schema draft-07 that csl-data.json uses; returns the paths that break it."""
    if "$ref" in schema:
        return schema_errors(value, root["definitions"][schema["$ref"].rsplit("/", 1)[1]], root, path)
    if "anyOf" in schema:
        results = [schema_errors(value, option, root, path) for option in schema["anyOf"]]
        return [] if [] in results else results[0]
    types = schema.get("type", [])
    types = [types] if isinstance(types, str) else types
    kinds = {"string": str, "number": int | float, "boolean": bool, "array": list, "object": dict}
    if types and not any(isinstance(value, kinds[kind]) for kind in types):
        return [f"{path}: not {types}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{path}: {value!r} not allowed"]
    if isinstance(value, list):
        return [
            error
            for i, item in enumerate(value)
            for error in schema_errors(item, schema["items"], root, f"{path}[{i}]")
        ]
    return object_errors(value, schema, root, path) if isinstance(value, dict) else []


def object_errors(value, schema, root, path):
    properties = schema.get("properties", {})
    closed = schema.get("additionalProperties") is False
    errors = [f"{path}: {key}" for key in value if closed and key not in properties]
    errors += [f"{path}: no {key}" for key in schema.get("required", []) if key not in value]
    for key in properties.keys() & value.keys():
        errors += schema_errors(value[key], properties[key], root, f"{path}.{key}")
    return errors


SAMPLES = shared_dir() / "samples" / "csljson"


@pytest.mark.parametrize("name", ["bbt-372-zotero.csl.json", "manubot-pubmed-scihub-study.json"])
def test_sample_files_agree_with_json_item_by_item(name):
    text = (SAMPLES / name).read_text(encoding="utf-8")
    items = json.loads(text)
    parsed = parse(text)
    assert parsed.problems == [] and len(parsed.references) == len(items)
    for item, ref in zip(items, parsed.references, strict=True):
        assert ref.label == item["id"]
        assert ref.authors[0].family == item["author"][0]["family"]
        assert ref.year == int(item["issued"]["date-parts"][0][0])
        assert (ref.container_title, ref.volume, ref.doi) == (
            item["container-title"],
            item["volume"],
            item["DOI"],
        )
        assert ref.journal_abbrev == item["container-title-short"]
        assert (ref.pmid, ref.pmcid) == (item.get("PMID", ""), item.get("PMCID", ""))
        assert bool(ref.abstract) == bool(item.get("abstract"))


def test_reads_record_fields_of_a_pubmed_csl_item():
    ref = parse((SAMPLES / "manubot-pubmed-scihub-study.json").read_text(encoding="utf-8")).references[0]
    assert (ref.date, ref.issns, ref.pmid, ref.pmcid) == (
        "2018-03-01",
        ["2050-084X"],
        "29424689",
        "PMC5832410",
    )
    assert ref.abstract.endswith("suggesting the toll access business model may become unsustainable.")
    assert "Our interactive browser at https://greenelab.github.io/scihub allows users" in ref.abstract


def test_rich_text_title_literal_authors_keywords_isbn_and_language():
    item = {
        "id": "x1",
        "type": "book",
        "title": "Codes in <i>Library Quarterly</i>, 1931–2004",
        "author": [{"literal": "Children's Oncology Group"}],
        "keyword": "leukemia; infant",
        "ISBN": "978-0-521-19595-9",
        "language": "en-US",
        "journalAbbreviation": "Libr. Q.",
        "issued": {"raw": "2006-05"},
    }
    ref = parse(json.dumps([item])).references[0]
    assert ref.title == "Codes in Library Quarterly, 1931–2004"
    assert ref.authors == [Name("Children's Oncology Group", collective=True)]
    assert (ref.keywords, ref.isbns, ref.language) == (["leukemia", "infant"], ["978-0-521-19595-9"], "en-US")
    assert (ref.journal_abbrev, ref.date, ref.year) == ("Libr. Q.", "2006-05", 2006)
