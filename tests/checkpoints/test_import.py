"""fangkong import checkpoint-registrations FILE.xlsx, the web import, and the template."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from fangkong.checkpoints.models import Registration, VehicleCheck
from fangkong.checkpoints.transfer import RegistrationImporter
from fangkong.core.models import AccessLog, ImportJob
from fangkong.ledger.models import Outbound, Push
from fangkong.monitoring.models import Alert
from fangkong.people.services import person_reveal_value
from tests import factories
from tests.transfer.workbooks import read, upload, workbook

HEADERS = [column.header for column in RegistrationImporter.columns]


def row(name="李四", **values):
    data = {
        "日期时间": "2020-02-03 14:25",
        "卡口": "辛店收费站卡口",
        "车牌号": "鲁C12345",
        "姓名": name,
        "身份证号": factories.id_number("420106"),
        "手机号": "13912345678",
        "来自": "湖北省武汉市",
        "体温": "36.5",
        "去往": "370305003001001",
        "处置结果": "放行",
    }
    data.update(values)
    return data


@pytest.fixture
def xlsx(tmp_path):
    def write(rows, headers=HEADERS):
        path = tmp_path / "卡口登记.xlsx"
        path.write_bytes(workbook(rows, headers))
        return path

    return write


def test_it_imports_a_ledger_grouping_rows_into_vehicles(tree, users, checkpoint, xlsx, capsys):
    known = factories.person(tree.grid, "王五")
    path = xlsx(
        [
            row("甲", 驾驶员="是"),
            row("乙", 体温="38.2", 处置结果="移交发热门诊"),
            row("王五", 身份证号=person_reveal_value(known, "id_number"), 去往="太公社区第1网格"),
            row("丙", 车牌号="鲁C54321", 处置结果="劝返", 去往=""),
            row("丁", 车牌号="", 去往="山东省淄博市张店区"),
            row("戊", 日期时间="2020-02-03 02:10", 车牌号="鲁CD12345"),
        ]
    )
    call_command("import", "checkpoint-registrations", str(path), "--user", "town")
    assert "imported 6" in capsys.readouterr().out
    vehicles = {v.plate: v for v in VehicleCheck.objects.all()}
    assert len(vehicles) == 4
    car = vehicles["鲁C12345"]
    assert car.occupants.count() == 3 and car.shift.name == "白班"
    assert car.occupants.get(name="甲").is_driver
    assert vehicles["鲁C54321"].turned_back
    night = vehicles["鲁CD12345"]
    assert night.shift.name == "夜班" and str(night.duty_date) == "2020-02-02"
    assert Registration.objects.get(name="王五").person_id == known.pk
    assert Registration.objects.get(name="王五").destination_area_id == tree.grid.code
    assert Registration.objects.get(name="丁").destination_address == "山东省淄博市张店区"
    assert Registration.objects.get(name="乙").outcome == "fever_referral"
    # Historical rows: no pushes, alerts or outbound notices.
    assert not Push.objects.exists() and not Alert.objects.exists()
    assert not Outbound.objects.exists() and not Registration.objects.filter(pushed=True).exists()
    assert AccessLog.objects.get(action="import").row_count == 6


def test_it_reports_bad_rows_by_row_and_column_and_writes_nothing(
    tree, users, checkpoint, xlsx, capsys
):
    path = xlsx(
        [
            row("好"),
            row("坏温", 体温="45"),
            row("坏号", 身份证号="420106198001010011"),
            row("坏牌", 车牌号="鲁C1"),
            row("坏卡口", 卡口="不存在"),
            row("坏去向", 去往="370302001001"),
            row("坏时", 日期时间="昨天"),
            row("坏果", 处置结果="放走"),
        ]
    )
    with pytest.raises(CommandError):
        call_command("import", "checkpoint-registrations", str(path), "--user", "town")
    err = capsys.readouterr().err
    for number, header in [
        (3, "体温"),
        (4, "身份证号"),
        (5, "车牌号"),
        (6, "卡口"),
        (7, "去往"),
        (8, "日期时间"),
        (9, "处置结果"),
    ]:
        assert f"row {number}\t{header}\t" in err, (number, header, err)
    assert "row 2\t" not in err
    assert not VehicleCheck.objects.exists() and not Registration.objects.exists()


def test_it_refuses_a_vehicle_imported_twice(tree, users, checkpoint, xlsx):
    call_command("import", "checkpoint-registrations", str(xlsx([row()])), "--user", "town")
    with pytest.raises(CommandError):
        call_command("import", "checkpoint-registrations", str(xlsx([row()])), "--user", "town")
    assert VehicleCheck.objects.count() == 1


def test_it_only_knows_checkpoints_of_the_importers_scope(tree, users, checkpoint, xlsx):
    with pytest.raises(CommandError):
        call_command(
            "import", "checkpoint-registrations", str(xlsx([row()])), "--user", "other_town"
        )
    assert not VehicleCheck.objects.exists()


def test_the_web_import_and_the_template(tree, users, checkpoint, client_for):
    client = client_for(users.town)
    template = client.get(reverse("transfer:template", args=["checkpoint-registrations"]))
    assert template.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    assert [c.value.rstrip("*") for c in book.worksheets[0][1]] == HEADERS
    response = client.post(
        reverse("transfer:import", args=["checkpoint-registrations"]),
        {"file": upload(workbook([row("甲"), row("乙")], HEADERS), "卡口.xlsx")},
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.status, job.created_rows) == ("done", 2)
    assert VehicleCheck.objects.get().recorded_by == users.town


@pytest.mark.parametrize("who", ["village", "grid", "command", "norole"])
def test_the_web_import_needs_the_import_permission(tree, users, checkpoint, client_for, who):
    client = client_for(getattr(users, who))
    response = client.post(
        reverse("transfer:import", args=["checkpoint-registrations"]),
        {"file": upload(workbook([row()], HEADERS), "卡口.xlsx")},
    )
    assert response.status_code == 404 and not VehicleCheck.objects.exists()


def test_the_template_command(tmp_path):
    path = tmp_path / "t.xlsx"
    call_command("template", "checkpoint-registrations", "-o", str(path))
    assert [h.rstrip("*") for h in read(path.read_bytes())[0]] == HEADERS
