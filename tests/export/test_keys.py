"""Citation keys: readable, ASCII, and unique without ever renaming a key that is taken."""

import re

import pytest

from references.export.keys import ascii_fold, key_base, unique_key


@pytest.mark.parametrize(
    ("family", "year", "title", "key"),
    [
        ("Pieters", 2007, "Treatment of infants with ALL", "pieters2007treatment"),
        ("Möricke", 2010, "Risk-adjusted therapy", "moricke2010risk"),
        ("van der Linden", 2009, "Outcome of congenital ALL", "vanderlinden2009outcome"),
        ("Pánek", 2020, "The role of HSCT", "panek2020role"),
        ("Łukasiewicz", 2021, "A study", "lukasiewicz2021study"),
        ("Gül", 2015, "On the use of CAR-T in relapse", "gul2015use"),
        ("O'Brien", 2019, "KMT2A-rearranged ALL", "obrien2019kmt2a"),
        ("Strauß", 2018, "t(4;11) in infants", "strauss2018t411"),
        ("Pieters", None, "Treatment", "pietersndtreatment"),
        ("", 2016, "Interfant-06: the protocol", "anon2016interfant"),
        ("中村", 2016, "Leukemia", "anon2016leukemia"),
        ("Smith", 2001, "The of and", "smith2001"),
        ("Smith", 2001, "", "smith2001"),
    ],
)
def test_key_base(family, year, title, key):
    assert key_base(family, year, title) == key


def test_key_base_is_ascii_letters_and_digits_only():
    key = key_base("Ñúñez-García y Öztürk", 1999, "“Über” die Ætiologie — ALL")
    assert re.fullmatch(r"[a-z0-9]+", key), key
    assert key == "nunezgarciayozturk1999uber"


def test_fold_drops_accents_and_spells_out_letters_without_a_base():
    assert ascii_fold("Ærøskøbing Łódź Straße") == "aeroskobing lodz strasse"
    assert ascii_fold("Иванов") == ""


def test_unique_key_returns_the_base_when_free():
    assert unique_key("pieters2007treatment", set()) == "pieters2007treatment"


def test_unique_key_appends_letters_in_order():
    taken = {"smith2001"}
    keys = []
    for _ in range(28):
        key = unique_key("smith2001", taken)
        keys.append(key)
        taken.add(key)
    assert keys[:3] == ["smith2001a", "smith2001b", "smith2001c"]
    assert keys[25:] == ["smith2001z", "smith2001aa", "smith2001ab"]


def test_unique_key_accepts_a_callable_and_skips_every_taken_key():
    taken = {"smith2001", "smith2001a", "smith2001c"}
    assert unique_key("smith2001", taken.__contains__) == "smith2001b"
    assert unique_key("smith2001", lambda key: key != "smith2001d") == "smith2001d"
