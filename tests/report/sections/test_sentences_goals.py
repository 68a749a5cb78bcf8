"""Every sentence jixiao generates in 一、三、四、五 (sections basic, goals, problems, measures)
is printed only when the data makes it true (issue #13): one test where the condition holds
(the sentence, exact wording) and one where it does not (absent, or the true alternative)."""

from __future__ import annotations

import copy
import re

import pandas as pd
import pytest

from jixiao.params import load_params
from jixiao.report.context import ReportContext
from jixiao.report.sections import basic as B
from jixiao.report.sections import goals as G
from jixiao.report.sections import measures as M
from jixiao.report.sections import problems as P

from support import EXAMPLE_PARAMS

#: The example's unfinished projects (spent 0 in the supplied dataset).
NOT_DONE = {35, 37, 38, 39}


def _ctx(ds, section: str = "04") -> ReportContext:
    return ReportContext(params=load_params(EXAMPLE_PARAMS), ds=ds, section=section)


def text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", re.sub(r'src="data:[^"]+"', "", str(html)))


def _indicator(no: int, i: int, level1: str, name: str, target, actual, unit: str, weight=None) -> dict:
    return {
        "project_no": no,
        "level1": level1,
        "level2": "",
        "name": name,
        "direction": "≥",
        "target": target,
        "actual": actual,
        "unit": unit,
        "weight": weight,
        "source": None,
        "_row": i,
    }


def supplied_ds(example_ds, *, short: bool = True, weights: str = "none"):
    """The example as if the unit had supplied its self-evaluation (:func:`goals.self_evaluation_gaps`
    empty): every project with 预算数 and 执行数, two indicators of its own (no 来源) each.

    ``short``: the unfinished projects miss the target of their first indicator.
    ``weights``: ``none`` | ``all`` | ``some`` (the first project's indicators only).
    """
    ds = copy.deepcopy(example_ds)
    p = ds.tables["projects"]
    p["budget"] = [10.0 + i for i in range(len(p))]
    p["spent"] = [b if int(no) not in NOT_DONE else 0.0 for b, no in zip(p["budget"], p["no"])]
    inds = []
    for i, no in enumerate(p["no"]):
        no = int(no)
        w = 1 if weights == "all" or (weights == "some" and i == 0) else None
        actual = 1 if short and no in NOT_DONE else 4
        inds.append(_indicator(no, i + 3, "产出指标", "完成事项数", 4, actual, "次", w))
        inds.append(_indicator(no, i + 100, "满意度指标", "群众满意度", 90, 95, "%", w))
    ds.tables["indicators"] = pd.DataFrame(inds, columns=list(example_ds.indicators.columns))
    return ds


# -- 一（一）机构设置和人员配备 -----------------------------------------------------------------------
def test_offices_listed_as_many_as_stated_read_fenbiewei(example_ds):
    t = text(B.organisation(_ctx(example_ds, "01")))
    assert "下设8个股室，分别为党政综合办公室（信访办公室）、" in t and "包括" not in t


def test_offices_fewer_listed_than_stated_read_baokuo(example_ds):
    ds = copy.deepcopy(example_ds)
    ds.facts["unit"]["office_count"] = 10
    t = text(B.organisation(_ctx(ds, "01")))
    assert "下设10个股室，包括党政综合办公室（信访办公室）、" in t and "分别为" not in t


def test_offices_more_listed_than_stated_lists_none(example_ds):
    ds = copy.deepcopy(example_ds)
    ds.facts["unit"]["office_count"] = 5
    t = text(B.organisation(_ctx(ds, "01")))
    assert "下设5个股室。" in t and "分别为" not in t and "包括" not in t


def test_offices_count_from_the_list_when_not_stated(example_ds):
    ds = copy.deepcopy(example_ds)
    ds.facts["unit"]["office_count"] = None
    assert "下设8个股室，分别为" in text(B.organisation(_ctx(ds, "01")))
    ds.tables["offices"] = ds.tables["offices"].iloc[0:0]
    assert "下设" not in text(B.organisation(_ctx(ds, "01")))


def test_unit_kind_and_funding_only_when_given(example_ds):
    assert "为正科级行政单位，经费保障形式为财政拨款，" in text(B.organisation(_ctx(example_ds, "01")))
    ds = copy.deepcopy(example_ds)
    ds.facts["unit"].update(level=None, unit_type=None, funding_form=None)
    t = text(B.organisation(_ctx(ds, "01")))
    assert "保定市徐水区东史端镇人民政府下设8个股室" in t
    assert "单位" not in t.split("下设")[0] and "经费保障形式" not in t


def test_staff_clauses_only_when_given(example_ds):
    out = str(B.organisation(_ctx(example_ds, "01")))
    assert "<p>根据《三定方案》，我部门编制数有55个，实有在编干部职工93名。</p>" in out
    ds = copy.deepcopy(example_ds)
    ds.facts["unit"].update(authorized_staff=None, staffing_basis=None)
    out = str(B.organisation(_ctx(ds, "01")))
    assert "<p>我部门实有在编干部职工93名。</p>" in out and "编制数有" not in out and "根据" not in out
    ds.facts["unit"]["actual_staff"] = None
    assert "我部门" not in str(B.organisation(_ctx(ds, "01")))


def test_goal_framework_sentence_only_with_the_table(example_ds):
    t = text(B.goal_framework(_ctx(example_ds, "01")))
    assert "设立了绩效预算架构，具体情况见下表：" in t
    ds = copy.deepcopy(example_ds)
    ds.tables["goal_framework"] = ds.tables["goal_framework"].iloc[0:0]
    out = B.goal_framework(_ctx(ds, "01"))
    assert "见下表" not in text(out) and "<table" not in str(out)


# -- 三、部门整体绩效目标实现情况 ------------------------------------------------------------------
def test_issue_sentence_on_amounts_never_printed(example_ds):
    """The issue's first example: no sentence says the amounts are missing, with or without them."""
    for ds in (example_ds, supplied_ds(example_ds)):
        c = _ctx(ds)
        html = "".join(str(b) for b in (G.project_table(c), G.self_evaluation(c), G.indicator_table(c)))
        assert "预算数和执行数" not in text(html) and "未逐项提供" not in text(html)


def test_self_evaluation_only_when_every_project_has_amounts_and_indicators(example_ds):
    c = _ctx(supplied_ds(example_ds))
    assert G.self_evaluation_gaps(c) == []
    t = text(G.self_evaluation(c))
    assert "（二）项目支出绩效自评" in t and "我镇对39个项目逐项自评，共78项绩效指标；" in t
    assert "（一）项目绩效目标完成情况" in text(G.project_table(c))
    c = _ctx(example_ds)
    assert str(G.self_evaluation(c)) == "" and "（一）" not in str(G.project_table(c))


def test_self_evaluation_grades_are_the_computed_ones(example_ds):
    c = _ctx(supplied_ds(example_ds))
    frame = G.score_frame(c)
    t = text(G.self_evaluation(c))
    for grade, nos in G.self_evaluation_figures(c)["grades"]:
        assert sorted(nos) == sorted(int(n) for n, g in zip(frame["no"], frame["grade"]) if g == grade)
        assert f"{grade}{len(nos)}个（序号{G.no_ranges(nos)}）" in t
    assert "评定等级" in t


def test_no_self_evaluation_without_projects(example_ds):
    ds = supplied_ds(example_ds)
    ds.tables["projects"] = ds.tables["projects"].iloc[0:0]
    ds.tables["indicators"] = ds.tables["indicators"].iloc[0:0]
    c = _ctx(ds)
    assert G.self_evaluation_gaps(c) and str(G.self_evaluation(c)) == "" and str(G.indicator_table(c)) == ""


def test_indicator_count_and_shortfall_clause(example_ds):
    t = text(G.indicator_table(_ctx(supplied_ds(example_ds))))
    assert "各项目绩效指标的目标值、实际值与得分见下表（共78项指标，其中4项未得满分）。" in t
    t = text(G.indicator_table(_ctx(supplied_ds(example_ds, short=False))))
    assert "（共78项指标）。" in t and "未得满分" not in t


@pytest.mark.parametrize(
    ("weights", "words", "not_words"),
    [
        ("none", "一级指标分值在其指标间平均分配", "权重"),
        ("all", "一级指标分值按其指标的权重分配", "平均分配"),
        ("some", "一级指标分值在填列权重的指标间按权重分配，其余在其指标间平均分配", "按其指标的权重分配"),
    ],
)
def test_issue_sentence_on_weights_follows_the_weights(example_ds, weights, words, not_words):
    """The issue's second example: “平均分配” only when no indicator has a weight."""
    t = text(G.indicator_table(_ctx(supplied_ds(example_ds, weights=weights))))
    assert words in t and not_words not in t


def test_absent_level_clause_only_when_a_level_has_no_indicator(example_ds):
    c = _ctx(supplied_ds(example_ds))
    absent = any("无指标" in n for n, _ in G.score_notes(c))
    assert absent  # the supplied indicators cover 产出 and 满意度 only
    assert "无指标的一级指标分值按评分方案处理（见上表说明）。" in text(G.indicator_table(c))
    ds = supplied_ds(example_ds)
    levels = list(G.scores(c)[0][1].scheme.levels)
    rows = []
    for no in ds.projects["no"]:
        rows += [_indicator(int(no), 3, lv, f"{lv}一", 4, 4, "次") for lv in levels]
    ds.tables["indicators"] = pd.DataFrame(rows, columns=list(example_ds.indicators.columns))
    c = _ctx(ds)
    assert not any("无指标" in n for n, _ in G.score_notes(c))
    assert "无指标的一级指标" not in text(G.indicator_table(c))


# -- 四、五 (the review's problems; the filed report's own texts) ----------------------------------
def _problem(c, kind):
    return next((p for p in P.problem_list(c) if p.kind == kind), None)


def test_shortfall_says_transcribed_only_when_it_is(example_ds):
    assert _problem(_ctx(example_ds), "indicator_shortfall").text.startswith("从绩效目标摘出的指标中，6项")
    p = _problem(_ctx(supplied_ds(example_ds)), "indicator_shortfall")
    assert p.text.startswith("项目绩效指标中，4项未达目标或未报实际值：") and "摘出" not in p.text
    assert _problem(_ctx(supplied_ds(example_ds, short=False)), "indicator_shortfall") is None


def test_no_indicators_wording_follows_the_source(example_ds):
    assert "13个项目的绩效目标未写明可量化的指标值：" in _problem(_ctx(example_ds), "no_indicators").text
    ds = supplied_ds(example_ds)
    ds.tables["indicators"] = ds.tables["indicators"][ds.tables["indicators"]["project_no"] != 1]
    p = _problem(_ctx(ds), "no_indicators")
    assert p.text.startswith("1个项目未填列绩效指标：序号1“服务群众专项经费”，") and "未写明" not in p.text
    assert _problem(_ctx(supplied_ds(example_ds)), "no_indicators") is None


def test_low_execution_unknown_count_only_of_projects_missing_amounts(example_ds):
    p = _problem(_ctx(example_ds), "low_execution")
    pe = G.F.project_execution(example_ds)
    unknown = sum(1 for r in pe.to_dict("records") if (r["budget"] is None or r["spent"] is None) and r["spent"] != 0)
    assert f"其余项目中{unknown}个的预算数或执行数未提供，无法判断其执行率。" in p.text
    p = _problem(_ctx(supplied_ds(example_ds)), "low_execution")
    assert p.text.startswith("执行数为0、全年未发生支出的项目4个：") and "其余" not in p.text


def test_amounts_missing_only_when_missing(example_ds):
    assert _problem(_ctx(example_ds), "amounts_missing").text.startswith("39个项目中有35个未列示预算数")
    assert _problem(_ctx(supplied_ds(example_ds)), "amounts_missing") is None


def test_stated_problems_and_measures_only_when_listed(example_ds):
    c = _ctx(example_ds, "05")
    assert text(P.stated_problems(c)).startswith("（一）重大政策落实：")
    assert "（四）是加强项目资金和绩效目标的动态管理。" in text(M.measures(_ctx(example_ds, "06")))
    ds = copy.deepcopy(example_ds)
    ds.tables["problems"] = ds.tables["problems"].iloc[0:0]
    ds.tables["measures"] = ds.tables["measures"].iloc[0:0]
    ds.facts["texts"]["problems_summary"] = None
    ds.facts["texts"]["measures_summary"] = None
    assert text(P.stated_problems(_ctx(ds, "05"))).strip() == ""
    assert text(P.summary(_ctx(ds, "05"))).strip() == ""
    assert text(M.measures(_ctx(ds, "06"))).strip() == ""


def test_low_execution_zero_budget_is_not_a_missing_amount(example_ds):
    """A budget of 0 gives no rate, yet both amounts are given: not counted as 未提供."""
    ds = supplied_ds(example_ds)
    ds.tables["projects"].loc[0, ["budget", "spent"]] = [0.0, 5.0]
    p = _problem(_ctx(ds), "low_execution")
    assert p.text.startswith("执行数为0、全年未发生支出的项目4个：") and "未提供" not in p.text
