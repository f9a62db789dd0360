"""The persons import through the engine: every row checked, all or nothing."""

import io

import pytest

from fangkong.core import pii
from fangkong.core.idcard import make_id_number
from fangkong.core.models import AccessLog
from fangkong.core.pinyin import search_key
from fangkong.core.services import Origin
from fangkong.core.transfer import imports, registry
from fangkong.core.transfer.imports import VALIDATING, WRITING, import_workbook
from fangkong.core.transfer.reader import WorkbookError
from fangkong.people.models import Household, Person
from fangkong.people.transfer import PersonImporter
from tests import factories
from tests.transfer.workbooks import HEADERS, birth, person_row, workbook

GOOD = make_id_number("370305", birth(), 1)


def run(data, user, scope=None, **kwargs):
    return import_workbook(
        registry.importer("persons"),
        io.BytesIO(data),
        actor=user,
        scope=scope or user.scope,
        origin=Origin(ip_address="10.0.0.1", user_agent="test"),
        label="persons.xlsx",
        **kwargs,
    )


def where(result):
    return [(e.row, e.column) for e in result.errors]


def assert_nothing_written():
    assert not Person.objects.exists()
    assert not Household.objects.exists()
    assert not AccessLog.objects.filter(action="import").exists()


def test_it_imports_rows_encrypted_with_history_and_a_log_entry(tree, users):
    number = make_id_number("370305", birth(1985, 6, 1), 123)
    rows = [
        person_row(tree.grid, "张三", id_number=number, phone="13912345678", 职业="工人"),
        person_row(tree.village2, "李四", 手机号=""),
    ]
    result = run(workbook(rows), users.town)

    assert result.ok and result.created == 2 and result.total_rows == 2
    person = Person.objects.get(name="张三")
    assert person.area_id == tree.grid.code
    assert number not in person.id_number_encrypted
    assert pii.decrypt(person.id_number_encrypted) == number
    assert person.id_number_hash == pii.digest(number)
    assert person.id_number_masked == pii.mask_id_number(number)
    assert pii.decrypt(person.phone_encrypted) == "13912345678"
    assert (person.sex, person.birth_date, person.native_region) == (
        "M",
        birth(1985, 6, 1),
        "370305",
    )
    assert person.name_pinyin == "zhangsan zs"
    assert person.occupation == "工人"
    assert person.created_by == users.town
    history = person.history.get()
    assert history.history_type == "+" and history.history_user == users.town
    assert Person.objects.get(name="李四").phone_hash == ""
    log = AccessLog.objects.get(action="import")
    assert (log.actor, log.area_id, log.row_count) == (users.town, tree.town.code, 2)
    assert (log.target_type, log.ip_address) == ("person", "10.0.0.1")


def test_it_skips_blank_rows_and_numbers_rows_as_excel_does(tree, users):
    rows = [person_row(tree.grid, "甲"), person_row(tree.grid, "乙", 身份证号="1")]
    result = run(workbook(rows, title_rows=2, blank_after=(0,)), users.town)
    # Header on row 3, 甲 on row 4, a blank row 5, 乙 on row 6.
    assert where(result) == [(6, "身份证号")]
    assert result.total_rows == 2
    assert_nothing_written()


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(GOOD[:17] + ("1" if GOOD[17] != "1" else "2"), id="checksum"),
        pytest.param(make_id_number("370305", birth(), 1)[:17], id="length"),
        pytest.param("370305198502301234", id="impossible-birth-date"),
        pytest.param(make_id_number("370305", birth(), 1) + "1", id="too-long"),
    ],
)
def test_it_rejects_a_bad_id_number(tree, users, value):
    result = run(workbook([person_row(tree.grid, id_number=value)]), users.town)
    assert where(result) == [(2, "身份证号")]
    assert_nothing_written()


def test_it_rejects_a_phone_with_letters(tree, users):
    result = run(workbook([person_row(tree.grid, phone="138abc12345")]), users.town)
    assert where(result) == [(2, "手机号")]
    assert_nothing_written()


