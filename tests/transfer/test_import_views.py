"""The import pages: upload, job progress, errors, and who may see what."""

import io

import openpyxl
import pytest
from django.urls import reverse

from fangkong.core import pii
from fangkong.core.models import AccessLog, ImportJob, JobStatus
from fangkong.people.models import Person
from tests.transfer.workbooks import HEADERS, person_row, read, upload, workbook

IMPORT_URL = reverse("transfer:import", args=["persons"])


def post(client, data, name="persons.xlsx"):
    return client.post(IMPORT_URL, {"file": upload(data, name)})


def test_it_imports_a_filled_template_end_to_end(tree, users, client_for):
    client = client_for(users.town)
    template = client.get(reverse("transfer:template", args=["persons"]))
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    sheet = book.worksheets[0]
    headers = [cell.value.rstrip("*") for cell in sheet[1]]
    assert headers == HEADERS
    for index, row in enumerate([person_row(tree.grid, "张三"), person_row(tree.village2, "李四")]):
        for column, header in enumerate(headers, start=1):
            sheet.cell(row=index + 2, column=column, value=row.get(header, ""))
    buffer = io.BytesIO()
    book.save(buffer)

    response = post(client, buffer.getvalue(), "村里的表.xlsx")

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("transfer:import_job", args=[job.pk])
    assert (job.status, job.created_rows, job.original_name) == ("done", 2, "村里的表.xlsx")
    assert not job.file, "the upload holding clear ID numbers is deleted"
    assert Person.objects.filter(area=tree.grid, name="张三").exists()
    assert Person.history.filter(history_user=users.town).count() == 2
    log = AccessLog.objects.get(action="import")
    assert (log.row_count, log.target_label, log.actor) == (2, "村里的表.xlsx", users.town)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'data-status="done"' in page.content.decode()


def test_it_shows_row_errors_and_serves_the_error_sheet(tree, users, client_for):
    client = client_for(users.town)
    rows = [person_row(tree.grid), person_row(tree.grid, phone="13x"), person_row(tree.other_grid)]
    response = post(client, workbook(rows))

    job = ImportJob.objects.get()
    assert (job.status, job.error_count) == (JobStatus.FAILED, 2)
    assert not Person.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert 'data-row="3" data-column="手机号"' in page
    assert 'data-row="4" data-column="所属区划代码"' in page
    sheet = client.get(reverse("transfer:import_errors", args=[job.pk]))
    assert sheet.status_code == 200
    values = read(b"".join(sheet.streaming_content))
    assert [(row[0], row[1]) for row in values[1:]] == [(3, "手机号"), (4, "所属区划代码")]
    assert all(row[2] for row in values[1:])
    assert pii.digest("13x") not in str(values)


def test_it_fails_the_job_on_a_bad_header_row(tree, users, client_for):
    client = client_for(users.town)
    post(client, workbook([person_row(tree.grid)], headers=HEADERS[:1] + HEADERS[2:]))
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert "身份证号" in job.message
    assert not job.error_file


@pytest.mark.parametrize(
    ("data", "name"),
    [
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.xlsx", id="xls"),
        pytest.param("姓名,身份证号\n张三,1\n".encode(), "renamed.xlsx", id="csv"),
        pytest.param(b"PK\x03\x04broken zip", "broken.xlsx", id="broken-zip"),
        pytest.param(b"", "empty.xlsx", id="empty"),
    ],
)
def test_it_refuses_files_that_are_not_xlsx_before_any_job(tree, users, client_for, data, name):
    response = post(client_for(users.town), data, name)
    assert response.status_code == 400
    assert 'data-field-error="file"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_it_refuses_an_oversized_upload_unread(tree, users, client_for, settings):
    settings.FANGKONG_MAX_UPLOAD_MB = 1
    data = workbook([person_row(tree.grid)]) + b"\0" * (1024 * 1024 + 100 * 1024)
    response = post(client_for(users.town), data)
    assert response.status_code == 413
    assert not ImportJob.objects.exists()


