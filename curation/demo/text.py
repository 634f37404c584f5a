"""Titles, abstracts, authors and journals of synthetic papers about infant and relapsed ALL."""

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
        "MLL-rearranged leukemia",
    ),
    "CD10-negative": ("lack of CD10 expression", "CD10-negative immunophenotype", "pro-B immunophenotype"),
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
}
KMT2A_ADJECTIVES = ("KMT2A-rearranged", "MLL-rearranged", "KMT2A-r", "MLL-r", "t(4;11)-positive")
RELAPSE_ADJECTIVES = ("relapsed", "relapsed or refractory", "relapsed/refractory", "first-relapse", "r/r")
OLDER_POPULATIONS = ("children", "children and adolescents", "paediatric patients", "young patients")
OTHER_GENETICS = ("IKZF1 deletion", "hypodiploidy", "TP53 alteration", "NT5C2 mutation", "CREBBP mutation")
REFRACTORY = (
    "relapsed or refractory disease",
    "a second or later relapse",
    "refractory disease",
    "r/r disease",
)
# HSCT is not among them: most templates name it in a slot of its own ({hsct}).
# First year a therapy turns up in the synthetic literature.
THERAPY_SINCE = {
    "chemotherapy": 1990,
    "radiotherapy": 1990,
    "immunotherapy": 2000,
    "targeted therapy": 2004,
    "blinatumomab": 2008,
    "inotuzumab ozogamicin": 2012,
    "DOT1L inhibitor": 2012,
    "CAR-T": 2013,
    "venetoclax": 2016,
    "menin inhibitor": 2019,
}
PROTOCOLS = (
    "Interfant-99",
    "Interfant-06",
    "ALL-REZ BFM 2002",
    "IntReALL SR 2010",
    "COG AALL0631",
    "UKALL R3",
)
NOVEL = ("blinatumomab", "inotuzumab ozogamicin", "tisagenlecleucel", "revumenib", "venetoclax")
DESIGNS = ("retrospective cohort study", "prospective phase 2 trial", "multicentre registry study")
KEYWORDS = (
    "Acute lymphoblastic leukemia",
    "Infant",
    "Childhood ALL",
    "KMT2A",
    "MLL",
    "Relapse",
    "Minimal residual disease",
    "Hematopoietic stem cell transplantation",
    "Blinatumomab",
    "Immunotherapy",
    "CAR T cells",
    "Prognosis",
    "Chemotherapy",
    "Menin inhibitor",
    "Transplant",
    "Survival",
)
MESH = (
    "Humans",
    "Infant",
    "Infant, Newborn",
    "Child",
    "Child, Preschool",
    "Male",
    "Female",
    "Precursor Cell Lymphoblastic Leukemia-Lymphoma / therapy",
    "Precursor Cell Lymphoblastic Leukemia-Lymphoma / genetics",
    "Myeloid-Lymphoid Leukemia Protein / genetics",
    "Histone-Lysine N-Methyltransferase / genetics",
    "Hematopoietic Stem Cell Transplantation",
    "Recurrence",
    "Neoplasm, Residual",
    "Antineoplastic Combined Chemotherapy Protocols / therapeutic use",
    "Treatment Outcome",
    "Retrospective Studies",
    "Prognosis",
    "Survival Rate",
    "Immunotherapy, Adoptive",
)

# --- Sentence and title templates; {slots} are filled by _Slots --------------------------------------------

