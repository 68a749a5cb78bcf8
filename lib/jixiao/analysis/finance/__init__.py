"""Derived figures of a township-year: shares, execution, changes, ratios.

Every function takes a :class:`~jixiao.workbook.dataset.Dataset` and returns a plain dataclass or
a DataFrame whose columns are listed in its docstring. Amounts are 万元 and percentages
are percentage points (48.14 means 48.14 %), both at **full precision**: round only for
presentation, with :func:`jixiao.rounding.round_half_up` / :func:`~jixiao.rounding.fmt`.

A blank (``None``, ``NaN``, ``pd.NA``) is "not provided": it is never read as 0, and a
figure that needs it is ``None`` ("not computable"), which :func:`~jixiao.rounding.fmt`
prints as 未提供. DataFrame results keep ``_row`` (the Excel row of the source record) so
that a caller can cite cells with ``ds.cell(sheet, column, row)``. Result DataFrames have
object dtype so that a blank stays ``None`` there too (``rounding.fmt`` prints 未提供).

The classification lists (current vs non-current balance-sheet lines, the 三公 items)
and the 非税 variance threshold live in ``config/finance.yaml``.

Modules
-------
- :mod:`~jixiao.analysis.finance.figures`: blank-aware arithmetic (:func:`pct`,
  :func:`change_rate`, :func:`total_of`) and :class:`YearOnYear`;
- :mod:`~jixiao.analysis.finance.inputs`: reading the dataset and ``config/finance.yaml``
  (:func:`finance_config`, :func:`name_key`);
- :mod:`~jixiao.analysis.finance.budget`: budget and 决算 by function and fund type,
  budget execution of the unit and its projects;
- :mod:`~jixiao.analysis.finance.funds`: 三公经费, 三保, 非税收入, 政府采购, 专项资金;
- :mod:`~jixiao.analysis.finance.balance`: the balance sheet, its changes and the
  财务报告 ratios (资产负债率, 现金比率, 流动比率, 固定资产成新率);
- :mod:`~jixiao.analysis.finance.resources`: physical assets' 成新率 and staff.

Callers use the package (``from jixiao.analysis import finance as F``; ``F.pct`` …): it
re-exports the public names of those modules, and :func:`~jixiao.values.is_blank`,
:func:`~jixiao.values.num` and :func:`~jixiao.values.text` for reading cell values.
"""

from __future__ import annotations

from jixiao.analysis.finance.balance import (
    FinancialRatios,
    balance_sheet_changes,
    balance_total,
    classify_balance_item,
    financial_ratios,
    financial_report_column,
)
from jixiao.analysis.finance.budget import (
    NOT_ACHIEVED,
    STATUSES,
    ExecutionSummary,
    budget_vs_final_by_function,
    budget_vs_final_by_fund_type,
    execution_summary,
    final_by_function,
    final_total,
    project_execution,
    project_status_summary,
)
from jixiao.analysis.finance.figures import YearOnYear, change_rate, pct, total_of
from jixiao.analysis.finance.funds import (
    Procurement,
    nontax_variance,
    procurement,
    special_funds_by_level,
    three_guarantees,
    three_public_items,
    three_public_names,
    three_public_total,
)
from jixiao.analysis.finance.inputs import finance_config, name_key
from jixiao.analysis.finance.resources import physical_asset_newness, staff_control_rate, vehicle_newness
from jixiao.values import is_blank, num, text

__all__ = [
    # cell values (jixiao.values)
    "is_blank",
    "num",
    "text",
    # arithmetic and inputs
    "YearOnYear",
    "change_rate",
    "pct",
    "total_of",
    "finance_config",
    "name_key",
    # budget and execution
    "NOT_ACHIEVED",
    "STATUSES",
    "ExecutionSummary",
    "budget_vs_final_by_function",
    "budget_vs_final_by_fund_type",
    "execution_summary",
    "final_by_function",
    "final_total",
    "project_execution",
    "project_status_summary",
    # particular funds and lines
    "Procurement",
    "nontax_variance",
    "procurement",
    "special_funds_by_level",
    "three_guarantees",
    "three_public_items",
    "three_public_names",
    "three_public_total",
    # balance sheet and ratios
    "FinancialRatios",
    "balance_sheet_changes",
    "balance_total",
    "classify_balance_item",
    "financial_ratios",
    "financial_report_column",
    # physical assets and staff
    "physical_asset_newness",
    "staff_control_rate",
    "vehicle_newness",
]
