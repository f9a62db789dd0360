import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from fangkong.core.idcard import WEIGHTS, check_char, make_id_number, parse_id_number

VALID = make_id_number("370305", datetime.date(1985, 6, 15), 123)


def test_it_decodes_birth_sex_and_region():
    info = parse_id_number(VALID)
    assert info.birth_date == datetime.date(1985, 6, 15)
    assert info.region_code == "370305"
    assert info.sex == "M"  # order code 123 is odd


def test_it_accepts_lower_case_x_and_spaces():
    number = make_id_number("110101", datetime.date(1990, 1, 1), 2)
    if number[-1] != "X":
        number = next(
            n
            for seq in range(1000)
            if (n := make_id_number("110101", datetime.date(1990, 1, 1), seq))[-1] == "X"
        )
    assert parse_id_number(" " + number.lower() + " ").number == number


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (VALID[:-1] + ("0" if VALID[-1] != "0" else "1"), "id_checksum"),
        (VALID[:17], "id_length"),
        (VALID + "1", "id_length"),
        ("", "id_length"),
        ("37030519850615A23X", "id_chars"),
        ("990305198506151234", "id_region"),
    ],
)
def test_it_rejects(value, code):
    with pytest.raises(ValidationError) as exc:
        parse_id_number(value)
    assert exc.value.code == code


@pytest.mark.parametrize("birth", ["19850230", "19851301", "18991231"])
def test_it_rejects_impossible_birth_dates(birth):
    first17 = "370305" + birth + "123"
    with pytest.raises(ValidationError) as exc:
        parse_id_number(first17 + check_char(first17))
    assert exc.value.code == "id_birth"


def test_it_rejects_a_birth_date_in_the_future():
    first17 = "370305" + "20991231" + "123"
    with pytest.raises(ValidationError) as exc:
        parse_id_number(first17 + check_char(first17), today=datetime.date(2020, 1, 1))
    assert exc.value.code == "id_birth"


@given(
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 1, 1)),
    st.integers(min_value=0, max_value=999),
)
def test_it_round_trips_every_generated_number(birth, seq):
    info = parse_id_number(make_id_number("370305", birth, seq))
    assert info.birth_date == birth
    assert info.sex == ("M" if seq % 2 else "F")


@given(st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_it_detects_any_single_digit_change(position, delta):
    number = list(VALID)
    number[position] = str((int(number[position]) + delta) % 10)
    with pytest.raises(ValidationError):
        parse_id_number("".join(number))


def test_it_reads_full_width_digits_as_the_same_number():
    full_width = VALID.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert parse_id_number(full_width).number == VALID


@pytest.mark.parametrize("digit", ["²", "١", "𝟓"])
def test_it_refuses_other_unicode_digits(digit):
    with pytest.raises(ValidationError) as exc:
        parse_id_number(VALID[:10] + digit + VALID[11:])
    assert exc.value.code == "id_chars"


def test_today_bounds_the_birth_date():
    number = make_id_number("370305", datetime.date(2020, 3, 2), 1)
    parse_id_number(number, today=datetime.date(2020, 3, 2))
    with pytest.raises(ValidationError):
        parse_id_number(number, today=datetime.date(2020, 3, 1))


@given(st.from_regex(r"[0-9]{17}", fullmatch=True))
def test_the_check_character_is_the_weighted_sum_of_the_standard(first17):
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    assert check_char(first17) == "10X98765432"[total % 11]


@pytest.mark.parametrize("first17", ["1234567890123456", "1234567890123456a", "+1234567890123456"])
def test_the_check_character_needs_17_digits(first17):
    with pytest.raises(ValueError):
        check_char(first17)


def test_it_accepts_the_example_of_the_standard():
    info = parse_id_number("11010519491231002X")
    assert (info.region_code, info.birth_date, info.sex) == (
        "110105",
        datetime.date(1949, 12, 31),
        "F",
    )
