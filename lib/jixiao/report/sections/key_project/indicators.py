"""四、绩效评价指标分析: one part per dimension (（一）项目决策情况 …).

Each is a paragraph generated from its indicators (count, points, score, 得分率, which
earned full marks, what was deducted and why — the assessor's 扣分原因 or the computation —
and the rate that earned a data-scored indicator its full marks), then the assessor's own
analysis (报告正文/决策分析 …).
"""

from __future__ import annotations

import pandas as pd
from markupsafe import escape

from jixiao.keyproject import ASSESSOR, RATE_METHODS, IndicatorScore
from jixiao.report.context import Block, pct, plain
from jixiao.report.sections.key_project import KeyProjectContext, Numbering, paragraphs, sample_note, sentence
from jixiao.values import text


def _analysis_key(ctx: KeyProjectContext, dimension: str) -> str | None:
    """The 报告正文 key of a dimension's analysis (its label is ``<dimension>分析``)."""
    return next((k.id for k in ctx.ds.spec.sheet("texts").keys if k.key == f"{dimension}分析"), None)


def deduction_reason(i: IndicatorScore) -> str | None:
    """Why an indicator lost points: the assessor's 扣分原因, or how a data-scored one was computed."""
    if i.deducted <= 0:
        return None
    if i.method == ASSESSOR:
        return text(i.reason)
    return "；".join(x for x in (i.basis, text(i.reason)) if x)


def explanation(i: IndicatorScore) -> str:
    """The 评分表's 扣分说明: the reason of a deduction, the computation of a data-scored
    indicator, or 满分."""
    if i.deducted > 0:
        return deduction_reason(i) or ""
    if i.method != ASSESSOR:
        return i.basis
    return text(i.reason) or "满分"


def dimension_paragraph(ctx: KeyProjectContext, name: str) -> str:
    """The generated paragraph of one dimension (its indicators, scores and deductions)."""
    ev = ctx.evaluation
    d = next(x for x in ev.dimensions if x.name == name)
    inds = [i for i in ev.indicators if i.level1 == name]
    full = [i for i in inds if i.deducted <= 0]
    lost = [i for i in inds if i.deducted > 0]
    head = f"{name}类指标共{len(inds)}项，分值{plain(d.weight)}分，得分{plain(d.score)}分"
    head += f"，得分率{pct(d.rate)}。" if d.rate is not None else "。"
    parts = [head]
    if not lost:
        parts.append("各项指标均得满分。")
    else:
        if full:
            names = "".join(f"“{i.name}”" for i in full)
            parts.append(f"其中{names}{len(full)}项指标得满分；")
        else:
            parts.append("其中")
        clauses = []
        for i in lost:
            c = f"“{i.name}”指标分值{plain(i.weight)}分，得分{plain(i.score)}分，扣{plain(i.deducted)}分"
            why = deduction_reason(i)
            clauses.append(c + (f"，扣分原因：{sentence(why)[:-1]}" if why else ""))
        parts.append("；".join(clauses) + "。")
    # Full marks computed from data: the rate, or the computation, that earned them.
    for i in full:
        if i.method in RATE_METHODS and i.rate is not None:
            parts.append(f"“{i.name}”按{i.method}计分，{i.method}为{pct(i.rate)}，得满分。")
        elif i.computed and i.basis:
            parts.append(f"“{i.name}”：{sentence(i.basis)}")
    return "".join(parts)


def analysis(ctx: KeyProjectContext) -> Block:
    """四、绩效评价指标分析: （一）项目决策情况 … one per dimension, generated and the assessor's."""
    ev = ctx.evaluation
    sub = Numbering()
    out: list[str] = [sample_note(ctx, "以下各指标得分及扣分原因")]
    review = []
    for d in ev.dimensions:
        if not d.indicators:
            continue
        out.append(ctx.heading(f"{sub()}项目{d.name}情况"))
        out.append(f"<p>{escape(dimension_paragraph(ctx, d.name))}</p>")
        key = _analysis_key(ctx, d.name)
        own = ctx.text(key) if key else None
        if own:
            out.append(paragraphs(own))
        elif key:
            review.append(ctx.missing(key, f"评价人员对{d.name}类指标的分析（四只有生成的得分说明）"))
    return Block("".join(out)).with_review(*review)


def indicator_frame(ctx: KeyProjectContext) -> pd.DataFrame:
    """The indicator table as printed: the evaluation's rows plus 扣分说明."""
    ev = ctx.evaluation
    df = ev.indicator_frame()
    df["explanation"] = [explanation(i) for i in ev.indicators]
    return df
