"""Cross-year checks: this year's workbook against last year's (``previous:`` in the parameters).

About half of a township's report compares this year with last year, and a 上年 figure that
is not what last year's report said is where many published reports' errors come from. With
last year's parameters file named (``previous:``, or found in a batch's run set), these
checks compare

- each 上年/年初 figure this year states (三公经费上年决算, 资产负债上年末 … — the pairs of
  ``config/carry.yaml``) with last year's 本年/年末 figure, both files and cells named;
- the projects reported as continuing (延续, marked in the 说明 column) with last year's list;
- 上年自评项目数 with the projects of last year's workbook;
- this year's indicator targets with last year's actual values of the same indicator of the
  same project: a target set below what was already achieved is a common audit remark
  (目标值设置偏低).

Without ``previous`` the family yields nothing: no finding, so nothing counts as passed.
Tolerances come from rounding as everywhere: two prints of one amount to 0.01 may differ by
:func:`~jixiao.rounding.sum_tolerance` (1) at most.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from jixiao.analysis.checks.registry import (
    _EPS,
    WITHIN_ROUNDING,
    Context,
    Finding,
    _finding,
    _money,
    _plain,
    _rows,
    check,
)
from jixiao.exceptions import InputError
from jixiao.rounding import round_half_up, sum_tolerance
from jixiao.values import num, text
from jixiao.workbook.carry import carry_rules, previous_dataset, previous_pairs, source_cell, source_name
from jixiao.workbook.cells import compact
from jixiao.workbook.dataset import Dataset


def _last(ctx: Context) -> tuple[Dataset | None, Finding | None]:
    """Last year's dataset of the run, or None; and the finding when it cannot be read."""
    params = ctx.params
    prev = params.get("previous") if isinstance(params, dict) else getattr(params, "previous", None)
    if prev is None:
        return None, None
    try:
        return previous_dataset(params), None
    except InputError as exc:
        first = exc.problems[0] if exc.problems else None
        more = f"（另有 {len(exc.problems) - 1} 个问题）" if len(exc.problems) > 1 else ""
        return None, _finding(
            "error",
            f"上年度工作簿无法读取，跨年度校验未能进行：{first or exc}{more}。请先用 jixiao validate {prev} 校验上年度工作簿。",
            cells=[f"{Path(p.file).name} {p.sheet}!{p.cell}" for p in exc.problems if p.sheet and p.cell]
            or [str(prev)],
        )


@check("crossyear.previous_figures", "上年数与上年度工作簿一致（三公经费上年决算、资产负债上年末等）")
def _previous_figures(ctx: Context) -> Iterator[Finding]:
    last, failed = _last(ctx)
    if failed is not None:
        yield failed
    if last is None:
        return
    ds = ctx.ds
    tol = sum_tolerance(1)  # one amount printed twice: each off by up to half a cent
    for (sheet_id, column), pairs in previous_pairs(ds, last).items():
        sheet = ds.spec.sheet(sheet_id)
        rule = carry_rules().tables[sheet_id]
        what, source = sheet.column(column).header, sheet.column(rule.previous[column]).header
        agreed: list[str] = []
        for p in pairs:
            name = f"{sheet.name}“{p.label}”"
            if p.last_cell is None:
                yield _finding(
                    "warning",
                    f"{name}{what}{_money(p.value)}（{p.cell}）：上年度工作簿 {source_name(last)} 的{sheet.name}中没有这一项，"
                    "无法核对；请确认项目名称与上年一致。",
                    stated=p.value,
                    cells=[p.cell],
                )
            elif p.value is None:
                yield _finding(
                    "info",
                    f"{name}{what}未填（{p.cell}），上年度工作簿{source}为{_money(p.last_value)}（{p.last_cell}）。",
                    computed=p.last_value,
                    cells=[p.cell, p.last_cell],
                )
            elif p.last_value is None:
                yield _finding(
                    "info",
                    f"{name}{what}{_money(p.value)}（{p.cell}）：上年度工作簿的{source}未填（{p.last_cell}），无法核对。",
                    stated=p.value,
                    cells=[p.cell, p.last_cell],
                )
            elif round_half_up(p.value) == round_half_up(p.last_value):
                agreed.append(p.label)
            else:
                diff = p.value - p.last_value
                within = abs(diff) <= tol + _EPS
                yield _finding(
                    "info" if within else "error",
                    f"{name}{what}{_money(p.value)}（{source_name(ds)} {p.cell}），上年度工作簿{source}为{_money(p.last_value)}"
                    f"（{p.last_cell}），"
                    + (f"{WITHIN_ROUNDING}。" if within else "不一致：上年数应与上年度报告所述相同。"),
                    stated=p.value,
                    computed=p.last_value,
                    difference=diff,
                    tolerance=tol,
                    cells=[p.cell, p.last_cell],
                )
        if agreed:
            yield _finding(
                "pass",
                f"{sheet.name}{what}{len(agreed)}项（{'、'.join(agreed)}）与上年度工作簿 {source_name(last)} 的{source}一致。",
                cells=[
                    ds.column_cells(sheet_id, column),
                    f"{source_name(last)} {last.column_cells(sheet_id, rule.previous[column])}",
                ],
            )