def test_it_reports_every_problem_of_every_row(tree, users):
    rows = [
        person_row(tree.grid, "", id_number="123", phone="x1"),
        person_row(tree.grid, "好人"),
        person_row(tree.other_village, "外人"),
    ]
    result = run(workbook(rows), users.town)
    assert where(result) == [
        (2, "姓名"),
        (2, "身份证号"),
        (2, "手机号"),
        (4, "所属区划代码"),
    ]
    assert_nothing_written()


def test_it_rejects_areas_outside_the_scope_unknown_or_above_villages(tree, users):
    rows = [
        person_row(tree.other_grid),
        person_row(tree.far_village),
        person_row("370305003999"),
        person_row(tree.town),
        person_row("37030500300A"),
    ]
    result = run(workbook(rows), users.town)
    assert where(result) == [(n, "所属区划代码") for n in range(2, 7)]
    assert_nothing_written()


def test_a_grid_worker_imports_only_into_the_grid(tree, users):
    users.grid.groups.add(*users.town.groups.all())
    rows = [person_row(tree.grid), person_row(tree.grid2)]
    result = run(workbook(rows), users.grid)
    assert where(result) == [(3, "所属区划代码")]


def test_it_rejects_an_id_number_twice_in_the_file(tree, users):
    number = factories.id_number()
    rows = [
        person_row(tree.grid, "甲", id_number=number),
        person_row(tree.grid, "乙"),
        person_row(tree.grid2, "丙", id_number=number.lower()),
    ]
    result = run(workbook(rows), users.town)
    assert where(result) == [(4, "身份证号")]
    assert "2" in result.errors[0].message
    assert_nothing_written()


def test_it_rejects_an_id_number_already_registered(tree, users):
    existing = factories.person(tree.other_village)
    number = pii.decrypt(existing.id_number_encrypted)
    result = run(workbook([person_row(tree.grid, id_number=number)]), users.town)
    assert where(result) == [(2, "身份证号")]
    assert Person.objects.count() == 1
    assert not AccessLog.objects.filter(action="import").exists()


def test_it_writes_nothing_when_the_database_changes_during_the_check(tree, users, monkeypatch):
    existing = factories.person(tree.grid)
    number = pii.decrypt(existing.id_number_encrypted)
    rows = [person_row(tree.grid, "新人"), person_row(tree.grid, id_number=number)]
    monkeypatch.setattr(PersonImporter, "check", _no_check)
    result = run(workbook(rows), users.town)
    assert where(result) == [(0, "")]
    assert list(Person.objects.all()) == [existing]
    assert not Person.history.filter(name="新人").exists()
    assert not AccessLog.objects.filter(action="import").exists()


def _no_check(self, run, rows):
    """Skips the duplicate check, as if the other person arrived after it."""


def test_it_reads_headers_in_any_order_with_stars_aliases_and_extra_columns(tree, users):
    headers = ["序号", "身份证号码", "所属区划代码*", " 姓 名 ", "联系电话"]
    row = ["1", factories.id_number(), tree.grid.code, "王五", "0533-7123456"]
    result = run(workbook([row], headers=headers), users.town)
    assert result.ok, result.errors
    person = Person.objects.get()
    assert person.name == "王五"
    assert pii.decrypt(person.phone_encrypted) == "05337123456"


def test_it_reads_numbers_typed_into_general_cells(tree, users):
    headers = ["姓名", "身份证号", "手机号", "所属区划代码"]
    row = ["赵六", factories.id_number(), 13912345678, int(tree.grid.code)]
    assert run(workbook([row], headers=headers), users.town).ok
    assert pii.decrypt(Person.objects.get().phone_encrypted) == "13912345678"


def test_it_refuses_an_id_number_excel_stored_as_a_number(tree, users):
    headers = ["姓名", "身份证号", "所属区划代码"]
    number = make_id_number("370305", birth(), 5)
    row = ["赵六", int(number[:17]) * 10, tree.grid.code]
    result = run(workbook([row], headers=headers), users.town)
    assert where(result) == [(2, "身份证号")]
    assert_nothing_written()


