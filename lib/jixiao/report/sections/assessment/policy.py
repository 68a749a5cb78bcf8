"""（一）重大政策落实: 专项资金, “三保”, “三公”经费, 非税收入."""

from __future__ import annotations

import pandas as pd

from jixiao.analysis import finance as F
from jixiao.report.charts import grouped_bars
from jixiao.report.context import Block, Col, ReportContext, num, plain
from jixiao.report.sections import common as C
from jixiao.report.sections.assessment.overview import _render, county_authority, fund_label


# -- （一）重大政策落实 ------------------------------------------------------------------------
def special_funds(ctx: ReportContext) -> Block:
    """1.专项资金管理情况: the funds and their total, the management measures, the table."""
    df = ctx.ds.tables.get("special_funds", pd.DataFrame(columns=["no", "name", "level", "amount", "to_villages"]))
    funds = [
        {
            "name": F.text(r.get("name")) or "未命名资金",
            "label": fund_label(r.get("name")),
            "amount": F.num(r.get("amount")),
            "to_villages": F.text(r.get("to_villages")) == "是",
        }
        for r in df.to_dict("records")
    ]
    computed = F.total_of(df["amount"]) if len(df) else None
    stated = F.num(ctx.ds.stated_total("special_funds", "amount"))
    f = {
        "funds": [x for x in funds if not x["to_villages"]],
        "village_funds": [x for x in funds if x["to_villages"]],
        "total": computed,
        "stated": stated,
        "differs": C.differs(stated, computed),
        "measures": C.text_paragraphs(ctx, "special_funds_measures"),
    }
    head = ctx.heading("1.专项资金管理情况", level=3)
    text = _render(ctx, "assessment/special_funds.html.j2", f=f)
    if not len(df):
        return Block(head + text)
    shown = df.copy()
    shown["level_shown"] = [F.text(v) or "未提供" for v in shown["level"]]
    by_level = F.special_funds_by_level(ctx.ds)
    note = (
        "按资金级次："
        + "；".join(
            f"{r['level']}{r['count']}项{num(r['amount'])}万元（占{num(r['share'])}%）"
            for r in by_level.to_dict("records")
        )
        + "。"
    )
    if f["differs"]:
        note += f"报告所述专项资金总额{num(stated)}万元，与明细合计{num(computed)}万元不一致。"
    table = ctx.table(
        shown,
        [
            Col("no", "序号", "int"),
            Col("name", "资金名称"),
            Col("level_shown", "资金级次"),
            Col("amount", "金额（万元）", "money", total=True),
        ],
        "上级专项资金明细",
        note=note,
    )
    return Block(head + text + table)


def three_guarantees(ctx: ReportContext) -> Block:
    """2.“三保”支出保障情况: arranged vs actual per category (with the 保基本民生 detail)."""
    tg = F.three_guarantees(ctx.ds)
    detail = ctx.ds.tables.get(
        "three_guarantees_detail", pd.DataFrame(columns=["category", "name", "amount", "status"])
    )
    cats = []
    for r in tg.to_dict("records"):
        sub = detail[detail["category"] == r["category"]] if len(detail) else detail
        cats.append(
            {
                **r,
                "parts": [
                    {"name": F.text(d.get("name")), "amount": F.num(d.get("amount")), "status": F.text(d.get("status"))}
                    for d in sub.to_dict("records")
                ],
                "detail_differs": C.differs(r["actual"], r["detail_sum"]) if r["detail_count"] else False,
            }
        )
    head = ctx.heading("2.“三保”支出保障情况", level=3)
    text = _render(ctx, "assessment/three_guarantees.html.j2", cats=cats, authority=county_authority(ctx))
    if not len(tg):
        return Block(head + text)
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
        note="差额 = 实际支出 − 安排资金。",
    )
    fig = ctx.figure(
        grouped_bars(tg, "category", {"arranged": "安排资金", "actual": "实际支出"}, "“三保”安排资金与实际支出"),
        "“三保”安排资金与实际支出",
    )
    return Block(head + text + table + fig)


def three_public_figures(ctx: ReportContext) -> dict:
    """三公经费 this year vs last (totals), the budget, and the items split into 三公 / other."""
    tp = F.three_public_total(ctx.ds)
    items = F.three_public_items(ctx.ds)
    budget_stated = F.num(ctx.ds.stated_total("three_public", "budget"))
    budget_sum = F.total_of(items["budget"]) if len(items) else None
    return {
        "total": tp,
        "items": items,
        "budget": budget_stated if budget_stated is not None else budget_sum,
        "budget_sum": budget_sum,
        "budget_differs": C.differs(budget_stated, budget_sum),
        "change_differs": C.differs(tp.change_stated, tp.change),
        "prev_year": ctx.year - 1,
        "year": ctx.year,
    }


