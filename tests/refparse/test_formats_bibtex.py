"""BibTeX reference lists: every field, LaTeX decoding, entry types and the problems a curator sees."""

from dataclasses import replace

import bibtexparser
import pytest
from bibtexparser.middlewares import RemoveEnclosingMiddleware, SeparateCoAuthors, SplitNameParts
from bibtexparser.model import DuplicateBlockKeyBlock, Entry
from pylatexenc.latex2text import LatexNodes2Text

from config.shared import shared_dir
from references.importers import decode_page
from references.people import Name
from references.refparse.formats import parse_structured
from references.refparse.formats.latex import latex_to_text
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
from tests.refparse.expected import BREESE_2022, HEIM_1987, PIETERS_2007

CROSSREF = shared_dir() / "fixtures" / "crossref"

INTERFANT_BIB = r"""% Interfant reading list, exported from the reference manager
@article{pieters2007,
  author    = {Pieters, Rob and Schrappe, Martin and De Lorenzo, Paola and others},
  title     = {A treatment protocol for infants younger than 1 year with acute lymphoblastic leukaemia
               ({Interfant-99}): an observational study and a multicentre randomised trial},
  journal   = {Lancet},
  year      = {2007},
  month     = jul,
  volume    = {370},
  number    = {9583},
  pages     = {240--250},
  doi       = {10.1016/S0140-6736(07)61126-X},
  pmid      = {17658395},
}

@article{vanderlinden2009,
  author  = {van der Linden, Marieke H. and Valsecchi, Maria Grazia and M{\"o}ricke, Anja and Pieters, Rob},
  title   = {Outcome of congenital acute lymphoblastic leukemia treated on the {Interfant-99} protocol},
  journal = "Blood",
  year    = 2009,
  volume  = 114,
  pages   = {3764--8},
  url     = {https://doi.org/10.1182%2Fblood-2009-02-204214},
}

@article{mejstrikova2017,
  author       = {Mejst{\v{r}}{\'\i}kov{\'a}, Ester and Hrusak, Ondrej and Borowitz, Michael J. and
                  von Stackelberg, Arend and Locatelli, Franco},
  title        = {{CD19}-negative relapse of pediatric {B}-cell precursor acute lymphoblastic leukemia
                  following blinatumomab treatment},
  journaltitle = {Blood Cancer J},
  date         = {2017-12},
  volume       = {7},
  number       = {12},
  pages        = {659},
  doi          = {https://doi.org/10.1038/s41408-017-0023-x},
}

@book{heim1987,
  author    = {Heim, Sverre and Mitelman, Felix},
  title     = {Cancer Cytogenetics},
  publisher = {Alan R. Liss},
  address   = {New York},
  year      = {1987},
}
"""

PIETERS_RAW = (
    "Pieters R, Schrappe M, De Lorenzo P, et al. A treatment protocol for infants younger than 1 year with "
    "acute lymphoblastic leukaemia (Interfant-99): an observational study and a multicentre randomised trial. "
    "Lancet. 2007;370(9583):240-250. doi:10.1016/s0140-6736(07)61126-x"
)


def parse(text: str):
    return parse_structured(text, "bibtex")


def test_reads_every_field_of_a_journal_article():
    parsed = parse(INTERFANT_BIB)
    assert parsed.format == "bibtex"
    assert parsed.problems == []
    assert parsed.references[0] == replace(
        PIETERS_2007,
        raw=PIETERS_RAW,
        line=2,
        label="pieters2007",
        et_al=True,
        pmid="17658395",
        date="2007-07",
    )


