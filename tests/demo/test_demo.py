import datetime
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from fangkong.accounts.models import User
from fangkong.accounts.roles import ROLES
from fangkong.core import pii
from fangkong.core.idcard import parse_id_number
from fangkong.core.models import Area
from fangkong.core.phone import normalize_phone
from fangkong.core.pinyin import search_key
from fangkong.demo.generator import Population, Village
from fangkong.demo.services import DEMO_PASSWORD, DemoError, demo_accounts, demo_load
from fangkong.people.models import Household, Person

TODAY = datetime.date(2020, 2, 10)
REFERENCE = datetime.date(2020, 1, 1)


@pytest.fixture
def demo(db):
    return demo_load(persons=300, seed=7, today=TODAY, loop=False)


def test_it_builds_the_district_with_grids(demo):
    district = Area.objects.within("370305")
    assert district.filter(level=Area.Level.TOWN).count() == 12
    villages = list(district.filter(level=Area.Level.VILLAGE))
    assert len(villages) == 473
    grids = Counter(district.filter(level=Area.Level.GRID).values_list("parent_id", flat=True))
    assert set(grids) == {v.code for v in villages}
    assert set(grids.values()) == {2, 3, 4}
    grid = Area.objects.get(code="370305003002001")
    assert (grid.parent_id, grid.name) == ("370305003002", "车站社区第1网格")
    assert demo.grids.created == sum(grids.values())


def test_it_generates_valid_unique_people_in_households(demo):
    persons = list(Person.objects.all())
    assert len(persons) == demo.persons == 300
    ids = []
    for person in persons:
        info = parse_id_number(pii.decrypt(person.id_number_encrypted), today=TODAY)
        assert (info.sex, info.birth_date, info.region_code) == (
            person.sex,
            person.birth_date,
            person.native_region,
        )
        assert 0 <= (REFERENCE - person.birth_date).days // 365 <= 96
        assert person.id_number_hash == pii.digest(info.number)
        assert person.id_number_masked == pii.mask_id_number(info.number)
        ids.append(info.number)
        if person.phone_encrypted:
            phone = pii.decrypt(person.phone_encrypted)
            assert normalize_phone(phone) == phone
            assert person.phone_hash == pii.digest(phone)
        assert person.name_pinyin == search_key(person.name)
        assert Area.objects.get(code=person.area_id).level == Area.Level.GRID
    assert len(set(ids)) == len(ids)
    phones = [p.phone_hash for p in persons if p.phone_hash]
    assert len(phones) > 200
    assert len(set(phones)) == len(phones)
    assert sum(i[:6] == "370305" for i in ids) > 200

    households = Household.objects.all()
    assert households.count() == demo.households
    for household in households.prefetch_related("members"):
        members = list(household.members.all())
        heads = [m for m in members if m.relation == "户主"]
        assert len(heads) == 1
        assert 1 <= len(members) <= 6
        assert household.head_name == heads[0].name
        assert {m.address for m in members} == {household.address}
        assert {m.area_id for m in members} == {household.area_id}


def test_it_refuses_a_second_load_unless_reset(demo):
    with pytest.raises(DemoError):
        demo_load(persons=10)
    assert Person.objects.count() == 300
    demo_load(persons=20, seed=1, reset=True, loop=False)
    assert Person.objects.count() == 20
    assert Person.history.count() == 0


def test_it_gives_every_role_one_account_with_its_scope(demo):
    by_role = {a.role: a for a in demo.accounts}
    assert set(by_role) == set(ROLES)
    village, grid = by_role["village_staff"].scope_code, by_role["grid_worker"].scope_code
    assert village.startswith("370305003") and len(village) == 12
    assert grid.startswith(village) and len(grid) == 15
    expected = {
        "command": "370305",
        "editor": "370305",
        "enterprise_specialist": "370305",
        "town_admin": "370305003",
        "checkpoint_staff": "370305107",
        "medical": "370305102",
        "volunteer": village,
        "resident": village,
    }
    expected.update({role: "370305" for role in ROLES if role.startswith("task_")})
    for role, code in expected.items():
        assert by_role[role].scope_code == code, role
    for account in demo.accounts:
        user = User.objects.get(username=account.username)
        assert user.scope_id == account.scope_code
        assert list(user.groups.values_list("name", flat=True)) == [account.role]
        assert user.full_name