TITLES = {
    WorkType.JOURNAL_ARTICLE: (
        "Outcome of {pop} with {gen_adj}acute lymphoblastic leukemia treated with {tx}",
        "{Tx} for {rel_adj}{gen_adj}acute lymphoblastic leukaemia in {pop}: a {design}",
        "Prognostic impact of {resp} in {pop} with {gen_adj}ALL",
        "{Tx} versus {tx2} in {pop} with {rel_adj}ALL: results of the {protocol} study",
        "Risk factors for relapse after {hsct} in {pop} with acute lymphoblastic leukemia",
        "{Gen} in {pop} with acute lymphoblastic leukemia: clinical features and outcome",
        "Long-term follow-up of {pop} with {gen_adj}ALL after {tx}",
        "Real-world experience with {tx} in {rel_adj}paediatric ALL",
        "{Resp} before {hsct} predicts survival in {rel_adj}ALL",
    ),
    WorkType.REVIEW: (
        "{Tx} in {gen_adj}infant ALL: a review",
        "Treatment of {rel_adj}childhood acute lymphoblastic leukemia: current state and future directions",
        "{Tx} and {tx2} for {rel_adj}ALL: a systematic review and meta-analysis",
        "Biology and treatment of {gen_adj}acute lymphoblastic leukaemia in {pop}",
    ),
    WorkType.CASE_REPORT: (
        "{Tx} after {hsct} in an infant with {gen_adj}ALL: a case report",
        "Lineage switch after {tx} in {gen_adj}infant leukemia: case report",
        "Durable remission with {tx} in {rel_adj}infant ALL: a case report",
    ),
    WorkType.BOOK_CHAPTER: (
        "Acute lymphoblastic leukemia in {pop}",
        "{Tx} in {rel_adj}acute lymphoblastic leukemia",
        "{Gen} and leukemogenesis in {pop}",
    ),
    WorkType.CONFERENCE_ABSTRACT: (
        "{Tx} in {pop} with {rel_adj}{gen_adj}ALL: interim results of a {design}",
        "{Resp} kinetics during {tx} in {gen_adj}ALL",
    ),
}
BACKGROUND = (
    "{Pop} with {gen_adj}acute lymphoblastic leukemia (ALL) have a dismal prognosis despite intensive chemotherapy.",
    "{Gen} occurs in approximately {pct}% of {pop} with ALL and is associated with early relapse.",
    "Outcomes for children with {rel_adj}ALL remain poor, and new treatment strategies are needed.",
    "{Tx} has emerged as a promising option for {rel_adj}B-cell precursor ALL.",
    "Leukemia in {infants} is biologically distinct from ALL in older children, with frequent {gen} and {cd10}.",
    "The role of {hsct} in {pop} with {gen_adj}ALL remains controversial.",
    "Despite better frontline therapy, about {pct}% of {pop} with ALL relapse, and survival after relapse has changed little in two decades.",
    "Risk stratification relies on presenting features, cytogenetics and {resp}, yet many relapses occur in patients classified as standard risk.",
    "Treatment-related mortality and late effects remain important concerns, particularly in the youngest patients.",
    "Few prospective data are available to guide the management of {rel_adj}ALL in this population.",
)
METHODS = (
    "We retrospectively analysed {n} {pop} with {gen_adj}ALL treated on the {protocol} protocol between {y1} and {y2}.",
    "In this {design}, {n} patients with {rel_adj}ALL received {tx} at {centres} centres.",
    "{Resp} was measured by flow cytometry and PCR at the end of induction therapy.",
    "Patients were stratified by age, white blood cell count, {gen} and {resp}.",
    "Eligible patients had {refractory} after at least two lines of therapy, e.g. {tx2}.",
    "Clinical and laboratory data were collected from medical records and the {protocol} trial database, with follow-up until {y2}.",
    "The primary endpoint was event-free survival; secondary endpoints were overall survival, cumulative incidence of relapse and treatment-related mortality.",
    "Survival was estimated by the Kaplan-Meier method and compared with the log-rank test; multivariable analysis used Cox proportional hazards regression.",
    "Genetic subtypes were identified by conventional karyotyping, fluorescence in situ hybridisation, RT-PCR or RNA sequencing.",
    "Adverse events were graded according to the Common Terminology Criteria for Adverse Events, version 5.0.",
)
RESULTS = (
    "The {yrs}-year event-free survival was {efs} and overall survival {pct2}%.",
    "{Resp} negativity after {tx} was achieved in {pct}% of patients.",
    "Relapse occurred in {k} patients, {k2} of them with {cns}.",
    "Patients with {gen} had inferior outcomes (hazard ratio {hr}; P = {p}).",
    "In total, {k} patients proceeded to {hsct} in second remission.",
    "Grade 3 or higher toxicity occurred in {pct}% of patients after {tx}, vs. {pct2}% after {tx2}.",
    "A {switch} to acute myeloid leukemia was observed in {k2} patients.",
    "The median age at diagnosis was {age} months, and the median follow-up of surviving patients was {yrs} years.",
    "The median white blood cell count at diagnosis was {k}0 × 10^9/L, and {pct}% of patients presented with hyperleukocytosis.",
    "Complete remission was achieved in {pct}% of patients after induction, and {resp} was below 0.01% in {pct2}% at the end of consolidation.",
    "In multivariable analysis, age at diagnosis, white blood cell count and {resp} remained independent predictors of event-free survival.",
    "Treatment-related mortality was {k2}%, mostly from infections during induction and after consolidation.",
    "The {yrs}-year cumulative incidence of relapse was {pct}%, and most relapses involved the bone marrow.",
)
CONCLUSIONS = (
    "{Tx} is a feasible bridge to {hsct} in {pop} with {rel_adj}ALL.",
    "These data support the evaluation of {tx} in prospective trials for {gen_adj}ALL.",
    "{Resp} remains the strongest predictor of outcome in {pop}.",
    "Novel agents such as {novel} may improve the outcome of {gen_adj}ALL.",
    "Prospective trials are needed to define the best sequence of {tx} and {hsct} for {pop}.",
    "Early identification of high-risk features may allow treatment to be intensified or reduced accordingly.",
    "Longer follow-up is required to assess late effects and the durability of these responses.",
)
CASE = (
    "We report the case of a {age}-month-old infant with {gen_adj}ALL and {cns}.",
    "At presentation, the white blood cell count was {k}0 × 10^9/L, with hepatosplenomegaly and {pct}% blasts in the bone marrow.",
    "Flow cytometry showed a {cd10}, and cytogenetic analysis revealed {gen}.",
    "After {tx}, the patient achieved complete remission with negative MRD and proceeded to {hsct}.",
    "Relapse occurred {age} months later and was treated with {tx2}.",
    "The patient remains in continuous complete remission {age} months after the end of treatment.",
    "This case report highlights the role of {tx} in {rel_adj}infant ALL.",
)
REVIEW = (
    "In this review, we summarise the current evidence on {tx} and {tx2} for {rel_adj}ALL.",
    "We discuss novel agents, including {novel}, and their place in frontline therapy for {pop}.",
    "We also review the biology of {gen} and how it shapes the response to current and emerging therapies.",
    "Particular attention is paid to {resp} as a tool for treatment stratification and as a surrogate endpoint in trials.",
    "Recommendations on supportive care and the management of toxicities in {pop} are summarised.",
    "Finally, we outline open questions on {resp}-directed therapy and the timing of {hsct}.",
)


