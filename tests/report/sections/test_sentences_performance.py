"""二（四）–（五）: every sentence performance generates is printed only when the data makes it true
(issue #13, item 3). Each claim has a case where its condition holds (exact wording present) and
one where it does not (absent, or the true alternative)."""

from __future__ import annotations

import copy
import re

import pytest

from jixiao.params import load_params
from jixiao.report.context import ReportContext
from jixiao.report.sections import performance as S

from support import EXAMPLE_PARAMS


@pytest.fixture(scope="module")
def params():
    return load_params(EXAMPLE_PARAMS)


@pytest.fixture
def ds(example_ds):
    return copy.deepcopy(example_ds)


def run(params, ds, block: str) -> str:
    """The block's prose: tags, tables and table notes removed, whitespace dropped."""
    html = getattr(S, block)(ReportContext(params=params, ds=ds, section="03"))
    html = re.sub(r'<table.*?</table>|<p class="table-note">.*?</p>|<figure.*?</figure>', "", html, flags=re.S)
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def stated(ds, **kv) -> None:
    ds.facts["stated"].update(kv)


# -- 2.事前绩效评估 -------------------------------------------------------------------------
def test_ex_ante_counts_only_when_given(params, ds):
    t = run(params, ds, "ex_ante")
    assert "填报11个预算项目事前绩效评估表" in t and "2023年共完成39个项目的事前绩效评估（含追加）。" in t
    stated(ds, ex_ante_next_year=None)
    t = run(params, ds, "ex_ante")
    assert "事前绩效评估表" not in t and "在申报2024年" not in t
    assert "2023年共完成39个项目的事前绩效评估" in t
    stated(ds, ex_ante_count=None)
    assert "事前绩效评估（含追加）" not in run(params, ds, "ex_ante")
    stated(ds, ex_ante_next_year=11)
    t = run(params, ds, "ex_ante")
    assert "填报11个预算项目事前绩效评估表" in t and "共完成" not in t


# -- 4.绩效监控管理 -------------------------------------------------------------------------
def test_progress_rate_only_when_given(params, ds):
    assert "2023年，项目整体支出进度是97.47%，其中华龙占地补偿" in run(params, ds, "monitoring")
    stated(ds, execution_rate=None)
    t = run(params, ds, "monitoring")
    assert "整体支出进度" not in t
    assert "2023年，华龙占地补偿、环村林带建设补偿资金" in t


def test_no_large_variance_only_when_every_row_answers(params, ds):
    mon = ds.tables["monitoring"]
    mon["large_variance"] = "否"
    t = run(params, ds, "monitoring")
    assert "2023年，项目整体支出进度是97.47%，没有实际支出进度与分月支出计划差异率较大的项目。" in t
    assert "差异原因是" not in t
    # one row left blank: the sheet does not say that no project varies much
    mon.loc[mon.index[0], "large_variance"] = None
    t = run(params, ds, "monitoring")
    assert "没有实际支出进度与分月支出计划差异率较大的项目" not in t
    assert "2023年，项目整体支出进度是97.47%。" in t


def test_large_variance_names_and_reasons(params, ds):
    mon = ds.tables["monitoring"]
    mon["reason"] = None
    t = run(params, ds, "monitoring")
    assert "提前下达2023年省级林业改革发展补助资金差异率较大。" in t and "差异原因是" not in t
    # a large-variance row without a name: counted, not a dangling “其中差异率较大”
    mon.loc[mon.index[0], "name"] = None
    assert "其中5个项目差异率较大。" in run(params, ds, "monitoring")


def test_missed_reasons_only_with_a_positive_count(params, ds):
    t = run(params, ds, "monitoring")
    assert "未完成绩效目标的项目有8个，涉及资金73.44万元，主要原因是：" in t
    assert "③选任专职人民调解员经费" in t
    stated(ds, not_achieved_count=0, not_achieved_amount=None)
    t = run(params, ds, "monitoring")
    assert "未完成绩效目标的项目有0个。" in t
    assert "主要原因是" not in t and "③" not in t
    stated(ds, not_achieved_count=None)
    t = run(params, ds, "monitoring")
    assert "未完成绩效目标" not in t and "主要原因是" not in t
    assert "截至12月份，实现绩效目标的项目有31个，涉及资金1104.30万元。" in t


