"""七、其他需要说明的问题: the assessor's text (报告正文/其他需要说明的问题)."""

from __future__ import annotations

from jixiao.report.context import Block
from jixiao.report.sections.key_project import KeyProjectContext, paragraphs


def other(ctx: KeyProjectContext) -> Block:
    """七、其他需要说明的问题 (the assessor's text)."""
    t = ctx.text("other")
    if not t:
        return Block("").with_review(ctx.missing("other", "“其他需要说明的问题”"))
    return Block(paragraphs(t))