def test_decodes_latex_accents_particles_and_a_doi_url():
    vanderlinden, mejstrikova = parse(INTERFANT_BIB).references[1:3]
    assert vanderlinden == ParsedReference(
        raw="van der Linden MH, Valsecchi MG, Möricke A, Pieters R. Outcome of congenital acute lymphoblastic "
        "leukemia treated on the Interfant-99 protocol. Blood. 2009;114:3764-3768. "
        "doi:10.1182/blood-2009-02-204214",
        line=16,
        label="vanderlinden2009",
        authors=[
            Name("van der Linden", "Marieke H."),
            Name("Valsecchi", "Maria Grazia"),
            Name("Möricke", "Anja"),
            Name("Pieters", "Rob"),
        ],
        title="Outcome of congenital acute lymphoblastic leukemia treated on the Interfant-99 protocol",
        container_title="Blood",
        year=2009,
        volume="114",
        page_first="3764",
        page_last="3768",
        doi="10.1182/blood-2009-02-204214",
        url="https://doi.org/10.1182%2Fblood-2009-02-204214",
        date="2009",
    )
    assert mejstrikova == ParsedReference(
        raw="Mejstříková E, Hrusak O, Borowitz MJ, von Stackelberg A, Locatelli F. CD19-negative relapse of "
        "pediatric B-cell precursor acute lymphoblastic leukemia following blinatumomab treatment. "
        "Blood Cancer J. 2017;7(12):659. doi:10.1038/s41408-017-0023-x",
        line=26,
        label="mejstrikova2017",
        authors=[
            Name("Mejstříková", "Ester"),
            Name("Hrusak", "Ondrej"),
            Name("Borowitz", "Michael J."),
            Name("von Stackelberg", "Arend"),
            Name("Locatelli", "Franco"),
        ],
        title="CD19-negative relapse of pediatric B-cell precursor acute lymphoblastic leukemia following "
        "blinatumomab treatment",
        container_title="Blood Cancer J",
        year=2017,
        volume="7",
        issue="12",
        page_first="659",
        doi="10.1038/s41408-017-0023-x",
        date="2017-12",
    )


def test_reads_a_book():
    assert parse(INTERFANT_BIB).references[3] == replace(HEIM_1987, line=39, label="heim1987", date="1987")


def test_reads_a_chapter_with_its_editors():
    chapter = r"""@incollection{breese2022,
  author    = {Breese, Erin H. and Kotecha, Rishi S. and Guest, Erin M.},
  editor    = {Litzow, Mark R. and Raetz, Elizabeth A.},
  title     = {Acute Lymphoblastic Leukemia in Infants: A Distinctive, High-Risk Subtype of Childhood
               Acute Lymphoblastic Leukemia},
  booktitle = {Clinical Management of Acute Lymphoblastic Leukemia},
  publisher = {Springer},
  address   = {Cham},
  year      = {2022},
  doi       = {10.1007/978-3-030-85147-7\_6},
}"""
    assert parse(chapter).references == [replace(BREESE_2022, label="breese2022", date="2022")]


def test_reads_a_report_with_a_url_and_a_group_author():
    report = r"""@techreport{seer2019,
  author      = {{National Cancer Institute}},
  title       = {{SEER} Cancer Statistics Review, 1975--2016},
  institution = {National Cancer Institute},
  address     = {Bethesda, MD},
  year        = {2019},
  url         = {https://seer.cancer.gov/csr/1975_2016/},
}"""
    assert parse(report).references == [
        ParsedReference(
            raw="National Cancer Institute. SEER Cancer Statistics Review, 1975–2016. Bethesda, MD: National "
            "Cancer Institute; 2019. Available from: https://seer.cancer.gov/csr/1975_2016/",
            line=1,
            label="seer2019",
            authors=[Name("National Cancer Institute", collective=True)],
            title="SEER Cancer Statistics Review, 1975–2016",
            year=2019,
            publisher="National Cancer Institute",
            location="Bethesda, MD",
            url="https://seer.cancer.gov/csr/1975_2016/",
            work_type=REPORT,
            date="2019",
        )
    ]


@pytest.mark.parametrize(
    ("entry_type", "work_type"),
    [
        ("article", JOURNAL_ARTICLE),
        ("book", BOOK),
        ("inbook", BOOK_CHAPTER),
        ("incollection", BOOK_CHAPTER),
        ("inproceedings", CONFERENCE_ABSTRACT),
        ("techreport", REPORT),
        ("online", WEB_PAGE),
        ("misc", OTHER),
        ("phdthesis", OTHER),
    ],
)
def test_maps_entry_types(entry_type, work_type):
    text = f"@{entry_type}{{key1, title = {{Interfant-06 protocol}}, year = 2019}}"
    assert parse(text).references[0].work_type == work_type


def test_a_misc_entry_with_a_url_is_a_web_page():
    text = "@misc{interfant, title = {Interfant-21}, url = {https://www.interfant.org/}, year = 2021}"
    assert parse(text).references[0].work_type == WEB_PAGE


def test_reads_pmid_and_pmcid_from_eprint_fields():
    text = """@article{feng2014, title = {Clinical severity of human infections with avian influenza A(H7N9)
  virus, winter 2013--2014}, journal = {Euro Surveill}, year = 2014, volume = 19, number = 49, pages = {20984},
  eprinttype = {pubmed}, eprint = {25523971}, pmcid = {PMC4454636}}"""
    ref = parse(text).references[0]
    assert (ref.pmid, ref.pmcid, ref.page_first, ref.page_last) == ("25523971", "PMC4454636", "20984", "")


