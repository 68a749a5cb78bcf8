"""二、部门绩效考核自评情况 (opening, scores) and its parts （一）重大政策落实 · （二）预算编制管理 ·
（三）预算执行管理.

Every figure comes from the dataset through :mod:`jixiao.analysis.finance`, :mod:`jixiao.analysis.scoring.selfeval`
and the checker's findings (``ctx.findings``); nothing is pasted from the seed. Where a
stated figure and the recomputed one disagree, the sentence says so with both figures.

Workbook texts (文字说明) hold the unit's narrative and no figures (the format's rule, see
``config/workbook.yaml``). Where the unit's sentence goes on with figures (非税收入, 资源统筹,
政府采购), the template continues the text with the clause generated from the data
(``templates/sections/_text.html.j2``), so that every figure is printed once, from the data.
Texts are autoescaped.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from jixiao.analysis import finance as F
from jixiao.analysis.scoring.selfeval import assessment as score_assessment
from jixiao.report.charts import grouped_bars, hbar, score_bars
from jixiao.report.context import Block, Col, ReportContext, cdate, num, pct, plain
from jixiao.report.sections import common as C
from jixiao.rounding import round_half_up


# -- small helpers -------------------------------------------------------------------------
def county_authority(ctx: ReportContext) -> str:
    """区委区政府 / 县委县政府 / 市委市政府 from the region (保定市徐水区 → 区委区政府)."""
    region = str(ctx.unit.get("region") or "")
    for suffix in ("区", "县", "市", "旗"):
        if region.endswith(suffix):
            return f"{suffix}委{suffix}政府"
    return "上级党委政府"


def fund_label(name: Any) -> str:
    """A fund's name as a prose noun: a document title gets “的资金” (…的通知的资金), a name
    not ending in 资金 / 经费 gets “资金”."""
    n = F.text(name) or "未命名"
    if n.endswith("通知"):
        return n + "的资金"
    return n if n.endswith(("资金", "经费", "补助", "补贴")) else n + "资金"


def _render(ctx: ReportContext, template: str, **values: Any) -> Block:
    """``ctx.render`` with the template's line breaks removed: templates are written over
    several lines for reading, but a line break between Chinese characters would print as
    a space. (Workbook texts reach templates already split into paragraphs.)"""
    return Block(re.sub(r"\n\s*", "", ctx.render(template, **values)))


# -- 二、opening: the assessment score ---------------------------------------------------------
def part_heading(ctx: ReportContext, category: str, position: int | None = None) -> Block:
    """``（一）重大政策落实情况，得分11分``: number and score from the 考核得分 sheet
    (:func:`common.category_heading`); ``position`` overrides the sheet's 序号."""
    return C.category_heading(ctx, category, ordinal=position, fallback=1)


def assessment_figures(ctx: ReportContext) -> dict:
    """The management-assessment score as the checker sees it.

    Returns
    -------
    dict
        ``raw_total`` (sum of the category scores), ``total`` (with bonus − deduction),
        ``bonus``, ``deduction``, ``stated_total``, ``stated_converted``,
        ``converted`` (of the computed total), ``converted_from_stated``, ``max``,
        ``max_origin`` (工作簿 / 参数文件 / None), ``max_source``, ``consistent``,
        ``converted_consistent`` (stated 换算得分 vs the stated total converted), ``grade``.
    """
    a = score_assessment(ctx.ds, ctx.params)
    c = a.computed
    stated_max = F.num(C.stated(ctx, "applicable_max"))
    origin = "工作簿" if stated_max else ("参数文件" if a.applicable_max else None)
    stated_conv = F.num(a.stated_converted)
    return {
        "raw_total": a.raw_total,
        "total": c.total if c else a.raw_total,
        "bonus": c.bonus if c else 0.0,
        "deduction": c.deduction if c else 0.0,
        "stated_total": F.num(a.stated_total),
        "stated_converted": stated_conv,
        "converted": c.converted if c else None,
        "converted_from_stated": a.converted_from_stated,
        "max": a.applicable_max,
        "max_origin": origin,
        "max_source": a.max_source,
        "consistent": a.consistent,
        "converted_consistent": not C.differs(stated_conv, a.converted_from_stated),
        "grade": c.grade if c else None,
    }


