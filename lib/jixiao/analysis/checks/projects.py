"""Checks of projects and their monitoring (（三）预算执行：项目、监控、上年自评).

Achieved and not-achieved project counts and amounts against the project table; the
monitoring table (监控情况) against the projects it names and their completion status;
ex-ante evaluations, projects marked done with nothing spent, the overall spending
progress, the mid-year monitoring bands and last year's self-evaluation bands. These
counts are the report's evidence of performance, and a mismatch between the project
table and the monitoring conclusions is the commonest slip.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from jixiao.analysis import finance as F
from jixiao.analysis.checks.compare import _pct_bounds, compare_count, compare_pct, compare_sum
from jixiao.analysis.checks.registry import (
    NOT_PROVIDED,
    Context,
    Finding,
    _col,
    _fact_cells,
    _finding,
    _money,
    _not_provided,
    _plain,
    _rows,
    _spans,
    check,
)
from jixiao.rounding import HALF_CENT, fmt, fmt_pct, round_half_up
from jixiao.values import is_blank, num, text
from jixiao.workbook.dataset import Dataset


@check("projects.count", "实现与未实现绩效目标的项目数之和与项目总数")
def _projects_count(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    a, n = num(ctx.stated("achieved_count")), num(ctx.stated("not_achieved_count"))
    cells = _fact_cells(ds, "stated", "achieved_count", "not_achieved_count") + [_col(ds, "projects", "no")]
    if a is None or n is None:
        yield _not_provided("实现或未完成绩效目标项目数", cells)
        return
    f = compare_count(
        "项目数",
        a + n,
        len(ds.tables.get("projects", [])),
        cells,
        note=f"（所述实现{_plain(a)}个 + 未完成{_plain(n)}个；计算数为“项目”表的行数）",
    )
    yield f


def _status_nos(ds: Dataset, statuses: Iterable[str]) -> list[tuple[int, int]]:
    statuses = set(statuses)
    return [
        (int(r["no"]), r["_row"])
        for r in _rows(ds, "projects")
        if text(r.get("status")) in statuses and not is_blank(r.get("no"))
    ]


def _monitoring_not_achieved(ds: Dataset) -> list[dict]:
    return [r for r in _rows(ds, "monitoring") if text(r.get("not_achieved")) == "是"]


@check("projects.not_achieved", "未完成绩效目标项目数与项目表")
def _projects_not_achieved(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    stated = num(ctx.stated("not_achieved_count"))
    table = _status_nos(ds, F.NOT_ACHIEVED)
    done = _status_nos(ds, ["已完成"])
    cells = [ds.fact_cell("stated", "not_achieved_count"), _col(ds, "projects", "status")]
    if stated is None:
        yield _not_provided("未完成绩效目标项目数", cells)
        return
    if not _rows(ds, "projects"):
        yield _not_provided("项目表", cells, stated=stated)
        return
    mon = _monitoring_not_achieved(ds)
    mon_nos = [int(r["project_no"]) for r in mon if not is_blank(r.get("project_no"))]
    done_but_listed = [(no, row) for no, row in done if no in mon_nos]
    diff = stated - len(table)
    msg = (
        f"未完成绩效目标项目数：报告所述{_plain(stated)}个，项目表中完成状态为“未完成”（含“部分完成”）的"
        f"{len(table)}个（序号{'、'.join(str(no) for no, _ in table) or '无'}）"
    )
    msg += "，一致" if diff == 0 else f"，相差{_plain(diff)}个"
    a = num(ctx.stated("achieved_count"))
    if a is not None and a != len(done):
        msg += f"；所述实现{_plain(a)}个，而项目表标记“已完成”{len(done)}个"
        cells.append(ds.fact_cell("stated", "achieved_count"))
    if mon:
        msg += f"。“监控情况”表列出未完成绩效目标的项目{len(mon)}个，" + (
            "与所述一致" if len(mon) == stated else f"与所述{_plain(stated)}个也不一致"
        )
        if done_but_listed:
            msg += (
                f"，其中序号{'、'.join(str(no) for no, _ in done_but_listed)}在项目表中标记为“已完成”"
                "，项目表的完成状态与监控结论不符"
            )
            cells += [ds.cell("projects", "status", row) for _, row in done_but_listed]
        cells += _spans(ds, "monitoring", "not_achieved", [r["_row"] for r in mon])
    yield _finding(
        "pass" if diff == 0 else "error",
        msg + "。",
        stated=stated,
        computed=len(table),
        difference=diff,
        tolerance=0,
        cells=cells,
    )


@check("monitoring.not_achieved_count", "监控情况所列未完成项目数")
def _monitoring_count(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    stated = num(ctx.stated("not_achieved_count"))
    mon = _monitoring_not_achieved(ds)
    cells = [ds.fact_cell("stated", "not_achieved_count")] + _spans(
        ds, "monitoring", "not_achieved", [r["_row"] for r in mon]
    )
    if not _rows(ds, "monitoring"):
        yield _not_provided("监控情况", cells, stated=stated)
        return
    yield compare_count(
        "未完成绩效目标项目数（监控情况表）",
        stated,
        len(mon),
        cells,
        note="（计算数为“监控情况”表中“未完成绩效目标”为“是”的行数）",
    )


@check("monitoring.names", "监控情况项目序号与项目名称")
def _monitoring_names(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    names = {int(r["no"]): text(r.get("name")) for r in _rows(ds, "projects") if not is_blank(r.get("no"))}
    rows = [r for r in _rows(ds, "monitoring") if not is_blank(r.get("project_no")) and int(r["project_no"]) in names]
    if not rows:
        yield _not_provided("监控情况的项目序号", [_col(ds, "monitoring", "project_no")])
        return
    bad = [r for r in rows if F.name_key(r.get("name")) != F.name_key(names[int(r["project_no"])])]
    for r in bad:
        no = int(r["project_no"])
        yield _finding(
            "warning",
            f"“监控情况”中项目序号{no}的名称为“{text(r.get('name'))}”，"
            f"而“项目”表序号{no}为“{names[no]}”，序号或名称有误。",
            cells=[ds.cell("monitoring", "project_no", r["_row"]), ds.cell("monitoring", "name", r["_row"])],
        )
    if not bad:
        yield _finding(
            "pass",
            f"“监控情况”{len(rows)}行的项目序号与项目名称均与“项目”表一致。",
            cells=[_col(ds, "monitoring", "project_no"), _col(ds, "monitoring", "name")],
        )


@check("monitoring.status", "监控情况与项目完成状态")
def _monitoring_status(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    mon = [r for r in _monitoring_not_achieved(ds) if not is_blank(r.get("project_no"))]
    status = {
        int(r["no"]): (text(r.get("status")), r["_row"]) for r in _rows(ds, "projects") if not is_blank(r.get("no"))
    }
    if not mon:
        yield _not_provided("监控情况中的未完成项目", [_col(ds, "monitoring", "not_achieved")])
        return
    clash = [
        (r, status[int(r["project_no"])])
        for r in mon
        if int(r["project_no"]) in status and status[int(r["project_no"])][0] == "已完成"
    ]
    if clash:
        yield _finding(
            "warning",
            "以下项目在“监控情况”中列为未完成绩效目标，但在“项目”表中标记为“已完成”："
            + "；".join(f"序号{int(r['project_no'])}“{text(r.get('name'))}”" for r, _ in clash)
            + "。项目完成状态与监控结论应一致。",
            stated=len(clash),
            cells=[
                c
                for r, (_, row) in clash
                for c in (ds.cell("monitoring", "not_achieved", r["_row"]), ds.cell("projects", "status", row))
            ],
        )
    else:
        yield _finding(
            "pass",
            f"“监控情况”列为未完成的{len(mon)}个项目在项目表中均未标记“已完成”。",
            cells=[_col(ds, "monitoring", "not_achieved"), _col(ds, "projects", "status")],
        )


@check("projects.amounts", "实现与未完成绩效目标项目的资金")
def _projects_amounts(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    pe = F.project_execution(ds)
    for key, statuses, what in (
        ("achieved_amount", ["已完成"], "实现绩效目标项目资金"),
        ("not_achieved_amount", list(F.NOT_ACHIEVED), "未完成绩效目标项目资金"),
    ):
        stated = num(ctx.stated(key))
        sub = pe[pe["status"].isin(statuses)] if len(pe) else pe
        cells = [ds.fact_cell("stated", key)] + _spans(ds, "projects", "budget", sub["_row"] if len(sub) else [])
        if stated is None:
            yield _not_provided(what, cells)
            continue
        known = sub[sub["budget"].notna()] if len(sub) else sub
        if len(sub) == 0 or len(known) < len(sub):
            part = f"（已填{len(known)}个，合计{_money(F.total_of(known['budget']))}）" if len(known) else ""
            yield _finding(
                "info",
                f"{what}：所述{_money(stated)}，但项目表中{len(sub) - len(known)}个相应项目的预算数"
                f"{NOT_PROVIDED}{part}，无法核对。",
                stated=stated,
                cells=cells,
            )
            continue
        yield compare_sum(what, stated, list(known["budget"]), cells)


@check("projects.ex_ante_count", "事前绩效评估项目数与项目数")
def _ex_ante(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    stated = num(ctx.stated("ex_ante_count"))
    n = len(ds.tables.get("projects", []))
    cells = [ds.fact_cell("stated", "ex_ante_count"), _col(ds, "projects", "no")]
    f = compare_count("本年事前绩效评估项目数", stated, n, cells, severity="info", note="（计算数为“项目”表的行数）")
    if f.severity == "info" and f.stated is not None:
        f.message = f.message.rstrip("。") + "；事前评估范围可能与全部项目不同，宜核实。"
    yield f


@check("projects.zero_spending", "标记已完成但支出为零的项目")
def _zero_spending(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    pe = F.project_execution(ds)
    given = pe[pe["spent"].notna()] if len(pe) else pe
    if not len(given):
        yield _not_provided("项目执行数", [_col(ds, "projects", "spent")])
        return
    odd = [
        r for r in given.to_dict("records") if r["status"] == "已完成" and r["spent"] == 0 and (r["budget"] or 0) > 0
    ]
    for r in odd:
        yield _finding(
            "warning",
            f"项目序号{r['no']}“{r['name']}”标记为“已完成”，但预算{_money(r['budget'])}、执行数为0。",
            stated=r["spent"],
            computed=r["budget"],
            cells=[ds.cell("projects", "status", r["_row"]), ds.cell("projects", "spent", r["_row"])],
        )
    if not odd:
        yield _finding(
            "pass",
            f"填有执行数的{len(given)}个项目中，没有标记“已完成”而支出为0的项目。",
            cells=_spans(ds, "projects", "spent", given["_row"]),
        )


@check("projects.execution_rate", "项目整体支出进度")
def _execution_rate(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    es = F.execution_summary(ds)
    cells = [ds.fact_cell("stated", "execution_rate"), _col(ds, "projects", "budget"), _col(ds, "projects", "spent")]
    if es.stated_progress is None:
        yield _not_provided("项目整体支出进度", cells)
    elif es.projects == 0 or es.projects_with_amounts < es.projects:
        yield _finding(
            "info",
            f"项目整体支出进度：所述{fmt_pct(es.stated_progress)}；{es.projects}个项目中仅{es.projects_with_amounts}个"
            f"填有预算数与执行数，其余{NOT_PROVIDED}，无法复核。",
            stated=es.stated_progress,
            cells=cells,
        )
    else:
        n = es.projects
        yield compare_pct(
            "项目整体支出进度",
            es.stated_progress,
            es.project_rate,
            _pct_bounds(es.project_spent, es.project_budget, n * HALF_CENT, n * HALF_CENT),
            cells,
            formula=f"执行数{fmt(es.project_spent)} ÷ 预算数{fmt(es.project_budget)}",
        )


@check("projects.totals", "项目表合计行与各项目之和")
def _projects_totals(ctx: Context) -> Iterator[Finding]:
    """A 合计 row on the 项目 sheet (official forms and exports carry one): its 预算数 and
    执行数 against the projects' — read as the stated total, never as a project."""
    ds = ctx.ds
    if "projects" not in ds.totals:  # most workbooks list the projects without one: one note
        yield _not_provided("项目表合计行", [_col(ds, "projects", "budget")])
        return
    rows = _rows(ds, "projects")
    for col, what in (("budget", "项目预算数"), ("spent", "项目执行数")):
        yield compare_sum(
            what,
            num(ds.stated_total("projects", col)),
            [r.get(col) for r in rows],
            [_col(ds, "projects", col), ds.total_cell("projects", col)],
        )