def test_an_eid_is_an_elocator():
    text = "@article{sadasivan2012, title = {Methylphenidate exposure}, journal = {PLoS ONE}, eid = {e33693}}"
    ref = parse(text).references[0]
    assert (ref.elocator, ref.page_first, ref.pages) == ("e33693", "", "e33693")


def test_unbalanced_braces_are_reported_with_the_entry_key_and_line_and_the_rest_is_read():
    text = INTERFANT_BIB.replace(
        "@book{heim1987", "@article{broken2010,\n  title = {Unclosed {brace,\n\n@book{heim1987"
    )
    parsed = parse(text)
    assert parsed.problems == [
        Problem("unbalanced braces in entry broken2010 starting at line 39", line=39, entry="broken2010")
    ]
    assert [ref.label for ref in parsed.references] == [
        "pieters2007",
        "vanderlinden2009",
        "mejstrikova2017",
        "heim1987",
    ]
    assert parsed.references[3].line == 42


def test_an_entry_cut_off_at_the_end_of_the_file_is_reported():
    parsed = parse(INTERFANT_BIB + "\n@article{mann2010,\n  title = {Improved outcome with")
    assert parsed.problems == [
        Problem("unbalanced braces in entry mann2010 starting at line 47", line=47, entry="mann2010")
    ]
    assert len(parsed.references) == 4


def test_an_entry_without_a_title_is_kept_with_a_problem():
    parsed = parse("\n@article{mann2010,\n  journal = {Blood}, year = {2010}, volume = {116}\n}\n")
    assert parsed.problems == []
    assert parsed.references[0].problems == [Problem("entry has no title", line=2, entry="mann2010")]
    assert parsed.references[0].raw == "Blood. 2010;116."


def test_a_duplicate_key_is_kept_with_a_problem():
    text = INTERFANT_BIB + "\n@book{heim1987, title = {Cancer Cytogenetics}, edition = 2, year = 1995}\n"
    parsed = parse(text)
    duplicate = parsed.references[-1]
    assert (duplicate.label, duplicate.year, duplicate.line) == ("heim1987", 1995, 47)
    assert duplicate.problems == [Problem("duplicate key heim1987", line=47, entry="heim1987")]
    assert parsed.references[3].problems == []


def test_a_field_given_twice_is_reported():
    parsed = parse("@article{x2007, title = {One}, title = {Two}, year = 2007}")
    assert parsed.references[0].problems == [Problem("field given twice: title", line=1, entry="x2007")]


def test_string_macros_and_comments_are_not_entries():
    text = '@string{lancet = "Lancet"}\n@comment{checked 2024}\n@article{p, title = {T}, journal = lancet}'
    parsed = parse(text)
    assert [(ref.label, ref.container_title, ref.line) for ref in parsed.references] == [("p", "Lancet", 3)]


def test_empty_input_gives_nothing():
    parsed = parse("")
    assert (parsed.references, parsed.problems) == ([], [])


def test_reads_crossref_bibtex_of_today():
    parsed = parse((CROSSREF / "cn-bibtex-10.1126_science.169.3946.635.bib").read_text())
    assert parsed.problems == []
    assert parsed.references == [
        ParsedReference(
            raw="Frank HS. The Structure of Ordinary Water: New data and interpretations are yielding new "
            "insights into this fascinating substance. Science. 1970;169(3946):635-641. "
            "doi:10.1126/science.169.3946.635",
            line=1,
            label="Frank_1970",
            authors=[Name("Frank", "Henry S.")],
            title="The Structure of Ordinary Water: New data and interpretations are yielding new insights "
            "into this fascinating substance",
            container_title="Science",
            year=1970,
            volume="169",
            issue="3946",
            page_first="635",
            page_last="641",
            publisher="American Association for the Advancement of Science (AAAS)",
            doi="10.1126/science.169.3946.635",
            url="http://dx.doi.org/10.1126/science.169.3946.635",
            issns=["1095-9203"],
            date="1970-08",
        )
    ]


