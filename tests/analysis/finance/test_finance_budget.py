"""Budget, 决算 and execution of the bundled example (jixiao.analysis.finance.budget) against the seed report.

Each expected value is the figure printed in the seed report
(``tests/data/seed/dongshiduan-2023-self-evaluation.txt``), rounded half up to two
decimals; where the report prints no such figure the comment gives the hand arithmetic.
"""

from __future__ import annotations

import pytest

from jixiao.analysis import finance as F
from jixiao.rounding import round_half_up


def r2(x):
    return round_half_up(x, 2)


# -- 决算 by function ---------------------------------------------------------------------
# 二（三）4: “一般公共服务支出1255.13万元，占比48.14%；…灾害防治及应急管理支出7.16万元，占比0.27%”
REPORT_SHARES = {201: 48.14, 204: 0.03, 207: 0.19, 208: 10.30, 210: 1.63, 212: 26.29, 213: 9.05, 221: 4.09, 224: 0.27}


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
