"""Where the title ends and the journal begins when no full stop separates them.

Biomedical lists often print 'Title Journal. 2019;38:590' ('… developmental toxicology Hum Exp Toxicol').
The CRF then tends to cut one word off either side. Journal names are printed capitalised (or abbreviated
the ISO 4 / NLM way) and hold no lower-case word but a few link words, while biomedical titles are in
sentence case: so the journal is the run of capitalised words that ends the text before the year. A title
may end in a name of its own ('… in the Gulf of California'), though never in a preposition: after one, the
CRF's cut inside the run is kept.
"""

from __future__ import annotations

import re

from .lexicon import is_abbreviation

# Lower-case words a journal's name may hold ('Journal of the …', 'Zeitschrift für …', 'Anales de …').
LINK_WORDS = frozenset(
    ("of", "and", "&", "the", "in", "for", "on", "de", "des", "du", "der", "die", "für", "y", "et", "e", "di")
)
# Words a title does not end with: a capitalised run after one of them begins with the title's own words.
_TITLE_GOES_ON = frozenset(
    (
        *("a", "an", "the", "in", "of", "on", "at", "to", "from", "with", "for", "by", "into", "within"),
        *("among", "between", "across", "around", "near", "during", "after", "before", "through", "via"),
        *("and", "or", "versus", "vs", "vs.", "under", "over", "against", "without", "toward", "towards"),
    )
)
_ROMAN_RE = re.compile(r"^(?:I{1,3}|IV|VI{0,3}|IX|X{1,3})$|\d")
_INNER_PUNCTUATION = (",", ":", ";", "?", "!", ")", "]", "(")


def settle(title: str, journal: str) -> tuple[str, str]:
    """(title, journal) printed one after the other with only a space between -> the same words, cut again."""
    words = [*title.split(), *journal.split()]
    crf_start = len(words) - len(journal.split())
    start = _run_start(words)
    # A title does not end in a colon: 'Proc R Soc B: Biol Sci', 'J Exp Psychol: Hum Percept Perform'.
    while 2 < start < len(words) and words[start - 1].endswith(":") and _capitalised(words[start - 1]):
        start = _run_start(words[:start])
    if start < 2 or start >= len(words):
        return title, journal
    if words[start - 1].lower() in _TITLE_GOES_ON or words[start - 1].endswith((",", "(")):
        start = _after_title_words(words, start, crf_start)
    # A journal does not begin with a numeral ('spinal muscular atrophy types II and III' + 'Eur Neurol'),
    # nor with a molecule's name: '… mutations in plasma ctDNA' + 'J Clin Pathol' (but 'eLife', 'mBio' alone).
    while start < len(words) - 1 and (
        _ROMAN_RE.match(words[start]) or words[start] in LINK_WORDS or words[start][:1].islower()
    ):
        start += 1
    # Nor in a link word: '… in Turkey Ocean &' + 'Coastal Management'.
    while 2 < start < len(words) and words[start - 1] in LINK_WORDS and _capitalised(words[start - 2]):
        start -= 2
    # 'Egyptian', 'Turkish', 'Chinese', 'ICES' before 'Journal' name whose journal it is.
    if 2 < start < len(words) and words[start] == "Journal" and _names_a_journal(words[start - 1]):
        start -= 1
    if start >= len(words) or not _sentence_case(words[:start]):
        return title, journal
    return " ".join(words[:start]), " ".join(words[start:])


def _names_a_journal(word: str) -> bool:
    return (word.isupper() and word.isalpha()) or (
        word[:1].isupper() and word.endswith(("an", "ish", "ese", "al"))
    )


def holds_a_sentence_end(journal: str) -> bool:
    """'Thailand? Raffles Bull Zool', 'of Thailand. Biology': the title's last words ended up in the journal."""
    return any(word.endswith(("?", "!")) or _ends_sentence(word) for word in journal.split()[:-1])


def _after_title_words(words: list[str], start: int, crf_start: int) -> int:
    """The journal's start in a run that begins with the title's own words: the CRF's cut inside the run,
    else the run's first word if it is an ISO 4 abbreviation ('Rev Med Suisse'), else the word after it.
    An acronym of three letters or more inside the run begins the journal ('… the Black Sea ICES J Mar Sci')."""
    for index in range(start + 1, len(words)):
        if len(words[index]) >= 3 and words[index].isalpha() and words[index].isupper():
            return index
    if start < crf_start < len(words):
        return crf_start
    bare = words[start].strip(".").lower()
    return start if len(bare) <= 5 and is_abbreviation(bare) else start + 1


def _run_start(words: list[str]) -> int:
    """Where the run of capitalised and link words ending `words` begins (its last word is the journal's
    whatever it is), link words at its head left out."""
    start = len(words) - 1
    while start > 0 and journal_word(words[start - 1]):
        start -= 1
    while start < len(words) - 1 and words[start] in LINK_WORDS:
        start += 1
    return start


def journal_word(word: str) -> bool:
    # Not ending in a comma or colon: 'Attention, Perception, & Psychophysics' is lost, '…, Mexico' is not.
    if word in LINK_WORDS:
        return True
    return _capitalised(word) and not word.endswith(_INNER_PUNCTUATION) and not _ends_sentence(word)


def _ends_sentence(word: str) -> bool:
    """'Thailand.', 'LOCARNA.' end the title; 'Res.', 'J.', 'R.J.H.' are abbreviations inside a name."""
    bare = word[:-1]
    if not word.endswith(".") or len(bare) <= 3 or "." in bare:
        return False
    return not is_abbreviation(bare.lower())


def _sentence_case(words: list[str]) -> bool:
    return sum(not _capitalised(word) and word not in LINK_WORDS for word in words) >= 2


def _capitalised(word: str) -> bool:
    """'Toxicol', 'BMC', 'eLife', 'mBio' (a capital among its letters); 'toxicology', '2019' are not."""
    return any(letter.isupper() for letter in word)
