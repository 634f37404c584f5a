"""A realistic synthetic library for demos and load tests: works about infant and relapsed ALL.

    manage.py seed_demo [--works 100000] [--citations-per-work 10] [--seed 1]
    manage.py seed_demo --clear                  # remove the demo data, nothing else
    manage.py seed_demo --clear --works 5000     # replace it

Every demo work is an imported source: its SourceDocument has page_kind "demo" and a file name starting
with "demo-", which is what --clear goes by; most demo works also have a DOI under 10.5555/demo.
Rows go in with PostgreSQL COPY; the full-text vectors are then refreshed in chunks and the tables analysed.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.utils import timezone

from curation.mentions import Matcher, Term, matcher_for, sentence_around
from curation.models import Annotation, Finding
from references.matching import family_key, title_key
from references.models import Citation, Contributor, EnrichmentState, SourceDocument, Work, WorkType

DEMO_DOI_PREFIX = "10.5555/demo."
DEMO_FILE_PREFIX = "demo-"
DEMO_PAGE_KIND = "demo"
DEFAULT_WORKS = 100_000
# Annotations keep a history (django-simple-history); demo tags get the record of their creation.
HISTORY = Annotation.history.model if hasattr(Annotation, "history") else None
DEMO_MODELS = tuple(m for m in (Work, Contributor, SourceDocument, Annotation, HISTORY, Citation) if m)
BATCH = 5_000
COPY_ROWS = 50_000
VECTOR_CHUNK = 10_000


def demo_documents() -> models.QuerySet[SourceDocument]:
    return SourceDocument.objects.filter(page_kind=DEMO_PAGE_KIND, file_name__startswith=DEMO_FILE_PREFIX)


def demo_work_ids() -> list[int]:
    return list(demo_documents().values_list("work_id", flat=True).distinct())


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
)
METHODS = (
    "We retrospectively analysed {n} {pop} with {gen_adj}ALL treated on the {protocol} protocol between {y1} and {y2}.",
    "In this {design}, {n} patients with {rel_adj}ALL received {tx} at {centres} centres.",
    "{Resp} was measured by flow cytometry and PCR at the end of induction therapy.",
    "Patients were stratified by age, white blood cell count, {gen} and {resp}.",
    "Eligible patients had {refractory} after at least two lines of therapy, e.g. {tx2}.",
)
RESULTS = (
    "The {yrs}-year event-free survival was {efs} and overall survival {pct2}%.",
    "{Resp} negativity after {tx} was achieved in {pct}% of patients.",
    "Relapse occurred in {k} patients, {k2} of them with {cns}.",
    "Patients with {gen} had inferior outcomes (hazard ratio {hr}; P = {p}).",
    "In total, {k} patients proceeded to {hsct} in second remission.",
    "Grade 3 or higher toxicity occurred in {pct}% of patients after {tx}, vs. {pct2}% after {tx2}.",
    "A {switch} to acute myeloid leukemia was observed in {k2} patients.",
)
CONCLUSIONS = (
    "{Tx} is a feasible bridge to {hsct} in {pop} with {rel_adj}ALL.",
    "These data support the evaluation of {tx} in prospective trials for {gen_adj}ALL.",
    "{Resp} remains the strongest predictor of outcome in {pop}.",
    "Novel agents such as {novel} may improve the outcome of {gen_adj}ALL.",
)
CASE = (
    "We report the case of a {age}-month-old infant with {gen_adj}ALL and {cns}.",
    "After {tx}, the patient achieved complete remission with negative MRD and proceeded to {hsct}.",
    "Relapse occurred {age} months later and was treated with {tx2}.",
    "This case report highlights the role of {tx} in {rel_adj}infant ALL.",
)
REVIEW = (
    "In this review, we summarise the current evidence on {tx} and {tx2} for {rel_adj}ALL.",
    "We discuss novel agents, including {novel}, and their place in frontline therapy for {pop}.",
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


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _year(rng: random.Random) -> int:
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
    if work_type == WorkType.CASE_REPORT:
        parts = [rng.choice(BACKGROUND), *CASE[: rng.randint(2, 4)]]
    elif work_type in (WorkType.REVIEW, WorkType.BOOK_CHAPTER):
        parts = [*rng.sample(BACKGROUND, 2), *REVIEW[: rng.randint(2, 3)]]
    else:
        parts = [
            *rng.sample(BACKGROUND, rng.randint(1, 2)),
            *rng.sample(METHODS, rng.randint(1, 2)),
            *rng.sample(RESULTS, rng.randint(2, 3)),
            rng.choice(CONCLUSIONS),
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


# The columns of a citation's COPY line, in order (see Generator.citation_lines).
CITATION_COLUMNS = ("citing_work_id", "position", "label")
CITED_COLUMNS = ("raw", "doi", "parsed", "cited_work_id", "match_state", "match_method", "match_score")
STAMP_COLUMNS = ("created_at", "updated_at")


@dataclass
class DemoWork:
    pk: int
    year: int
    doi: str
    title: str
    abstract: str
    topic: Topic
    row: dict[str, object]
    authors: list[Person]
    cited: str = field(init=False)  # a reference to this work, as the middle of a citation's COPY line
    stamp: str = ""  # created_at and updated_at, as the end of a COPY line


class Generator:
    """Builds demo works, their authors, documents, annotations and citations as rows for COPY."""

    def __init__(self, seed: int, matcher: Matcher, findings: dict[str, int]) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.matcher = matcher
        self.findings = findings
        self.now = timezone.now()

    def work(self, pk: int, number: int) -> DemoWork:
        rng = self.rng
        year = _year(rng)
        work_type = _weighted(rng, WORK_TYPES)
        topic = make_topic(rng, year, work_type)
        title = make_title(rng, topic, work_type)
        abstract = make_abstract(rng, topic, work_type) if rng.random() > 0.03 else ""
        authors = make_authors(rng)
        doi = f"{DEMO_DOI_PREFIX}{number:06d}" if rng.random() < 0.9 else ""
        row = {
            "id": pk,
            "doi": doi,
            "title": title,
            "year": year,
            "work_type": work_type,
            "abstract": abstract,
            "keywords": rng.sample(KEYWORDS, rng.randint(3, 6)) if rng.random() < 0.6 else [],
            "mesh_terms": sorted(rng.sample(MESH, rng.randint(5, 12))) if rng.random() < 0.4 else [],
            "title_key": title_key(title),
            "first_author_key": family_key(authors[0].family),
            **self._container(work_type, year),
            **self._enrichment(doi),
            **self._timestamps(),
        }
        work = DemoWork(pk, year, doi, title, abstract, topic, row, authors)
        work.cited = self._cited_columns(work)
        work.stamp = _copy_line([row["created_at"], row["updated_at"]])
        return work

    def _container(self, work_type: str, year: int) -> dict[str, object]:
        rng = self.rng
        if work_type == WorkType.BOOK_CHAPTER:
            book, publisher = rng.choice(BOOKS)
            first = rng.randint(1, 400)
            return {
                "container_title": book,
                "publisher": publisher,
                "pages": f"{first}-{first + rng.randint(10, 40)}",
            }
        journal, abbreviation = rng.choices(JOURNALS, weights=JOURNAL_WEIGHTS)[0]
        first = rng.randint(1, 4000)
        return {
            "container_title": journal,
            "container_abbreviation": abbreviation,
            "volume": str(max(1, year - 1960 + rng.randint(-3, 3))),
            "issue": str(rng.randint(1, 24)),
            "pages": f"{first}-{first + rng.randint(3, 14)}",
        }

    def _enrichment(self, doi: str) -> dict[str, object]:
        state = _weighted(self.rng, ENRICHMENT)
        if state == EnrichmentState.UNMATCHED and doi:
            state = EnrichmentState.ENRICHED
        enriched = state == EnrichmentState.ENRICHED
        return {"enrichment_state": state, "enriched_at": self.now if enriched else None}

    def _timestamps(self) -> dict[str, datetime]:
        created = self.now - timedelta(minutes=self.rng.randint(0, 2 * 365 * 24 * 60))
        return {"created_at": created, "updated_at": created}

    def _cited_columns(self, work: DemoWork) -> str:
        """What a reference to this work prints, parses to and links to: the same for every citing work."""
        names = [f"{p.family} {p.initials}" for p in work.authors[:6]]
        etal = ", et al" if len(work.authors) > 6 else ""
        row = work.row
        journal = row.get("container_abbreviation") or row["container_title"]
        where = (
            f"{row.get('volume', '')}({row.get('issue', '')}):{row['pages']}"
            if row.get("volume")
            else row["pages"]
        )
        doi = f" doi: {work.doi}." if work.doi else ""
        raw = f"{', '.join(names)}{etal}. {work.title}. {journal}. {work.year};{where}.{doi}"
        first, _, last = str(row["pages"]).partition("-")
        parsed = {
            "authors": [{"family": p.family, "given": p.initials} for p in work.authors[:6]],
            "et_al": bool(etal),
            "title": work.title,
            "container_title": journal,
            "year": work.year,
            "volume": row.get("volume", ""),
            "issue": row.get("issue", ""),
            "page_first": first,
            "page_last": last,
            "doi": work.doi,
            "work_type": row["work_type"],
            "problems": [],
        }
        method, score = ("doi", 1.0) if work.doi else ("title", 0.97)
        return _copy_line([raw, work.doi, parsed, work.pk, Citation.MatchState.MATCHED, method, score])

    def contributors(self, work: DemoWork) -> Iterator[dict[str, object]]:
        for position, person in enumerate(work.authors, start=1):
            yield {
                "work_id": work.pk,
                "role": Contributor.Role.AUTHOR,
                "position": position,
                "family": person.family,
                "given": person.given,
                "printed": f"{person.family} {person.initials}",
            }

    def document(self, work: DemoWork, number: int) -> dict[str, object]:
        raw = f"Demo record {number} (seed {self.seed})\n{work.title}\n{work.doi or 'no DOI'}\n"
        return {
            "work_id": work.pk,
            "file_name": f"{DEMO_FILE_PREFIX}{number:06d}.txt",
            "sha256": hashlib.sha256(raw.encode()).hexdigest(),
            "size": len(raw.encode()),
            "raw_text": raw,
            "file_format": "text",
            "encoding": "utf-8",
            "page_kind": DEMO_PAGE_KIND,
            "imported_at": work.row["created_at"],
        }

    def annotations(self, work: DemoWork) -> Iterator[dict[str, object]]:
        """Accepted tags on ~30% of works, a few rejected or suggested ones; evidence from the abstract."""
        roll = self.rng.random()
        if not work.abstract or roll >= 0.38:
            return
        first = {}
        for mention in self.matcher.find(work.abstract, "abstract"):
            if mention.label in self.findings:
                first.setdefault(mention.label, mention)
        labels = list(first)
        self.rng.shuffle(labels)
        if roll < 0.30:
            chosen = [(label, Annotation.State.ACCEPTED) for label in labels[: self.rng.randint(1, 3)]]
        else:
            state = Annotation.State.REJECTED if roll < 0.33 else Annotation.State.SUGGESTED
            chosen = [(label, state) for label in labels[:1]]
        for label, state in chosen:
            mention = first[label]
            start, end = sentence_around(work.abstract, mention.start, mention.end)
            yield {
                "work_id": work.pk,
                "finding_id": self.findings[label],
                "evidence": work.abstract[start:end],
                "evidence_field": Annotation.Field.ABSTRACT,
                "evidence_start": start,
                "evidence_end": end,
                "state": state,
                "created_at": work.row["created_at"],
                "updated_at": work.row["created_at"],
            }

    def citation_lines(self, works: list[DemoWork], per_work: int) -> Iterator[str]:
        """Each work cites per_work others: mostly older ones, recent ones more, a few landmark papers most."""
        ranked = sorted(works, key=lambda w: (w.year, w.pk))
        count = len(ranked)
        per_work = min(per_work, count - 1)
        landmarks = ranked[: max(1, count // 50)]
        for rank, work in enumerate(ranked):
            chosen = self._cited_ranks(rank, count, per_work, len(landmarks))
            for position, cited_rank in enumerate(chosen, start=1):
                yield f"{work.pk}\t{position}\t{position}\t{ranked[cited_rank].cited}\t{work.stamp}\n"

    def _cited_ranks(self, rank: int, count: int, wanted: int, landmarks: int) -> list[int]:
        rng, chosen = self.rng, {}
        while len(chosen) < wanted:
            roll = rng.random()
            if rank <= wanted * 2:
                pick = rng.randrange(count)  # the oldest works have too few older ones to choose from
            elif roll < 0.15 and landmarks < rank:
                pick = rng.randrange(landmarks)
            elif roll < 0.65:
                pick = int(rank * (1 - rng.random() ** 3))  # recent but older
            else:
                pick = rng.randrange(rank)
            if pick != rank:
                chosen[pick] = None
        return list(chosen)


# --- COPY --------------------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _array(values: list[str]) -> str:
    quoted = ('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return "{" + ",".join(quoted) + "}"


def _copy_text(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return _escape(value)
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return _escape(_array(value))
    if isinstance(value, dict):
        return _escape(json.dumps(value, ensure_ascii=False))
    raise TypeError(f"cannot COPY {value!r}")


def _copy_line(values: Iterable[object]) -> str:
    """Values in COPY's text format, tab-separated, without the line end."""
    return "\t".join(map(_copy_text, values))


