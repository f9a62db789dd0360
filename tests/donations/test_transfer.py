"""Import of donation ledgers (good and bad rows), its template and commands, and the
exports of donations and donors with the phone masked unless the user may reveal it."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from python_calamine import CalamineWorkbook

from fangkong.core.models import AccessLog, ExportJob, JobStatus
from fangkong.core.services import Origin
from fangkong.core.transfer import registry
from fangkong.core.transfer.imports import import_workbook
from fangkong.donations.models import Donation, DonationLine, Donor
from tests.donations import helpers
from tests.transfer.workbooks import read

HEADERS = [
    "捐赠方",
    "捐赠方类型",
    "统一社会信用代码",
    "联系人",
    "联系电话",
    "是否匿名",
    "同意公开姓名",
    "接收单位区划代码",
    "捐赠日期",
    "捐款金额（元）",
    "捐赠渠道",
    "定向用途",
    "物资名称",
    "规格",
    "数量",
    "估值（元）",
    "备注",
]


def workbook(rows, headers=HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(data, user):
    return import_workbook(
        registry.importer("donations"),
        io.BytesIO(data),
        actor=user,
        scope=user.scope,
        origin=Origin(ip_address="10.0.0.1", user_agent="test"),
        label="donations.xlsx",
    )


def row(
    donor="齐鲁石化",
    kind="企业",
    *,
    code="",
    contact="",
    phone="",
    anonymous="",
    consent="",
    area="",
    day=None,
    amount="",
    channel="",
    purpose="",
    item="",
    spec="",
    quantity="",
    value="",
    note="",
):
    day = day or helpers.today().isoformat()
    return [
        donor,
        kind,
        code,
        contact,
        phone,
        anonymous,
        consent,
        area,
        day,
        amount,
        channel,
        purpose,
        item,
        spec,
        quantity,
        value,
        note,
    ]


def test_it_imports_a_ledger_grouping_lines_into_donations(tree, staff, items):
    rows = [
        row(
            code=helpers.CREDIT,
            contact="王经理",
            phone="13905330001",
            amount="100000",
            channel="银行转账",
            item="医用外科口罩",
            quantity="5000",
            value="7500",
        ),
        row(code=helpers.CREDIT, item="医用酒精", quantity="20.5", value="410"),
        row(
            "张三丰", "个人", phone="13805330002", amount="500", channel="微信", purpose="慰问医护"
        ),
        row("李四", "个人", consent="是", area=tree.town.code, item="大米", quantity="30"),
        row("王五", "个人", anonymous="是", amount="1,000", channel="支付宝"),
    ]
    result = run(workbook(rows), staff.district)
    assert result.ok, result.errors
    assert result.created == 4
    firm = Donation.objects.get(donor__name="齐鲁石化")
    assert firm.amount == 100000 and firm.goods_lines == 2 and firm.goods_value == 7910
    assert firm.donor.credit_code == helpers.CREDIT and firm.donor.phone_masked == "139****0001"
    person = Donation.objects.get(donor__name="张三丰")
    assert person.designation == "designated" and person.purpose == "慰问医护"
    assert not person.donor.disclose_name
    rice = Donation.objects.get(donor__name="李四")
    assert rice.area_id == tree.town.code and rice.donor.disclose_name
    assert Donor.objects.get(name="王五").anonymous
    assert AccessLog.objects.filter(action="import", target_type="donation").count() == 1
    # A second file finds the donors already registered.
    again = run(workbook([row(code=helpers.CREDIT, amount="1", channel="现金")]), staff.district)
    assert again.ok and Donor.objects.filter(name="齐鲁石化").count() == 1


def test_it_reports_every_bad_row_by_number_and_column_and_writes_nothing(tree, staff, items):
    future = (helpers.today() + datetime.timedelta(days=2)).isoformat()
    rows = [
        row(item="口罩王", quantity="10"),  # 2: unknown item
        row("甲", "个人", code=helpers.CREDIT, amount="5", channel="现金"),  # 3: credit code
        row("乙", "企业", code="91370305MA3C000010", amount="5", channel="现金"),  # 4
        row("丙", "外星人", amount="5", channel="现金"),  # 5: kind
        row("丁", "个人", day=future, amount="5", channel="现金"),  # 6: future
        row("戊", "个人", amount="-5", channel="现金"),  # 7: negative
        row("己", "个人", item="医用外科口罩", quantity="1.5"),  # 8: fraction of a countable
        row("庚", "个人", amount="5"),  # 9: no channel
        row("辛", "个人"),  # 10: neither money nor goods
        row("壬", "个人", phone="12345", amount="5", channel="现金"),  # 11: phone
        row("癸", "个人", area=tree.other_county.code, amount="5", channel="现金"),  # 12
        row("子", "个人", amount="5", channel="现金"),  # 13
        row("子", "个人", amount="6", channel="现金"),  # 14: second amount of one donation
    ]
    result = run(workbook(rows), staff.district)
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (2, "物资名称"),
        (3, "统一社会信用代码"),
        (4, "统一社会信用代码"),
        (5, "捐赠方类型"),
        (6, "捐赠日期"),
        (7, "捐款金额（元）"),
        (8, "数量"),
        (9, "捐赠渠道"),
        (10, "捐款金额（元）"),
        (11, "联系电话"),
        (12, "接收单位区划代码"),
        (14, "捐款金额（元）"),
    }
    unknown = next(e for e in result.errors if e.row == 2)
    assert "口罩王" in unknown.message
    assert "13" in next(e for e in result.errors if e.row == 14).message
    assert not Donation.objects.exists() and not Donor.objects.exists()
    assert not DonationLine.objects.exists()


def test_it_offers_a_template_and_imports_from_the_command_line(tree, staff, items, tmp_path):
    template = tmp_path / "template.xlsx"
    call_command("template", "donations", "-o", str(template), stdout=io.StringIO())
    book = CalamineWorkbook.from_path(str(template))
    header = book.get_sheet_by_name(book.sheet_names[0]).to_python()[0]
    assert header[:3] == ["捐赠方*", "捐赠方类型*", "统一社会信用代码"]
    # The template itself, filled in, imports.
    filled = openpyxl.load_workbook(template)
    filled.worksheets[0].append(row(amount="88", channel="现金"))
    source = tmp_path / "ledger.xlsx"
    filled.save(source)
    call_command("import", "donations", str(source), "--user", "supplies", stdout=io.StringIO())
    assert Donation.objects.get().amount == 88


@pytest.fixture
def export(django_capture_on_commit_callbacks):
    def run(client, kind, query="", *, unmasked=False):
        url = reverse("transfer:export", kwargs={"kind": kind}) + query
        assert client.get(url).status_code == 200
        data = {"confirm": "True", **({"unmasked": "True"} if unmasked else {})}
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, data)
        job = ExportJob.objects.latest("pk")
        assert job.status == JobStatus.DONE
        download = client.get(reverse("transfer:export_download", kwargs={"pk": job.pk}))
        return read(b"".join(download.streaming_content))

    return run


def test_it_exports_donors_with_the_phone_masked_unless_revealing(
    client_for, users, tree, staff, items, export
):
    helpers.donation(staff.district, tree.county, helpers.person(staff.district), amount=5)
    rows = export(client_for(staff.district), "donors")
    text = str(rows)
    assert "138****0002" in text and "13805330002" not in text
    rows = export(client_for(users.command), "donors", unmasked=True)
    # The command may reveal personal data, and the access log says so.
    assert "13805330002" in str(rows)
    assert AccessLog.objects.filter(action="export", target_type="donor").count() >= 1


def test_it_exports_the_donations_of_the_list(client_for, tree, staff, items, export):
    donor = helpers.person(staff.district)
    helpers.donation(staff.district, tree.county, donor, amount=5)
    helpers.donation(staff.district, tree.county, helpers.enterprise(staff.district), amount=7)
    rows = export(client_for(staff.district), "donations", "?kind=individual")
    assert len(rows) == 2 and rows[1][3] == "张三丰" and rows[1][6] == "张**"
