"""Builders for test data, kept as plain functions (no factory library)."""

import datetime
import itertools
from types import SimpleNamespace

from fangkong.accounts.services import roles_sync, user_create
from fangkong.core.idcard import make_id_number
from fangkong.core.models import Area
from fangkong.core.pinyin import pinyin_keys
from fangkong.people.models import Household, Person
from fangkong.people.services import household_create, person_create

PASSWORD = "Fk-test-2020!"
_sequence = itertools.count(1)


def area(code: str, name: str, level: int, parent: Area | None = None) -> Area:
    full, initials = pinyin_keys(name)
    obj, _ = Area.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "level": level,
            "parent": parent,
            "pinyin": full,
            "initials": initials,
        },
    )
    return obj


def area_tree() -> SimpleNamespace:
    # Data a migration seeds is gone after a transactional test flushed the database.
    from fangkong.ledger.defaults import categories_seed
    from fangkong.ledger.models import Category

    categories_seed(Category)
    L = Area.Level
    province = area("37", "山东省", L.PROVINCE)
    city = area("3703", "淄博市", L.CITY, province)
    county = area("370305", "临淄区", L.COUNTY, city)
    town = area("370305003", "辛店街道", L.TOWN, county)
    village = area("370305003001", "太公社区居民委员会", L.VILLAGE, town)
    village2 = area("370305003002", "乙烯社区居民委员会", L.VILLAGE, town)
    grid = area("370305003001001", "太公社区第1网格", L.GRID, village)
    grid2 = area("370305003001002", "太公社区第2网格", L.GRID, village)
    grid3 = area("370305003002001", "乙烯社区第1网格", L.GRID, village2)
    other_town = area("370305001", "闻韶街道", L.TOWN, county)
    other_village = area("370305001001", "晏婴社区居民委员会", L.VILLAGE, other_town)
    other_grid = area("370305001001001", "晏婴社区第1网格", L.GRID, other_village)
    other_county = area("370302", "淄川区", L.COUNTY, city)
    far_town = area("370302001", "般阳路街道", L.TOWN, other_county)
    far_village = area("370302001001", "西关社区居民委员会", L.VILLAGE, far_town)
    return SimpleNamespace(**locals())


def user(username: str, scope: Area, *roles: str, **extra):
    return user_create(
        actor=None,
        username=username,
        password=PASSWORD,
        scope=scope,
        roles=list(roles),
        full_name=extra.pop("full_name", username),
        **extra,
    )


def standard_users(tree) -> SimpleNamespace:
    roles_sync()
    return SimpleNamespace(
        command=user("command", tree.county, "command"),
        town=user("town", tree.town, "town_admin"),
        village=user("village", tree.village, "village_staff"),
        grid=user("grid", tree.grid, "grid_worker"),
        norole=user("norole", tree.town),
        other_town=user("other_town", tree.other_town, "town_admin"),
        outsider=user("outsider", tree.other_county, "command"),
    )


def id_number(region: str = "370305", birth: datetime.date | None = None, seq: int | None = None):
    birth = birth or datetime.date(1980, 1, 1) + datetime.timedelta(days=next(_sequence) % 9000)
    return make_id_number(region, birth, (seq if seq is not None else next(_sequence)) % 1000)


def person(area: Area, name: str = "张三", **fields) -> Person:
    fields.setdefault("id_number", id_number())
    fields.setdefault("phone", f"138{next(_sequence):08d}")
    return person_create(actor=None, area=area, name=name, **fields)


def household(area: Area, head_name: str = "张三", **fields) -> Household:
    fields.setdefault("address", f"{area.name}{next(_sequence)}号")
    return household_create(actor=None, area=area, head_name=head_name, **fields)


# Builders of the web UI's tests.


def persons(area: Area, count: int, **fields) -> list[Person]:
    return [person(area, f"居民{n}", **fields) for n in range(count)]


def access_log(actor, area: Area, action: str = "reveal", **fields):
    from fangkong.core.services import Origin, access_log_record

    fields.setdefault("target_type", "person")
    fields.setdefault("target_label", "张三")
    fields.setdefault("fields", "id_number" if action == "reveal" else "")
    return access_log_record(
        actor=actor,
        action=action,
        area=area,
        origin=fields.pop("origin", Origin(ip_address="10.0.0.1", user_agent="pytest")),
        **fields,
    )


def account_admin(scope: Area, username: str = "accounts_admin"):
    """A user who may manage accounts but holds no access to persons (grants little)."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name="accounts_only")
    group.permissions.set(
        Permission.objects.filter(
            codename__in=["view_user", "add_user", "change_user", "view_area"]
        )
    )
    admin = user(username, scope)
    admin.groups.add(group)
    return admin