class Copier:
    """Writes dict rows to one model's table with COPY; fields a row leaves out get the model's defaults."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.columns = {f.attname: f.column for f in fields}
        self.defaults = {f.attname: f.get_default() for f in fields}
        self.rows = 0

    def copy(self, rows: Iterable[dict[str, object]], with_id: bool = False) -> int:
        """COPY the rows; with_id when they carry their primary keys (see reserve_ids)."""
        pk = self.model._meta.pk
        names = [pk.attname, *self.columns] if with_id else list(self.columns)
        lines = (_copy_line(row[n] if n in row else self.defaults[n] for n in names) + "\n" for row in rows)
        return self.copy_lines(names, lines)

    def copy_lines(self, names: Iterable[str], lines: Iterable[str]) -> int:
        """COPY lines already in COPY's text format, with values for the named fields in that order."""
        columns = {self.model._meta.pk.attname: self.model._meta.pk.column, **self.columns}
        quoted = ", ".join(connection.ops.quote_name(columns[name]) for name in names)
        sql = f"COPY {_table(self.model)} ({quoted}) FROM STDIN"
        written = 0
        buffer = io.StringIO()
        for line in lines:
            buffer.write(line)
            written += 1
            if written % COPY_ROWS == 0:
                buffer = self._flush(sql, buffer)
        self._flush(sql, buffer)
        self.rows += written
        return written

    @staticmethod
    def _flush(sql: str, buffer: io.StringIO) -> io.StringIO:
        if buffer.tell():
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.copy_expert(sql, buffer)
        return io.StringIO()


