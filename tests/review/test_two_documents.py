"""End to end (#12): the example's filed report (报送版) and its review (审核意见), as a
consultant gets them from `jixiao run`. Slow: each run starts a kernel."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook as open_xlsx

from seed_recall import page_text, recall
from support import EXAMPLE_PARAMS, EXAMPLE_XLSX, SEED, portable

pytestmark = pytest.mark.slow

#: Words of a reviewer or of the tool: never in the unit's own report.
BANNED = ("工作簿", "参数文件", "jixiao", ".yaml", "请核实", "核对提示", "未提供")
CELL_REF = re.compile(r"[\u4e00-\u9fff]+![A-Z]{1,3}\d+")


def _params(tmp: Path, workbook: Path) -> Path:
    raw = portable(EXAMPLE_PARAMS)
    raw["workbook"] = str(workbook)
    raw["output_dir"] = str(tmp / "reports")
    p = tmp / "params.yaml"
    p.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return p


def _run(argv, capsys):
    from jixiao.cli import main

    code = main(argv)
    cap = capsys.readouterr()
    return code, cap.out + cap.err


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    from jixiao.report.township import run_report

    tmp = tmp_path_factory.mktemp("two-documents")
    result = run_report(_params(tmp, EXAMPLE_XLSX), formats="html,pdf,docx")
    return result, result.report.read_text(encoding="utf-8")


def test_the_filed_report_speaks_for_the_unit(example):
    _, page = example
    body = page_text(page.split("<body", 1)[1])
    for word in BANNED:
        assert word not in body, word
    assert not CELL_REF.search(body), CELL_REF.search(body)
    # its stated figures as stated, and the opening 依据 paragraph
    for figure in ("91分", "98.91分", "107.27%", "33.96%"):
        assert figure in body, figure
    assert "（徐政财字〔2023〕73号）和《2023年度区直部门（乡镇）绩效管理自评表》，结合实际情况" in body
    assert "107.26%" not in body  # the recomputed cash ratio is the review's business
    # a 落款 at the end; the date line left to fill by hand (报告日期 is blank), on the cover too
    signature = re.search(r'<footer class="signature">(.*?)</footer>', page, re.S).group(1)
    assert re.findall(r"<p[^>]*>(.*?)</p>", signature) == ["保定市徐水区东史端镇人民政府", "　　年　　月　　日"]
    assert '<div class="cover-date">　　年　　月　　日</div>' in page


def test_the_filed_report_keeps_the_seeds_sentences(example):
    _, page = example
    found, total, missing = recall(SEED.read_text(encoding="utf-8"), page_text(page))
    assert total == 305
    assert found / total >= 0.97, "\n".join(missing)


def test_the_example_is_a_draft_on_every_format(example):
    result, page = example
    assert result.draft and [f.id for f in result.open_errors] == ["assessment.total", "projects.not_achieved"]
    assert '<div class="draft-banner"' in page
    pdf_text = subprocess.run(
        ["pdftotext", "-f", "3", "-l", "3", str(result.out_dir / "report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "草稿" in pdf_text
    from docx import Document

    doc = Document(str(result.out_dir / "report.docx"))
    assert "草稿" in "".join(p.text for p in doc.sections[0].header.paragraphs)
    # the 落款 closes the Word version too, right-aligned
    last = [p for p in doc.paragraphs if p.text.strip()][-2:]
    assert [p.text for p in last] == ["保定市徐水区东史端镇人民政府", "　　年　　月　　日"]
    assert all(p.style.name == "Signature" for p in last)


def test_the_review_names_both_seed_errors_with_their_cells(example):
    result, _ = example
    out = result.out_dir
    assert {"review.html", "review.pdf", "checks.xlsx"} <= {p.name for p in out.iterdir()}
    review = page_text((out / "review.html").read_text(encoding="utf-8"))
    assert "各类别得分合计89分，所述总分91分" in review and "考核得分!D11" in review
    assert "报告所述8个" in review and "的4个" in review and "填报数据!B36" in review
    assert "报送版保持草稿状态" in review
    # the sentence of the filed report each error affects
    assert (
        "报告原句“2023年，我镇积极履职，强化管理，较好的完成了各项工作，通过自评，我镇管理绩效考核得分为91分" in review
    )
    assert "“未完成绩效目标的项目有8个，涉及资金73.44万元，主要原因是：”" in review
    rows = list(open_xlsx(out / "checks.xlsx")["勾稽校验"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 91


def test_final_refuses_a_draft_and_writes_nothing(tmp_path, capsys):
    params = _params(tmp_path, EXAMPLE_XLSX)
    code, out = _run(["run", str(params), "--final"], capsys)
    assert code == 1
    assert "报告仍为草稿，未生成定稿：2 项错误" in out and "考核总分与各类别得分" in out
    assert not (tmp_path / "reports").exists()


def _acknowledge_and_poison(path: Path) -> None:
    """Acknowledge both errors in 校验说明; put markup and template syntax into texts that
    reach both documents (a 文字说明 paragraph, a project name quoted by a finding)."""
    wb = open_xlsx(path)
    ws = wb["校验说明"]
    ws.append(["assessment.total", "考核得分!D11", "总分以区财政局核定的91分为准"])
    ws.append(["未完成绩效目标项目数与项目表", None, "<script>alert('ack')</script>监控口径与项目表口径不同"])
    texts = wb["文字说明"]
    for row in texts.iter_rows(min_row=3):
        if row[0].value == "预算透明度":
            row[1].value = "<script>alert(1)</script>{{ 7*7 }}我镇按要求公开。"
    projects = wb["项目"]
    for row in projects.iter_rows(min_row=3):
        if row[0].value == 35:
            row[1].value = "<b>提前下达</b>{{ 7*7 }}林业资金"
    wb.save(path)


def test_acknowledged_errors_lift_the_mark_and_final_succeeds(tmp_path, capsys):
    import shutil

    wb = tmp_path / "acknowledged.xlsx"
    shutil.copy(EXAMPLE_XLSX, wb)
    _acknowledge_and_poison(wb)
    params = _params(tmp_path, wb)
    code, out = _run(["run", str(params), "--final", "--format", "html"], capsys)
    assert code == 0, out
    assert "报告为草稿" not in out
    folder = tmp_path / "reports" / "dongshiduan" / "2023"
    page = (folder / "report.html").read_text(encoding="utf-8")
    review = (folder / "review.html").read_text(encoding="utf-8")
    assert '<div class="draft-banner"' not in page
    assert "【错误·已说明】考核总分与各类别得分" in page_text(review)
    assert "总分以区财政局核定的91分为准" in page_text(review)
    for doc in (page, review):
        assert "<script>" not in doc and "<b>提前下达</b>" not in doc
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}我镇按要求公开。" in page
    assert "&lt;b&gt;提前下达&lt;/b&gt;{{ 7*7 }}林业资金" in page
    assert "&lt;script&gt;alert(&#39;ack&#39;)&lt;/script&gt;" in review
    assert "&lt;b&gt;提前下达&lt;/b&gt;{{ 7*7 }}林业资金" in review