def overview(ctx: ReportContext) -> Block:
    """二、opening paragraph with the score (stated vs computed), the category table and chart."""
    f = assessment_figures(ctx)
    text = _render(ctx, "assessment/overview.html.j2", f=f)
    df = ctx.ds.assessment.copy()
    df["points_shown"] = [plain(v) for v in df["points"]]  # blank → 未提供
    df["category_shown"] = df["category"]
    note = []
    if f["stated_total"] is not None:
        where = ctx.ds.total_cell("assessment", "score") or ctx.ds.fact_cell("stated", "assessment_total")
        note.append(
            f"合计行为各类别得分之和；报告填报总分{plain(f['stated_total'])}分（{where}）"
            + ("，与之一致。" if f["consistent"] else "，与之不一致。")
        )
    if f["max"]:
        note.append(f"适用满分{plain(f['max'])}分，取自{f['max_origin']}（{f['max_source']}）。")
    else:
        note.append("适用满分未提供，无法计算换算得分。")
    table = ctx.table(
        df,
        [
            Col("no", "序号", "int"),
            Col("category_shown", "考核类别"),
            Col("points_shown", "适用分值"),
            Col("score", "自评得分", "plain", total=True),
            Col("bonus", "加分", "plain", total=True),
            Col("deduction", "扣分", "plain", total=True),
        ],
        "管理绩效考核各类别得分",
        note="".join(note),
    )
    fig = ctx.figure(
        score_bars(df["category"], df["score"], df["points"], "考核各类别得分"),
        "考核各类别得分",
        note="按考核得分表的自评得分绘制；适用分值未提供时只画得分。",
    )
    return Block(text + table + fig)


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


# -- （二）预算编制管理 ------------------------------------------------------------------------
def budget_system(ctx: ReportContext) -> Block:
    """1.制度建设情况 (workbook text)."""
    return Block(
        ctx.heading("1.制度建设情况", level=3)
        + _render(ctx, "assessment/text.html.j2", paras=C.text_paragraphs(ctx, "budget_rules"), what="制度建设情况说明")
    )


def budget_preparation_figures(ctx: ReportContext) -> dict:
    """预算收入 by source, 预算支出 by function, 三公 and 非税 budgets, 新增资产预算."""
    rev = ctx.ds.tables.get("budget_revenue", pd.DataFrame(columns=["source", "amount"]))
    rev_sum = F.total_of(rev["amount"]) if len(rev) else None
    rev_stated = F.num(ctx.ds.stated_total("budget_revenue", "amount"))
    funcs = F.budget_vs_final_by_function(ctx.ds)
    exp_sum = F.total_of(funcs["budget"]) if len(funcs) else None
    tp = three_public_figures(ctx)
    items = tp["items"]
    nt = nontax_figures(ctx)
    return {
        "year": ctx.year,
        "revenue": [
            {"source": F.text(r.get("source")), "amount": F.num(r.get("amount"))} for r in rev.to_dict("records")
        ],
        "revenue_total": rev_sum,
        "revenue_stated": rev_stated,
        "revenue_differs": C.differs(rev_stated, rev_sum),
        "functions": funcs.to_dict("records"),
        "expenditure_total": exp_sum,
        "three_public_budget": tp["budget"],
        "three_public_budget_sum": tp["budget_sum"],
        "three_public_budget_differs": tp["budget_differs"],
        "three_public_items": [r for r in items.to_dict("records") if r["is_three_public"]],
        "other_items": [r for r in items.to_dict("records") if not r["is_three_public"]],
        "nontax_budget": nt["budget"],
        "nontax_budgeted": nt["budgeted"],
        "new_asset_budget": F.num(C.stated(ctx, "new_asset_budget")),
    }


