"""Vehicle plate numbers (GA 36): format and where a plate is registered.

鲁C12345 is a car of 淄博 (Shandong's city letter C); 鲁CD12345 and 鲁C12345D are new-energy
plates; 鲁C1234学 a driving-school car. A plate's first character names the province; the
letter after it names the city only within a province's own table, which is known here for
Shandong (where the product runs) and Hubei (where the travellers of 2020 came from); other
provinces are recognised by province. Embassy (使) and military plates are not accepted:
checkpoints registered those on paper.
"""

import re
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fangkong.checkpoints.regions import region_label

# Province abbreviation -> statistics code of the province.
PROVINCES = {
    "京": "11",
    "津": "12",
    "冀": "13",
    "晋": "14",
    "蒙": "15",
    "辽": "21",
    "吉": "22",
    "黑": "23",
    "沪": "31",
    "苏": "32",
    "浙": "33",
    "皖": "34",
    "闽": "35",
    "赣": "36",
    "鲁": "37",
    "豫": "41",
    "鄂": "42",
    "湘": "43",
    "粤": "44",
    "桂": "45",
    "琼": "46",
    "渝": "50",
    "川": "51",
    "贵": "52",
    "云": "53",
    "藏": "54",
    "陕": "61",
    "甘": "62",
    "青": "63",
    "宁": "64",
    "新": "65",
}

# Province abbreviation + city letter -> statistics code of the city (or county-level city).
CITIES = {
    # Shandong. S was 莱芜, part of 济南 since 2019; U, V and Y are the supplementary letters
    # of 青岛, 潍坊 and 烟台.
    "鲁A": "3701",
    "鲁B": "3702",
    "鲁C": "3703",
    "鲁D": "3704",
    "鲁E": "3705",
    "鲁F": "3706",
    "鲁G": "3707",
    "鲁H": "3708",
    "鲁J": "3709",
    "鲁K": "3710",
    "鲁L": "3711",
    "鲁M": "3716",
    "鲁N": "3714",
    "鲁P": "3715",
    "鲁Q": "3713",
    "鲁R": "3717",
    "鲁S": "3701",
    "鲁U": "3702",
    "鲁V": "3707",
    "鲁Y": "3706",
    # Hubei.
    "鄂A": "4201",
    "鄂B": "4202",
    "鄂C": "4203",
    "鄂D": "4210",
    "鄂E": "4205",
    "鄂F": "4206",
    "鄂G": "4207",
    "鄂H": "4208",
    "鄂J": "4211",
    "鄂K": "4209",
    "鄂L": "4212",
    "鄂M": "429004",
    "鄂N": "429005",
    "鄂P": "429021",
    "鄂Q": "4228",
    "鄂R": "429006",
    "鄂S": "4213",
}

_PROVINCE = "[" + "".join(PROVINCES) + "]"
# The serial never uses I or O (they read as 1 and 0).
_SERIAL = "[A-HJ-NP-Z0-9]"
_NEW_ENERGY = "[DFABCEGHJK]"
PATTERNS = (
    # Ordinary: five characters, the last may be 挂 (trailer), 学 (driving school), 警
    # (police), 港/澳 (cross-border).
    re.compile(rf"^{_PROVINCE}[A-Z]{_SERIAL}{{4}}[A-HJ-NP-Z0-9挂学警港澳]$"),
    # New energy, small cars: D/F (or the newer letters) first, then five.
    re.compile(rf"^{_PROVINCE}[A-Z]{_NEW_ENERGY}{_SERIAL}[0-9]{{4}}$"),
    # New energy, large vehicles: five digits, then D/F.
    re.compile(rf"^{_PROVINCE}[A-Z][0-9]{{5}}{_NEW_ENERGY}$"),
)
_NOISE = re.compile(r"[\s·•\-_.。]+")
_FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ",
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
)


class Plate(NamedTuple):
    number: str
    # Statistics code of the city when known, else of the province.
    region_code: str
    region_name: str
    new_energy: bool


def normalize(value: str) -> str:
    """鲁c·12345 typed any way -> 鲁C12345."""
    value = _NOISE.sub("", (value or "").strip())
    return value.translate(_FULL_WIDTH).upper()


def parse_plate(value: str) -> Plate:
    """Validate a plate number; raises ValidationError with a message for the user."""
    number = normalize(value)
    if not number:
        raise ValidationError(_("Enter the plate number"), code="plate_required")
    if number[0] not in PROVINCES:
        raise ValidationError(
            _("A plate starts with a province's character, such as 鲁"), code="plate_province"
        )
    if not any(pattern.match(number) for pattern in PATTERNS):
        raise ValidationError(
            _("Enter a plate such as 鲁C12345, or 鲁CD12345 for a new-energy car"),
            code="plate_format",
        )
    code, name = plate_region(number)
    return Plate(number=number, region_code=code, region_name=name, new_energy=len(number) == 8)


def plate_region(value: str) -> tuple[str, str]:
    """("3703", "山东省淄博市") for 鲁C…; the province alone when its city table is unknown;
    ("", "") when not even the province is."""
    number = normalize(value)
    if not number or number[0] not in PROVINCES:
        return "", ""
    code = CITIES.get(number[:2]) or PROVINCES[number[0]]
    return code, region_label(code)
