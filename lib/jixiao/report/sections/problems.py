"""四、绩效自评发现的问题: the unit's own problems; and the problem data the review uses.

The filed report (报送版) prints only what the unit states: its summary (文字说明 问题总述)
and its problems (工作簿“问题”表), numbered （一）（二）… as the unit numbers them
(:func:`summary`, :func:`stated_problems`).

For the review (审核意见, :mod:`jixiao.review`) this module also provides plain data, no HTML:

- :func:`problem_list`: the problems the unit states, ids ``P<序号>``, then the problems the
  analysis finds, ids ``A1``, ``A2`` … in a fixed order of kinds (:data:`KINDS`): projects not
  completed, large spending variances, zero or low spending, indicators short of target,
  projects without indicators, project amounts not given, stated project scores that disagree
  with the scheme, and every failed consistency check (errors, then warnings);
- :func:`recommendations`: one piece of advice per kind of analysis-found problem, from
  ``config/recommendations.yaml`` (validated by :class:`RecommendationConfig`), linked to the
  ids of the problems it answers;
- :func:`correspondence`: which of the unit's measures (工作簿“改进措施”表, linked by 对应问题)
  answer which problem, which problems have no measure and which measures no problem.
"""

from __future__ import annotations

import os
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jixiao.analysis import finance as F
from jixiao.analysis.finance.inputs import records
from jixiao.configfile import load_yaml_model
from jixiao.paths import config_file
from jixiao.report.context import Block, ReportContext, cn_num, num, pct, plain
from jixiao.report.sections.common import circled, text_paragraphs
from jixiao.report.sections.goals import no_ranges, project_label, scores

#: Kinds of analysis-found problems, in the order they are listed (and numbered A1 …).
KINDS = (
    "not_completed",
    "large_variance",
    "low_execution",
    "indicator_shortfall",
    "no_indicators",
    "amounts_missing",
    "score_mismatch",
    "check_error",
    "check_warning",
)
#: Placeholders every recommendation template may use.
COMMON_PLACEHOLDERS = frozenset({"ids", "count", "year", "next_year", "unit"})
#: Placeholders specific to each kind.
KIND_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "not_completed": frozenset({"projects"}),
    "large_variance": frozenset({"projects"}),
    "low_execution": frozenset({"projects", "threshold"}),
    "indicator_shortfall": frozenset({"projects", "indicators"}),
    "no_indicators": frozenset({"projects"}),
    "amounts_missing": frozenset({"total"}),
    "score_mismatch": frozenset({"projects"}),
    "check_error": frozenset({"titles", "cells"}),
    "check_warning": frozenset({"titles", "cells"}),
}
#: How :func:`correspondence` names where a problem comes from.
SOURCE_LABELS = {"stated": "单位所列", "analysis": "数据分析"}
#: A stated project score and the computed one differ when they differ as printed (2 decimals).
_SCORE_DIGITS = 2


# -- recommendations.yaml -------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KindConfig(_Strict):
    """One kind of analysis-found problem: its name, its assessment category, its advice."""

    title: str = Field(min_length=1)
    category: str = Field(min_length=1)
    recommendation: str = Field(min_length=1, description="中文建议模板，可含 {占位符}")

    @field_validator("title", "category", "recommendation")
    @classmethod
    def _no_spaces(cls, v: str) -> str:
        # YAML folds a long line with spaces; Chinese sentences have none.
        v = re.sub(r"\s+", "", v)
        if not v:
            raise ValueError("不能为空")
        return v


