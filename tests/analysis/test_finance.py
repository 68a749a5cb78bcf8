"""Derived figures of the bundled example against the seed report.

Each expected value is the figure printed in the seed report
(``tests/data/seed/dongshiduan-2023-self-evaluation.txt``), rounded half up to two
decimals; where the report prints no such figure the comment gives the hand arithmetic.
"""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from support import blanked, emptied

from jixiao.analysis import finance as F
from jixiao.rounding import fmt, round_half_up


def r2(x):
    return round_half_up(x, 2)


# -- 决算 by function ---------------------------------------------------------------------
# 二（三）4: “一般公共服务支出1255.13万元，占比48.14%；…灾害防治及应急管理支出7.16万元，占比0.27%”
REPORT_SHARES = {201: 48.14, 204: 0.03, 207: 0.19, 208: 10.30, 210: 1.63, 212: 26.29, 213: 9.05,
                 221: 4.09, 224: 0.27}


def test_final_by_function_shares_match_report(example_ds):
    df = F.final_by_function(example_ds)
    assert list(df.columns) == ["code", "name", "final", "share", "share_stated", "_row"]
    assert {int(c): r2(s) for c, s in zip(df["code"], df["share"])} == REPORT_SHARES
    # Full precision inside: 1255.13 ÷ 2607.15 × 100 = 48.1418…
    assert df["share"].iloc[0] == pytest.approx(1255.13 / 2607.15 * 100)
    assert F.final_total(example_ds) == 2607.15  # “决算收入2607.15万元”


def test_budget_vs_final_by_function(example_ds):
    df = F.budget_vs_final_by_function(example_ds).set_index("code")
    # Not printed in the report; by hand: 1255.13 − 1369.99 = −114.86; 1255.13 ÷ 1369.99 = 91.62 %.
    assert r2(df.loc[201, "difference"]) == -114.86
    assert r2(df.loc[201, "execution_ratio"]) == 91.62
    # 城乡社区 685.36 ÷ 41.75 = 1641.58 % (the 政府性基金 spent in 城乡社区).
    assert r2(df.loc[212, "execution_ratio"]) == 1641.58
    assert r2(sum(df["budget"])) == 1976.56  # “预算收入1976.56万元”


def test_budget_vs_final_by_fund_type(example_ds):
    df = F.budget_vs_final_by_fund_type(example_ds).set_index("fund_type")
    # 一般公共预算拨款 1934.66 vs 总决算 一般公共预算收入 1921.79: −12.87, 99.33 % (by hand).
    assert df.loc["一般公共预算拨款", "final_revenue"] == 1921.79
    assert r2(df.loc["一般公共预算拨款", "difference"]) == -12.87
    assert r2(df.loc["一般公共预算拨款", "execution_ratio"]) == 99.33
    assert df.loc["政府性基金拨款", "final_revenue"] == 685.36
    # Sources without a 总决算 counterpart stay "not computable".
    assert df.loc["其他收入", "final_revenue"] is None
    assert df.loc["其他收入", "execution_ratio"] is None


def test_execution_summary(example_ds):
    es = F.execution_summary(example_ds)
    assert r2(es.budget_total) == 1976.56
    assert es.final_total == 2607.15
    # 2607.15 ÷ 1976.56 = 131.90 % (by hand; the report prints no such ratio).
    assert r2(es.final_to_budget) == 131.90
    assert es.stated_progress == 97.47  # “项目整体支出进度是97.47%”
    # Only projects 35 (spent 0, budget blank) … 37–39 and 25 give amounts; both given for 4.
    assert (es.projects, es.projects_with_amounts) == (39, 4)
    # 527.35 + 0 + 0 + 0 spent of 527.35 + 20.33 + 15.17 + 6.25 = 569.10 budget → 92.66 %.
    assert r2(es.project_budget) == 569.10
    assert r2(es.project_rate) == 92.66


def test_project_status_summary(example_ds):
    df = F.project_status_summary(example_ds).set_index("status")
    assert list(df.index) == ["已完成", "部分完成", "未完成"]
    # The project table: 35 marked 已完成, 35/37/38/39 marked 未完成 (the report's 39 projects).
    assert df.loc["已完成", "count"] == 35
    assert df.loc["未完成", "count"] == 4
    assert df.loc["部分完成", "count"] == 0
    assert df.loc["未完成", "nos"] == [35, 37, 38, 39]
    # 20.33 + 15.17 + 6.25 = 41.75 (project 35's budget is not given).
    assert r2(df.loc["未完成", "budget"]) == 41.75
    assert df.loc["未完成", "budget_known"] == 3
    assert df.loc["部分完成", "budget"] is None


