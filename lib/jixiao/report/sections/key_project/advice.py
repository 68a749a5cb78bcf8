"""六、有关建议: the 意见建议, each with the problem it answers by the number the report prints."""

from __future__ import annotations

import pandas as pd
from markupsafe import escape

from jixiao.report.context import Block
from jixiao.report.sections.key_project import KeyProjectContext, sheet_name


def problem_numbers(ctx: KeyProjectContext) -> dict[int, int]:
    """存在问题's 序号 → the number the report prints (1, 2 … in sheet order)."""
    return {int(n): i for i, n in enumerate(ctx.ds.problems["no"], 1) if pd.notna(n)}


def advice(ctx: KeyProjectContext) -> Block:
    """六、有关建议 (each with the problem it answers, by the number the report prints)."""
    df = ctx.ds.recommendations
    if df.empty:
        return Block("").with_review(f"“{sheet_name(ctx, 'recommendations')}”表未填写：报告未列“有关建议”。")
    numbers = problem_numbers(ctx)
    rows: list[str] = []
    for i, (t, p) in enumerate(zip(df["text"], df["problem_no"]), 1):
        ref = f"（针对问题{numbers[int(p)]}）" if pd.notna(p) and int(p) in numbers else ""
        rows.append(f"<p>{i}. {escape(t)}{escape(ref)}</p>")
    return Block("".join(rows))
