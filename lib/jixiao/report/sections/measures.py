"""五、改进措施及相关建议: the unit's summary of its measures and its measures, as it words them.

The filed report prints only the unit's own measures (文字说明 改进措施总述 and the
工作簿“改进措施”表), numbered （一）（二）… as the unit numbers them. Which problem each
measure answers, and the advice for the problems the analysis finds, go to the review:
:func:`jixiao.report.sections.problems.correspondence` and
:func:`jixiao.report.sections.problems.recommendations` (re-exported here).
"""

from __future__ import annotations

from jixiao.report.context import Block, ReportContext
from jixiao.report.sections.common import text_paragraphs
from jixiao.report.sections.problems import correspondence, measure_list, recommendations

__all__ = ["correspondence", "measure_list", "measures", "recommendations"]


def measures(ctx: ReportContext) -> Block:
    """The unit's summary of its measures (改进措施总述) and its measures （一）（二）…;
    nothing when it gives neither."""
    ms = measure_list(ctx)
    block = ctx.render("problems/measures.html.j2", paragraphs=text_paragraphs(ctx, "measures_summary"), measures=ms)
    return block if any(m.text for m in ms) else block.with_review("单位未列出改进措施（“改进措施”表无内容）。")
