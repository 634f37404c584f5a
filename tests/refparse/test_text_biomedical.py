"""Biomedical reference strings: list numbers glued to the first author, no full stop after the title,
one-reference-per-line lists."""

from __future__ import annotations

from references.refparse.text import parse_reference, split_reference_list
from references.refparse.text.boundary import settle
from references.refparse.text.lexicon import abbreviate, is_abbreviation
from references.refparse.text.tokens import tokenize

CREED = (
    "Creed PA, Young TA, Smith J. Arsenic exposure and developmental toxicology Hum Exp Toxicol. "
    "2019;38(5):590-602. doi:10.1177/0960327119827345"
)


def test_glued_list_number_is_a_token_of_its_own() -> None:
    assert [token.text for token in tokenize("17.Creed PA, Young TA.")] == [
        "17.",
        "Creed",
        "PA,",
        "Young",
        "TA.",
    ]
    assert [token.text for token in tokenize("[3]Smith J")] == ["[3]", "Smith", "J"]
    assert [token.text for token in tokenize("3.5 mg")] == ["3.5", "mg"]


def test_glued_list_number_is_not_the_first_author() -> None:
    parsed = parse_reference(f"17.{CREED}")
    assert [name.family for name in parsed.authors] == ["Creed", "Young", "Smith"]


def test_journal_word_leaves_a_title_without_full_stop() -> None:
    parsed = parse_reference(CREED)
    assert parsed.title == "Arsenic exposure and developmental toxicology"
    assert parsed.container_title == "Hum Exp Toxicol"
    assert (parsed.year, parsed.volume, parsed.issue, parsed.pages) == (2019, "38", "5", "590-602")


def test_glued_numbered_list_is_cut_at_its_numbers() -> None:
    text = f"17.{CREED}\n18.Knez V, Liu X. Infantile B-lymphoblastic leukemia. Leuk Lymphoma. 2019;60(4):1006-13.\n"
    found = split_reference_list(text)
    assert [(line, label) for line, label, _ in found] == [(1, "17"), (2, "18")]
    assert found[0][2] == CREED


def test_one_per_line_list_keeps_its_lines() -> None:
    lines = [
        CREED,
        "de Vries J, van den Berg K. Leukemia in infants. Blood. 2019;134:2-9.",
        "R Core Team. R: A language and environment for statistical computing. Vienna, Austria",
        "WHO. Global report. Geneva; 2020.",
        "van der Linden MH, Valsecchi MG. Outcome of congenital ALL. Blood 2009 114 3764-8",
        "Smith J. Personal communication",
        "el-Sayed A, Jones T. Title of a paper in press. Leukemia. In press.",
        "Pieters R, Schrappe M, De Lorenzo P, et al. A treatment protocol for infants. Lancet. 2007;370:240-50.",
        "Möricke A, Zimmermann M. Dexamethasone vs prednisone in induction. Blood. 2016;127(17):2101-12.",
        "Knez V, Liu X. Infantile B-lymphoblastic leukemia. Leuk Lymphoma. 2019;60(4):1006-13.",
        "Sidhu J, Trehan A. Relapsed acute lymphoblastic leukemia. Indian J Pediatr. 2024 Feb;91(2):158-167.",
        "Dreyer ZE, Hilden JM. Intensified chemotherapy. Pediatr Blood Cancer. 2015;62(3):419-26.",
        "Barz MJ, Hof J. Subclonal NT5C2 mutations. Blood. 2020;135:921-933. doi: 10.1182/blood.2019002499",
    ]
    found = split_reference_list("\n".join(lines))
    assert [raw for _, _, raw in found] == lines
    assert [line for line, _, _ in found] == list(range(1, len(lines) + 1))


def test_ltwa_lexicon() -> None:
    assert abbreviate("Journal of Clinical Oncology") == "J Clin Oncol"
    assert abbreviate("Human & Experimental Toxicology") == "Hum Exp Toxicol"
    assert abbreviate("Blood") == "Blood"
    assert is_abbreviation("toxicol") and is_abbreviation("exp")
    assert not is_abbreviation("leukemia")


NO_FULL_STOP = [
    (
        "Smith J, Jones T. Subclonal mutations drive relapse in acute leukemia Nucleic Acids Res "
        "2020;48:921-33.",
        "Subclonal mutations drive relapse in acute leukemia",
        "Nucleic Acids Res",
    ),
    (
        "Ortiz A, Lee B. Coral reef communities in the Gulf of California, Mexico Geofis Int. 2003;42:467-75.",
        "Coral reef communities in the Gulf of California, Mexico",
        "Geofis Int",
    ),
    (
        "Barz MJ, Hof J. Thiopurine resistance in relapsed leukemia PLoS One. 2020;15(3):e0229911.",
        "Thiopurine resistance in relapsed leukemia",
        "PLoS One",
    ),
    (
        "Fischberg S, Motamed S. Pratique de la spirométrie au cabinet du médecin, Rev Med Suisse 2009;5: 1882-9",
        "Pratique de la spirométrie au cabinet du médecin",
        "Rev Med Suisse",
    ),
    (
        "J.-S. Pang and S. A. Gabriel, NE/SQP: A robust algorithm for the nonlinear complementarity problem, "
        "Math. Programming, 60 (1993), pp. 295-337.",
        "NE/SQP: A robust algorithm for the nonlinear complementarity problem",
        "Math. Programming",
    ),
]