# --- The command -------------------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Generate (or with --clear, remove) a synthetic library of demo works about infant and relapsed ALL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--works", type=int, default=None, help=f"Works to create (default {DEFAULT_WORKS:,})."
        )
        parser.add_argument("--citations-per-work", type=int, default=10)
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed gives the same library."
        )
        parser.add_argument(
            "--clear", action="store_true", help="Remove the demo data first; alone, only remove it."
        )

    def handle(self, *args, **options) -> None:
        self.started = time.monotonic()
        if options["clear"]:
            with self.phase("clear"):
                removed = clear_demo()
            self.say(f"Removed {removed:,} demo works and everything attached to them.")
            if options["works"] is None:
                return
        works = DEFAULT_WORKS if options["works"] is None else options["works"]
        if works < 0:
            raise CommandError("--works cannot be negative.")
        if works == 0:
            return
        if demo_documents().exists():
            raise CommandError(
                "Demo data is already present: run with --clear (and --works N to replace it)."
            )
        self.seed(works, max(0, options["citations_per_work"]), options["seed"])
        self.say(f"Done in {time.monotonic() - self.started:.1f} s.")

    def seed(self, count: int, per_work: int, seed: int) -> None:
        findings = dict(Finding.objects.values_list("label", "id"))
        terms = [
            Term(label, tuple(synonyms))
            for label, synonyms in Finding.objects.values_list("label", "synonyms")
        ]
        generator = Generator(seed, matcher_for(terms), findings)
        copiers = {model: Copier(model) for model in DEMO_MODELS}
        with transaction.atomic():
            ids = reserve_ids(Work, count)
            with self.phase("works, authors, documents, annotations"):
                works = self.write_works(generator, ids, copiers)
            with self.phase("citations"):
                names = (*CITATION_COLUMNS, *CITED_COLUMNS, *STAMP_COLUMNS)
                copiers[Citation].copy_lines(names, generator.citation_lines(works, per_work))
            # The foreign keys are checked at commit; run those checks now, to time them on their own.
            with self.phase("foreign key checks"), connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.say(", ".join(f"{c.rows:,} {m._meta.verbose_name_plural}" for m, c in copiers.items()))
        with self.phase("search vectors"):
            self.refresh_search_vectors(ids)
        with self.phase("analyze"):
            analyze(DEMO_MODELS)

    def write_works(self, generator: Generator, ids: list[int], copiers: dict) -> list[DemoWork]:
        works: list[DemoWork] = []
        for start in range(0, len(ids), BATCH):
            batch = [generator.work(pk, start + i + 1) for i, pk in enumerate(ids[start : start + BATCH])]
            copiers[Work].copy((w.row for w in batch), with_id=True)
            copiers[Contributor].copy(row for w in batch for row in generator.contributors(w))
            copiers[SourceDocument].copy(generator.document(w, start + i + 1) for i, w in enumerate(batch))
            self.write_annotations([row for w in batch for row in generator.annotations(w)], copiers)
            works.extend(batch)
            self.say(f"  {len(works):,} / {len(ids):,} works")
        for work in works:
            work.abstract = work.row["abstract"] = ""  # the citations need only titles; free the memory
        return works

    def write_annotations(self, rows: list[dict[str, object]], copiers: dict) -> None:
        """The annotations, each with the history record of its creation, as a curator's tag would have."""
        for row, pk in zip(rows, reserve_ids(Annotation, len(rows)), strict=True):
            row["id"] = pk
        copiers[Annotation].copy(rows, with_id=True)
        if HISTORY in copiers:
            copiers[HISTORY].copy(
                {**row, "history_date": row["created_at"], "history_type": "+"} for row in rows
            )

    def refresh_search_vectors(self, ids: list[int]) -> None:
        for start in range(0, len(ids), VECTOR_CHUNK):
            with transaction.atomic():
                Work.objects.filter(pk__in=ids[start : start + VECTOR_CHUNK]).update_search_vectors()
            self.say(f"  {min(start + VECTOR_CHUNK, len(ids)):,} / {len(ids):,} vectors")

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        self.say(f"{name}...")
        started = time.monotonic()
        yield
        self.say(f"{name}: {time.monotonic() - started:.1f} s")

    def say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """count fresh primary keys from the table's sequence, so related rows can name them before COPY."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def analyze(models_: Iterable[type[models.Model]]) -> None:
    """Fresh planner statistics; outside a transaction also VACUUM, for the rows the vector update replaced."""
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


def clear_demo() -> int:
    """Delete the demo works and what hangs on them, history included. Other works keep their rows; their
    citations of a demo work become unmatched. Set-based statements: Django's delete() would load every row
    and write a history record for each deleted annotation."""
    ids = demo_work_ids()
    if not ids:
        return 0
    demo = demo_documents().values("work_id")
    with transaction.atomic():
        Citation.objects.filter(cited_work__in=demo).exclude(citing_work__in=demo).update(
            cited_work=None, match_state=Citation.MatchState.UNMATCHED, match_method="", match_score=None
        )
        # The documents last: they say which works are demo.
        for relation in sorted(_relations_to(Work), key=lambda rel: rel.related_model is SourceDocument):
            _release(relation, demo)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {_table(Work)} WHERE id = ANY(%s)", [ids])
    return len(ids)


def _relations_to(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    """Every foreign key to model, whoever declared it, hidden ones (related_name "+", history) included."""
    fields = model._meta.get_fields(include_hidden=True)
    return [f for f in fields if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)]


def _release(relation: models.ForeignObjectRel, demo: models.QuerySet) -> None:
    """Unlink (SET_NULL) or delete (CASCADE, and DO_NOTHING: history rows) the rows of one relation that
    point at demo works. PROTECT and the like are left for the final DELETE to refuse."""
    rows = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": demo})
    if relation.on_delete is models.SET_NULL:
        rows.update(**{relation.field.name: None})
    elif relation.on_delete in (models.CASCADE, models.DO_NOTHING):
        _delete_rows(rows)


def _delete_rows(rows: models.QuerySet) -> None:
    """One DELETE statement, without loading the rows or sending signals; Django's delete() when other rows
    point at these and must cascade."""
    if _relations_to(rows.model):
        rows.delete()
        return
    pk = rows.model._meta.pk
    sql, params = rows.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_table(rows.model)} WHERE {connection.ops.quote_name(pk.column)} IN ({sql})",
            params,
        )


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)