def test_it_checks_lengths(tree, users):
    result = run(workbook([person_row(tree.grid, "名" * 51, 住址="址" * 201)]), users.town)
    assert where(result) == [(2, "姓名"), (2, "住址")]


@pytest.mark.parametrize(
    ("headers", "missing"),
    [
        pytest.param([h for h in HEADERS if h != "身份证号"], "身份证号", id="missing"),
        pytest.param([h if h != "姓名" else "名字" for h in HEADERS], "姓名", id="renamed"),
    ],
)
def test_it_refuses_a_header_row_without_a_required_column(tree, users, headers, missing):
    with pytest.raises(WorkbookError) as caught:
        run(workbook([], headers=headers), users.town)
    assert missing in str(caught.value)
    assert_nothing_written()


def test_it_refuses_a_column_given_twice(tree, users):
    with pytest.raises(WorkbookError) as caught:
        run(workbook([], headers=[*HEADERS, "手机号码"]), users.town)
    assert "手机号" in str(caught.value)


def test_it_refuses_a_sheet_without_data_rows(tree, users):
    with pytest.raises(WorkbookError):
        run(workbook([], blank_after=()), users.town)
    with pytest.raises(WorkbookError):
        run(workbook([{}, {}]), users.town)
    assert_nothing_written()


def test_it_refuses_merged_cells_naming_the_range(tree, users):
    rows = [person_row(tree.grid), person_row(tree.grid)]
    with pytest.raises(WorkbookError) as caught:
        run(workbook(rows, merge="D2:D3"), users.town)
    assert "D2:D3" in str(caught.value)
    assert_nothing_written()


def test_it_reports_progress_while_checking_and_before_writing(tree, users, monkeypatch):
    monkeypatch.setattr(PersonImporter, "batch_size", 2)
    rows = [person_row(tree.grid, f"人{i}") for i in range(5)]
    seen = []
    result = run(workbook(rows), users.town, progress=lambda *a: seen.append(a))
    assert result.created == 5
    assert (VALIDATING, 2, 5) in seen
    assert seen[-1] == (WRITING, 0, 5)


def test_it_creates_households_with_their_head(tree, users):
    rows = [
        person_row(tree.grid, "子", 户号="A1", 与户主关系="子", 住址=""),
        person_row(tree.grid2, "父", 户号="A1", 与户主关系="户主", 住址="太公路1号"),
        person_row(tree.village2, "他", 户号="A1", 与户主关系="户主", 住址="乙烯路2号"),
        person_row(tree.grid, "单", 户号=""),
    ]
    result = run(workbook(rows), users.town)
    assert result.ok, result.errors
    first = Household.objects.get(area=tree.grid2)
    assert (first.number, first.head_name, first.address) == ("A1", "父", "太公路1号")
    assert set(first.members.values_list("name", flat=True)) == {"子", "父"}
    other = Household.objects.get(area=tree.village2)
    assert other.head_name == "他"
    assert Person.objects.get(name="单").household is None
    assert first.history.get().history_user == users.town


@pytest.mark.parametrize("by_number", [True, False], ids=["by-number", "whole-village"])
def test_it_joins_an_existing_household_without_changing_it(tree, users, monkeypatch, by_number):
    if not by_number:
        monkeypatch.setattr("fangkong.people.transfer.LOOKUP_CHUNK", 0)
    existing = factories.household(tree.grid, "老户主", number="B7", address="老地址")
    factories.household(tree.other_village, "外村", number="B7", address="外村地址")
    factories.household(tree.village2, "邻村", number="B8", address="邻村地址")
    rows = [person_row(tree.grid2, "新成员", 户号="B7", 与户主关系="户主", 住址="新地址")]
    assert run(workbook(rows), users.town).ok
    existing.refresh_from_db()
    assert Person.objects.get().household == existing
    assert (existing.head_name, existing.address) == ("老户主", "老地址")
    assert Household.objects.count() == 3


