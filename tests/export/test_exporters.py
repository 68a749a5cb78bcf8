"""report.pdf and report.docx: formats, the nbconvert exporters, and the example report.

The fast tests typeset a small synthetic report through the real template; the slow ones
build the example (all sections, ``--format html,pdf,docx``) once and inspect the PDF with
pypdf / poppler and the Word document with python-docx. Page images of the PDF are kept
under ``reports/artifacts/`` for a person to look at.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from support import EXAMPLE_XLSX, ROOT

ARTIFACTS = ROOT / "reports" / "artifacts"
SECTIONS = ["一、部门基本情况", "二、部门绩效考核自评情况", "三、部门整体绩效目标实现情况",
            "四、绩效自评发现的问题", "五、改进措施及相关建议"]
KEY_FIGURES = ["2607.15", "98.91", "97.47%", "1255.13", "48.14%", "101.77", "7038.18"]
UNIT = "保定市徐水区东史端镇人民政府"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# -- helpers ---------------------------------------------------------------------------------
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
    return any(xobjects["/" + name.decode()].get_object().get("/Subtype") == "/Image"
               for name in drawn if "/" + name.decode() in xobjects)


def synthetic_notebook() -> nbformat.NotebookNode:
    """A small report: two sections, a table with a totals row, a long table, a chart."""
    import base64

    from PIL import Image

    img = Image.new("RGB", (1000, 500), "#1f4e79")
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(200, 200))
    png = base64.b64encode(buf.getvalue()).decode()
    rows = "".join(f'<tr><td class="n">{i}</td><td>项目{i}：用于防汛等相关支出的补助资金</td><td>已完成</td>'
                   f'<td class="n">{i * 10.5:.2f}</td></tr>' for i in range(1, 61))
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
    nb.metadata["jixiao"] = {"unit": "测试镇人民政府", "year": 2024, "title": "部门整体绩效管理自评报告",
                             "date": "2025年3月1日"}
    return nb


@pytest.fixture(scope="module")
def small_page():
    from jixiao.export.exporters import JixiaoHTMLExporter

    page, _ = JixiaoHTMLExporter().from_notebook_node(synthetic_notebook())
    return page


@pytest.fixture(scope="module")
def small_pdf():
    from pypdf import PdfReader

    from jixiao.export.exporters import JixiaoPDFExporter

    data, res = JixiaoPDFExporter().from_notebook_node(synthetic_notebook())
    return PdfReader(io.BytesIO(data)), data, res


# -- formats ---------------------------------------------------------------------------------
def test_parse_formats():
    from jixiao.exceptions import InputError
    from jixiao.export.exporters import parse_formats

    assert parse_formats("html,pdf,docx") == ["html", "pdf", "docx"]
    assert parse_formats(" DOCX , html,pdf,html") == ["html", "pdf", "docx"]
    assert parse_formats(["pdf"]) == ["pdf"]
    for bad in ("html,odt", "", " , ", ["rtf"]):
        with pytest.raises(InputError) as exc:
            parse_formats(bad)
        assert "html、pdf、docx" in str(exc.value.problems[0])


def _params(tmp_path: Path, formats=("html",)) -> Path:
    raw = yaml.safe_load((ROOT / "params" / "dongshiduan-2023.yaml").read_text(encoding="utf-8"))
    raw["workbook"] = str(EXAMPLE_XLSX)
    raw["output_dir"] = str(tmp_path / "reports")
    raw.setdefault("report", {})["formats"] = list(formats)
    p = tmp_path / "params.yaml"
    p.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return p


def test_bad_format_is_refused_before_anything_runs(tmp_path, capsys):
    from jixiao.cli import main

    params = _params(tmp_path)
    assert main(["run", str(params), "--format", "html,odt"]) == 2
    assert "odt" in capsys.readouterr().err
    assert not (tmp_path / "reports").exists()


def test_missing_renderer_is_reported_before_any_section(tmp_path, monkeypatch):
    from jixiao.report import execute
    from jixiao.export import formats
    from jixiao.report.pipeline import run_report

    def missing():
        raise formats.RendererMissing("无法生成 PDF：WeasyPrint 不可用")

    kernels = []
    real = execute.shared_kernel

    @contextlib.contextmanager
    def recording(cwd):
        with real(cwd) as km:
            kernels.append(km)
            yield km

    monkeypatch.setattr(formats, "weasyprint_module", missing)
    monkeypatch.setattr(execute, "shared_kernel", recording)
    monkeypatch.setattr(execute, "execute_sections",
                        lambda *a, **k: pytest.fail("a section ran although the PDF cannot be made"))
    with pytest.raises(formats.RendererMissing, match="WeasyPrint 不可用"):
        run_report(_params(tmp_path), formats="html,pdf")
    assert not (tmp_path / "reports").exists()
    # The kernel started early (it boots while the renderers are checked) is shut down.
    assert [km.has_kernel for km in kernels] == [False]


def test_params_formats_are_the_default(tmp_path):
    from jixiao.exceptions import InputError
    from jixiao.params import load_params

    params = load_params(_params(tmp_path, ("pdf", "html")))
    assert params.report.formats == ["pdf", "html"]
    raw = yaml.safe_load(_params(tmp_path).read_text(encoding="utf-8"))
    raw["report"]["formats"] = ["odt"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError):
        load_params(bad)


# -- nbconvert registration ------------------------------------------------------------------
@pytest.mark.parametrize("name, cls, mimetype, ext", [
    ("jixiao_pdf", "JixiaoPDFExporter", "application/pdf", ".pdf"),
    ("jixiao_docx", "JixiaoDocxExporter",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    ("jixiao_html", "JixiaoHTMLExporter", "text/html", ".html"),
])
def test_exporters_are_registered_with_nbconvert(name, cls, mimetype, ext):
    from nbconvert.exporters import get_exporter, get_export_names

    assert name in get_export_names()
    exporter = get_exporter(name)()
    assert type(exporter).__name__ == cls
    assert exporter.output_mimetype == mimetype
    assert exporter.file_extension == ext
    assert exporter.exclude_input


# -- table layout ----------------------------------------------------------------------------
def test_column_widths_keep_short_cells_and_numbers_whole(small_page):
    from lxml import html as lhtml

    from jixiao.export.exporters import column_widths, fit_tables, table_rows

    root = lhtml.document_fromstring(small_page)
    projects = [t for t in root.iter("table") if "report" in t.get("class", "")][1]
    widths, fits = column_widths(table_rows(projects), 50.0, pad_em=1.0)
    assert fits and abs(sum(widths) - 50.0) < 1e-6
    no, name, status, amount = widths
    assert no >= 2 + 1.0          # 序号 and 60 on one line
    assert status >= 4 + 1.0      # 完成状态 / 已完成 not broken
    assert amount >= len("630.00") * 0.6 + 1.0
    assert name == max(widths)    # the long text takes the rest
    fitted = fit_tables(small_page)
    assert fitted.count("<colgroup>") == 2 and "jx-fixed" in fitted


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
    assert re.search(r"第\s*2\s*页\s*/\s*共\s*%d\s*页" % n, toc)
    # 目录 with the page each section starts on (leader dots between)
    assert_toc_page_numbers(reader, ["一、部门基本情况", "（一）机构设置和人员配备", "二、部门绩效考核自评情况"])
    assert dict((t, p) for _, t, p in outline(reader))["一、部门基本情况"] == 3
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
    from jixiao.export.exporters import html_to_pdf

    warnings: list[str] = []
    html_to_pdf(small_page, warnings=warnings)
    assert warnings == []


# -- small DOCX ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_docx():
    import docx

    from jixiao.export.exporters import JixiaoDocxExporter

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
def example(tmp_path_factory):
    """`jixiao run` on the example with --format html,pdf,docx (params say html only)."""
    from pypdf import PdfReader

    from jixiao.cli import main

    tmp = tmp_path_factory.mktemp("formats")
    params = _params(tmp, ("html",))
    code = main(["run", str(params), "--format", "html,pdf,docx"])
    assert code == 0
    out = tmp / "reports" / "dongshiduan" / "2023"
    pdf = out / "report.pdf"
    return out, PdfReader(pdf), pdf


@pytest.fixture(scope="module")
def example_docx(example):
    import docx

    out, _, _ = example
    return docx.Document(out / "report.docx")


@pytest.mark.slow
def test_example_outputs_side_by_side(example):
    import json

    out, _, _ = example
    names = {p.name for p in out.iterdir()}
    assert {"report.html", "report.pdf", "report.docx", "scores.xlsx", "manifest.json"} <= names
    assert not list(out.parent.glob(".2023.staging-*"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["outputs"]) == {"html", "pdf", "docx"}
    assert all(len(v["sha256"]) == 64 for v in manifest["outputs"].values())
    assert (out / "report.pdf").read_bytes()[:5] == b"%PDF-"


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
    assert re.search(r"第\s*3\s*页\s*/\s*共\s*%d\s*页" % n, third)
    assert UNIT in third and "2023年度部门整体绩效管理自评报告" in third
    marks = outline_titles(reader)
    for heading in SECTIONS:
        assert (1, heading) in marks, heading
    assert sum(1 for depth, _ in marks if depth == 2) >= 10
    # 目录: each section's entry carries the page it starts on, and that page shows it
    assert_toc_page_numbers(reader, SECTIONS)
    for _, title, page in outline(reader):
        if title in SECTIONS:
            assert re.sub(r"\s+", "", reader.pages[page - 1].extract_text()).startswith(title)


@pytest.mark.slow
def test_example_pdf_nothing_outside_the_margins(example):
    """Every word, header and footer included, lies inside the page's side margins."""
    _, _, pdf = example
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    mm = 72 / 25.4
    left, right = 26 * mm, 595.28 - 24 * mm
    words = [(float(a), float(b), w) for a, b, w in
             re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', xhtml)]
    assert len(words) > 1000
    outside = [w for w in words if w[0] < left - 2 or w[1] > right + 2]
    assert not outside, outside[:10]


@pytest.mark.slow
def test_example_pdf_page_images(example):
    """Cover, 目录 and the first chart page as PNG under reports/artifacts/ for a person."""
    _, reader, pdf = example
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chart = next(i + 1 for i, page in enumerate(reader.pages) if i > 1 and page_has_image(page))
    table = next(i + 1 for i, page in enumerate(reader.pages)
                 if i > 1 and "一般公共服务支出" in page.extract_text() and "1255.13" in page.extract_text())
    wanted = {"pdf-page-1": 1, "pdf-page-2-toc": 2, f"pdf-page-{chart}-chart": chart,
              f"pdf-page-{table}-table": table}
    for old in ARTIFACTS.glob("pdf-page-*.png"):
        old.unlink()
    for name, page in wanted.items():
        subprocess.run(["pdftoppm", "-r", "110", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                        str(pdf), str(ARTIFACTS / name)], check=True)
        png = ARTIFACTS / f"{name}.png"
        assert png.stat().st_size > 10_000
        from PIL import Image

        with Image.open(png) as im:
            assert im.size[1] > im.size[0]  # portrait
    shutil.copy(pdf, ARTIFACTS / "example-report.pdf")


@pytest.mark.slow
def test_example_docx(example_docx):
    d = example_docx
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    for heading in SECTIONS:
        assert heading in h1, heading
    assert sum(1 for p in d.paragraphs if p.style.name == "Heading 2") >= 10
    assert sum(1 for p in d.paragraphs if p.style.name == "Heading 3") >= 10
    final = next(t for t in d.tables
                 if any("一般公共服务支出" in c.text for c in t.columns[1].cells)
                 and any("1255.13" in c.text for r in t.rows for c in r.cells))
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
    assert toc[:len(SECTIONS)] == SECTIONS


@pytest.mark.slow
def test_nbconvert_command_line(example, tmp_path):
    """`jupyter nbconvert --to jixiao_pdf / jixiao_docx` on an executed section notebook."""
    from pypdf import PdfReader

    out, _, _ = example
    nb = out / "sections" / "01_basic.ipynb"
    jupyter = Path(sys.executable).with_name("jupyter")
    for fmt in ("jixiao_pdf", "jixiao_docx"):
        subprocess.run([str(jupyter), "nbconvert", "--to", fmt, str(nb), "--output-dir", str(tmp_path)],
                       check=True, capture_output=True, timeout=300)
    reader = PdfReader(tmp_path / "01_basic.pdf")
    text = "".join(p.extract_text() for p in reader.pages)
    assert "一、部门基本情况" in text and UNIT in text  # cover data from the papermill parameters
    import docx

    d = docx.Document(tmp_path / "01_basic.docx")
    assert "一、部门基本情况" in [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
