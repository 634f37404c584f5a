"""Titles, abstracts, authors and journals of synthetic papers about childhood, infant and relapsed ALL.

Term frequencies follow the literature rather than the vocabulary: a paper names the findings it is about
and otherwise speaks in general terms, so most findings turn up in a few percent of the works, relapse and
chemotherapy in about a quarter, and "leukemia" in nearly all (see PREVALENCE)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from references.models import EnrichmentState, WorkType

# --- Vocabulary of the synthetic papers --------------------------------------------------------------------

JOURNALS = (
    ("Blood", "Blood"),
    ("Leukemia", "Leukemia"),
    ("Journal of Clinical Oncology", "J Clin Oncol"),
    ("The Lancet Oncology", "Lancet Oncol"),
    ("Pediatric Blood & Cancer", "Pediatr Blood Cancer"),
    ("Haematologica", "Haematologica"),
    ("British Journal of Haematology", "Br J Haematol"),
    ("Blood Advances", "Blood Adv"),
    ("Bone Marrow Transplantation", "Bone Marrow Transplant"),
    ("Transplantation and Cellular Therapy", "Transplant Cell Ther"),
    ("Biology of Blood and Marrow Transplantation", "Biol Blood Marrow Transplant"),
    ("The New England Journal of Medicine", "N Engl J Med"),
    ("The Lancet", "Lancet"),
    ("Cancer", "Cancer"),
    ("Cancer Cell", "Cancer Cell"),
    ("Nature Medicine", "Nat Med"),
    ("Nature Genetics", "Nat Genet"),
    ("Cancer Discovery", "Cancer Discov"),
    ("Leukemia & Lymphoma", "Leuk Lymphoma"),
    ("Leukemia Research", "Leuk Res"),
    ("American Journal of Hematology", "Am J Hematol"),
    ("Annals of Hematology", "Ann Hematol"),
    ("Blood Cancer Journal", "Blood Cancer J"),
    ("Pediatric Hematology and Oncology", "Pediatr Hematol Oncol"),
    ("Journal of Pediatric Hematology/Oncology", "J Pediatr Hematol Oncol"),
    ("Frontiers in Oncology", "Front Oncol"),
    ("Frontiers in Pediatrics", "Front Pediatr"),
    ("Cancers", "Cancers (Basel)"),
    ("Seminars in Hematology", "Semin Hematol"),
    ("Current Opinion in Hematology", "Curr Opin Hematol"),
    ("Hematology/Oncology Clinics of North America", "Hematol Oncol Clin North Am"),
    ("Clinical Lymphoma, Myeloma & Leukemia", "Clin Lymphoma Myeloma Leuk"),
    ("European Journal of Haematology", "Eur J Haematol"),
    ("Cytotherapy", "Cytotherapy"),
    ("Journal of Hematology & Oncology", "J Hematol Oncol"),
    ("Experimental Hematology", "Exp Hematol"),
    ("Genes, Chromosomes and Cancer", "Genes Chromosomes Cancer"),
    ("Clinical Cancer Research", "Clin Cancer Res"),
    ("Indian Journal of Pediatrics", "Indian J Pediatr"),
    ("Pediatric Transplantation", "Pediatr Transplant"),
)
# Earlier journals are more common: Blood and Leukemia publish far more on the subject than Cytotherapy.
JOURNAL_WEIGHTS = [1 / (i + 3) for i in range(len(JOURNALS))]
BOOKS = (
    ("Clinical Management of Acute Lymphoblastic Leukemia", "Springer, Cham"),
    ("Childhood Leukemia: A Practical Handbook", "Springer, Berlin"),
    ("Hematopoietic Cell Transplantation in Children", "Elsevier"),
    ("Pediatric Oncology: Principles and Practice", "Wolters Kluwer"),
    ("Infant Leukemia: Biology and Treatment", "Academic Press"),
)
WORK_TYPES = (
    (WorkType.JOURNAL_ARTICLE, 70),
    (WorkType.REVIEW, 14),
    (WorkType.CASE_REPORT, 10),
    (WorkType.BOOK_CHAPTER, 4),
    (WorkType.CONFERENCE_ABSTRACT, 2),
)
ENRICHMENT = (
    (EnrichmentState.ENRICHED, 62),
    (EnrichmentState.NOT_ENRICHED, 30),
    (EnrichmentState.FAILED, 3),
    (EnrichmentState.UNMATCHED, 5),
)


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FAMILIES = _names(
    "Smith Müller García Rossi Kim Nguyen Tanaka Kowalski Novak Jansen Ivanova Petrov Silva Santos Cohen "
    "Levi Andersson Nielsen Hansen Korhonen Dubois Martin Bernard Schmidt Schneider Fischer Weber Meyer "
    "Wagner Becker Hoffmann Romano Ricci Bruno Costa Ferreira Pereira López Martínez Sánchez Pérez Gómez "
    "Fernández Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Lin Guo He Gao Luo Sato "
    "Suzuki Takahashi Watanabe Ito Yamamoto Nakamura Kobayashi Park Lee Choi Jung Kang Cho Yoon Jang Patel "
    "Sharma Singh Kumar Gupta Shah Mehta Reddy Rao Iyer O'Brien Murphy Kelly Walsh Byrne Ryan Johnson "
    "Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson White Harris Thompson "
    "Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker Nelson Carter Mitchell "
    "Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris Rogers Reed Cook Morgan "
    "Bell Cooper Richardson Cox Howard Ward Peterson Gray Watson Brooks Bennett Wood Barnes Ross Henderson "
    "Coleman Jenkins Perry Powell Hughes Flores Butler Foster Bryant Russell Griffin Diaz Hayes Yilmaz Kaya "
    "Demir Şahin Çelik Öztürk Nowak Wiśniewski Dvořák Horváth Nagy Popescu Ionescu Papadopoulos Georgiou "
    "Haddad Khoury Mansour Ali Hassan Ahmed Rahman Hosseini Karimi Mohammadi Okafor Adeyemi Mensah Ndlovu "
    "Mwangi Berg Lund Virtanen Lindqvist Moreau Lefebvre Girard Bianchi Colombo Esposito Marino Greco"
)
FAMILIES += ("van der Berg", "de Vries", "van Dijk", "de Jong", "von Bergen", "Al-Sayed", "Mac Donald")
GIVEN = _names(
    "Anna Maria Laura Sofia Emma Julia Sara Elena Marta Eva Hanna Ingrid Yuki Mei Ji-woo Priya Aisha Fatma "
    "Olga Irina Chloe Claire Lucia Paula Rosa Nadia Leila Amara Grace Helen Karin Lena John Peter Michael "
    "David Thomas Martin Paul Andreas Stefan Marco Luca Pedro Carlos Juan Jose Hiroshi Kenji Wei Jun Min-jun "
    "Arjun Rahul Omar Ahmed Mehmet Ivan Sergei Pierre Louis Jan Lars Erik Mikko Piotr Tomas Daniel Samuel "
    "Kwame Chinedu Rui Hugo Felix Oscar Ruth Rachel Miriam"
)

# Surface forms papers use, all of them synonyms in curation.vocabulary (so the matcher finds them).
PHRASES: dict[str, tuple[str, ...]] = {
    "KMT2A-r": (
        "KMT2A rearrangement",
        "MLL gene rearrangement",
        "KMT2A-r",
        "MLL-r",
        "t(4;11)",
        "KMT2A/AFF1",
        "MLL-AF4",
        "MLL-AF9",
        "MLL-ENL",
    ),
    "CD10-negative": (
        "lack of CD10 expression",
        "a CD10-negative immunophenotype",
        "a pro-B immunophenotype",
    ),
    "lineage switch": ("lineage switch", "lineage conversion", "myeloid switch", "lineage plasticity"),
    "HSCT": (
        "allogeneic hematopoietic stem cell transplantation (HSCT)",
        "HSCT",
        "haploidentical HSCT",
        "haematopoietic stem cell transplantation",
        "haemopoietic stem-cell transplantation",
        "allo-SCT",
        "bone marrow transplantation",
        "allogeneic HSCT",
        "stem cell transplantation",
    ),
    "blinatumomab": ("blinatumomab", "blinatumomab (Blincyto)", "the BiTE blinatumomab"),
    "inotuzumab ozogamicin": ("inotuzumab ozogamicin", "inotuzumab ozogamicin (InO)", "inotuzumab"),
    "CAR-T": (
        "tisagenlecleucel",
        "CD19-directed CAR T cells",
        "CAR-T cell therapy",
        "chimeric antigen receptor T-cell therapy",
    ),
    "venetoclax": ("venetoclax", "the BCL-2 inhibitor venetoclax", "venetoclax (ABT-199)"),
    "menin inhibitor": ("revumenib", "ziftomenib", "menin inhibitors", "the menin inhibitor revumenib"),
    "DOT1L inhibitor": ("pinometostat", "DOT1L inhibitors", "pinometostat (EPZ-5676)"),
    "chemotherapy": ("intensive chemotherapy", "chemotherapy", "induction therapy", "high-dose chemotherapy"),
    "immunotherapy": ("immunotherapy", "immunotherapies", "monoclonal antibodies", "bispecific antibodies"),
    "targeted therapy": (
        "targeted therapy",
        "molecularly targeted agents",
        "FLT3 inhibitors",
        "lestaurtinib",
    ),
    "radiotherapy": ("cranial irradiation", "radiotherapy", "TBI-based conditioning"),
    "MRD": ("minimal residual disease (MRD)", "MRD", "measurable residual disease", "end-of-induction MRD"),
    "CNS involvement": ("CNS involvement", "central nervous system involvement", "CNS3 status"),
    "infant": ("infants", "infants younger than one year", "infants under one year of age", "neonates"),
    "relapse": ("relapse", "relapse", "disease recurrence"),
    "refractory disease": ("refractory disease", "relapsed or refractory disease", "r/r disease"),
    "Interfant protocol": ("Interfant-99", "Interfant-06"),
}

# How often a paper is about each finding (the share of works naming it, when it exists), and by how much
# that changes for papers on relapse or on KMT2A-r. Relapse and infants are drawn first (see make_topic).
PREVALENCE: dict[str, float] = {
    "chemotherapy": 0.26,
    "MRD": 0.07,
    "HSCT": 0.05,
    "CNS involvement": 0.03,
    "radiotherapy": 0.025,
    "immunotherapy": 0.03,
    "targeted therapy": 0.015,
    "blinatumomab": 0.012,
    "CAR-T": 0.01,
    "inotuzumab ozogamicin": 0.006,
    "venetoclax": 0.005,
    "menin inhibitor": 0.002,
    "DOT1L inhibitor": 0.001,
    "lineage switch": 0.002,
}
AFTER_RELAPSE = {
    "HSCT": 3.5,
    "blinatumomab": 4,
    "CAR-T": 4,
    "inotuzumab ozogamicin": 4,
    "venetoclax": 3,
    "immunotherapy": 2,
}
WITH_KMT2A = {"menin inhibitor": 15, "DOT1L inhibitor": 15, "lineage switch": 15}
THERAPIES = (
    "chemotherapy",
    "HSCT",
    "radiotherapy",
    "immunotherapy",
    "targeted therapy",
    "blinatumomab",
    "inotuzumab ozogamicin",
    "CAR-T",
    "venetoclax",
    "menin inhibitor",
    "DOT1L inhibitor",
)
# First year a finding turns up in the synthetic literature; papers on it grow for six years after.
SINCE = {
    "immunotherapy": 2000,
    "targeted therapy": 2004,
    "blinatumomab": 2008,
    "inotuzumab ozogamicin": 2012,
    "DOT1L inhibitor": 2012,
    "CAR-T": 2013,
    "venetoclax": 2016,
    "menin inhibitor": 2019,
}
RELAPSED_SHARE = 0.26
INFANT_SHARE = {WorkType.CASE_REPORT: 0.3}
INFANT_DEFAULT = 0.055

POPULATIONS = ("children", "children and adolescents", "paediatric patients", "young patients", "adolescents")
OTHER_GENETICS = (
    "IKZF1 deletion",
    "hypodiploidy",
    "TP53 alteration",
    "ETV6-RUNX1 fusion",
    "high hyperdiploidy",
)
PROTOCOLS = (
    "AIEOP-BFM ALL 2009",
    "COG AALL0232",
    "UKALL 2003",
    "NOPHO ALL2008",
    "DCOG ALL-11",
    "ALLTogether1",
)
RELAPSE_PROTOCOLS = ("ALL-REZ BFM 2002", "IntReALL SR 2010", "COG AALL0433", "UKALL R3")
DESIGNS = ("retrospective cohort study", "prospective phase 2 trial", "multicentre registry study")
KEYWORDS = (
    "Acute lymphoblastic leukemia",
    "Childhood ALL",
    "Prognosis",
    "Survival",
    "Risk stratification",
    "Toxicity",
    "Pharmacogenomics",
    "Late effects",
    "Genomics",
    "B-cell precursor ALL",
    "Asparaginase",
    "Supportive care",
)
FINDING_KEYWORDS = {
    "relapse": "Relapse",
    "chemotherapy": "Chemotherapy",
    "HSCT": "Hematopoietic stem cell transplantation",
    "MRD": "Minimal residual disease",
    "infant": "Infant",
    "KMT2A-r": "KMT2A",
    "blinatumomab": "Blinatumomab",
    "immunotherapy": "Immunotherapy",
    "CAR-T": "CAR T cells",
    "menin inhibitor": "Menin inhibitor",
    "venetoclax": "Venetoclax",
    "inotuzumab ozogamicin": "Inotuzumab ozogamicin",
}
MESH = (
    "Humans",
    "Child",
    "Child, Preschool",
    "Adolescent",
    "Male",
    "Female",
    "Precursor Cell Lymphoblastic Leukemia-Lymphoma / therapy",
    "Precursor Cell Lymphoblastic Leukemia-Lymphoma / genetics",
    "Treatment Outcome",
    "Retrospective Studies",
    "Prognosis",
    "Survival Rate",
)
FINDING_MESH = {
    "infant": ("Infant", "Infant, Newborn"),
    "KMT2A-r": (
        "Myeloid-Lymphoid Leukemia Protein / genetics",
        "Histone-Lysine N-Methyltransferase / genetics",
    ),
    "HSCT": ("Hematopoietic Stem Cell Transplantation",),
    "relapse": ("Recurrence",),
    "MRD": ("Neoplasm, Residual",),
    "chemotherapy": ("Antineoplastic Combined Chemotherapy Protocols / therapeutic use",),
    "CAR-T": ("Immunotherapy, Adoptive",),
}

# --- Sentence and title templates; {slots} are filled by _Slots, {this} names the finding a sentence is on --
# Only the finding sentences and titles name vocabulary terms; the general ones name none.

GENERAL_TITLES = {
    WorkType.JOURNAL_ARTICLE: (
        "Outcome of {pop} with acute lymphoblastic leukemia treated on the {protocol} protocol",
        "Prognostic impact of {gen} in {pop} with ALL",
        "{Gen} in {pop} with acute lymphoblastic leukemia: clinical features and outcome",
        "Long-term follow-up of {pop} with {rel_adj}ALL: a {design}",
        "Toxicity and treatment-related mortality in {pop} with {rel_adj}acute lymphoblastic leukaemia",
        "Early treatment response predicts survival in {rel_adj}ALL",
    ),
    WorkType.REVIEW: (
        "Treatment of {rel_adj}childhood acute lymphoblastic leukemia: current state and future directions",
        "Biology and treatment of acute lymphoblastic leukaemia in {pop}",
    ),
    WorkType.CASE_REPORT: (
        "An unusual presentation of {rel_adj}acute lymphoblastic leukemia: a case report",
        "{Gen} in a child with ALL: case report",
    ),
    WorkType.BOOK_CHAPTER: ("Acute lymphoblastic leukemia in {pop}", "{Gen} and leukemogenesis in {pop}"),
    WorkType.CONFERENCE_ABSTRACT: (
        "Outcome of {pop} with {rel_adj}ALL: interim results of a {design}",
        "Early response kinetics in {pop} with ALL",
    ),
}
# By the kind of finding the title is on.
FINDING_TITLES = {
    "therapy": (
        "Outcome of {pop} with {rel_adj}acute lymphoblastic leukemia treated with {this}",
        "{This} for {rel_adj}acute lymphoblastic leukaemia in {pop}: a {design}",
        "{This} in {pop} with {rel_adj}ALL: results of a {design}",
        "Real-world experience with {this} in {rel_adj}paediatric ALL",
    ),
    "genetics": (
        "{This} in {pop} with acute lymphoblastic leukemia: clinical features and outcome",
        "Prognostic impact of {this} in {pop} with {rel_adj}ALL",
    ),
    "other": (
        "{This} in {pop} with {rel_adj}acute lymphoblastic leukemia",
        "Outcome of {pop} with {rel_adj}ALL and {this}",
    ),
}
# Named by general titles already ({pop}, {rel_adj}), or not what a title is about.
IN_GENERAL_TITLES = ("infant", "relapse", "refractory disease", "Interfant protocol")
KINDS = {label: "therapy" for label in THERAPIES} | {"KMT2A-r": "genetics", "CD10-negative": "genetics"}

BACKGROUND = (
    "Acute lymphoblastic leukemia (ALL) is the most common cancer of childhood, and cure rates now exceed 85% in high-income countries.",
    "{Gen} occurs in approximately {pct}% of {pop} with ALL and is associated with an inferior outcome.",
    "Risk stratification relies on presenting features, cytogenetics and early treatment response, yet many treatment failures occur in patients classified as standard risk.",
    "Treatment-related mortality and late effects remain important concerns, particularly in the youngest patients.",
    "Few prospective data are available to guide the management of {pop} with high-risk features.",
    "Survival of {pop} with ALL has improved steadily over five decades of cooperative group trials.",
    "Adolescents and young adults with ALL fare worse than younger children treated on the same protocols.",
)
METHODS = (
    "We retrospectively analysed {n} {pop} with ALL treated on the {protocol} protocol between {y1} and {y2}.",
    "In this {design}, {n} patients with ALL were enrolled at {centres} centres.",
    "Patients were stratified by age, white blood cell count, {gen} and early treatment response.",
    "Clinical and laboratory data were collected from medical records and the trial database, with follow-up until {y2}.",
    "The primary endpoint was event-free survival; secondary endpoints were overall survival and treatment-related mortality.",
    "Survival was estimated by the Kaplan-Meier method and compared with the log-rank test; multivariable analysis used Cox proportional hazards regression.",
    "Genetic subtypes were identified by conventional karyotyping, fluorescence in situ hybridisation, RT-PCR or RNA sequencing.",
    "Adverse events were graded according to the Common Terminology Criteria for Adverse Events, version 5.0.",
)
RESULTS = (
    "The {yrs}-year event-free survival was {efs} and overall survival {pct2}%.",
    "Patients with {gen} had inferior outcomes (hazard ratio {hr}; P = {p}).",
    "The median age at diagnosis was {years} years, and the median follow-up of surviving patients was {yrs} years.",
    "The median white blood cell count at diagnosis was {k}0 × 10^9/L, and {pct}% of patients presented with hyperleukocytosis.",
    "Complete remission was achieved in {pct}% of patients, and {pct2}% completed the planned treatment.",
    "In multivariable analysis, age at diagnosis, white blood cell count and early treatment response remained independent predictors of event-free survival.",
    "Treatment-related mortality was {k2}%, mostly from infections.",
    "Grade 3 or higher toxicity occurred in {pct}% of patients, most often febrile neutropenia and hepatotoxicity.",
    "Quality of life scores returned to population norms within {yrs} years of diagnosis.",
)
CONCLUSIONS = (
    "These findings support risk-adapted treatment of {pop} with ALL.",
    "Prospective trials are needed to confirm these results.",
    "Early identification of high-risk features may allow treatment to be intensified or reduced accordingly.",
    "Longer follow-up is required to assess late effects and the durability of these responses.",
)
CASE = (
    "We report the case of a {patient} with ALL who presented with fever, pallor and bruising.",
    "At presentation, the white blood cell count was {k}0 × 10^9/L, with hepatosplenomegaly and {pct}% blasts in the bone marrow.",
    "The patient achieved complete remission and remains well {months} months after the end of treatment.",
)
REVIEW = (
    "In this review, we summarise current evidence on the treatment of {pop} with ALL.",
    "We discuss open questions on risk stratification and the place of new agents in frontline treatment.",
    "Recommendations on supportive care and the management of toxicities in {pop} are summarised.",
    "Finally, we outline priorities for future cooperative group trials.",
)
# What a paper on a finding says about it: one or two of these join the general sentences.
ON_THERAPY = (
    "In total, {k} patients received {this}, and responses were assessed after each cycle.",
    "Patients treated with {this} had a complete remission rate of {pct}%.",
    "Grade 3 or higher toxicity occurred in {pct}% of patients after {this}.",
    "These data support the evaluation of {this} in prospective trials.",
)
ON_FINDING = {
    "HSCT": (
        "In total, {k} patients proceeded to {this} in remission.",
        "The role of {this} in {pop} with high-risk ALL remains controversial.",
        "Survival after {this} was {pct}% at {yrs} years.",
    ),
    "MRD": (
        "{This} was measured by flow cytometry and PCR at the end of induction.",
        "{This} remains the strongest predictor of outcome in {pop}.",
        "{This} negativity was achieved in {pct}% of patients.",
    ),
    "relapse": (
        "{This} occurred in {k} patients, most often in the bone marrow.",
        "Outcomes for children with relapsed ALL remain poor, and new treatment strategies are needed.",
        "The {yrs}-year cumulative incidence of relapse was {pct}%.",
        "About {pct}% of patients relapse, and survival after relapse has changed little in two decades.",
    ),
    "refractory disease": ("Eligible patients had {this} after at least two lines of therapy.",),
    "infant": (
        "Leukemia in {this} is biologically distinct from ALL in older children.",
        "Outcomes of {this} with ALL remain poor despite intensive treatment.",
    ),
    "KMT2A-r": (
        "{This} was found in {pct}% of patients and was associated with early treatment failure.",
        "Patients with {this} had inferior outcomes (hazard ratio {hr}; P = {p}).",
    ),
    "CD10-negative": ("Flow cytometry showed {this} in {pct}% of patients.",),
    "CNS involvement": ("{This} at diagnosis was found in {k2} patients.",),
    "lineage switch": ("A {this} to acute myeloid leukemia was observed in {k2} patients.",),
    "Interfant protocol": ("Patients were treated on the {this} protocol.",),
}


# --- Generating one work -----------------------------------------------------------------------------------


@dataclass
class Topic:
    """What a synthetic paper is about: the findings its title, abstract and keywords name, the main one
    last. Everything else it says in general terms."""

    year: int
    infant: bool
    findings: tuple[str, ...]

    @property
    def relapsed(self) -> bool:
        return "relapse" in self.findings


def _cap(text: str) -> str:
    """Capitalised for the start of a sentence, unless that would change a name ("t(4;11)", "r/r")."""
    return text[0].upper() + text[1:] if text[0].islower() and text[1:2] not in "(/" else text


class _Slots(dict):
    """Fills a template's {slots} from a topic, choosing a fresh surface form for each."""

    def __init__(self, rng: random.Random, topic: Topic, this: str = "") -> None:
        super().__init__()
        self.rng, self.topic, self.finding = rng, topic, this

    def __missing__(self, key: str) -> str:
        if key[0].isupper():
            return _cap(self[key.lower()])
        return str(getattr(self, f"_{key}")())

    def _this(self) -> str:
        return self.rng.choice(PHRASES[self.finding])

    def _pop(self) -> str:
        return self.rng.choice(PHRASES["infant"][:3]) if self.topic.infant else self.rng.choice(POPULATIONS)

    def _patient(self) -> str:
        if self.topic.infant:
            return f"{self.rng.randint(2, 10)}-month-old infant"
        return f"{self.rng.randint(2, 16)}-year-old {self.rng.choice(('boy', 'girl'))}"

    def _gen(self) -> str:
        return self.rng.choice(OTHER_GENETICS)

    def _rel_adj(self) -> str:
        return "relapsed " if self.topic.relapsed else ""

    def _protocol(self) -> str:
        return self.rng.choice(RELAPSE_PROTOCOLS if self.topic.relapsed else PROTOCOLS)

    def _design(self) -> str:
        return self.rng.choice(DESIGNS)

    def _n(self) -> int:
        return self.rng.randint(8, 650)

    def _pct(self) -> int:
        return self.rng.randint(12, 92)

    _pct2 = _pct

    def _efs(self) -> str:
        rate = self.rng.randint(15, 85)
        return f"{rate}% (95% CI {rate - self.rng.randint(4, 12)}–{rate + self.rng.randint(4, 12)})"

    def _yrs(self) -> int:
        return self.rng.choice((2, 3, 4, 5, 10))

    def _years(self) -> float:
        return round(self.rng.uniform(0.5, 14), 1)

    def _months(self) -> int:
        return self.rng.randint(6, 60)

    def _k(self) -> int:
        return self.rng.randint(2, 40)

    def _k2(self) -> int:
        return self.rng.randint(1, 9)

    def _hr(self) -> str:
        return f"{self.rng.uniform(1.2, 4.5):.2f}"

    def _p(self) -> str:
        return self.rng.choice(("0.001", "0.003", "0.01", "0.02", "0.04", ".008"))

    def _y1(self) -> int:
        return max(1985, self.topic.year - self.rng.randint(6, 15))

    def _y2(self) -> int:
        return self.topic.year - self.rng.randint(1, 3)

    def _centres(self) -> int:
        return self.rng.randint(3, 60)


def weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def random_year(rng: random.Random) -> int:
    # The literature grows: about ten times as many papers a year in the 2020s as around 1990.
    return min(2026, 1990 + int(37 * rng.random() ** 0.7))


def _chance(finding: str, year: int, relapsed: bool, kmt2a: bool) -> float:
    since = SINCE.get(finding, 0)
    if year < since:
        return 0.0
    growing = min(1.0, (year - since + 1) / 6) if since else 1.0
    boost = (AFTER_RELAPSE.get(finding, 1) if relapsed else 1) * (WITH_KMT2A.get(finding, 1) if kmt2a else 1)
    return min(0.9, PREVALENCE[finding] * growing * boost)


def make_topic(rng: random.Random, year: int, work_type: str) -> Topic:
    infant = rng.random() < INFANT_SHARE.get(work_type, INFANT_DEFAULT)
    relapsed = rng.random() < RELAPSED_SHARE
    kmt2a = rng.random() < (0.6 if infant else 0.012)
    found = ["infant"] * infant + ["relapse"] * relapsed + ["KMT2A-r"] * kmt2a
    if rng.random() < (0.15 if infant else 0.003):
        found.append("CD10-negative")
    if relapsed and rng.random() < 0.3:
        found.append("refractory disease")
    if infant and rng.random() < 0.3:
        found.append("Interfant protocol")
    found += [label for label in PREVALENCE if rng.random() < _chance(label, year, relapsed, kmt2a)]
    # The rarest finding comes last: it is what the paper is most about, and its title names it.
    return Topic(year, infant, tuple(found))


