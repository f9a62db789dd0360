"""The thank-you certificate opens in LibreOffice (converted to PDF) and names the donor and
the gift, an anonymous donor included."""

import io
import os
import re
import shutil
import subprocess

import pytest
from docx import Document

from fangkong.donations import certificate, selectors
from tests.donations import helpers

SOFFICE = shutil.which("soffice")
# CI installs LibreOffice and sets FANGKONG_REQUIRE_OFFICE: there a missing soffice fails.
needs_soffice = pytest.mark.skipif(
    SOFFICE is None and not os.environ.get("FANGKONG_REQUIRE_OFFICE"),
    reason="LibreOffice (soffice) not installed",
)


@pytest.fixture
def donation(tree, staff, items):
    donor = helpers.person(staff.district, "王五", anonymous=True)
    return helpers.donation(
        staff.district,
        tree.county,
        donor,
        amount="12345.60",
        channel="wechat",
        designation="designated",
        purpose="慰问一线防控人员",
        lines=[(items.masks, 5000, 7500), (items.alcohol, "20.5", 410)],
    )


def test_it_lays_the_certificate_out(donation):
    lines = selectors.lines_of(donation)
    doc = Document(io.BytesIO(certificate.build(donation, lines)))
    paragraphs = [p for p in doc.paragraphs if p.text]
    assert paragraphs[0].text == "捐赠证书"
    assert paragraphs[0].runs[0].font.size.pt == 26 and paragraphs[0].alignment == 1
    assert paragraphs[1].text == donation.number
    # The certificate is the donor's own: an anonymous donor is named on it.
    assert paragraphs[2].text == "王五："
    body = paragraphs[3].text
    assert "人民币12,345.60元" in body and "医用外科口罩5000个" in body
    assert "医用酒精20.5升" in body and "用于慰问一线防控人员" in body
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[0] == ["物资名称", "规格", "数量", "估值（元）"]
    assert rows[1] == ["医用外科口罩", "YY 0469", "5000个", "7,500.00"]
    assert paragraphs[-2].text == "临淄区新冠肺炎疫情防控指挥部"


@needs_soffice
def test_it_opens_in_libreoffice_with_the_donor_and_the_gift(donation, tmp_path):
    source = tmp_path / "certificate.docx"
    source.write_bytes(certificate.build(donation, selectors.lines_of(donation)))
    profile = tmp_path / "lo-profile"
    out = tmp_path / "out"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = (out / "certificate.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and re.search(rb"/Type\s*/Page\b", pdf)
    tool = shutil.which("pdftotext")
    if tool is None:
        return
    text = subprocess.run(
        [tool, "-layout", str(out / "certificate.pdf"), "-"],
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout.decode()
    flat = re.sub(r"\s+", "", text)
    for wanted in ("捐赠证书", donation.number, "王五", "12,345.60", "医用外科口罩", "临淄区"):
        assert wanted in flat, wanted
