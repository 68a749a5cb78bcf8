"""五、改进措施及相关建议: the unit's measures and, for the problems the analysis found, the
recommendations of ``config/recommendations.yaml``, each linked to the problems of
四 (:func:`jixiao.report.sections.problems.problem_list`) it answers.
"""

from __future__ import annotations

import pandas as pd

from jixiao.analysis import finance as F
from jixiao.report.context import Block, Col, ReportContext, cn_num
from jixiao.report.sections.problems import SOURCE_LABELS, problem_list, recommendations


def _measure_rows(ctx: ReportContext) -> list[dict]:
    """Stated measures with the problem each answers (None when not given or unknown)."""
    stated = [p for p in problem_list(ctx) if p.source == "stated"]
    position = {p.no: i for i, p in enumerate(stated, 1)}
    rows = []
    for i, r in enumerate(ctx.ds.measures.to_dict("records"), 1):
        pno = None if F.is_blank(r.get("problem_no")) else int(r["problem_no"])
        if pno is None:
            answers = "（未指明对应问题）"
        elif pno in position:
            answers = f"针对问题（{cn_num(position[pno])}）"
        else:
            answers = f"（对应问题序号{pno}在“问题”表中不存在）"
        rows.append(
            {
                "n": i,
                "no": r.get("no"),
                "text": F.text(r.get("text")) or "",
                "problem_no": pno if pno in position else None,
                "answers": answers,
            }
        )
    return rows


def measures(ctx: ReportContext) -> Block:
    """The unit's measures summary and its measures, each with the problem it answers."""
    return ctx.render(
        "problems/measures.html.j2", text=F.text(ctx.ds.texts.get("measures_summary")), rows=_measure_rows(ctx)
    )


def recommendation_block(ctx: ReportContext) -> Block:
    """（N）针对数据分析发现问题的建议: one recommendation per kind, linked to its problems."""
    recs = recommendations(ctx)
    head = ctx.heading(f"（{cn_num(len(ctx.ds.measures) + 1)}）针对数据分析发现问题的建议", level=3)
    return Block(head + ctx.render("problems/recommendations.html.j2", recs=recs))


def correspondence_frame(ctx: ReportContext) -> pd.DataFrame:
    """问题, 来源, 措施: every problem with the measures or recommendation answering it, and
    measures that name no (existing) problem."""
    probs = problem_list(ctx)
    stated = [p for p in probs if p.source == "stated"]
    mrows = _measure_rows(ctx)
    rec_of = {pid: r for r in recommendations(ctx) for pid in r.problem_ids}
    rows = []
    for i, p in enumerate(stated, 1):
        ms = [m for m in mrows if m["problem_no"] == p.no]
        rows.append(
            {
                "problem": f"{p.id}（{cn_num(i)}）{p.category + '：' if p.category else ''}{p.text}",
                "source": SOURCE_LABELS[p.source],
                "measure": "；".join(f"（{cn_num(m['n'])}）{m['text']}" for m in ms) or "（报告未提出对应措施）",
            }
        )
    by_id = {p.id: p for p in probs}
    for r in recommendations(ctx):
        rows.append(
            {
                "problem": "；".join(f"{pid} {by_id[pid].title}" for pid in r.problem_ids),
                "source": SOURCE_LABELS["analysis"],
                "measure": r.text,
            }
        )
    for p in probs:  # a found problem no recommendation answers (cannot happen with a valid config)
        if p.source == "analysis" and p.id not in rec_of:
            rows.append(
                {"problem": f"{p.id} {p.title}", "source": SOURCE_LABELS[p.source], "measure": "（无对应建议）"}
            )
    for m in mrows:
        if m["problem_no"] is None:
            rows.append({"problem": m["answers"], "source": "报告所述", "measure": f"（{cn_num(m['n'])}）{m['text']}"})
    return pd.DataFrame(rows, columns=["problem", "source", "measure"], dtype=object)


def correspondence_table(ctx: ReportContext) -> Block:
    """表：问题与措施对应表 (问题, 来源, 措施)."""
    return ctx.table(
        correspondence_frame(ctx),
        [Col("problem", "问题"), Col("source", "来源"), Col("measure", "措施")],
        "问题与措施对应表",
        total_label=None,
        note="问题编号：P为报告所述问题（按“问题”表序号），A为数据分析发现的问题（见第四部分）；"
        "数据分析问题的建议按问题类别给出，取自 config/recommendations.yaml。",
    )
