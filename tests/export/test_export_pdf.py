"""report.pdf: a small synthetic report typeset through the real template, and the example's
PDF (slow) inspected with pypdf / poppler. Page images of the example are kept under
``reports/artifacts/`` for a person to look at."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from export_support import (
    ARTIFACTS,
    KEY_FIGURES,
    SECTIONS,
    UNIT,
    assert_toc_page_numbers,
    outline,
    outline_titles,
    page_has_image,
    pdf_fonts,
    synthetic_notebook,
)


@pytest.fixture(scope="module")
def small_pdf():
    from pypdf import PdfReader

    from jixiao.export.html import JixiaoPDFExporter

    data, res = JixiaoPDFExporter().from_notebook_node(synthetic_notebook())
    return PdfReader(io.BytesIO(data)), data, res


# -- small PDF -------------------------------------------------------------------------------
def test_small_pdf_fonts_embedded_no_type3(small_pdf):
    reader, _, _ = small_pdf
    fonts = pdf_fonts(reader)
    assert fonts
    assert all(f["embedded"] for f in fonts), fonts
    assert not [f for f in fonts if f["subtype"] == "/Type3"]
    assert any("CJK-SC" in f["name"] for f in fonts), fonts


def test_small_pdf_layout(small_pdf):
    reader, _, _ = small_pdf
    n = len(reader.pages)
    assert n >= 5  # cover, 目录, section 一, section 二 over two pages at least
    cover = reader.pages[0].extract_text()
    assert "测试镇人民政府" in cover and "2025年3月1日" in cover
    assert not re.search(r"第\s*1\s*页", cover)  # no page number on the cover
    toc = reader.pages[1].extract_text()
    assert re.search(rf"第\s*2\s*页\s*/\s*共\s*{n}\s*页", toc)
    # 目录 with the page each section starts on (leader dots between)
    assert_toc_page_numbers(reader, ["一、部门基本情况", "（一）机构设置和人员配备", "二、部门绩效考核自评情况"])
    assert {t: p for _, t, p in outline(reader)}["一、部门基本情况"] == 3
    body = reader.pages[2].extract_text()
    assert "测试镇人民政府" in body and "2024年度部门整体绩效管理自评报告" in body  # running header
    # the long table's header row repeats on the page it continues on
    continued = [i for i in range(3, n) if "项目5" in reader.pages[i].extract_text()]
    last = reader.pages[max(i for i in range(3, n) if "项目60" in reader.pages[i].extract_text())].extract_text()
    assert continued and "完成状态" in last and "序号" in last
    # totals row printed once, not repeated as a footer
    assert sum(p.extract_text().count("合计") for p in reader.pages) == 1


def test_small_pdf_bookmarks(small_pdf):
    reader, _, _ = small_pdf
    marks = outline_titles(reader)
    assert (1, "一、部门基本情况") in marks and (1, "二、部门绩效考核自评情况") in marks
    assert (2, "（一）机构设置和人员配备") in marks
    assert (1, "目录") in marks
    assert not [t for _, t in marks if "自评报告" in t]  # the cover title is not a bookmark


def test_small_pdf_has_no_weasyprint_warnings(small_page):
    from jixiao.export.pdf import html_to_pdf

    warnings: list[str] = []
    html_to_pdf(small_page, warnings=warnings)
    assert warnings == []


def test_pdf_warnings_are_collected_and_the_logger_left_as_it_was():
    import logging

    from jixiao.export.pdf import html_to_pdf

    wlog = logging.getLogger("weasyprint")
    before = list(wlog.handlers)
    warnings: list[str] = []
    pdf = html_to_pdf('<html lang="zh"><body><p style="colour: red">页</p></body></html>', warnings=warnings)
    assert pdf[:5] == b"%PDF-"
    assert any("colour" in w for w in warnings), warnings
    assert wlog.handlers == before
    assert html_to_pdf("<p>页</p>")[:5] == b"%PDF-"
    assert wlog.handlers == before


# -- the example report (slow) ---------------------------------------------------------------
@pytest.mark.slow
def test_example_pdf_text(example):
    _, reader, _ = example
    text = "\n".join(p.extract_text() for p in reader.pages)
    flat = re.sub(r"\s+", "", text)
    for heading in SECTIONS:
        assert heading in flat, heading
    for figure in KEY_FIGURES:
        assert figure in flat, figure


@pytest.mark.slow
def test_example_pdf_fonts(example):
    _, reader, pdf = example
    fonts = pdf_fonts(reader)
    assert fonts and all(f["embedded"] for f in fonts), [f for f in fonts if not f["embedded"]]
    assert not [f for f in fonts if f["subtype"] == "/Type3"]
    names = {re.sub(r"^/[A-Z]{6}\+", "", f["name"]) for f in fonts}
    assert any("Noto-Serif-CJK-SC" in n for n in names) and any("Noto-Sans-CJK-SC" in n for n in names), names
    # poppler-utils is a system package of the project (system-packages.txt)
    rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = rows.splitlines()[2:]
    assert rows and all(" yes " in r for r in rows)
    assert not [r for r in rows if "Type 3" in r]


@pytest.mark.slow
def test_example_pdf_pages_numbers_and_bookmarks(example):
    _, reader, _ = example
    n = len(reader.pages)
    assert 10 <= n <= 80
    assert not re.search(r"第\s*\d+\s*页", reader.pages[0].extract_text())
    third = reader.pages[2].extract_text()
    assert re.search(rf"第\s*3\s*页\s*/\s*共\s*{n}\s*页", third)
    assert UNIT in third and "2023年度部门整体绩效管理自评报告" in third
    marks = outline_titles(reader)
    for heading in SECTIONS:
        assert (1, heading) in marks, heading
    assert sum(1 for depth, _ in marks if depth == 2) >= 10
    # 目录: each section's entry carries the page it starts on, and that page shows it
    assert_toc_page_numbers(reader, SECTIONS)
    for _, title, page in outline(reader):
        if title in SECTIONS:
            text = re.sub(r"\s+", "", reader.pages[page - 1].extract_text())
            if title == SECTIONS[0]:  # the opening 依据 paragraph stands before 一、 on its page
                assert text.startswith("根据《保定市徐水区财政局") and title in text
            else:
                assert text.startswith(title)


@pytest.mark.slow
def test_example_pdf_nothing_outside_the_margins(example):
    """Every word, header and footer included, lies inside the page's side margins."""
    _, _, pdf = example
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    mm = 72 / 25.4
    left, right = 26 * mm, 595.28 - 24 * mm
    words = [
        (float(a), float(b), w)
        for a, b, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', xhtml
        )
    ]
    assert len(words) > 1000
    outside = [w for w in words if w[0] < left - 2 or w[1] > right + 2]
    assert not outside, outside[:10]