@check("crossyear.continuing_projects", "延续项目在上年度项目中")
def _continuing(ctx: Context) -> Iterator[Finding]:
    last, _failed = _last(ctx)
    if last is None:
        return
    ds, rule = ctx.ds, carry_rules().continuing
    sheet = ds.spec.sheet(rule.sheet)
    label = sheet.label_column.id
    last_names = {compact(r.get(label)): r for r in _rows(last, rule.sheet) if compact(r.get(label))}
    marked = [r for r in _rows(ds, rule.sheet) if rule.word in (text(r.get(rule.column)) or "")]
    found: list[str] = []
    unconfirmed = [r for r in marked if compact(r.get(rule.column)) == compact(rule.marker)]
    if unconfirmed:
        yield _finding(
            "warning",
            f"{len(unconfirmed)}个项目仍标注“{rule.marker}”（由上年度工作簿结转，尚未确认）："
            + "、".join(f"“{r.get(label)}”" for r in unconfirmed[:10])
            + ("等" if len(unconfirmed) > 10 else "")
            + f"。确认延续的请把“{sheet.column(rule.column).header}”改为“{rule.word}”，不再实施的删除该行。",
            cells=[ds.cell(rule.sheet, rule.column, r["_row"]) for r in unconfirmed],
        )
    for r in marked:
        old = last_names.get(compact(r.get(label)))
        if old is None:
            yield _finding(
                "warning",
                f"项目“{r.get(label)}”标注为延续（{ds.cell(rule.sheet, rule.column, r['_row'])}），"
                f"但上年度工作簿 {source_name(last)} 的{sheet.name}表中没有同名项目：请核对项目名称或是否为新增项目。",
                cells=[
                    ds.cell(rule.sheet, label, r["_row"]),
                    f"{source_name(last)} {last.column_cells(rule.sheet, label)}",
                ],
            )
        else:
            found.append(str(r.get(label)))
    if found:
        yield _finding(
            "pass",
            f"标注为延续的{len(found)}个项目均见于上年度工作簿 {source_name(last)} 的{sheet.name}表。"
            if len(found) == len(marked)
            else f"标注为延续的项目中{len(found)}个见于上年度工作簿 {source_name(last)} 的{sheet.name}表。",
            cells=[ds.column_cells(rule.sheet, rule.column)],
        )


@check("crossyear.last_eval_count", "上年自评项目数与上年度项目数")
def _last_eval_count(ctx: Context) -> Iterator[Finding]:
    last, _failed = _last(ctx)
    if last is None:
        return
    stated = num(ctx.stated("last_eval_count"))
    where = ctx.ds.fact_cell("stated", "last_eval_count")
    projects = last.tables["projects"]
    there = f"{source_name(last)} {last.column_cells('projects', 'no')}"
    if stated is None:
        return  # the sentence is not in the report: nothing to compare
    n = len(projects)
    if int(stated) == n:
        yield _finding(
            "pass",
            f"上年自评项目数{_plain(stated)}个（{where}），与上年度工作簿项目{n}个一致。",
            stated=stated,
            computed=n,
            cells=[where, there],
        )
    else:
        yield _finding(
            "warning",
            f"上年自评项目数{_plain(stated)}个（{where}），上年度工作簿 {source_name(last)} 列有项目{n}个（{there}）："
            "上年项目应全部开展自评，请核对。",
            stated=stated,
            computed=n,
            difference=stated - n,
            cells=[where, there],
        )


def _indicators(ds: Dataset) -> dict[tuple[str, str], dict]:
    """Indicators of projects whose name is unique in the workbook, by (project, indicator)."""
    names: dict[object, str] = {}
    seen: dict[str, int] = {}
    for p in _rows(ds, "projects"):
        name = compact(p.get("name"))
        if name:
            names[p.get("no")] = name
            seen[name] = seen.get(name, 0) + 1
    out: dict[tuple[str, str], dict] = {}
    for r in _rows(ds, "indicators"):
        project = names.get(r.get("project_no"))
        ind = compact(r.get("name"))
        if project and ind and seen[project] == 1:
            out.setdefault((project, ind), r)
    return out


@check("crossyear.targets", "目标值设置偏低（低于上年实际值）")
def _targets(ctx: Context) -> Iterator[Finding]:
    last, _failed = _last(ctx)
    if last is None:
        return
    ds = ctx.ds
    before = _indicators(last)
    compared, lowered = 0, 0
    for key, r in _indicators(ds).items():
        old = before.get(key)
        if old is None or r.get("direction") != "≥" or old.get("direction") != "≥":
            continue
        if compact(r.get("unit")) != compact(old.get("unit")):
            continue
        target, achieved = num(r.get("target")), num(old.get("actual"))
        if target is None or achieved is None:
            continue
        compared += 1
        if round_half_up(target) < round_half_up(achieved):
            lowered += 1
            unit = text(r.get("unit")) or ""
            yield _finding(
                "warning",
                f"目标值设置偏低：项目“{key[0]}”的指标“{r.get('name')}”本年目标值≥{_plain(target)}{unit}"
                f"（{ds.cell('indicators', 'target', r['_row'])}），低于上年实际值{_plain(achieved)}{unit}"
                f"（{source_cell(last, last.cell('indicators', 'actual', old['_row']))}）。",
                stated=target,
                computed=achieved,
                difference=target - achieved,
                cells=[
                    ds.cell("indicators", "target", r["_row"]),
                    source_cell(last, last.cell("indicators", "actual", old["_row"])),
                ],
            )
    if compared and not lowered:
        yield _finding(
            "pass",
            f"与上年度同名项目的同名指标比较了{compared}个目标值（指标方向“≥”、计量单位相同），均不低于上年实际值。",
            cells=[ds.column_cells("indicators", "target")],
        )
