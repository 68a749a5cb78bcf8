"""Checks of the 三公 expenses (:mod:`jixiao.analysis.checks.three_public`): the seed's known
finding (f), and the totals that hold on the example."""

from __future__ import annotations

import pytest
from checks_support import at_cell, one


# -- the seed's known finding (f) ----------------------------------------------------------
def test_f_meeting_and_training_are_not_three_public(findings):
    f = one(findings, "three_public.classification")
    assert f.severity == "warning"
    assert f.cells == ["三公经费!A5", "三公经费!A6"]
    assert "会议费" in f.message and "培训费" in f.message


@pytest.mark.parametrize(
    "check_id, cell, stated",
    [
        ("three_public.budget_total", "三公经费!B7", 14.63),
        ("three_public.change", "填报数据!B7", 0.78),  # 4.64 − 3.86
    ],
)
def test_passes(findings, check_id, cell, stated):
    f = at_cell(findings, check_id, cell)
    assert f.severity == "pass", f.message
    assert f.stated == pytest.approx(stated)