def _on(rng: random.Random, topic: Topic, finding: str) -> str:
    template = rng.choice(ON_FINDING.get(finding, ON_THERAPY))
    return template.format_map(_Slots(rng, topic, finding))


def make_abstract(rng: random.Random, topic: Topic, work_type: str) -> str:
    slots = _Slots(rng, topic)
    # As long as real ones: the seed pages' abstracts run from about 900 to 2,100 characters.
    if work_type == WorkType.CASE_REPORT:
        general = [*rng.sample(BACKGROUND, 2), *CASE, "This case report highlights a rare presentation."]
    elif work_type in (WorkType.REVIEW, WorkType.BOOK_CHAPTER):
        general = [*rng.sample(BACKGROUND, 3), *REVIEW]
    else:
        general = [
            *rng.sample(BACKGROUND, 2),
            *rng.sample(METHODS, rng.randint(3, 4)),
            *rng.sample(RESULTS, rng.randint(4, 6)),
            *rng.sample(CONCLUSIONS, 1),
        ]
    sentences = [part.format_map(slots) for part in general]
    for finding in topic.findings:  # after the background, before the conclusion
        for _ in range(1 + (finding == topic.findings[-1])):
            sentences.insert(rng.randint(2, len(sentences) - 1), _on(rng, topic, finding))
    return " ".join(sentences)


