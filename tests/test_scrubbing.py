"""The identifier corpus: planted NHS numbers, phones, emails, postcodes and names."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from always_events.scrubbing import nhs_number_is_valid, scrub

rng = random.Random(20261127)


def valid_nhs_number() -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def nhs_formats(number: str) -> list[str]:
    a, b, c = number[:3], number[3:6], number[6:]
    return [number, f"{a} {b} {c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}"]


NHS_NUMBERS = [fmt for _ in range(10) for fmt in nhs_formats(valid_nhs_number())]
PHONES = [
    "07700 900123", "07700900123", "+44 7700 900123", "+447700900123", "(020) 7946 0018",
    "020 7946 0018", "0113 496 0000", "0113-496-0000", "+44 (0)20 7946 0018", "01632 960001",
    "0161 496 0123", "0800 123 4567", "07700-900-456", "+44 113 496 0999", "0207 946 0991",
    "(0113) 4960000", "01632960123", "07 700 900 789", "0117 496 0555", "+44 (0) 117 496 0555",
]
EMAILS = [
    "mary.jones@example.com", "john_smith99@nhs.net", "a.b-c@mail.co.uk", "CAPS@EXAMPLE.ORG",
    "first+tag@gmail.com", "o'brien@hospital.nhs.uk", "mary(at)example(dot)com",
    "x@y.io", "nurse.lee @ trust.nhs.uk", "carer1@btinternet.com", "p.patel@outlook.com",
    "son@family.me.uk", "z.zhang@uni.ac.uk", "info@charity.org.uk", "someone@sub.domain.nhs.uk",
    "jo.bloggs@yahoo.co.uk", "ward7@riverside.nhs.uk", "a@b.cd", "k.o@e.uk", "mum123@aol.com",
]
POSTCODES = [
    "LS1 4AP", "SW1A 1AA", "sw1a1aa", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX",
    "EC1A 1BB", "ls14ap", "GIR 0AA", "NE1 4LP", "BS8 1TH", "CF10 1EP", "G2 3JZ", "EH1 1YZ",
    "BT1 5GS", "PL4 8AA", "YO1 7HH", "L3 5TR",
]
NAMES = ["Mary Jones", "Tom Okafor", "Aisha Rahman", "Gareth Lewis", "Helen Marsh"]
CORPUS = NHS_NUMBERS + PHONES + EMAILS + POSTCODES


def test_the_corpus_plants_at_least_100_identifiers():
    assert len(CORPUS) >= 100


@pytest.mark.parametrize("identifier", CORPUS)
def test_each_planted_identifier_is_removed(identifier):
    text = f"The nurse said to ring {identifier} if I was worried, which helped."
    cleaned = scrub(text)
    assert identifier not in cleaned
    assert identifier.replace(" ", "") not in cleaned.replace(" ", "")
    assert cleaned.startswith("The nurse said to ring [")
    assert cleaned.endswith("if I was worried, which helped.")


def test_a_valid_nhs_number_is_named_as_such():
    number = valid_nhs_number()
    assert scrub(f"My number is {number[:3]} {number[3:6]} {number[6:]}.") == (
        "My number is [NHS number removed]."
    )


def test_the_nhs_number_checksum_is_modulus_11():
    assert nhs_number_is_valid("9434765919")
    assert not nhs_number_is_valid("9434765918")
    assert not nhs_number_is_valid("943476591")


@pytest.mark.parametrize("name", NAMES)
def test_names_of_members_are_removed_whole_or_in_part(name):
    first, last = name.split(" ")
    text = f"{name} listened. Later {first.lower()} came back, and {last} rang."
    cleaned = scrub(text, names=NAMES)
    for part in (first, last):
        assert part.lower() not in cleaned.lower()
    assert cleaned.count("[name removed]") == 3


def test_ordinary_words_and_numbers_survive():
    text = "I waited 2 hours on Ward 7 and was seen at 10:30 on 3 May 2026. 9 out of 10!"
    assert scrub(text) == text


def test_empty_text_stays_empty():
    assert scrub("") == ""


@given(st.text(alphabet=st.characters(blacklist_categories=["Nd"]), max_size=200))
def test_text_without_digits_or_at_signs_is_unchanged(text):
    if "@" in text or "(at)" in text.lower() or "[at]" in text.lower():
        return
    assert scrub(text) == text
