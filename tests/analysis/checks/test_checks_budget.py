"""Checks of revenue, budget preparation and final accounts (:mod:`jixiao.analysis.checks.budget`)
on the example: totals, the shares of each function, non-tax revenue variances."""

from __future__ import annotations

import pytest
from checks_support import at_cell, of, one

from jixiao.rounding import round_half_up


@pytest.mark.parametrize(
    "check_id, cell, stated",
    [
        ("budget_revenue.total", "预算收入!B7", 1976.56),
        ("functions.budget_total", "预算收入!B7", 1976.56),
        ("functions.final_total", "填报数据!B12", 2607.15),
        ("functions.final_total", "总决算!B5", 2607.15),
        ("functions.final_total", "总决算!C5", 2607.15),
        ("fund_types.totals", "总决算!B5", 2607.15),  # 1921.79 + 685.36
        ("final_revenue.parts", "填报数据!B12", 2607.15),
        ("nontax.total", "非税收入!C6", 25.37),
    ],
)
def test_passes(findings, check_id, cell, stated):
    f = at_cell(findings, check_id, cell)
    assert f.severity == "pass", f.message
    assert f.stated == pytest.approx(stated)


@pytest.mark.parametrize(
    "row, share",
    [(3, 48.14), (4, 0.03), (5, 0.19), (6, 10.30), (7, 1.63), (8, 26.29), (9, 9.05), (10, 4.09), (11, 0.27)],
)
def test_each_stated_share_is_reproduced(findings, row, share):
    f = at_cell(findings, "functions.final_share", f"支出功能分类!E{row}")
    assert f.severity in ("pass", "info")
    assert f.stated == pytest.approx(share)
    assert f"支出功能分类!D{row}" in f.cells and "填报数据!B12" in f.cells


def test_share_sum_is_within_rounding(findings):
    f = one(findings, "functions.share_sum")  # the nine printed shares add to 99.99
    assert f.severity == "info" and f.stated == pytest.approx(99.99)


def test_nontax_variance_consistent_with_text(findings):
    fs = of(findings, "nontax.variance")
    f = next(f for f in fs if "生态环境罚没收入" in f.message and "变动幅度" in f.message)
    assert f.severity == "info"
    assert round_half_up(f.computed) == -90.0
    assert "一致" in f.message
    assert f.cells == ["非税收入!B4", "非税收入!C4", "非税收入!D4"]