def test_reads_crossref_bibtex_of_2022_with_an_encoded_doi_url():
    ref = parse((CROSSREF / "cn-bibtex-10.1126_science.169.3946.635-2022-format.bib").read_text()).references[
        0
    ]
    assert (ref.label, ref.line, ref.title, ref.year, ref.pages) == (
        "Frank_1970",
        1,
        "The Structure of Ordinary Water",
        1970,
        "635-641",
    )
    assert ref.publisher == "American Association for the Advancement of Science (AAAS)"
    assert (ref.doi, ref.url) == (
        "10.1126/science.169.3946.635",
        "https://doi.org/10.1126%2Fscience.169.3946.635",
    )


def test_reads_crossref_bibtex_with_seven_authors_and_no_pages():
    ref = parse((CROSSREF / "cn-bibtex-10.1186_2050-6511-14-s1-p75.bib").read_text()).references[0]
    assert [name.family for name in ref.authors] == [
        "Vandendriessche",
        "Rogge",
        "Goossens",
        "Vandenabeele",
        "Stasch",
        "Brouckaert",
        "Cauwels",
    ]
    assert ref.authors[4] == Name("Stasch", "Johannes-Peter")
    assert (ref.issue, ref.pages, ref.doi) == ("S1", "", "10.1186/2050-6511-14-s1-p75")
    assert ref.raw.startswith(
        "Vandendriessche B, Rogge E, Goossens V, Vandenabeele P, Stasch JP, Brouckaert P, et al."
    )


def test_reads_crossref_bibtex_with_non_ascii_text():
    ref = parse((CROSSREF / "cn-bibtex-10.1484_j.rb.4.01523.bib").read_text()).references[0]
    assert (ref.title, ref.container_title, ref.authors) == (
        "Gerard von Brogne und seine Klostergründung",
        "Revue Bénédictine",
        [Name("Wollasch", "J.")],
    )
    assert (ref.volume, ref.issue, ref.page_first, ref.page_last) == ("70", "1", "62", "82")


def test_a_name_that_cannot_be_split_is_kept_whole_with_a_problem():
    text = "@article{k1,\n author = {Pieters, Rob, Jr, extra and Schrappe, M.},\n title = {T}}"
    ref = parse(text).references[0]
    assert ref.authors == [Name("Pieters", "Rob, Jr, extra"), Name("Schrappe", "M.")]
    assert ref.problems == [
        Problem(
            "could not read all of it: Cannot split the following name `Pieters, Rob, Jr, extra` into parts: "
            "Too many commas",
            line=1,
            entry="k1",
        )
    ]


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"M{\"o}ricke", "Möricke"),
        (r"Mejst{\v{r}}{\'\i}kov{\'a}", "Mejstříková"),
        (r"{MLL}-rearranged, 2000--2016", "MLL-rearranged, 2000–2016"),
        ("50% of infants", "50% of infants"),
        (r"50\% of infants \& children", "50% of infants & children"),
        (r"$\alpha$-chain", "α-chain"),
        (r"see \url{https://www.interfant.org/}", "see https://www.interfant.org/"),
    ],
)
def test_latex_to_text(latex, text):
    assert latex_to_text(latex) == text


# --- The real files, checked against bibtexparser's own reading ------------------------------------------------

SAMPLES = shared_dir() / "samples" / "bibtex"


def alnum(text: str) -> str:
    return "".join(char for char in text.casefold() if char.isalnum())


def independent_entries(text: str):
    """bibtexparser's entries (duplicates included), the @set and @xdata containers left out."""
    library = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    blocks = [
        RemoveEnclosingMiddleware().transform_block(block.ignore_error_block, library)
        if isinstance(block, DuplicateBlockKeyBlock)
        else block
        for block in library.blocks
    ]
    return [
        block
        for block in blocks
        if isinstance(block, Entry) and block.entry_type.lower() not in ("set", "xdata")
    ]


