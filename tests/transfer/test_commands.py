"""The command-line twins: fangkong import / template / export."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError

from fangkong.core import pii
from fangkong.core.models import AccessLog, Area
from fangkong.people.models import Person
from tests import factories
from tests.transfer.workbooks import person_row, read, workbook


@pytest.fixture
def xlsx(tmp_path):
    def write(rows, name="persons.xlsx", **kwargs):
        path = tmp_path / name
        path.write_bytes(workbook(rows, **kwargs))
        return path

    return write


def test_it_imports_into_part_of_the_users_scope(tree, users, xlsx, capsys):
    path = xlsx([person_row(tree.grid, "甲"), person_row(tree.village, "乙")])
    call_command("import", "persons", str(path), "--user", "town", "--scope", tree.village.code)
    assert "imported 2 persons" in capsys.readouterr().out
    assert Person.objects.filter(created_by=users.town).count() == 2
    log = AccessLog.objects.get(action="import")
    assert (log.actor, log.area_id, log.user_agent) == (
        users.town,
        tree.village.code,
        "fangkong command line",
    )


def test_a_narrower_scope_refuses_rows_outside_it(tree, users, xlsx):
    path = xlsx([person_row(tree.grid), person_row(tree.village2)])
    with pytest.raises(CommandError):
        call_command("import", "persons", str(path), "--user", "town", "--scope", tree.village.code)
    assert not Person.objects.exists()


def test_it_imports_as_a_user_in_their_scope(tree, users, xlsx):
    call_command("import", "persons", str(xlsx([person_row(tree.grid)])), "--user", "village")
    person = Person.objects.get()
    assert person.created_by == users.village
    assert person.history.get().history_user == users.village


def test_it_lists_errors_saves_the_error_sheet_and_writes_nothing(tree, users, xlsx, capsys):
    path = xlsx([person_row(tree.grid), person_row(tree.other_grid, phone="abc")])
    with pytest.raises(CommandError) as caught:
        call_command("import", "persons", str(path), "--user", "town")
    err = capsys.readouterr().err
    assert "row 3\t手机号\t" in err and "row 3\t所属区划代码\t" in err
    sheet = path.with_name("persons-errors.xlsx")
    assert str(sheet) in str(caught.value)
    assert [(r[0], r[1]) for r in read(sheet.read_bytes())[1:]] == [
        (3, "手机号"),
        (3, "所属区划代码"),
    ]
    assert not Person.objects.exists()


def test_the_exit_status_is_non_zero_on_errors(tree, users, xlsx, monkeypatch):
    from fangkong.cli import main

    # The command closes the connections on exit, which would close the test's own.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    path = xlsx([person_row(tree.grid, id_number="1")])
    with pytest.raises(SystemExit) as caught:
        main(["fangkong", "import", "persons", str(path), "--user", "town"])
    assert caught.value.code == 1
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["persons", "MISSING"], "is not a file"),
        (["nothing", "x.xlsx", "--user", "town"], "no import"),
        (["persons", "FILE", "--scope", "999"], "unknown area"),
        (["persons", "FILE", "--user", "town", "--scope", "999"], "unknown area"),
        (["persons", "FILE", "--user", "grid"], "lacks the permission"),
        (["persons", "FILE", "--user", "town", "--scope", "370305001"], "outside the scope"),
        (["persons", "FILE", "--user", "ghost"], "no active user"),
    ],
)
def test_it_explains_bad_arguments(tree, users, xlsx, args, message):
    path = xlsx([person_row(tree.grid)])
    args = [str(path) if a == "FILE" else a for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("import", *args)
    assert not Person.objects.exists()


def test_without_a_user_it_imports_as_the_command_line_into_the_district(
    tree, xlsx, capsys, settings
):
    settings.FANGKONG_DISTRICT_CODE = "370305"
    path = xlsx([person_row(tree.grid, "甲"), person_row(tree.other_village, "乙")])
    call_command("import", "persons", str(path))
    assert "imported 2 persons into 370305 " in capsys.readouterr().out
    assert set(Person.objects.values_list("created_by", flat=True)) == {None}
    assert Person.objects.get(name="甲").history.get().history_user is None
    log = AccessLog.objects.get(action="import")
    assert (log.actor, log.area_id, log.row_count, log.user_agent) == (
        None,
        "370305",
        2,
        "fangkong command line",
    )
    assert log.actor_name


def test_without_a_user_the_scope_still_bounds_the_rows(tree, xlsx, settings):
    settings.FANGKONG_DISTRICT_CODE = "370305"
    path = xlsx([person_row(tree.grid), person_row(tree.far_village)])
    with pytest.raises(CommandError, match="1 errors"):
        call_command("import", "persons", str(path))
    with pytest.raises(CommandError, match="1 errors"):
        call_command("import", "persons", str(path), "--scope", tree.town.code)
    assert not Person.objects.exists()
    call_command("import", "persons", str(path), "--scope", "37")
    assert Person.objects.count() == 2
    assert AccessLog.objects.get(action="import").area_id == "37"


def test_without_a_user_or_district_the_tree_needs_one_root(tree, xlsx, settings):
    settings.FANGKONG_DISTRICT_CODE = "110101"
    call_command("import", "persons", str(xlsx([person_row(tree.far_village)])))
    assert AccessLog.objects.get(action="import").area_id == "37"
    factories.area("11", "北京市", Area.Level.PROVINCE)
    with pytest.raises(CommandError, match="--scope"):
        call_command("import", "persons", str(xlsx([person_row(tree.grid)])))
    assert Person.objects.count() == 1


def test_it_refuses_a_csv_renamed_to_xlsx(tree, users, tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_text("姓名,身份证号\n张三,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="ledger.xlsx"):
        call_command("import", "persons", str(path), "--user", "town")


def test_it_dispatches_areas_to_the_area_import(tree, tmp_path, monkeypatch):
    calls = []

    def fake(directory, *, under, stdout):
        calls.append((directory, under))
        from fangkong.core.areas import AreaImportResult

        return AreaImportResult(created=3)

    monkeypatch.setattr("fangkong.core.areas.areas_import", fake)
    call_command("import", "areas", str(tmp_path), "--under", "370305")
    assert calls == [(tmp_path, "370305")]


def test_it_writes_the_template(tmp_path):
    path = tmp_path / "t.xlsx"
    call_command("template", "persons", "-o", str(path))
    assert read(path.read_bytes())[0][0] == "姓名*"


def test_it_exports_part_of_a_scope_masked_or_unmasked(tree, users, tmp_path):
    inside = factories.person(tree.grid, "甲")
    factories.person(tree.other_village, "乙")
    path = tmp_path / "out.xlsx"
    call_command("export", "persons", "-o", str(path), "--user", "command", "--scope", "370305003")
    rows = read(path.read_bytes())
    assert [r[0] for r in rows[1:]] == ["甲"]
    assert rows[1][1] == inside.id_number_masked
    call_command("export", "persons", "-o", str(path), "--user", "town", "--unmasked")
    assert read(path.read_bytes())[1][1] == pii.decrypt(inside.id_number_encrypted)
    logs = AccessLog.objects.filter(action="export").order_by("id")
    assert [(log.actor, log.fields) for log in logs] == [
        (users.command, ""),
        (users.town, "id_number,phone"),
    ]


def test_without_a_user_it_exports_as_the_command_line(tree, tmp_path, capsys, settings):
    settings.FANGKONG_DISTRICT_CODE = "370305"
    inside = factories.person(tree.grid, "甲")
    factories.person(tree.other_village, "乙")
    factories.person(tree.far_village, "丙")
    path = tmp_path / "out.xlsx"
    call_command("export", "persons", "-o", str(path))
    assert "exported 2 persons of 370305 " in capsys.readouterr().out
    assert sorted(r[0] for r in read(path.read_bytes())[1:]) == ["乙", "甲"]
    call_command("export", "persons", "-o", str(path), "--scope", tree.town.code, "--unmasked")
    rows = read(path.read_bytes())
    assert [r[0] for r in rows[1:]] == ["甲"]
    assert rows[1][1] == pii.decrypt(inside.id_number_encrypted)
    logs = AccessLog.objects.filter(action="export").order_by("id")
    assert [(log.actor, log.area_id, log.row_count, log.fields) for log in logs] == [
        (None, "370305", 2, ""),
        (None, tree.town.code, 1, "id_number,phone"),
    ]
    assert all(log.actor_name for log in logs)


def test_it_exports_with_list_filters(tree, users, tmp_path):
    factories.person(tree.grid, "甲")
    factories.person(tree.village2, "乙")
    path = tmp_path / "out.xlsx"
    call_command(
        "export", "persons", "-o", str(path), "--user", "command", "--filter", "area=370305003002"
    )
    assert [r[0] for r in read(path.read_bytes())[1:]] == ["乙"]
    with pytest.raises(CommandError, match="filters"):
        call_command("export", "persons", "-o", str(path), "--user", "town", "--filter", "x=1")


def test_an_unmasked_export_needs_the_reveal_permission(tree, users, tmp_path):
    clerk = factories.user("clerk", tree.town)
    clerk.user_permissions.add(Permission.objects.get(codename="export_people"))
    out = str(tmp_path / "o.xlsx")
    with pytest.raises(CommandError, match="reveal"):
        call_command("export", "persons", "-o", out, "--user", "clerk", "--unmasked")
    with pytest.raises(CommandError, match="masked"):
        call_command("export", "users", "-o", out, "--user", "town", "--unmasked")
    assert not AccessLog.objects.exists()