@pytest.mark.slow
def test_example_pdf_page_images(example):
    """Cover, 目录 and the first chart page as PNG under reports/artifacts/ for a person."""
    _, reader, pdf = example
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chart = next(i + 1 for i, page in enumerate(reader.pages) if i > 1 and page_has_image(page))
    table = next(
        i + 1
        for i, page in enumerate(reader.pages)
        if i > 1 and "一般公共服务支出" in page.extract_text() and "1255.13" in page.extract_text()
    )
    wanted = {"pdf-page-1": 1, "pdf-page-2-toc": 2, f"pdf-page-{chart}-chart": chart, f"pdf-page-{table}-table": table}
    for old in ARTIFACTS.glob("pdf-page-*.png"):
        old.unlink()
    for name, page in wanted.items():
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "110",
                "-png",
                "-singlefile",
                "-f",
                str(page),
                "-l",
                str(page),
                str(pdf),
                str(ARTIFACTS / name),
            ],
            check=True,
        )
        png = ARTIFACTS / f"{name}.png"
        assert png.stat().st_size > 10_000
        from PIL import Image

        with Image.open(png) as im:
            assert im.size[1] > im.size[0]  # portrait
    shutil.copy(pdf, ARTIFACTS / "example-report.pdf")


@pytest.mark.slow
def test_a_page_break_leaves_three_rows_each_side_and_never_a_lone_total():
    """Whatever text precedes a table, a page break inside it keeps at least 3 rows on each
    side (header repeated), and the totals row never stands alone on a page."""
    import nbformat
    from pypdf import PdfReader

    from jixiao.export.html import JixiaoPDFExporter

    rows = "".join(f'<tr><td>行{i:02d}</td><td class="n">{i}.00</td></tr>' for i in range(1, 11))
    table = (
        '<table class="report"><caption>表<span class="jx-num" data-kind="table">1</span>　分页</caption>'
        f"<thead><tr><th>项目</th><th>金额</th></tr></thead><tbody>{rows}</tbody>"
        '<tfoot><tr class="total"><td>合计行</td><td class="n">55.00</td></tr></tfoot></table>'
    )
    split = 0
    for n in range(22, 40, 2):
        filler = "".join(f"<p>第{k}段：用于占据版面的说明文字。</p>" for k in range(n))
        nb = nbformat.v4.new_notebook()
        nb.cells = [
            nbformat.v4.new_code_cell(
                outputs=[nbformat.v4.new_output("display_data", data={"text/html": filler + table})]
            )
        ]
        data, _ = JixiaoPDFExporter().from_notebook_node(nb, resources={"jixiao": {"unit": "测试镇", "year": 2024}})
        pages = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
        per_page = [[i for i in range(1, 11) if f"行{i:02d}" in t] for t in pages]
        with_rows = [r for r in per_page if r]
        if len(with_rows) > 1:
            split += 1
            assert all(len(r) >= 3 for r in with_rows), (n, with_rows)
        total_page = next(i for i, t in enumerate(pages) if "合计行" in t)
        assert per_page[total_page], (n, "the totals row alone on its page")
    assert split, "no filler length put a page break inside the table: the test proves nothing"