class RecommendationConfig(_Strict):
    """``config/recommendations.yaml``: thresholds and one :class:`KindConfig` per kind."""

    low_execution_rate: float = Field(gt=0, le=100)
    kinds: dict[str, KindConfig]

    @model_validator(mode="after")
    def _kinds_complete_and_known(self) -> RecommendationConfig:
        unknown = [k for k in self.kinds if k not in KINDS]
        if unknown:
            raise ValueError(f"未知的问题类别：{'、'.join(unknown)}（可用：{'、'.join(KINDS)}）")
        missing = [k for k in KINDS if k not in self.kinds]
        if missing:
            raise ValueError(f"缺少问题类别：{'、'.join(missing)}")
        for kind, cfg in self.kinds.items():
            allowed = COMMON_PLACEHOLDERS | KIND_PLACEHOLDERS[kind]
            try:
                names = {f for _, f, _, _ in string.Formatter().parse(cfg.recommendation) if f is not None}
            except ValueError as exc:
                raise ValueError(f"{kind}.recommendation 的花括号不成对：{exc}") from None
            bad = sorted(n for n in names if n not in allowed)
            if bad:
                raise ValueError(
                    f"{kind}.recommendation 含未知占位符 {{{'}、{'.join(bad)}}}"
                    f"（可用：{'、'.join('{' + a + '}' for a in sorted(allowed))}）"
                )
        return self


def default_recommendations_path() -> Path:
    return config_file("recommendations.yaml")


def load_recommendations(path: str | os.PathLike | None = None) -> RecommendationConfig:
    """Read and validate a recommendations file (default: the shipped one).

    Raises
    ------
    ConfigError
        File missing, not YAML, or invalid; the Chinese message names the file and each
        offending key (an unknown key is an error, not ignored).
    """
    p = Path(path) if path is not None else default_recommendations_path()
    return load_yaml_model(p, RecommendationConfig, "建议配置文件", "low_execution_rate、kinds")


# -- problems ---------------------------------------------------------------------------------
@dataclass
class Problem:
    """One problem, stated by the unit or found by the analysis.

    Attributes
    ----------
    id : str
        ``P<序号>`` for a stated problem, ``A1`` … for a found one; stable for the same data.
    source : str
        ``stated`` | ``analysis``.
    kind : str
        ``stated`` or one of :data:`KINDS`.
    category : str
        Assessment category (重大政策落实 …; for found problems from the config).
    text : str
        The problem in Chinese (workbook text included as is: escape when printing).
    refs : tuple of str
        Where it comes from: Excel cells (``项目!H38``) and, for a failed check, the check
        id (``assessment.total``) first.
    title : str
        Short name (the category of a stated problem, the kind's title for a found one).
    values : dict
        Placeholder values for the recommendation template (found problems).
    no : int or None
        序号 of a stated problem.
    """

    id: str
    source: str
    kind: str
    category: str
    text: str
    refs: tuple[str, ...] = ()
    title: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    no: int | None = None


def _names(rows) -> str:
    return "、".join(F.text(r.get("name")) or "（名称未提供）" for r in rows)


def _labels(rows) -> str:
    return "、".join(project_label(r.get("no"), r.get("name")) for r in rows)


def _stated_problems(ctx: ReportContext) -> list[Problem]:
    out = []
    for r in records(ctx.ds.problems):
        category = F.text(r.get("category")) or ""
        out.append(
            Problem(
                id=f"P{plain(r['no'])}",
                source="stated",
                kind="stated",
                category=category,
                text=F.text(r.get("text")) or "",
                title=category or "问题",
                refs=(ctx.ds.cell("problems", "text", r["_row"]),),
                no=int(r["no"]),
            )
        )
    return out


def _monitoring(ctx: ReportContext) -> list[dict]:
    return records(ctx.ds.monitoring)


def _project_rows(ctx: ReportContext) -> dict[int, dict]:
    return {int(r["no"]): r for r in records(ctx.ds.projects) if not F.is_blank(r.get("no"))}


