"""The Word briefing opens in LibreOffice (converted to PDF) and carries the figures."""

import io
import os
import re
import shutil
import subprocess
import zipfile

import pytest
from django.utils import timezone
from docx import Document

from fangkong.briefings import content, document, services
from tests.briefings.conftest import generate
from tests.command.conftest import load

SOFFICE = shutil.which("soffice")
# CI installs LibreOffice and sets FANGKONG_REQUIRE_OFFICE: there a missing soffice fails.
needs_soffice = pytest.mark.skipif(
    SOFFICE is None and not os.environ.get("FANGKONG_REQUIRE_OFFICE"),
    reason="LibreOffice (soffice) not installed",
)


def _soffice(tmp_path, source, target: str) -> bytes:
    profile = tmp_path / "lo-profile"
    out = tmp_path / f"out-{target.split(':')[0]}"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    found = list(out.iterdir())
    assert len(found) == 1, found
    return found[0].read_bytes()


def _pdf_text(pdf: bytes, tmp_path) -> str | None:
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    path = tmp_path / "b.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [tool, "-layout", str(path), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode()


@pytest.fixture
def briefing(users, tree):
    load(tree)
    briefing = generate(users.command, tree.county, timezone.localdate())
    services.briefing_update(
        actor=users.command,
        briefing=briefing,
        texts={},
        office=briefing.office,
        report_to="淄博市疫情防控指挥部",
        send_to="区委、区政府主要领导",
        copies=40,
    )
    briefing.refresh_from_db()
    return briefing


def test_it_lays_the_document_out_as_a_briefing(briefing):
    doc = Document(io.BytesIO(document.build(briefing)))
    paragraphs = [p for p in doc.paragraphs if p.text]
    title = paragraphs[0]
    assert title.text == "疫情防控工作简报"
    run = title.runs[0]
    assert run.font.size.pt == 22 and str(run.font.color.rgb) == "FF0000"
    assert title.alignment == 1  # centered
    assert paragraphs[1].text == briefing.number
    assert paragraphs[2].text == f"{briefing.office}\t{content.chinese_date(briefing.date)}"
    assert "w:pBdr" in paragraphs[2]._p.xml and 'w:color="FF0000"' in paragraphs[2]._p.xml
    headings = [p.text for p in paragraphs if p.runs and p.runs[0].font.bold]
    assert headings[:2] == ["一、总体情况", "二、卡口查控"]
    texts = [p.text for p in paragraphs]
    assert "报：淄博市疫情防控指挥部" in texts and "送：区委、区政府主要领导" in texts
    assert "（共印40份）" in texts
    table = doc.tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == list(content.TABLE_COLUMNS)
    assert rows[1:] == content.table_rows(briefing.figures)


@needs_soffice
def test_it_opens_in_libreoffice_with_the_figures(briefing, tmp_path):
    source = tmp_path / "briefing.docx"
    source.write_bytes(document.build(briefing))
    pdf = _soffice(tmp_path, source, "pdf")
    assert pdf.startswith(b"%PDF") and re.search(rb"/Type\s*/Page\b", pdf)
    figures = briefing.figures
    wanted = [
        briefing.number,
        f"人员{figures['today']['persons']}人",
        f"目前在管{figures['ledger']['managed']}人",
        *content.table_rows(figures)[-1],
    ]
    text = _pdf_text(pdf, tmp_path)
    if text is None:
        # No pdftotext here: read back what LibreOffice itself read from the file.
        text = _soffice(tmp_path, source, "txt:Text (encoded):UTF8").decode("utf-8-sig")
        xml = zipfile.ZipFile(source).read("word/document.xml").decode()
        for value in wanted:
            assert value in xml, value
    # A PDF's text breaks lines and spaces out digits as laid out: compare without spaces.
    flat = re.sub(r"\s+", "", text)
    for value in wanted:
        assert re.sub(r"\s+", "", str(value)) in flat, value
