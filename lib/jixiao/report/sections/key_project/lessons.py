"""五、主要经验及做法、存在的问题及原因分析: 评价发现, and 存在问题 with their 原因分析.

The part stands when the workbook gives either; its title names what it holds
(:func:`~jixiao.report.sections.key_project.lessons_title`), and it has sub-parts
（一）（二） only when it holds both (no lone （一）). The review says what was left out.
"""

from __future__ import annotations

from markupsafe import escape

from jixiao.report.context import Block
from jixiao.report.sections.key_project import KeyProjectContext, Numbering, has_causes, present_parts, sheet_name
from jixiao.values import text


def lessons(ctx: KeyProjectContext) -> Block:
    """五、主要经验及做法 / 存在的问题及原因分析 (whichever the workbook gives)."""
    ds = ctx.ds
    if "lessons" not in present_parts(ctx):
        return Block("").with_review(
            f"“{sheet_name(ctx, 'findings')}”表和“{sheet_name(ctx, 'problems')}”表均未填写："
            "报告未列“主要经验及做法、存在的问题及原因分析”，其后各部分编号顺延。"
        )
    out: list[str] = []
    review: list[str] = []
    both = not ds.findings.empty and not ds.problems.empty
    sub = Numbering()
    if not ds.findings.empty:
        if both:
            out.append(ctx.heading(f"{sub()}主要经验及做法"))
        for i, (aspect, t) in enumerate(zip(ds.findings["aspect"], ds.findings["text"]), 1):
            lead = f"{aspect}方面：" if text(aspect) else ""
            out.append(f"<p>{i}. {escape(lead)}{escape(t)}</p>")
    else:
        review.append(f"“{sheet_name(ctx, 'findings')}”表未填写：报告未列“主要经验及做法”。")
    if not ds.problems.empty:
        causes = has_causes(ctx)
        if both:
            out.append(ctx.heading(f"{sub()}{'存在的问题及原因分析' if causes else '存在的问题'}"))
        for i, (t, c) in enumerate(zip(ds.problems["text"], ds.problems["cause"]), 1):
            out.append(f"<p>{i}. {escape(t)}</p>")
            if text(c):
                out.append(f"<p>原因分析：{escape(text(c))}</p>")
        if not causes:
            review.append(f"“{sheet_name(ctx, 'problems')}”表“原因分析”列未填写：报告只列问题，未作原因分析。")
    else:
        review.append(f"“{sheet_name(ctx, 'problems')}”表未填写：报告未列“存在的问题及原因分析”。")
    return Block("".join(out)).with_review(*review)
