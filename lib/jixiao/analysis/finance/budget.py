"""Budget and 决算 by function and by fund type, and budget execution (unit and projects).

Amounts are 万元, rates percentage points, at full precision; DataFrame results keep
``_row`` (the Excel row of the source record) so that a caller can cite cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from jixiao.analysis.finance.figures import frame, pct, total_of
from jixiao.analysis.finance.inputs import fact, name_key, records, table
from jixiao.values import is_blank, num, text
from jixiao.workbook.dataset import Dataset

#: Project statuses, in the order reports list them.
STATUSES = ("已完成", "部分完成", "未完成")
#: Statuses that count as "绩效目标未实现" (a partly achieved goal is not achieved).
NOT_ACHIEVED = ("部分完成", "未完成")


def final_total(ds: Dataset) -> float | None:
    """决算 total the shares are taken of: the stated 决算收入合计 when given, else the
    functions sheet's stated total, else the sum of the 决算 by function."""
    stated = num(fact(ds, "stated", "final_revenue_total"))
    if stated is not None:
        return stated
    stated = num(ds.stated_total("functions", "final")) if "functions" in ds.totals else None
    if stated is not None:
        return stated
    return total_of(table(ds, "functions").get("final", []))


def final_by_function(ds: Dataset) -> pd.DataFrame:
    """决算 by functional class with its share of the total.

    Returns
    -------
    DataFrame
        ``code``, ``name``, ``final`` (万元), ``share`` (percentage points of
        :func:`final_total`, full precision; None when not computable), ``share_stated``
        (the share the report states), ``_row``.
    """
    df = table(ds, "functions")
    total = final_total(ds)
    rows = [
        {
            "code": r.get("code"),
            "name": text(r.get("name")),
            "final": num(r.get("final")),
            "share": pct(r.get("final"), total),
            "share_stated": num(r.get("final_share")),
            "_row": r["_row"],
        }
        for r in records(df)
    ]
    return frame(rows, ["code", "name", "final", "share", "share_stated", "_row"])


def budget_vs_final_by_function(ds: Dataset) -> pd.DataFrame:
    """年初预算 vs 决算 by functional class.

    Returns
    -------
    DataFrame
        ``code``, ``name``, ``budget``, ``final``, ``difference`` (决算 − 预算),
        ``execution_ratio`` (决算 ÷ 预算 × 100; None when the budget is blank or 0), ``_row``.
    """
    rows = []
    for r in records(table(ds, "functions")):
        b, f = num(r.get("budget")), num(r.get("final"))
        rows.append(
            {
                "code": r.get("code"),
                "name": text(r.get("name")),
                "budget": b,
                "final": f,
                "difference": None if b is None or f is None else f - b,
                "execution_ratio": pct(f, b),
                "_row": r["_row"],
            }
        )
    return frame(rows, ["code", "name", "budget", "final", "difference", "execution_ratio", "_row"])


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
    for r in records(table(ds, "budget_revenue")):
        k = _fund_key(r.get("source"))
        out.setdefault(
            k,
            {
                "fund_type": text(r.get("source")),
                "budget": None,
                "final_revenue": None,
                "final_expenditure": None,
                "budget_row": None,
                "final_row": None,
            },
        )
        out[k].update(budget=num(r.get("amount")), budget_row=r["_row"])
    for r in records(table(ds, "fund_types")):
        k = _fund_key(r.get("fund_type"))
        row = out.setdefault(k, {"fund_type": text(r.get("fund_type")), "budget": None, "budget_row": None})
        row.update(
            final_revenue=num(r.get("revenue")), final_expenditure=num(r.get("expenditure")), final_row=r["_row"]
        )
    rows = []
    for row in out.values():
        b, f = row["budget"], row.get("final_revenue")
        rows.append({**row, "difference": None if b is None or f is None else f - b, "execution_ratio": pct(f, b)})
    return frame(
        rows,
        [
            "fund_type",
            "budget",
            "final_revenue",
            "final_expenditure",
            "difference",
            "execution_ratio",
            "budget_row",
            "final_row",
        ],
    )


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
    rows = [
        {
            "no": r.get("no"),
            "name": text(r.get("name")),
            "status": text(r.get("status")),
            "budget": num(r.get("budget")),
            "spent": num(r.get("spent")),
            "rate": pct(r.get("spent"), r.get("budget")),
            "_row": r["_row"],
        }
        for r in records(table(ds, "projects"))
    ]
    return frame(rows, ["no", "name", "status", "budget", "spent", "rate", "_row"])


def execution_summary(ds: Dataset) -> ExecutionSummary:
    """Unit-level execution figures; see :class:`ExecutionSummary`."""
    budget_total = total_of(table(ds, "functions").get("budget", []))
    revenue = num(ds.stated_total("budget_revenue", "amount"))
    if revenue is None:
        revenue = total_of(table(ds, "budget_revenue").get("amount", []))
    ft = final_total(ds)
    pe = project_execution(ds)
    both = pe[pe["budget"].notna() & pe["spent"].notna()] if len(pe) else pe
    pb = total_of(both["budget"]) if len(both) else None
    ps = total_of(both["spent"]) if len(both) else None
    return ExecutionSummary(
        budget_total=budget_total,
        budget_revenue_total=revenue,
        final_total=ft,
        final_to_budget=pct(ft, budget_total),
        stated_progress=num(fact(ds, "stated", "execution_rate")),
        project_budget=pb,
        project_spent=ps,
        project_rate=pct(ps, pb),
        projects_with_amounts=len(both),
        projects=len(pe),
    )


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
        rows.append(
            {
                "status": s,
                "count": len(sub),
                "budget": total_of(sub["budget"]) if len(sub) else None,
                "spent": total_of(sub["spent"]) if len(sub) else None,
                "budget_known": int(sub["budget"].notna().sum()) if len(sub) else 0,
                "spent_known": int(sub["spent"].notna().sum()) if len(sub) else 0,
                "nos": [int(n) for n in sub["no"] if not is_blank(n)] if len(sub) else [],
            }
        )
    return frame(rows, ["status", "count", "budget", "spent", "budget_known", "spent_known", "nos"])
