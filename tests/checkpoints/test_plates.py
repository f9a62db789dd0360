import pytest
from django.core.exceptions import ValidationError

from fangkong.checkpoints.plates import PROVINCES, parse_plate, plate_region
from fangkong.checkpoints.regions import resolve_region


@pytest.mark.parametrize(
    ("typed", "number", "region"),
    [
        ("鲁C12345", "鲁C12345", "山东省淄博市"),
        ("鲁c·1234a", "鲁C1234A", "山东省淄博市"),
        ("鲁 A 12345", "鲁A12345", "山东省济南市"),
        ("鲁CD12345", "鲁CD12345", "山东省淄博市"),
        ("鲁C12345F", "鲁C12345F", "山东省淄博市"),
        ("鲁C1234学", "鲁C1234学", "山东省淄博市"),
        ("鲁Ｑ１２３４５", "鲁Q12345", "山东省临沂市"),
        ("鄂A12345", "鄂A12345", "湖北省武汉市"),
        ("粤B12345", "粤B12345", "广东省"),
        ("新A12345", "新A12345", "新疆维吾尔自治区"),
    ],
)
def test_it_reads_plates_and_where_they_are_from(typed, number, region):
    plate = parse_plate(typed)
    assert (plate.number, plate.region_name) == (number, region)


def test_it_knows_every_shandong_city_letter():
    for letter in "ABCDEFGHJKLMNPQRSUVY":
        code, name = plate_region(f"鲁{letter}12345")
        assert code.startswith("37") and len(code) == 4 and name.startswith("山东省"), letter


def test_it_knows_every_province():
    assert len(PROVINCES) == 31
    for char in PROVINCES:
        assert parse_plate(f"{char}A12345").region_name


@pytest.mark.parametrize(
    "typed", ["", "鲁C1234", "鲁C123456", "鲁CI2345", "鲁CO2345", "C12345", "使12345", "鲁1C2345"]
)
def test_it_refuses_malformed_plates(typed):
    with pytest.raises(ValidationError):
        parse_plate(typed)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("湖北省武汉市武昌区", "420106"),
        ("湖北武汉", "4201"),
        ("武汉市", "4201"),
        ("北京市朝阳区", "110105"),
        ("山东淄博临淄", "370305"),
        ("广西南宁", "4501"),
        ("上海", "31"),
        ("火星", ""),
    ],
)
def test_it_resolves_places_as_people_say_them(text, code):
    assert resolve_region(text) == code