@pytest.mark.parametrize(
    "name",
    ["bbt-3514-crossref-incollection.bib", "bbt-mendeley-web-page.bib", "biblatex-examples.bib", "traps.bib"],
)
def test_sample_files_agree_with_bibtexparser_entry_by_entry(name):
    text = (SAMPLES / name).read_text(encoding="utf-8")
    entries = independent_entries(text)
    parsed = parse(text)
    assert len(parsed.references) == len(entries)
    for entry, ref in zip(entries, parsed.references, strict=True):
        fields = {
            key.lower(): str(value) for key, value in entry.fields_dict.items() for value in [value.value]
        }
        assert ref.label == entry.key or (entry.key == "" and ref.label)  # a label made for a keyless entry
        if "title" in fields and "$" not in fields["title"]:
            assert alnum(ref.title) == alnum(LatexNodes2Text().latex_to_text(fields["title"])), entry.key
        year = fields.get("year") or fields.get("date", "")[:4]
        if year.isdigit() and len(year) == 4:
            assert ref.year == int(year), entry.key
        volume = LatexNodes2Text().latex_to_text(fields.get("volume", "")).replace("\xa0", " ").strip()
        assert ref.volume == volume, entry.key
        assert ref.doi == fields.get("doi", "").lower(), entry.key
        assert bool(ref.abstract) == bool(fields.get("abstract", "").strip()), entry.key
        authors = entry.fields_dict["author"].value if "author" in entry.fields_dict else []
        trap = any("commas instead of 'and'" in problem.message for problem in ref.problems)  # checked below
        if authors and not isinstance(authors[0], str) and not trap:
            first = LatexNodes2Text().latex_to_text(" ".join(authors[0].von + authors[0].last))
            assert ref.authors[0].family == first.strip(), entry.key


def test_a_set_entry_is_skipped_with_a_note_and_its_members_are_read():
    parsed = parse((SAMPLES / "biblatex-examples.bib").read_text(encoding="utf-8"))
    assert parsed.problems[0] == Problem(
        "@set entry set only groups other entries (herrmann, aksin, yoon); skipped, its members are read",
        line=26,
        entry="set",
    )
    labels = {ref.label for ref in parsed.references}
    assert {"herrmann", "aksin", "yoon"} <= labels and "set" not in labels


def test_a_chapter_inherits_its_book_from_crossref():
    parsed = parse((SAMPLES / "bbt-3514-crossref-incollection.bib").read_text(encoding="utf-8"))
    chapter = parsed.references[2]
    assert (chapter.label, chapter.container_title, chapter.year, chapter.publisher, chapter.location) == (
        "Hauck_2023j",
        "Cosmopolítica e linguagem",
        2023,
        "Letraria",
        "Araraquara, SP",
    )
    assert chapter.editors == [Name("Severo", "Cristine Gorski"), Name("Buzato", "Marcelo")]
    assert (chapter.title, chapter.language, chapter.isbns) == (
        "A línguagem de outro jeito: naturezas linguísticas e o desafio ontológico",
        "portuguese",
        ["978-65-5434-040-3"],
    )


def test_biblatex_inheritance_renames_the_parents_titles_and_keeps_the_childs_own_fields():
    text = r"""@inbook{ch1, author = {Pui, Ching-Hon}, title = {Infant ALL}, crossref = {bk}, pages = {1--20},
  date = {2010}}
@book{bk, editor = {Pui, Ching-Hon}, title = {Childhood Leukemias}, subtitle = {Third edition},
  shorttitle = {Leukemias}, publisher = {Cambridge University Press}, year = 2012, doi = {10.1017/book},
  crossref = {mv}}
@mvbook{mv, title = {Oncology Library}, location = {Cambridge}}
@article{a1, author = {Doe, J.}, title = {Relapse}, crossref = {per}}
@periodical{per, title = {Blood}, year = 2019}"""
    chapter, book, _, article, _ = parse(text).references
    assert (chapter.title, chapter.container_title, chapter.year, chapter.publisher) == (
        "Infant ALL",
        "Childhood Leukemias",
        2010,  # the chapter's own date, not the book's
        "Cambridge University Press",
    )
    assert (chapter.location, chapter.doi, chapter.page_first) == ("Cambridge", "", "1")  # not the book's DOI
    assert (book.title, book.location, book.container_title) == ("Childhood Leukemias", "Cambridge", "")
    assert (article.container_title, article.year) == ("Blood", 2019)


def test_xdata_fields_are_copied_and_the_xdata_entry_is_not_a_work():
    text = """@xdata{cup, publisher = {Cambridge University Press}, location = {Cambridge}}
@xdata{y2005, year = 2005}
@book{pui2005, author = {Pui, C.-H.}, title = {Childhood Leukemias}, xdata = {cup, y2005}}"""
    parsed = parse(text)
    assert [(ref.label, ref.publisher, ref.location, ref.year) for ref in parsed.references] == [
        ("pui2005", "Cambridge University Press", "Cambridge", 2005)
    ]
    assert parsed.problems == []


