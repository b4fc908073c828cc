"""Document formats: Markdown and other plain text, PDF (text layer), Word .docx; .doc/.wps and
scanned PDFs fail with what to do; a folder counts the files it does not load."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner

from policykg.api import PolicyGraph
from policykg.cli import main
from policykg.errors import ReadError
from policykg.loaders import formats
from policykg.loaders.read import read_bytes

NOTICE = [
    "青川县人民政府办公室关于印发青川县耕地保护专项整治实施方案的通知",
    "青府办发〔2022〕17号",
    "各乡镇人民政府，县级各部门：",
    "为贯彻落实《国务院办公厅关于防止耕地“非粮化”稳定粮食生产的意见》（国办发〔2020〕44号），经县政府同意，现将实施方案印发给你们，请认真贯彻执行。",
    "一、开展耕地保护专项检查。（县自然资源局牵头，县农业农村局配合）",
    "二、建立耕地保护长效机制。（各乡镇人民政府负责）",
    "青川县人民政府办公室",
    "2022年6月8日",
]


def make_pdf(lines: list[str]) -> bytes:
    """A PDF whose text layer holds ``lines`` (reportlab's built-in Chinese CID font)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("STSong-Light", 9)
    y = 800
    for line in lines:
        for start in range(0, len(line), 50):  # a page is about 55 characters wide at 9 pt
            c.drawString(40, y, line[start:start + 50])
            y -= 14
    c.showPage()
    c.save()
    return buf.getvalue()


def make_scan_pdf() -> bytes:
    """A PDF with drawing but no text (as a scanned page is to a text extractor)."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for i in range(20):
        c.rect(40, 780 - i * 30, 500, 12, fill=1)
    c.showPage()
    c.save()
    return buf.getvalue()


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    """A minimal Word .docx: paragraphs, then a table."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    if table:
        rows = "".join("<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{escape(c)}</w:t></w:r></w:p></w:tc>" for c in row)
                       + "</w:tr>" for row in table)
        body += f"<w:tbl>{rows}</w:tbl>"
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {w}><w:body>{body}</w:body></w:document>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("word/document.xml", document)
    return buf.getvalue()


def test_pdf_text_layer() -> None:
    text = read_bytes(make_pdf(NOTICE), "x.pdf")
    assert text.format == "pdf"
    assert "青府办发〔2022〕17号" in text.text and "县自然资源局牵头" in text.text


def test_pdf_letter_spacing_between_chinese_characters_is_dropped() -> None:
    text = read_bytes(make_pdf(["青 川 县 人 民 政 府 文 件", "关于 2022 年 耕地 保护 的 通知 （ 第 2 号 ）"]), "x.pdf").text
    assert text.split("\n") == ["青川县人民政府文件", "关于 2022 年耕地保护的通知（第 2 号）"]


def test_pdf_without_text_layer_says_run_ocr() -> None:
    with pytest.raises(ReadError, match="no text layer.*ocrmypdf"):
        read_bytes(make_scan_pdf(), "scan.pdf")
    with pytest.raises(ReadError, match="cannot read the PDF"):
        read_bytes(b"%PDF-1.4\n garbage", "broken.pdf")


def test_docx_paragraphs_and_table_cells() -> None:
    text = formats.docx_text(make_docx(NOTICE[:3], [["单位", "任务"], ["县自然资源局", "专项检查"]]))
    assert text.split("\n") == [*NOTICE[:3], "单位", "任务", "县自然资源局", "专项检查"]
    with pytest.raises(ReadError, match="not a Word .docx"):
        formats.docx_text(b"PK\x03\x04 not really")


@pytest.mark.parametrize(("name", "hint"), [("old.doc", "convert it to .docx first, e.g. libreoffice --headless"),
                                            ("wps.wps", "WPS Writer .wps file: convert it to .docx")])
def test_doc_and_wps_say_how_to_convert(name: str, hint: str) -> None:
    with pytest.raises(ReadError, match=hint):
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, name)


def test_a_folder_of_formats(tmp_path: Path) -> None:
    folder = tmp_path / "attachments"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(make_pdf(NOTICE))
    (folder / "b.docx").write_bytes(make_docx([line.replace("17", "18").replace("青川县耕地", "青川县林地") for line in NOTICE]))
    (folder / "c.md").write_text("# 青川县人民政府关于做好2023年森林防火工作的通知\n\n青府发〔2023〕2号\n\n各乡镇人民政府：\n\n"
                                 "现就做好森林防火工作通知如下。\n", encoding="utf-8")
    (folder / "d.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 64)
    (folder / "e.pdf").write_bytes(make_scan_pdf())
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (folder / "photo2.JPG").write_bytes(b"\xff\xd8\xff")
    (folder / "bundle.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    pg = PolicyGraph.open(memory=True)
    report = pg.load([folder])
    assert report.documents == 3
    assert sorted(f.source for f in report.failures) == ["d.doc", "e.pdf"]
    assert report.skipped == {".jpg": 2, ".zip": 1}
    numbers = {d["number"] for d in pg.documents()}
    assert numbers == {"青府办发〔2022〕17号", "青府办发〔2022〕18号", "青府发〔2023〕2号"}
    lineage = pg.lineage("青府办发〔2022〕17号")
    assert [r.get("number") for r in lineage] == ["青府办发〔2022〕17号", "国办发〔2020〕44号"]
    # PDF and .docx state no character encoding
    assert not pg.query("""PREFIX plo: <https://w3id.org/policykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?e WHERE { ?d dcterms:source "a.pdf" ; plo:encoding ?e }""")


def test_cli_summary_counts_skipped_files_and_names_the_fix(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "notice.markdown").write_text("\n".join(NOTICE), encoding="utf-8")
    (folder / "old.wps").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 64)
    (folder / "scan.tif").write_bytes(b"II*\0")
    (folder / "Thumbs.db").write_bytes(b"\0")
    result = CliRunner().invoke(main, ["load", str(folder), "--store", str(tmp_path / "s"), "-j", "1"])
    assert result.exit_code == 1
    assert "documents loaded: 1\n" in result.output
    assert "skipped (not a notice or table): 1 .db, 1 .tif" in result.output
    assert "old.wps: a WPS Writer .wps file: convert it to .docx first" in result.output