def _not_completed(ctx: ReportContext) -> dict | None:
    projects = _project_rows(ctx)
    flagged = [r for r in projects.values() if F.text(r.get("status")) in F.NOT_ACHIEVED]
    flagged_nos = {int(r["no"]) for r in flagged}
    mon = [m for m in _monitoring(ctx) if F.text(m.get("not_achieved")) == "是"]
    extra = []
    for m in mon:
        no = None if F.is_blank(m.get("project_no")) else int(m["project_no"])
        if no not in flagged_nos:
            row = projects.get(no, {}) if no is not None else {}
            extra.append(
                {
                    "no": no,
                    "name": F.text(m.get("name")) or F.text(row.get("name")),
                    "status": F.text(row.get("status")),
                    "_row": m["_row"],
                }
            )
    if not flagged and not extra:
        return None
    parts = []
    if flagged:
        said = "”或“".join(s for s in F.NOT_ACHIEVED if any(F.text(r.get("status")) == s for r in flagged))
        parts.append(f"项目表中完成状态为“{said}”的项目{len(flagged)}个：{_labels(flagged)}。")
    if extra:
        stat = {e["status"] for e in extra}
        said = f"项目表标记为“{'、'.join(sorted(s for s in stat if s))}”" if any(stat) else "项目表未列出"
        parts.append(f"另据报告绩效监控情况，{_labels(extra)}共{len(extra)}个项目未完成绩效目标，但{said}。")
    involved = flagged_nos | {e["no"] for e in extra}
    reasons = list(
        dict.fromkeys(
            why
            for m in mon
            if (why := F.text(m.get("reason")))
            and (F.is_blank(m.get("project_no")) or int(m["project_no"]) in involved)
        )
    )
    if reasons:
        parts.append("原因：" + "；".join(f"{circled(i)}{r.rstrip('。；;')}" for i, r in enumerate(reasons, 1)) + "。")
    refs = [ctx.ds.cell("projects", "status", r["_row"]) for r in flagged]
    refs += [ctx.ds.cell("monitoring", "not_achieved", e["_row"]) for e in extra]
    rows = flagged + extra
    return {"text": "".join(parts), "refs": refs, "values": {"projects": _names(rows), "count": len(rows)}}


def _large_variance(ctx: ReportContext) -> dict | None:
    mon = [m for m in _monitoring(ctx) if F.text(m.get("large_variance")) == "是"]
    if not mon:
        return None
    groups: dict[str, list[dict]] = {}
    for m in mon:
        groups.setdefault(F.text(m.get("reason")) or "", []).append(m)
    parts = []
    for reason, rows in groups.items():
        labels = "、".join(
            project_label(m.get("project_no"), m.get("name"))
            if not F.is_blank(m.get("project_no"))
            else f"“{F.text(m.get('name'))}”"
            for m in rows
        )
        parts.append(f"{labels}：{reason.rstrip('。；;') if reason else '原因未提供'}")
    text = f"绩效监控中，实际支出进度与分月支出计划差异较大的项目{len(mon)}个。" + "；".join(parts) + "。"
    return {
        "text": text,
        "refs": [ctx.ds.cell("monitoring", "large_variance", m["_row"]) for m in mon],
        "values": {"projects": _names(mon), "count": len(mon)},
    }


def _low_execution(ctx: ReportContext, threshold: float) -> dict | None:
    pe = records(F.project_execution(ctx.ds))
    zero = [r for r in pe if r["spent"] is not None and r["spent"] == 0]
    low = [r for r in pe if r["rate"] is not None and r["rate"] < threshold and r not in zero]
    if not zero and not low:
        return None

    def describe(r):
        return (
            f"{project_label(r['no'], r['name'])}（预算数{num(r['budget'])}万元，执行数{num(r['spent'])}万元，"
            f"执行率{pct(r['rate'])}）"
            if r["budget"] is not None
            else f"{project_label(r['no'], r['name'])}（预算数未提供，执行数{num(r['spent'])}万元）"
        )

    parts = []
    if zero:
        parts.append(f"执行数为0、全年未发生支出的项目{len(zero)}个：" + "、".join(describe(r) for r in zero))
    if low:
        parts.append(f"执行率低于{plain(threshold)}%的项目{len(low)}个：" + "、".join(describe(r) for r in low))
    unknown = sum(1 for r in pe if (r["budget"] is None or r["spent"] is None) and r not in zero)
    text = "；".join(parts) + "。"
    if unknown:
        text += f"其余项目中{unknown}个的预算数或执行数未提供，无法判断其执行率。"
    rows = zero + low
    return {
        "text": text,
        "refs": [ctx.ds.cell("projects", "spent", r["_row"]) for r in rows],
        "values": {"projects": _names(rows), "count": len(rows), "threshold": plain(threshold)},
    }


def _indicator_rows(ctx: ReportContext) -> list[tuple[pd.Series, Any]]:
    return [(p, ind) for p, s in scores(ctx) for ind in s.indicators]