def test_it_needs_an_address_and_one_head_for_a_new_household(tree, users):
    rows = [
        person_row(tree.grid, "甲", 户号="C1", 与户主关系="户主", 住址=""),
        person_row(tree.grid, "乙", 户号="C1", 与户主关系="配偶", 住址=""),
        person_row(tree.grid, "丙", 户号="C2", 与户主关系="户主"),
        person_row(tree.grid, "丁", 户号="C2", 与户主关系="户主"),
    ]
    result = run(workbook(rows), users.town)
    assert where(result) == [(2, "住址"), (5, "与户主关系")]
    assert_nothing_written()


@pytest.fixture
def two_a_batch(monkeypatch):
    """`check` sees two rows at a time, so a file's households span batches."""
    monkeypatch.setattr(PersonImporter, "batch_size", 2)


def test_rows_of_a_household_in_several_batches_make_one_household(tree, users, two_a_batch):
    rows = [
        person_row(tree.grid, "甲", 户号="S1", 与户主关系="子", 住址=""),
        person_row(tree.grid, "乙", 户号="S2", 与户主关系="户主"),
        person_row(tree.grid, "丙", 户号=""),
        # S1's head, in the second batch, decides its address and head.
        person_row(tree.grid2, "丁", 户号="S1", 与户主关系="户主", 住址="太公路9号"),
        person_row(tree.grid, "戊", 户号="S2", 与户主关系="配偶"),
    ]
    result = run(workbook(rows), users.town)

    assert (result.ok, result.created, result.total_rows) == (True, 5, 5)
    assert Person.objects.count() == Person.history.count() == 5
    assert Household.objects.count() == Household.history.count() == 2
    first = Household.objects.get(number="S1")
    assert (first.area_id, first.head_name, first.address) == (tree.grid2.code, "丁", "太公路9号")
    assert set(first.members.values_list("name", flat=True)) == {"甲", "丁"}
    second = Household.objects.get(number="S2")
    assert set(second.members.values_list("name", flat=True)) == {"乙", "戊"}
    assert Person.objects.get(name="丙").household is None
    assert AccessLog.objects.get(action="import").row_count == 5


def test_it_writes_nothing_when_only_the_last_batch_has_an_error(tree, users, two_a_batch):
    rows = [person_row(tree.grid, f"人{i}", 户号="S1" if i < 2 else "") for i in range(4)]
    rows.append(person_row(tree.grid, "错", 身份证号="1"))
    result = run(workbook(rows), users.town)

    assert where(result) == [(6, "身份证号")]
    assert result.created == 0 and result.total_rows == 5
    assert_nothing_written()
    assert not Person.history.exists() and not Household.history.exists()


def test_it_reports_a_household_rule_broken_across_batches(tree, users, two_a_batch):
    rows = [
        person_row(tree.grid, "甲", 户号="S3", 与户主关系="户主", 住址=""),
        person_row(tree.grid, "乙", 户号="S4", 与户主关系="户主"),
        person_row(tree.grid, "丙", 户号="S4", 与户主关系="户主"),
        person_row(tree.grid, "丁", 户号="S3", 与户主关系="子", 住址=""),
    ]
    result = run(workbook(rows), users.town)
    assert where(result) == [(2, "住址"), (4, "与户主关系")]
    assert_nothing_written()


def test_it_joins_an_existing_household_named_in_a_later_batch(tree, users, two_a_batch):
    existing = factories.household(tree.grid, "老户主", number="B7", address="老地址")
    rows = [
        person_row(tree.grid, "甲"),
        person_row(tree.grid, "乙"),
        person_row(tree.grid2, "丙", 户号="B7", 与户主关系="子"),
    ]
    assert run(workbook(rows), users.town).ok
    assert Person.objects.get(name="丙").household == existing
    assert Household.objects.count() == 1


def test_it_refuses_a_file_with_too_many_rows(tree, users, monkeypatch):
    monkeypatch.setattr(PersonImporter, "max_rows", 2)
    rows = [person_row(tree.grid, f"人{i}") for i in range(3)]
    with pytest.raises(WorkbookError) as caught:
        run(workbook(rows), users.town)
    assert "3" in str(caught.value)
    assert_nothing_written()