@check("projects.self_score", "项目自评得分与按评分方案计算的得分")
def _self_score(ctx: Context) -> Iterator[Finding]:
    """A project's stated 自评得分 against the score of its indicators and execution under the
    run's scheme (``scoring_scheme``). A warning, not an error: a qualitative indicator may
    be scored anywhere in its grade's band, which the scheme places at one point."""
    ds = ctx.ds
    stated_rows = [r for r in _rows(ds, "projects") if num(r.get("score_stated")) is not None]
    if not stated_rows:
        yield _not_provided("项目自评得分", [_col(ds, "projects", "score_stated")])
        return
    from jixiao.analysis.scoring.selfeval import project_scores

    scheme = ctx.param("scoring_scheme") or "national"
    scored = {int(p["_row"]): s for p, s in project_scores(ds, scheme)}
    name = Path(str(scheme)).stem if not str(scheme).isidentifier() else scheme
    for r in stated_rows:
        stated = num(r["score_stated"])
        assert stated is not None  # stated_rows are those with a figure
        cells = [ds.cell("projects", "score_stated", int(r["_row"]))]
        label = f"序号{r['no']}“{text(r.get('name'))}”"
        s = scored.get(int(r["_row"]))
        if s is None or s.capped_total is None:
            yield _finding(
                "info",
                f"{label}所述自评得分{_plain(stated)}分；其预算数、执行数或绩效指标{NOT_PROVIDED}，无法按评分方案计算。",
                stated=stated,
                cells=cells + [ds.cell("projects", "budget", int(r["_row"]))],
            )
            continue
        computed = s.capped_total
        if round_half_up(computed, 2) == round_half_up(stated, 2):
            yield _finding(
                "pass",
                f"{label}所述自评得分{_plain(stated)}分，与按评分方案“{name}”计算的结果一致。",
                stated=stated,
                computed=computed,
                cells=cells,
            )
        else:
            yield _finding(
                "warning",
                f"{label}所述自评得分{_plain(stated)}分，按评分方案“{name}”由预算执行率和绩效指标计算为"
                f"{fmt(computed)}分，相差{fmt(abs(stated - computed))}分。",
                stated=stated,
                computed=computed,
                difference=stated - computed,
                tolerance=HALF_CENT,
                cells=cells,
            )


