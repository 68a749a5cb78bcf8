"""三、部门整体绩效目标实现情况 (jixiao.report.sections.goals) on the bundled example."""

from __future__ import annotations

import copy
import re

import pytest
from markupsafe import escape

from jixiao.params import load_params
from jixiao.report.context import ReportContext
from jixiao.report.sections import goals as S

from support import EXAMPLE_PARAMS

NOT_DONE = {
    35: "提前下达2023年省级林业改革发展补助资金",
    37: "华龙占地补偿",
    38: "环村林带建设补偿资金",
    39: "华龙路晨阳大街景观改造项目（三标段）占地补偿",
}


@pytest.fixture
def ctx(example_ds):
    return ReportContext(params=load_params(EXAMPLE_PARAMS), ds=example_ds, section="04")


def render(ctx) -> str:
    return "".join(
        [
            ctx.heading("三、部门整体绩效目标实现情况", level=1),
            S.overview(ctx),
            S.project_table(ctx),
            S.status_chart(ctx),
            S.self_evaluation(ctx),
            S.indicator_table(ctx),
        ]
    )


def rows(html: str) -> list[list[str]]:
    """Cells of every body row of every table in ``html`` (tags stripped)."""
    out = []
    for body in re.findall(r"<tbody>(.*?)</tbody>", html, re.S):
        for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
            out.append([re.sub(r"<[^>]+>", "", td) for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)])
    return out


def test_every_project_name_appears(ctx, example_ds):
    html = render(ctx)
    names = list(example_ds.projects["name"])
    assert len(names) == 39
    for name in names:
        assert str(escape(name)) in html, name


def test_project_table_is_the_data_row_by_row(ctx, example_ds):
    table = rows(S.project_table(ctx))
    assert len(table) == 39
    for r, (_, p) in zip(table, example_ds.projects.iterrows()):
        assert r[0] == str(p["no"]) and r[1] == str(escape(p["name"]))
        assert r[4] == p["status"]


def test_the_four_unfinished_projects_are_marked(ctx):
    table = {int(r[0]): r for r in rows(S.project_table(ctx))}
    assert {no for no, r in table.items() if r[4] == "未完成"} == set(NOT_DONE)
    assert all(table[no][1] == name for no, name in NOT_DONE.items())
    opening = S.overview(ctx)
    assert "我镇2023年共实施39个项目，其中已完成35个、未完成4个" in opening
    for no, name in NOT_DONE.items():
        assert f"序号{no}“{name}”" in opening


def test_opening_states_only_the_amounts_given(ctx):
    opening = S.overview(ctx)
    # 4 budgets (25, 37, 38, 39) and 5 spent figures (35 too) are all the report gives
    assert "仅对4个项目给出预算数（合计569.10万元）、对5个项目给出执行数（合计527.35万元）" in opening
    assert "不计算全部项目的资金合计" in opening
    assert "所述未完成项目数与下表标记为未完成的4个不一致" in opening  # the report says 8


def test_status_chart_is_embedded(ctx):
    fig = S.status_chart(ctx)
    assert "<img" in fig and "data:image/png;base64," in fig
    assert "项目按完成状态" in fig
    counts = {r["status"]: r["count"] for r in S.status_figures(ctx)["statuses"]}
    assert counts == {"已完成": 35, "部分完成": 0, "未完成": 4}


def test_self_evaluation_scores_and_blanks(ctx):
    block = S.self_evaluation(ctx)
    assert "项目支出绩效自评（全国默认，财预〔2020〕10号）" in block
    table = {int(r[0]): r for r in rows(block)}
    assert len(table) == 39
    assert table[25][2:] == ["100.00%", "90.00", "100.00", "优"]
    assert table[37][2:] == ["0.00%", "0.00", "0.00", "差"]
    assert table[1][2:] == ["未提供"] * 4  # no amounts, no indicators
    assert table[3][2:] == ["未提供", "90.00", "未提供", "未提供"]  # indicators but no budget
    assert "报告未逐项提供大部分项目的预算数和执行数" in block
    assert "预算数未提供，无法计算预算执行率得分和总分（序号1–24、26–36）" in block
    assert "优1个（序号25）、差3个（序号37–39）" in block


def test_indicator_table_lists_every_extracted_indicator(ctx, example_ds):
    block = S.indicator_table(ctx)
    table = rows(block)
    assert len(table) == len(example_ds.indicators) == 32
    by_name = {(r[0], r[1]): r for r in table}
    r = by_name[("32．关于下达2023年中央农业防灾减灾和水利救灾资金（防灾救灾第七批）的通知", "修补重建圈舍面积")]
    assert r[2:] == ["=", "6", "未提供", "平方米", "45", "0.00", "实际值未提供"]
    assert by_name[("3．“三馆一站”免费开放资金", "开展文化活动次数")][2:] == ["≥", "4", "4", "次", "90", "90.00", "—"]


def test_no_stray_python_values(ctx):
    html = render(ctx)
    for bad in (">nan<", ">None<", "NaN", ">None", "None。"):
        assert bad not in html


def test_scheme_comes_from_the_parameters(ctx, example_ds):
    regional = ReportContext(
        params=ctx.params.model_copy(update={"scoring_scheme": "regional"}), ds=example_ds, section="04"
    )
    from jixiao.analysis.scoring import load_scheme

    assert load_scheme("regional").title in S.self_evaluation(regional)


def test_workbook_text_is_escaped(ctx):
    ds = copy.deepcopy(ctx.ds)
    ds.projects.loc[ds.projects["no"] == 1, "name"] = "<script>alert(1)</script>"
    html = render(ReportContext(params=ctx.params, ds=ds, section="04"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html


def test_no_ranges():
    assert S.no_ranges([1, 2, 3, 5, 7, 8]) == "1–3、5、7、8"
    assert S.no_ranges([]) == ""
