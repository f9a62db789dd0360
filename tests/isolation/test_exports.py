"""Excel exports of residents and transfers, through the shared export pages."""

import pytest
from django.urls import reverse

from fangkong.core import pii
from fangkong.core.models import AccessLog, ExportJob, JobStatus
from fangkong.isolation.services import stay_check_out
from tests.isolation import helpers
from tests.transfer.workbooks import read


@pytest.fixture
def export(client_for, django_capture_on_commit_callbacks):
    def start(user, kind, query="", unmasked=False):
        client = client_for(user)
        url = reverse("transfer:export", args=[kind]) + (f"?{query}" if query else "")
        page = client.get(url)
        if page.status_code != 200:
            return page, None
        data = {"confirm": "True", **({"unmasked": "on"} if unmasked else {})}
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, data)
        job = ExportJob.objects.order_by("-pk").first()
        assert job.status == JobStatus.DONE, job.error
        download = client.get(reverse("transfer:export_download", args=[job.pk]))
        return page, read(b"".join(download.streaming_content))

    return start


def column(rows, header):
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def test_it_exports_the_residents_masked_and_logged(users, iso, site, tree, export):
    stay = helpers.check_in(site, helpers.key_person(tree.grid, "甲"))
    left = helpers.check_in(site, helpers.key_person(tree.grid2, "乙"))
    stay_check_out(actor=None, stay=left, reason="期满")
    _page, rows = export(users.town, "isolation-residents")
    assert column(rows, "姓名") == ["甲"]
    assert column(rows, "身份证号") == [stay.key_person.person.id_number_masked]
    assert column(rows, "隔离点") == [site.name]
    assert column(rows, "管控措施")[0]  # the measure's label, in the export's language
    assert AccessLog.objects.get(action="export").target_type == "stay"
    _page, rows = export(users.town, "isolation-residents", query="current=all")
    assert sorted(column(rows, "姓名")) == ["乙", "甲"]


def test_an_unmasked_export_needs_reveal(users, iso, site, tree, export):
    stay = helpers.check_in(site, helpers.key_person(tree.grid, "甲"))
    _page, rows = export(iso, "isolation-residents", unmasked=True)
    assert column(rows, "身份证号") == [pii.decrypt(stay.key_person.person.id_number_encrypted)]


def test_it_exports_the_transfers_with_their_disinfection(users, iso, site, tree, export):
    helpers.transfer(site, helpers.key_person(tree.grid, "甲"))
    _page, rows = export(iso, "isolation-transfers")
    assert column(rows, "姓名") == ["甲"]
    assert column(rows, "是否消毒") == ["否"]
    assert column(rows, "车牌号") == ["鲁C12345"]


def test_exports_are_scoped_and_need_the_role(users, site, tree, export):
    helpers.check_in(site, helpers.key_person(tree.grid, "甲"))
    page, _rows = export(users.village, "isolation-residents")
    assert page.status_code == 404
    _page, rows = export(users.other_town, "isolation-residents")
    assert rows[1:] == []