def budget_preparation(ctx: ReportContext) -> Block:
    """2.部门预算编制情况: (1) 收支预算 (2) 三公经费预算 (3) 非税收入计划 (4) 新增资产预算."""
    f = budget_preparation_figures(ctx)
    head = ctx.heading("2.部门预算编制情况", level=3)
    values = {
        "f": f,
        "preparation": C.text_paragraphs(ctx, "budget_preparation"),
        "procurement": C.text_paragraphs(ctx, "procurement_budgeting"),
    }
    out = head + _render(ctx, "assessment/budget_preparation.html.j2", part=1, **values)
    rev = ctx.ds.tables.get("budget_revenue")
    if rev is not None and len(rev):
        shown = rev.copy()
        total = f["revenue_total"]
        shown["share"] = [F.pct(a, total) for a in shown["amount"]]
        out += ctx.table(
            shown,
            [
                Col("source", "收入来源"),
                Col("amount", "金额（万元）", "money", total=True),
                Col("share", "占比", "pct", total=True),
            ],
            f"{ctx.year}年预算收入（按来源）",
            note=(
                f"报告所述预算收入合计{num(f['revenue_stated'])}万元，与明细合计不一致。"
                if f["revenue_differs"]
                else None
            ),
        )
        given = shown[shown["amount"].notna()]  # a blank amount is not drawn as 0
        out += ctx.figure(
            hbar(
                pd.DataFrame(
                    {
                        "source": list(given["source"]),
                        "amount": [F.num(a) for a in given["amount"]],
                        "share": [round_half_up(s, 2) if s is not None else 0.0 for s in given["share"]],
                    }
                ),
                "source",
                "amount",
                f"{ctx.year}年预算收入构成",
                annotate="share",
            ),
            f"{ctx.year}年预算收入构成",
        )
    return Block(out + _render(ctx, "assessment/budget_preparation.html.j2", part=2, **values))


def resource_pooling(ctx: ReportContext) -> Block:
    """3.各类资源统筹管理情况: the unit's text, continued by the amounts pooled (预算拨款结转,
    其他收入) and returned to the treasury, from the 填报数据 sheet."""
    return Block(
        ctx.heading("3.各类资源统筹管理情况", level=3)
        + _render(
            ctx,
            "assessment/resource_pooling.html.j2",
            before=C.text_paragraphs(ctx, "resource_pooling"),
            after=C.text_paragraphs(ctx, "resource_pooling_after"),
            carryover=F.num(C.stated(ctx, "carryover")),
            other=F.num(C.stated(ctx, "other_income_pooled")),
            returned=F.num(C.stated(ctx, "returned_to_treasury")),
        )
    )


# -- （三）预算执行管理 ------------------------------------------------------------------------
def execution_supervision(ctx: ReportContext) -> Block:
    """1.预算执行监督 ((1) 预警 (2) 违规), 2.预算执行分析, 3.暂付款项管理 (workbook texts)."""
    out: str = ctx.heading("1.预算执行监督情况", level=3)  # Block + str is a str
    out += _render(
        ctx,
        "assessment/text.html.j2",
        paras=C.text_paragraphs(ctx, "warnings"),
        lead="（1）预警处理情况。",
        what="说明",
    )
    out += _render(
        ctx,
        "assessment/text.html.j2",
        paras=C.text_paragraphs(ctx, "violations"),
        lead="（2）预算执行违规情况。",
        what="说明",
    )
    out += ctx.heading("2.预算执行分析情况", level=3)
    out += _render(
        ctx, "assessment/text.html.j2", paras=C.text_paragraphs(ctx, "execution_analysis"), what="预算执行分析说明"
    )
    out += ctx.heading("3.暂付款项管理情况", level=3)
    out += _render(ctx, "assessment/text.html.j2", paras=C.text_paragraphs(ctx, "advances"), what="暂付款项管理说明")
    return Block(out)


def final_accounts_figures(ctx: ReportContext) -> dict:
    """决算收入 (stated total and its parts) and 决算 by function with computed shares."""
    byf = F.final_by_function(ctx.ds)
    total = F.final_total(ctx.ds)
    appropriation = F.num(C.stated(ctx, "final_revenue_appropriation"))
    other = F.num(C.stated(ctx, "final_revenue_other"))
    parts = F.total_of([appropriation, other])
    fsum = F.total_of(byf["final"]) if len(byf) else None
    rows = []
    for r in byf.to_dict("records"):
        rows.append({**r, "share_differs": C.differs(r["share_stated"], r["share"])})
    return {
        "year": ctx.year,
        "total": total,
        "appropriation": appropriation,
        "other": other,
        "parts_differ": C.differs(total, parts) if appropriation is not None and other is not None else False,
        "functions": rows,
        "function_sum": fsum,
        "function_sum_differs": C.differs(total, fsum),
    }


