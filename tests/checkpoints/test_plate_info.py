import pytest
from django.urls import reverse

URL = reverse("checkpoints:plate_info")


@pytest.mark.parametrize(
    ("plate", "region"),
    [("鲁C12345", "山东省淄博市"), ("鄂A·1234D", "湖北省武汉市"), ("京AD12345", "北京市")],
)
def test_it_names_the_region_of_a_plate(client_for, staff, plate, region):
    html = client_for(staff).get(URL, {"plate": plate}).content.decode()
    assert f'data-plate-region="{region}"' in html


def test_it_says_what_is_wrong_with_a_plate(client_for, staff):
    assert "data-plate-error" in client_for(staff).get(URL, {"plate": "鲁C12"}).content.decode()


def test_it_is_for_registering_staff_only(client_for, users):
    assert client_for(users.norole).get(URL, {"plate": "鲁C12345"}).status_code == 404
