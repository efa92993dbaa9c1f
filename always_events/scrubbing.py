"""Removes identifiers from free text before it is saved (DESIGN §4, Quality bar).

Patients' comments and "What matters to you?" quotes must be anonymous. `scrub` replaces
NHS numbers, phone numbers, email addresses, postcodes and given names with a marker
such as "[NHS number removed]". It errs on the side of removing: a run of ten digits
that fails the NHS number checksum is still removed, as a phone number or a number.
"""

import re
from collections.abc import Iterable

EMAIL = re.compile(
    r"[\w.+'-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*(?:\.|\(dot\)|\[dot\])\s*[\w-]+)+", re.I
)
# NHS number: 10 digits, often written 3-3-4 with spaces, dashes or dots.
NHS_NUMBER = re.compile(r"(?<!\d)(\d{3})[\s.-]?(\d{3})[\s.-]?(\d{4})(?!\d)")
# UK phone numbers: +44 or 0 then 9 or 10 more digits, with spaces, dashes, dots, brackets.
PHONE = re.compile(r"(?<!\w)(?:\+\s*44\s*(?:\(\s*0\s*\))?|\(?\s*0)(?:[\s().-]*\d){9,10}(?!\d)")
# UK postcodes, full ("LS1 4AP", "sw1a1aa") with an optional space.
POSTCODE = re.compile(
    r"\b(?:GIR\s?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b", re.I
)
# Any other long run of digits (hospital numbers, partial phone numbers).
LONG_NUMBER = re.compile(r"(?<!\d)\d(?:[\s-]?\d){6,}(?!\d)")

REMOVED = {
    "email": "[email address removed]",
    "nhs": "[NHS number removed]",
    "phone": "[phone number removed]",
    "postcode": "[postcode removed]",
    "number": "[number removed]",
    "name": "[name removed]",
}


def nhs_number_is_valid(digits: str) -> bool:
    """Modulus 11 check of an NHS number (NHS Data Dictionary, "NHS number")."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _nhs_or_phone(match: re.Match) -> str:
    digits = "".join(match.groups())
    if nhs_number_is_valid(digits):
        return REMOVED["nhs"]
    return REMOVED["phone"] if digits.startswith("0") else REMOVED["number"]


def scrub(text: str, *, names: Iterable[str] = ()) -> str:
    """Returns `text` with identifiers replaced; `names` are people's names to remove too."""
    if not text:
        return text
    text = EMAIL.sub(REMOVED["email"], text)
    text = PHONE.sub(REMOVED["phone"], text)
    text = NHS_NUMBER.sub(_nhs_or_phone, text)
    text = POSTCODE.sub(REMOVED["postcode"], text)
    text = LONG_NUMBER.sub(REMOVED["number"], text)
    for name in _name_variants(names):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", REMOVED["name"], text, flags=re.I)
    return text


def _name_variants(names: Iterable[str]) -> list[str]:
    """Each full name and each of its parts, longest first, so "Mary Jones" goes whole."""
    variants = set()
    for name in names:
        name = " ".join((name or "").split())
        if len(name) > 1:
            variants.add(name)
            variants.update(part for part in name.split(" ") if len(part) > 2)
    return sorted(variants, key=len, reverse=True)