def final_accounts(ctx: ReportContext) -> Block:
    """4.部门决算管理情况: 决算收入 and 决算支出 by function with computed shares; table and charts."""
    f = final_accounts_figures(ctx)
    head = ctx.heading("4.部门决算管理情况", level=3)
    text = _render(ctx, "assessment/final_accounts.html.j2", f=f, intro=C.text_paragraphs(ctx, "final_accounts"))
    bvf = F.budget_vs_final_by_function(ctx.ds)
    if not len(bvf):
        return Block(head + text)
    shares = F.final_by_function(ctx.ds)
    bvf["share"] = shares["share"].values
    bvf["code_shown"] = [F.text(c) for c in bvf["code"]]
    table = ctx.table(
        bvf,
        [
            Col("code_shown", "功能分类编码"),
            Col("name", "科目名称"),
            Col("budget", "预算数（万元）", "money", total=True),
            Col("final", "决算数（万元）", "money", total=True),
            Col("share", "决算占比", "pct", total=True),
            Col("execution_ratio", "决算÷预算", "pct"),
        ],
        f"{ctx.year}年决算支出（按功能分类）",
        note=f"决算占比 = 决算数 ÷ 决算收入合计{num(f['total'])}万元，由工作簿数据计算。",
    )
    given = shares[shares["final"].notna()]
    chart_df = pd.DataFrame(
        {
            "name": list(given["name"]),
            "final": [F.num(v) for v in given["final"]],
            "share": [0.0 if s is None else round_half_up(s, 2) for s in given["share"]],
        }
    )
    fig1 = ctx.figure(
        hbar(chart_df, "name", "final", f"{ctx.year}年决算支出结构（按功能分类）", annotate="share"),
        "决算支出结构",
        note="括号内为占决算收入合计的比例。",
    )
    fig2 = ctx.figure(
        grouped_bars(bvf, "name", {"budget": "预算数", "final": "决算数"}, "预算数与决算数对比（按功能分类）"),
        "预算数与决算数对比",
    )
    return Block(head + text + table + fig1 + fig2)


def _ratio_judgement(ctx: ReportContext, fid: str, stated: float | None, computed: float | None) -> str | None:
    """How a stated ratio compares with the computed one: None (agrees), 舍入 or 不一致."""
    found = C.findings(ctx, fid, severities=None)
    if found:
        f = found[0]
        if f.severity == "pass":
            return None
        if (
            f.stated is not None
            and f.computed is not None
            and f.tolerance is not None
            and abs(f.stated - f.computed) <= f.tolerance
        ):
            return None if not C.differs(f.stated, f.computed) else "舍入"
        return "不一致" if f.stated is not None and f.computed is not None else None
    if not C.differs(stated, computed):
        return None
    return "不一致"


def financial_report_figures(ctx: ReportContext) -> dict:
    """Balance-sheet lines of the financial-report year-end and the ratios (computed vs stated)."""
    fr = F.financial_ratios(ctx.ds)
    bs = ctx.ds.tables.get("balance_sheet", pd.DataFrame(columns=["item", "kind", "level", "previous", "current"]))

    def lines(kind):
        out = []
        for r in bs.to_dict("records"):
            if r.get("kind") == kind and r.get("level") == "明细" and F.classify_balance_item(r.get("item")) != "备查":
                v = F.num(r.get(fr.column))
                if v is not None:
                    out.append({"item": F.text(r.get("item")), "value": v})
        return out

    liabilities = lines("负债")
    for li in liabilities:
        li["share"] = F.pct(li["value"], fr.liabilities)
    ratios = []
    for key, name, formula, value in (
        ("debt_ratio", "资产负债率", "负债总额 ÷ 资产总额", fr.debt_ratio),
        ("cash_ratio", "现金比率", "货币资金 ÷ 流动负债", fr.cash_ratio),
        ("current_ratio", "流动比率", "流动资产 ÷ 流动负债", fr.current_ratio),
        ("fixed_asset_newness", "固定资产成新率", "固定资产净值 ÷ 固定资产原值", fr.fixed_asset_newness),
        ("other_payables_share", "其他应付款占负债比例", "其他应付款 ÷ 负债总额", fr.other_payables_share),
    ):
        stated = F.num(C.stated(ctx, key))
        ratios.append(
            {
                "key": key,
                "name": name,
                "formula": formula,
                "computed": value,
                "stated": stated,
                # rounded once, and −0.00 shown as 0.00
                "difference": None if value is None or stated is None else (round_half_up(stated - value, 2) or 0.0),
                "judgement": _ratio_judgement(ctx, f"financial.{key}", stated, value),
            }
        )
    return {
        "fr": fr,
        "year": fr.year,
        "assets_lines": lines("资产"),
        "liability_lines": liabilities,
        "ratios": ratios,
        "by_key": {r["key"]: r for r in ratios},
    }


