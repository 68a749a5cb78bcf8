"""Checks of the assessment self-evaluation (:mod:`jixiao.analysis.checks.assessment`):
the seed's known finding (a), the applicable maximum and the grades."""

from __future__ import annotations

import copy

import pytest
from checks_support import at_cell, one

from jixiao.analysis import checks as C
from jixiao.analysis.checks import run_check, run_checks
from jixiao.rounding import round_half_up


# -- the seed's known finding (a) ----------------------------------------------------------
def test_a_assessment_total_is_an_error(findings):
    f = one(findings, "assessment.total")
    assert f.severity == "error"
    assert (f.stated, f.computed, f.difference) == (91.0, 89.0, 2.0)
    assert f.cells == ["考核得分!D3:D10", "考核得分!D11", "填报数据!B3"]
    # Which converted score each total implies, with the applicable maximum 92 of the params.
    assert "89分 → 96.74分" in f.message and "91分 → 98.91分" in f.message
    assert "92" in f.message


def test_a_converted_score_passes_within_rounding(findings):
    f = one(findings, "assessment.converted")
    assert f.severity == "pass"  # 91 ÷ 92 × 100 = 98.913 → 98.91 as printed
    assert f.stated == pytest.approx(98.91)
    assert round_half_up(f.computed) == 98.91
    assert f.computed == pytest.approx(91 / 92 * 100)
    assert f.cells == ["填报数据!B4", "填报数据!B3"]


def test_a_blank_category_is_not_provable(example_ds):
    ds = copy.deepcopy(example_ds)
    ds.tables["assessment"].loc[0, "score"] = None  # 78 given, 91 stated, one category blank
    f = one(run_check("assessment.total", ds), "assessment.total")
    assert f.severity == "info" and C.NOT_PROVIDED in f.message


def test_a_applicable_max_from_workbook_when_filled(example_ds):
    ds = copy.deepcopy(example_ds)
    ds.facts["stated"]["applicable_max"] = 92
    f = one(run_check("assessment.total", ds), "assessment.total")
    assert "89分 → 96.74分" in f.message
    assert "填报数据!B5" in f.cells


@pytest.mark.parametrize(
    "check_id, cell, stated",
    [
        ("key_evaluation.grade", "填报数据!B47", 97.9),
    ],
)
def test_passes(findings, check_id, cell, stated):
    f = at_cell(findings, check_id, cell)
    assert f.severity == "pass", f.message
    assert f.stated == pytest.approx(stated)


def test_without_params_the_applicable_max_is_not_provided(example_ds):
    fs = run_checks(example_ds, None)
    assert one(fs, "assessment.converted").severity == "info"
    assert C.NOT_PROVIDED in one(fs, "assessment.total").message
    assert one(fs, "assessment.total").severity == "error"
