"""Checks of government procurement (:mod:`jixiao.analysis.checks.procurement`) on the example."""

from __future__ import annotations

import pytest
from checks_support import at_cell


@pytest.mark.parametrize(
    "check_id, cell, stated",
    [
        ("procurement.shares", "填报数据!B24", 100.0),
        ("procurement.shares", "填报数据!B26", 100.0),
        ("procurement.shares", "填报数据!B29", 153.85),
    ],
)
def test_passes(findings, check_id, cell, stated):
    f = at_cell(findings, check_id, cell)
    assert f.severity == "pass", f.message
    assert f.stated == pytest.approx(stated)
