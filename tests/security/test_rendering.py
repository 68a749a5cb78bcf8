"""Hostile text on the way to the report page, the review page, the roll-up and the PDF.

A unit name or report title is data: it shows as text wherever it is printed, and never
becomes markup — no script in report.html, no stylesheet or image the PDF renderer would
fetch, no ``<a rel="attachment">`` that would embed a local file into report.pdf. And
should markup reach the PDF renderer all the same, it fetches nothing outside the report:
a local HTTP server records every request, ``pdfdetach -list`` counts embedded files.
"""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import nbformat
import pytest
import yaml
from lxml import html as lhtml

from support import EXAMPLE_PARAMS, EXAMPLE_XLSX, portable

# What the markup would do if it were markup: run a script, fetch from the network, embed a file.
MARKUP = ("<script", "<link", "<a rel", "<img src=http")


def hostile_unit(port: int) -> str:
    return (
        f"<script>alert(1)</script><link rel=stylesheet href=http://127.0.0.1:{port}/unit.css>"
        '<a rel=attachment href=file:///etc/hostname>x</a>" data-x="1'
    )


def hostile_title(port: int) -> str:
    return f'"><img src=http://127.0.0.1:{port}/title.png><a rel=attachment href=file:///etc/hostname>y</a>自评报告'


# -- helpers ---------------------------------------------------------------------------------
@pytest.fixture
def server():
    """A local HTTP server on a free port: ``(port, requests)``, every request's path recorded."""
    requests: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 — http.server's naming
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):  # keep the test output quiet
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1], requests
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def png_data_uri() -> str:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (60, 30), "#1f4e79").save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def small_notebook() -> nbformat.NotebookNode:
    """One section: a heading whose text holds markup characters (escaped, as sections write
    them), a sentence and a chart embedded as a data: URI."""
    body = (
        '<h1 id="s01-1" class="section">一、&lt;b&gt;基本&amp;情况&lt;/b&gt;</h1><p>本镇下设8个股室。</p>'
        f'<figure class="chart"><img alt="得分" src="{png_data_uri()}"/>'
        '<figcaption>图<span class="jx-num" data-kind="figure">1</span>　得分</figcaption></figure>'
    )
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("S.section(ctx)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": body})]
    nb.cells = [cell]
    return nb


def hostile_meta(port: int) -> dict:
    return {
        "unit": hostile_unit(port),
        "year": 2024,
        "title": hostile_title(port),
        "date": "2025年3月1日<script>alert(3)</script>",
        "sample": f"<img src=http://127.0.0.1:{port}/sample.png>样本",
    }


