"""（一）重大政策落实: 专项资金, “三保”, “三公”经费, 非税收入."""

from __future__ import annotations

from typing import Any

import pandas as pd

from jixiao.analysis import finance as F
from jixiao.analysis.finance.inputs import records
from jixiao.report.charts import grouped_bars
from jixiao.report.context import Block, Col, ReportContext, num, plain, wy
from jixiao.report.sections import common as C
from jixiao.report.sections.assessment.overview import _render, fund_label
from jixiao.report.sections.common import rows_with_data

#: Marks a text may end with; a text ending in none of them goes on with the generated clause.
ENDS = "。！？；：，、,;:!?"


# -- （一）重大政策落实 ------------------------------------------------------------------------
def _special_funds_clause(f: dict, open_text: bool) -> str:
    """What follows the unit's 专项资金管理 text (or opens the paragraph without it): the
    total, the funds by name (those allocated to villages last), then the text 专项资金管理（续）.

    ``open_text``: the unit's text ends without punctuation (“…落实上级专项资金”), so the
    clause goes on with its words (“共计101.77万元，其中：…”).
    """
    listed = [x["label"] + ("" if x["amount"] is None else wy(x["amount"])) for x in f["funds"] if x["name"]]
    village = [
        (x["wording"] or (x["name"] if x["name"].endswith(("资金", "经费")) else x["name"] + "项目资金"))
        + ("" if x["amount"] is None else wy(x["amount"]))
        for x in f["village_funds"]
        if x["name"]
    ]
    out = "" if open_text else "上级专项资金"
    if f["total"] is not None:
        out += f"共计{wy(f['total'])}"
    if listed or village:
        out += "，其中：" if f["total"] is not None or open_text else "包括："
        out += "、".join(listed)
        if village:
            out += ("，对于" if listed else "") + "分配到村级的" + "、".join(village)
    if out == "上级专项资金":  # neither a total nor a fund: nothing to say
        out = ""
    after = f["after"][0] if f["after"] else ""
    if after:
        return out + "，" + after if out or open_text else after
    return out + "。" if out else ""


def special_funds(ctx: ReportContext) -> Block:
    """1.专项资金管理情况: the unit's text (专项资金管理) continued by the total (the stated
    合计, else the sum of the funds) and the funds, then its text 专项资金管理（续）, the
    management measures and the table."""
    df = ctx.ds.tables.get("special_funds", pd.DataFrame(columns=["no", "name", "level", "amount", "to_villages"]))
    funds = [
        {
            "name": F.text(r.get("name")),
            # the unit's own wording of the item when the workbook gives it (文中写法)
            "wording": F.text(r.get("wording")),
            "label": F.text(r.get("wording")) or fund_label(r.get("name")),
            "amount": F.num(r.get("amount")),
            "to_villages": F.text(r.get("to_villages")) == "是",
        }
        for r in records(df)
        if F.text(r.get("name")) or F.num(r.get("amount")) is not None
    ]
    computed = F.total_of(df["amount"]) if len(df) and df["amount"].notna().any() else None
    stated = F.num(ctx.ds.stated_total("special_funds", "amount"))
    management = C.text_paragraphs(ctx, "special_funds_management")
    after = C.text_paragraphs(ctx, "special_funds_management_after")
    f: dict[str, Any] = {
        "funds": [x for x in funds if not x["to_villages"]],
        "village_funds": [x for x in funds if x["to_villages"]],
        "total": stated if stated is not None else computed,
        "management": management,
        "after": after,
        "measures": C.text_paragraphs(ctx, "special_funds_measures"),
    }
    f["clause"] = _special_funds_clause(f, open_text=bool(management) and management[-1][-1:] not in ENDS)
    text = _render(ctx, "assessment/special_funds.html.j2", f=f)
    review = []
    if not funds and f["total"] is None:
        review.append("上级专项资金明细与合计均未填报：报送版未写专项资金金额。")
    df = rows_with_data(df, ["name", "level", "amount"])
    if not len(df):
        return C.subsection(ctx, "专项资金管理情况", Block(text).with_review(*review), PART_ONE)
    by_level = F.special_funds_by_level(ctx.ds)
    levels = [r for r in records(by_level) if r["level"] != "未注明" and r["share"] is not None]
    note = (
        "按资金级次："
        + "；".join(f"{r['level']}{r['count']}项{num(r['amount'])}万元（占{num(r['share'])}%）" for r in levels)
        + "。"
        if levels
        else None
    )
    table = ctx.table(
        df,
        [
            Col("no", "序号", "int"),
            Col("name", "资金名称"),
            Col("level", "资金级次"),
            Col("amount", "金额（万元）", "money"),
        ],
        "上级专项资金明细",
        note=note,
        total_row={"amount": f["total"]},
    )
    return C.subsection(ctx, "专项资金管理情况", Block(text + table).with_review(*review, *table.review), PART_ONE)


