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
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pandas as pd
import yaml

from jixiao.paths import config_file
from jixiao.values import is_blank, num, text  # noqa: F401 - F.num, F.text in sections
from jixiao.workbook.dataset import Dataset
from jixiao.rounding import round_half_up

#: Project statuses, in the order reports list them.
STATUSES = ("已完成", "部分完成", "未完成")
#: Statuses that count as "绩效目标未实现" (a partly achieved goal is not achieved).
NOT_ACHIEVED = ("部分完成", "未完成")


# -- blanks and small arithmetic ---------------------------------------------------------
def pct(part: Any, whole: Any) -> float | None:
    """``part ÷ whole × 100`` in percentage points; ``None`` if either is blank or whole is 0."""
    p, w = num(part), num(whole)
    if p is None or w is None or w == 0:
        return None
    return p / w * 100


def change_rate(current: Any, previous: Any) -> float | None:
    """``(current − previous) ÷ previous × 100``; ``None`` when not computable."""
    c, p = num(current), num(previous)
    if c is None or p is None or p == 0:
        return None
    return (c - p) / p * 100


def total_of(values) -> float | None:
    """Sum of the non-blank values; ``None`` when all are blank (not 0: nothing was given)."""
    xs = [x for x in (num(v) for v in values) if x is not None]
    return sum(xs) if xs else None


def name_key(name: Any) -> str:
    """Comparison form of a name: NFKC-folded (full-width brackets → half-width), no spaces."""
    if is_blank(name):
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name)))


