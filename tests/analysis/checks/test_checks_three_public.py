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


# -- names as units write them (#13) -------------------------------------------------------
def _with_items(example_ds, items: list[str], budgets: list[float]):
    import copy

    import pandas as pd

    ds = copy.deepcopy(example_ds)
    ds.tables["three_public"] = pd.DataFrame(
        {"item": items, "budget": budgets, "actual": [None] * len(items), "last_actual": [None] * len(items)}
        | {"remark": [None] * len(items), "_row": list(range(3, 3 + len(items)))}
    )
    ds.totals["three_public"] = {"item": "合计", "budget": sum(budgets), "actual": None, "last_actual": None, "_row": 9}
    return ds


def _classification(ds, params):
    from jixiao.analysis.checks import run_checks

    return run_checks(ds, params, only=["three_public.classification"], raise_errors=True)


def test_another_provinces_official_wording_is_three_public(example_ds, params):
    ds = _with_items(example_ds, ["因公出国（境）费", "出国经费", "公务用车购置和维护经费", "公务接待费"], [1, 2, 3, 4])
    (f,) = _classification(ds, params)
    assert f.severity == "pass" and "4个分项均属" in f.message


def test_an_unknown_item_is_a_warning_listing_the_accepted_names(example_ds, params):
    ds = _with_items(example_ds, ["公务接待费", "宣传费", "会议费"], [1, 2, 3])
    wrong, unknown = _classification(ds, params)
    assert wrong.severity == "warning" and "“会议费”不属于三公经费" in wrong.message and wrong.cells == ["三公经费!A5"]
    assert unknown.severity == "warning" and unknown.cells == ["三公经费!A4"]
    assert "“宣传费”不是已知的三公经费名称" in unknown.message
    assert (
        "因公出国（境）费、公务用车购置及运行维护费" in unknown.message and "公务用车购置和维护经费" in unknown.message
    )


def test_a_parent_written_with_an_alias_still_hides_its_children(example_ds, params):
    from jixiao.analysis.checks import run_checks

    ds = _with_items(example_ds, ["公务用车购置和维护经费", "公务用车运行费", "公务接待费"], [10.0, 10.0, 2.0])
    ds.totals["three_public"]["budget"] = 12.0  # 10 + 2: the 其中 line is not added again
    (f,) = run_checks(ds, params, only=["three_public.budget_total"], raise_errors=True)
    assert f.severity == "pass", f.message