def _transcribed(ctx: ReportContext) -> bool:
    """Whether indicators were read from the report's prose (the 项目指标 sheet's 来源 column)."""
    inds = ctx.ds.indicators
    return "source" in inds and any(not F.is_blank(v) for v in inds["source"])


def _indicator_shortfall(ctx: ReportContext) -> dict | None:
    short = [
        (p, ind)
        for p, ind in _indicator_rows(ctx)
        if ind.result.score is not None and ind.result.score < ind.result.points - 1e-9
    ]
    if not short:
        return None
    parts = [
        f"{project_label(p['no'], p['name'])}的“{ind.name}”（{ind.result.lost_reason or '未得满分'}）"
        for p, ind in short
    ]
    where = "从绩效目标摘出的指标中" if _transcribed(ctx) else "项目绩效指标中"
    text = f"{where}，{len(short)}项未达目标或未报实际值：" + "；".join(parts) + "。"
    seen_projects = list(dict.fromkeys(int(p["no"]) for p, _ in short))
    names = {int(p["no"]): F.text(p["name"]) for p, _ in short}
    return {
        "text": text,
        "refs": [],
        "values": {
            "indicators": "、".join(dict.fromkeys(f"“{ind.name}”" for _, ind in short)),
            "projects": "、".join(names[n] or "" for n in seen_projects),
            "count": len(short),
        },
    }


def _no_indicators(ctx: ReportContext) -> dict | None:
    if not len(ctx.ds.indicators):  # no indicator sheet at all: nothing to judge by
        return None
    rows = [p for p, s in scores(ctx) if not s.indicators]
    if not rows:
        return None
    # indicators read from the goals' prose: a project without any has no figure in its goal
    what = "的绩效目标未写明可量化的指标值" if _transcribed(ctx) else "未填列绩效指标"
    text = f"{len(rows)}个项目{what}：{_labels(p.to_dict() for p in rows)}，无法按指标逐项计分，只能定性判断。"
    return {
        "text": text,
        "refs": [ctx.ds.cell("projects", "goal", int(p["_row"])) for p in rows],
        "values": {"projects": "、".join(F.text(p["name"]) or "" for p in rows), "count": len(rows)},
    }


def _amounts_missing(ctx: ReportContext) -> dict | None:
    pe = F.project_execution(ctx.ds)
    missing = [r for r in records(pe) if r["budget"] is None]
    if not missing:
        return None
    es = F.execution_summary(ctx.ds)
    text = (
        f"{len(pe)}个项目中有{len(missing)}个未列示预算数（序号{no_ranges(r['no'] for r in missing)}），"
        "无法计算其预算执行率和项目自评总分"
    )
    if es.stated_progress is not None:
        text += f"；报告所述项目整体支出进度{pct(es.stated_progress)}也无法据项目明细复核"
    text += "。"
    return {
        "text": text,
        "refs": [ctx.ds.column_cells("projects", "budget", [r["_row"] for r in missing])],
        "values": {"count": len(missing), "total": len(pe)},
    }


def _score_mismatch(ctx: ReportContext) -> dict | None:
    from jixiao.rounding import round_half_up

    bad = []
    for p, s in scores(ctx):
        stated = F.num(p.get("score_stated"))
        if stated is None or s.capped_total is None:
            continue
        if round_half_up(stated, _SCORE_DIGITS) != round_half_up(s.capped_total, _SCORE_DIGITS):
            bad.append((p, stated, s.capped_total))
    if not bad:
        return None
    text = (
        "项目自评得分与按评分办法计算的结果不一致："
        + "；".join(f"{project_label(p['no'], p['name'])}所述{plain(st)}分，计算{num(c)}分" for p, st, c in bad)
        + "。"
    )
    return {
        "text": text,
        "refs": [ctx.ds.cell("projects", "score_stated", int(p["_row"])) for p, _, _ in bad],
        "values": {"projects": "、".join(F.text(p["name"]) or "" for p, _, _ in bad), "count": len(bad)},
    }


