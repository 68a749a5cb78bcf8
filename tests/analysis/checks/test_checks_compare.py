"""Tolerance behaviour (:mod:`jixiao.analysis.checks.compare`): blank parts, sums of many parts,
and the rounding interval of totals and ratios on the example."""

from __future__ import annotations

import copy

import pytest
from checks_support import at_cell, one

from jixiao.analysis import checks as C
from jixiao.analysis.checks import compare_sum, run_check
from jixiao.rounding import sum_tolerance


def test_compare_sum_with_blank_parts():
    # A gap the blank parts could hold is not provable; an excess over the total is.
    assert compare_sum("x", 10.0, [4.0, None, 5.0], ["A1"]).severity == "info"
    assert C.NOT_PROVIDED in compare_sum("x", 10.0, [4.0, None, 5.0], ["A1"]).message
    assert compare_sum("x", 8.0, [4.0, None, 5.0], ["A1"]).severity == "error"
    assert compare_sum("x", 9.0, [4.0, None, 5.0], ["A1"]).severity == "pass"


def test_compare_sum_tolerance_over_nine_parts():
    parts = [1.11] * 9  # 9.99
    assert compare_sum("x", 9.99, parts, ["A1"]).severity == "pass"
    f = compare_sum("x", 10.00, parts, ["A1"])
    assert f.severity == "info" and C.WITHIN_ROUNDING in f.message
    assert f.tolerance == sum_tolerance(9) == pytest.approx(0.05)
    assert compare_sum("x", 10.09, parts, ["A1"]).severity == "error"


@pytest.mark.parametrize(
    "stated, severity",
    [(2607.15, "pass"), (2607.16, "info"), (2607.14, "info"), (2607.25, "error"), (2607.05, "error")],
)
def test_final_total_tolerance_on_example(example_ds, stated, severity):
    ds = copy.deepcopy(example_ds)
    ds.facts["stated"]["final_revenue_total"] = stated
    f = at_cell(run_check("functions.final_total", ds), "functions.final_total", "填报数据!B12")
    assert f.severity == severity, f.message
    assert f.tolerance == pytest.approx(sum_tolerance(9))


def test_ratio_tolerance_widened_by_stated_rounding(example_ds):
    ds = copy.deepcopy(example_ds)
    # 11.665 ÷ 10.885 = 107.1658 % … 11.675 ÷ 10.875 = 107.3563 %, ±0.005 for the stated figure.
    for stated, sev in ((107.26, "pass"), (107.36, "info"), (107.37, "error"), (107.17, "info"), (107.16, "error")):
        ds.facts["stated"]["cash_ratio"] = stated
        assert one(run_check("financial.cash_ratio", ds), "financial.cash_ratio").severity == sev, stated