def austerity(ctx: ReportContext) -> Block:
    """3.落实过紧日子要求情况: the austerity text, 三公经费 this year vs last, table and chart."""
    f = three_public_figures(ctx)
    tp, items = f["total"], f["items"]
    head = ctx.heading("3.落实过紧日子要求情况", level=3)
    text = _render(
        ctx,
        "assessment/austerity.html.j2",
        f=f,
        austerity=C.text_paragraphs(ctx, "austerity"),
        reason=C.text(ctx, "three_public_reason"),
    )
    out = head + text
    if len(items):
        shown = items.copy()
        notes = []
        if items["actual"].isna().any() or items["last_actual"].isna().any():
            notes.append("分项决算数未提供，合计行的本年决算、上年决算为报告所述合计数。")
        notes += [x.message for x in C.findings(ctx, "three_public.classification")]
        cols = [
            Col("item", "项目"),
            Col("budget", f"{f['year']}年预算（万元）", "money"),
            Col("actual", f"{f['year']}年决算（万元）", "money"),
            Col("last_actual", f"{f['prev_year']}年决算（万元）", "money"),
            Col("change", "增减额（万元）", "money"),
        ]
        out += ctx.table(
            shown,
            cols,
            "“三公”经费预算与决算",
            note="".join(notes) or None,
            total_row={"budget": f["budget"], "actual": tp.current, "last_actual": tp.previous, "change": tp.change},
        )
    if tp.current is not None or tp.previous is not None:
        complete = len(items) and items["actual"].notna().all() and items["last_actual"].notna().all()
        series = {"last_actual": f"{f['prev_year']}年决算", "actual": f"{f['year']}年决算"}
        if complete:
            fig = grouped_bars(items, "item", series, "“三公”经费本年与上年对比")
            note = None
        else:  # the totals only: one group of bars (with this year's budget when given)
            totals = {"item": "“三公”经费合计", "last_actual": tp.previous, "actual": tp.current}
            if f["budget"] is not None:
                series["budget"] = f"{f['year']}年预算"
                totals["budget"] = f["budget"]
            fig = grouped_bars(pd.DataFrame([totals]), "item", series, "“三公”经费本年与上年对比", horizontal=False)
            note = "分项决算数未提供，按合计数绘制。"
        out += ctx.figure(fig, "“三公”经费本年与上年对比", note=note)
    return Block(out)


def nontax_figures(ctx: ReportContext) -> dict:
    """非税收入: parts, computed and stated totals, budget, variance rows."""
    var = F.nontax_variance(ctx.ds)
    actual = F.total_of(var["actual"]) if len(var) else None
    budget = F.total_of(var["budget"]) if len(var) else None
    stated_actual = F.num(ctx.ds.stated_total("nontax", "actual"))
    stated_budget = F.num(ctx.ds.stated_total("nontax", "budget"))
    return {
        "rows": var.to_dict("records"),
        "actual": actual,
        "stated_actual": stated_actual,
        "actual_differs": C.differs(stated_actual, actual),
        "budget": stated_budget if stated_budget is not None else budget,
        "budget_sum": budget,
        "budget_differs": C.differs(stated_budget, budget),
        "budgeted": [r for r in var.to_dict("records") if (r["budget"] or 0) > 0],
        "flagged": [r["item"] for r in var.to_dict("records") if r["flagged"]],
        "threshold": F.finance_config()["nontax"]["variance_threshold"],
        "year": ctx.year,
    }


def tax_and_fees(ctx: ReportContext) -> Block:
    """4.减税降费等政策的落实情况: texts, non-tax revenue paid over (computed), the variance table."""
    f = nontax_figures(ctx)
    head = ctx.heading("4.减税降费等政策的落实情况", level=3)
    values = {
        "f": f,
        "budgeting": C.text_paragraphs(ctx, "nontax_budgeting"),
        "tax_cuts": C.text_paragraphs(ctx, "tax_cuts"),
        "confiscation": C.text_paragraphs(ctx, "confiscation"),
        "e_invoices": C.text_paragraphs(ctx, "e_invoices"),
    }
    out = head + _render(ctx, "assessment/tax_and_fees.html.j2", part=1, **values)
    if f["rows"]:
        var = F.nontax_variance(ctx.ds)
        var["flag"] = ["—" if v is None else ("是" if v else "否") for v in var["flagged"]]
        out += ctx.table(
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
            note="变动幅度 = (实际数 − 预算数) ÷ 预算数；预算数未提供的项目无法计算。"
            + (f"报告所述实际数合计{num(f['stated_actual'])}万元，与明细合计不一致。" if f["actual_differs"] else ""),
        )
        out += ctx.figure(
            grouped_bars(var, "item", {"budget": "预算数", "actual": "实际数"}, "非税收入预算数与实际数"),
            "非税收入预算数与实际数",
            note="预算数未提供的项目只画实际数。" if var["budget"].isna().any() else None,
        )
    return Block(out + _render(ctx, "assessment/tax_and_fees.html.j2", part=2, **values))