def test_midyear_counts_only_when_given(params, ds):
    assert "绩效目标实现程度在30%以下的项目有5个，工作未开展的项目有0个。" in run(params, ds, "monitoring")
    stated(ds, midyear_under_30=None, midyear_not_started=None)
    t = run(params, ds, "monitoring")
    assert "绩效目标实现程度达到50%的项目有21个。" in t and "30%以下" not in t and "工作未开展" not in t
    stated(ds, midyear_over_50=None, achieved_count=None, not_achieved_count=None)
    t = run(params, ds, "monitoring")
    assert "50%的项目" not in t and "截至12月份" not in t


# -- 5.绩效评价管理 -------------------------------------------------------------------------
def test_self_evaluation_counts(params, ds):
    t = run(params, ds, "evaluation")
    assert "我镇2022年共自评38个项目，其中，满分的项目有27个，95分以上的项目有0个" in t
    stated(ds, last_eval_full=None, last_eval_95=None, last_eval_90_95=None, last_eval_below_90=None)
    t = run(params, ds, "evaluation")
    assert "我镇2022年共自评38个项目。" in t and "其中，满分" not in t
    stated(ds, last_eval_count=None, last_eval_full=27)
    t = run(params, ds, "evaluation")
    assert "共自评" not in t and "我镇2022年自评的项目中，满分的项目有27个。" in t
    stated(ds, last_eval_full=None)
    assert "自评的项目" not in run(params, ds, "evaluation")


def test_key_evaluation_score_and_grade(params, ds):
    t = run(params, ds, "evaluation")
    assert "绩效评价综合得分97.9分，评价等级为“优”。" in t
    stated(ds, key_project_score=None, key_project_grade=None)
    t = run(params, ds, "evaluation")
    assert "（2）重点评价情况。按照财政部门通知要求，对东史端镇南胡渠村道路改造工程项目进行了重点评价。" in t
    assert "综合得分" not in t and "评价等级" not in t and "经综合评价" not in t
    stated(ds, key_project=None)
    assert "重点评价情况" not in run(params, ds, "evaluation")


# -- （五）1.资产负债 ------------------------------------------------------------------------
def _set_total(ds, kind: str, previous, current, rate) -> None:
    bs = ds.tables["balance_sheet"]
    i = bs.index[(bs["kind"] == kind) & (bs["level"] == "总额")][0]
    bs.loc[i, ["previous", "current", "change_stated"]] = [previous, current, rate]


def test_balance_direction_follows_the_figures(params, ds):
    assert "资产总额（账面净值，下同）7038.18万元，较上年减少0.23%。" in run(params, ds, "balance_sheet")
    _set_total(ds, "资产", 7000.0, 7070.0, 1.0)
    assert "资产总额（账面净值，下同）7070.00万元，较上年增加1.00%。" in run(params, ds, "balance_sheet")
    _set_total(ds, "资产", 7000.0, 7000.0, None)
    t = run(params, ds, "balance_sheet")
    assert "资产总额（账面净值，下同）7000.00万元，与上年持平。" in t and "较上年" not in t.split("负债")[0]
    # a stated rate whose sign contradicts the year-ends: the figures' direction and rate
    _set_total(ds, "资产", 7000.0, 7070.0, -1.0)
    t = run(params, ds, "balance_sheet")
    assert "较上年增加1.00%" in t and "较上年减少1.00%" not in t


def test_balance_change_only_with_a_rate(params, ds):
    _set_total(ds, "负债", None, 9.58, None)
    bs = ds.tables["balance_sheet"]
    bs.loc[bs["kind"] == "负债", "previous"] = None  # no 明细 to derive last year's total from
    t = run(params, ds, "balance_sheet")
    assert "负债总额9.58万元。" in t
    _set_total(ds, "负债", 10.88, None, None)
    assert "负债总额" not in run(params, ds, "balance_sheet")