def _check_problems(ctx: ReportContext, severity: str) -> list[dict]:
    out = []
    for f in ctx.findings:
        if f.severity != severity:
            continue
        out.append(
            {
                "text": f.message,
                "refs": [f.id, *f.cells],
                "subtitle": f.title,
                "values": {"titles": f"“{f.title}”", "cells": "、".join(f.cells) or "未注明单元格", "count": 1},
            }
        )
    return out


def problem_list(ctx: ReportContext) -> list[Problem]:
    """Stated problems (``P<序号>``), then the analysis-found ones (``A1`` …), computed once.

    Parameters
    ----------
    ctx : ReportContext
        The township-year.

    Returns
    -------
    list of Problem
        The unit's problems in the order of its “问题” sheet, then the analysis-found ones in
        :data:`KINDS` order: a failed check (``error`` / ``warning``) is one problem each, the
        other kinds one problem each when anything is found. Texts are plain (not escaped)
        and in the reviewer's voice for the analysis-found ones; only the stated ones belong
        in the filed report.
    """
    return ctx._once("problems", lambda: _problem_list(ctx))


def _problem_list(ctx: ReportContext) -> list[Problem]:
    cfg = load_recommendations()
    found: list[tuple[str, dict]] = []
    simple = {
        "not_completed": lambda: _not_completed(ctx),
        "large_variance": lambda: _large_variance(ctx),
        "low_execution": lambda: _low_execution(ctx, cfg.low_execution_rate),
        "indicator_shortfall": lambda: _indicator_shortfall(ctx),
        "no_indicators": lambda: _no_indicators(ctx),
        "amounts_missing": lambda: _amounts_missing(ctx),
        "score_mismatch": lambda: _score_mismatch(ctx),
    }
    for kind in KINDS:
        if kind in simple:
            got = simple[kind]()
            if got:
                found.append((kind, got))
        else:
            found.extend((kind, g) for g in _check_problems(ctx, kind.removeprefix("check_")))
    out = _stated_problems(ctx)
    for i, (kind, got) in enumerate(found, 1):
        k = cfg.kinds[kind]
        title = f"{k.title}：{got['subtitle']}" if got.get("subtitle") else k.title
        out.append(
            Problem(
                id=f"A{i}",
                source="analysis",
                kind=kind,
                category=k.category,
                text=got["text"],
                refs=tuple(got["refs"]),
                title=title,
                values=dict(got["values"]),
            )
        )
    return out


# -- recommendations ---------------------------------------------------------------------------
@dataclass
class Recommendation:
    """The advice for one kind of analysis-found problem, linked to the problems it answers."""

    kind: str
    title: str
    category: str
    problem_ids: tuple[str, ...]
    text: str


