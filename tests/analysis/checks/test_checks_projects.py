"""Checks of projects and monitoring (:mod:`jixiao.analysis.checks.projects`): the seed's known
finding (b), and the counts that hold on the example."""

from __future__ import annotations

import pytest
from checks_support import at_cell, one


# -- the seed's known finding (b) ----------------------------------------------------------
def test_b_not_achieved_projects(findings):
    f = one(findings, "projects.not_achieved")
    assert f.severity == "error"
    assert (f.stated, f.computed, f.difference) == (8.0, 4.0, 4.0)
    assert "填报数据!B36" in f.cells and "项目!H3:H41" in f.cells
    assert "监控情况!D3:D10" in f.cells
    # Projects 4, 5, 11, 22: 已完成 in the table, not achieved in monitoring.
    for cell in ("项目!H6", "项目!H7", "项目!H13", "项目!H24"):
        assert cell in f.cells
    assert "序号4、5、11、22" in f.message
    assert "监控情况" in f.message and "8个，与所述一致" in f.message
    assert "序号35、37、38、39" in f.message


def test_b_counts_that_hold(findings):
    f = one(findings, "projects.count")  # 31 + 8 = 39 projects
    assert f.severity == "pass" and (f.stated, f.computed) == (39.0, 39.0)
    assert f.cells == ["填报数据!B34", "填报数据!B36", "项目!A3:A41"]
    f = one(findings, "monitoring.not_achieved_count")
    assert f.severity == "pass" and (f.stated, f.computed) == (8.0, 8.0)
    f = one(findings, "monitoring.status")
    assert f.severity == "warning"
    assert "序号4" in f.message and "序号22" in f.message


@pytest.mark.parametrize(
    "check_id, cell, stated",
    [
        ("projects.count", "填报数据!B34", 39),
        ("last_eval.counts", "填报数据!B40", 38),  # 27 + 0 + 0 + 11
    ],
)
def test_passes(findings, check_id, cell, stated):
    f = at_cell(findings, check_id, cell)
    assert f.severity == "pass", f.message
    assert f.stated == pytest.approx(stated)
