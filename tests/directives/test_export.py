"""Excel export of one directive's receipts through the shared export pages."""

from django.urls import reverse

from fangkong.core.models import ExportJob, JobStatus
from fangkong.directives import services
from tests.directives import helpers
from tests.transfer.workbooks import read


def test_it_exports_the_recipient_status(
    client_for, users, tree, sent, django_capture_on_commit_callbacks
):
    unit = helpers.recipient(sent, tree.village)
    services.recipient_sign(actor=users.village, recipient=unit)
    services.feedback_submit(actor=users.village, recipient=unit, text="已排查完毕")
    client = client_for(users.command)
    url = reverse("transfer:export", args=["directive-receipts"]) + f"?directive={sent.pk}"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"confirm": "True"})
    job = ExportJob.objects.get()
    assert job.status == JobStatus.DONE, job.error
    rows = read(
        b"".join(client.get(reverse("transfer:export_download", args=[job.pk])).streaming_content)
    )
    header = rows[0]
    by_unit = {row[header.index("接收单位")]: row for row in rows[1:]}
    assert set(by_unit) == {tree.town.name, tree.village.name}
    village = by_unit[tree.village.name]
    assert village[header.index("签收状态")] == "已签收"
    assert village[header.index("最近反馈内容")] == "已排查完毕"
    assert by_unit[tree.town.name][header.index("签收状态")] == "未签收"


def test_others_cannot_export_it(client_for, users, sent):
    url = reverse("transfer:export", args=["directive-receipts"]) + f"?directive={sent.pk}"
    for user in (users.other_town, users.town, users.outsider):
        assert client_for(user).get(url).status_code in (400, 404)
    for user in (users.norole, users.village):
        assert client_for(user).get(url).status_code == 404