def _merge_values(problems: list[Problem]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for p in problems:
        for k, v in p.values.items():
            if k == "count":
                merged[k] = merged.get(k, 0) + int(v)
            else:
                merged.setdefault(k, [])
                if v not in merged[k]:
                    merged[k].append(v)
    return {k: v if k == "count" else "、".join(str(x) for x in v) for k, v in merged.items()}


def recommendations(ctx: ReportContext) -> list[Recommendation]:
    """One recommendation per kind of analysis-found problem, in :data:`KINDS` order.

    Parameters
    ----------
    ctx : ReportContext
        The township-year.

    Returns
    -------
    list of Recommendation
        The advice of ``config/recommendations.yaml`` for each kind the analysis found,
        its placeholders filled, linked to the ids (``A1`` …) of the problems it answers.
        For the review only: the filed report prints the unit's own measures.
    """
    cfg = load_recommendations()
    found = [p for p in problem_list(ctx) if p.source == "analysis"]
    out = []
    for kind in KINDS:
        group = [p for p in found if p.kind == kind]
        if not group:
            continue
        k = cfg.kinds[kind]
        ids = tuple(p.id for p in group)
        values = {
            "ids": "、".join(ids),
            "year": ctx.year,
            "next_year": ctx.year + 1,
            "unit": ctx.we,
            **_merge_values(group),
        }
        values.setdefault("count", len(group))
        text = k.recommendation.format(**values)
        out.append(Recommendation(kind, k.title, k.category, ids, text))
    return out


# -- the unit's measures and the problems they answer ------------------------------------------
@dataclass
class Measure:
    """One of the unit's measures (工作簿“改进措施”表).

    Attributes
    ----------
    n : int
        Its position, printed （一）（二）… as the unit numbers them.
    text : str
        The measure as the unit words it (plain, not escaped).
    problem_no : int or None
        序号 of the stated problem it answers (对应问题), None when not given.
    answers : str or None
        Id (``P<序号>``) of that problem, None when not given or when no such problem exists.
    """

    n: int
    text: str
    problem_no: int | None
    answers: str | None


def measure_list(ctx: ReportContext) -> list[Measure]:
    """The unit's measures in the order of its “改进措施” sheet, each with the problem it answers.

    Parameters
    ----------
    ctx : ReportContext
        The township-year.

    Returns
    -------
    list of Measure
    """
    stated = {p.no: p.id for p in problem_list(ctx) if p.source == "stated"}
    out = []
    for i, r in enumerate(records(ctx.ds.measures), 1):
        pno = None if F.is_blank(r.get("problem_no")) else int(r["problem_no"])
        out.append(Measure(n=i, text=F.text(r.get("text")) or "", problem_no=pno, answers=stated.get(pno)))
    return out


def _numbered(m: Measure) -> str:
    return f"（{cn_num(m.n)}）{m.text}"


def correspondence(ctx: ReportContext) -> list[dict]:
    """Which of the unit's measures answer which problem, for the review.

    Parameters
    ----------
    ctx : ReportContext
        The township-year.

    Returns
    -------
    list of dict
        One row per stated problem, per analysis-found problem, then per measure that answers
        no (existing) stated problem, with the keys

        - ``code``: ``P1`` …, ``A1`` …, or ``""`` for an unmatched measure;
        - ``problem``: a stated problem as the report prints it (``类别：问题``), the title
          of an analysis-found one, ``""`` for an unmatched measure (or a note when its
          对应问题 names a problem the “问题” sheet does not have);
        - ``source``: ``单位所列`` or ``数据分析``;
        - ``measures``: the texts (numbered （一）… as printed) of the unit's measures
          answering the problem; empty when none (the unit's measures never name an
          analysis-found problem);
        - ``recommendation``: for an analysis-found problem the advice of
          :func:`recommendations` answering it, otherwise ``""``.
    """
    probs = problem_list(ctx)
    ms = measure_list(ctx)
    advice = {pid: r.text for r in recommendations(ctx) for pid in r.problem_ids}
    rows: list[dict] = []
    for p in probs:
        if p.source == "stated":
            rows.append(
                {
                    "code": p.id,
                    "problem": f"{p.category}：{p.text}" if p.category else p.text,
                    "source": SOURCE_LABELS["stated"],
                    "measures": [_numbered(m) for m in ms if m.answers == p.id],
                    "recommendation": "",
                }
            )
        else:
            rows.append(
                {
                    "code": p.id,
                    "problem": p.title,
                    "source": SOURCE_LABELS["analysis"],
                    "measures": [],
                    "recommendation": advice.get(p.id, ""),
                }
            )
    for m in ms:
        if m.answers is None:
            rows.append(
                {
                    "code": "",
                    "problem": "" if m.problem_no is None else f"对应问题序号{m.problem_no}在“问题”表中不存在",
                    "source": SOURCE_LABELS["stated"],
                    "measures": [_numbered(m)],
                    "recommendation": "",
                }
            )
    return rows


# -- blocks: 四、绩效自评发现的问题 ----------------------------------------------------------------
def summary(ctx: ReportContext) -> Block:
    """The unit's summary of its problems (文字说明 问题总述), as it words it; nothing when blank."""
    return ctx.render("problems/summary.html.j2", paragraphs=text_paragraphs(ctx, "problems_summary"))


def stated_problems(ctx: ReportContext) -> Block:
    """（一）（二）… the problems the unit states, ``类别：问题`` as its “问题” sheet lists them;
    nothing when it lists none."""
    stated = [p for p in problem_list(ctx) if p.source == "stated"]
    block = ctx.render("problems/stated.html.j2", stated=stated)
    return block if stated else block.with_review("单位未列出具体问题（“问题”表无内容）。")