@cache
def finance_config() -> dict:
    """``config/finance.yaml``, parsed once per process."""
    raw = config_file("finance.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(raw)


def _keys(names) -> set[str]:
    return {name_key(n) for n in names or ()}


def _table(ds: Dataset, sheet_id: str) -> pd.DataFrame:
    df = ds.tables.get(sheet_id)
    return df if df is not None else pd.DataFrame(columns=["_row"])


def _fact(ds: Dataset, sheet_id: str, key_id: str) -> Any:
    return ds.facts.get(sheet_id, {}).get(key_id)


def _records(df: pd.DataFrame) -> list[dict]:
    return df.to_dict("records")


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    # Object dtype keeps None as None: a float column would turn it into NaN, which
    # rounding.fmt prints as "nan" instead of 未提供.
    return pd.DataFrame(rows, columns=columns, dtype=object)


# -- 决算 and budget by function, by fund type -------------------------------------------
def final_total(ds: Dataset) -> float | None:
    """决算 total the shares are taken of: the stated 决算收入合计 when given, else the
    functions sheet's stated total, else the sum of the 决算 by function."""
    stated = num(_fact(ds, "stated", "final_revenue_total"))
    if stated is not None:
        return stated
    stated = num(ds.stated_total("functions", "final")) if "functions" in ds.totals else None
    if stated is not None:
        return stated
    return total_of(_table(ds, "functions").get("final", []))


def final_by_function(ds: Dataset) -> pd.DataFrame:
    """决算 by functional class with its share of the total.

    Returns
    -------
    DataFrame
        ``code``, ``name``, ``final`` (万元), ``share`` (percentage points of
        :func:`final_total`, full precision; None when not computable), ``share_stated``
        (the share the report states), ``_row``.
    """
    df = _table(ds, "functions")
    total = final_total(ds)
    rows = [{"code": r.get("code"), "name": text(r.get("name")), "final": num(r.get("final")),
             "share": pct(r.get("final"), total), "share_stated": num(r.get("final_share")),
             "_row": r["_row"]} for r in _records(df)]
    return _frame(rows, ["code", "name", "final", "share", "share_stated", "_row"])


def budget_vs_final_by_function(ds: Dataset) -> pd.DataFrame:
    """年初预算 vs 决算 by functional class.

    Returns
    -------
    DataFrame
        ``code``, ``name``, ``budget``, ``final``, ``difference`` (决算 − 预算),
        ``execution_ratio`` (决算 ÷ 预算 × 100; None when the budget is blank or 0), ``_row``.
    """
    rows = []
    for r in _records(_table(ds, "functions")):
        b, f = num(r.get("budget")), num(r.get("final"))
        rows.append({"code": r.get("code"), "name": text(r.get("name")), "budget": b, "final": f,
                     "difference": None if b is None or f is None else f - b,
                     "execution_ratio": pct(f, b), "_row": r["_row"]})
    return _frame(rows, ["code", "name", "budget", "final", "difference",
                                       "execution_ratio", "_row"])


def _fund_key(name: Any) -> str:
    # 预算收入 says 一般公共预算拨款 / 政府性基金拨款, 总决算 says 一般公共预算 / 政府性基金(收入).
    return re.sub(r"(拨款|收入)$", "", name_key(name))


def budget_vs_final_by_fund_type(ds: Dataset) -> pd.DataFrame:
    """预算收入 by source vs 乡镇财政总决算 by fund type.

    Sources are matched by name without the 拨款 / 收入 suffix (一般公共预算拨款 ↔
    一般公共预算). A source without a 总决算 counterpart (财政专户收入, 其他收入) keeps
    ``final_revenue`` None, and a 总决算 fund type without a budget source keeps ``budget``
    None.

    Returns
    -------
    DataFrame
        ``fund_type``, ``budget`` (预算收入), ``final_revenue``, ``final_expenditure``,
        ``difference`` (决算收入 − 预算), ``execution_ratio`` (决算收入 ÷ 预算 × 100),
        ``budget_row``, ``final_row`` (Excel rows, None when absent).
    """
    out: dict[str, dict] = {}
    for r in _records(_table(ds, "budget_revenue")):
        k = _fund_key(r.get("source"))
        out.setdefault(k, {"fund_type": text(r.get("source")), "budget": None, "final_revenue": None,
                           "final_expenditure": None, "budget_row": None, "final_row": None})
        out[k].update(budget=num(r.get("amount")), budget_row=r["_row"])
    for r in _records(_table(ds, "fund_types")):
        k = _fund_key(r.get("fund_type"))
        row = out.setdefault(k, {"fund_type": text(r.get("fund_type")), "budget": None, "budget_row": None})
        row.update(final_revenue=num(r.get("revenue")), final_expenditure=num(r.get("expenditure")),
                   final_row=r["_row"])
    rows = []
    for row in out.values():
        b, f = row["budget"], row.get("final_revenue")
        rows.append({**row, "difference": None if b is None or f is None else f - b,
                     "execution_ratio": pct(f, b)})
    return _frame(rows, ["fund_type", "budget", "final_revenue", "final_expenditure",
                                       "difference", "execution_ratio", "budget_row", "final_row"])


# -- execution ----------------------------------------------------------------------------
@dataclass
class ExecutionSummary:
    """Budget execution at unit level.

    Attributes
    ----------
    budget_total : float or None
        年初预算支出, sum of the budget by function.
    budget_revenue_total : float or None
        预算收入 total as stated (or the sum of its sources when no total is stated).
    final_total : float or None
        决算支出 (see :func:`final_total`).
    final_to_budget : float or None
        决算 ÷ 年初预算 × 100. Not the 预算执行率 of the assessment, whose denominator is
        the adjusted budget incl. carry-over, which the workbook does not hold.
    stated_progress : float or None
        项目整体支出进度 as the report states it (填报数据).
    project_budget, project_spent : float or None
        Sums over projects with *both* budget and spent given.
    project_rate : float or None
        project_spent ÷ project_budget × 100 over those projects.
    projects_with_amounts, projects : int
        How many projects give both amounts, out of how many.
    """

    budget_total: float | None
    budget_revenue_total: float | None
    final_total: float | None
    final_to_budget: float | None
    stated_progress: float | None
    project_budget: float | None
    project_spent: float | None
    project_rate: float | None
    projects_with_amounts: int
    projects: int


def project_execution(ds: Dataset) -> pd.DataFrame:
    """Per-project budget, spending and execution rate.

    Returns
    -------
    DataFrame
        ``no``, ``name``, ``status``, ``budget``, ``spent``, ``rate`` (spent ÷ budget ×
        100, None when not computable), ``_row``.
    """
    rows = [{"no": r.get("no"), "name": text(r.get("name")), "status": text(r.get("status")),
             "budget": num(r.get("budget")), "spent": num(r.get("spent")),
             "rate": pct(r.get("spent"), r.get("budget")), "_row": r["_row"]}
            for r in _records(_table(ds, "projects"))]
    return _frame(rows, ["no", "name", "status", "budget", "spent", "rate", "_row"])


def execution_summary(ds: Dataset) -> ExecutionSummary:
    """Unit-level execution figures; see :class:`ExecutionSummary`."""
    budget_total = total_of(_table(ds, "functions").get("budget", []))
    revenue = num(ds.stated_total("budget_revenue", "amount"))
    if revenue is None:
        revenue = total_of(_table(ds, "budget_revenue").get("amount", []))
    ft = final_total(ds)
    pe = project_execution(ds)
    both = pe[pe["budget"].notna() & pe["spent"].notna()] if len(pe) else pe
    pb = total_of(both["budget"]) if len(both) else None
    ps = total_of(both["spent"]) if len(both) else None
    return ExecutionSummary(
        budget_total=budget_total, budget_revenue_total=revenue, final_total=ft,
        final_to_budget=pct(ft, budget_total), stated_progress=num(_fact(ds, "stated", "execution_rate")),
        project_budget=pb, project_spent=ps, project_rate=pct(ps, pb),
        projects_with_amounts=len(both), projects=len(pe))


def project_status_summary(ds: Dataset) -> pd.DataFrame:
    """Project counts and amounts by 完成状态.

    Returns
    -------
    DataFrame
        One row per status of :data:`STATUSES` (always all three, count 0 when none):
        ``status``, ``count``, ``budget`` and ``spent`` (sums of the amounts given, None
        when no project of that status gives one), ``budget_known`` and ``spent_known``
        (how many projects give the amount), ``nos`` (list of 序号).
    """
    pe = project_execution(ds)
    rows = []
    for s in STATUSES:
        sub = pe[pe["status"] == s] if len(pe) else pe
        rows.append({"status": s, "count": len(sub),
                     "budget": total_of(sub["budget"]) if len(sub) else None,
                     "spent": total_of(sub["spent"]) if len(sub) else None,
                     "budget_known": int(sub["budget"].notna().sum()) if len(sub) else 0,
                     "spent_known": int(sub["spent"].notna().sum()) if len(sub) else 0,
                     "nos": [int(n) for n in sub["no"] if not is_blank(n)] if len(sub) else []})
    return _frame(rows, ["status", "count", "budget", "spent", "budget_known",
                                       "spent_known", "nos"])


# -- year on year ------------------------------------------------------------------------
@dataclass
class YearOnYear:
    """One figure this year against last year.

    Attributes
    ----------
    label : str
    previous, current : float or None
    change : float or None
        current − previous.
    change_rate : float or None
        change ÷ previous × 100.
    change_stated : float or None
        The change (amount or rate, see the function) the report states.
    previous_derived : bool
        True when ``previous`` is not stated but derived (e.g. 净资产 = 资产 − 负债).
    current_derived : bool
        Same for ``current``.
    """

    label: str
    previous: float | None
    current: float | None
    change: float | None
    change_rate: float | None
    change_stated: float | None = None
    previous_derived: bool = False
    current_derived: bool = False


def _yoy(label, previous, current, stated=None, previous_derived=False, current_derived=False) -> YearOnYear:
    p, c = num(previous), num(current)
    return YearOnYear(label, p, c, None if p is None or c is None else c - p, change_rate(c, p),
                      num(stated), previous_derived, current_derived)


def three_public_items(ds: Dataset) -> pd.DataFrame:
    """三公经费 by item, with the year-on-year change where the item's figures are given.

    Returns
    -------
    DataFrame
        ``item``, ``is_three_public`` (True for 因公出国（境）费、公务用车购置及运行维护费、
        公务接待费 and their parts, per ``config/finance.yaml``), ``budget``, ``actual``,
        ``last_actual``, ``change``, ``change_rate``, ``_row``.
    """
    allowed = _keys(finance_config()["three_public"]["items"])
    rows = []
    for r in _records(_table(ds, "three_public")):
        y = _yoy(text(r.get("item")) or "", r.get("last_actual"), r.get("actual"))
        rows.append({"item": y.label, "is_three_public": name_key(r.get("item")) in allowed,
                     "budget": num(r.get("budget")), "actual": y.current, "last_actual": y.previous,
                     "change": y.change, "change_rate": y.change_rate, "_row": r["_row"]})
    return _frame(rows, ["item", "is_three_public", "budget", "actual", "last_actual",
                                       "change", "change_rate", "_row"])


def three_public_total(ds: Dataset) -> YearOnYear:
    """三公经费 total this year vs last year.

    Uses the stated 合计 row of the 三公经费 sheet; where a total is blank and every item
    gives the figure, the sum of the items (flagged ``*_derived``). ``change_stated`` is
    the 三公经费增减额 the report states (an amount, 万元).
    """
    items = three_public_items(ds)

    def side(col):
        stated = num(ds.stated_total("three_public", col))
        if stated is not None:
            return stated, False
        if len(items) and items[col].notna().all():
            return float(items[col].sum()), True
        return None, False

    prev, prev_d = side("last_actual")
    cur, cur_d = side("actual")
    return _yoy("三公经费", prev, cur, _fact(ds, "stated", "three_public_change"), prev_d, cur_d)


def _balance_rows(ds: Dataset, kind: str, level: str) -> list[dict]:
    return [r for r in _records(_table(ds, "balance_sheet"))
            if r.get("kind") == kind and r.get("level") == level]


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
    memo = _keys(finance_config()["balance_sheet"]["memo"])
    parts = [num(r.get(column)) for r in _balance_rows(ds, kind, "明细") if name_key(r.get("item")) not in memo]
    parts = [p for p in parts if p is not None]
    return (sum(parts), True) if parts else (None, False)


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
        y = _yoy(text(r.get("item")) or {"资产": "资产总额", "负债": "负债总额", "净资产": "净资产"}[kind],
                 prev, cur, r.get("change_stated"), prev_d, cur_d)
        rows.append({"kind": kind, "item": y.label, "previous": y.previous, "current": y.current,
                     "change": y.change, "change_rate": y.change_rate, "change_stated": y.change_stated,
                     "previous_derived": y.previous_derived, "current_derived": y.current_derived,
                     "_row": r.get("_row")})
    return _frame(rows, ["kind", "item", "previous", "current", "change", "change_rate",
                                       "change_stated", "previous_derived", "current_derived", "_row"])


# -- 三保, 非税, procurement ---------------------------------------------------------------
def three_guarantees(ds: Dataset) -> pd.DataFrame:
    """“三保” arranged vs actual, with the sum of the detail rows per category.

    Returns
    -------
    DataFrame
        ``category``, ``arranged``, ``actual``, ``difference`` (actual − arranged),
        ``actual_ratio`` (actual ÷ arranged × 100), ``detail_sum`` (None when the category
        has no detail rows), ``detail_count``, ``detail_rows`` (Excel rows), ``_row``.
    """
    detail = _table(ds, "three_guarantees_detail")
    rows = []
    for r in _records(_table(ds, "three_guarantees")):
        a, x = num(r.get("arranged")), num(r.get("actual"))
        sub = detail[detail["category"] == r.get("category")] if len(detail) else detail
        rows.append({"category": text(r.get("category")), "arranged": a, "actual": x,
                     "difference": None if a is None or x is None else x - a,
                     "actual_ratio": pct(x, a),
                     "detail_sum": total_of(sub["amount"]) if len(sub) else None,
                     "detail_count": len(sub), "detail_rows": list(sub["_row"]) if len(sub) else [],
                     "_row": r["_row"]})
    return _frame(rows, ["category", "arranged", "actual", "difference", "actual_ratio",
                                       "detail_sum", "detail_count", "detail_rows", "_row"])


def nontax_variance(ds: Dataset, threshold: float | None = None) -> pd.DataFrame:
    """非税收入 budget vs actual per item, with the ≥ 30 % variance flag.

    Parameters
    ----------
    threshold : float, optional
        Percentage points; default ``nontax.variance_threshold`` of ``config/finance.yaml``
        (30). An item is flagged when \\|actual − budget\\| ÷ budget × 100 ≥ threshold.

    Returns
    -------
    DataFrame
        ``item``, ``budget``, ``actual``, ``difference`` (actual − budget), ``variance``
        (difference ÷ budget × 100, signed; None when the budget is blank or 0),
        ``flagged`` (bool, or None when the variance is not computable), ``_row``.
    """
    if threshold is None:
        threshold = float(finance_config()["nontax"]["variance_threshold"])
    rows = []
    for r in _records(_table(ds, "nontax")):
        b, a = num(r.get("budget")), num(r.get("actual"))
        v = change_rate(a, b)
        # Compare the variance as printed: a report showing 30.00 % means "30 % and above".
        rows.append({"item": text(r.get("item")), "budget": b, "actual": a,
                     "difference": None if a is None or b is None else a - b, "variance": v,
                     "flagged": None if v is None else abs(round_half_up(v, 2)) >= threshold,
                     "_row": r["_row"]})
    return _frame(rows, ["item", "budget", "actual", "difference", "variance", "flagged", "_row"])


@dataclass
class Procurement:
    """Government procurement figures (amounts 万元, shares percentage points).

    Attributes
    ----------
    budget, contracts, sme, micro : float or None
        采购预算总额, 采购合同总金额, 中小企业合同金额, 小微企业合同金额.
    contracts_to_budget : float or None
        合同 ÷ 预算 × 100.
    sme_share : float or None
        中小企业 ÷ 合同总金额 × 100.
    micro_share : float or None
        小微企业 ÷ 中小企业 × 100 (the report's denominator).
    poverty_reserved, poverty_bought : float or None
        脱贫地区农副产品 预留 and 实际采购.
    poverty_ratio : float or None
        完成比例 = 实际采购 ÷ 预留 × 100.
    """

    budget: float | None
    contracts: float | None
    sme: float | None
    micro: float | None
    contracts_to_budget: float | None
    sme_share: float | None
    micro_share: float | None
    poverty_reserved: float | None
    poverty_bought: float | None
    poverty_ratio: float | None


def procurement(ds: Dataset) -> Procurement:
    """Procurement shares and the 脱贫地区 completion ratio; see :class:`Procurement`."""
    s = ds.facts.get("stated", {})
    b, c, sme, micro = (num(s.get(k)) for k in ("procurement_budget", "procurement_contracts",
                                                "sme_contracts", "micro_contracts"))
    res, bought = num(s.get("poverty_reserved")), num(s.get("poverty_bought"))
    return Procurement(b, c, sme, micro, pct(c, b), pct(sme, c), pct(micro, sme), res, bought, pct(bought, res))


def special_funds_by_level(ds: Dataset) -> pd.DataFrame:
    """专项资金 by level (中央 / 省级 / …; 未注明 when blank).

    Returns
    -------
    DataFrame
        ``level``, ``count``, ``amount`` (sum of given amounts), ``share`` (of the sum of
        all given amounts, percentage points).
    """
    df = _table(ds, "special_funds")
    if not len(df):
        return _frame([], ["level", "count", "amount", "share"])
    levels = [text(v) or "未注明" for v in df["level"]]
    total = total_of(df["amount"])
    rows = []
    for lv in dict.fromkeys(levels):
        amounts = [a for a, l in zip(df["amount"], levels) if l == lv]
        amt = total_of(amounts)
        rows.append({"level": lv, "count": len(amounts), "amount": amt, "share": pct(amt, total)})
    return _frame(rows, ["level", "count", "amount", "share"])


# -- financial-report ratios -----------------------------------------------------------
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
    for cls, key in (("备查", "memo"), ("流动资产", "current_assets"), ("非流动资产", "non_current_assets"),
                     ("流动负债", "current_liabilities"), ("非流动负债", "non_current_liabilities")):
        if k in _keys(cfg[key]):
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
    fy = num(_fact(ds, "stated", "financial_report_year"))
    year = num(_fact(ds, "unit", "year"))
    return "current" if fy is not None and year is not None and fy == year else "previous"


def _line_sum(rows: list[dict], names: set[str], column: str) -> tuple[float | None, list[str]]:
    hits = [(text(r.get("item")), num(r.get(column))) for r in rows if name_key(r.get("item")) in names]
    hits = [(n, v) for n, v in hits if v is not None]
    return (sum(v for _, v in hits), [n for n, _ in hits]) if hits else (None, [])


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
    year = num(_fact(ds, "unit", "year"))
    fy = num(_fact(ds, "stated", "financial_report_year"))
    if fy is None and year is not None:
        fy = year - 1 if column == "previous" else year
    assets, _ = balance_total(ds, "资产", column)
    liabilities, _ = balance_total(ds, "负债", column)
    net, net_d = balance_total(ds, "净资产", column)
    asset_rows = _balance_rows(ds, "资产", "明细")
    liab_rows = _balance_rows(ds, "负债", "明细")
    given = [r for r in asset_rows + liab_rows if num(r.get(column)) is not None]
    unclassified = [text(r.get("item")) or "" for r in given if classify_balance_item(r.get("item")) is None]

    cash, _ = _line_sum(asset_rows, _keys(cfg["cash"]), column)
    if cash is None:
        cash, _ = _line_sum(asset_rows, _keys(cfg["cash_components"]), column)
    ca, ca_items = _line_sum(asset_rows, _keys(cfg["current_assets"]), column)
    cl, cl_items = _line_sum(liab_rows, _keys(cfg["current_liabilities"]), column)
    fa_net, _ = _line_sum(asset_rows, _keys(cfg["fixed_asset_net"]), column)
    fa_orig, _ = _line_sum(asset_rows, _keys(cfg["fixed_asset_original"]), column)
    op, _ = _line_sum(liab_rows, _keys(cfg["other_payables"]), column)
    return FinancialRatios(
        year=None if fy is None else int(fy), column=column, assets=assets, liabilities=liabilities,
        net_assets=net, net_assets_derived=net_d, cash=cash, current_assets=ca, current_liabilities=cl,
        current_asset_items=ca_items, current_liability_items=cl_items, unclassified=unclassified,
        debt_ratio=pct(liabilities, assets), cash_ratio=pct(cash, cl), current_ratio=pct(ca, cl),
        fixed_asset_net=fa_net, fixed_asset_original=fa_orig, fixed_asset_newness=pct(fa_net, fa_orig),
        other_payables_share=pct(op, liabilities))


# -- physical assets and staff ------------------------------------------------------------
def physical_asset_newness(ds: Dataset) -> pd.DataFrame:
    """成新率 (净值 ÷ 原值 × 100) of land, buildings and vehicles.

    Returns
    -------
    DataFrame
        ``kind``, ``quantity``, ``unit``, ``original_value``, ``net_value``, ``newness``
        (None when 原值 is blank or 0, e.g. land carried at 0), ``_row``.
    """
    rows = [{"kind": text(r.get("kind")), "quantity": num(r.get("quantity")), "unit": text(r.get("unit")),
             "original_value": num(r.get("original_value")), "net_value": num(r.get("net_value")),
             "newness": pct(r.get("net_value"), r.get("original_value")), "_row": r["_row"]}
            for r in _records(_table(ds, "physical_assets"))]
    return _frame(rows, ["kind", "quantity", "unit", "original_value", "net_value", "newness", "_row"])


def vehicle_newness(ds: Dataset) -> float | None:
    """车辆成新率 = 账面净值 ÷ 账面原值 × 100 (29.32 ÷ 70.42 → 41.64 in the example)."""
    df = physical_asset_newness(ds)
    hit = df[df["kind"] == "车辆"] if len(df) else df
    return None if not len(hit) else num(hit["newness"].iloc[0])


def staff_control_rate(ds: Dataset) -> float | None:
    """在职人员控制率 = 实有人数 ÷ 编制数 × 100 (93 ÷ 55 → 169.09 in the example)."""
    return pct(_fact(ds, "unit", "actual_staff"), _fact(ds, "unit", "authorized_staff"))
