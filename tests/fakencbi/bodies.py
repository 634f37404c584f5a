"""Response bodies: NCBI's recorded E-utilities answers, PubMed records split out of recorded efetch answers,
and records derived from them.

The recorded files live in ``$SHARED_DIR/fixtures/ncbi`` and ``$SHARED_DIR/samples/pubmed-xml``; the
fixtures' README says which request produced each one.
"""

import re
from functools import cache
from xml.sax.saxutils import escape

from lxml import etree

from config.shared import shared_dir

FIXTURES_DIR = shared_dir() / "fixtures" / "ncbi"
SAMPLES_DIR = shared_dir() / "samples" / "pubmed-xml"
EFETCH_FILES = [
    FIXTURES_DIR / "pubmed6.xml",
    FIXTURES_DIR / "pubmed7.xml",
    SAMPLES_DIR / "pubmed1.xml",
    SAMPLES_DIR / "pubmed2.xml",
    SAMPLES_DIR / "MedlineImporterTestPubmedBook.xml",
]

# Derived records copy this one (pubmed6.xml: abstract, keywords, authors with affiliations, DOI, PMCID).
TEMPLATE_PMID = "30108519"
RECORD_TAGS = ("PubmedArticle", "PubmedBookArticle")
_TEMPLATE_DOI = "10.3389/fphys.2018.01034"
_TEMPLATE_PMC = "PMC6079548"

HEAD = (
    b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st June 2018//EN"'
    b' "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_180601.dtd">\n<PubmedArticleSet>\n'
)
TAIL = b"</PubmedArticleSet>\n"
TOO_MANY_REQUESTS = b'{"error":"API rate limit exceeded","api-key":"%s","count":"%d","limit":"%d"}\n'


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES_DIR / name).read_bytes()


@cache
def recorded_records() -> dict[str, bytes]:
    """Every record of the recorded efetch answers, as its own XML element, by PMID."""
    found: dict[str, bytes] = {}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for path in EFETCH_FILES:
        root = etree.fromstring(path.read_bytes(), parser)
        for record in [root] if root.tag in RECORD_TAGS else root:
            if record.tag not in RECORD_TAGS:
                continue
            pmid = record.findtext(".//PMID")
            record.tail = "\n"
            found[pmid] = etree.tostring(record, encoding="utf-8")
    return found


def record_dois(records: dict[str, bytes]) -> dict[str, str]:
    """DOI (lower-cased) -> PMID, as PubMed's [doi] field finds them."""
    dois = {}
    for pmid, body in records.items():
        if match := re.search(rb'<ArticleId IdType="doi">([^<]+)</ArticleId>', body):
            dois[match.group(1).decode().lower()] = pmid
    return dois


def derive_record(
    pmid: str, *, doi: str = "", pmcid: str = "", title: str | None = None, abstract: str | None = None
) -> bytes:
    """The template record under another PMID (and DOI, PMCID), with its title or abstract replaced if given."""
    body = recorded_records()[TEMPLATE_PMID].decode()
    body = body.replace(TEMPLATE_PMID, pmid).replace(_TEMPLATE_PMC, pmcid or f"PMC{pmid}")
    body = body.replace(_TEMPLATE_DOI, doi or f"10.5555/pubmed.{pmid}")
    if title is not None:
        body = re.sub(
            r"<ArticleTitle>.*?</ArticleTitle>",
            f"<ArticleTitle>{escape(title)}</ArticleTitle>",
            body,
            count=1,
            flags=re.S,
        )
    if abstract is not None:
        body = re.sub(
            r"<Abstract>.*?</Abstract>",
            f"<Abstract><AbstractText>{escape(abstract)}</AbstractText></Abstract>",
            body,
            count=1,
            flags=re.S,
        )
    return body.encode()


def efetch_answer(records: list[bytes]) -> bytes:
    return HEAD + b"".join(records) + TAIL


def esearch_answer(pmids: list[str], term: str) -> bytes:
    """An eSearchResult as NCBI writes it; no hits read as esearch8.xml does (PhraseNotFound)."""
    ids = "".join(f"<Id>{pmid}</Id>\n" for pmid in pmids)
    missing = (
        ""
        if pmids
        else (
            f"<ErrorList><PhraseNotFound>{escape(term)}</PhraseNotFound></ErrorList>"
            "<WarningList><OutputMessage>No items found.</OutputMessage></WarningList>"
        )
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
        '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
        f"<eSearchResult><Count>{len(pmids)}</Count><RetMax>{len(pmids)}</RetMax><RetStart>0</RetStart>"
        f"<IdList>\n{ids}</IdList><TranslationSet/><QueryTranslation>{escape(term)}</QueryTranslation>"
        f"{missing}</eSearchResult>\n"
    ).encode()


def error_answer(root: str, message: str) -> bytes:
    """An error NCBI reports inside a 200 answer."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" ?>\n<{root}>\n\t<ERROR>{escape(message)}</ERROR>\n</{root}>\n'
    ).encode()
