"""Checks of the unit's basic facts (一、部门基本情况).

Offices, staff and the performance-goal framework: the counts the report states about
the township government against the tables that list them (股室, 项目), and the staff
figures against one another. They come first because every later section builds on
them: the staff control rate, the projects the goals are set for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jixiao.analysis import finance as F
from jixiao.analysis.checks.compare import compare_count
from jixiao.analysis.checks.registry import (
    Context,
    Finding,
    _col,
    _fact_cells,
    _finding,
    _not_provided,
    _plain,
    _rows,
    check,
)
from jixiao.rounding import fmt_pct
from jixiao.values import num, text


@check("unit.office_count", "股室数量与股室名单")
def _office_count(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    yield compare_count(
        "股室数量",
        ctx.unit("office_count"),
        len(ds.tables.get("offices", [])),
        [ds.fact_cell("unit", "office_count"), _col(ds, "offices", "name")],
        note="（计算数为“股室”表的行数）",
    )


@check("unit.staff", "编制数与实有人数（在职人员控制率）")
def _staff(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    auth, actual = num(ctx.unit("authorized_staff")), num(ctx.unit("actual_staff"))
    cells = _fact_cells(ds, "unit", "authorized_staff", "actual_staff")
    if auth is None or actual is None:
        yield _not_provided("编制数或实有人数", cells)
        return
    if auth < 0 or actual < 0 or auth != int(auth) or actual != int(actual):
        yield _finding("error", f"编制数{_plain(auth)}、实有人数{_plain(actual)}应为非负整数。", cells=cells)
        return
    rate = F.staff_control_rate(ds)
    msg = f"编制数{_plain(auth)}个，实有人数{_plain(actual)}人，在职人员控制率 = {_plain(actual)} ÷ {_plain(auth)} = {fmt_pct(rate)}"
    if actual > auth:
        msg += f"（实有人数超出编制{_plain(actual - auth)}人，报告宜说明原因）"
    yield _finding("pass", msg + "。", computed=rate, cells=cells)


@check("unit.fiscal_staff", "财政供养人数与实有人数")
def _fiscal_staff(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    fiscal, actual = num(ctx.unit("fiscal_staff")), num(ctx.unit("actual_staff"))
    cells = _fact_cells(ds, "unit", "fiscal_staff", "actual_staff")
    if fiscal is None or actual is None:
        yield _not_provided("财政供养人数或实有人数", cells)
        return
    # The two are counted differently (财政供养 is the 总决算's headcount of everyone paid
    # from the budget, 实有在编 the unit's own staff), so a gap is noted, never an error.
    tail = "两者相等" if fiscal == actual else f"相差{_plain(fiscal - actual)}人（两者口径不同，差异宜在报告中说明）"
    yield _finding(
        "info",
        f"财政供养人数{_plain(fiscal)}人，实有在编人数{_plain(actual)}人，{tail}。",
        stated=fiscal,
        computed=actual,
        difference=fiscal - actual,
        cells=cells,
    )


@check("unit.finance_office_staff", "财政所人数不超过财政供养人数")
def _finance_office(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    office, fiscal = num(ctx.unit("finance_office_staff")), num(ctx.unit("fiscal_staff"))
    cells = _fact_cells(ds, "unit", "finance_office_staff", "fiscal_staff")
    if office is None or fiscal is None:
        yield _not_provided("财政所人数或财政供养人数", cells)
    elif office <= fiscal:
        yield _finding(
            "pass",
            f"财政所人数{_plain(office)}人，不超过财政供养人数{_plain(fiscal)}人。",
            stated=office,
            computed=fiscal,
            cells=cells,
        )
    else:
        yield _finding(
            "error",
            f"财政所人数{_plain(office)}人多于财政供养人数{_plain(fiscal)}人。",
            stated=office,
            computed=fiscal,
            difference=office - fiscal,
            cells=cells,
        )


@check("goal_framework.projects", "绩效目标架构所列项目与项目表")
def _framework_projects(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    names = {F.name_key(n) for n in ds.tables["projects"]["name"]} if "projects" in ds.tables else set()
    missing, listed = [], 0
    for r in _rows(ds, "goal_framework"):
        for name in re.split(r"[、，,；;\n]+", text(r.get("projects")) or ""):
            if not name.strip():
                continue
            listed += 1
            if F.name_key(name) not in names:
                missing.append((name.strip(), ds.cell("goal_framework", "projects", r["_row"])))
    if not listed:
        yield _not_provided("绩效目标架构的对应项目支出", [_col(ds, "goal_framework", "projects")])
    elif missing:
        yield _finding(
            "warning",
            "绩效目标架构中的项目在“项目”表中找不到（名称不一致或漏填）："
            + "；".join(f"“{n}”（{c}）" for n, c in missing)
            + "。",
            stated=listed,
            computed=listed - len(missing),
            cells=[c for _, c in missing],
        )
    else:
        yield _finding(
            "pass",
            f"绩效目标架构所列{listed}个项目均见于“项目”表。",
            stated=listed,
            computed=listed,
            cells=[_col(ds, "goal_framework", "projects")],
        )