# -- （2）（7）固定资产 ----------------------------------------------------------------------
def test_fixed_asset_total_stated_or_fully_summed(params, ds):
    t = run(params, ds, "fixed_asset_stock")
    assert "截至2023年12月31日，我单位固定资产426.26万元（账面原值，下同）。" in t
    # no stated total, one class blank: a sum of the others is no total
    del ds.totals["fixed_assets"]
    t = run(params, ds, "fixed_asset_stock")
    assert "我单位固定资产" not in t and "从资产类别分析，土地、房屋及构筑物111.16万元" in t
    # every class given: their sum is the total
    fa = ds.tables["fixed_assets"]
    fa.loc[fa["category"] == "特种动植物", "stock"] = 0.0
    assert "我单位固定资产426.26万元（账面原值，下同）。" in run(params, ds, "fixed_asset_stock")


def test_fixed_asset_additions_total(params, ds):
    assert "2023年度，我单位配置固定资产426.26万元（账面原值，下同）。" in run(params, ds, "fixed_asset_additions")
    del ds.totals["fixed_assets"]
    fa = ds.tables["fixed_assets"]
    fa.loc[fa.index[0], "added"] = None
    t = run(params, ds, "fixed_asset_additions")
    assert "我单位配置固定资产" not in t and "配置土地、房屋及构筑物" not in t
    assert "从资产类别分析，配置设备280.66万元" in t
    stated(ds, intangible_added=None)
    assert "配置无形资产" not in run(params, ds, "fixed_asset_additions")


def test_fixed_asset_stock_intangible(params, ds):
    assert "无形资产0.00万元。" in run(params, ds, "fixed_asset_stock")
    stated(ds, intangible_stock=None)
    assert "。无形资产" not in run(params, ds, "fixed_asset_stock")


# -- （3）–（5）实物资产 ----------------------------------------------------------------------
def _phys(ds, kind: str, **kv) -> None:
    pa = ds.tables["physical_assets"]
    i = pa.index[pa["kind"] == kind][0]
    for k, v in kv.items():
        pa.loc[i, k] = v


def test_physical_asset_year_end_sentence(params, ds):
    t = run(params, ds, "physical_assets")
    assert "（5）车辆情况。截至2023年12月31日，我单位车辆账面数量4辆，账面原值70.42万元，账面净值29.32万元。" in t
    assert (
        "（4）房屋情况。截至2023年12月31日，我单位房屋账面面积2351.33平方米，账面价值73.86万元，其中，办公用房面积2351.33平方米"
        in t
    )
    _phys(ds, "车辆", quantity=None, original_value=None)
    assert "（5）车辆情况。截至2023年12月31日，我单位车辆账面价值29.32万元。" in run(params, ds, "physical_assets")
    # neither quantity nor value: no “截至…，我单位车辆。”
    _phys(ds, "车辆", net_value=None)
    t = run(params, ds, "physical_assets")
    assert "我单位车辆" not in t and "（5）车辆情况。从使用状况分析：在用4辆" in t


def test_physical_asset_usage_and_additions(params, ds):
    t = run(params, ds, "physical_assets")
    assert "本年度新增0.00平方米。" in t and "新增4辆" not in t
    _phys(ds, "车辆", added=1)
    assert "本年度新增1辆。" in run(params, ds, "physical_assets")
    _phys(ds, "车辆", in_use=None, lent=None, idle=None, pending_disposal=None)
    assert (
        "（5）车辆情况。截至2023年12月31日，我单位车辆账面数量4辆，账面原值70.42万元，账面净值29.32万元。本年度新增1辆。"
        in run(params, ds, "physical_assets")
    )


# -- （6）在建工程 ---------------------------------------------------------------------------
def test_construction_in_progress(params, ds):
    assert "（6）在建工程情况。截至2022年12月31日，我单位无在建工程。" in run(params, ds, "construction_in_progress")
    stated(ds, cip_amount=12.5)
    t = run(params, ds, "construction_in_progress")
    assert "我单位在建工程12.50万元。" in t and "无在建工程" not in t
    stated(ds, cip_amount=None)
    assert "在建工程" not in run(params, ds, "construction_in_progress")
