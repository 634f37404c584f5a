"""References that several formats' fixtures describe, as every reader should give them back. A test
replaces what its format adds or lacks: the line, the label, a PMID, the way initials are written."""

from references.people import Name
from references.refparse.records import ParsedReference
from references.worktypes import BOOK, BOOK_CHAPTER

PIETERS_2007 = ParsedReference(
    raw="Pieters R, Schrappe M, De Lorenzo P. A treatment protocol for infants younger than 1 year with "
    "acute lymphoblastic leukaemia (Interfant-99): an observational study and a multicentre randomised "
    "trial. Lancet. 2007;370(9583):240-250. doi:10.1016/s0140-6736(07)61126-x",
    authors=[Name("Pieters", "Rob"), Name("Schrappe", "Martin"), Name("De Lorenzo", "Paola")],
    title="A treatment protocol for infants younger than 1 year with acute lymphoblastic leukaemia "
    "(Interfant-99): an observational study and a multicentre randomised trial",
    container_title="Lancet",
    year=2007,
    volume="370",
    issue="9583",
    page_first="240",
    page_last="250",
    doi="10.1016/s0140-6736(07)61126-x",
)

HEIM_1987 = ParsedReference(
    raw="Heim S, Mitelman F. Cancer Cytogenetics. New York: Alan R. Liss; 1987.",
    authors=[Name("Heim", "Sverre"), Name("Mitelman", "Felix")],
    title="Cancer Cytogenetics",
    year=1987,
    publisher="Alan R. Liss",
    location="New York",
    work_type=BOOK,
)

BREESE_2022 = ParsedReference(
    raw="Breese EH, Kotecha RS, Guest EM. Acute Lymphoblastic Leukemia in Infants: A Distinctive, "
    "High-Risk Subtype of Childhood Acute Lymphoblastic Leukemia. In: Litzow MR, Raetz EA, editors. "
    "Clinical Management of Acute Lymphoblastic Leukemia. Cham: Springer; 2022. "
    "doi:10.1007/978-3-030-85147-7_6",
    line=1,
    authors=[Name("Breese", "Erin H."), Name("Kotecha", "Rishi S."), Name("Guest", "Erin M.")],
    editors=[Name("Litzow", "Mark R."), Name("Raetz", "Elizabeth A.")],
    title="Acute Lymphoblastic Leukemia in Infants: A Distinctive, High-Risk Subtype of Childhood "
    "Acute Lymphoblastic Leukemia",
    container_title="Clinical Management of Acute Lymphoblastic Leukemia",
    year=2022,
    publisher="Springer",
    location="Cham",
    doi="10.1007/978-3-030-85147-7_6",
    work_type=BOOK_CHAPTER,
)
