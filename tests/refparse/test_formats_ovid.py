"""Ovid MEDLINE / Embase exports, tagged and labelled.

TAGGED_EMBASE is cut from a real Ovid Embase export (fields "Complete Reference"):
knh11545/commandline4expertsearchers, test/data/Embase_citavi_r3001-3002.ovd (commit fb7b5c17), with the
MeSH and abstract lists shortened. TAGGED_BIOSIS is cut from the test cases of Zotero's "OVID Tagged"
translator (zotero/translators, OVID Tagged.js). LABELLED follows the layout of Ovid's "Citation
(Complete)" display export (field names alone on a line, values indented); no public sample was found, so it
is written here from the Interfant-99 reference the other format tests use."""

from references.people import Name
from references.refparse.formats import detect_format, parse_structured
from references.worktypes import BOOK_CHAPTER, CONFERENCE_ABSTRACT, JOURNAL_ARTICLE

TAGGED_EMBASE = """<3001. >
VN  - Ovid Technologies
DB  - Embase
UI  - 621381829
ST  - CONFERENCE ABSTRACT
TI  - Quality of life in patients with primary ciliary dyskinesia: A systematic review.
SO  - BMC Proceedings. Conference: 2nd BEAT-PCD Conference and 3rd PCD Training School: Part 2. Spain. 12 (Supplement 3) (no pagination), 2018. Date of Publication: 2018.
AU  - Behan L.
AU  - Rubbo B.
AU  - Lucas J.S.
IN  - (Behan, Rubbo, Lucas) NIHR Southampton Biomedical Research Centre, University of Southampton,
      Southampton, United Kingdom
MH  - adult
MH  - *Kartagener syndrome
MH  - *quality of life
AB  - Background: As in most rare diseases, little is known on how primary ciliary dyskinesia (PCD)
      affects the patient's daily functioning and mental wellbeing.
IS  - 1753-6561
DO  - http://dx.doi.org/10.1186/s12919-018-0099-8
LG  - English
PT  - Conference Abstract
YR  - 2018

<3002. >
VN  - Ovid Technologies
DB  - Embase
UI  - 621381823
TI  - Development of a bioinformatics analysis method for diagnosis of.
AU  - Dyskinesia P.C.
AU  - Server E.A.
LG  - English
PT  - Conference Abstract
YR  - 2018
"""

TAGGED_BIOSIS = """<241. >\r
VN  - Ovid Technologies\r
DB  - BIOSIS Previews\r
AN  - PREV200400473722\r
AU  - Werner, S. M. [Author, Reprint Author; E-mail: shahlawerner@yahoo.com]\r
AU  - Nordheim, E. V. [Author]\r
TI  - Comparison of methods for sampling Thysanoptera on basswood (Tilia americana L.) trees\r
SO  - Forest Ecology & Management. 201(2-3):327-334, November 15, 2004.\r
PT  - Article\r
IS  - 0378-1127 (ISSN print)\r
LG  - English\r
YR  - 2004\r
\r
<7807. >\r
VN  - Ovid Technologies\r
DB  - BIOSIS Previews\r
AN  - PREV200400435038\r
AU  - Gaertner, Alfred L. [Author, Reprint Author; E-mail: agaertner@genecor.com]\r
TI  - Increasing throughput and data quality for proteomics.\r
SO  - Kamp, Roza Maria [Editor, Reprint Author]. Methods in proteome and protein analysis.:371-397, 2004.\r
PT  - Book Chapter\r
IB  - 3-540-20222-6 (cloth)\r
YR  - 2004\r
"""

LABELLED = """<1>
Database
  Ovid MEDLINE(R) ALL
Unique Identifier
  17658395
Authors
  Pieters R
  Schrappe M
Authors Full Name
  Pieters, Rob
  Schrappe, Martin
Title
  A treatment protocol for infants younger than 1 year with acute lymphoblastic leukaemia
  (Interfant-99): an observational study and a multicentre randomised trial.
Source
  Lancet. 370(9583):240-50, 2007 Jul 21.
Abbreviated Source
  Lancet. 370(9583):240-50, 2007 Jul 21.
Journal Name
  Lancet
Publication Type
  Journal Article
  Randomized Controlled Trial
Abstract
  BACKGROUND: Infants with ALL do badly.
  METHODS: We treated 482 infants.
MeSH Subject Headings
  Humans
  *Infant
Digital Object Identifier
  https://dx.doi.org/10.1016/S0140-6736(07)61126-X
ISSN Print
  0140-6736
Language
  English
Year of Publication
  2007
Date of Publication
  2007 Jul 21
"""


def parse(text: str):
    return parse_structured(text, "ovid")


def test_reads_a_tagged_embase_export():
    parsed = parse(TAGGED_EMBASE)
    assert (parsed.format, detect_format(TAGGED_EMBASE)) == ("ovid", "ovid")
    first, second = parsed.references
    assert first.title == "Quality of life in patients with primary ciliary dyskinesia: A systematic review"
    assert first.authors[:2] == [Name("Behan", "L."), Name("Rubbo", "B.")]
    assert (first.year, first.doi, first.issns) == (2018, "10.1186/s12919-018-0099-8", ["1753-6561"])
    assert first.abstract.endswith("daily functioning and mental wellbeing.")
    assert (first.label, first.pmid) == ("621381829", "")  # an Embase number is not a PMID
    assert first.mesh == ["adult", "*Kartagener syndrome", "*quality of life"]
    assert (first.work_type, first.language) == (CONFERENCE_ABSTRACT, "English")
    assert (second.line, second.label, second.problems) == (24, "621381823", [])


def test_reads_the_source_line_and_roles_of_a_tagged_export():
    article, chapter = parse(TAGGED_BIOSIS).references
    assert article.authors == [Name("Werner", "S.M."), Name("Nordheim", "E.V.")]
    assert (article.container_title, article.volume, article.issue) == (
        "Forest Ecology & Management",
        "201",
        "2-3",
    )
    assert (article.page_first, article.page_last, article.work_type) == ("327", "334", JOURNAL_ARTICLE)
    assert article.issns == ["0378-1127"]
    assert (chapter.work_type, chapter.isbns, chapter.year) == (BOOK_CHAPTER, ["3-540-20222-6"], 2004)


def test_reads_a_labelled_export():
    assert detect_format(LABELLED) == "ovid"
    ref = parse(LABELLED).references[0]
    assert ref.authors == [Name("Pieters", "Rob"), Name("Schrappe", "Martin")]
    assert ref.title.startswith("A treatment protocol") and ref.title.endswith("multicentre randomised trial")
    assert (ref.container_title, ref.volume, ref.issue, ref.pages) == ("Lancet", "370", "9583", "240-250")
    assert (ref.pmid, ref.doi, ref.date) == ("17658395", "10.1016/s0140-6736(07)61126-x", "2007-07-21")
    assert ref.abstract == "BACKGROUND: Infants with ALL do badly. METHODS: We treated 482 infants."
    assert (ref.mesh, ref.issns, ref.work_type) == (["Humans", "*Infant"], ["0140-6736"], "clinical-trial")


def test_ovid_is_not_read_as_medline_or_ris():
    for text in (TAGGED_EMBASE, TAGGED_BIOSIS, LABELLED):
        assert detect_format(text) == "ovid"
