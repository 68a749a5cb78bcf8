"""（二）预算编制管理: 预算管理制度, 预算编制 (收入来源, 支出功能分类), 资源统筹."""

from __future__ import annotations

import pandas as pd

from jixiao.analysis import finance as F
from jixiao.analysis.finance.inputs import records
from jixiao.report.charts import hbar
from jixiao.report.context import Block, Col, ReportContext
from jixiao.report.sections import common as C
from jixiao.report.sections.assessment.overview import _render
from jixiao.report.sections.assessment.policy import nontax_figures, three_public_figures
from jixiao.report.sections.common import rows_with_data
from jixiao.rounding import round_half_up


# -- （二）预算编制管理 ------------------------------------------------------------------------
def budget_system(ctx: ReportContext) -> Block:
    """1.制度建设情况: the unit's text (制度建设); left out when blank."""
    body = "".join(ctx.paragraph(p) for p in C.text_paragraphs(ctx, "budget_rules"))
    return C.subsection(ctx, "制度建设情况", Block(body), PART_TWO, missing="文字说明“制度建设”")


def budget_preparation_figures(ctx: ReportContext) -> dict:
    """预算收入 by source, 预算支出 by function, 三公 and 非税 budgets, 新增资产预算.

    ``revenue_total`` is the stated 合计, else the sum of the sources.
    """
    rev = ctx.ds.tables.get("budget_revenue", pd.DataFrame(columns=["source", "amount"]))
    rev_sum = F.total_of(rev["amount"]) if len(rev) and rev["amount"].notna().any() else None
    rev_stated = F.num(ctx.ds.stated_total("budget_revenue", "amount"))
    funcs = F.budget_vs_final_by_function(ctx.ds)
    exp_sum = F.total_of(funcs["budget"]) if len(funcs) else None
    tp = three_public_figures(ctx)
    items = tp["items"]
    nt = nontax_figures(ctx)
    return {
        "year": ctx.year,
        "revenue": [{"source": F.text(r.get("source")), "amount": F.num(r.get("amount"))} for r in records(rev)],
        "revenue_total": rev_stated if rev_stated is not None else rev_sum,
        "revenue_sum": rev_sum,
        "revenue_stated": rev_stated,
        "revenue_differs": C.differs(rev_stated, rev_sum),
        "functions": records(funcs),
        "expenditure_total": exp_sum,
        "three_public_budget": tp["budget"],
        "three_public_budget_sum": tp["budget_sum"],
        "three_public_budget_differs": tp["budget_differs"],
        "three_public_items": records(items),
        "nontax_budget": nt["budget"],
        "nontax_budgeted": nt["budgeted"],
        "new_asset_budget": F.num(C.stated(ctx, "new_asset_budget")),
    }


def budget_preparation(ctx: ReportContext) -> Block:
    """2.部门预算编制情况: (1) 收支预算 (2) 三公经费预算 (3) 非税收入计划 (4) 新增资产预算;
    left out when the unit gives none of them (no 年初预算 figures, no text)."""
    f = budget_preparation_figures(ctx)
    values = {
        "f": f,
        "preparation": C.text_paragraphs(ctx, "budget_preparation"),
        "procurement": C.text_paragraphs(ctx, "procurement_budgeting"),
        "no": C.ItemNumbers(),
    }
    out: str = _render(ctx, "assessment/budget_preparation.html.j2", part=1, **values)
    review: list[str] = []
    rev = rows_with_data(ctx.ds.tables.get("budget_revenue", pd.DataFrame(columns=["source", "amount"])), ["amount"])
    if len(rev):
        shown = rev.copy()
        total = f["revenue_sum"]
        shown["share"] = [F.pct(a, total) for a in shown["amount"]]
        table = ctx.table(
            shown,
            [
                Col("source", "收入来源"),
                Col("amount", "金额（万元）", "money"),
                Col("share", "占比", "pct"),
            ],
            f"{ctx.year}年预算收入（按来源）",
            total_row={"amount": f["revenue_total"], "share": 100.0 if total else None},
        )
        out += table
        review += table.review
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
    body = Block(out + _render(ctx, "assessment/budget_preparation.html.j2", part=2, **values)).with_review(*review)
    return C.subsection(ctx, "部门预算编制情况", body, PART_TWO, missing=PREPARATION_INPUTS)


#: What 2.部门预算编制情况 is made of, as the reviewer is told when it is left out.
PREPARATION_INPUTS = (
    "预算收入表、支出功能分类表的预算数、三公经费表与非税收入表的预算数、填报数据“新增资产预算”，"
    "文字说明“部门预算编制”“政府采购预算和新增资产预算”"
)


def resource_pooling(ctx: ReportContext) -> Block:
    """3.各类资源统筹管理情况: the unit's text, continued by the amounts pooled (预算拨款结转,
    其他收入) and returned to the treasury, from the 填报数据 sheet."""
    body = _render(
        ctx,
        "assessment/resource_pooling.html.j2",
        before=C.text_paragraphs(ctx, "resource_pooling"),
        after=C.text_paragraphs(ctx, "resource_pooling_after"),
        carryover=F.num(C.stated(ctx, "carryover")),
        other=F.num(C.stated(ctx, "other_income_pooled")),
        returned=F.num(C.stated(ctx, "returned_to_treasury")),
    )
    return C.subsection(
        ctx,
        "各类资源统筹管理情况",
        body,
        PART_TWO,
        missing="填报数据“预算拨款结转”“统筹其他收入”“结转结余交回财政”，文字说明“资源统筹”“资源统筹（续）”",
    )


#: 二（二）预算编制管理: its numbered subsections (:func:`common.subsection`).
PART_TWO: C.Subsections = (
    ("制度建设情况", budget_system),
    ("部门预算编制情况", budget_preparation),
    ("各类资源统筹管理情况", resource_pooling),
)
