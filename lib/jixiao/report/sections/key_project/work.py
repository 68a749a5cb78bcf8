"""二、绩效评价工作开展情况: （一）目的、对象和范围, （二）原则、评价指标体系、方法、标准,
（三）工作过程.

The indicator system (dimensions, weights, grade bands) and the scope (when the assessor
wrote none) are generated and true by construction; the organisation and method state only
what 项目概况 gives; the assessor's texts stand where given, and the review lists the blanks.
"""

from __future__ import annotations

from jixiao.keyproject import key_project_spec
from jixiao.report.context import Block, plain
from jixiao.report.sections.key_project import KeyProjectContext, Numbering, blank_facts, paragraphs


def work(ctx: KeyProjectContext) -> Block:
    """二、绩效评价工作开展情况: （一）目的、对象和范围, （二）原则、指标体系、方法、标准, （三）工作过程."""
    sub = Numbering()
    scoring = key_project_spec().scoring
    ev = ctx.evaluation
    review: list[str] = []
    out: list[str] = [ctx.heading(f"{sub()}绩效评价目的、对象和范围")]
    purpose, scope = ctx.text("purpose"), ctx.text("scope")
    out.append(paragraphs(purpose))
    if not purpose:
        review.append(ctx.missing("purpose", "二（一）中的评价目的"))
    # Without the assessor's own words the object is the project and the scope the
    # dimensions its indicators cover (the loader requires an indicator in each).
    out.append(paragraphs(scope) or ctx.render("keyproject/scope.html.j2", dims=[d.name for d in ev.dimensions]))

    out.append(ctx.heading(f"{sub()}绩效评价原则、评价指标体系、评价方法、评价标准"))
    principles, standards = ctx.text("principles"), ctx.text("standards")
    out.append(paragraphs(principles))
    if not principles:
        review.append(ctx.missing("principles", "二（二）中的评价原则"))
    out.append(
        ctx.render(
            "keyproject/method.html.j2",
            ev=ev,
            scoring=scoring,
            ob_weight=sum(d.weight for d in ev.dimensions if d.name in scoring.output_benefit.dimensions),
            bands=grade_band_texts(scoring.grade_bands),
            has_criteria=any(i.criteria for i in ev.indicators),
        )
    )
    blank = blank_facts(ctx, ("commissioner", "assessor", "method"))
    if blank:
        sheet = ctx.ds.spec.sheet("project").name
        review.append(f"“{sheet}”表未填写{'、'.join(blank)}：报告二（二）的评价组织与方法只写已填写的部分。")
    out.append(paragraphs(standards))
    if not standards:
        review.append(ctx.missing("standards", "二（二）中的评价标准"))

    process = ctx.text("process")
    if process:
        out += [ctx.heading(f"{sub()}绩效评价工作过程"), paragraphs(process)]
    else:
        review.append(ctx.missing("process", "二（三）“绩效评价工作过程”"))
    return Block("".join(out)).with_review(*review)


def grade_band_texts(bands) -> list[str]:
    """``优（90分及以上）``, ``良（80分及以上、90分以下）`` … ``差（60分以下）``."""
    out, upper = [], None
    for g, low in bands:
        parts = ([f"{plain(low)}分及以上"] if low > 0 else []) + (
            [f"{plain(upper)}分以下"] if upper is not None else []
        )
        out.append(f"{g}（{'、'.join(parts)}）" if parts else g)
        upper = low
    return out
