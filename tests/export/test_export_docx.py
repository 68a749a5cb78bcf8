"""report.docx: a small synthetic report built through the real template, and the example's
Word document (slow) inspected with python-docx."""

from __future__ import annotations

import io
import re

import pytest
from export_support import SECTIONS, W, synthetic_notebook


@pytest.fixture(scope="module")
def small_docx():
    import docx

    from jixiao.export.html import JixiaoDocxExporter

    data, _ = JixiaoDocxExporter().from_notebook_node(synthetic_notebook())
    return docx.Document(io.BytesIO(data))


def test_small_docx_structure(small_docx):
    d = small_docx
    headings = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "一、部门基本情况") in headings
    assert ("Heading 2", "（一）机构设置和人员配备") in headings
    body = d.element.body
    instr = " ".join(t.text for t in body.iter(W + "instrText"))
    assert 'TOC \\o "1-2"' in instr and "PAGEREF _Toc" in instr
    assert any(p.text == "目　录" for p in d.paragraphs)
    assert len(d.inline_shapes) == 1
    table = next(t for t in d.tables if "一般公共服务支出" in t.rows[1].cells[0].text)
    assert [c.text for c in table.rows[1].cells] == ["一般公共服务支出", "1255.13", "48.14%"]
    assert table.rows[1].cells[1].paragraphs[0].alignment == 2  # numbers right-aligned
    assert table.rows[0]._tr.trPr.find(W + "tblHeader") is not None  # header row repeats
    assert table.rows[-1].cells[0].text == "合计"


def test_small_docx_fonts_header_and_footer(small_docx):
    d = small_docx
    styles = d.styles.element
    east_asia = {f.get(W + "eastAsia") for f in styles.iter(W + "rFonts")} - {None}
    assert {"宋体", "黑体"} <= east_asia
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(W + "eastAsia") == "zh-CN"
    sec = d.sections[0]
    assert round(sec.page_width.mm) == 210 and round(sec.page_height.mm) == 297
    assert sec.different_first_page_header_footer  # nothing on the cover
    assert "测试镇人民政府" in sec.header.paragraphs[0].text
    footer_instr = " ".join(t.text for t in sec.footer._element.iter(W + "instrText"))
    assert "PAGE" in footer_instr and "NUMPAGES" in footer_instr
    assert "第" in sec.footer.paragraphs[0].text


# -- the example report (slow) ---------------------------------------------------------------
@pytest.fixture(scope="module")
def example_docx(example):
    import docx

    out, _, _ = example
    return docx.Document(out / "report.docx")


@pytest.mark.slow
def test_example_docx(example_docx):
    d = example_docx
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    for heading in SECTIONS:
        assert heading in h1, heading
    assert sum(1 for p in d.paragraphs if p.style.name == "Heading 2") >= 10
    assert sum(1 for p in d.paragraphs if p.style.name == "Heading 3") >= 10
    final = next(
        t
        for t in d.tables
        if any("一般公共服务支出" in c.text for c in t.columns[1].cells)
        and any("1255.13" in c.text for r in t.rows for c in r.cells)
    )
    row = next(r for r in final.rows if "一般公共服务支出" in r.cells[1].text)
    texts = [c.text for c in row.cells]
    assert "1255.13" in texts and "48.14%" in texts
    assert all(c.paragraphs[0].alignment == 2 for c in row.cells if re.fullmatch(r"-?[\d,]+\.\d+%?", c.text))
    assert len(d.inline_shapes) >= 7
    fonts = {f.get(W + "eastAsia") for f in d.styles.element.iter(W + "rFonts")} - {None}
    assert "宋体" in fonts
    instr = " ".join(t.text for t in d.element.body.iter(W + "instrText"))
    assert "TOC" in instr
    toc = [p.text.split("\t")[0] for p in d.paragraphs if p.style.name == "toc 1"]
    assert toc[: len(SECTIONS)] == SECTIONS
