import pytest
from django.urls import reverse

URL = reverse("checkpoints:destination_search")


def test_it_finds_villages_of_the_whole_district_by_pinyin(client_for, staff, tree):
    html = client_for(staff).get(URL, {"o0-destination_q": "yy", "i": "0"}).content.decode()
    # 晏婴社区 is in another town than the staff's: travellers go anywhere in the district.
    assert f'data-code="{tree.other_village.code}"' in html
    html = client_for(staff).get(URL, {"o0-destination_q": "tg"}).content.decode()
    assert f'data-code="{tree.grid.code}"' in html and f'data-code="{tree.town.code}"' not in html


def test_it_offers_nothing_outside_the_district(client_for, staff, tree):
    html = client_for(staff).get(URL, {"o0-destination_q": "xg"}).content.decode()
    assert tree.far_village.code not in html


@pytest.mark.parametrize("who", ["norole", "grid"])
def test_it_is_for_registering_staff_only(client_for, users, who):
    assert client_for(getattr(users, who)).get(URL, {"q": "tg"}).status_code == 404
