"""When a cited reference is the same publication as a work we have, and when it is not."""

from references.matching import Keys, best_title_match, family_key, same_work_score, title_key

PIETERS = "A treatment protocol for infants younger than 1 year with acute lymphoblastic leukaemia (Interfant-99): an observational study and a multicentre randomised trial"


def keys(title: str, year: int | None = 2007, author: str = "Pieters") -> Keys:
    return Keys(title_key(title), year, family_key(author))


def test_keys_fold_case_accents_punctuation_and_spelling():
    assert title_key(PIETERS) == title_key(
        PIETERS.replace("randomised", "randomized").replace("leukaemia", "leukemia").upper()
    )
    assert family_key("van der Linden") == family_key("Van der Linden") == "vanderlinden"
    assert family_key("Möricke") == family_key("Moricke")


def test_the_same_reference_in_two_house_styles_matches():
    score = same_work_score(keys(PIETERS), keys(PIETERS.replace("randomised", "randomized") + "."))
    assert score is not None and score > 0.95


def test_same_authors_and_year_with_a_different_title_stay_apart():
    other = "Outcome of infants younger than 1 year with acute lymphoblastic leukemia treated with the Interfant-06 protocol"
    assert same_work_score(keys(PIETERS), keys(other)) is None


def test_same_title_in_a_different_year_stays_apart():
    assert same_work_score(keys(PIETERS, 2007), keys(PIETERS, 2009)) is None
    assert same_work_score(keys(PIETERS, None), keys(PIETERS, 2007)) is None


def test_same_title_and_year_by_another_first_author_stays_apart():
    assert same_work_score(keys(PIETERS, author="Pieters"), keys(PIETERS, author="Mann")) is None


def test_without_a_first_author_only_a_near_identical_title_matches():
    assert same_work_score(keys(PIETERS, author=""), keys(PIETERS)) == 1.0
    assert same_work_score(keys(PIETERS[:-12], author=""), keys(PIETERS)) is None


def test_best_title_match_picks_the_closest_candidate():
    candidates = {1: keys(PIETERS + " extra words that differ"), 2: keys(PIETERS), 3: keys("Unrelated title")}
    match = best_title_match(keys(PIETERS), candidates)
    assert (match.work_id, match.method, match.score) == (2, "title", 1.0)


def test_letters_without_a_base_are_spelled_out():
    assert family_key("Strauß") == "strauss"
    assert family_key("Søren-Łukasz") == "sorenlukasz"
    assert title_key("Straße und Łódź") == "strasse und lodz"


def test_other_scripts_keep_their_letters():
    assert family_key("Иванов") == "иванов"
    assert title_key("Острый лимфобластный лейкоз, CD19") == "острыи лимфобластныи леикоз cd19"


def test_two_cyrillic_titles_sharing_only_latin_words_are_not_one_work():
    one = Keys(title_key("Эффективность блинатумомаба при рецидиве CD19"), 2024, "")
    other = Keys(title_key("Токсичность терапии у младенцев CD19"), 2024, "")
    same = Keys(title_key("Эффективность блинатумомаба при рецидиве CD19."), 2024, "")
    assert same_work_score(one, other) is None
    assert same_work_score(one, same) == 1.0