def make_title(rng: random.Random, topic: Topic, work_type: str) -> str:
    named = [f for f in topic.findings if f not in IN_GENERAL_TITLES]
    if named and work_type != WorkType.CASE_REPORT and rng.random() < 0.8:
        main = named[-1]
        template = rng.choice(FINDING_TITLES[KINDS.get(main, "other")])
        return _cap(template.format_map(_Slots(rng, topic, main)))
    title = rng.choice(GENERAL_TITLES[work_type]).format_map(_Slots(rng, topic))
    return _cap(title)


def make_keywords(rng: random.Random, topic: Topic) -> list[str]:
    named = [FINDING_KEYWORDS[f] for f in topic.findings if f in FINDING_KEYWORDS]
    return [*rng.sample(KEYWORDS, rng.randint(2, 4)), *named]


def make_mesh(rng: random.Random, topic: Topic) -> list[str]:
    named = [term for f in topic.findings for term in FINDING_MESH.get(f, ())]
    return sorted({*rng.sample(MESH, rng.randint(4, 9)), *named})


@dataclass
class Person:
    family: str
    given: str
    initials: str


def make_authors(rng: random.Random) -> list[Person]:
    people = []
    for _ in range(rng.randint(3, 8)):
        given = rng.choice(GIVEN)
        middle = rng.choice(GIVEN) if rng.random() < 0.3 else ""
        initials = given[0] + (middle[0] if middle else "")
        shown = given if rng.random() < 0.6 else ".".join(initials) + "."
        people.append(Person(rng.choice(FAMILIES), shown, initials))
    return people
