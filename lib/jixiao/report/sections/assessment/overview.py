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