@check("monitoring.midyear_counts", "半年监控分档项目数不超过项目总数")
def _midyear(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    keys = ("midyear_over_50", "midyear_under_30", "midyear_not_started")
    vals = [num(ctx.stated(k)) for k in keys]
    cells = _fact_cells(ds, "stated", *keys) + [_col(ds, "projects", "no")]
    n = len(ds.tables.get("projects", []))
    if any(v is None for v in vals) or not n:
        yield _not_provided("半年监控分档项目数", cells)
        return
    total = sum(v for v in vals if v is not None)  # every one is given (checked above)
    detail = " + ".join(_plain(v) for v in vals)
    if total <= n:
        yield _finding(
            "pass",
            f"半年监控分档项目数{detail} = {_plain(total)}个，不超过项目总数{n}个（各档不必覆盖全部项目）。",
            stated=total,
            computed=n,
            cells=cells,
        )
    else:
        yield _finding(
            "error",
            f"半年监控分档项目数{detail} = {_plain(total)}个，超过项目总数{n}个。",
            stated=total,
            computed=n,
            difference=total - n,
            cells=cells,
        )


@check("last_eval.counts", "上年自评项目分档之和")
def _last_eval(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    keys = ("last_eval_full", "last_eval_95", "last_eval_90_95", "last_eval_below_90")
    vals = [num(ctx.stated(k)) for k in keys]
    cells = _fact_cells(ds, "stated", *keys, "last_eval_count")
    if any(v is None for v in vals):
        yield _not_provided("上年自评分档项目数", cells, stated=num(ctx.stated("last_eval_count")))
        return
    yield compare_count(
        "上年自评项目数",
        ctx.stated("last_eval_count"),
        sum(vals),
        cells,
        note=f"（满分{_plain(vals[0])} + 95分以上{_plain(vals[1])} + 90–95分{_plain(vals[2])} + 90分以下{_plain(vals[3])}）",
    )