def embedded_files(pdf: Path) -> str:
    """``pdfdetach -list`` on ``pdf``: its first line counts the embedded files."""
    if shutil.which("pdfdetach") is None:
        pytest.skip("pdfdetach (poppler-utils) is not installed")
    out = subprocess.run(["pdfdetach", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    return out.splitlines()[0] if out else ""


def image_count(pdf: bytes) -> int:
    """Distinct images in ``pdf`` (WeasyPrint shares one resource dictionary among pages)."""
    from pypdf import PdfReader

    seen = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        res = page.get("/Resources")
        xobjects = res.get_object().get("/XObject") if res is not None else None
        for ref in (xobjects.get_object() if xobjects is not None else {}).values():
            if ref.get_object().get("/Subtype") == "/Image":
                seen.add(getattr(ref, "idnum", id(ref)))
    return len(seen)


def assert_no_markup(page: str, where: str) -> None:
    """None of the elements the hostile fields name is in ``page``: no script, no stylesheet
    link, no attachment, no image but the inline (``data:``) charts jixiao draws."""
    low = page.lower()
    found = [m for m in MARKUP if m in low]
    assert not found, f"{where}: {found}"
    doc = lhtml.fromstring(page)
    assert not doc.xpath("//script | //link | //*[@rel]"), where
    assert all(src.startswith("data:image/png;base64,") for src in doc.xpath("//img/@src")), where


def assert_cover_is_text(page: str, meta: dict) -> None:
    """The report page prints every cover field literally, where the template puts it."""
    doc = lhtml.fromstring(page)
    assert doc.findtext(".//title") == f"{meta['unit']}{meta['year']}年度{meta['title']}"
    assert doc.xpath('//meta[@name="author"]/@content') == [meta["unit"]]
    assert doc.xpath('//meta[@name="author"]/@data-x') == []

    def text(cls: str) -> list[str]:
        return [e.text_content() for e in doc.find_class(cls)]

    assert text("cover-unit") == [meta["unit"]]
    assert text("cover-name") == [meta["title"]]
    assert text("signature-unit") == [meta["unit"]]
    if "date" in meta:
        assert text("cover-date") == [meta["date"]] and text("signature-date") == [meta["date"]]
    if "sample" in meta:
        assert text("cover-note") == [meta["sample"]]


# -- the report page -------------------------------------------------------------------------
def test_cover_fields_from_data_are_text_on_the_report_page(server):
    from jixiao.export.html import JixiaoHTMLExporter

    port, _ = server
    meta = hostile_meta(port)
    page, _ = JixiaoHTMLExporter().from_notebook_node(small_notebook(), resources={"jixiao": meta})
    assert_no_markup(page, "report.html")
    assert_cover_is_text(page, meta)
    # Escaped once: the page holds the entity, not an entity of an entity.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&amp;lt;" not in page


def test_toc_entries_are_the_headings_text_escaped_once():
    """The 目录 repeats a heading's text: markup characters in it stay characters."""
    from jixiao.export.html import JixiaoHTMLExporter

    page, _ = JixiaoHTMLExporter().from_notebook_node(small_notebook(), resources={"jixiao": {"unit": "测试镇"}})
    doc = lhtml.fromstring(page)
    entries = doc.xpath('//nav[@id="toc"]//a')
    assert [(a.get("href"), a.text_content()) for a in entries] == [("#s01-1", "一、<b>基本&情况</b>")]
    assert not doc.xpath('//nav[@id="toc"]//b')
    assert '<a href="#s01-1">一、&lt;b&gt;基本&amp;情况&lt;/b&gt;</a>' in page


def test_pdf_of_a_hostile_cover_fetches_and_embeds_nothing(server, tmp_path):
    """The issue's case, without a kernel: hostile cover fields through the PDF exporter."""
    from jixiao.export.html import JixiaoPDFExporter

    port, requests = server
    pdf, _ = JixiaoPDFExporter().from_notebook_node(small_notebook(), resources={"jixiao": hostile_meta(port)})
    (tmp_path / "report.pdf").write_bytes(pdf)
    assert requests == []
    assert embedded_files(tmp_path / "report.pdf") == "0 embedded files"
    assert image_count(pdf) == 1  # the chart, not the title's image


# -- the PDF renderer: defence in depth ------------------------------------------------------
def test_pdf_renderer_fetches_nothing_outside_the_report_folder(server, tmp_path):
    """Markup that escaped escaping: the renderer reads data: URIs and the report's folder only."""
    from PIL import Image

    from jixiao.export.pdf import html_to_pdf

    port, requests = server
    folder = tmp_path / "report"
    folder.mkdir()
    Image.new("RGB", (20, 20), "#c00000").save(folder / "inside.png")
    outside = tmp_path / "outside.txt"
    outside.write_text("不属于报告的文件", encoding="utf-8")
    (folder / "link.txt").symlink_to(outside)  # inside by name, outside in fact
    web = f"http://127.0.0.1:{port}"
    page = (
        '<html lang="zh"><head>'
        f'<link rel="stylesheet" href="{web}/style.css">'
        '<link rel="attachment" href="file:///etc/hostname">'
        f"<style>@import url({web}/import.css); p {{ background: url({web}/bg.png) }}</style>"
        "</head><body><p>正文</p>"
        f'<img src="{web}/chart.png">'
        f'<img src="{png_data_uri()}">'
        '<img src="inside.png">'
        '<a rel="attachment" href="file:///etc/hostname">hostname</a>'
        f'<a rel="attachment" href="{outside.as_uri()}">outside</a>'
        '<a rel="attachment" href="../outside.txt">relative</a>'
        '<a rel="attachment" href="link.txt">symlink</a>'
        f'<a rel="attachment" href="{web}/remote.bin">remote</a>'
        "</body></html>"
    )
    warnings: list[str] = []
    pdf = html_to_pdf(page, base_url=str(folder), warnings=warnings)
    (tmp_path / "page.pdf").write_bytes(pdf)

    assert requests == []
    assert embedded_files(tmp_path / "page.pdf") == "0 embedded files"
    assert "不属于报告的文件".encode() not in pdf
    assert image_count(pdf) == 2  # the data: chart and the report folder's own image
    refused = "\n".join(warnings)
    for url in (f"{web}/style.css", f"{web}/chart.png", "file:///etc/hostname", outside.as_uri()):
        assert f"拒绝读取 {url}" in refused, url


# -- the review page and the roll-up (autoescaped Jinja environments) ------------------------
def test_review_page_prints_a_hostile_unit_as_text():
    from jixiao.review import render_review, review_findings

    meta = {"unit": hostile_unit(8), "year": 2024, "title": hostile_title(8)}
    page = render_review(meta, review_findings([], []))
    assert_no_markup(page, "review.html")
    doc = lhtml.fromstring(page)
    assert doc.findtext(".//title") == f"{meta['unit']}2024年度{meta['title']} 审核意见"
    assert doc.findtext(".//h1") == f"{meta['unit']}2024年度{meta['title']}"


def test_rollup_page_prints_hostile_names_as_text(tmp_path):
    from jixiao.scale.rollup import build_rollup

    reports = tmp_path / "reports"
    reports.mkdir()
    failed = {
        "township": "t1",
        "year": 2024,
        "name": hostile_unit(8),
        "status": "failed",
        "params": str(tmp_path / "t1.yaml"),
        "reason": "工作簿有误：<script>alert(5)</script>",
        "error_type": "WorkbookError",
    }
    (reports / "batch-manifest.json").write_text(json.dumps({"townships": [failed]}), encoding="utf-8")
    result = build_rollup(reports, title=hostile_title(8))
    page = result.html.read_text(encoding="utf-8")
    assert_no_markup(page, "rollup.html")
    doc = lhtml.fromstring(page)
    assert doc.findtext(".//title") == hostile_title(8)
    assert hostile_unit(8) in doc.text_content() and "<script>alert(5)</script>" in doc.text_content()


# -- end to end: a hostile 单位名称 in the workbook ------------------------------------------
@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """``run_report`` (html, pdf) on a copy of the example whose 单位名称 is hostile markup,
    with a local HTTP server listening on the port it names."""
    from openpyxl import load_workbook

    from jixiao.report.township import run_report

    requests: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 — http.server's naming
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        port = httpd.server_address[1]
        unit = hostile_unit(port)
        tmp = tmp_path_factory.mktemp("hostile")
        workbook = tmp / "hostile.xlsx"
        wb = load_workbook(EXAMPLE_XLSX)
        assert wb["基本信息"]["A3"].value == "单位名称"
        wb["基本信息"]["B3"].value = unit
        wb.save(workbook)
        raw = portable(EXAMPLE_PARAMS)
        raw.update(workbook=str(workbook), output_dir=str(tmp / "reports"), name=unit)
        params = tmp / "params.yaml"
        params.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        result = run_report(params, formats="html,pdf")
        yield result, unit, requests
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.mark.slow
def test_hostile_unit_name_end_to_end(hostile_run):
    result, unit, requests = hostile_run
    out = result.out_dir
    page = (out / "report.html").read_text(encoding="utf-8")
    assert_no_markup(page, "report.html")
    assert_cover_is_text(page, {"unit": unit, "year": 2023, "title": "部门整体绩效管理自评报告"})
    review = (out / "review.html").read_text(encoding="utf-8")
    assert_no_markup(review, "review.html")
    assert unit in lhtml.fromstring(review).text_content()
    assert requests == []
    assert embedded_files(out / "report.pdf") == "0 embedded files"
    assert image_count((out / "report.pdf").read_bytes()) > 0
