"""The review page (审核意见) and checks.xlsx on the bundled example, without a kernel."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from openpyxl import load_workbook as open_xlsx

from jixiao.analysis.checks import Finding
from jixiao.review import Acknowledgement, ReviewPart, render_review, review_findings, write_review

from support import EXAMPLE_PARAMS

META = {"unit": "保定市徐水区东史端镇人民政府", "year": 2023, "title": "部门整体绩效管理自评报告"}


@pytest.fixture(scope="module")
def findings(example_ds):
    from jixiao.analysis.checks import run_checks
    from jixiao.params import load_params

    return run_checks(example_ds, load_params(EXAMPLE_PARAMS))


def text(page: str) -> str:
    page = re.sub(r"<style.*?</style>", "", page, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", "", page))


def test_the_seed_errors_with_both_figures_cells_place_and_action(findings):
    t = text(render_review(META, review_findings(findings, [])))
    assert "错误2条，警告4条，提示22条，通过63条" in t
    assert "有2项错误尚未更正或说明，报送版保持草稿状态" in t
    total = t.split("【错误】考核总分与各类别得分", 1)[1].split("【错误】", 1)[0]
    assert "各类别得分合计89分，所述总分91分" in total
    assert "填报数 91.00；计算数 89.00；差异 2.00" in total
    assert "考核得分!D3:D10、考核得分!D11、填报数据!B3" in total
    assert "二、部门绩效考核自评情况（开篇：考核得分）" in total
    assert "报送前更正有关数据" in total
    projects = t.split("【错误】未完成绩效目标项目数与项目表", 1)[1].split("【警告】", 1)[0]
    assert "报告所述8个" in projects and "“未完成”（含“部分完成”）的4个" in projects
    assert "填报数 8.00；计算数 4.00；差异 4.00" in projects and "项目!H3:H41" in projects
    # info grouped, rounding notes first; passed checks only counted
    assert t.index("在舍入误差范围内的差异（无需更正）（3项）") < t.index("因数据空缺无法核对的项目")
    assert "另有63项校验按报送版所列数字完全成立" in t and "checks.xlsx" in t
    assert "一般公共服务支出占比：1255.13 ÷ 2607.15 = 48.14%" not in t  # a passed check is not listed


def test_acknowledged_errors_show_as_such_and_the_verdict_changes(findings):
    acks = [
        Acknowledgement("assessment.total", None, "以区财政局核定的91分为准"),
        Acknowledgement("projects.not_achieved", None, "监控口径与项目表口径不同，已在报告中说明"),
    ]
    t = text(render_review(META, review_findings(findings, acks)))
    assert "错误2条（其中已说明2条）" in t
    assert "【错误·已说明】考核总分与各类别得分" in t and "以区财政局核定的91分为准" in t
    assert "错误均已更正或说明，报送版可以定稿" in t and "草稿状态" not in t


def test_remarks_and_parts_are_listed(findings):
    page = render_review(
        META,
        review_findings(findings, []),
        remarks=[("一、部门基本情况", "“人员编制”未列示无数据的列：单位。")],
        parts=[ReviewPart("数据分析发现的问题及建议", "说明", ["A1　问题一"])],
    )
    t = text(page)
    assert "四、报送版未列示的内容" in t and "一、部门基本情况　“人员编制”未列示无数据的列：单位。" in t
    assert "五、数据分析发现的问题及建议" in t and "A1　问题一" in t


def test_text_from_files_is_escaped():
    f = Finding(
        "x.y", "<i>检查</i>", "error", "<script>alert(1)</script>{{ 7*7 }}", 1.0, 2.0, -1.0, 0.01, ["<b>表</b>!A1"]
    )
    page = render_review(
        {**META, "unit": "<script>x</script>"},
        review_findings([f], [Acknowledgement("x.y", "<b>", "<img src=x onerror=alert(1)>")]),
        remarks=[("<h1>", "<a href='file:///etc/hostname'>")],
    )
    assert "<script>" not in page and "<img src=x" not in page and "<a href=" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}" in page


def test_checks_xlsx_lists_every_finding_errors_first(findings, tmp_path):
    written = write_review(tmp_path, META, review_findings(findings, []), ["html"])
    assert sorted(written) == ["checks.xlsx", "review.html"]
    ws = open_xlsx(written["checks.xlsx"])["勾稽校验"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(findings) == 91
    order = ["错误", "警告", "提示", "通过"]
    labels = [r[1] for r in rows]
    assert labels == sorted(labels, key=order.index)
    first = rows[0]
    assert first[2:4] == ("assessment.total", "考核总分与各类别得分")
    assert first[5:8] == (91.0, 89.0, 2.0)
    assert first[10] == "二、部门绩效考核自评情况（开篇：考核得分）"


PAGE = (
    '<main class="report"><h1 id="a" class="section">二、部门绩效考核自评情况</h1>'
    "<p>2023年，我镇积极履职，通过自评，我镇管理绩效考核得分为91分，换算得分98.91分，具体情况如下：</p>"
    '<h2 id="b">（一）机构设置和人员配备</h2><p>我镇下设8个股室；另有91.5分的说明。</p>'
    '<p class="table-note">表中合计91分。</p>'
    '<h2 id="c">（四）预算绩效管理情况，得分21.5分</h2><h3 id="d">4.绩效监控管理情况</h3>'
    "<p>截至12月份，实现绩效目标的项目有31个；未完成绩效目标的项目有8个，涉及资金73.44万元，主要原因是：</p>"
    "</main>"
)


def test_each_issue_quotes_the_sentences_that_print_its_stated_figure(findings):
    from jixiao.review.document import quotes, report_sentences

    sentences = report_sentences(PAGE)
    assert sentences[0] == (
        ("部门绩效考核自评情况",),
        "2023年，我镇积极履职，通过自评，我镇管理绩效考核得分为91分，换算得分98.91分，具体情况如下：",
    )
    assert all("表中合计" not in s for _, s in sentences)  # a table's note is not the text
    by_id = {f.id: f for f in findings if f.severity == "error"}
    assert quotes(sentences, by_id["assessment.total"]) == [sentences[0][1]]
    # 8 projects: the monitoring sentence under its heading, not “8个股室” elsewhere
    assert quotes(sentences, by_id["projects.not_achieved"]) == [
        "未完成绩效目标的项目有8个，涉及资金73.44万元，主要原因是："
    ]
    page = render_review(META, review_findings(findings, []), report=PAGE)
    assert "报告原句" in page and "“2023年，我镇积极履职，通过自评，我镇管理绩效考核得分为91分" in page


def test_places_are_numbered_as_the_report_prints_them():
    """A unit that leaves a part out has the later parts numbered up: the review names the
    part with the report's own numbers, and says when the report has no such part."""
    from jixiao.review.document import placed, report_headings

    page = (
        "<main>"
        '<h1 id="a">二、部门绩效考核自评情况</h1>'
        '<h2 id="b">（一）重大政策落实情况</h2>'
        '<h3 id="c">1.专项资金管理情况</h3><p>……</p>'
        '<h3 id="d">2.落实过紧日子要求情况</h3><p>……</p>'
        "</main>"
    )
    headings = report_headings(page)
    assert headings[-1] == ("二、部门绩效考核自评情况", "（一）重大政策落实情况", "2.落实过紧日子要求情况")
    # config/review.yaml: 二（一）3.落实过紧日子要求情况；二（二）2.部门预算编制情况（（2）三公经费预算）
    assert placed("three_public.within_budget", headings) == (
        "二（一）2.落实过紧日子要求情况；二（二）2.部门预算编制情况（（2）三公经费预算）（本报告未列此部分）"
    )
    assert placed("key.total", headings) == "重点评价报告"  # not a heading of this report: as configured
    assert placed("three_public.within_budget", []) == (
        "二（一）3.落实过紧日子要求情况；二（二）2.部门预算编制情况（（2）三公经费预算）"
    )