def test_title_words_read_as_the_journal_or_a_place_go_back_to_the_title() -> None:
    # 'Thailand?' and 'of Thailand.' end the title, not begin the journal; 'New Zealand:' is no place here.
    cases = [
        (
            "Hajisamae W, Tekman EL (2014) Do habitat and month affect shrimp assemblage in a shallow bay, "
            "Thailand? Raffles Bulletin of Zoology 62:107.",
            "Do habitat and month affect shrimp assemblage in a shallow bay, Thailand?",
            "Raffles Bulletin of Zoology",
        ),
        (
            "Soe L, Toth OA, et al. Feeding habits and the occurrence of anthropogenic debris in the stomach "
            "content of marine fish from Pattani Bay, Gulf of Thailand. Biology. 2021 Oct;11:331.",
            "Feeding habits and the occurrence of anthropogenic debris in the stomach content of marine fish "
            "from Pattani Bay, Gulf of Thailand",
            "Biology",
        ),
        (
            "Jellyman MK, Willis BA, et al. Movements of shortfinned eels, Anguilla australis, in Lake Ellesmere, "
            "New Zealand: results from mark-recapture studies and sonic tracking. New Zealand Journal of Marine "
            "and Freshwater Research. 1996;30:371.",
            "Movements of shortfinned eels, Anguilla australis, in Lake Ellesmere, New Zealand: results from "
            "mark-recapture studies and sonic tracking",
            "New Zealand Journal of Marine and Freshwater Research",
        ),
    ]
    for raw, title, journal in cases:
        parsed = parse_reference(raw)
        assert (parsed.title, parsed.container_title) == (title, journal), raw
    assert parse_reference(cases[2][0]).location == ""


NO_FULL_STOP += [
    (
        "Ravel TS, Kim H. Respiratory outcomes in spinal muscular atrophy types II and III Eur Neurol "
        "2001;45:174.",
        "Respiratory outcomes in spinal muscular atrophy types II and III",
        "Eur Neurol",
    ),
    (
        "Mumby PJ, Wabnitz C. The impact of grazing by parrotfishes on coral reefs Proceedings of the Royal Society B: "
        "Biological Sciences 2011;279:1621.",
        "The impact of grazing by parrotfishes on coral reefs",
        "Proceedings of the Royal Society B: Biological Sciences",
    ),
    (
        "Yildiz T, Ulman A. Diet of barracuda fish in the Gulf of Suez Egyptian Journal of Aquatic Research "
        "2017;43:297.",
        "Diet of barracuda fish in the Gulf of Suez",
        "Egyptian Journal of Aquatic Research",
    ),
    (
        "Yildiz T, Ulman A. Effectiveness of the temporal fishery closure in Turkey Ocean & Coastal Management. 2020;198:105353.",
        "Effectiveness of the temporal fishery closure in Turkey",
        "Ocean & Coastal Management",
    ),
    (
        "39.Pauly D, Christensen V. Fishing down marine food webs Science. 1998;279:860.",
        "Fishing down marine food webs",
        "Science",
    ),
]


def test_title_and_journal_cut_where_no_full_stop_parts_them() -> None:
    for raw, title, journal in NO_FULL_STOP:
        parsed = parse_reference(raw)
        assert (parsed.title, parsed.container_title) == (title, journal), raw


def test_settle_keeps_a_title_that_ends_in_a_name() -> None:
    # After a preposition the capitalised run starts with the title's own words; an acronym starts the journal.
    assert settle("Stock dynamics of bluefish in the Black Sea ICES J", "Mar Sci") == (
        "Stock dynamics of bluefish in the Black Sea",
        "ICES J Mar Sci",
    )
    assert settle("Developmental toxicology of arsenic Hum Exp", "Toxicol") == (
        "Developmental toxicology of arsenic",
        "Hum Exp Toxicol",
    )
    assert settle("Arsenic and toxicology", "in rats Toxicol Lett") == (
        "Arsenic and toxicology in rats",
        "Toxicol Lett",
    )
    # A title in title case gives no clue: the CRF's cut stays.
    assert settle("Ontologies in Computer Science", "Didactica Mathematica") == (
        "Ontologies in Computer Science",
        "Didactica Mathematica",
    )
