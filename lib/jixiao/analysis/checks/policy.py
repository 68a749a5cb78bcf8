"""Checks of major-policy implementation (（一）重大政策落实): special and direct funds, “三保”.

Special funds (专项资金) against their total; the funds marked 直达 against the
direct-funds table and its payment dates in the report year; the “三保” (保基本民生、
保工资、保运转) spending against its detail rows and against the amounts arranged, since
the report claims full coverage (足额保障).
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
    _finding,
    _money,
    _not_provided,
    _rows,
    _spans,
    _year_of,
    check,
)
from jixiao.rounding import fmt, fmt_pct, round_half_up
from jixiao.values import is_blank, num, text


@check("special_funds.total", "专项资金合计")
def _special_total(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    yield compare_sum(
        "专项资金",
        num(ds.stated_total("special_funds", "amount")),
        [r.get("amount") for r in _rows(ds, "special_funds")],
        [_col(ds, "special_funds", "amount"), ds.total_cell("special_funds", "amount")],
    )


@check("special_funds.direct", "直达资金与专项资金名单")
def _special_direct(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    marked = [r for r in _rows(ds, "special_funds") if text(r.get("direct")) == "是" and text(r.get("name"))]
    direct = [r for r in _rows(ds, "direct_funds") if text(r.get("name"))]
    if not marked and not direct:
        yield _not_provided("直达资金", [_col(ds, "special_funds", "direct"), _col(ds, "direct_funds", "name")])
        return
    paid = {F.name_key(r.get("name")) for r in direct}
    funds = {F.name_key(r.get("name")) for r in _rows(ds, "special_funds") if text(r.get("name"))}
    unpaid = [r for r in marked if F.name_key(r.get("name")) not in paid]
    unknown = [r for r in direct if F.name_key(r.get("name")) not in funds]
    for r in unpaid:
        yield _finding(
            "warning",
            f"专项资金“{text(r.get('name'))}”标为直达资金，但“直达资金”表中没有其支出记录。",
            cells=[ds.cell("special_funds", "direct", r["_row"])],
        )
    for r in unknown:
        yield _finding(
            "warning",
            f"直达资金“{text(r.get('name'))}”不在“专项资金”表中（名称不一致或漏列）。",
            cells=[ds.cell("direct_funds", "name", r["_row"])],
        )
    if not unpaid and not unknown:
        yield _finding(
            "pass",
            f"标为直达资金的{len(marked)}项专项资金均有支出记录，直达资金表{len(direct)}行均见于专项资金表。",
            stated=len(marked),
            computed=len({F.name_key(r.get("name")) for r in direct}),
            cells=[_col(ds, "special_funds", "direct"), _col(ds, "direct_funds", "name")],
        )


@check("direct_funds.dates", "直达资金支出日期在报告年度内")
def _direct_dates(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    rows = [r for r in _rows(ds, "direct_funds") if not is_blank(r.get("date"))]
    if not rows:
        yield _not_provided("直达资金支出日期", [_col(ds, "direct_funds", "date")])
        return
    if ctx.year is None:
        yield _not_provided("报告年度", [ds.fact_cell("unit", "year")])
        return
    bad = [r for r in rows if _year_of(r["date"]) != ctx.year]
    for r in bad:
        d = r["date"]
        year = _year_of(d)  # None only for a date the loader did not parse (text)
        shown = d.strftime("%Y-%m-%d") if isinstance(d, (dt.date, dt.datetime)) else str(d)
        yield _finding(
            "warning",
            f"直达资金“{text(r.get('name'))}”的支出日期{shown}不在报告年度{ctx.year}年内。",
            stated=year,
            computed=ctx.year,
            difference=None if year is None else year - ctx.year,
            cells=[ds.cell("direct_funds", "date", r["_row"]), ds.fact_cell("unit", "year")],
        )
    if not bad:
        yield _finding(
            "pass",
            f"直达资金{len(rows)}笔支出日期均在{ctx.year}年内。",
            cells=_spans(ds, "direct_funds", "date", [r["_row"] for r in rows]),
        )


@check("three_guarantees.detail", "“三保”实际支出与明细")
def _three_g_detail(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    tg = F.three_guarantees(ds)
    if not len(tg):
        yield _not_provided("“三保”支出", [_col(ds, "three_guarantees", "actual")])
        return
    without = []
    for r in tg.to_dict("records"):
        if not r["detail_count"]:
            without.append(r)
            continue
        yield compare_sum(
            f"{r['category']}实际支出",
            r["actual"],
            [x["amount"] for x in _rows(ds, "three_guarantees_detail") if x["_row"] in r["detail_rows"]],
            _spans(ds, "three_guarantees_detail", "amount", r["detail_rows"])
            + [ds.cell("three_guarantees", "actual", r["_row"])],
        )
    if without:
        yield _not_provided(
            "、".join(r["category"] or "（未填类别）" for r in without) + "的支出明细",
            [ds.cell("three_guarantees", "actual", r["_row"]) for r in without],
        )


@check("three_guarantees.coverage", "“三保”足额保障（实际支出不低于安排资金）")
def _three_g_cover(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    rows = [
        r for r in F.three_guarantees(ds).to_dict("records") if r["arranged"] is not None and r["actual"] is not None
    ]
    if not rows:
        yield _not_provided("“三保”安排资金与实际支出", [_col(ds, "three_guarantees", "arranged")])
        return
    short = [r for r in rows if round_half_up(r["actual"]) < round_half_up(r["arranged"])]
    for r in short:
        yield _finding(
            "warning",
            f"{r['category']}实际支出{_money(r['actual'])}低于安排资金{_money(r['arranged'])}"
            f"（{fmt_pct(r['actual_ratio'])}），与“足额保障”的表述不符。",
            stated=r["actual"],
            computed=r["arranged"],
            difference=r["difference"],
            cells=[
                ds.cell("three_guarantees", "actual", r["_row"]),
                ds.cell("three_guarantees", "arranged", r["_row"]),
            ],
        )
    if not short:
        yield _finding(
            "pass",
            "“三保”各类实际支出均不低于安排资金："
            + "；".join(f"{r['category']}实际{fmt(r['actual'])} ≥ 安排{fmt(r['arranged'])}" for r in rows)
            + "。",
            cells=[_col(ds, "three_guarantees", "arranged"), _col(ds, "three_guarantees", "actual")],
        )
