"""GB 11643-1999 citizen identity numbers: checksum, birth date, sex, region."""

import datetime
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# Province-level codes in use (GB/T 2260), the first two digits of any valid number.
PROVINCE_CODES = frozenset((
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82",
))  # fmt: skip
EARLIEST_BIRTH = datetime.date(1900, 1, 1)


class IdInfo(NamedTuple):
    number: str
    region_code: str
    birth_date: datetime.date
    sex: str  # "M" or "F"


def check_char(first17: str) -> str:
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError("the check character is computed from 17 ASCII digits")
    # The weights are 2**17 ... 2**1 modulo 11, and 13 = 2 (mod 11): the weighted sum is twice
    # the digits read as a base-13 number, modulo 11. One C call instead of seventeen products.
    return CHECK_CHARS[int(first17, 13) * 2 % 11]


# Full-width digits and X come in from documents typed with a Chinese input method; they are
# the same number and must hash the same.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ　", "0123456789XX ")


def normalize(value: str) -> str:
    value = (value or "").strip()
    if not value.isascii():
        value = value.translate(_FULL_WIDTH).strip()
    return value.replace(" ", "").upper()


def parse_id_number(value: str, *, today: datetime.date | None = None) -> IdInfo:
    """Validate and decode an 18-digit ID number; raises ValidationError in the user's language.

    Bulk callers pass `today` (asking the clock and the time zone costs more than the rest of
    the checks); it bounds the birth date and defaults to today in the site's time zone.
    """
    number = normalize(value)
    if len(number) != 18:
        raise ValidationError(
            _("ID number must have 18 characters, got %(n)d") % {"n": len(number)},
            code="id_length",
        )
    if (
        not number.isascii()
        or not number[:17].isdigit()
        or not (number[17].isdigit() or number[17] == "X")
    ):
        raise ValidationError(_("ID number may contain only digits and a final X"), code="id_chars")
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(_("ID number starts with an unknown region code"), code="id_region")
    try:
        birth = datetime.date.fromisoformat(number[6:14])
    except ValueError:
        raise ValidationError(
            _("ID number contains an impossible birth date"), code="id_birth"
        ) from None
    today = today or timezone.localdate()
    if birth > today or birth < EARLIEST_BIRTH:
        raise ValidationError(_("ID number contains an impossible birth date"), code="id_birth")
    if check_char(number[:17]) != number[17]:
        raise ValidationError(_("ID number checksum is wrong"), code="id_checksum")
    return IdInfo(
        number=number,
        region_code=number[:6],
        birth_date=birth,
        sex="M" if int(number[16]) % 2 else "F",
    )


def make_id_number(region_code: str, birth: datetime.date, sequence: int) -> str:
    """Build a valid number; `sequence` (0-999) sets the order code, its parity the sex."""
    first17 = f"{region_code}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)