def three_guarantees(ctx: ReportContext) -> Block:
    """2.“三保”支出保障情况: the unit's text (三保支出保障), then arranged vs actual per
    category with its 落实情况 (保基本民生: its items and theirs, 三保明细)."""
    tg = F.three_guarantees(ctx.ds)
    raw = ctx.ds.tables.get("three_guarantees", pd.DataFrame(columns=["category", "status"]))
    status = {F.text(r.get("category")): F.text(r.get("status")) for r in records(raw) if "status" in raw.columns}
    detail = ctx.ds.tables.get(
        "three_guarantees_detail", pd.DataFrame(columns=["category", "name", "amount", "status"])
    )
    cats = []
    for r in records(tg):
        sub = detail[detail["category"] == r["category"]] if len(detail) else detail
        cats.append(
            {
                **r,
                "status": status.get(r["category"]),
                "parts": [
                    {
                        "name": F.text(d.get("wording")) or F.text(d.get("name")),
                        "amount": F.num(d.get("amount")),
                        "status": F.text(d.get("status")),
                    }
                    for d in records(sub)
                    if F.text(d.get("name"))
                ],
            }
        )
    # a category the unit gives nothing for is not listed
    cats = [
        c
        for c in cats
        if c["category"] and (c["arranged"] is not None or c["actual"] is not None or c["parts"] or c["status"])
    ]
    text = _render(
        ctx, "assessment/three_guarantees.html.j2", cats=cats, lead=C.text_paragraphs(ctx, "three_guarantees")
    )
    tg = rows_with_data(tg, ["arranged", "actual"])
    if not len(tg):
        return C.subsection(ctx, "“三保”支出保障情况", Block(text), PART_ONE)
    table = ctx.table(
        tg,
        [
            Col("category", "类别"),
            Col("arranged", "安排资金（万元）", "money", total=True),
            Col("actual", "实际支出（万元）", "money", total=True),
            Col("difference", "差额（万元）", "money", total=True),
            Col("actual_ratio", "实际支出÷安排资金", "pct"),
        ],
        "“三保”支出安排与实际支出",
        note="差额 = 实际支出 − 安排资金。" if any(v is not None for v in tg["difference"]) else None,
    )
    fig = ctx.figure(
        grouped_bars(tg, "category", {"arranged": "安排资金", "actual": "实际支出"}, "“三保”安排资金与实际支出"),
        "“三保”安排资金与实际支出",
    )
    return C.subsection(ctx, "“三保”支出保障情况", Block(text + table + fig).with_review(*table.review), PART_ONE)


