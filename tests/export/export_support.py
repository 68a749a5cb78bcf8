"""What the export tests share besides fixtures: the example's expected text, a synthetic
report notebook, parameters writing to a temporary folder, and PDF inspection helpers.

Importable from the tests of this folder (pytest puts the folder on ``sys.path``); the
fixtures built from it are in ``conftest.py``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import nbformat
import yaml

from support import EXAMPLE_XLSX, ROOT, portable

ARTIFACTS = ROOT / "reports" / "artifacts"
SECTIONS = [
    "一、部门基本情况",
    "二、部门绩效考核自评情况",
    "三、部门整体绩效目标实现情况",
    "四、绩效自评发现的问题",
    "五、改进措施及相关建议",
]
KEY_FIGURES = ["2607.15", "98.91", "97.47%", "1255.13", "48.14%", "101.77", "7038.18"]
UNIT = "保定市徐水区东史端镇人民政府"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def example_params(tmp_path: Path, formats=("html",)) -> Path:
    """A copy of the example's parameters writing to ``tmp_path/reports`` in ``formats``."""
    raw = portable(ROOT / "params" / "dongshiduan-2023.yaml")
    raw["workbook"] = str(EXAMPLE_XLSX)
    raw["output_dir"] = str(tmp_path / "reports")
    raw.setdefault("report", {})["formats"] = list(formats)
    p = tmp_path / "params.yaml"
    p.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return p


def pdf_fonts(reader) -> list[dict]:
    """Every font resource of every page (descending into Type0 descendants)."""
    fonts = []
    for page in reader.pages:
        res = page.get("/Resources")
        res = res.get_object() if res is not None else {}
        font_dict = res.get("/Font")
        if font_dict is None:
            continue
        for _, ref in font_dict.get_object().items():
            font = ref.get_object()
            entry = {"name": str(font.get("/BaseFont")), "subtype": str(font.get("/Subtype")), "embedded": False}
            descs = [font]
            if font.get("/Subtype") == "/Type0":
                descs = [d.get_object() for d in font["/DescendantFonts"]]
            for d in descs:
                fd = d.get("/FontDescriptor")
                if fd is not None:
                    fd = fd.get_object()
                    entry["embedded"] |= any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                if d.get("/Subtype") == "/Type3":
                    entry["subtype"] = "/Type3"
            fonts.append(entry)
    return fonts


def outline_titles(reader) -> list[tuple[int, str]]:
    """(depth, title) of every bookmark, depth 1 = top level."""
    return [(depth, title) for depth, title, _ in outline(reader)]


def outline(reader) -> list[tuple[int, str, int]]:
    """(depth, title, page number from 1) of every bookmark."""
    out = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return out


def assert_toc_page_numbers(reader, titles):
    """The 目录 (page 2) gives each title the page its bookmark (the heading) is on."""
    toc = reader.pages[1].extract_text()
    pages = {title: page for _, title, page in outline(reader)}
    for title in titles:
        assert re.search(re.escape(title) + r"[\s.·…]*" + str(pages[title]) + r"\b", toc), (title, pages[title], toc)


def page_has_image(page) -> bool:
    """Whether the page draws an image (WeasyPrint shares one resource dictionary among
    all pages, so look at what the page's content stream paints)."""
    res = page.get("/Resources")
    xobjects = res.get_object().get("/XObject") if res is not None else None
    if xobjects is None:
        return False
    xobjects = xobjects.get_object()
    drawn = re.findall(rb"/([\w.+-]+)\s+Do\b", page.get_contents().get_data())
    return any(
        xobjects["/" + name.decode()].get_object().get("/Subtype") == "/Image"
        for name in drawn
        if "/" + name.decode() in xobjects
    )


def synthetic_notebook() -> nbformat.NotebookNode:
    """A small report: two sections, a table with a totals row, a long table, a chart."""
    import base64

    from PIL import Image

    img = Image.new("RGB", (1000, 500), "#1f4e79")
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(200, 200))
    png = base64.b64encode(buf.getvalue()).decode()
    rows = "".join(
        f'<tr><td class="n">{i}</td><td>项目{i}：用于防汛等相关支出的补助资金</td><td>已完成</td>'
        f'<td class="n">{i * 10.5:.2f}</td></tr>'
        for i in range(1, 61)
    )
    body = (
        '<h1 id="s01-1" class="section">一、部门基本情况</h1><h2 id="s01-2">（一）机构设置和人员配备</h2>'
        "<p>本镇下设8个股室，实有在编人数93人。</p>"
        '<table class="report"><caption>表<span class="jx-num" data-kind="table">1</span>　决算支出</caption>'
        "<thead><tr><th>科目名称</th><th>决算数（万元）</th><th>占比</th></tr></thead>"
        '<tbody><tr><td>一般公共服务支出</td><td class="n">1255.13</td><td class="n">48.14%</td></tr>'
        '<tr><td>公共安全支出</td><td class="n">0.90</td><td class="n">0.03%</td></tr></tbody>'
        '<tfoot><tr class="total"><td>合计</td><td class="n">2607.15</td><td class="n">100.00%</td></tr></tfoot>'
        "</table>"
        '<p class="finding warning noindent"><span class="sev warning">核对提示：</span>两处不一致。</p>'
        '<h1 id="s02-1" class="section">二、部门绩效考核自评情况</h1><h2 id="s02-2">（一）项目情况</h2>'
        '<table class="report"><caption>表<span class="jx-num" data-kind="table">2</span>　项目</caption>'
        "<thead><tr><th>序号</th><th>项目名称</th><th>完成状态</th><th>金额（万元）</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        f'<figure class="chart"><img alt="得分" src="data:image/png;base64,{png}"/>'
        '<figcaption>图<span class="jx-num" data-kind="figure">1</span>　得分</figcaption></figure>'
    )
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("S.section(ctx)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": body})]
    nb.cells = [cell]
    nb.metadata["jixiao"] = {
        "unit": "测试镇人民政府",
        "year": 2024,
        "title": "部门整体绩效管理自评报告",
        "date": "2025年3月1日",
    }
    return nb
