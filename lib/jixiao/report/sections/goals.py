"""三、部门整体绩效目标实现情况: every project's goal and result, and its self-evaluation.

Figures come from :mod:`jixiao.analysis.finance` (status counts) and
:mod:`jixiao.analysis.scoring.selfeval` (scores under the run's scoring scheme). Nothing is printed
that the unit did not provide: the project self-evaluation (（二）, its tables) appears only when
every project has its 预算数 and 执行数 and indicators with target and actual values that the
unit filled in (:func:`self_evaluation_gaps`); otherwise the section is the seed's one table,
and the block tells the reviewer why (:meth:`Block.with_review <jixiao.report.context.Block.with_review>`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pandas as pd

from jixiao.analysis import finance as F
from jixiao.analysis.finance.inputs import records
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
        {"no": r["no"], "name": r["name"], "status": r["status"]} for r in records(pe) if r["status"] in F.NOT_ACHIEVED
    ]
    return {
        "total": len(pe),
        "statuses": records(summary),
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
    """The goals table: 序号, 项目名称, 绩效目标, 实现情况, 完成状态 (None where blank)."""
    rows = [
        {
            "no": r.get("no"),
            "name": F.text(r.get("name")),
            "goal": F.text(r.get("goal")),
            "result": F.text(r.get("result")),
            "status": F.text(r.get("status")),
        }
        for r in records(ctx.ds.projects)
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

    A figure that cannot be computed is None: the execution rate without a budget, the
    indicator score of a project without indicators, the total and grade whenever either
    part is missing (:attr:`ProjectScore.total` is None then).
    """
    rows = []
    for p, s in scores(ctx):
        rows.append(
            {
                "no": p["no"],
                "name": F.text(p["name"]),
                "rate": s.execution.rate,
                "indicators": s.indicator_total if s.indicators else None,
                "total": s.capped_total,
                "grade": s.grade,
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

    ``target`` and ``actual`` are numbers for quantitative indicators (None for a blank
    actual) and text (the target as written, the grade reported) for qualitative ones.
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
                    "project": f"{plain(p['no'])}．{F.text(p['name']) or ''}",
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


# -- whether the unit supplied its self-evaluation -------------------------------------------
def self_evaluation_gaps(ctx: ReportContext) -> list[str]:
    """What the unit did not supply for the project self-evaluation (empty: it supplied it all).

    The self-evaluation is the unit's when it lists projects, every project has its 预算数 and
    执行数 and at least one indicator, every indicator with its target and actual value, and
    none of them taken from the report's prose by a transcriber (the 项目指标 sheet's 来源 column, which
    quotes the text an indicator was read from).
    """
    projects = ctx.ds.projects
    inds = ctx.ds.indicators
    if not len(projects):
        return ["未列出项目"]
    gaps = []
    no_amount = [r["no"] for r in records(projects) if F.is_blank(r.get("budget")) or F.is_blank(r.get("spent"))]
    if no_amount:
        gaps.append(f"{len(no_amount)}个项目未填预算数或执行数")
    transcribed = inds[[not F.is_blank(v) for v in inds["source"]]] if "source" in inds else inds.iloc[0:0]
    if len(transcribed):
        gaps.append(f"{len(transcribed)}项绩效指标摘自报告文字（“项目指标”表“来源”列），不是单位填列的自评指标")
    incomplete = inds[[F.is_blank(t) or F.is_blank(a) for t, a in zip(inds["target"], inds["actual"])]]
    if len(incomplete):
        gaps.append(f"{len(incomplete)}项绩效指标缺目标值或实际值")
    with_indicators = {int(n) for n in inds["project_no"] if F.num(n) is not None}
    without = [n for n in projects["no"] if F.num(n) is None or int(n) not in with_indicators]
    if without:
        gaps.append(f"{len(without)}个项目没有绩效指标")
    return gaps


def shows_self_evaluation(ctx: ReportContext) -> bool:
    """Whether （二）项目支出绩效自评 is part of the filed report (:func:`self_evaluation_gaps`)."""
    return ctx._once("goals:self_evaluation_gaps", lambda: self_evaluation_gaps(ctx)) == []


def weight_words(ctx: ReportContext) -> str:
    """How a level's points were shared among its indicators (:func:`~jixiao.analysis.scoring.project.score_project`): by the
    weights where every indicator has one, equally where none has, and both when the unit gave
    weights for some projects or levels only."""
    given = [not F.is_blank(w) for w in ctx.ds.indicators["weight"]]
    if given and all(given):
        return "一级指标分值按其指标的权重分配"
    if any(given):
        return "一级指标分值在填列权重的指标间按权重分配，其余在其指标间平均分配"
    return "一级指标分值在其指标间平均分配"


# -- blocks -------------------------------------------------------------------------------
def overview(ctx: ReportContext) -> Block:
    """Opening sentence: “我镇2023年整体绩效目标实现情况如下：” (the table follows)."""
    return Block(ctx.render("goals/overview.html.j2"))


def project_table(ctx: ReportContext) -> Block:
    """The project table (序号, 项目名称, 绩效目标, 实现情况), under （一）项目绩效目标完成情况
    when （二）项目支出绩效自评 follows (no lone （一） otherwise)."""
    head = ctx.heading("（一）项目绩效目标完成情况") if shows_self_evaluation(ctx) else ""
    table = ctx.table(
        project_table_frame(ctx),
        [
            Col("no", "序号", "int"),
            Col("name", "项目名称"),
            Col("goal", "绩效目标"),
            Col("result", "实现情况"),
        ],
        f"{ctx.year}年度项目绩效目标实现情况",
        total_label=None,
    )
    return Block(head + table).with_review(*table.review)


def status_chart(ctx: ReportContext) -> Block:
    """图：项目按完成状态 (counts of 已完成 / 部分完成 / 未完成)."""
    f = status_figures(ctx)
    data = pd.DataFrame([{"状态": r["status"], "项目数": int(r["count"])} for r in f["statuses"]])
    fig = counts(data, "状态", "项目数", f"{ctx.year}年度项目按完成状态（共{f['total']}个）")
    return ctx.figure(fig, "项目按完成状态")


def self_evaluation(ctx: ReportContext) -> Block:
    """（二）项目支出绩效自评: scheme, narrative and the per-project summary table — only when
    the unit supplied its self-evaluation inputs (:func:`self_evaluation_gaps`)."""
    if not shows_self_evaluation(ctx):
        return Block("").with_review("项目支出绩效自评未列入报送版：" + "；".join(self_evaluation_gaps(ctx)) + "。")
    head = ctx.heading("（二）项目支出绩效自评")
    f = self_evaluation_figures(ctx)
    text = ctx.render("goals/self_evaluation.html.j2", f=f, no_ranges=no_ranges)
    notes = score_notes(ctx)
    note = f"指标得分为各绩效指标得分之和（满分{plain(f['indicator_points'])}分）。" + (
        "评分说明：" + "；".join(f"{n}（序号{no_ranges(nos)}）" for n, nos in notes) + "。" if notes else ""
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
    block = Block(head + text + table).with_review(*table.review)
    if f["without_total"]:
        block = block.with_review(f"项目支出绩效自评：{f['without_total']}个项目无法计算总分，未评定等级。")
    return block


def indicator_table(ctx: ReportContext) -> Block:
    """The indicators of each project, with its points, score and lost points (part of
    （二）项目支出绩效自评: only when that is shown)."""
    if not shows_self_evaluation(ctx):
        return Block("")
    df = indicator_frame(ctx)
    text = ctx.render("goals/indicators.html.j2", n=len(df), lost=int((df["reason"] != "—").sum()))
    # numbers right-aligned and unbroken when every value of the column is a number (or blank)
    numeric = {
        c: "plain" if all(v is None or isinstance(v, (int, float)) for v in df[c]) else "text"
        for c in ("target", "actual")
    }
    if numeric["actual"] == "text":
        df = df.assign(actual=[plain(v) if isinstance(v, (int, float)) else v for v in df["actual"]])
    if numeric["target"] == "text":
        df = df.assign(target=[plain(v) if isinstance(v, (int, float)) else v for v in df["target"]])
    absent = any("无指标" in n for n, _ in score_notes(ctx))
    note = weight_words(ctx) + ("，无指标的一级指标分值按评分方案处理（见上表说明）。" if absent else "。")
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
        note=note,
    )
    return Block(text + table).with_review(*table.review)
