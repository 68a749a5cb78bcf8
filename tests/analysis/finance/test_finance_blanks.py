"""Blanks are "not provided" across jixiao.analysis.finance: never 0, never NaN, always None."""

from __future__ import annotations

import pandas as pd
import pytest

from jixiao.analysis import finance as F

from support import blanked, emptied


# -- blanks ----------------------------------------------------------------------------------
def test_helpers_treat_blanks_as_not_provided():
    assert F.num(None) is None and F.num(float("nan")) is None and F.num(pd.NA) is None
    assert F.num("") is None and F.num("abc") is None and F.num(2) == 2.0
    assert F.pct(1, 0) is None and F.pct(None, 2) is None and F.pct(1, 4) == 25.0
    assert F.change_rate(110, 100) == pytest.approx(10.0)
    assert F.change_rate(1, None) is None
    assert F.total_of([None, float("nan")]) is None
    assert F.total_of([1, None, 2]) == 3


ALL_FUNCTIONS = [
    "final_total",
    "final_by_function",
    "budget_vs_final_by_function",
    "budget_vs_final_by_fund_type",
    "execution_summary",
    "project_execution",
    "project_status_summary",
    "three_public_items",
    "three_public_total",
    "balance_sheet_changes",
    "three_guarantees",
    "nontax_variance",
    "procurement",
    "special_funds_by_level",
    "financial_ratios",
    "physical_asset_newness",
    "vehicle_newness",
    "staff_control_rate",
]


@pytest.mark.parametrize("make", [blanked, emptied], ids=["blank-cells", "no-rows"])
@pytest.mark.parametrize("name", ALL_FUNCTIONS)
def test_every_function_survives_blank_data(example_ds, make, name):
    result = getattr(F, name)(make(example_ds))
    if isinstance(result, pd.DataFrame):
        # Not computable is None (object dtype), never NaN, so fmt() prints 未提供.
        for col in result.columns:
            assert not any(isinstance(v, float) and v != v for v in result[col]), col


def test_blank_data_gives_none_not_zero(example_ds):
    ds = blanked(example_ds)
    fr = F.financial_ratios(ds)
    assert fr.debt_ratio is None and fr.cash_ratio is None and fr.current_ratio is None
    assert F.staff_control_rate(ds) is None
    assert F.vehicle_newness(ds) is None
    assert F.three_public_total(ds).change is None
    assert F.procurement(ds).poverty_ratio is None
