"""附录 数据勾稽校验 (jixiao.report.sections.appendix), and the four section notebooks end to end."""

from __future__ import annotations

import json
import re

import pytest
from markupsafe import escape

from jixiao.analysis.checks import Finding, summarize
from jixiao.params import load_params
from jixiao.report.context import ReportContext
from jixiao.report.sections import appendix as S

from support import EXAMPLE_PARAMS, ROOT


@pytest.fixture
def ctx(example_ds):
    return ReportContext(params=load_params(EXAMPLE_PARAMS), ds=example_ds, section="99")


def body_rows(html: str) -> list[list[str]]:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", td) for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_every_finding_appears_once_errors_first(ctx):
    html = S.findings_table(ctx)
    rows = body_rows(html)
    assert len(rows) == len(ctx.findings) == 89
    for f in ctx.findings:
        assert str(escape(f.message)) in html, f.id
    labels = [r[1] for r in rows]
    order = ["错误", "警告", "提示", "通过"]
    assert labels == sorted(labels, key=order.index)
    assert [r[0] for r in rows] == [str(i) for i in range(1, 90)]


def test_summary_counts_match_summarize(ctx):
    counts = summarize(ctx.findings)
    rows = body_rows(S.summary_table(ctx))
    assert {r[0]: int(r[1]) for r in rows} == {
        "错误": counts["error"],
        "警告": counts["warning"],
        "提示": counts["info"],
        "通过": counts["pass"],
    }
    assert counts == {"error": 2, "warning": 4, "info": 20, "pass": 63}
    assert '<td class="n">89</td>' in S.summary_table(ctx)  # 合计
    intro = S.intro(ctx)
    assert "错误2条、警告4条、提示20条、通过63条" in intro


def test_the_seed_errors_are_shown_with_both_figures(ctx):
    rows = body_rows(S.findings_table(ctx))
    total = next(r for r in rows if "各类别得分合计89分，所述总分91分" in r[3])
    assert total[1:3] == ["错误", "考核总分与各类别得分"]
    assert total[4:7] == ["91.00", "89.00", "2.00"]
    assert "考核得分!D3:D10" in total[7]
    cash = next(r for r in rows if r[2].startswith("现金比率"))
    assert cash[1] == "提示"
    assert "= 107.26%，所述107.27%" in cash[3] and "在舍入误差范围内" in cash[3]
    assert cash[4:6] == ["107.27", "107.26"]


def test_intro_explains_the_tolerance_from_rounding(ctx):
    intro = S.intro(ctx)
    assert "（n + 1）× 0.005" in intro and "9个分项为0.050" in intro
    assert "11.67 ÷ 10.88 = 107.26%" in intro and "报告所述107.27%落在此范围内" in intro


def test_finding_text_is_escaped(ctx, example_ds):
    c = ReportContext(params=ctx.params, ds=example_ds, section="99")
    c.shared["findings"] = [
        Finding("x.y", "<i>检查</i>", "error", "<script>alert(1)</script>", 1.0, 2.0, -1.0, 0.01, ["<b>表</b>!A1"])
    ]
    html = S.intro(c) + S.summary_table(c) + S.findings_table(c)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "&lt;b&gt;表&lt;/b&gt;!A1" in html and "&lt;i&gt;检查&lt;/i&gt;" in html


def test_missing_figures_print_a_dash_not_nan(ctx):
    html = S.findings_table(ctx)
    assert "nan" not in html and "None" not in html
    row = next(r for r in body_rows(html) if r[2] == "三公经费的构成（仅因公出国（境）、公务用车、公务接待）")
    assert row[4:7] == ["—", "—", "—"]


@pytest.mark.slow
def test_section_notebooks_run_in_one_kernel(tmp_path):
    """04, 05, 06 and 99 execute with papermill in one shared kernel and show their blocks."""
    from jixiao.report.execute import execute_sections

    names = ["04_goals", "05_problems", "06_measures", "99_appendix"]
    sections = [(n, ROOT / "notebooks" / f"{n}.ipynb") for n in names]
    results = execute_sections(sections, tmp_path, {"params_path": str(EXAMPLE_PARAMS)})
    assert [r.status for r in results] == ["ok"] * 4

    def html_of(name: str) -> str:
        nb = json.loads((tmp_path / f"{name}.ipynb").read_text(encoding="utf-8"))
        out = []
        for cell in nb["cells"]:
            for o in cell.get("outputs", []):
                assert o.get("output_type") != "error", (name, o)
                text = o.get("data", {}).get("text/html", "")
                out.append("".join(text) if isinstance(text, list) else text)
        return "".join(out)

    goals, problems, measures, checks = (html_of(n) for n in names)
    assert "三、部门整体绩效目标实现情况" in goals and "<img" in goals and "华龙占地补偿" in goals
    assert "四、绩效自评发现的问题" in problems and 'id="jx-problem-A1"' in problems
    assert "五、改进措施及相关建议" in measures and 'href="#jx-problem-A1"' in measures
    assert "附录 数据勾稽校验" in checks and "所述总分91分" in checks
    # the committed notebooks stay clean
    for n in names:
        nb = json.loads((ROOT / "notebooks" / f"{n}.ipynb").read_text(encoding="utf-8"))
        assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
