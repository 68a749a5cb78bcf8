"""二、部门绩效考核自评情况: the opening (the assessment score, its table and chart), the
part headings, and what the parts share (wording helpers)."""

from __future__ import annotations

import re
from typing import Any

from jixiao.analysis import finance as F
from jixiao.analysis.scoring.selfeval import assessment as score_assessment
from jixiao.report.charts import score_bars
from jixiao.report.context import Block, Col, ReportContext, plain
from jixiao.report.sections import common as C
from jixiao.report.sections.common import rows_with_data


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
    return C.category_heading(ctx, category, ordinal=position)


def assessment_figures(ctx: ReportContext) -> dict:
    """The management-assessment score: as the unit states it, and as computed.

    Returns
    -------
    dict
        ``raw_total`` (sum of the category scores), ``total`` (with bonus − deduction),
        ``bonus``, ``deduction``, ``stated_total``, ``stated_converted``,
        ``converted`` (of the computed total), ``converted_from_stated``, ``max``,
        ``max_source``, ``complete`` (every category scored), ``consistent``,
        ``converted_consistent`` (stated 换算得分 vs the stated total converted), ``grade``,
        and what the report prints: ``shown_total`` (the stated total, else the computed one
        when every category is scored) and ``shown_converted`` (the stated 换算得分, else the
        conversion of ``shown_total`` when an applicable maximum is known).
    """
    a = score_assessment(ctx.ds, ctx.params)
    c = a.computed
    stated_total = F.num(a.stated_total)
    stated_conv = F.num(a.stated_converted)
    scores = list(ctx.ds.assessment["score"])
    complete = bool(scores) and all(F.num(v) is not None for v in scores)
    total = c.total if c else a.raw_total
    shown_total: float | None
    if stated_total is not None:
        shown_total = stated_total
        shown_conv = stated_conv if stated_conv is not None else a.converted_from_stated
    else:
        shown_total = total if complete else None
        shown_conv = stated_conv if stated_conv is not None else (c.converted if c and complete else None)
    return {
        "raw_total": a.raw_total,
        "total": total,
        "bonus": c.bonus if c else 0.0,
        "deduction": c.deduction if c else 0.0,
        "stated_total": stated_total,
        "stated_converted": stated_conv,
        "converted": c.converted if c else None,
        "converted_from_stated": a.converted_from_stated,
        "max": a.applicable_max,
        "max_source": a.max_source,
        "complete": complete,
        "consistent": a.consistent,
        "converted_consistent": not C.differs(stated_conv, a.converted_from_stated),
        "grade": c.grade if c else None,
        "shown_total": shown_total,
        "shown_converted": shown_conv,
    }


def overview(ctx: ReportContext) -> Block:
    """二、opening paragraph: the unit's summary (考核自评总述) continued by the score (the
    stated total and 换算得分; computed ones only where the unit states none), then the
    category table and chart."""
    f = assessment_figures(ctx)
    text = _render(ctx, "assessment/overview.html.j2", f=f, summary=C.text_paragraphs(ctx, "assessment_summary"))
    df = rows_with_data(ctx.ds.assessment, ["category", "points", "score", "bonus", "deduction"]).copy()

    def col_sum(key: str) -> float | None:
        vals = [F.num(v) for v in df[key]] if key in df.columns else []
        given = [v for v in vals if v is not None]
        return sum(given) if given else None

    table = Block("")
    fig = Block("")
    if len(df):
        table = ctx.table(
            df,
            [
                Col("no", "序号", "int"),
                Col("category", "考核类别"),
                Col("points", "适用分值", "plain"),
                Col("score", "自评得分", "plain"),
                Col("bonus", "加分", "plain"),
                Col("deduction", "扣分", "plain"),
            ],
            "管理绩效考核各类别得分",
            total_row={
                "points": col_sum("points"),
                "score": f["stated_total"] if f["stated_total"] is not None else col_sum("score"),
                "bonus": col_sum("bonus"),
                "deduction": col_sum("deduction"),
            },
        )
    if col_sum("score") is not None:
        fig = ctx.figure(score_bars(df["category"], df["score"], df["points"], "考核各类别得分"), "考核各类别得分")
    review = []
    if f["stated_total"] is None and f["shown_total"] is not None:
        review.append(f"考核总分未填报：报送版所列{plain(f['shown_total'])}分为各类别得分之和。")
    if f["stated_converted"] is None and f["shown_converted"] is not None:
        review.append(f"换算得分未填报：报送版所列换算得分按适用满分{plain(f['max'])}分计算（{f['max_source']}）。")
    if f["shown_total"] is None:
        review.append("考核总分未填报且有类别未评分：报送版开头未写考核得分。")
    return Block(text + table + fig).with_review(*review, *table.review)
