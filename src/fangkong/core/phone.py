"""Phone numbers of mainland China, mobile or landline, normalised to digits."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalize_phone(value: str) -> str:
    """Return the national number as digits, or raise ValidationError with the reason."""
    raw = (value or "").strip()
    if not raw:
        raise ValidationError(_("Phone number is empty"), code="phone_empty")
    if any(ch.isalpha() for ch in raw):
        raise ValidationError(_("Phone number must not contain letters"), code="phone_letters")
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("Phone number is not valid"), code="phone_invalid") from None
    if parsed.country_code != 86 or not phonenumbers.is_valid_number(parsed):
        raise ValidationError(_("Phone number is not valid"), code="phone_invalid")
    number = phonenumbers.national_significant_number(parsed)
    # Landlines keep their trunk prefix so they read as people write them (05337123456).
    if not number.startswith("1"):
        number = "0" + number
    return number
