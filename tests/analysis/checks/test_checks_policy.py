"""Checks of major-policy implementation (:mod:`jixiao.analysis.checks.policy`): special and
direct funds, “三保”, on the example."""

from __future__ import annotations

import pytest
from checks_support import at_cell, one


@pytest.mark.parametrize(
    "check_id, cell, stated",
    [
        ("special_funds.total", "专项资金!D9", 101.77),
        ("three_guarantees.detail", "三保支出!C3", 134.16),
    ],
)
def test_passes(findings, check_id, cell, stated):
    f = at_cell(findings, check_id, cell)
    assert f.severity == "pass", f.message
    assert f.stated == pytest.approx(stated)


def test_direct_fund_dates_pass(findings):
    f = one(findings, "direct_funds.dates")
    assert f.severity == "pass" and f.cells == ["直达资金!D3:D6"]