def financial_report(ctx: ReportContext) -> Block:
    """5.政府财务报告管理情况: balance sheet of the report year-end; the ratios computed from it,
    inside the unit's risk assessment (财务风险结论 / （续）), and compared with the stated ones."""
    f = financial_report_figures(ctx)
    head = ctx.heading("5.政府财务报告管理情况", level=3)
    text = _render(
        ctx,
        "assessment/financial_report.html.j2",
        f=f,
        fr=f["fr"],
        intro=C.text_paragraphs(ctx, "financial_report_management"),
        risk=C.text_paragraphs(ctx, "financial_risk"),
        risk_after=C.text_paragraphs(ctx, "financial_risk_after"),
    )
    df = pd.DataFrame(f["ratios"])
    judge = {None: "一致", "舍入": "在舍入误差范围内", "不一致": "不一致，请核实"}
    df["remark"] = [
        ("—" if r["computed"] is None or r["stated"] is None else judge[r["judgement"]])
        + ("（原值未提供，无法计算）" if r["key"] == "fixed_asset_newness" and r["computed"] is None else "")
        for r in f["ratios"]
    ]
    table = ctx.table(
        df,
        [
            Col("name", "指标"),
            Col("formula", "计算方法"),
            Col("computed", "计算值", "pct"),
            Col("stated", "报告填报值", "pct"),
            Col("difference", "差异（百分点）", "num"),
            Col("remark", "核对结果"),
        ],
        f"{f['year'] or '上'}年末财务指标（计算值与报告填报值）",
        total_label=None,
        note="计算值由资产负债表数据计算；差异 = 报告填报值 − 计算值。",
    )
    return Block(head + text + table)