@pytest.fixture
def in_workers(monkeypatch):
    """Prepare every file in 2 forked worker processes, 3 rows a chunk."""
    monkeypatch.setattr(imports, "parallel_workers", lambda importer, total: 2)
    monkeypatch.setattr(imports, "PARALLEL_CHUNK", 3)


def _mixed_rows(tree):
    number = factories.id_number(seq=7)
    return [
        person_row(tree.grid, "甲", id_number=number, 户号="H1", 与户主关系="户主"),
        person_row(tree.grid, "乙", phone="abc", 户号="H1"),
        person_row(tree.other_village, "丙"),
        person_row(tree.grid2, "丁", id_number=number),
        person_row(tree.grid, "", id_number="1"),
        person_row(tree.village2, "戊", 所属区划代码="37030500300A"),
        person_row(tree.grid, "己", 户号="H2"),
    ]


def test_worker_processes_report_what_this_process_reports(tree, users, in_workers):
    data = workbook(_mixed_rows(tree), blank_after=(1, 4))
    result = run(data, users.town)
    assert result.workers == 2
    with pytest.MonkeyPatch.context() as serial:
        serial.setattr(imports, "parallel_workers", lambda importer, total: 0)
        expected = run(data, users.town)
    assert expected.workers == 0
    assert result.errors == expected.errors
    assert result.total_rows == expected.total_rows == 7
    assert_nothing_written()


def test_worker_processes_prepare_what_is_written(tree, users, in_workers):
    rows = [person_row(tree.grid, f"人{i}", 户号="H9" if i < 3 else "") for i in range(8)]
    rows[0]["与户主关系"] = "户主"
    result = run(workbook(rows), users.town)
    assert (result.ok, result.created, result.workers) == (True, 8, 2)
    assert Person.objects.count() == 8
    person = Person.objects.get(name="人1")
    assert person.name_pinyin == search_key("人1")
    assert pii.decrypt(person.id_number_encrypted) == rows[1]["身份证号"]
    assert Household.objects.get().members.count() == 3


def test_only_large_files_of_willing_importers_go_to_workers(monkeypatch):
    importer = PersonImporter()
    monkeypatch.setattr(imports.os, "getloadavg", lambda: (0.2, 0.2, 0.2))
    monkeypatch.setattr(imports.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    # Earlier tests (a live server, the browser) may leave threads behind in this process.
    monkeypatch.setattr(imports.threading, "active_count", lambda: 1)
    assert imports.parallel_workers(importer, 100_000) == 2
    assert imports.parallel_workers(importer, imports.PARALLEL_MIN_ROWS - 1) == 0
    monkeypatch.setattr(PersonImporter, "parallel", False)
    assert imports.parallel_workers(importer, 100_000) == 0


def test_no_workers_on_a_busy_machine_one_cpu_or_beside_other_threads(monkeypatch):
    importer = PersonImporter()
    monkeypatch.setattr(imports.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(imports.os, "getloadavg", lambda: (1.8, 1.0, 1.0))
    assert imports.parallel_workers(importer, 100_000) == 0
    monkeypatch.setattr(imports.os, "getloadavg", lambda: (0.2, 0.2, 0.2))
    monkeypatch.setattr(imports.os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert imports.parallel_workers(importer, 100_000) == 0
    monkeypatch.setattr(imports.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(imports.threading, "active_count", lambda: 3)
    assert imports.parallel_workers(importer, 100_000) == 0


def test_a_large_import_refreshes_the_table_statistics(tree, users, monkeypatch):
    calls = []
    monkeypatch.setattr("fangkong.people.transfer.analyze", lambda *models: calls.append(models))
    assert run(workbook([person_row(tree.grid)]), users.town).ok
    assert calls == []
    monkeypatch.setattr("fangkong.people.transfer.ANALYZE_AFTER", 1)
    assert run(workbook([person_row(tree.grid2, "乙")]), users.town).ok
    assert calls == [(Person, Household)]
