"""Checks of the financial report (:mod:`jixiao.analysis.checks.financial`): the seed's known
finding (c), the balance sheet and the ratios on the example."""

from __future__ import annotations

import pytest
from checks_support import at_cell, one

from jixiao.analysis import checks as C
from jixiao.rounding import round_half_up


# -- the seed's known finding (c) ----------------------------------------------------------
@pytest.mark.parametrize(
    "check_id, stated_cell, cells",
    [
        ("financial.cash_ratio", "填报数据!B16", ["资产负债!D4", "资产负债!D9"]),
        ("financial.current_ratio", "填报数据!B17", ["资产负债!D4", "资产负债!D5", "资产负债!D9"]),
    ],
)
def test_c_ratios_within_rounding(findings, check_id, stated_cell, cells):
    f = one(findings, check_id)
    assert f.severity == "info"
    assert C.WITHIN_ROUNDING in f.message
    assert f.stated == pytest.approx(107.27)
    assert round_half_up(f.computed) == 107.26
    assert f.computed == pytest.approx(11.67 / 10.88 * 100)
    assert f.cells == [stated_cell] + cells
    assert "107.26%" in f.message and "107.27%" in f.message
    assert abs(f.difference) <= f.tolerance


@pytest.mark.parametrize(
    "check_id, cell, stated",
    [
        ("balance.parts", "资产负债!D3", 7054.63),  # 11.67 + 0 + 135.48 + 6907.48
        ("balance.parts", "资产负债!D8", 10.88),
        ("balance.net_assets", "资产负债!E10", 7028.6),  # 7038.18 − 9.58
        ("financial.debt_ratio", "填报数据!B15", 0.15),
        ("financial.other_payables_share", "填报数据!B19", 100.0),
    ],
)
def test_passes(findings, check_id, cell, stated):
    f = at_cell(findings, check_id, cell)
    assert f.severity == "pass", f.message
    assert f.stated == pytest.approx(stated)


@pytest.mark.parametrize("row, rate", [(3, -0.23), (8, -11.95), (10, -0.22)])
def test_balance_changes_pass(findings, row, rate):
    f = at_cell(findings, "balance.change", f"资产负债!F{row}")
    assert f.severity == "pass", f.message
    assert f.stated == pytest.approx(rate)


def test_net_asset_change_uses_derived_previous(findings):
    f = at_cell(findings, "balance.change", "资产负债!F10")
    assert "7043.75" in f.message  # 7054.63 − 10.88
    assert "资产负债!D3" in f.cells and "资产负债!D8" in f.cells
    g = at_cell(findings, "balance.net_assets", "资产负债!D3")
    assert g.severity == "info" and "推算" in g.message and g.computed == pytest.approx(7043.75)


def test_fixed_asset_newness_not_provided(findings):
    f = one(findings, "financial.fixed_asset_newness")
    assert f.severity == "info" and C.NOT_PROVIDED in f.message and f.stated == pytest.approx(33.96)
