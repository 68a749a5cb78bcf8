"""Checks of revenue and budget preparation (非税收入、（二）预算编制) and the final accounts.

Non-tax revenue (非税收入) against its total and the items whose budget-to-actual
variance reaches the threshold the report must explain; budget revenue against its
sources; expenditure by function (支出功能分类), budget and final, against the budget
revenue, the final revenue and the 乡镇财政总决算; the stated shares of each function and
their sum; function codes against their official names; the final revenue and the
总决算 by fund type against their parts and each other; the pooled “其他收入” against
the budget's.
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.analysis import finance as F
from jixiao.analysis.checks.compare import _pct_bounds, compare_pct, compare_sum
from jixiao.analysis.checks.registry import (
    _EPS,
    NOT_PROVIDED,
    WITHIN_ROUNDING,
    Context,
    Finding,
    _col,
    _fact_cells,
    _finding,
    _money,
    _not_provided,
    _plain,
    _rows,
    _tol,
    check,
)
from jixiao.rounding import HALF_CENT, fmt, fmt_pct, round_half_up
from jixiao.values import is_blank, num, text


# -- 非税收入 ----------------------------------------------------------------------------
@check("nontax.total", "非税收入合计")
def _nontax_total(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    rows = _rows(ds, "nontax")
    for col, what in (("actual", "非税收入实际数"), ("budget", "非税收入预算数")):
        yield compare_sum(
            what,
            num(ds.stated_total("nontax", col)),
            [r.get(col) for r in rows],
            [_col(ds, "nontax", col), ds.total_cell("nontax", col)],
        )


@check("nontax.variance", "非税收入预算与实际变动幅度（≥30%须说明）")
def _nontax_variance(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    threshold = float(F.finance_config()["nontax"]["variance_threshold"])
    nv = F.nontax_variance(ds, threshold)
    if not len(nv):
        yield _not_provided("非税收入分项", [_col(ds, "nontax", "item")])
        return
    narrative = text(ds.facts.get("texts", {}).get("nontax_budgeting")) or ""
    reasons = {r["_row"]: text(r.get("reason")) or "" for r in _rows(ds, "nontax")}
    computable = nv[nv["variance"].notna()]
    for r in computable.to_dict("records"):
        mentioned = (r["item"] and r["item"] in reasons.get(r["_row"], "")) or (r["item"] and r["item"] in narrative)
        cells = [
            ds.cell("nontax", "budget", r["_row"]),
            ds.cell("nontax", "actual", r["_row"]),
            ds.cell("nontax", "reason", r["_row"]),
        ]
        head = (
            f"{r['item']}：预算{_money(r['budget'])}，实际{_money(r['actual'])}，变动幅度 = "
            f"({fmt(r['actual'])} − {fmt(r['budget'])}) ÷ {fmt(r['budget'])} = {fmt_pct(r['variance'])}"
        )
        if r["flagged"] and mentioned:
            yield _finding(
                "info",
                f"{head}，达到{_plain(threshold)}%，报告已将其列为变动幅度在{_plain(threshold)}%及以上的项目，一致。",
                computed=r["variance"],
                cells=cells,
            )
        elif r["flagged"]:
            yield _finding(
                "warning",
                f"{head}，达到{_plain(threshold)}%，但报告未说明该项目及变动原因。",
                computed=r["variance"],
                cells=cells,
            )
        elif "30%" in reasons.get(r["_row"], "").replace("％", "%"):
            yield _finding(
                "warning",
                f"{head}，未达{_plain(threshold)}%，报告却将其列为变动幅度在{_plain(threshold)}%及以上的项目。",
                computed=r["variance"],
                cells=cells,
            )
        else:
            yield _finding("pass", f"{head}，未达{_plain(threshold)}%。", computed=r["variance"], cells=cells)
    unbudgeted = nv[nv["variance"].isna() & nv["actual"].notna()]
    if len(unbudgeted):
        yield _finding(
            "info",
            "、".join(f"{i}（实际{_money(a)}）" for i, a in zip(unbudgeted["item"], unbudgeted["actual"]))
            + f"未编列预算（预算数{NOT_PROVIDED}或为0），无法计算变动幅度。",
            cells=[ds.cell("nontax", "budget", r) for r in unbudgeted["_row"]],
        )
    if not len(computable) and not len(unbudgeted):
        yield _not_provided("非税收入预算数与实际数", [_col(ds, "nontax", "budget")])


# -- （二）预算编制 ---------------------------------------------------------------------------
@check("budget_revenue.total", "预算收入合计")
def _budget_revenue(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    yield compare_sum(
        "预算收入",
        num(ds.stated_total("budget_revenue", "amount")),
        [r.get("amount") for r in _rows(ds, "budget_revenue")],
        [_col(ds, "budget_revenue", "amount"), ds.total_cell("budget_revenue", "amount")],
    )


@check("functions.budget_total", "按功能分类的预算支出与预算收入")
def _functions_budget(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    parts = [r.get("budget") for r in _rows(ds, "functions")]
    cells = [_col(ds, "functions", "budget")]
    targets = [
        (
            "预算支出（按功能分类）合计行",
            num(ds.stated_total("functions", "budget")),
            ds.total_cell("functions", "budget"),
        ),
        ("预算收入合计", num(ds.stated_total("budget_revenue", "amount")), ds.total_cell("budget_revenue", "amount")),
    ]
    targets = [t for t in targets if t[1] is not None]
    if not targets:
        yield _not_provided("预算收入合计", cells)
    for what, stated, cell in targets:
        yield compare_sum(f"按功能分类的预算支出与{what}", stated, parts, cells + [cell])


@check("functions.final_total", "按功能分类的决算支出与决算收入、总决算")
def _functions_final(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    parts = [r.get("final") for r in _rows(ds, "functions")]
    cells = [_col(ds, "functions", "final")]
    targets = [
        ("支出功能分类合计行", num(ds.stated_total("functions", "final")), ds.total_cell("functions", "final")),
        ("决算收入合计", num(ctx.stated("final_revenue_total")), ds.fact_cell("stated", "final_revenue_total")),
        ("总决算收入总计", num(ds.stated_total("fund_types", "revenue")), ds.total_cell("fund_types", "revenue")),
        (
            "总决算支出总计",
            num(ds.stated_total("fund_types", "expenditure")),
            ds.total_cell("fund_types", "expenditure"),
        ),
    ]
    targets = [t for t in targets if t[1] is not None]
    if not targets:
        yield _not_provided("决算收入合计与总决算", cells)
    for what, stated, cell in targets:
        yield compare_sum(f"按功能分类的决算支出与{what}", stated, parts, cells + [cell])


@check("functions.final_share", "决算支出占比")
def _functions_share(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    total = F.final_total(ds)
    total_stated = (
        num(ctx.stated("final_revenue_total")) is not None or num(ds.stated_total("functions", "final")) is not None
    )
    total_cell = (
        ds.fact_cell("stated", "final_revenue_total")
        if num(ctx.stated("final_revenue_total")) is not None
        else ds.total_cell("functions", "final") or _col(ds, "functions", "final")
    )
    n = sum(num(r.get("final")) is not None for r in _rows(ds, "functions"))
    rows = [r for r in _rows(ds, "functions") if num(r.get("final_share")) is not None]
    if not rows:
        yield _not_provided("决算占比", [_col(ds, "functions", "final_share")])
        return
    for r in rows:
        cells = [ds.cell("functions", "final_share", r["_row"]), ds.cell("functions", "final", r["_row"]), total_cell]
        x = num(r.get("final"))
        if x is None or not total:
            yield _not_provided(f"{text(r.get('name'))}决算数或决算总额", cells, stated=num(r["final_share"]))
            continue
        # A stated total is one printed figure; a total summed from n printed parts may be
        # off by n half-cents.
        bounds = _pct_bounds(x, total, HALF_CENT, HALF_CENT if total_stated else n * HALF_CENT)
        yield compare_pct(
            f"{text(r.get('name'))}占比",
            num(r["final_share"]),
            x / total * 100,
            bounds,
            cells,
            formula=f"{fmt(x)} ÷ {fmt(total)}",
        )


@check("functions.share_sum", "决算占比之和为100%")
def _functions_share_sum(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    shares = [num(r.get("final_share")) for r in _rows(ds, "functions")]
    given = [s for s in shares if s is not None]
    cells = [_col(ds, "functions", "final_share")]
    if not given:
        yield _not_provided("决算占比", cells)
        return
    if len(given) < len(shares):
        yield _not_provided(f"部分科目的决算占比（{len(shares) - len(given)}项）", cells)
        return
    total = sum(given)
    # 100 % is exact; only the n printed shares carry rounding.
    tol = len(given) * HALF_CENT
    diff = total - 100
    if round_half_up(total) == 100:
        sev, tail = "pass", "一致"
    elif abs(diff) <= tol + _EPS:
        sev, tail = "info", f"相差{fmt(diff)}个百分点，{WITHIN_ROUNDING}（±{_tol(tol)}）"
    else:
        sev, tail = "error", f"相差{fmt(diff)}个百分点，超出舍入误差（±{_tol(tol)}）"
    yield _finding(
        sev,
        f"决算占比之和：{len(given)}项所述占比相加为{fmt_pct(total)}，应为100%，{tail}。",
        stated=total,
        computed=100.0,
        difference=diff,
        tolerance=tol,
        cells=cells,
    )


@check("functions.code_names", "功能分类编码与科目名称")
def _function_names(ctx: Context) -> Iterator[Finding]:
    from jixiao.workbook.spec import function_codes

    ds = ctx.ds
    codes = function_codes()
    rows = [r for r in _rows(ds, "functions") if not is_blank(r.get("code"))]
    if not rows:
        yield _not_provided("支出功能分类", [_col(ds, "functions", "code")])
        return
    bad = []
    for r in rows:
        official = codes.get(int(r["code"]))
        # 一般公共服务 and 一般公共服务支出 name the same class.
        if official and F.name_key(r.get("name")).removesuffix("支出") != F.name_key(official).removesuffix("支出"):
            bad.append((r, official))
    for r, official in bad:
        yield _finding(
            "warning",
            f"功能分类编码{int(r['code'])}对应“{official}”，科目名称却为“{text(r.get('name'))}”，编码或名称有误。",
            cells=[ds.cell("functions", "code", r["_row"]), ds.cell("functions", "name", r["_row"])],
        )
    if not bad:
        yield _finding(
            "pass",
            f"{len(rows)}个功能分类的编码与科目名称一致。",
            cells=[_col(ds, "functions", "code"), _col(ds, "functions", "name")],
        )


@check("final_revenue.parts", "决算收入合计与其构成")
def _final_revenue_parts(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    yield compare_sum(
        "决算收入（财政拨款收入 + 其他收入）",
        num(ctx.stated("final_revenue_total")),
        [ctx.stated("final_revenue_appropriation"), ctx.stated("final_revenue_other")],
        _fact_cells(ds, "stated", "final_revenue_appropriation", "final_revenue_other", "final_revenue_total"),
    )


@check("fund_types.totals", "乡镇财政总决算收入、支出合计")
def _fund_type_totals(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    rows = _rows(ds, "fund_types")
    for col, what in (("revenue", "总决算收入"), ("expenditure", "总决算支出")):
        values = [r.get(col) for r in rows]
        cells = [_col(ds, "fund_types", col), ds.total_cell("fund_types", col)]
        if all(num(v) is None for v in values):
            yield _not_provided(f"{what}按资金性质的明细", cells, stated=num(ds.stated_total("fund_types", col)))
        else:
            yield compare_sum(what, num(ds.stated_total("fund_types", col)), values, cells)


@check("fund_types.balance", "乡镇财政总决算收支平衡")
def _fund_type_balance(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    rev, exp = num(ds.stated_total("fund_types", "revenue")), num(ds.stated_total("fund_types", "expenditure"))
    cells = [
        ds.total_cell("fund_types", "revenue") or _col(ds, "fund_types", "revenue"),
        ds.total_cell("fund_types", "expenditure"),
    ]
    if rev is None or exp is None:
        yield _not_provided("总决算收入总计或支出总计", cells)
        return
    # 收入总计 and 支出总计 of a 总决算 both include carry-overs and balances, so they are
    # equal by construction.
    f = compare_sum("总决算收支", rev, [exp], cells)
    f.message = f"总决算收入总计{_money(rev)}，支出总计{_money(exp)}，" + (
        "收支平衡。" if f.severity == "pass" else f"相差{_money(rev - exp)}，收入总计与支出总计应相等。"
    )
    yield f


@check("budget_revenue.other_income", "资源统筹“其他收入”与预算收入“其他收入”")
def _other_income(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    pooled = num(ctx.stated("other_income_pooled"))
    rows = [r for r in _rows(ds, "budget_revenue") if F.name_key(r.get("source")) == "其他收入"]
    budget = num(rows[0].get("amount")) if rows else None
    cells = [ds.fact_cell("stated", "other_income_pooled")] + (
        [ds.cell("budget_revenue", "amount", rows[0]["_row"])] if rows else []
    )
    if pooled is None or budget is None:
        yield _not_provided("资源统筹或预算收入中的“其他收入”", cells)
    elif round_half_up(pooled) == round_half_up(budget):
        yield _finding(
            "pass",
            f"资源统筹纳入预算的其他收入{_money(pooled)}与预算收入中的其他收入{_money(budget)}一致。",
            stated=pooled,
            computed=budget,
            difference=0,
            cells=cells,
        )
    else:
        # Not necessarily wrong: 年初预算 vs the year's pooled income may legitimately differ.
        yield _finding(
            "info",
            f"资源统筹纳入预算的其他收入{_money(pooled)}，预算收入中的其他收入{_money(budget)}，"
            f"相差{_money(pooled - budget)}；两处口径可能不同（年初预算与年度统筹），宜在报告中说明。",
            stated=pooled,
            computed=budget,
            difference=pooled - budget,
            cells=cells,
        )