def three_public_figures(ctx: ReportContext) -> dict:
    """三公经费 this year vs last (totals), the budget, and the items split into 三公 / other.

    ``budget`` and ``change`` are the stated ones (合计 row, 三公经费增减额), else computed
    (sum of the items' budgets; this year − last year). ``change_shown`` is what the sentence
    “较上年增加/减少…” prints after the two totals: the stated change when it agrees with them
    (or they are not both given), else their difference, so that the word and the amount are
    true for the totals printed beside them.
    """
    tp = F.three_public_total(ctx.ds)
    items = F.three_public_items(ctx.ds)
    budget_stated = F.num(ctx.ds.stated_total("three_public", "budget"))
    budget_sum = F.total_of(items["budget"]) if len(items) and items["budget"].notna().any() else None
    change_stated = F.num(tp.change_stated)
    return {
        "total": tp,
        "items": items,
        "budget": budget_stated if budget_stated is not None else budget_sum,
        "budget_sum": budget_sum,
        "budget_differs": C.differs(budget_stated, budget_sum),
        "change": change_stated if change_stated is not None else tp.change,
        "change_differs": C.differs(change_stated, tp.change),
        "change_shown": tp.change if C.differs(change_stated, tp.change) or change_stated is None else change_stated,
        "prev_year": ctx.year - 1,
        "year": ctx.year,
    }


def austerity(ctx: ReportContext) -> Block:
    """3.落实过紧日子要求情况: the austerity text, 三公经费 this year vs last, table and chart."""
    f = three_public_figures(ctx)
    tp, items = f["total"], f["items"]
    text = _render(
        ctx,
        "assessment/austerity.html.j2",
        f=f,
        austerity=C.text_paragraphs(ctx, "austerity"),
        reason=C.text(ctx, "three_public_reason"),
    )
    out: str = text
    review: list[str] = []
    listed = rows_with_data(items, ["budget", "actual", "last_actual"])
    # without an item's figures the table would be its 合计 row alone: the totals are in the
    # sentence and the chart
    if len(listed):
        cols = [
            Col("item", "项目"),
            Col("budget", f"{f['year']}年预算（万元）", "money"),
            Col("actual", f"{f['year']}年决算（万元）", "money"),
            Col("last_actual", f"{f['prev_year']}年决算（万元）", "money"),
            Col("change", "增减额（万元）", "money"),
        ]
        table = ctx.table(
            listed,
            cols,
            "“三公”经费预算与决算",
            total_row={"budget": f["budget"], "actual": tp.current, "last_actual": tp.previous, "change": f["change"]},
        )
        out += table
        review += table.review
    if tp.current is not None or tp.previous is not None:
        complete = len(items) and items["actual"].notna().all() and items["last_actual"].notna().all()
        series = {"last_actual": f"{f['prev_year']}年决算", "actual": f"{f['year']}年决算"}
        if complete:
            fig = grouped_bars(items, "item", series, "“三公”经费本年与上年对比")
        else:  # the totals only: one group of bars (with this year's budget when given)
            totals = {"item": "“三公”经费合计", "last_actual": tp.previous, "actual": tp.current}
            if f["budget"] is not None:
                series["budget"] = f"{f['year']}年预算"
                totals["budget"] = f["budget"]
            fig = grouped_bars(pd.DataFrame([totals]), "item", series, "“三公”经费本年与上年对比", horizontal=False)
        out += ctx.figure(fig, "“三公”经费本年与上年对比")
    years = _earlier_years(ctx, tp.current)
    out += years
    review += years.review
    return C.subsection(ctx, "落实过紧日子要求情况", Block(out).with_review(*review), PART_ONE)


def _earlier_years(ctx: ReportContext, current: float | None) -> Block:
    """近三年 三公经费 and 决算 when the parameters chain back two earlier years (``previous:``,
    each naming the year before: :func:`jixiao.workbook.carry.previous_chain`); nothing
    otherwise. Each year's figures are that year's workbook's, as its own report stated them."""
    from jixiao.exceptions import InputError
    from jixiao.workbook.carry import previous_chain

    try:
        chain = previous_chain(ctx.params, most=2, at_least=2)
    except InputError as exc:
        return Block("").with_review(f"上年度工作簿无法读取，未列示近三年对比：{exc}")
    if len(chain) < 2:
        return Block("")
    rows = [
        {"year": f"{p.year}年", "three_public": F.three_public_total(ds).current, "final": F.final_total(ds)}
        for p, ds in reversed(chain)
    ]
    rows.append({"year": f"{ctx.year}年", "three_public": current, "final": F.final_total(ctx.ds)})
    cols = [
        Col("year", "年度"),
        Col("three_public", "“三公”经费决算（万元）", "money"),
        Col("final", "决算支出（万元）", "money"),
    ]
    return ctx.table(pd.DataFrame(rows), cols, "近三年“三公”经费与决算支出", total_label=None)


