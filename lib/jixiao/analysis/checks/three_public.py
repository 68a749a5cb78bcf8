"""Checks of the “三公” expenses (三公经费: 因公出国（境）、公务用车、公务接待).

What may be counted as 三公 at all (meeting and training fees may not), the budget and
the current and previous year's final figures against their items (a 其中 child is not
added twice), the stated change, and the final figure against the budget. The 三公
figures are a standing austerity indicator (过紧日子), so readers look at them first.
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.analysis import finance as F
from jixiao.analysis.checks.compare import compare_sum
from jixiao.analysis.checks.registry import (
    WITHIN_ROUNDING,
    Context,
    Finding,
    _col,
    _finding,
    _money,
    _not_provided,
    _rows,
    _spans,
    check,
)
from jixiao.rounding import fmt_pct, round_half_up
from jixiao.values import num
from jixiao.workbook.dataset import Dataset


def _three_public_parts(ds: Dataset) -> list[dict]:
    """Rows that add up to the 三公 total: a 其中 child is skipped when its parent is listed
    (names compared by their official form, whatever spelling the unit used)."""
    names = F.three_public_names()
    rows = _rows(ds, "three_public")
    listed = {names.canonical(r.get("item")) for r in rows} - {None}
    skip = {c for parent, kids in names.children.items() if parent in listed for c in kids}
    return [r for r in rows if names.canonical(r.get("item")) not in skip]


@check("three_public.classification", "三公经费的构成（仅因公出国（境）、公务用车、公务接待）")
def _three_public_items(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    items = F.three_public_items(ds)
    items = items[items["item"] != ""] if len(items) else items
    if not len(items):
        yield _not_provided("三公经费分项", [_col(ds, "three_public", "item")])
        return
    names = F.three_public_names()
    others = {F.name_key(n) for n in names.not_three_public}
    outside = items[~items["is_three_public"].astype(bool)]
    wrong = outside[[F.name_key(n) in others for n in outside["item"]]]
    unknown = outside[[F.name_key(n) not in others for n in outside["item"]]]
    if len(wrong):
        listed = "、".join(f"“{n}”" for n in wrong["item"])
        amounts = "；".join(f"{n}预算{_money(b)}" for n, b in zip(wrong["item"], wrong["budget"]))
        yield _finding(
            "warning",
            f"三公经费仅包括因公出国（境）费、公务用车购置及运行维护费、公务接待费，"
            f"{listed}不属于三公经费，却列在三公经费中（{amounts}），疑为分类错误。",
            cells=[ds.cell("three_public", "item", r) for r in wrong["_row"]],
        )
    if len(unknown):
        listed = "、".join(f"“{n}”" for n in unknown["item"])
        yield _finding(
            "warning",
            f"三公经费分项{listed}不是已知的三公经费名称，无法判断其归类。可用的名称："
            f"{'、'.join(names.accepted())}；若为本地写法，可在 config/finance.yaml 的 three_public.items 中加入。",
            cells=[ds.cell("three_public", "item", r) for r in unknown["_row"]],
        )
    if not len(outside):
        yield _finding(
            "pass",
            f"三公经费{len(items)}个分项均属因公出国（境）费、公务用车购置及运行维护费、公务接待费。",
            cells=[_col(ds, "three_public", "item")],
        )


@check("three_public.budget_total", "三公经费预算合计")
def _three_public_budget(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    parts = _three_public_parts(ds)
    yield compare_sum(
        "三公经费预算",
        num(ds.stated_total("three_public", "budget")),
        [r.get("budget") for r in parts],
        (_spans(ds, "three_public", "budget", [r["_row"] for r in parts]) or [_col(ds, "three_public", "budget")])
        + [ds.total_cell("three_public", "budget")],
    )


@check("three_public.actual_totals", "三公经费本年、上年决算合计与分项")
def _three_public_actual(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    parts = _three_public_parts(ds)
    for col, what in (("actual", "三公经费本年决算"), ("last_actual", "三公经费上年决算")):
        stated = num(ds.stated_total("three_public", col))
        values = [r.get(col) for r in parts]
        cells = (_spans(ds, "three_public", col, [r["_row"] for r in parts]) or [_col(ds, "three_public", col)]) + [
            ds.total_cell("three_public", col)
        ]
        if all(num(v) is None for v in values):
            yield _not_provided(f"{what}分项", cells, stated=stated)
        else:
            yield compare_sum(what, stated, values, cells)


@check("three_public.change", "三公经费增减额")
def _three_public_change(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    y = F.three_public_total(ds)
    cells = [
        ds.total_cell("three_public", "actual"),
        ds.total_cell("three_public", "last_actual"),
        ds.fact_cell("stated", "three_public_change"),
    ]
    if y.change_stated is None:
        yield _not_provided("三公经费增减额", cells)
        return
    if y.change is None:
        yield _not_provided("三公经费本年或上年决算", cells, stated=y.change_stated)
        return
    assert y.previous is not None  # y.change is computed only when both years are given
    f = compare_sum("三公经费增减额", y.change_stated, [y.current, -y.previous], cells)
    f.message = (
        f"三公经费增减额：本年{_money(y.current)} − 上年{_money(y.previous)} = {_money(y.change)}"
        f"（变动率{fmt_pct(y.change_rate)}），所述{_money(y.change_stated)}，"
        + {"pass": "一致。", "info": f"{WITHIN_ROUNDING}。"}.get(f.severity, "不一致。")
    )
    yield f


@check("three_public.within_budget", "三公经费决算不超过预算")
def _three_public_budget_limit(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    budget, actual = num(ds.stated_total("three_public", "budget")), F.three_public_total(ds).current
    cells = [
        ds.total_cell("three_public", "budget") or _col(ds, "three_public", "budget"),
        ds.total_cell("three_public", "actual"),
    ]
    if budget is None or actual is None:
        yield _not_provided("三公经费预算或本年决算", cells)
    elif round_half_up(actual) <= round_half_up(budget):
        yield _finding(
            "pass",
            f"三公经费本年决算{_money(actual)}，未超过预算{_money(budget)}（执行{fmt_pct(F.pct(actual, budget))}）。",
            stated=actual,
            computed=budget,
            cells=cells,
        )
    else:
        yield _finding(
            "warning",
            f"三公经费本年决算{_money(actual)}超过预算{_money(budget)}。",
            stated=actual,
            computed=budget,
            difference=actual - budget,
            cells=cells,
        )
