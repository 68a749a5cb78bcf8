"""附录 数据校验: the key-project checks, in the township appendix's tables."""

from __future__ import annotations

from jixiao.report.context import Block
from jixiao.report.sections.key_project import KeyProjectContext

# -- 附录 ---------------------------------------------------------------------------------------


def checks_intro(ctx: KeyProjectContext) -> Block:
    """What the appendix checks."""
    from jixiao.analysis.checks import summarize

    return ctx.render("keyproject/checks.html.j2", counts=summarize(ctx.findings), n=len(ctx.findings))


def checks_summary(ctx: KeyProjectContext) -> Block:
    """表：校验结果汇总 (the township appendix's table, on these findings)."""
    from jixiao.report.sections.appendix import summary_table

    return summary_table(ctx)


def checks_table(ctx: KeyProjectContext) -> Block:
    """表：校验明细 (the township appendix's table, on these findings)."""
    from jixiao.report.sections.appendix import findings_table

    return findings_table(ctx)
