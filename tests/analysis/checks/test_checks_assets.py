"""Checks of asset management (:mod:`jixiao.analysis.checks.assets`): the seed's known findings
(d) and (e), and the totals that hold on the example."""

from __future__ import annotations

import pytest
from checks_support import at_cell, one


# -- the seed's known findings (d), (e) ----------------------------------------------------
def test_d_fixed_assets_added_equals_stock(findings):
    f = one(findings, "fixed_assets.added_equals_stock")
    assert f.severity == "warning"
    assert (f.stated, f.computed) == pytest.approx((426.26, 426.26))
    assert "固定资产!C9" in f.cells and "固定资产!B9" in f.cells
    assert "426.26" in f.message and "逐项相同" in f.message


def test_e_cip_date_in_wrong_year(findings):
    f = one(findings, "assets.cip_date")
    assert f.severity == "warning"
    assert (f.stated, f.computed) == (2022.0, 2023.0)
    assert f.cells == ["填报数据!B53", "基本信息!B5"]
    assert "2022-12-31" in f.message


@pytest.mark.parametrize(
    "check_id, cell, stated",
    [
        ("fixed_assets.stock_total", "固定资产!B9", 426.26),
        ("fixed_assets.added_total", "固定资产!C9", 426.26),
    ],
)
def test_passes(findings, check_id, cell, stated):
    f = at_cell(findings, check_id, cell)
    assert f.severity == "pass", f.message
    assert f.stated == pytest.approx(stated)