def nontax_figures(ctx: ReportContext) -> dict:
    """非税收入: parts, computed and stated totals, budget, variance rows.

    ``paid_in_full``: the amount paid over (the stated total) equals the sum of the items'
    实际收入, so that “及时足额上缴” is said only when the items collected were all paid over.
    """
    var = F.nontax_variance(ctx.ds)
    actual = F.total_of(var["actual"]) if len(var) else None
    budget = F.total_of(var["budget"]) if len(var) else None
    stated_actual = F.num(ctx.ds.stated_total("nontax", "actual"))
    stated_budget = F.num(ctx.ds.stated_total("nontax", "budget"))
    return {
        "rows": records(var),
        "actual": actual,
        "paid": stated_actual if stated_actual is not None else actual,
        "stated_actual": stated_actual,
        "actual_differs": C.differs(stated_actual, actual),
        "paid_in_full": actual is not None and not C.differs(stated_actual, actual),
        "budget": stated_budget if stated_budget is not None else budget,
        "budget_sum": budget,
        "budget_differs": C.differs(stated_budget, budget),
        "budgeted": [r for r in records(var) if (r["budget"] or 0) > 0],
        "flagged": [r["item"] for r in records(var) if r["flagged"]],
        "threshold": F.finance_config()["nontax"]["variance_threshold"],
        "year": ctx.year,
    }


def tax_and_fees(ctx: ReportContext) -> Block:
    """4.减税降费等政策的落实情况: texts, non-tax revenue paid over (computed), the variance table."""
    f = nontax_figures(ctx)
    values = {
        "f": f,
        "budgeting": C.text_paragraphs(ctx, "nontax_budgeting"),
        "tax_cuts": C.text_paragraphs(ctx, "tax_cuts"),
        "confiscation": C.text_paragraphs(ctx, "confiscation"),
        "e_invoices": C.text_paragraphs(ctx, "e_invoices"),
        "no": C.ItemNumbers(),
    }
    out: str = _render(ctx, "assessment/tax_and_fees.html.j2", part=1, **values)
    review: list[str] = []
    var = rows_with_data(F.nontax_variance(ctx.ds), ["budget", "actual"]).copy()
    if len(var):
        var["flag"] = [None if v is None else ("是" if v else "否") for v in var["flagged"]]
        table = ctx.table(
            var,
            [
                Col("item", "项目"),
                Col("budget", "预算数（万元）", "money", total=True),
                Col("actual", "实际数（万元）", "money", total=True),
                Col("difference", "差额（万元）", "money"),
                Col("variance", "变动幅度", "pct"),
                Col("flag", f"变动幅度≥{plain(f['threshold'])}%"),
            ],
            "非税收入预算数与实际数",
            note="变动幅度 = (实际数 − 预算数) ÷ 预算数。",
            total_row={"budget": f["budget"], "actual": f["paid"]},
        )
        out += table
        review += table.review
        out += ctx.figure(
            grouped_bars(var, "item", {"budget": "预算数", "actual": "实际数"}, "非税收入预算数与实际数"),
            "非税收入预算数与实际数",
        )
    body = Block(out + _render(ctx, "assessment/tax_and_fees.html.j2", part=2, **values)).with_review(*review)
    return C.subsection(ctx, "减税降费等政策的落实情况", body, PART_ONE)


#: 二（一）重大政策落实: its numbered subsections (:func:`common.subsection`).
PART_ONE: C.Subsections = (
    ("专项资金管理情况", special_funds),
    ("“三保”支出保障情况", three_guarantees),
    ("落实过紧日子要求情况", austerity),
    ("减税降费等政策的落实情况", tax_and_fees),
)