def test_a_missing_or_looping_crossref_is_noted_on_the_entry():
    text = """@incollection{c1, title = {A}, crossref = {nowhere}, year = 2001}
@book{b1, title = {B}, crossref = {b2}, year = 2001}
@book{b2, title = {C}, crossref = {b1}, year = 2001}"""
    c1, b1, b2 = parse(text).references
    assert c1.problems == [Problem("crossref entry nowhere is not in the file", line=1, entry="c1")]
    assert [problem.message for problem in b1.problems + b2.problems] == [
        "crossref entries b2 and b1 point to each other; nothing inherited"
    ]


def test_keyless_entries_get_a_label_and_no_problem():
    parsed = parse((SAMPLES / "bbt-endnote-keyless.bib").read_text(encoding="utf-8"))
    assert parsed.problems == []
    [ref] = parsed.references
    assert (ref.label, ref.line, ref.title, ref.year, ref.pages, ref.problems) == (
        "Huang2012",
        2,
        "Alzheimer mechanisms and therapeutic strategies",
        2012,
        "1204-1222",
        [],
    )
    two = parse(
        "@article{\n author = {Huang, Y.}, year = 2012, title = {A}}\n@article{ title = {B}, year = 2012,"
        "\n author = {Huang, Y.}}\n@misc{Huang2012b, title = {C}}"
    )
    assert [ref.label for ref in two.references] == ["Huang2012", "Huang2012a", "Huang2012b"]


def test_traps_file_gives_right_values_and_a_clear_problem():
    [ref] = parse((SAMPLES / "traps.bib").read_text(encoding="utf-8")).references
    assert ref.authors == [Name("Laidé", "Jean"), Name("Loaeb", "Ben")]
    assert ref.problems == [
        Problem("authors separated by commas instead of 'and'; read as 2 authors", line=1, entry="Laide2013")
    ]
    assert (ref.title, ref.volume, ref.date, ref.keywords) == (
        "An amazing title",
        "n.s. 2",
        "2013-01",
        ["keyword1", "keyword2"],
    )
    assert ref.abstract.endswith("and with a french érudit word")


def test_reads_what_records_carry_beyond_a_printed_reference():
    text = r"""@article{p1, title = {$\alpha$-Fe2O3 and Fe$_2$O$_3$ in $^{131}$I-MIBG therapy},
  journaltitle = {Blood Cancer Journal}, shortjournal = {Blood Cancer J}, year = 2017, month = dec, day = 5,
  issn = {2044-5385, 2044-5386}, langid = {english}, keywords = {leukemia; infant; MLL},
  abstract = {Background: 50\% of infants.}, eprinttype = {pubmed}, eprint = {29203889},
  pmcid = {PMC5802538}}"""
    [ref] = parse(text).references
    assert ref.title == "α-Fe2O3 and Fe2O3 in ¹³¹I-MIBG therapy"
    assert (ref.journal_abbrev, ref.date, ref.language, ref.issns) == (
        "Blood Cancer J",
        "2017-12-05",
        "english",
        ["2044-5385", "2044-5386"],
    )
    assert (ref.keywords, ref.abstract, ref.pmid, ref.pmcid) == (
        ["leukemia", "infant", "MLL"],
        "Background: 50% of infants.",
        "29203889",
        "PMC5802538",
    )


def test_a_gbk_encoded_file_is_decoded_and_read():
    text = (
        "@article{wang2019,\n  author = {王海 and 李明},\n"
        "  title = {基于BP神经网络的儿童急性淋巴细胞白血病MRD预测研究},\n"
        "  journal = {中华儿科杂志},\n  keywords = {白血病;MRD;CD19},\n  year = {2019},\n}\n"
    )
    for codec in ("gbk", "gb18030"):
        decoded = decode_page(text.encode(codec))
        assert decoded.text == text
        [ref] = parse(decoded.text).references
        assert (ref.title, ref.container_title, ref.keywords) == (
            "基于BP神经网络的儿童急性淋巴细胞白血病MRD预测研究",
            "中华儿科杂志",
            ["白血病", "MRD", "CD19"],
        )


def test_a_repeated_string_definition_is_a_problem_not_a_crash():
    text = "@string{blood = {Blood}}\n@string{blood = {Blood Journal}}\n@article{a, title={T}, journal=blood, year=2001}\n"
    parsed = parse_structured(text, "bibtex")
    assert [ref.container_title for ref in parsed.references] == ["Blood"]
    assert [problem.message for problem in parsed.problems] == [
        "@string blood defined again; the first definition is used"
    ]
