"""Exports from the list pages: scoped and filtered like the list, masked unless revealed."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from fangkong.core import pii
from fangkong.core.models import AccessLog, ExportJob, JobStatus
from tests import factories
from tests.transfer.workbooks import read


@pytest.fixture
def export(client_for, django_capture_on_commit_callbacks):
    """Export as `user` the way the list's button does: open the export page (GET, with the
    list's filters), then submit its form. Returns (response, job, rows of the workbook)."""

    def start(user, kind="persons", query="", unmasked=False):
        client = client_for(user)
        url = reverse("transfer:export", args=[kind]) + (f"?{query}" if query else "")
        jobs = ExportJob.objects.count()
        page = client.get(url)
        assert ExportJob.objects.count() == jobs, "opening the page starts nothing"
        if page.status_code != 200:
            return page, None, None
        data = {"confirm": "True", **({"unmasked": "on"} if unmasked else {})}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        job = ExportJob.objects.order_by("-pk").first() if response.status_code == 302 else None
        rows = None
        if job is not None and job.status == JobStatus.DONE:
            download = client.get(reverse("transfer:export_download", args=[job.pk]))
            assert download.status_code == 200
            rows = read(b"".join(download.streaming_content))
        return response, job, rows

    return start


@pytest.fixture
def people(tree):
    return {
        "grid": factories.person(tree.grid, "张三", id_number=factories.id_number(seq=1)),
        "village2": factories.person(tree.village2, "李四", id_number=factories.id_number(seq=2)),
        "other": factories.person(tree.other_village, "王五"),
        "far": factories.person(tree.far_village, "赵六"),
    }


def column(rows, header):
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def test_a_town_export_holds_only_the_town_masked_and_logged(users, people, export):
    response, job, rows = export(users.town)

    assert response["Location"] == reverse("transfer:export_job", args=[job.pk])
    assert (job.status, job.total_rows, job.reveal) == ("done", 2, False)
    assert sorted(column(rows, "姓名")) == ["张三", "李四"]
    numbers = column(rows, "身份证号")
    assert numbers == [people["grid"].id_number_masked, people["village2"].id_number_masked]
    assert all("*" in n for n in numbers)
    log = AccessLog.objects.get(action="export")
    assert (log.actor, log.area_id, log.row_count, log.fields) == (users.town, "370305003", 2, "")
    assert log.target_type == "person"


def test_an_export_replays_the_list_filters(users, people, export):
    _response, job, rows = export(users.command, query=f"area={people['village2'].area_id}&page=3")
    assert column(rows, "姓名") == ["李四"]
    assert job.filters == {"area": people["village2"].area_id}
    assert AccessLog.objects.get(action="export").target_label == f"area={job.filters['area']}"


def test_an_export_with_invalid_filters_is_refused(users, people, export):
    response, job, _rows = export(users.town, query="age_min=abc")
    assert response.status_code == 400
    assert job is None
    response, job, _rows = export(users.town, query=f"area={people['far'].area_id}")
    assert response.status_code == 400 and job is None


def test_an_unmasked_export_needs_the_reveal_permission_and_is_logged(users, people, export):
    _response, job, rows = export(users.town, unmasked=True)
    assert job.reveal
    expected = pii.decrypt(people["grid"].id_number_encrypted)
    assert expected in column(rows, "身份证号")
    log = AccessLog.objects.get(action="export")
    assert log.fields == "id_number,phone"


def test_an_unmasked_export_without_the_reveal_permission_is_404(tree, users, people, export):
    clerk = factories.user("clerk", tree.town)
    clerk.user_permissions.add(Permission.objects.get(codename="export_people"))
    response, job, _rows = export(clerk, unmasked=True)
    assert response.status_code == 404 and job is None
    _response, job, rows = export(clerk)
    assert job.status == "done" and not job.reveal
    assert len(rows) == 3


def test_an_outsider_exports_only_their_own_district(users, people, export):
    _response, _job, rows = export(users.outsider)
    assert column(rows, "姓名") == ["赵六"]


