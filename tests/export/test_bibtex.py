"""BibTeX export: escaping, protected titles, entry types, and the real tools on tricky records.

biber validates the file against biblatex's data model, classic bibtex formats it with plain.bst, a LaTeX
document is built from it (lualatex for UTF-8, which keeps every script; pdflatex for ASCII), and bibtexparser
reads every field back, in UTF-8 and in ASCII mode.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

import bibtexparser
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from references.export.bibtex import (
    ENTRY_TYPES,
    bibtex_entry,
    bibtex_header,
    entry_type,
    latex_name,
    latex_text,
    latex_title,
)
from references.export.records import PAGE_DASHES, ExportRecord, clean
from references.people import Name
from references.refparse.formats.bibtex import parse_bibtex
from tests.export.tools import build_pdf, missing_characters, run_bibtex, validate_with_biber

P = Name

TRICKY: tuple[ExportRecord, ...] = (
    ExportRecord(
        key="pieters2007treatment",
        work_type="journal-article",
        title="A treatment protocol for infants younger than 1 year with acute lymphoblastic leukaemia "
        "(Interfant-99): an observational, multicentre, randomised trial",
        authors=(
            P("Pieters", "Rob"),
            P("Möricke", "Anja"),
            P("Pánek", "Łukasz"),
            P("Gül", "Ayşe"),
            P("van der Linden", "Marieke H."),
            P("Interfant-99 Study Group"),
        ),
        container_title="The Lancet",
        year=2007,
        volume="370",
        issue="9583",
        pages="240–250",
        doi="10.1016/S0140-6736(07)61126-X",
        pmid="17658395",
        url="https://pubmed.ncbi.nlm.nih.gov/17658395/",
        issns=("0140-6736", "1474-547X"),
        publisher="Elsevier",
        keywords=("Leukemia, Lymphoid", "Infant", "KMT2A"),
        abstract="Background & aims: 50% of infants <1 year ~ relapse; costs $5 #1 a_b {braced} x^2 \\ end.",
    ),
    ExportRecord(
        key="meyer2018mll",
        work_type="review",
        title="KMT2A-AFF1 (MLL-AF4) t(4;11)(q21;q23) and t(9;22)(q34;q11) in CD19+ CD10-negative ALL: "
        "HSCT, MRD & CAR-T in iPSC models of Interfant-06 — TNF-α ≥ 5% in B-cell and T-ALL, phase I",
        authors=(P("WHO"), P("Children's Oncology Group"), P("Smith and Jones", "X.")),
        container_title="Journal of Hematology & Oncology_Research {Special} 100% #1 ~ ^ \\ Ärzteblatt",
        year=2018,
        pages="e33693",
        doi="10.1002/(SICI)1096-9861(20010212)430:3<283::AID-CNE1031>3.0.CO;2-V",
        url="https://example.org/search?q=all&x=%20a_b#frag~1",
        keywords=("t(4;11)", "50% & more"),
    ),
    ExportRecord(
        key="smith2010minimal",
        work_type="book-chapter",
        title="Minimal residual disease in relapsed ALL",
        authors=(P("Smith", "John"), P("Østergaard", "Søren")),
        editors=(P("Pui", "Ching-Hon"), P("Brüggemann", "Monika")),
        container_title="Childhood Leukemias",
        year=2010,
        volume="3",
        pages="317-335",
        publisher="Cambridge University Press",
        isbns=("978-0-521-19595-3", "978-0-521-19595-9"),
        doi="10.1182/blood_2019.001_x",
    ),
    ExportRecord(
        key="nguyen2011chapter",
        work_type="book-chapter",
        title="Chapter of a book without editors",
        authors=(P("Nguyễn", "Thị Minh"),),
        container_title="Leukemia in Children",
        year=2011,
        pages="1-10",
        publisher="Springer & Sons",
    ),
    ExportRecord(
        key="doe2012chapter",
        work_type="book-chapter",
        title="Chapter with no book title",
        authors=(P("Doe", "Jane"),),
        year=2012,
        pages="11–20",
        publisher="Springer",
    ),
    ExportRecord(
        key="pui2005childhood",
        work_type="book",
        title="Childhood Leukemias",
        authors=(P("Pui", "Ching-Hon"),),
        container_title="Cambridge Medicine",
        year=2005,
        volume="2",
        publisher="Cambridge University Press",
        isbns=("0-521-19595-0",),
    ),
    ExportRecord(
        key="brown2014edited",
        work_type="book",
        title="An edited book without a publisher",
        editors=(P("Brown", "Patrick"),),
        year=2014,
        isbns=("9780521195959",),
    ),
    ExportRecord(
        key="worldhealthorganization2022who",
        work_type="report",
        title="WHO classification of haematolymphoid tumours",
        authors=(P("World Health Organization"),),
        container_title="Technical Report Series",
        year=2022,
        volume="5",
        issue="TR-1022",
        pages="1–120",
        publisher="IARC Press",
        isbns=("9789283245209",),
    ),
    ExportRecord(
        key="obrien2019car",
        work_type="conference-abstract",
        title="CAR-T in relapsed B-ALL: results of phase I/II",
        authors=(P("O'Brien", "Seán"),),
        container_title="Blood",
        year=2019,
        volume="134",
        issue="Suppl 1",
        pages="1234",
        issns=("0006-4971",),
        keywords=("CAR-T",),
    ),
    ExportRecord(
        key="nationalcancerinstitute2021childhood",
        work_type="web-page",
        title="Childhood ALL treatment (PDQ)",
        authors=(P("National Cancer Institute"),),
        container_title="cancer.gov",
        year=2021,
        url="https://www.cancer.gov/types/leukemia/hp/child-all-treatment-pdq#section_1.1",
    ),
    ExportRecord(
        key="anon2022simple",
        work_type="web-page",
        title="Simple page",
        year=2022,
        url="https://example.org/all_info/page~1",
    ),
    ExportRecord(
        key="doe2018dataset",
        work_type="other",
        title="Dataset of relapsed ALL",
        authors=(P("Doe", "Jane"),),
        year=2018,
        publisher="Zenodo",
        doi="10.5281/zenodo.1234567",
    ),
    ExportRecord(
        key="anon2017editorial",
        work_type="journal-article",
        title="Editorial: infant ALL",
        container_title="Blood",
        year=2017,
        volume="129",
        issue="1",
        pages="1-2",
    ),
    ExportRecord(
        key="doe2016orphan", work_type="case-report", title="An article without a journal", year=2016
    ),
    ExportRecord(
        key="zhou2015ifn",
        work_type="journal-article",
        title="IFN-γ, Δ-like ligand and β-catenin in Łódź, Kraków and Ærøskøbing — 10 µm, 37 °C, ±2 SD",
        authors=(P("Zhou", "Łan"), P("Straße", "Jürgen"), P("Şahin", "Ğülşen")),
        container_title="Ärzteblatt",
        year=2015,
        doi="10.1000/{odd}\\doi",
    ),
)

DECODER_CONTEXT = get_default_latex_context_db()
# Macros the writer uses that pylatexenc's decoder does not know, or decodes to other characters.
DECODER_CONTEXT.add_context_category(
    "export-tests",
    prepend=True,
    macros=[
        MacroTextSpec(name, simplify_repl=text)
        for name, text in [
            ("textless", "<"),
            ("textgreater", ">"),
            ("textbar", "|"),
            ("textbraceleft", "{"),
            ("textbraceright", "}"),
            ("textasciicircum", "^"),
        ]
    ],
)
DECODER = LatexNodes2Text(latex_context=DECODER_CONTEXT, math_mode="text")


def decode(latex: str) -> str:
    return unicodedata.normalize("NFC", DECODER.latex_to_text(latex))


# --- The text of fields ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("ascii", [False, True], ids=["utf8", "ascii"])
@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("R&D", r"R\&D"),
        ("50%", r"50\%"),
        ("$5", r"\$5"),
        ("#1", r"\#1"),
        ("a_b", r"a\_b"),
        ("{x}", r"\textbraceleft{}x\textbraceright{}"),
        ("}{", r"\textbraceright{}\textbraceleft{}"),
        ("~", r"\textasciitilde{}"),
        ("x^2", r"x\textasciicircum{}2"),
        ("a\\b", r"a\textbackslash{}b"),
        ("<1 year", r"\textless{}1 year"),
        ("  two\n lines\t", "two lines"),
    ],
)
def test_special_characters_are_escaped_in_both_modes(text, latex, ascii):
    assert latex_text(text, ascii=ascii) == latex


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("Möricke", r"M{\"o}ricke"),
        ("Pánek", r"P{\'a}nek"),
        ("Łukasz", r"{\L}ukasz"),
        ("Straße", r"Stra{\ss}e"),
        ("Gül", r"G{\"u}l"),
        ("Şahin", r"{\c{S}}ahin"),
        ("Nguyễn", r"Nguy{\~{\^{e}}}n"),
        ("ǎ", r"{\v{a}}"),
        ("–", r"{\textendash}"),
    ],
)
def test_ascii_mode_writes_brace_protected_escapes(text, latex):
    assert latex_text(text, ascii=True) == latex


@pytest.mark.parametrize(
    "text",
    [
        "Möricke, Pánek, Łukasz, Straße, Şahin – “Gül”",
        "TNF-α ≥ 5 µm, 37 °C, ±2 SD, β-catenin",
        "儿童急性淋巴细胞白血病的治疗",
        "小児急性リンパ性白血病",
        "Острый лимфобластный лейкоз у детей",
        "Οξεία λεμφοβλαστική λευχαιμία",
        "לוקמיה — سرطان الدم — ﬁ 😀",
    ],
)
def test_utf8_mode_keeps_every_script(text):
    assert latex_text(text) == text


def test_utf8_mode_still_escapes_the_special_characters():
    assert latex_text("白血病 & 50% {α}") == r"白血病 \& 50\% \textbraceleft{}α\textbraceright{}"


def test_greek_and_maths_become_latex_in_ascii_mode():
    assert latex_text("TNF-α ≥ 5", ascii=True) == r"TNF-{\ensuremath{\alpha}} {\ensuremath{\geq}} 5"


def test_characters_pdflatex_cannot_typeset_become_their_code_points_in_ascii_mode():
    assert latex_text("白血病 ﬁ", ascii=True) == "{[U+767D]}{[U+8840]}{[U+75C5]} fi"


def test_decomposed_accents_are_composed_first():
    assert latex_text("Mo\u0308ricke", ascii=True) == r"M{\"o}ricke"
    assert latex_text("Mo\u0308ricke") == "Möricke"


@pytest.mark.parametrize(
    ("title", "latex"),
    [
        ("KMT2A and AFF1 in CD19 and CD10 cells", "{KMT2A} and {AFF1} in {CD19} and {CD10} cells"),
        ("ALL after HSCT: MRD and CAR-T", "{ALL} after {HSCT}: {MRD} and {CAR-T}"),
        ("The Interfant-99 protocol", "The {Interfant-99} protocol"),
        ("MLL-AF4 in iPSC and mRNA", "{MLL-AF4} in {iPSC} and {mRNA}"),
        ("Leukaemia with t(4;11)", "Leukaemia with {t(4;11)}"),
        ("t(9;22)(q34;q11) and t(4;11)(q21;q23)", "{t(9;22)(q34;q11)} and {t(4;11)(q21;q23)}"),
        ("B-cell and T-cell in phase I", "{B-cell} and {T-cell} in phase {I}"),
        ("KMT2A-rearranged infant ALL", "{KMT2A-rearranged} infant {ALL}"),
        ("TNF-α in ALL", r"{TNF-{\ensuremath{\alpha}}} in {ALL}"),
    ],
)
def test_titles_protect_symbols_acronyms_and_karyotypes(title, latex):
    assert latex_title(title, ascii=True) == latex


@pytest.mark.parametrize(
    "title",
    [
        "Treatment of Infants with Acute Lymphoblastic Leukemia",
        "Long-Term Outcome: A Study from Rome and Berlin",
        "Relapse after 2 years in 2019",
        "mir-21 and the 3' end",
    ],
)
def test_titles_leave_ordinary_words_for_styles_to_change(title):
    assert latex_title(title) == title


def test_title_protection_wraps_escaped_text():
    title = "Research & development of CD19_x in Möricke's ALL"
    assert latex_title(title, ascii=True) == r"Research \& development of {CD19}\_x in M{\"o}ricke's {ALL}"


def test_names():
    assert latex_name(P("Möricke", "Anja")) == "Möricke, Anja"
    assert latex_name(P("Möricke", "Anja"), ascii=True) == r"M{\"o}ricke, Anja"
    assert latex_name(P("van der Linden", "Marieke H.")) == "van der Linden, Marieke H."
    assert latex_name(P("Pieters")) == "Pieters"


def test_organisations_are_braced_whole():
    assert latex_name(P("Children's Oncology Group")) == "{Children's Oncology Group}"
    assert latex_name(P("Interfant-99 Study Group")) == "{Interfant-99 Study Group}"
    assert latex_name(P("WHO")) == "{WHO}"
    assert latex_name(P("Research & Development Unit")) == r"{Research \& Development Unit}"


def test_name_parts_bibtex_would_split_are_braced():
    assert latex_name(P("Smith and Jones", "X.")) == "{Smith and Jones}, X."
    assert latex_name(P("Doe, Jr.", "J.")) == "{Doe, Jr.}, J."
    assert latex_name(P("Anderson", "Alexander")) == "Anderson, Alexander"


# --- Entries --------------------------------------------------------------------------------------------------

FULL = TRICKY[0]


def test_entry_is_written_field_by_field_in_a_fixed_order():
    assert bibtex_entry(FULL, abstract=True) == (
        "@article{pieters2007treatment,\n"
        "  author = {Pieters, Rob and Möricke, Anja and Pánek, Łukasz and Gül, Ayşe and van der Linden, Marieke H."
        " and {Interfant-99 Study Group}},\n"
        "  title = {A treatment protocol for infants younger than 1 year with acute lymphoblastic leukaemia "
        "({Interfant-99}): an observational, multicentre, randomised trial},\n"
        "  journal = {The Lancet},\n"
        "  year = {2007},\n"
        "  volume = {370},\n"
        "  number = {9583},\n"
        "  pages = {240--250},\n"
        "  doi = {10.1016/S0140-6736(07)61126-X},\n"
        "  eprint = {17658395},\n"
        "  eprinttype = {pubmed},\n"
        "  url = {https://pubmed.ncbi.nlm.nih.gov/17658395/},\n"
        "  issn = {0140-6736},\n"
        "  keywords = {{Leukemia, Lymphoid}, Infant, KMT2A},\n"
        r"  abstract = {Background \& aims: 50\% of infants \textless{}1 year \textasciitilde{} relapse; costs \$5"
        r" \#1 a\_b \textbraceleft{}braced\textbraceright{} x\textasciicircum{}2 \textbackslash{} end.},"
        "\n"
        "}\n"
        "\n"
    )


def test_ascii_entry_is_ascii():
    for record in TRICKY:
        assert bibtex_entry(record, ascii=True, abstract=True).isascii()


def test_abstract_only_when_asked():
    assert "abstract" not in bibtex_entry(FULL)
    assert "  abstract = {Background" in bibtex_entry(FULL, abstract=True)


def test_empty_fields_are_left_out():
    entry = bibtex_entry(ExportRecord(key="x2020", work_type="journal-article", title="Title", year=2020))
    assert entry == "@misc{x2020,\n  key = {Title},\n  title = {Title},\n  year = {2020},\n}\n\n"


@pytest.mark.parametrize(
    ("pages", "latex"),
    [("317-335", "317--335"), ("317–335", "317--335"), ("317 — 335", "317--335"), ("e33693", "e33693")],
)
def test_pages_use_a_double_hyphen_for_ranges(pages, latex):
    assert f"  pages = {{{latex}}},\n" in bibtex_entry(replace(FULL, pages=pages), ascii=True)


@pytest.mark.parametrize(
    ("doi", "written"),
    [
        (
            "10.1002/(SICI)1096-9861(20010212)430:3<283::AID-CNE1031>3.0.CO;2-V",
            "10.1002/(SICI)1096-9861(20010212)430:3<283::AID-CNE1031>3.0.CO;2-V",
        ),
        ("10.1016/S0140-6736(07)61126-X", "10.1016/S0140-6736(07)61126-X"),
        ("10.1182/blood_2019.001%x#y", "10.1182/blood_2019.001%x#y"),
        ("https://doi.org/10.1182/blood.2019", "10.1182/blood.2019"),
        ("10.1000/{odd}\\doi", "10.1000/%7Bodd%7D%5Cdoi"),
    ],
)
def test_doi_is_raw_except_what_a_bib_file_cannot_hold(doi, written):
    assert f"  doi = {{{written}}},\n" in bibtex_entry(replace(FULL, doi=doi), ascii=True)


def test_url_is_raw_and_ascii():
    entry = bibtex_entry(replace(FULL, url="https://example.org/a_b%20c#d~e/Möricke {x}"), ascii=True)
    assert "  url = {https://example.org/a_b%20c#d~e/M%C3%B6ricke%20%7Bx%7D},\n" in entry


def test_only_valid_issn_and_isbn_are_written():
    record = replace(FULL, issns=("0006-4972", "00064971"))
    assert "  issn = {0006-4971},\n" in bibtex_entry(record)
    assert "issn" not in bibtex_entry(replace(FULL, issns=("1234-5678",)))
    chapter = TRICKY[2]  # its first ISBN has a wrong check digit
    assert "  isbn = {978-0-521-19595-9},\n" in bibtex_entry(chapter)


@pytest.mark.parametrize(
    ("work_type", "bibtype"),
    [
        ("journal-article", "article"),
        ("review", "article"),
        ("case-report", "article"),
        ("book-chapter", "incollection"),
        ("book", "book"),
        ("report", "techreport"),
        ("conference-abstract", "inproceedings"),
        ("web-page", "misc"),
        ("other", "misc"),
    ],
)
def test_entry_types(work_type, bibtype):
    assert ENTRY_TYPES[work_type] == bibtype
    complete = replace(TRICKY[2], work_type=work_type)  # authors, editors, container, publisher, pages
    assert entry_type(complete) == bibtype


@pytest.mark.parametrize(
    ("key", "bibtype"),
    [
        ("nguyen2011chapter", "inbook"),  # no editors
        ("doe2012chapter", "misc"),  # no book title
        ("brown2014edited", "misc"),  # no authors
        ("anon2017editorial", "misc"),  # no authors
        ("doe2016orphan", "misc"),  # no journal
    ],
)
def test_records_lacking_what_their_type_needs_fall_back(key, bibtype):
    record = next(r for r in TRICKY if r.key == key)
    assert entry_type(record) == bibtype
    assert bibtex_entry(record).startswith(f"@{bibtype}{{{key},\n")


def test_what_a_type_has_no_field_for_goes_to_the_note():
    editorial = next(r for r in TRICKY if r.key == "anon2017editorial")
    entry = bibtex_entry(editorial)
    assert "  howpublished = {Blood},\n" in entry
    assert "  note = {vol. 129, no. 1, pp. 1--2},\n" in entry
    report = bibtex_entry(next(r for r in TRICKY if r.key == "worldhealthorganization2022who"))
    assert "  institution = {IARC Press},\n" in report
    assert "  note = {Technical Report Series, vol. 5, ISBN 9789283245209},\n" in report


def test_web_pages_show_their_address_in_howpublished():
    simple = bibtex_entry(next(r for r in TRICKY if r.key == "anon2022simple"))
    assert "  howpublished = {\\url{https://example.org/all_info/page~1}},\n" in simple
    # \url cannot take "#" or "%" inside another command's argument: escaped text instead
    nci = bibtex_entry(next(r for r in TRICKY if r.key == "nationalcancerinstitute2021childhood"))
    assert (
        r"  howpublished = {https://www.cancer.gov/types/leukemia/hp/child-all-treatment-pdq\#section\_1.1},"
        in nci
    )


@pytest.mark.parametrize("ascii", [False, True], ids=["utf8", "ascii"])
def test_every_value_has_balanced_braces(ascii):
    # bibtex counts every brace, escaped or not
    for record in TRICKY:
        for line in bibtex_entry(record, ascii=ascii, abstract=True).splitlines()[1:-2]:
            value = line.split(" = ", 1)[1]
            depth = 0
            for char in value:
                depth += {"{": 1, "}": -1}.get(char, 0)
                assert depth >= 0, line
            assert depth == 0, line


def test_unusable_keys_are_refused():
    with pytest.raises(ValueError):
        bibtex_entry(replace(FULL, key="a key,with}"))


def test_header_is_a_comment_line():
    assert bibtex_header() == "% Exported by ALL curation, UTF-8\n\n"
    assert "@" not in bibtex_header(ascii=True)


# --- The real tools -------------------------------------------------------------------------------------------

KEYS = [record.key for record in TRICKY]


@pytest.fixture(scope="module", params=[False, True], ids=["utf8", "ascii"])
def exported(request, tmp_path_factory) -> tuple[Path, bool]:
    ascii = request.param
    path = tmp_path_factory.mktemp("utf8" if not ascii else "ascii") / "refs.bib"
    text = bibtex_header(ascii=ascii) + "".join(bibtex_entry(r, ascii=ascii, abstract=True) for r in TRICKY)
    path.write_text(text, encoding="utf-8")
    return path, ascii


def test_biber_validates_the_data_model_without_a_warning(exported):
    path, _ = exported
    assert validate_with_biber(path) == []


def test_plain_bibtex_formats_without_a_warning(exported):
    path, _ = exported
    assert run_bibtex(path, KEYS) == []


def test_latex_builds_the_bibliography(exported):
    path, ascii = exported
    pdf = build_pdf(path, engine="pdflatex" if ascii else "lualatex")
    assert pdf.stat().st_size > 1000
    assert missing_characters(pdf) == set()
    bbl = " ".join((path.parent / "doc.bbl").read_text(encoding="utf-8").split())  # bibtex wraps lines
    assert bbl.count(r"\bibitem{") == len(TRICKY)
    # plain.bst lower-cases titles: the protected symbols survive it, ordinary words do not
    assert "{KMT2A-AFF1} ({MLL-AF4}) {t(4;11)(q21;q23)}" in bbl
    assert "an observational, multicentre, randomised trial" in bbl
    assert (r"Anja M{\"o}ricke" if ascii else "Anja Möricke") in bbl
    assert "{Children's Oncology Group}" in bbl


def parse(path: Path, decoded: bool):
    middleware = [SeparateCoAuthors(), SplitNameParts()]
    if decoded:
        middleware.append(LatexDecodingMiddleware(decoder=DECODER))
    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"), append_middleware=middleware)
    assert library.failed_blocks == []
    return {entry.key: entry for entry in library.entries}


def names(parts) -> list[tuple[str, str]]:
    # The decoding middleware skips lists of names, so they are decoded here.
    return [(decode(" ".join(n.von + n.last)), decode(" ".join(n.first))) for n in parts]


def people(persons: tuple[Name, ...]) -> list[tuple[str, str]]:
    return [(clean(p.family), clean(p.given)) for p in persons]


CONTAINER_FIELDS = ("journal", "booktitle", "series", "howpublished")
VALID_ISBNS = {"978-0-521-19595-9", "0-521-19595-0", "9780521195959", "9789283245209"}  # the others are not


def valid_isbn(record: ExportRecord) -> str:
    return next((isbn for isbn in record.isbns if isbn in VALID_ISBNS), "")


def expected_note(record: ExportRecord, fields: dict[str, str]) -> str:
    """What the entry type had no field for, so nothing is lost (an article's publisher and ISBN aside)."""
    article = entry_type(record) == "article"
    pages = PAGE_DASHES.sub("--", record.pages)
    isbn = valid_isbn(record)
    parts = [
        record.container_title if not any(f in fields for f in CONTAINER_FIELDS) else "",
        f"vol. {record.volume}" if record.volume and "volume" not in fields else "",
        f"no. {record.issue}" if record.issue and "number" not in fields else "",
        ("pp. " if "--" in pages else "p. ") + pages if pages and "pages" not in fields else "",
        record.publisher if not {"publisher", "institution"} & set(fields) and not article else "",
        f"ISBN {isbn}" if isbn and "isbn" not in fields and not article else "",
    ]
    return ", ".join(part for part in parts if part)


def test_bibtexparser_reads_every_field_back(exported):
    path, _ = exported
    decoded, raw = parse(path, decoded=True), parse(path, decoded=False)
    assert list(decoded) == KEYS
    for record in TRICKY:
        entry = decoded[record.key]
        assert entry.entry_type == entry_type(record)
        fields = {field.key: field.value for field in entry.fields}
        verbatim = {field.key: field.value for field in raw[record.key].fields}
        if record.work_type == "web-page":
            address = verbatim.pop("howpublished")
            assert address == rf"\url{{{record.url}}}" or decode(address) == record.url
            del fields["howpublished"]
        note = fields.pop("note", "").replace("–", "--")  # the decoder makes "--" an en dash
        assert note == expected_note(record, fields | verbatim), record.key

        assert names(fields.pop("author", [])) == people(record.authors)
        editors = names(fields.pop("editor", []))
        assert editors == people(record.editors) or (editors == [] and entry.entry_type == "book")
        values = {
            "title": clean(record.title),
            "key": clean(record.title),  # plain.bst sorts by it when there is no author
            "year": str(record.year),
            **dict.fromkeys(CONTAINER_FIELDS, record.container_title),
            "volume": record.volume,
            "number": record.issue,
            **dict.fromkeys(("publisher", "institution"), record.publisher),
            "eprint": record.pmid,
            "abstract": clean(record.abstract),
        }
        for name, value in values.items():
            if name in fields:
                assert fields.pop(name) == value, (record.key, name)
        if "pages" in fields:
            del fields["pages"]
            assert verbatim["pages"].replace("--", "-") == PAGE_DASHES.sub("-", record.pages)
        for name, value in [("doi", record.doi), ("url", record.url)]:
            if name in fields:
                del fields[name]
                # raw, or percent-encoded where a .bib file cannot hold the character raw
                assert value in (verbatim[name], unquote(verbatim[name])), (record.key, name)
        article = entry.entry_type == "article"
        assert fields.pop("issn", "") == (record.issns[0] if article and record.issns else "")
        isbn = fields.pop("isbn", "")
        if article:  # biber refuses an ISBN on an article
            assert isbn == ""
        else:
            assert isbn == valid_isbn(record) or (isbn == "" and f"ISBN {valid_isbn(record)}" in note)
        keywords = re.split(r",\s*(?![^{]*\})", verbatim.get("keywords", ""))  # commas outside braces
        assert [decode(k) for k in keywords if k] == list(record.keywords)
        fields.pop("keywords", None)
        assert fields.pop("eprinttype", "pubmed" if record.pmid else "") == ("pubmed" if record.pmid else "")
        assert fields == {}, f"{record.key}: fields not checked"


# --- Records lacking a title or a year ------------------------------------------------------------------------
# Nothing is made up for them (see references/export/bibtex.py): the title is `{}`, an empty group both tools
# take as present; the year is biblatex's `date = {XXXX}`, ISO 8601-2's "year unspecified" (biber reads it as a
# date without a year and prints none), in a `misc` entry, the one plain.bst type that does without a year;
# `note` says what was not given, and `key` gives plain.bst something to sort by when there is no author.
# plain.bst prints a lone "." where an empty title goes.

NO_TITLE = replace(FULL, key="pieters2007notitle", title="", abstract="")
NO_YEAR = replace(FULL, key="pieters2007noyear", year=None, abstract="")
NEITHER = ExportRecord(key="anon0000untitled", work_type="journal-article", title="", container_title="Blood")
LACKING = (NO_TITLE, NO_YEAR, NEITHER)


def test_a_record_without_a_title_keeps_its_type_with_an_empty_title_and_a_note():
    entry = bibtex_entry(NO_TITLE)
    assert entry.startswith("@article{pieters2007notitle,\n")
    assert "  title = {{}},\n" in entry
    assert "  year = {2007},\n" in entry
    assert "  note = {No title given},\n" in entry
    assert "key = " not in entry  # it has authors to sort by


def test_a_record_without_a_year_is_a_misc_with_an_unspecified_date_and_a_note():
    entry = bibtex_entry(NO_YEAR)
    assert entry.startswith("@misc{pieters2007noyear,\n")
    assert "  date = {XXXX},\n" in entry
    assert "year = " not in entry
    assert "  howpublished = {The Lancet},\n" in entry
    assert "  note = {vol. 370, no. 9583, pp. 240--250, Elsevier. No year given},\n" in entry


def test_a_record_without_title_year_or_authors_is_sorted_by_its_cite_key():
    assert bibtex_entry(NEITHER) == (
        "@misc{anon0000untitled,\n"
        "  key = {anon0000untitled},\n"
        "  title = {{}},\n"
        "  howpublished = {Blood},\n"
        "  date = {XXXX},\n"
        "  note = {No title or year given},\n"
        "}\n\n"
    )


@pytest.mark.parametrize("ascii", [False, True], ids=["utf8", "ascii"])
def test_records_lacking_a_title_or_year_pass_the_tools_without_a_warning(tmp_path, ascii):
    path = tmp_path / "refs.bib"
    path.write_text("".join(bibtex_entry(r, ascii=ascii) for r in LACKING), encoding="utf-8")
    assert validate_with_biber(path) == []
    assert run_bibtex(path, [r.key for r in LACKING]) == []
    assert build_pdf(path).exists()
    bbl = " ".join((tmp_path / "doc.bbl").read_text(encoding="utf-8").split())
    # nothing made up: a lone full stop for an empty title, no year, the note saying so
    assert r"\bibitem{anon0000untitled} {}. \newblock Blood. \newblock No title or year given." in bbl
    assert (
        r"\newblock {}. \newblock {\em The Lancet}, 370(9583):240--250, 2007. \newblock No title given."
        in bbl
    )
    assert (
        r"\newblock The Lancet. \newblock vol. 370, no. 9583, pp. 240--250, Elsevier. No year given." in bbl
    )


def test_records_lacking_a_title_or_year_read_back_without_them():
    text = "".join(bibtex_entry(r) for r in LACKING)
    entries = {entry.key: entry for entry in bibtexparser.parse_string(text).entries}
    assert entries[NO_TITLE.key]["title"] == entries[NEITHER.key]["title"] == "{}"
    assert entries[NO_YEAR.key]["date"] == entries[NEITHER.key]["date"] == "XXXX"
    # the project's own reader: no title, no year, the rest as written
    read = {ref.label: ref for ref in parse_bibtex(text).references}
    assert read[NO_TITLE.key].title == read[NEITHER.key].title == ""
    assert read[NO_TITLE.key].year == 2007
    assert read[NO_YEAR.key].year is None and read[NEITHER.key].year is None
    assert read[NO_YEAR.key].title == FULL.title


# --- Every script, verbatim in UTF-8 ------------------------------------------------------------------------

SCRIPTS = (
    ExportRecord(
        key="wang2020ertong",
        work_type="journal-article",
        title="儿童急性淋巴细胞白血病的诊断与治疗：KMT2A重排",
        authors=(P("王", "海"), P("李", "明")),
        container_title="中华血液学杂志",
        year=2020,
        volume="41",
        pages="1–8",
        keywords=("白血病",),
    ),
    ExportRecord(
        key="papadopoulos2019",
        work_type="journal-article",
        title="Οξεία λεμφοβλαστική λευχαιμία στα παιδιά: TNF-α ≥ 5%",
        authors=(P("Παπαδόπουλος", "Γιώργος"),),
        container_title="Αρχεία Ελληνικής Ιατρικής",
        year=2019,
    ),
    ExportRecord(
        key="ivanov2018",
        work_type="journal-article",
        title="Острый лимфобластный лейкоз у детей & MRD",
        authors=(P("Иванов", "Иван"), P("Петрова", "Ольга")),
        container_title="Гематология и трансфузиология",
        year=2018,
    ),
)


@pytest.fixture(scope="module")
def scripts_bib(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("scripts") / "refs.bib"
    path.write_text(bibtex_header() + "".join(bibtex_entry(r) for r in SCRIPTS), encoding="utf-8")
    return path


def test_chinese_greek_and_cyrillic_are_written_verbatim_in_utf8(scripts_bib):
    text = scripts_bib.read_text(encoding="utf-8")
    assert "U+" not in text and "\\ensuremath" not in text
    for record in SCRIPTS:
        assert record.container_title in text
        for person in record.authors:
            assert f"{person.family}, {person.given}" in text
    assert "  title = {儿童急性淋巴细胞白血病的诊断与治疗：{KMT2A重排}},\n" in text
    assert "  title = {Острый лимфобластный лейкоз у детей \\& {MRD}},\n" in text


def test_chinese_greek_and_cyrillic_pass_biber_and_bibtex(scripts_bib):
    assert validate_with_biber(scripts_bib) == []
    assert run_bibtex(scripts_bib, [r.key for r in SCRIPTS]) == []


def test_chinese_greek_and_cyrillic_read_back_equal(scripts_bib):
    entries = parse(scripts_bib, decoded=True)
    assert list(entries) == [r.key for r in SCRIPTS]
    for record in SCRIPTS:
        entry = entries[record.key]
        assert entry["title"] == record.title
        assert entry["journal"] == record.container_title
        assert names(entry["author"]) == people(record.authors)


def test_chinese_greek_and_cyrillic_are_typeset_by_lualatex(scripts_bib):
    pdf = build_pdf(scripts_bib, engine="lualatex")
    assert missing_characters(pdf) == set()
    bbl = (scripts_bib.parent / "doc.bbl").read_text(encoding="utf-8")
    assert "中华血液学杂志" in bbl and "λευχαιμία" in bbl and "лейкоз" in bbl


# Latin, Greek, Cyrillic, Hebrew, Arabic, Indic, punctuation, letterlike, arrows, maths, CJK, emoji
EVERY_CHARACTER = [chr(c) for c in range(0xA0, 0x2500) if not 0xD800 <= c < 0xE000] + list("白血病😀ﬁ")
# What the fonts of the lualatex document have glyphs for; the rest of the scripts it leaves out (with a log line).
COVERED = set("白血病") | {
    chr(c) for c in [*range(0xA0, 0x250), *range(0x391, 0x3CA), *range(0x410, 0x450)] if chr(c).isprintable()
}


@pytest.mark.parametrize("ascii", [False, True], ids=["utf8", "ascii"])
def test_every_character_builds(tmp_path, ascii):
    chunks = ["".join(EVERY_CHARACTER[i : i + 200]) for i in range(0, len(EVERY_CHARACTER), 200)]
    records = [
        ExportRecord(key=f"chars{i}", work_type="other", title=f"T {chunk}", year=2020)
        for i, chunk in enumerate(chunks)
    ]
    path = tmp_path / "refs.bib"
    path.write_text("".join(bibtex_entry(r, ascii=ascii) for r in records), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert text.isascii() == ascii
    if not ascii:  # every character that is not white space or invisible, as it is
        assert all(char in text for char in EVERY_CHARACTER if clean(f"x{char}x") == f"x{char}x")
    pdf = build_pdf(path, engine="pdflatex" if ascii else "lualatex")
    assert missing_characters(pdf).isdisjoint(COVERED)
    assert validate_with_biber(path) == []
    assert run_bibtex(path, [r.key for r in records]) == []
