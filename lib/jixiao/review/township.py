"""What a township's review adds to the checks: the analysis's own findings.

The analysis of the data (:mod:`jixiao.report.sections.problems`) finds problems no single
check states — projects not completed, spending far from plan, indicators missed or not
measurable, amounts not listed — with advice for each kind; and it pairs the unit's
stated problems with its measures. In the filed report the unit speaks for itself; these
are the reviewer's, so they go to the review.
"""

from __future__ import annotations

from jixiao.report.context import ReportContext
from jixiao.review.document import ReviewPart

#: Analysis problems that restate a check's error or warning: the review lists those once,
#: with the checks.
_FROM_CHECKS = ("check_error", "check_warning")


def review_parts(ctx: ReportContext) -> list[ReviewPart]:
    """The township's parts of the review: analysis findings with advice, then the
    correspondence of the unit's problems and measures (only what needs attention)."""
    from jixiao.report.sections.problems import correspondence, problem_list, recommendations

    found = [p for p in problem_list(ctx) if p.source == "analysis" and p.kind not in _FROM_CHECKS]
    parts = []
    if found:
        advice = {pid: r.text for r in recommendations(ctx) for pid in r.problem_ids}
        items = []
        for p in found:
            line = f"{p.id}　{p.title}（{p.category}）：{p.text}"
            if advice.get(p.id):
                line += f"　建议：{advice[p.id]}"
            items.append(line)
        parts.append(
            ReviewPart(
                "数据分析发现的问题及建议",
                "以下问题由数据分析得出，单位报告未列为问题；供与单位沟通，确需列入的由单位在“问题”“改进措施”表中补充。",
                items,
            )
        )
    gaps = []
    for row in correspondence(ctx):
        if row.get("source") == "单位所列" and not row.get("measures"):
            gaps.append(f"单位所列问题“{row['problem']}”没有对应的改进措施。")
        elif not row.get("code"):
            why = row.get("problem") or "未对应单位所列的具体问题"
            gaps.extend(f"改进措施“{m}”{why}。" for m in row.get("measures", []))
    if gaps:
        parts.append(ReviewPart("问题与改进措施的对应", "", gaps))
    return parts