def test_it_refuses_an_oversized_file_within_the_slack(tree, users, client_for, settings):
    settings.FANGKONG_MAX_UPLOAD_MB = 1
    data = b"PK\x03\x04" + b"\0" * (1024 * 1024 + 10)
    response = post(client_for(users.town), data)
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_large_files_run_in_the_background(
    tree, users, client_for, settings, django_capture_on_commit_callbacks
):
    settings.FANGKONG_IMPORT_SYNC_MAX_ROWS = 1
    client = client_for(users.town)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post(client, workbook([person_row(tree.grid, "甲"), person_row(tree.grid, "乙")]))
    assert len(callbacks) == 1
    job = ImportJob.objects.get()
    assert (job.status, job.created_rows, job.total_rows) == ("done", 2, 2)


def test_the_job_page_polls_until_the_job_is_finished(tree, users, client_for):
    job = ImportJob.objects.create(
        kind="persons",
        area=tree.town,
        created_by=users.town,
        original_name="a.xlsx",
        status=JobStatus.RUNNING,
        phase="validating",
        total_rows=200,
        processed_rows=50,
    )
    client = client_for(users.town)
    url = reverse("transfer:import_job", args=[job.pk])
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert 'hx-trigger="every 1s"' in partial
    assert "25%" in partial
    job.status = JobStatus.DONE
    job.save()
    assert "hx-trigger" not in client.get(url, headers={"HX-Request": "true"}).content.decode()


def test_the_import_page_lists_only_my_jobs_in_few_queries(
    tree, users, client_for, django_assert_max_num_queries
):
    for user in (users.town, users.town, users.village, *[users.town] * 12):
        ImportJob.objects.create(
            kind="persons", area=user.scope, created_by=user, original_name=f"{user}.xlsx"
        )
    client = client_for(users.town)
    # Six for the page, one for the inbox badge every page carries.
    with django_assert_max_num_queries(7):
        response = client.get(IMPORT_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("town.xlsx") == 10 and "village.xlsx" not in page


PAGES = ["transfer:import", "transfer:template"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("who", "status"),
    [("town", 200), ("village", 200), ("grid", 404), ("norole", 404), ("outsider", 404)],
)
def test_import_pages_need_the_import_permission(tree, users, client_for, page, who, status):
    response = client_for(getattr(users, who)).get(reverse(page, args=["persons"]))
    assert response.status_code == status


@pytest.mark.parametrize("page", PAGES)
def test_import_pages_of_unknown_kinds_and_anonymous_users(tree, users, client, page):
    assert client.get(reverse(page, args=["persons"])).status_code == 302
    client.force_login(users.town)
    assert client.get(reverse(page, args=["nothing"])).status_code == 404
    assert client.get(reverse(page, args=["households"])).status_code == 404


def test_an_upload_without_permission_changes_nothing(tree, users, client_for):
    response = post(client_for(users.grid), workbook([person_row(tree.grid)]))
    assert response.status_code == 404
    assert not ImportJob.objects.exists() and not Person.objects.exists()


@pytest.mark.parametrize("who", ["village", "other_town", "outsider", "norole", "command"])
def test_jobs_are_visible_to_their_creator_only(tree, users, client_for, who):
    client = client_for(users.town)
    post(client, workbook([person_row(tree.grid, phone="bad")]))
    job = ImportJob.objects.get()
    urls = [
        reverse("transfer:import_job", args=[job.pk]),
        reverse("transfer:import_errors", args=[job.pk]),
    ]
    assert [client.get(url).status_code for url in urls] == [200, 200]
    other = client_for(getattr(users, who))
    assert [other.get(url).status_code for url in urls] == [404, 404]


def test_a_creator_who_lost_the_role_no_longer_sees_the_job(tree, users, client_for):
    client = client_for(users.town)
    post(client, workbook([person_row(tree.grid)]))
    job = ImportJob.objects.get()
    users.town.groups.clear()
    response = client_for(users.town).get(reverse("transfer:import_job", args=[job.pk]))
    assert response.status_code == 404
