"""The balance sheet (资产负债): totals, year-on-year changes, line classes and the 财务报告 ratios.

Balance-sheet lines are classed by ``config/finance.yaml`` (current vs non-current
assets and liabilities, memo lines such as 原值 / 累计折旧). A 总额 the report leaves
blank is derived (净资产 = 资产 − 负债; 资产 / 负债 as the sum of their 明细 lines) and
flagged as derived.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from jixiao.analysis.finance.figures import frame, pct, year_on_year
from jixiao.analysis.finance.inputs import config_keys, fact, finance_config, name_key, records, table
from jixiao.values import num, text
from jixiao.workbook.dataset import Dataset


def _balance_rows(ds: Dataset, kind: str, level: str) -> list[dict]:
    return [r for r in records(table(ds, "balance_sheet")) if r.get("kind") == kind and r.get("level") == level]


def balance_total(ds: Dataset, kind: str, column: str) -> tuple[float | None, bool]:
    """The 总额 of 资产 / 负债 / 净资产 in ``column`` (``previous`` or ``current``).

    Returns
    -------
    (value, derived) : tuple
        The stated 总额 row; when blank, for 净资产 the difference 资产 − 负债 (derived),
        and for 资产 / 负债 the sum of the 明细 rows excluding memo lines (derived).
        ``(None, False)`` when not computable.
    """
    for r in _balance_rows(ds, kind, "总额"):
        v = num(r.get(column))
        if v is not None:
            return v, False
    if kind == "净资产":
        a, _ = balance_total(ds, "资产", column)
        li, _ = balance_total(ds, "负债", column)
        return (a - li, True) if a is not None and li is not None else (None, False)
    memo = config_keys(finance_config()["balance_sheet"]["memo"])
    parts = [num(r.get(column)) for r in _balance_rows(ds, kind, "明细") if name_key(r.get("item")) not in memo]
    values = [p for p in parts if p is not None]
    return (sum(values), True) if values else (None, False)


def balance_sheet_changes(ds: Dataset) -> pd.DataFrame:
    """Year-on-year change of 资产总额, 负债总额 and 净资产.

    净资产 of a year that the report does not state is derived as 资产 − 负债 of that
    year and flagged (``previous_derived`` / ``current_derived``).

    Returns
    -------
    DataFrame
        ``kind`` (资产 / 负债 / 净资产), ``item``, ``previous``, ``current``, ``change``,
        ``change_rate`` (percentage points, full precision), ``change_stated`` (the
        report's rate), ``previous_derived``, ``current_derived``, ``_row`` (the 总额 row,
        None when the sheet has none).
    """
    rows = []
    for kind in ("资产", "负债", "净资产"):
        total_rows = _balance_rows(ds, kind, "总额")
        r = total_rows[0] if total_rows else {}
        prev, prev_d = balance_total(ds, kind, "previous")
        cur, cur_d = balance_total(ds, kind, "current")
        y = year_on_year(
            text(r.get("item")) or {"资产": "资产总额", "负债": "负债总额", "净资产": "净资产"}[kind],
            prev,
            cur,
            r.get("change_stated"),
            prev_d,
            cur_d,
        )
        rows.append(
            {
                "kind": kind,
                "item": y.label,
                "previous": y.previous,
                "current": y.current,
                "change": y.change,
                "change_rate": y.change_rate,
                "change_stated": y.change_stated,
                "previous_derived": y.previous_derived,
                "current_derived": y.current_derived,
                "_row": r.get("_row"),
            }
        )
    return frame(
        rows,
        [
            "kind",
            "item",
            "previous",
            "current",
            "change",
            "change_rate",
            "change_stated",
            "previous_derived",
            "current_derived",
            "_row",
        ],
    )


def classify_balance_item(name: Any) -> str | None:
    """Class of a balance-sheet line per ``config/finance.yaml``.

    Returns
    -------
    str or None
        ``流动资产``, ``非流动资产``, ``流动负债``, ``非流动负债``, ``备查`` (原值 / 累计折旧
        memo lines), or None when the name is in none of the lists.
    """
    cfg = finance_config()["balance_sheet"]
    k = name_key(name)
    for cls, key in (
        ("备查", "memo"),
        ("流动资产", "current_assets"),
        ("非流动资产", "non_current_assets"),
        ("流动负债", "current_liabilities"),
        ("非流动负债", "non_current_liabilities"),
    ):
        if k in config_keys(cfg[key]):
            return cls
    return None


@dataclass
class FinancialRatios:
    """政府部门财务报告 ratios of one year-end.

    Current assets and liabilities are the 明细 lines of the 资产负债 sheet that
    ``config/finance.yaml`` lists as current (货币资金, 其他应收款净额 …; 其他应付款 …);
    a 明细 line in no list is named in ``unclassified`` and left out.

    Attributes
    ----------
    year : int or None
        Year-end the ratios describe (财务报告年度 when stated, else inferred from the column).
    column : str
        ``previous`` or ``current`` column of the 资产负债 sheet.
    assets, liabilities, net_assets : float or None
    net_assets_derived : bool
        True when net assets are 资产 − 负债 rather than stated.
    cash : float or None
        货币资金.
    current_assets, current_liabilities : float or None
        Sums of the current lines; None when no such line is given.
    current_asset_items, current_liability_items, unclassified : list of str
    debt_ratio : float or None
        资产负债率 = 负债 ÷ 资产 × 100.
    cash_ratio : float or None
        现金比率 = 货币资金 ÷ 流动负债 × 100.
    current_ratio : float or None
        流动比率 = 流动资产 ÷ 流动负债 × 100.
    fixed_asset_net, fixed_asset_original : float or None
    fixed_asset_newness : float or None
        固定资产成新率 = 净值 ÷ 原值 × 100 (None when 原值 is not provided).
    other_payables_share : float or None
        其他应付款 ÷ 负债 × 100.
    """

    year: int | None
    column: str
    assets: float | None
    liabilities: float | None
    net_assets: float | None
    net_assets_derived: bool
    cash: float | None
    current_assets: float | None
    current_liabilities: float | None
    current_asset_items: list[str] = field(default_factory=list)
    current_liability_items: list[str] = field(default_factory=list)
    unclassified: list[str] = field(default_factory=list)
    debt_ratio: float | None = None
    cash_ratio: float | None = None
    current_ratio: float | None = None
    fixed_asset_net: float | None = None
    fixed_asset_original: float | None = None
    fixed_asset_newness: float | None = None
    other_payables_share: float | None = None


def financial_report_column(ds: Dataset) -> str:
    """The 资产负债 column the 财务报告 ratios describe.

    ``current`` when the stated 财务报告年度 is the report year, otherwise ``previous``:
    a self-evaluation written early in year N+1 cites the financial report of year N−1's
    end (the seed's 2023 report cites 2022 year-end figures).
    """
    fy = num(fact(ds, "stated", "financial_report_year"))
    year = num(fact(ds, "unit", "year"))
    return "current" if fy is not None and year is not None and fy == year else "previous"


def _line_sum(rows: list[dict], names: set[str], column: str) -> tuple[float | None, list[str]]:
    hits = [(text(r.get("item")), num(r.get(column))) for r in rows if name_key(r.get("item")) in names]
    # A matched item is never blank (it equals a configured name), so `or ""` only types it.
    found = [(n or "", v) for n, v in hits if v is not None]
    return (sum(v for _, v in found), [n for n, _ in found]) if found else (None, [])


def financial_ratios(ds: Dataset, column: str | None = None) -> FinancialRatios:
    """资产负债率, 现金比率, 流动比率, 固定资产成新率 and 其他应付款占比 of one year-end.

    Parameters
    ----------
    column : {'previous', 'current'}, optional
        Default :func:`financial_report_column`.

    Returns
    -------
    FinancialRatios
    """
    column = column or financial_report_column(ds)
    cfg = finance_config()["balance_sheet"]
    year = num(fact(ds, "unit", "year"))
    fy = num(fact(ds, "stated", "financial_report_year"))
    if fy is None and year is not None:
        fy = year - 1 if column == "previous" else year
    assets, _ = balance_total(ds, "资产", column)
    liabilities, _ = balance_total(ds, "负债", column)
    net, net_d = balance_total(ds, "净资产", column)
    asset_rows = _balance_rows(ds, "资产", "明细")
    liab_rows = _balance_rows(ds, "负债", "明细")
    given = [r for r in asset_rows + liab_rows if num(r.get(column)) is not None]
    unclassified = [text(r.get("item")) or "" for r in given if classify_balance_item(r.get("item")) is None]

    cash, _ = _line_sum(asset_rows, config_keys(cfg["cash"]), column)
    if cash is None:
        cash, _ = _line_sum(asset_rows, config_keys(cfg["cash_components"]), column)
    ca, ca_items = _line_sum(asset_rows, config_keys(cfg["current_assets"]), column)
    cl, cl_items = _line_sum(liab_rows, config_keys(cfg["current_liabilities"]), column)
    fa_net, _ = _line_sum(asset_rows, config_keys(cfg["fixed_asset_net"]), column)
    fa_orig, _ = _line_sum(asset_rows, config_keys(cfg["fixed_asset_original"]), column)
    op, _ = _line_sum(liab_rows, config_keys(cfg["other_payables"]), column)
    return FinancialRatios(
        year=None if fy is None else int(fy),
        column=column,
        assets=assets,
        liabilities=liabilities,
        net_assets=net,
        net_assets_derived=net_d,
        cash=cash,
        current_assets=ca,
        current_liabilities=cl,
        current_asset_items=ca_items,
        current_liability_items=cl_items,
        unclassified=unclassified,
        debt_ratio=pct(liabilities, assets),
        cash_ratio=pct(cash, cl),
        current_ratio=pct(ca, cl),
        fixed_asset_net=fa_net,
        fixed_asset_original=fa_orig,
        fixed_asset_newness=pct(fa_net, fa_orig),
        other_payables_share=pct(op, liabilities),
    )