def procurement(ctx: ReportContext) -> Block:
    """6.政府采购管理情况: the management text continued by the procurement amounts and shares
    (computed), the text's second part, the table."""
    p = F.procurement(ctx.ds)
    f = {
        "p": p,
        "sme_stated": F.num(C.stated(ctx, "sme_share")),
        "micro_stated": F.num(C.stated(ctx, "micro_share")),
        "poverty_stated": F.num(C.stated(ctx, "poverty_ratio")),
    }
    f.update(
        sme_differs=C.differs(f["sme_stated"], p.sme_share),
        micro_differs=C.differs(f["micro_stated"], p.micro_share),
        poverty_differs=C.differs(f["poverty_stated"], p.poverty_ratio),
    )
    head = ctx.heading("6.政府采购管理情况", level=3)
    text = _render(
        ctx,
        "assessment/procurement.html.j2",
        f=f,
        p=p,
        management=C.text_paragraphs(ctx, "procurement_management"),
        after=C.text_paragraphs(ctx, "procurement_management_after"),
    )
    rows = pd.DataFrame(
        [
            {"item": "采购总预算", "amount": p.budget, "ratio": None, "basis": "", "stated": None},
            {
                "item": "采购合同总金额",
                "amount": p.contracts,
                "ratio": p.contracts_to_budget,
                "basis": "占采购总预算",
                "stated": None,
            },
            {
                "item": "中小企业合同金额",
                "amount": p.sme,
                "ratio": p.sme_share,
                "basis": "占合同总金额",
                "stated": f["sme_stated"],
            },
            {
                "item": "小微企业合同金额",
                "amount": p.micro,
                "ratio": p.micro_share,
                "basis": "占中小企业合同金额",
                "stated": f["micro_stated"],
            },
            {
                "item": "脱贫地区农副产品预留金额",
                "amount": p.poverty_reserved,
                "ratio": None,
                "basis": "",
                "stated": None,
            },
            {
                "item": "脱贫地区农副产品实际采购金额",
                "amount": p.poverty_bought,
                "ratio": p.poverty_ratio,
                "basis": "完成比例（占预留金额）",
                "stated": f["poverty_stated"],
            },
        ],
        dtype=object,
    )
    # A row without a ratio (the amounts it is taken of) shows “—” (not applicable), a
    # ratio that cannot be computed or is not stated shows 未提供.
    applies = [bool(b) for b in rows["basis"]]
    stated_applies = [False, False, True, True, False, True]
    rows["ratio_shown"] = [pct(v) if a else "—" for v, a in zip(rows["ratio"], applies)]
    rows["stated_shown"] = [pct(v) if a else "—" for v, a in zip(rows["stated"], stated_applies)]
    table = ctx.table(
        rows,
        [
            Col("item", "项目"),
            Col("amount", "金额（万元）", "money"),
            Col("basis", "比例口径"),
            Col("ratio_shown", "计算比例"),
            Col("stated_shown", "报告填报比例"),
        ],
        "政府采购情况",
        total_label=None,
    )
    return Block(head + text + table)


def direct_funds_figures(ctx: ReportContext) -> list[dict]:
    """直达资金 grouped by project (one project may pay out on several dates), with its amount
    from the 专项资金 sheet when the names match."""
    df = ctx.ds.tables.get("direct_funds", pd.DataFrame(columns=["no", "name", "purpose", "date", "progress"]))
    sf = ctx.ds.tables.get("special_funds", pd.DataFrame(columns=["name", "amount"]))
    amounts = {F.name_key(n): F.num(a) for n, a in zip(sf["name"], sf["amount"])}
    groups: dict[str, dict] = {}
    for r in df.to_dict("records"):
        k = F.name_key(r.get("name"))
        g = groups.setdefault(k, {"name": F.text(r.get("name")), "amount": amounts.get(k), "payments": []})
        g["payments"].append(
            {"purpose": F.text(r.get("purpose")), "date": cdate(r.get("date")), "progress": F.num(r.get("progress"))}
        )
    out = []
    for g in groups.values():
        purposes = list(dict.fromkeys(p["purpose"] for p in g["payments"] if p["purpose"]))
        progresses = {p["progress"] for p in g["payments"]}
        out.append(
            {
                **g,
                "purposes": purposes,
                "same_progress": len(progresses) == 1,
                "progress": next(iter(progresses)) if len(progresses) == 1 else None,
            }
        )
    return out


def direct_funds(ctx: ReportContext) -> Block:
    """7.直达资金管理等工作情况: one sentence per fund (purposes, dates, progress) and the table."""
    funds = direct_funds_figures(ctx)
    head = ctx.heading("7.直达资金管理等工作情况", level=3)
    text = _render(ctx, "assessment/direct_funds.html.j2", funds=funds)
    df = ctx.ds.tables.get("direct_funds")
    if df is None or not len(df):
        return Block(head + text)
    shown = df.copy()
    amounts = {F.name_key(g["name"]): g["amount"] for g in funds}
    shown["amount"] = [amounts.get(F.name_key(n)) for n in shown["name"]]
    shown["date_shown"] = [cdate(d) for d in shown["date"]]
    table = ctx.table(
        shown,
        [
            Col("no", "序号", "int"),
            Col("name", "项目名称"),
            Col("amount", "资金金额（万元）", "money"),
            Col("purpose", "用途"),
            Col("date_shown", "支出日期"),
            Col("progress", "支出进度", "pct"),
        ],
        "直达资金支出情况",
        total_label=None,
        note="资金金额取自专项资金表（按项目名称对应）；同一项目分次支出时分行列示。",
    )
    return Block(head + text + table)