# -- year on year -------------------------------------------------------------------------
def test_three_public_total(example_ds):
    y = F.three_public_total(example_ds)
    # 二（一）3: “2022年我镇三公经费3.86万元，2023年4.64万元，较2022年增加0.78万元”
    assert (y.previous, y.current) == (3.86, 4.64)
    assert r2(y.change) == 0.78
    assert y.change_stated == 0.78
    # 0.78 ÷ 3.86 = 20.21 % (by hand).
    assert r2(y.change_rate) == 20.21
    assert not y.previous_derived and not y.current_derived


def test_three_public_items(example_ds):
    df = F.three_public_items(example_ds).set_index("item")
    assert df.loc["公务用车运行维护费", "budget"] == 12.15
    assert bool(df.loc["公务接待费", "is_three_public"])
    # 会议费 and 培训费 are not 三公经费.
    assert not df.loc["会议费", "is_three_public"]
    assert not df.loc["培训费", "is_three_public"]
    # Items give no actuals: the change is not computable, not 0.
    assert df.loc["公务接待费", "change"] is None


def test_balance_sheet_changes(example_ds):
    df = F.balance_sheet_changes(example_ds).set_index("kind")
    # 二（五）1（1）: 资产 −0.23 %, 负债 −11.95 %, 净资产 −0.22 %.
    assert r2(df.loc["资产", "change_rate"]) == -0.23
    assert r2(df.loc["负债", "change_rate"]) == -11.95
    assert r2(df.loc["净资产", "change_rate"]) == -0.22
    # 净资产 at the end of 2022 is not stated: 7054.63 − 10.88 = 7043.75, flagged as derived.
    assert r2(df.loc["净资产", "previous"]) == 7043.75
    assert bool(df.loc["净资产", "previous_derived"])
    assert not df.loc["资产", "previous_derived"]
    assert df.loc["净资产", "current"] == 7028.6


# -- 三保, 非税, procurement ---------------------------------------------------------------
def test_three_guarantees(example_ds):
    df = F.three_guarantees(example_ds).set_index("category")
    # 二（一）2: 保基本民生 安排130.66、实际134.16，明细 75 + 23.46 + 1.5 + 3 + 0.5 + 30.7 = 134.16.
    assert r2(df.loc["保基本民生", "detail_sum"]) == 134.16
    assert df.loc["保基本民生", "detail_count"] == 6
    assert r2(df.loc["保基本民生", "difference"]) == 3.50
    # 134.16 ÷ 130.66 = 102.68 % (by hand).
    assert r2(df.loc["保基本民生", "actual_ratio"]) == 102.68
    assert r2(df.loc["保运转", "difference"]) == 0.01  # 102.92 − 102.91
    assert df.loc["保工资", "detail_sum"] is None  # no detail given


def test_nontax_variance(example_ds):
    df = F.nontax_variance(example_ds).set_index("item")
    # 生态环境罚没收入: budget 2, actual 0.2 → (0.2 − 2) ÷ 2 = −90 %, ≥ 30 %: flagged, as the report says.
    assert r2(df.loc["生态环境罚没收入", "variance"]) == -90.00
    assert df.loc["生态环境罚没收入", "flagged"] is True
    # Unbudgeted items: variance not computable.
    assert df.loc["利息收入", "variance"] is None
    assert df.loc["利息收入", "flagged"] is None


def test_nontax_variance_threshold_is_inclusive_and_configurable(example_ds):
    ds = copy.deepcopy(example_ds)
    ds.tables["nontax"].loc[1, "actual"] = 1.4  # (1.4 − 2) ÷ 2 = −30 % exactly
    assert F.nontax_variance(ds).loc[1, "flagged"] is True
    assert F.nontax_variance(ds, threshold=50).loc[1, "flagged"] is False


def test_procurement(example_ds):
    p = F.procurement(example_ds)
    # 二（三）6: 中小企业 100 %, 小微 100 %, 脱贫地区 0.2 ÷ 0.13 = 153.85 %.
    assert r2(p.sme_share) == 100.00
    assert r2(p.micro_share) == 100.00
    assert r2(p.poverty_ratio) == 153.85
    assert r2(p.contracts_to_budget) == 100.00


def test_special_funds_by_level(example_ds):
    df = F.special_funds_by_level(example_ds).set_index("level")
    # 省级 0.50; 中央 3.00 + 1 + 1.87 + 5.74 + 89.66 = 101.27 (by hand); total 101.77 as stated.
    assert r2(df.loc["省级", "amount"]) == 0.50
    assert r2(df.loc["中央", "amount"]) == 101.27
    assert df.loc["中央", "count"] == 5


