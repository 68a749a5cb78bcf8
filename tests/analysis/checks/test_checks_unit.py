"""Checks of the unit's basic facts (:mod:`jixiao.analysis.checks.unit`) on the example."""

from __future__ import annotations

import pytest
from checks_support import at_cell, one


@pytest.mark.parametrize(
    "check_id, cell, stated",
    [
        ("unit.office_count", "基本信息!B9", 8),
    ],
)
def test_passes(findings, check_id, cell, stated):
    f = at_cell(findings, check_id, cell)
    assert f.severity == "pass", f.message
    assert f.stated == pytest.approx(stated)


def test_staff_checks(findings):
    f = one(findings, "unit.staff")
    assert f.severity == "pass" and "169.09%" in f.message
    assert f.cells == ["基本信息!B10", "基本信息!B11"]
    f = one(findings, "unit.fiscal_staff")
    assert f.severity == "info" and (f.stated, f.computed) == (93.0, 93.0)