def township_final_figures(ctx: ReportContext) -> dict:
    """乡镇财政总决算: staff and population, revenue and expenditure by fund type, balance."""
    ft = ctx.ds.tables.get("fund_types", pd.DataFrame(columns=["fund_type", "revenue", "expenditure"]))
    rows = [
        {
            "fund_type": F.text(r.get("fund_type")),
            "revenue": F.num(r.get("revenue")),
            "expenditure": F.num(r.get("expenditure")),
        }
        for r in ft.to_dict("records")
    ]
    rev_sum = F.total_of([r["revenue"] for r in rows])
    exp_sum = F.total_of([r["expenditure"] for r in rows])
    rev_stated = F.num(ctx.ds.stated_total("fund_types", "revenue"))
    exp_stated = F.num(ctx.ds.stated_total("fund_types", "expenditure"))
    revenue = rev_stated if rev_stated is not None else rev_sum
    expenditure = exp_stated if exp_stated is not None else exp_sum
    u = ctx.unit
    return {
        "rows": rows,
        "revenue": revenue,
        "expenditure": expenditure,
        "revenue_differs": C.differs(rev_stated, rev_sum),
        "revenue_sum": rev_sum,
        "expenditure_differs": C.differs(exp_stated, exp_sum),
        "expenditure_sum": exp_sum,
        "balance": None if revenue is None or expenditure is None else revenue - expenditure,
        "fiscal_staff": u.get("fiscal_staff"),
        "finance_office_staff": u.get("finance_office_staff"),
        "population": u.get("population"),
        "villages": u.get("villages"),
    }


def township_final_accounts(ctx: ReportContext) -> Block:
    """8.乡镇财政总决算管理情况: staff, population, 总决算 by fund type, balance; table and chart."""
    f = township_final_figures(ctx)
    head = ctx.heading("8.乡镇财政总决算管理情况", level=3)
    text = _render(ctx, "assessment/township_final.html.j2", f=f)
    out = head + text
    cmp_ = F.budget_vs_final_by_fund_type(ctx.ds)
    if len(cmp_):
        budget_total = F.execution_summary(ctx.ds).budget_revenue_total
        cols = [
            Col("fund_type", "资金性质"),
            Col("budget", "年初预算收入（万元）", "money"),
            Col("final_revenue", "总决算收入（万元）", "money"),
            Col("final_expenditure", "总决算支出（万元）", "money"),
            Col("execution_ratio", "决算收入÷预算", "pct"),
        ]
        out += ctx.table(
            cmp_,
            cols,
            "乡镇财政总决算（按资金性质）与年初预算",
            total_row={
                "budget": budget_total,
                "final_revenue": f["revenue"],
                "final_expenditure": f["expenditure"],
                "execution_ratio": F.pct(f["revenue"], budget_total),
            },
            note="合计行：年初预算收入、总决算收入与支出为报告所述总计（未述时为明细合计）；"
            "资金性质按名称对应（一般公共预算拨款 ↔ 一般公共预算）。",
        )
        shown = cmp_[cmp_["budget"].notna() & cmp_["final_revenue"].notna()]
        if len(shown):
            out += ctx.figure(
                grouped_bars(
                    shown,
                    "fund_type",
                    {"budget": "年初预算收入", "final_revenue": "总决算收入"},
                    "年初预算收入与总决算收入（按资金性质）",
                ),
                "年初预算收入与总决算收入对比",
                note="仅列示年初预算与总决算均有对应数的资金性质。",
            )
    return Block(out)


__all__ = [
    "county_authority",
    "part_heading",
    "assessment_figures",
    "overview",
    "fund_label",
    "special_funds",
    "three_guarantees",
    "three_public_figures",
    "austerity",
    "nontax_figures",
    "tax_and_fees",
    "budget_system",
    "budget_preparation_figures",
    "budget_preparation",
    "resource_pooling",
    "execution_supervision",
    "final_accounts_figures",
    "final_accounts",
    "financial_report_figures",
    "financial_report",
    "procurement",
    "direct_funds_figures",
    "direct_funds",
    "township_final_figures",
    "township_final_accounts",
]
