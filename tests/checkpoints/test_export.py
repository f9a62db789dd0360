"""The registration list's Excel export: scoped, filtered, masked unless revealed."""

import pytest
from django.urls import reverse

from fangkong.checkpoints.transfer import RegistrationImporter
from fangkong.core.models import AccessLog, ExportJob, JobStatus
from tests.checkpoints.conftest import occupant, register
from tests.transfer.workbooks import read


@pytest.fixture
def export(client_for, django_capture_on_commit_callbacks):
    def start(user, query="", unmasked=False):
        client = client_for(user)
        url = reverse("transfer:export", args=["checkpoint-registrations"])
        url += f"?{query}" if query else ""
        page = client.get(url)
        if page.status_code != 200:
            return page, None
        data = {"confirm": "True", **({"unmasked": "on"} if unmasked else {})}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        job = ExportJob.objects.order_by("-pk").first()
        assert job.status == JobStatus.DONE, job.message
        download = client.get(reverse("transfer:export_download", args=[job.pk]))
        return response, read(b"".join(download.streaming_content))

    return start


def column(rows, header):
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def test_it_exports_the_filtered_list_masked(users, staff, checkpoint, export):
    register(staff, checkpoint, occupant(name="甲"), occupant(name="乙", temperature="38.1"))
    _response, rows = export(users.command, "outcome=fever_referral")
    assert column(rows, "姓名") == ["乙"]
    assert column(rows, "处置结果") == ["移交发热门诊"] and column(rows, "体温") == [38.1]
    assert "*" in column(rows, "身份证号")[0]
    # The first columns are the import's: an unmasked export imports again.
    headers = [c.header for c in RegistrationImporter.columns]
    assert set(headers) <= set(rows[0])


def test_an_unmasked_export_needs_the_reveal_permission_and_is_logged(
    users, staff, checkpoint, export
):
    register(staff, checkpoint, occupant(name="甲"))
    _response, rows = export(users.command, unmasked=True)
    number = column(rows, "身份证号")[0]
    assert "*" not in number and len(number) == 18
    log = AccessLog.objects.get(action="export")
    assert log.fields == "id_number,phone" and log.row_count == 1


@pytest.mark.parametrize("who", ["village", "grid", "norole"])
def test_it_needs_the_export_permission(users, export, who):
    response, _rows = export(getattr(users, who))
    assert response.status_code == 404


def test_an_outsider_exports_nothing_of_the_district(users, staff, checkpoint, export):
    register(staff, checkpoint, occupant(name="甲"))
    _response, rows = export(users.outsider)
    assert rows[1:] == []