def test_it_restores_the_accounts_when_run_again(demo):
    user = User.objects.get(username="town")
    user.scope_id = "370305001"
    user.set_password("something-else")
    user.save()
    accounts = demo_accounts()
    assert User.objects.count() == len(accounts) == len(ROLES)
    user.refresh_from_db()
    assert user.scope_id == "370305003"
    assert user.check_password(DEMO_PASSWORD)


def test_accounts_need_the_demo_areas(db):
    with pytest.raises(DemoError):
        demo_accounts()
    assert not User.objects.exists()


def test_the_command_refuses_a_second_load_without_reset(db):
    out = io.StringIO()
    call_command("demo", persons=30, no_serve=True, stdout=out)
    assert "command" in out.getvalue() and DEMO_PASSWORD in out.getvalue()
    with pytest.raises(CommandError):
        call_command("demo", persons=30, no_serve=True, stdout=io.StringIO())
    call_command("demo", persons=40, reset=True, no_serve=True, stdout=io.StringIO())
    assert Person.objects.count() == 40


def test_the_population_is_deterministic_and_families_fit():
    village = Village("370305003002", "车站社区居委会", "辛店街道", ("370305003002001",))

    def people(seed):
        homes = Population(seed=seed, reference=REFERENCE).homes(village, 1200)
        return [(h, m) for h in homes for m in h.members]

    first = people(5)
    assert [m.id_number for _h, m in first] == [m.id_number for _h, m in people(5)]
    assert [m.id_number for _h, m in first] != [m.id_number for _h, m in people(6)]
    assert len({h.address for h, _m in first}) == len({id(h) for h, _m in first})

    for home, member in first:
        head = home.head
        younger = (member.birth_date - head.birth_date).days / 365.25
        if member.relation in ("子", "女"):
            assert younger >= 18
            assert member.name[0] in {
                m.name[0] for m in home.members if m.relation in ("户主", "配偶")
            }
        elif member.relation in ("父亲", "母亲"):
            assert younger <= -20
        elif member.relation.endswith(("孙子", "孙女")):
            assert younger >= 40
        elif member.relation == "配偶":
            assert member.sex != head.sex and abs(younger) <= 6
    ages = [(REFERENCE - m.birth_date).days // 365 for _h, m in first]
    assert min(ages) < 10 and max(ages) > 70


def test_it_loads_a_live_loop_through_the_services(db):
    from fangkong.checkpoints.models import Checkpoint, Registration
    from fangkong.ledger.models import KeyPerson, Push
    from fangkong.monitoring.models import HealthLog

    summary = demo_load(persons=600, seed=3).loop
    assert Checkpoint.objects.count() == summary.checkpoints == 8
    assert Registration.objects.count() == summary.registrations > summary.vehicles > 100
    states = Counter(Push.objects.values_list("state", flat=True))
    # Today's pushes wait for their villages; older ones were received or answered.
    assert states["pending"] > 0 and states["received"] > 0
    assert set(states) <= {"pending", "received", "answered"}
    assert KeyPerson.objects.filter(state="managed").exists()
    assert HealthLog.objects.count() == summary.health_logs > 0
    # Every received push is one ledger entry.
    assert KeyPerson.objects.filter(push__isnull=False).count() == states["received"]
    # The command layer: two weeks of reports for the dashboard's range, briefings to browse.
    from fangkong.briefings.models import Briefing
    from fangkong.reporting.models import DailyReport

    assert DailyReport.objects.dates("date", "day").count() == 14
    assert sorted(Briefing.objects.values_list("state", flat=True)) == [
        "draft",
        "published",
        "published",
    ]
    # A reset empties the loop with the persons it refers to.
    demo_load(persons=10, seed=1, reset=True, loop=False)
    assert not Push.objects.exists() and not Checkpoint.objects.exists()
    assert not Briefing.objects.exists() and not DailyReport.objects.exists()
