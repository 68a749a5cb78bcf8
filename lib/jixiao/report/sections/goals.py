"""三、部门整体绩效目标实现情况: every project's goal and result, and its self-evaluation.

Figures come from :mod:`jixiao.analysis.finance` (status counts, amounts) and
:mod:`jixiao.analysis.scoring.selfeval` (scores under the run's scoring scheme); nothing is invented where
the workbook is blank: a missing amount or score prints 未提供.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pandas as pd

from jixiao.analysis import finance as F
from jixiao.analysis.scoring import EXECUTION, ProjectScore
from jixiao.report.charts import counts
from jixiao.report.context import Block, Col, ReportContext, plain

NOT_PROVIDED = "未提供"


# -- small helpers (also used by sections.problems) --------------------------------------------
def no_ranges(nos: Iterable[Any]) -> str:
    """序号 list as ranges: [1, 2, 3, 5] → ``1–3、5``."""
    xs = sorted({int(n) for n in nos if not F.is_blank(n)})
    parts, i = [], 0
    while i < len(xs):
        j = i
        while j + 1 < len(xs) and xs[j + 1] == xs[j] + 1:
            j += 1
        parts.append(str(xs[i]) if i == j else f"{xs[i]}–{xs[j]}" if j > i + 1 else f"{xs[i]}、{xs[j]}")
        i = j + 1
    return "、".join(parts)


def project_label(no: Any, name: Any) -> str:
    """``序号35“提前下达…”`` (names may repeat, so the 序号 goes with them)."""
    return f"序号{plain(no)}“{F.text(name) or NOT_PROVIDED}”"


def _or_missing(v: Any) -> str:
    return NOT_PROVIDED if F.is_blank(v) else str(v)


# -- figures ----------------------------------------------------------------------------------
def status_figures(ctx: ReportContext) -> dict:
    """Counts and known amounts by 完成状态, and what the report states about them.

    Returns
    -------
    dict
        ``total``, ``statuses`` (rows of :func:`finance.project_status_summary` as dicts),
        ``not_done`` (rows of projects not 已完成: ``no``, ``name``, ``status``),
        ``budget_known`` / ``spent_known`` (how many projects give each amount),
        ``budget_sum`` / ``spent_sum`` (sums of the amounts given, None when none),
        ``stated_achieved``, ``stated_not_achieved`` (counts the report states),
        ``stated_achieved_amount``, ``stated_not_achieved_amount``,
        ``not_achieved_computed`` (projects 部分完成 or 未完成 in the project table).
    """
    summary = F.project_status_summary(ctx.ds)
    pe = F.project_execution(ctx.ds)
    stated = ctx.ds.facts.get("stated", {})
    not_done = [
        {"no": r["no"], "name": r["name"], "status": r["status"]}
        for r in pe.to_dict("records")
        if r["status"] in F.NOT_ACHIEVED
    ]
    return {
        "total": len(pe),
        "statuses": summary.to_dict("records"),
        "not_done": not_done,
        "budget_known": int(pe["budget"].notna().sum()) if len(pe) else 0,
        "spent_known": int(pe["spent"].notna().sum()) if len(pe) else 0,
        "budget_sum": F.total_of(pe["budget"]) if len(pe) else None,
        "spent_sum": F.total_of(pe["spent"]) if len(pe) else None,
        "stated_achieved": F.num(stated.get("achieved_count")),
        "stated_not_achieved": F.num(stated.get("not_achieved_count")),
        "stated_achieved_amount": F.num(stated.get("achieved_amount")),
        "stated_not_achieved_amount": F.num(stated.get("not_achieved_amount")),
        "not_achieved_computed": len(not_done),
    }


def project_table_frame(ctx: ReportContext) -> pd.DataFrame:
    """The goals table as printed: 序号, 项目名称, 绩效目标, 实现情况, 完成状态 (blank → 未提供)."""
    rows = [
        {
            "no": r.get("no"),
            "name": _or_missing(F.text(r.get("name"))),
            "goal": _or_missing(F.text(r.get("goal"))),
            "result": _or_missing(F.text(r.get("result"))),
            "status": _or_missing(F.text(r.get("status"))),
        }
        for r in ctx.ds.projects.to_dict("records")
    ]
    return pd.DataFrame(rows, columns=["no", "name", "goal", "result", "status"], dtype=object)


def scores(ctx: ReportContext) -> list[tuple[pd.Series, ProjectScore]]:
    """Every project scored under ``params.scoring_scheme`` (computed once per township-year)."""
    from jixiao.analysis.scoring.selfeval import project_scores

    return ctx._once(
        f"project_scores:{ctx.params.scoring_scheme}", lambda: project_scores(ctx.ds, ctx.params.scoring_scheme)
    )


def score_frame(ctx: ReportContext) -> pd.DataFrame:
    """One row per project: ``no``, ``name``, ``rate`` (预算执行率, percentage points),
    ``indicators`` (指标得分), ``total`` (总分 after any cap), ``grade`` (等级).

    A figure that cannot be computed is None (printed 未提供): the execution rate without
    a budget, the indicator score of a project without indicators, the total and grade
    whenever either part is missing (:attr:`ProjectScore.total` is None then).
    """
    rows = []
    for p, s in scores(ctx):
        rows.append(
            {
                "no": p["no"],
                "name": _or_missing(F.text(p["name"])),
                "rate": s.execution.rate,
                "indicators": s.indicator_total if s.indicators else None,
                "total": s.capped_total,
                "grade": s.grade or NOT_PROVIDED,
            }
        )
    return pd.DataFrame(rows, columns=["no", "name", "rate", "indicators", "total", "grade"], dtype=object)


def score_notes(ctx: ReportContext) -> list[tuple[str, list[int]]]:
    """The scoring notes (:attr:`ProjectScore.notes`) with the 序号 of the projects they concern."""
    by_note: dict[str, list[int]] = defaultdict(list)
    for p, s in scores(ctx):
        for n in s.notes:
            by_note[n].append(int(p["no"]))
    return list(by_note.items())


def indicator_frame(ctx: ReportContext) -> pd.DataFrame:
    """Every scored indicator: ``project``, ``name``, ``direction``, ``target``, ``actual``,
    ``unit``, ``points``, ``score``, ``reason`` (``—`` when no points were lost).

    ``target`` and ``actual`` are numbers for quantitative indicators (None for an actual
    not provided) and text (the target as written, the grade reported) for qualitative ones.
    """
    rows = []
    for p, s in scores(ctx):
        for ind in s.indicators:
            t, r = ind.target, ind.result
            actual = None if F.is_blank(ind.actual) else ind.actual
            if not t.is_qualitative and actual is not None and F.num(actual) is not None:
                actual = F.num(actual)
            rows.append(
                {
                    "project": f"{plain(p['no'])}．{_or_missing(F.text(p['name']))}",
                    "name": ind.name,
                    "direction": t.comparator,
                    "target": t.text if t.is_qualitative else t.value,
                    "actual": actual,
                    "unit": t.unit or "",
                    "points": r.points,
                    "score": r.score,
                    "reason": r.lost_reason or "—",
                }
            )
    return pd.DataFrame(
        rows,
        columns=["project", "name", "direction", "target", "actual", "unit", "points", "score", "reason"],
        dtype=object,
    )


def self_evaluation_figures(ctx: ReportContext) -> dict:
    """Counts for the self-evaluation narrative (scheme, weights, computable totals, grades)."""
    sc = scores(ctx)
    scheme = sc[0][1].scheme if sc else None
    if scheme is None:
        from jixiao.analysis.scoring import load_scheme

        scheme = load_scheme(ctx.params.scoring_scheme)
    totals = [(p, s) for p, s in sc if s.capped_total is not None]
    grades: dict[str, list[int]] = {}
    for p, s in totals:
        assert s.grade is not None  # a project with a total has a grade
        grades.setdefault(s.grade, []).append(int(p["no"]))
    n_ind = sum(len(s.indicators) for _, s in sc)
    return {
        "scheme": scheme,
        "weights": [(k, v) for k, v in scheme.weights.items()],
        "indicator_points": sum(v for k, v in scheme.weights.items() if k != EXECUTION),
        "projects": len(sc),
        "with_rate": sum(1 for _, s in sc if s.execution.rate is not None),
        "with_indicators": sum(1 for _, s in sc if s.indicators),
        "indicators": n_ind,
        "with_total": [(p["no"], F.text(p["name"]), s) for p, s in totals],
        "without_total": len(sc) - len(totals),
        "grades": [(g, nos) for g, _ in scheme.grade_bands if (nos := grades.get(g))],
        "bands": _band_words(scheme.grade_bands),
    }


def _band_words(bands) -> list[str]:
    """``优≥90分``, ``良≥80分`` …, the last ``差<60分``."""
    bands = list(bands)
    words = [f"{g}≥{plain(low)}分" for g, low in bands[:-1]]
    if bands:
        g = bands[-1][0]
        words.append(f"{g}<{plain(bands[-2][1])}分" if len(bands) > 1 else g)
    return words


# -- blocks -------------------------------------------------------------------------------
def overview(ctx: ReportContext) -> Block:
    """Opening paragraph: how many projects, by status, and which amounts the report gives."""
    return Block(
        ctx.render("goals/overview.html.j2", f=status_figures(ctx), no_ranges=no_ranges, project_label=project_label)
    )


def project_table(ctx: ReportContext) -> Block:
    """（一）项目绩效目标完成情况: the project table (序号, 项目名称, 绩效目标, 实现情况, 完成状态)."""
    head = ctx.heading("（一）项目绩效目标完成情况")
    f = status_figures(ctx)
    text = ctx.render("goals/project_table.html.j2", f=f)
    table = ctx.table(
        project_table_frame(ctx),
        [
            Col("no", "序号", "int"),
            Col("name", "项目名称"),
            Col("goal", "绩效目标"),
            Col("result", "实现情况"),
            Col("status", "完成状态"),
        ],
        f"{ctx.year}年度项目绩效目标实现情况",
        total_label=None,
        note="绩效目标、实现情况和完成状态按报告原文填列；原文未填写的以“未提供”列示。",
    )
    return Block(head + text + table)


def status_chart(ctx: ReportContext) -> Block:
    """图：项目按完成状态 (counts of 已完成 / 部分完成 / 未完成)."""
    f = status_figures(ctx)
    data = pd.DataFrame([{"状态": r["status"], "项目数": int(r["count"])} for r in f["statuses"]])
    fig = counts(data, "状态", "项目数", f"{ctx.year}年度项目按完成状态（共{f['total']}个）")
    note = "数据来源：工作簿“项目”表“完成状态”列。"
    if f["stated_not_achieved"] is not None and int(f["stated_not_achieved"]) != f["not_achieved_computed"]:
        note += (
            f"报告绩效监控部分所述未完成绩效目标的项目为{plain(f['stated_not_achieved'])}个，"
            f"与本图的{f['not_achieved_computed']}个不一致，见附录 数据勾稽校验。"
        )
    return ctx.figure(fig, "项目按完成状态", note=note)


def self_evaluation(ctx: ReportContext) -> Block:
    """（二）项目支出绩效自评: scheme, narrative and the per-project summary table."""
    head = ctx.heading("（二）项目支出绩效自评")
    f = self_evaluation_figures(ctx)
    text = ctx.render("goals/self_evaluation.html.j2", f=f, no_ranges=no_ranges)
    notes = score_notes(ctx)
    note = (
        "说明：报告未逐项提供大部分项目的预算数和执行数，这些项目无法计算预算执行率得分，"
        "也就无法计算总分和等级，表中以“未提供”列示；指标得分为各绩效指标得分之和"
        f"（满分{plain(f['indicator_points'])}分），无绩效指标的项目同样列为“未提供”。"
        + ("评分说明：" + "；".join(f"{n}（序号{no_ranges(nos)}）" for n, nos in notes) + "。" if notes else "")
    )
    table = ctx.table(
        score_frame(ctx),
        [
            Col("no", "序号", "int"),
            Col("name", "项目名称"),
            Col("rate", "预算执行率", "pct"),
            Col("indicators", "指标得分", "num"),
            Col("total", "总分", "num"),
            Col("grade", "等级"),
        ],
        "项目支出绩效自评得分",
        total_label=None,
        note=note,
    )
    return Block(head + text + table)


def indicator_table(ctx: ReportContext) -> Block:
    """The indicators taken from the goal texts, each with its points, score and lost points."""
    df = indicator_frame(ctx)
    if not len(df):
        return Block(ctx.paragraph("工作簿未提供项目绩效指标（“项目指标”表为空），无法逐项计分。"))
    text = ctx.render("goals/indicators.html.j2", n=len(df), lost=int((df["reason"] != "—").sum()))
    # numbers right-aligned and unbroken when every value of the column is a number (or blank)
    numeric = {
        c: "plain" if all(v is None or isinstance(v, (int, float)) for v in df[c]) else "text"
        for c in ("target", "actual")
    }
    if numeric["actual"] == "text":
        df = df.assign(
            actual=[NOT_PROVIDED if v is None else plain(v) if isinstance(v, (int, float)) else v for v in df["actual"]]
        )
    if numeric["target"] == "text":
        df = df.assign(target=[plain(v) if isinstance(v, (int, float)) else v for v in df["target"]])
    table = ctx.table(
        df,
        [
            Col("project", "项目"),
            Col("name", "指标名称"),
            Col("direction", "方向"),
            Col("target", "目标值", numeric["target"]),
            Col("actual", "实际值", numeric["actual"]),
            Col("unit", "单位"),
            Col("points", "分值", "plain"),
            Col("score", "得分", "num"),
            Col("reason", "扣分原因"),
        ],
        "项目绩效指标计分明细",
        total_label=None,
        note="指标摘自各项目绩效目标与实现情况原文（依据见工作簿“项目指标”表“来源”列）；"
        "一级指标分值在其指标间平均分配，无指标的一级指标分值按评分方案处理（见上表说明）。",
    )
    return Block(text + table)
