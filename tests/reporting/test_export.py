"""Excel export of the daily reports of a date range, through the shared export pages."""

import pytest
from django.urls import reverse

from fangkong.core.models import ExportJob, JobStatus
from tests.reporting.helpers import submit, yesterday
from tests.transfer.workbooks import read

pytestmark = pytest.mark.django_db


def test_it_exports_the_scopes_reports(
    tree, users, client_for, clock, django_capture_on_commit_callbacks
):
    submit(
        users.village,
        tree.village,
        pushes_received=1,
        reasons={"pushes_received": "补录"},
        narrative="平稳",
    )
    submit(users.village, tree.village, date=yesterday())
    submit(None, tree.other_village)
    client = client_for(users.town)
    url = reverse("transfer:export", args=["reporting-reports"]) + f"?date_from={clock.day}"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"confirm": "True"})
    job = ExportJob.objects.get()
    assert job.status == JobStatus.DONE, job.error
    rows = read(
        b"".join(client.get(reverse("transfer:export_download", args=[job.pk])).streaming_content)
    )
    header = rows[0]
    assert len(rows) == 2
    row = dict(zip(header, [*rows[1], *[None] * len(header)], strict=False))
    assert row["区划代码"] == tree.village.code and row["工作情况"] == "平稳"
    assert row["接收推送人数"] == 1 and "补录" in row["更正说明"]


def test_the_export_needs_its_permission(tree, users, client_for):
    url = reverse("transfer:export", args=["reporting-reports"])
    assert client_for(users.village).get(url).status_code == 404
    assert client_for(users.norole).get(url).status_code == 404
