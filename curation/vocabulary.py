"""The starting finding vocabulary: labels, categories, descriptions and the synonyms papers use."""

from typing import NamedTuple


class Term(NamedTuple):
    label: str
    category: str
    description: str
    synonyms: tuple[str, ...] = ()


VOCABULARY: tuple[Term, ...] = (
    Term(
        "KMT2A-r",
        "genetics",
        "Rearrangement of the KMT2A (MLL) gene on 11q23.",
        (
            "MLL-r",
            "MLL rearrangement",
            "MLL-rearranged",
            "MLL gene rearrangement",
            "KMT2A rearrangement",
            "KMT2A gene rearrangement",
            "KMT2Ar",
            "KMT2A-rearranged",
            "11q23",
            "t(4;11)",
            "KMT2A/AFF1",
            "MLL-AF4",
            "MLL-AF9",
            "MLL-ENL",
        ),
    ),
    Term(
        "CD10-negative",
        "genetics",
        "Blasts lacking CD10 expression, typical of KMT2A-r infant ALL.",
        (
            "CD10 negative",
            "CD10-",
            "lack of CD10 expression",
            "pro-B",
        ),
    ),
    Term(
        "lineage switch",
        "genetics",
        "Conversion of lymphoid leukemia to myeloid (or back), often at relapse.",
        (
            "lineage conversion",
            "lineage switching",
            "from lymphoid to myeloid",
            "switched lineage",
            "myeloid switch",
            "lineage plasticity",
        ),
    ),
    Term(
        "HSCT",
        "transplant",
        "Haematopoietic stem cell transplantation.",
        (
            "stem cell transplantation",
            "haemopoietic stem-cell transplantation",
            "hematopoietic stem cell transplantation",
            "haematopoietic stem cell transplantation",
            "hematopoietic stem-cell transplantation",
            "SCT",
            "allogeneic",
            "allogenic",
            "haploidentical",
            "bone marrow transplantation",
            "BMT",
        ),
    ),
    Term("blinatumomab", "therapy", "CD19×CD3 bispecific T-cell engager.", ("Blincyto", "BiTE", "MT103")),
    Term(
        "inotuzumab ozogamicin",
        "therapy",
        "CD22-directed antibody–drug conjugate.",
        (
            "inotuzumab",
            "Besponsa",
            "InO",
        ),
    ),
    Term(
        "CAR-T",
        "therapy",
        "Chimeric antigen receptor T-cell therapy.",
        (
            "CAR T",
            "CAR T cells",
            "CAR-T-cell",
            "chimeric antigen receptor",
            "tisagenlecleucel",
            "Kymriah",
        ),
    ),
    Term("venetoclax", "therapy", "BCL-2 inhibitor.", ("ABT-199", "BCL-2 inhibitor", "BH3 mimetic")),
    Term(
        "menin inhibitor",
        "therapy",
        "Inhibitors of the menin–KMT2A interaction.",
        (
            "menin-MLL inhibitor",
            "revumenib",
            "ziftomenib",
            "SNDX-5613",
            "KO-539",
        ),
    ),
    Term(
        "DOT1L inhibitor",
        "therapy",
        "Inhibitors of the DOT1L histone methyltransferase.",
        (
            "pinometostat",
            "EPZ-5676",
            "DOT1L",
        ),
    ),
    Term(
        "chemotherapy",
        "therapy",
        "Cytotoxic chemotherapy.",
        ("chemo", "induction therapy"),
    ),
    Term(
        "immunotherapy",
        "therapy",
        "Therapy acting through the immune system.",
        (
            "immunotherapies",
            "immunotherapeutic",
            "monoclonal antibody",
            "bispecific",
        ),
    ),
    Term(
        "targeted therapy",
        "therapy",
        "Molecularly targeted therapy.",
        (
            "molecularly targeted",
            "targeted therapies",
            "FLT3 inhibitor",
            "lestaurtinib",
        ),
    ),
    Term(
        "radiotherapy", "therapy", "Radiation therapy.", ("radiation therapy", "cranial irradiation", "TBI")
    ),
    Term(
        "MRD",
        "response",
        "Minimal (measurable) residual disease.",
        (
            "minimal residual disease",
            "measurable residual disease",
            "minimum residual disease",
        ),
    ),
    Term(
        "relapse", "response", "Return of leukemia after remission.", ("relapsed", "recurrence", "recurrent")
    ),
    Term(
        "refractory disease",
        "response",
        "Leukemia that does not respond to therapy.",
        (
            "refractory",
            "relapsed/refractory",
            "r/r",
        ),
    ),
    Term(
        "CNS involvement",
        "response",
        "Leukemia in the central nervous system.",
        (
            "central nervous system",
            "CNS",
            "CNS3",
            "CNS relapse",
        ),
    ),
    Term(
        "infant",
        "population",
        "Patients younger than one year.",
        (
            "infants",
            "infantile",
            "neonate",
            "congenital",
            "under one year",
            "first year of life",
        ),
    ),
    Term(
        "Interfant protocol",
        "population",
        "The Interfant-99 / Interfant-06 treatment protocols.",
        (
            "Interfant-99",
            "Interfant-06",
            "Interfant",
            "INTERFANT-06",
        ),
    ),
    Term(
        "case report",
        "study-type",
        "A report of one or a few patients.",
        (
            "clinical case",
            "case series",
            "Case Report",
        ),
    ),
    Term("review", "study-type", "A review of the literature.", ("systematic review", "meta-analysis")),
)