# -- financial-report ratios ---------------------------------------------------------------
def test_financial_ratios(example_ds):
    fr = F.financial_ratios(example_ds)
    # 二（三）5 gives the 2022 year-end: the previous column.
    assert (fr.year, fr.column) == (2022, "previous")
    assert r2(fr.debt_ratio) == 0.15  # 10.88 ÷ 7054.63, “资产负债率0.15%”
    # 11.67 ÷ 10.88 = 107.2610… → 107.26; the report prints 107.27 (within input rounding).
    assert r2(fr.cash_ratio) == 107.26
    assert r2(fr.current_ratio) == 107.26
    # 流动资产 = 货币资金 + 其他应收款净额 = 11.67 + 0; 流动负债 = 其他应付款 10.88.
    assert fr.current_asset_items == ["货币资金", "其他应收款净额"]
    assert r2(fr.current_assets) == 11.67
    assert fr.current_liability_items == ["其他应付款"]
    assert fr.current_liabilities == 10.88
    assert fr.unclassified == []
    assert r2(fr.other_payables_share) == 100.00  # “其他应付款10.88万元，占比100%”
    # The 2022 fixed-asset original value is not given: 成新率 is not computable (未提供).
    assert fr.fixed_asset_net == 135.48
    assert fr.fixed_asset_original is None
    assert fr.fixed_asset_newness is None
    assert fmt(fr.fixed_asset_newness) == "未提供"
    assert fr.net_assets_derived


def test_balance_classification():
    assert F.classify_balance_item("货币资金") == "流动资产"
    assert F.classify_balance_item("其他应收款净额") == "流动资产"
    assert F.classify_balance_item("公共基础设施净值") == "非流动资产"
    assert F.classify_balance_item("其他应付款") == "流动负债"
    assert F.classify_balance_item("长期借款") == "非流动负债"
    assert F.classify_balance_item("固定资产原值") == "备查"
    assert F.classify_balance_item(" 货币 资金 ") == "流动资产"  # spaces ignored
    assert F.classify_balance_item("某某款项") is None


def test_current_ratio_with_receivables(example_ds):
    ds = copy.deepcopy(example_ds)
    bs = ds.tables["balance_sheet"]
    bs.loc[bs["item"] == "其他应收款净额", "previous"] = 2.0
    fr = F.financial_ratios(ds)
    assert r2(fr.current_ratio) == r2((11.67 + 2.0) / 10.88 * 100)
    assert r2(fr.cash_ratio) == 107.26  # cash alone is unchanged


def test_physical_asset_newness(example_ds):
    # Vehicles: 29.32 ÷ 70.42 = 41.64 % (by hand; the report gives 原值 and 净值 only).
    assert r2(F.vehicle_newness(example_ds)) == 41.64
    df = F.physical_asset_newness(example_ds).set_index("kind")
    assert df.loc["土地", "newness"] is None  # 0 ÷ 0: not computable
    assert df.loc["房屋", "newness"] is None  # 原值 not given


def test_staff_control_rate(example_ds):
    # 编制数55、实有93: 93 ÷ 55 = 169.09 % (by hand).
    assert r2(F.staff_control_rate(example_ds)) == 169.09


# -- blanks ----------------------------------------------------------------------------------
def test_helpers_treat_blanks_as_not_provided():
    assert F.num(None) is None and F.num(float("nan")) is None and F.num(pd.NA) is None
    assert F.num("") is None and F.num("abc") is None and F.num(2) == 2.0
    assert F.pct(1, 0) is None and F.pct(None, 2) is None and F.pct(1, 4) == 25.0
    assert F.change_rate(110, 100) == pytest.approx(10.0)
    assert F.change_rate(1, None) is None
    assert F.total_of([None, float("nan")]) is None
    assert F.total_of([1, None, 2]) == 3


ALL_FUNCTIONS = ["final_total", "final_by_function", "budget_vs_final_by_function",
                 "budget_vs_final_by_fund_type", "execution_summary", "project_execution",
                 "project_status_summary", "three_public_items", "three_public_total",
                 "balance_sheet_changes", "three_guarantees", "nontax_variance", "procurement",
                 "special_funds_by_level", "financial_ratios", "physical_asset_newness",
                 "vehicle_newness", "staff_control_rate"]


@pytest.mark.parametrize("make", [blanked, emptied], ids=["blank-cells", "no-rows"])
@pytest.mark.parametrize("name", ALL_FUNCTIONS)
def test_every_function_survives_blank_data(example_ds, make, name):
    result = getattr(F, name)(make(example_ds))
    if isinstance(result, pd.DataFrame):
        # Not computable is None (object dtype), never NaN, so fmt() prints 未提供.
        for col in result.columns:
            assert not any(isinstance(v, float) and v != v for v in result[col]), col


def test_blank_data_gives_none_not_zero(example_ds):
    ds = blanked(example_ds)
    fr = F.financial_ratios(ds)
    assert fr.debt_ratio is None and fr.cash_ratio is None and fr.current_ratio is None
    assert F.staff_control_rate(ds) is None
    assert F.vehicle_newness(ds) is None
    assert F.three_public_total(ds).change is None
    assert F.procurement(ds).poverty_ratio is None