# --- Generating one work -----------------------------------------------------------------------------------


@dataclass
class Topic:
    """What a synthetic paper is about: the findings its title and abstract will mention."""

    year: int
    infant: bool
    relapsed: bool
    genetics: str | None
    therapies: list[str]
    mrd: bool


def _cap(text: str) -> str:
    """Capitalised for the start of a sentence, unless that would change a name ("t(4;11)", "r/r")."""
    return text[0].upper() + text[1:] if text[0].islower() and text[1:2] not in "(/" else text


class _Slots(dict):
    """Fills a template's {slots} from a topic, choosing a fresh surface form for each."""

    def __init__(self, rng: random.Random, topic: Topic) -> None:
        super().__init__()
        self.rng, self.topic = rng, topic

    def __missing__(self, key: str) -> str:
        if key[0].isupper():
            return _cap(self[key.lower()])
        return str(getattr(self, f"_{key}")())

    def _phrase(self, label: str) -> str:
        return self.rng.choice(PHRASES[label])

    def _pop(self) -> str:
        return self._phrase("infant") if self.topic.infant else self.rng.choice(OLDER_POPULATIONS)

    def _gen(self) -> str:
        return self._phrase(self.topic.genetics) if self.topic.genetics else self.rng.choice(OTHER_GENETICS)

    def _gen_adj(self) -> str:
        if self.topic.genetics == "KMT2A-r":
            return self.rng.choice(KMT2A_ADJECTIVES) + " "
        return "CD10-negative " if self.topic.genetics == "CD10-negative" else ""

    def _rel_adj(self) -> str:
        return self.rng.choice(RELAPSE_ADJECTIVES) + " " if self.topic.relapsed else ""

    def _tx(self) -> str:
        return self._phrase(self.topic.therapies[0])

    def _tx2(self) -> str:
        therapies = self.topic.therapies
        other = "radiotherapy" if therapies[0] == "chemotherapy" else "chemotherapy"
        return self._phrase(therapies[1] if len(therapies) > 1 else other)

    def _infants(self) -> str:
        return self._phrase("infant")

    def _refractory(self) -> str:
        return self.rng.choice(REFRACTORY)

    def _hsct(self) -> str:
        return self._phrase("HSCT")

    def _resp(self) -> str:
        return self._phrase("MRD") if self.topic.mrd else "early treatment response"

    def _cns(self) -> str:
        return self._phrase("CNS involvement")

    def _cd10(self) -> str:
        return self._phrase("CD10-negative")

    def _switch(self) -> str:
        return self._phrase("lineage switch")

    def _novel(self) -> str:
        return self.rng.choice([n for n in NOVEL if self._available(n)] or ["molecularly targeted agents"])

    def _available(self, name: str) -> bool:
        since = {"tisagenlecleucel": 2017, "revumenib": 2021, "venetoclax": 2016, "blinatumomab": 2008}
        return self.topic.year >= since.get(name, 2012)

    def _protocol(self) -> str:
        choices = PROTOCOLS[:2] if self.topic.infant else PROTOCOLS[2:]
        return self.rng.choice(choices)

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

    def _age(self) -> int:
        return self.rng.choice((2, 3, 4, 5, 6, 7, 9, 10))  # months; all read "a N-month-old"


def weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def random_year(rng: random.Random) -> int:
    # The literature grows: about ten times as many papers a year in the 2020s as around 1990.
    return min(2026, 1990 + int(37 * rng.random() ** 0.7))


def _therapy_weight(therapy: str, year: int) -> float:
    """Recent therapies draw more papers, the longer they have been around; radiotherapy few."""
    since = THERAPY_SINCE[therapy]
    if therapy == "radiotherapy":
        return 0.4
    return 1.5 if since <= 2000 else 1 + (year - since) / 8


def make_topic(rng: random.Random, year: int, work_type: str) -> Topic:
    infant = rng.random() < (0.9 if work_type == WorkType.CASE_REPORT else 0.6)
    relapsed = not infant or rng.random() < 0.35
    genetics = rng.choices(["KMT2A-r", "CD10-negative", None], weights=[6 if infant else 1, 1, 3])[0]
    available = [t for t, since in THERAPY_SINCE.items() if year >= since]
    weights = [_therapy_weight(therapy, year) for therapy in available]
    therapies = list(dict.fromkeys(rng.choices(available, weights=weights, k=2)))
    return Topic(year, infant, relapsed, genetics, therapies, mrd=rng.random() < 0.45)


def make_abstract(rng: random.Random, topic: Topic, work_type: str) -> str:
    slots = _Slots(rng, topic)
    # As long as real ones: the seed pages' abstracts run from about 900 to 2,100 characters.
    if work_type == WorkType.CASE_REPORT:
        parts = [*rng.sample(BACKGROUND, 2), *CASE]
    elif work_type in (WorkType.REVIEW, WorkType.BOOK_CHAPTER):
        parts = [*rng.sample(BACKGROUND, rng.randint(2, 3)), *REVIEW]
    else:
        parts = [
            *rng.sample(BACKGROUND, rng.randint(2, 3)),
            *rng.sample(METHODS, rng.randint(3, 4)),
            *rng.sample(RESULTS, rng.randint(4, 6)),
            *rng.sample(CONCLUSIONS, rng.randint(1, 2)),
        ]
    return " ".join(part.format_map(slots) for part in parts)


def make_title(rng: random.Random, topic: Topic, work_type: str) -> str:
    return _cap(rng.choice(TITLES[work_type]).format_map(_Slots(rng, topic)))


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
