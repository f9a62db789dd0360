"""The unified social credit code (统一社会信用代码, GB 32100-2015) of enterprises and
organisations: 18 characters from a 31-character alphabet (no I, O, Z, S, V), the last one a
check character over the first 17 (weights 3^i mod 31)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUES = {char: n for n, char in enumerate(ALPHABET)}


def credit_check_char(body: str) -> str:
    """The check character of the first 17 characters."""
    total = sum(_VALUES[char] * weight for char, weight in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    """The code in capitals, or ValidationError saying what is wrong with it."""
    code = (value or "").strip().upper().replace(" ", "")
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters"), code="credit_length"
        )
    wrong = [char for char in code if char not in _VALUES]
    if wrong:
        raise ValidationError(
            _("A unified social credit code cannot contain %(chars)s")
            % {"chars": "".join(dict.fromkeys(wrong))},
            code="credit_chars",
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("Characters 3 to 8 of a unified social credit code are the region code"),
            code="credit_region",
        )
    if credit_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character of the unified social credit code is wrong"),
            code="credit_check",
        )
    return code


def make_credit_code(body: str) -> str:
    """A valid code from 17 characters (tests and the demo)."""
    return body + credit_check_char(body)
