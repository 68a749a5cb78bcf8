"""三、评价发现与存在问题 and 四、意见建议: findings, deductions, problems, recommendations."""

from __future__ import annotations

import pandas as pd
from markupsafe import escape

from jixiao.report.context import Block
from jixiao.report.sections.key_project import KeyProjectContext, sample_note
from jixiao.report.sections.key_project.indicators import _explanation

# -- 三、评价发现、存在问题及建议 ------------------------------------------------------------------


def _numbered(ctx: KeyProjectContext, sheet_id: str, empty: str) -> Block:
    df = getattr(ctx.ds, sheet_id)
    if df.empty:
        return Block(f'<p class="missing">{escape(empty)}</p>')
    items = "".join(f"<p>{i}. {escape(t)}</p>" for i, t in enumerate(df["text"], 1))
    return Block(items)


def findings(ctx: KeyProjectContext) -> Block:
    """（一）主要绩效: the 评价发现 sheet and the 评价结论 text."""
    head = ctx.heading("（一）主要绩效")
    conclusion = ctx.ds.facts["texts"].get("conclusion")
    text = f"<p>{escape(conclusion)}</p>" if conclusion else ""
    return Block(head + text + _numbered(ctx, "findings", "工作簿未填写评价发现（未提供）。"))


def deductions(ctx: KeyProjectContext) -> Block:
    """（二）扣分情况: every indicator that lost points, with its reason."""
    head = ctx.heading("（二）扣分情况")
    ev = ctx.evaluation
    lost = [i for i in ev.indicators if i.deducted > 0]
    text = ctx.render("keyproject/deductions.html.j2", ev=ev, lost=lost, explain=_explanation)
    return Block(head + sample_note(ctx, "以下扣分及其原因") + text)


def problems(ctx: KeyProjectContext) -> Block:
    """（三）存在的问题."""
    head = ctx.heading("（三）存在的问题")
    return Block(head + _numbered(ctx, "problems", "工作簿未填写存在的问题（未提供）。"))


def recommendations(ctx: KeyProjectContext) -> Block:
    """四、意见建议 (each with the problem it answers, when given)."""
    head = ctx.heading("四、意见建议", level=1)
    df = ctx.ds.recommendations
    if df.empty:
        return Block(head + '<p class="missing">工作簿未填写意见建议（未提供）。</p>')
    rows = []
    for i, (t, p) in enumerate(zip(df["text"], df["problem_no"]), 1):
        ref = f"（针对问题{int(p)}）" if pd.notna(p) else ""
        rows.append(f"<p>{i}. {escape(t)}{escape(ref)}</p>")
    return Block(head + "".join(rows))
