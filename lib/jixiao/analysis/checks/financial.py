"""Checks of the financial report (（三）预算执行：财务报告): balance sheet and ratios.

Balance-sheet lines classified as current or non-current (``config/finance.yaml``),
total assets and liabilities against their lines, net assets = assets − liabilities,
the stated year-on-year changes, the financial report's year, and the stated ratios
(资产负债率, 现金比率, 流动比率, 固定资产成新率, 其他应付款占比) recomputed from the
lines they rest on, within the rounding of those lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from jixiao.analysis import finance as F
from jixiao.analysis.checks.compare import _pct_bounds, compare_pct, compare_sum
from jixiao.analysis.checks.registry import (
    NOT_PROVIDED,
    Context,
    Finding,
    _col,
    _finding,
    _money,
    _not_provided,
    _rows,
    _spans,
    _year_of,
    check,
)
from jixiao.rounding import HALF_CENT, fmt, fmt_pct
from jixiao.values import num, text
from jixiao.workbook.dataset import Dataset


def _balance_rows(ds: Dataset, kind: str, level: str) -> list[dict]:
    return [r for r in _rows(ds, "balance_sheet") if r.get("kind") == kind and r.get("level") == level]


_COLUMN_NAMES = {"previous": "上年末", "current": "本年末"}


@check("balance.classification", "资产负债明细项目的流动性归类")
def _balance_classification(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    rows = [r for r in _rows(ds, "balance_sheet") if r.get("level") == "明细" and r.get("kind") in ("资产", "负债")]
    if not rows:
        yield _not_provided("资产负债明细", [_col(ds, "balance_sheet", "item")])
        return
    odd = [r for r in rows if F.classify_balance_item(r.get("item")) is None]
    wrong_side = [
        r
        for r in rows
        if (F.classify_balance_item(r.get("item")) or "").endswith("资产")
        and r["kind"] == "负债"
        or (F.classify_balance_item(r.get("item")) or "").endswith("负债")
        and r["kind"] == "资产"
    ]
    cfg = F.finance_config()["balance_sheet"]
    for r in odd:
        side = "assets" if r["kind"] == "资产" else "liabilities"
        accepted = [*cfg[f"current_{side}"], *cfg[f"non_current_{side}"]]
        yield _finding(
            "warning",
            f"资产负债明细“{text(r.get('item'))}”不在流动/非流动项目清单（config/finance.yaml）中，"
            f"未计入流动{r['kind']}；可用的{r['kind']}项目名称为：{'、'.join(accepted)}。"
            "若为本地写法，可在 config/finance.yaml 的 balance_sheet 清单中加入。",
            cells=[ds.cell("balance_sheet", "item", r["_row"])],
        )
    for r in wrong_side:
        yield _finding(
            "warning",
            f"“{text(r.get('item'))}”归为{F.classify_balance_item(r.get('item'))}，却列在“{r['kind']}”类别下。",
            cells=[ds.cell("balance_sheet", "kind", r["_row"])],
        )
    if not odd and not wrong_side:
        yield _finding(
            "pass",
            "资产负债明细项目均已归类："
            + "；".join(f"{text(r.get('item'))}→{F.classify_balance_item(r.get('item'))}" for r in rows)
            + "。",
            cells=[_col(ds, "balance_sheet", "item")],
        )


@check("balance.parts", "资产总额、负债总额与明细")
def _balance_parts(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    memo = {F.name_key(n) for n in F.finance_config()["balance_sheet"]["memo"]}
    missing = []
    for kind in ("资产", "负债"):
        totals = _balance_rows(ds, kind, "总额")
        details = [r for r in _balance_rows(ds, kind, "明细") if F.name_key(r.get("item")) not in memo]
        for col in ("previous", "current"):
            stated = num(totals[0].get(col)) if totals else None
            values = [r.get(col) for r in details]
            if stated is None or all(num(v) is None for v in values):
                missing.append(f"{_COLUMN_NAMES[col]}{kind}{'总额' if stated is None else '明细'}")
                continue
            yield compare_sum(
                f"{_COLUMN_NAMES[col]}{kind}总额",
                stated,
                values,
                _spans(ds, "balance_sheet", col, [r["_row"] for r in details])
                + [ds.cell("balance_sheet", col, totals[0]["_row"])],
            )
    if missing:
        yield _not_provided(
            "、".join(missing), [_col(ds, "balance_sheet", "previous"), _col(ds, "balance_sheet", "current")]
        )


@check("balance.net_assets", "净资产 = 资产总额 − 负债总额")
def _net_assets(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    a_rows, l_rows, n_rows = (_balance_rows(ds, k, "总额") for k in ("资产", "负债", "净资产"))
    for col in ("previous", "current"):
        a = num(a_rows[0].get(col)) if a_rows else None
        li = num(l_rows[0].get(col)) if l_rows else None
        n = num(n_rows[0].get(col)) if n_rows else None
        cells = [ds.cell("balance_sheet", col, r[0]["_row"]) for r in (a_rows, l_rows, n_rows) if r] or [
            _col(ds, "balance_sheet", col)
        ]
        label = _COLUMN_NAMES[col]
        if a is None or li is None:
            yield _not_provided(f"{label}资产总额或负债总额", cells, stated=n)
        elif n is None:
            yield _finding(
                "info",
                f"{label}净资产{NOT_PROVIDED}；按资产总额{fmt(a)} − 负债总额{fmt(li)}推算为{_money(a - li)}"
                "（推算值，变动率据此计算）。",
                computed=a - li,
                cells=cells,
            )
        else:
            f = compare_sum(f"{label}净资产", n, [a, -li], cells)
            f.message = f.message.replace("明细合计", f"资产总额{fmt(a)} − 负债总额{fmt(li)} = ", 1)
            yield f


@check("balance.change", "资产、负债、净资产较上年变动率")
def _balance_change(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    for r in F.balance_sheet_changes(ds).to_dict("records"):
        row = r["_row"]
        cells = (
            [
                ds.cell("balance_sheet", "change_stated", row),
                ds.cell("balance_sheet", "previous", row),
                ds.cell("balance_sheet", "current", row),
            ]
            if row
            else [_col(ds, "balance_sheet", "change_stated")]
        )
        derived_note = ""
        prev_half = HALF_CENT
        cur_half = HALF_CENT
        if r["previous_derived"] or r["current_derived"]:
            a_row, l_row = _balance_rows(ds, "资产", "总额"), _balance_rows(ds, "负债", "总额")
            for side, flag in (("previous", r["previous_derived"]), ("current", r["current_derived"])):
                if flag:
                    cells += [ds.cell("balance_sheet", side, x[0]["_row"]) for x in (a_row, l_row) if x]
            if r["previous_derived"]:
                # 资产 − 负债: two printed figures, so twice the half-cent.
                prev_half = 2 * HALF_CENT
                derived_note += f"上年末{r['item']}{NOT_PROVIDED}，按资产 − 负债推算为{fmt(r['previous'])}。"
            if r["current_derived"]:
                cur_half = 2 * HALF_CENT
                derived_note += f"本年末{r['item']}{NOT_PROVIDED}，按资产 − 负债推算为{fmt(r['current'])}。"
        if r["change_stated"] is None:
            yield _not_provided(f"{r['item']}变动率", cells)
            continue
        if r["change_rate"] is None:
            yield _not_provided(f"{r['item']}上年末或本年末数", cells, stated=r["change_stated"])
            continue
        bounds = _pct_bounds(r["current"], r["previous"], cur_half, prev_half, offset=1.0)
        yield compare_pct(
            f"{r['item']}变动率",
            r["change_stated"],
            r["change_rate"],
            bounds,
            cells,
            formula=f"({fmt(r['current'])} − {fmt(r['previous'])}) ÷ {fmt(r['previous'])}",
            note=derived_note,
        )


@check("financial.report_year", "财务报告年度")
def _financial_year(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    fy = _year_of(ctx.stated("financial_report_year"))
    cells = [ds.fact_cell("stated", "financial_report_year"), ds.fact_cell("unit", "year")]
    if fy is None or ctx.year is None:
        yield _not_provided("财务报告年度", cells)
    elif fy in (ctx.year, ctx.year - 1):
        yield _finding(
            "pass",
            f"财务报告年度{fy}年（报告年度{ctx.year}年），比率取{'本年末' if fy == ctx.year else '上年末'}数。",
            stated=fy,
            computed=ctx.year,
            cells=cells,
        )
    else:
        yield _finding(
            "warning",
            f"财务报告年度{fy}年既不是报告年度{ctx.year}年，也不是上一年度。",
            stated=fy,
            computed=ctx.year,
            difference=fy - ctx.year,
            cells=cells,
        )


def _line_cells(ds: Dataset, names: Iterable[str], column: str) -> list[str]:
    keys = {F.name_key(n) for n in names}
    return [
        ds.cell("balance_sheet", column, r["_row"])
        for r in _rows(ds, "balance_sheet")
        if F.name_key(r.get("item")) in keys and num(r.get(column)) is not None
    ]


def _total_cell(ds: Dataset, kind: str, column: str) -> str | None:
    rows = _balance_rows(ds, kind, "总额")
    return ds.cell("balance_sheet", column, rows[0]["_row"]) if rows else None


@check("financial.debt_ratio", "资产负债率 = 负债 ÷ 资产")
def _debt_ratio(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    fr = F.financial_ratios(ds)
    cells = [
        ds.fact_cell("stated", "debt_ratio"),
        _total_cell(ds, "负债", fr.column),
        _total_cell(ds, "资产", fr.column),
    ]
    bounds = None if fr.debt_ratio is None else _pct_bounds(fr.liabilities, fr.assets)
    yield compare_pct(
        "资产负债率",
        num(ctx.stated("debt_ratio")),
        fr.debt_ratio,
        bounds,
        cells,
        formula=f"{fmt(fr.liabilities)} ÷ {fmt(fr.assets)}",
    )


@check("financial.cash_ratio", "现金比率 = 货币资金 ÷ 流动负债")
def _cash_ratio(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    fr = F.financial_ratios(ds)
    cfg = F.finance_config()["balance_sheet"]
    cells = (
        [ds.fact_cell("stated", "cash_ratio")]
        + _line_cells(ds, cfg["cash"], fr.column)
        + _line_cells(ds, cfg["current_liabilities"], fr.column)
    )
    bounds = None
    if fr.cash_ratio is not None:
        n_cl = len(fr.current_liability_items)
        bounds = _pct_bounds(fr.cash, fr.current_liabilities, HALF_CENT, n_cl * HALF_CENT)
    yield compare_pct(
        "现金比率",
        num(ctx.stated("cash_ratio")),
        fr.cash_ratio,
        bounds,
        cells,
        formula=f"{_year_label(fr)}货币资金{fmt(fr.cash)} ÷ 流动负债{fmt(fr.current_liabilities)}"
        f"{_items(fr.current_liability_items)}",
        note=_unclassified_note(fr),
    )


def _year_label(fr: F.FinancialRatios) -> str:
    return f"{fr.year}年末" if fr.year else ""


def _items(names: list[str]) -> str:
    return f"（{'+'.join(names)}）" if names else ""


def _unclassified_note(fr: F.FinancialRatios) -> str:
    return f"资产负债明细中{'、'.join(fr.unclassified)}未能归类，未计入流动资产或流动负债。" if fr.unclassified else ""


@check("financial.current_ratio", "流动比率 = 流动资产 ÷ 流动负债")
def _current_ratio(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    fr = F.financial_ratios(ds)
    cfg = F.finance_config()["balance_sheet"]
    cells = (
        [ds.fact_cell("stated", "current_ratio")]
        + _line_cells(ds, cfg["current_assets"], fr.column)
        + _line_cells(ds, cfg["current_liabilities"], fr.column)
    )
    bounds = None
    if fr.current_ratio is not None:
        bounds = _pct_bounds(
            fr.current_assets,
            fr.current_liabilities,
            len(fr.current_asset_items) * HALF_CENT,
            len(fr.current_liability_items) * HALF_CENT,
        )
    yield compare_pct(
        "流动比率",
        num(ctx.stated("current_ratio")),
        fr.current_ratio,
        bounds,
        cells,
        formula=f"{_year_label(fr)}流动资产{fmt(fr.current_assets)}{_items(fr.current_asset_items)} ÷ "
        f"流动负债{fmt(fr.current_liabilities)}{_items(fr.current_liability_items)}",
        note=_unclassified_note(fr),
    )


@check("financial.fixed_asset_newness", "固定资产成新率 = 净值 ÷ 原值")
def _newness(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    fr = F.financial_ratios(ds)
    cfg = F.finance_config()["balance_sheet"]
    stated = num(ctx.stated("fixed_asset_newness"))
    cells = (
        [ds.fact_cell("stated", "fixed_asset_newness")]
        + _line_cells(ds, cfg["fixed_asset_net"], fr.column)
        + _line_cells(ds, cfg["fixed_asset_original"], fr.column)
    )
    if stated is not None and fr.fixed_asset_newness is None:
        implied = (
            (
                f"（按所述成新率，原值应约为{fmt(fr.fixed_asset_net)} ÷ {fmt_pct(stated)} = "
                f"{_money(fr.fixed_asset_net / stated * 100)}）"
            )
            if fr.fixed_asset_net and stated
            else ""
        )
        yield _finding(
            "info",
            f"固定资产成新率：所述{fmt_pct(stated)}，但{fr.year}年末固定资产原值{NOT_PROVIDED}，无法复核{implied}。",
            stated=stated,
            cells=cells,
        )
        return
    bounds = None if fr.fixed_asset_newness is None else _pct_bounds(fr.fixed_asset_net, fr.fixed_asset_original)
    yield compare_pct(
        "固定资产成新率",
        stated,
        fr.fixed_asset_newness,
        bounds,
        cells,
        formula=f"{fmt(fr.fixed_asset_net)} ÷ {fmt(fr.fixed_asset_original)}",
    )


@check("financial.other_payables_share", "其他应付款占负债比例")
def _other_payables(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    fr = F.financial_ratios(ds)
    cfg = F.finance_config()["balance_sheet"]
    op_cells = _line_cells(ds, cfg["other_payables"], fr.column)
    cells = [ds.fact_cell("stated", "other_payables_share")] + op_cells + [_total_cell(ds, "负债", fr.column)]
    bounds = None
    op = None
    if fr.other_payables_share is not None:
        assert fr.liabilities is not None  # the share is computed only from a known total
        op = fr.other_payables_share * fr.liabilities / 100
        bounds = _pct_bounds(op, fr.liabilities, len(op_cells) * HALF_CENT, HALF_CENT)
    yield compare_pct(
        "其他应付款占负债比例",
        num(ctx.stated("other_payables_share")),
        fr.other_payables_share,
        bounds,
        cells,
        formula=f"{fmt(op)} ÷ {fmt(fr.liabilities)}",
    )
