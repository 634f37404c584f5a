"""Updated versions of the seed pages (changed abstract, an added reference) still parse."""

from .conftest import parse_bytes

OLD_LAST_SENTENCE = "and offer insight into the novel treatment approaches in development."
NEW_LAST_SENTENCE = "and review menin inhibitors now in early phase trials."
REFERENCE_76 = (
    "  76. Issa GC, Aldoss I, DiPersio J, Cuglievan B, Stone R, Arellano M, et al. The menin inhibitor "
    "revumenib in KMT2A-rearranged or NPM1-mutant leukaemia. Nature. 2023;615(7954):920\u20134.\n\n"
    "    Article\u00a0 CAS\u00a0 PubMed\u00a0 PubMed Central\u00a0 Google Scholar\u00a0\n\n"
)


def test_springer_page_with_changed_abstract_and_a_76th_reference(seed_text):
    text = seed_text("000")
    assert OLD_LAST_SENTENCE in text
    text = text.replace(OLD_LAST_SENTENCE, NEW_LAST_SENTENCE)
    text = text.replace("Download references", REFERENCE_76 + "Download references")
    record = parse_bytes(text.encode())
    assert record.page_kind == "springer-chapter"
    assert record.abstract.endswith(NEW_LAST_SENTENCE)
    assert len(record.references) == 76
    last = record.references[-1]
    assert last.label == "76"
    assert last.raw.endswith("Nature. 2023;615(7954):920\u20134.")
    assert record.doi == "10.1007/978-3-030-85147-7_6"


def test_pubmed_page_with_an_added_reference_and_keyword(seed_text):
    text = seed_text("002")
    text = text.replace("Relapse; Transplant.", "Relapse; Transplant; Blinatumomab.")
    text = text.replace(
        "\nLinkOut - more resources",
        "    1. Hunger SP, Mullighan CG. Acute lymphoblastic leukemia in children. N Engl J Med. "
        "2015;373:1541\u20131552. doi: 10.1056/NEJMra1400972. - DOI - PubMed\n\nLinkOut - more resources",
    )
    record = parse_bytes(text.encode())
    assert record.page_kind == "pubmed"
    assert record.keywords[-1] == "Blinatumomab"
    assert len(record.references) == 6
    assert (record.references[-1].label, record.references[-1].doi) == ("6", "10.1056/nejmra1400972")


def test_journal_site_page_without_its_chrome_lines(seed_text):
    text = seed_text("001").replace("Advanced search", "").replace("JATS XML", "")
    record = parse_bytes(text.encode())
    assert record.page_kind == "journal-site"
    assert len(record.authors) == 7


def test_catalogue_page_with_a_second_summary_line(seed_text):
    text = seed_text("003").replace("further HSCT.\n", "further HSCT.\nCopyright the authors.\n")
    record = parse_bytes(text.encode())
    assert record.page_kind == "library-catalogue"
    assert record.abstract.endswith("Copyright the authors.")


def test_pubmed_abstract_page_with_an_author_line(seed_text):
    text = seed_text("004").replace(
        "doi: 10.1016/S1470-2045(12)70580-6.\n",
        "doi: 10.1016/S1470-2045(12)70580-6.\n\n"
        "Franco Locatelli 1, Martin Schrappe 2, Maria Ester Bernardo 1\n",
    )
    record = parse_bytes(text.encode())
    assert record.page_kind == "pubmed-abstract"
    assert [(a.family, a.given) for a in record.authors] == [
        ("Locatelli", "Franco"),
        ("Schrappe", "Martin"),
        ("Bernardo", "Maria Ester"),
    ]
    assert record.abstract.startswith("With steadily improved cure rates")