@pytest.mark.parametrize(
    ("kind", "header", "expected"),
    [
        ("households", "户主", ["户主甲"]),
        ("users", "用户名", ["grid", "norole", "town", "village"]),
        (
            "areas",
            "区划代码",
            [
                "370305003",
                "370305003001",
                "370305003001001",
                "370305003001002",
                "370305003002",
                "370305003002001",
            ],
        ),
    ],
)
def test_every_list_exports_within_the_scope(tree, users, export, kind, header, expected):
    factories.household(tree.grid, "户主甲")
    factories.household(tree.other_village, "户主乙")
    _response, job, rows = export(users.town, kind=kind)
    assert job.status == "done", job.message
    assert sorted(column(rows, header)) == expected


def test_the_access_log_exports_its_own_scope(tree, users, people, export):
    export(users.other_town)
    export(users.town)
    _response, _job, rows = export(users.town, kind="accesslog", query="action=export")
    assert column(rows, "用户") == ["town"]
    assert column(rows, "行数") == [2]


@pytest.mark.parametrize(
    ("who", "kind", "status"),
    [
        ("norole", "persons", 404),
        ("grid", "persons", 404),
        ("village", "users", 404),
        ("village", "accesslog", 404),
        ("norole", "areas", 404),
        ("town", "nothing", 404),
        ("village", "persons", 302),
        ("grid", "areas", 302),
    ],
)
def test_export_needs_the_permission_of_its_list(users, export, who, kind, status):
    response, _job, _rows = export(getattr(users, who), kind=kind)
    assert response.status_code == status


@pytest.mark.parametrize("who", ["village", "other_town", "outsider", "norole", "command"])
def test_export_jobs_are_visible_to_their_creator_only(users, people, export, client_for, who):
    _response, job, _rows = export(users.town)
    urls = [
        reverse("transfer:export_job", args=[job.pk]),
        reverse("transfer:export_download", args=[job.pk]),
    ]
    other = client_for(getattr(users, who))
    assert [other.get(url).status_code for url in urls] == [404, 404]


def test_the_export_page_counts_and_offers_unmasking_only_to_revealers(
    tree, users, people, client_for
):
    url = reverse("transfer:export", args=["persons"]) + "?sex=M&page=2"
    page = client_for(users.town).get(url).content.decode()
    assert 'name="unmasked"' in page
    assert 'action="/transfer/export/persons/?sex=M"' in page
    assert not ExportJob.objects.exists() and not AccessLog.objects.exists()
    areas = client_for(users.town).get(reverse("transfer:export", args=["areas"]))
    assert 'name="unmasked"' not in areas.content.decode()
    clerk = factories.user("clerk", tree.town)
    clerk.user_permissions.add(Permission.objects.get(codename="export_people"))
    assert 'name="unmasked"' not in client_for(clerk).get(url).content.decode()


def test_a_post_without_the_form_starts_nothing(users, people, client_for):
    client = client_for(users.town)
    response = client.post(reverse("transfer:export", args=["persons"]), {"unmasked": "on"})
    assert response.status_code == 400
    assert not ExportJob.objects.exists()


def test_a_running_export_polls_and_has_no_download(tree, users, client_for):
    job = ExportJob.objects.create(
        kind="persons", area=tree.town, created_by=users.town, status=JobStatus.RUNNING
    )
    client = client_for(users.town)
    page = client.get(reverse("transfer:export_job", args=[job.pk]), headers={"HX-Request": "1"})
    assert 'hx-trigger="every 1s"' in page.content.decode()
    assert client.get(reverse("transfer:export_download", args=[job.pk])).status_code == 404


def test_the_job_list_shows_my_jobs(users, people, export, client_for):
    export(users.town)
    export(users.village)
    page = client_for(users.town).get(reverse("transfer:jobs")).content.decode()
    assert page.count("/transfer/export/job/") == 1
