"""三、综合评价情况及评价结论: the total and grade, the dimension scores (table and chart),
the assessor's 评价结论."""

from __future__ import annotations

from jixiao.report import charts
from jixiao.report.context import Block, Col
from jixiao.report.sections.key_project import KeyProjectContext, _caption, paragraphs


def conclusion(ctx: KeyProjectContext) -> Block:
    """三、综合评价情况及评价结论: total, grade, the dimension table and chart, the assessor's conclusion."""
    ev = ctx.evaluation
    df = ev.dimension_frame()
    text_ = ctx.render("keyproject/overall.html.j2", ev=ev)
    table = ctx.table(
        df,
        [
            Col("name", "一级指标"),
            Col("indicators", "指标数", "int", True),
            Col("weight", "分值", "plain", True),
            Col("score", "得分", "plain", True),
            Col("rate", "得分率", "pct"),
        ],
        _caption(ctx, "各一级指标分值与得分"),
        note=ctx.sample_short("本表所列得分"),
    )
    fig = charts.grouped_bars(
        df.rename(columns={"name": "一级指标"}),
        "一级指标",
        {"weight": "分值", "score": "得分"},
        _caption(ctx, "各一级指标分值与得分"),
        unit="分",
        horizontal=False,
    )
    figure = ctx.figure(fig, _caption(ctx, "各一级指标分值与得分"), note=ctx.sample_short("本图所示得分"))
    conclusion = ctx.text("conclusion")
    block = Block(text_ + table + figure + paragraphs(conclusion))
    return block if conclusion else block.with_review(ctx.missing("conclusion", "评价人员的评价结论（三只有得分）"))
