"""Checks of asset management (（五）资产管理): fixed and physical assets.

Fixed assets (固定资产) by class against their totals, this year's additions against
the year-end stock (the same figures in both columns suggest the stock was copied as
additions), physical assets' usage against their book quantity, net against original
value, building areas, and the date of the construction-in-progress figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from jixiao.analysis import finance as F
from jixiao.analysis.checks.compare import compare_sum
from jixiao.analysis.checks.registry import (
    Context,
    Finding,
    _col,
    _fact_cells,
    _finding,
    _money,
    _not_provided,
    _plain,
    _rows,
    _year_of,
    check,
)
from jixiao.rounding import fmt, fmt_pct, round_half_up
from jixiao.values import num, text


@check("fixed_assets.stock_total", "固定资产年末原值合计")
def _fa_stock(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    yield compare_sum(
        "固定资产年末原值",
        num(ds.stated_total("fixed_assets", "stock")),
        [r.get("stock") for r in _rows(ds, "fixed_assets")],
        [_col(ds, "fixed_assets", "stock"), ds.total_cell("fixed_assets", "stock")],
    )


@check("fixed_assets.added_total", "本年配置固定资产合计")
def _fa_added(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    yield compare_sum(
        "本年配置固定资产",
        num(ds.stated_total("fixed_assets", "added")),
        [r.get("added") for r in _rows(ds, "fixed_assets")],
        [_col(ds, "fixed_assets", "added"), ds.total_cell("fixed_assets", "added")],
    )


@check("fixed_assets.added_equals_stock", "本年配置与年末存量是否雷同")
def _fa_copy(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    stock, added = num(ds.stated_total("fixed_assets", "stock")), num(ds.stated_total("fixed_assets", "added"))
    rows = _rows(ds, "fixed_assets")
    pairs = [(r, num(r.get("stock")), num(r.get("added"))) for r in rows]
    both = [(r, s, a) for r, s, a in pairs if s is not None and a is not None]
    if stock is None:
        stock = F.total_of([s for _, s, _ in pairs])
    if added is None:
        added = F.total_of([a for _, _, a in pairs])
    cells = [
        ds.total_cell("fixed_assets", "added") or _col(ds, "fixed_assets", "added"),
        ds.total_cell("fixed_assets", "stock") or _col(ds, "fixed_assets", "stock"),
    ]
    if stock is None or added is None:
        yield _not_provided("固定资产年末原值或本年配置", cells)
        return
    same_classes = [r for r, s, a in both if round_half_up(s) == round_half_up(a)]
    if added > 0 and round_half_up(added) == round_half_up(stock) and len(same_classes) == len(both):
        nonzero = sum(1 for _, s, _ in both if s)
        prev_fa = None
        for r in _rows(ds, "balance_sheet"):
            if F.name_key(r.get("item")) in {
                F.name_key(n) for n in F.finance_config()["balance_sheet"]["fixed_asset_net"]
            }:
                prev_fa = num(r.get("previous"))
        evidence = f"；而上年末固定资产净值为{_money(prev_fa)}，年初并非没有固定资产" if prev_fa else ""
        yield _finding(
            "warning",
            f"本年配置固定资产{_money(added)}与年末固定资产原值{_money(stock)}完全相同，"
            f"且{len(both)}个类别逐项相同（其中{nonzero}类非零）：这意味着年初没有任何固定资产{evidence}，"
            "疑为将年末存量抄作本年配置。",
            stated=added,
            computed=stock,
            difference=added - stock,
            cells=cells + [_col(ds, "fixed_assets", "added"), _col(ds, "fixed_assets", "stock")],
        )
    else:
        yield _finding(
            "pass",
            f"本年配置固定资产{_money(added)}与年末原值{_money(stock)}不雷同。",
            stated=added,
            computed=stock,
            difference=added - stock,
            cells=cells,
        )


@check("fixed_assets.added_le_stock", "本年配置不超过年末原值")
def _fa_le(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    pairs = [(r, num(r.get("stock")), num(r.get("added"))) for r in _rows(ds, "fixed_assets")]
    both = [(r, s, a) for r, s, a in pairs if s is not None and a is not None]
    if not both:
        yield _not_provided("固定资产年末原值与本年配置", [_col(ds, "fixed_assets", "stock")])
        return
    bad = [(r, s, a) for r, s, a in both if round_half_up(a) > round_half_up(s)]
    for r, s, a in bad:
        yield _finding(
            "error",
            f"“{text(r.get('category'))}”本年配置{_money(a)}超过年末原值{_money(s)}"
            "（未发生处置时，年末原值应不少于本年配置）。",
            stated=a,
            computed=s,
            difference=a - s,
            cells=[ds.cell("fixed_assets", "added", r["_row"]), ds.cell("fixed_assets", "stock", r["_row"])],
        )
    if not bad:
        yield _finding(
            "pass",
            f"{len(both)}个类别的本年配置均不超过年末原值。",
            cells=[_col(ds, "fixed_assets", "added"), _col(ds, "fixed_assets", "stock")],
        )


@check("physical_assets.usage", "实物资产使用状况之和与账面数量")
def _usage(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    rows = _rows(ds, "physical_assets")
    if not rows:
        yield _not_provided("实物资产", [_col(ds, "physical_assets", "quantity")])
        return
    cols = ("in_use", "lent", "idle", "pending_disposal")
    for r in rows:
        q = num(r.get("quantity"))
        parts = [r.get(c) for c in cols]
        cells = [ds.cell("physical_assets", c, r["_row"]) for c in cols] + [
            ds.cell("physical_assets", "quantity", r["_row"])
        ]
        unit = text(r.get("unit")) or ""
        if q is None or all(num(p) is None for p in parts):
            yield _not_provided(f"{text(r.get('kind'))}账面数量或使用状况", cells)
            continue
        counted = unit in ("辆", "台", "个", "套", "处", "栋")

        def show(x: float | None, u: str = unit) -> str:
            return f"{_plain(x)}{u}"

        yield compare_sum(
            f"{text(r.get('kind'))}（在用+出租出借+闲置+待处置）", q, parts, cells, show=show, exact=counted
        )


@check("physical_assets.net_le_original", "实物资产账面净值不超过原值")
def _net_le_orig(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    df = F.physical_asset_newness(ds)
    both = [r for r in df.to_dict("records") if r["original_value"] is not None and r["net_value"] is not None]
    if not both:
        yield _not_provided("实物资产原值与净值", [_col(ds, "physical_assets", "original_value")])
        return
    bad = [r for r in both if round_half_up(r["net_value"]) > round_half_up(r["original_value"])]
    for r in bad:
        yield _finding(
            "error",
            f"{r['kind']}账面净值{_money(r['net_value'])}超过账面原值{_money(r['original_value'])}。",
            stated=r["net_value"],
            computed=r["original_value"],
            difference=r["net_value"] - r["original_value"],
            cells=[
                ds.cell("physical_assets", "net_value", r["_row"]),
                ds.cell("physical_assets", "original_value", r["_row"]),
            ],
        )
    if not bad:
        yield _finding(
            "pass",
            "；".join(
                f"{r['kind']}净值{fmt(r['net_value'])} ≤ 原值{fmt(r['original_value'])}"
                + (f"（成新率{fmt_pct(r['newness'])}）" if r["newness"] is not None else "")
                for r in both
            )
            + "。",
            cells=[
                c
                for r in both
                for c in (
                    ds.cell("physical_assets", "net_value", r["_row"]),
                    ds.cell("physical_assets", "original_value", r["_row"]),
                )
            ],
        )


@check("physical_assets.building_area", "办公用房与其他用房面积之和与房屋面积")
def _building_area(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    rows = [r for r in _rows(ds, "physical_assets") if r.get("kind") == "房屋"]
    cells = _fact_cells(ds, "stated", "office_area", "other_building_area")
    if not rows:
        yield _not_provided("房屋账面面积", cells)
        return
    cells.append(ds.cell("physical_assets", "quantity", rows[0]["_row"]))
    parts = [ctx.stated("office_area"), ctx.stated("other_building_area")]
    if all(num(p) is None for p in parts):
        yield _not_provided("办公用房、其他用房面积", cells)
        return
    yield compare_sum(
        "房屋面积（办公用房+其他用房）", num(rows[0].get("quantity")), parts, cells, show=lambda x: f"{fmt(x)}平方米"
    )


@check("assets.cip_date", "在建工程截至日期与报告年度")
def _cip_date(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    d = ctx.stated("cip_date")
    cells = [ds.fact_cell("stated", "cip_date"), ds.fact_cell("unit", "year")]
    y = _year_of(d)
    if y is None or ctx.year is None:
        yield _not_provided("在建工程截至日期", cells)
        return
    shown = d.strftime("%Y-%m-%d") if isinstance(d, (dt.date, dt.datetime)) else str(d)
    if y == ctx.year:
        yield _finding(
            "pass", f"在建工程截至日期{shown}在报告年度{ctx.year}年。", stated=y, computed=ctx.year, cells=cells
        )
    else:
        yield _finding(
            "warning",
            f"在建工程情况的截至日期为{shown}，而报告年度为{ctx.year}年（资产情况均截至{ctx.year}年12月31日），"
            "疑为笔误。",
            stated=y,
            computed=ctx.year,
            difference=y - ctx.year,
            cells=cells,
        )
