"""Import of existing key-person ledgers; exports of the ledger, open pushes and 协查."""

import datetime
import io

import pytest
from django.urls import reverse

from fangkong.core.services import Origin
from fangkong.core.transfer import registry
from fangkong.core.transfer.imports import import_workbook
from fangkong.ledger import services
from fangkong.ledger.models import KeyPerson
from fangkong.people.models import Person
from fangkong.people.services import person_reveal_value
from tests import factories
from tests.ledger import helpers
from tests.transfer.test_export_views import column, export  # noqa: F401
from tests.transfer.workbooks import workbook

HEADERS = [
    "姓名",
    "身份证号",
    "手机号",
    "所属区划代码",
    "类别",
    "管控措施",
    "开始日期",
    "来自",
    "备注",
]


def row(area, name="张三", **values):
    data = {
        "姓名": name,
        "身份证号": values.pop("id_number", None) or factories.id_number(),
        "手机号": "13800138000",
        "所属区划代码": area if isinstance(area, str) else area.code,
        "类别": "省外返乡",
        "管控措施": "",
        "开始日期": (datetime.date.today() - datetime.timedelta(days=3)).isoformat(),
        "来自": "北京市",
    }
    data.update(values)
    return data


def run(rows, user):
    return import_workbook(
        registry.importer("keypersons"),
        io.BytesIO(workbook(rows, HEADERS)),
        actor=user,
        scope=user.scope,
        origin=Origin(ip_address="10.0.0.1", user_agent="test"),
        label="台账.xlsx",
    )


def test_it_imports_rows_finding_or_registering_persons(users, tree):
    known = factories.person(tree.grid2, "李四")
    number = person_reveal_value(known, "id_number")
    result = run(
        [
            row(tree.grid, "张三", 管控措施="集中隔离医学观察"),
            row(tree.grid2, "李四", id_number=number, 类别="hubei"),
        ],
        users.village,
    )
    assert result.ok and result.created == 2, result.errors
    zhang = KeyPerson.objects.get(person__name="张三")
    assert zhang.measure == "central_isolation" and zhang.source == "import"
    assert zhang.category.code == "other_province" and zhang.origin == "北京市"
    li = KeyPerson.objects.get(person=known)
    assert li.category.code == "hubei" and li.measure == "home_isolation"
    assert Person.objects.count() == 2
    assert li.events.get().reason


def test_bad_rows_are_reported_and_nothing_written(users, tree):
    managed = helpers.key_person(tree.grid, "已在管")
    future = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    dup = factories.id_number()
    rows = [
        row(tree.grid, id_number="370305198001010000"),  # 2: checksum
        row(tree.grid, 类别="不存在"),  # 3
        row(tree.grid, 管控措施="随便"),  # 4
        row(tree.grid, 开始日期=future),  # 5
        row(tree.grid, 开始日期="明天"),  # 6
        row(tree.other_village),  # 7: outside the scope
        row(tree.grid, id_number=person_reveal_value(managed.person, "id_number")),  # 8
        row(tree.grid, id_number=dup),  # 9
        row(tree.grid, id_number=dup),  # 10: same file twice
        row(tree.grid, "好人"),  # 11: fine
    ]
    result = run(rows, users.village)
    assert not result.ok
    assert sorted({e.row for e in result.errors}) == [2, 3, 4, 5, 6, 7, 8, 10]
    assert {e.column for e in result.errors} >= {
        "身份证号",
        "类别",
        "管控措施",
        "开始日期",
        "所属区划代码",
    }
    assert KeyPerson.objects.count() == 1
    assert not Person.objects.filter(name="好人").exists()


def test_the_import_page_needs_the_permission(client_for, users):
    url = reverse("transfer:import", args=["keypersons"])
    assert client_for(users.village).get(url).status_code == 200
    for who in ("grid", "command", "norole"):
        assert client_for(getattr(users, who)).get(url).status_code == 404, who


def test_the_key_person_export_holds_the_scope_and_reimports(users, tree, export):  # noqa: F811
    helpers.key_person(tree.grid, "甲")
    helpers.key_person(tree.other_village, "乙")
    response, job, rows = export(users.town, "keypersons")
    assert job is not None and rows is not None
    assert column(rows, "姓名") == ["甲"]
    assert column(rows, "状态") == ["在管"]
    assert column(rows, "身份证号")[0].count("*") > 5
    response, job, rows = export(users.command, "keypersons", "state=lost")
    assert column(rows, "姓名") == []


def test_the_push_and_outbound_exports(users, tree, export):  # noqa: F811
    push = helpers.push(tree.grid, "推送人")
    services.push_answer(actor=users.village, push=push, answer="not_found", reason="无此人")
    helpers.push(tree.other_village, "别镇")
    helpers.outbound(tree.town, "外出人")
    _response, _job, rows = export(users.town, "pushes")
    assert column(rows, "姓名") == ["推送人"] and column(rows, "反馈") == ["查无此人"]
    _response, _job, rows = export(users.command, "outbound")
    assert column(rows, "姓名") == ["外出人"]
    response, job, _rows = export(users.village, "pushes")
    assert response.status_code == 404 and job is None


@pytest.mark.parametrize("kind", ["keypersons", "pushes", "outbound"])
def test_exports_are_refused_without_the_permission(users, export, kind):  # noqa: F811
    response, job, _rows = export(users.grid, kind)
    assert response.status_code == 404 and job is None
