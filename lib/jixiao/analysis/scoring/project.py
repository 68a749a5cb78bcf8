"""Project self-evaluation (项目支出绩效自评): a project's execution rate and indicators, totalled.

:func:`score_project` shares each scheme level's points among the project's indicators,
scores every row by :mod:`jixiao.analysis.scoring.rules`, totals the levels, applies the
scheme's execution-rate cap and grades the result; :class:`ProjectScore` is the scoring
sheet (:meth:`ProjectScore.to_frame`).

Beyond the per-indicator rules, a scheme may cap the total by execution rate
(``execution_cap``: at most ``max_total`` while ``rate_at_least ≤ 执行率 < rate_below``);
a total needs both the execution rate and at least one indicator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from jixiao.analysis.scoring.rules import (
    IndicatorScore,
    is_missing,
    plain_figure,
    score_execution,
    score_indicator,
)
from jixiao.analysis.scoring.scheme import EXECUTION, Scheme, ScoringError, grade, load_scheme
from jixiao.analysis.scoring.targets import Target, TargetParseError, parse_target
from jixiao.rounding import fmt_pct


@dataclass(frozen=True)
class ScoredIndicator:
    """One indicator row of a project with its allotted points and score."""

    level1: str
    level2: str
    name: str
    target: Target
    actual: Any
    result: IndicatorScore
    level: str  # the scheme level it counts towards (成本指标 → 产出指标 …)


@dataclass(frozen=True)
class ProjectScore:
    """A project's self-evaluation score.

    Attributes
    ----------
    scheme : Scheme
    execution : IndicatorScore
    indicators : tuple of ScoredIndicator
    level_points : dict
        Points each scheme level had after re-distribution of empty levels.
    level_scores : dict
        Score of each scheme level.
    indicator_total : float
        Sum of the indicator scores (without the execution rate).
    total : float or None
        Execution + indicators; ``None`` when the execution rate or every indicator is
        missing, since a total out of less than 100 would read as a score out of 100.
    capped_total : float or None
        ``total`` after the scheme's execution-rate cap.
    cap : float or None
        The cap that applied, if any.
    grade : str or None
        优 / 良 / 中 / 差 of ``capped_total``.
    notes : tuple of str
        Chinese notes on re-distributed or forfeited points, caps and missing figures.
    """

    scheme: Scheme
    execution: IndicatorScore
    indicators: tuple[ScoredIndicator, ...]
    level_points: dict[str, float]
    level_scores: dict[str, float]
    indicator_total: float
    total: float | None
    capped_total: float | None
    cap: float | None
    grade: str | None
    notes: tuple[str, ...] = field(default=())

    def to_frame(self):
        """The scoring sheet as a DataFrame, execution rate first.

        Returns
        -------
        pandas.DataFrame
            Columns 一级指标, 二级指标, 指标名称, 目标值, 实际值, 分值, 得分, 评分规则,
            扣分原因; scores at full precision (round with :mod:`jixiao.rounding` to print).
        """
        import pandas as pd  # imported here: scoring itself does not need pandas

        ex = self.execution
        rows = [
            {
                "一级指标": EXECUTION,
                "二级指标": "",
                "指标名称": EXECUTION,
                "目标值": "100%",
                "实际值": fmt_pct(ex.rate),
                "分值": ex.points,
                "得分": ex.score,
                "评分规则": ex.rule,
                "扣分原因": ex.lost_reason,
            }
        ]
        for ind in self.indicators:
            r = ind.result
            rows.append(
                {
                    "一级指标": ind.level1,
                    "二级指标": ind.level2,
                    "指标名称": ind.name,
                    "目标值": ind.target.text,
                    "实际值": ind.actual,
                    "分值": r.points,
                    "得分": r.score,
                    "评分规则": r.rule,
                    "扣分原因": r.lost_reason,
                }
            )
        frame = pd.DataFrame(
            rows,
            columns=["一级指标", "二级指标", "指标名称", "目标值", "实际值", "分值", "得分", "评分规则", "扣分原因"],
        )
        return frame.astype({"分值": float, "得分": float})


def score_project(
    execution: tuple[float | None, float | None] | Mapping[str, Any],
    indicators: Iterable[Mapping[str, Any] | Any],
    scheme: Scheme | str = "national",
) -> ProjectScore:
    """Score a project: execution rate plus its performance indicators.

    Parameters
    ----------
    execution : (budget, spent) or mapping with ``budget`` and ``spent``
        全年预算数 and 全年执行数, 万元.
    indicators : iterable of mappings or objects, or a DataFrame
        Rows with ``level1``, ``level2``, ``name``, ``direction``, ``target``, ``actual``
        and optionally ``weight`` and ``unit`` (the ``项目指标`` sheet's column ids).
    scheme : Scheme or str
        Scheme or scheme name/path.

    Returns
    -------
    ProjectScore

    Notes
    -----
    - A level's points (``weights`` in the scheme) are shared by its indicators: equally
      when no weight is given, pro rata to the weights when every indicator has one
      (mixing is an error, as the missing weights could not be guessed).
    - 一级指标 names are mapped through the scheme's ``level_aliases`` (成本指标 counts
      towards 产出指标 in the national scheme).
    - A level without indicators: with ``absent_levels: redistribute`` its points go to
      the levels present in proportion to their points (50/30 with 满意度 missing →
      56.25/33.75); with ``forfeit`` they are lost. Either way a note says so.
    - A unit given separately (``unit``) completes a target written without one.
    """
    scheme = load_scheme(scheme)
    budget, spent = (execution["budget"], execution["spent"]) if isinstance(execution, Mapping) else execution
    ex = score_execution(budget, spent, scheme=scheme)
    notes: list[str] = []
    if ex.score is None:
        notes.append(f"{ex.lost_reason}，无法计算预算执行率得分和总分")

    rows = [_row(r) for r in _records(indicators)]
    grouped: dict[str, list[dict]] = {level: [] for level in scheme.levels}
    for r in rows:
        grouped[scheme.level_of(r["level1"])].append(r)

    level_points = _level_points(scheme, grouped, notes)
    for level, members in grouped.items():
        for r, share in zip(members, _shares(level, members)):
            r["level"], r["points"] = level, level_points[level] * share

    scored: list[ScoredIndicator] = []
    level_scores = dict.fromkeys(scheme.levels, 0.0)
    for r in rows:  # input order, as the sheet lists them
        t = parse_target(r["target"], r["direction"])
        if r["unit"] and not t.unit and not t.is_qualitative:
            # The unit has its own column: the printed target carries it too (17 → =17人).
            t = replace(t, unit=r["unit"], text=_target_text(t, r["unit"]))
        elif isinstance(r["target"], (int, float)) and not t.is_qualitative:
            t = replace(t, text=_target_text(t, t.unit))
        res = score_indicator(t, r["actual"], r["points"], scheme)
        assert res.score is not None  # an indicator always scores; only the execution rate may not
        level_scores[r["level"]] += res.score
        scored.append(ScoredIndicator(r["level1"], r["level2"], r["name"], t, r["actual"], res, r["level"]))

    indicator_total = sum(level_scores.values())
    total = None if ex.score is None or not rows else ex.score + indicator_total
    if not rows:
        notes.append("无绩效指标，无法计算总分")
    cap = capped = None
    if total is not None:
        capped = total
        for row in scheme.execution_cap:
            # No rate (执行数未提供: execution scored 0) falls in no cap interval.
            if ex.rate is not None and row.applies(ex.rate):
                cap = row.max_total
                if total > cap:
                    capped = cap
                    notes.append(f"预算执行率{fmt_pct(ex.rate)}，总分封顶{plain_figure(cap)}分")
                break
    return ProjectScore(
        scheme=scheme,
        execution=ex,
        indicators=tuple(scored),
        level_points=level_points,
        level_scores=level_scores,
        indicator_total=indicator_total,
        total=total,
        capped_total=capped,
        cap=cap,
        grade=grade(capped, scheme.grade_bands),
        notes=tuple(notes),
    )


def indicator_problems(indicators: Any, scheme: Scheme | str = "national") -> list[tuple[int, str, Any, str]]:
    """What :func:`score_project` would refuse in a project's indicator rows, found before
    any report runs (``jixiao validate``).

    Parameters
    ----------
    indicators : DataFrame or iterable of mappings
        One project's rows of the 项目指标 sheet (with ``_row``).
    scheme : Scheme or str
        The scoring scheme (the rules that decide validity are the same in every scheme).

    Returns
    -------
    list of (row, column id, found, message)
        One entry per offending row — the target that cannot be read, or the actual that does
        not fit it — plus one for the project when its weights are mixed (row of its first
        indicator, column ``weight``).
    """
    scheme = load_scheme(scheme)
    records = _records(indicators)
    found: list[tuple[int, str, Any, str]] = []
    rows = []
    for rec in records:
        excel_row = int(rec.get("_row", 0) or 0) if isinstance(rec, Mapping) else 0
        try:
            r = _row(rec)
        except ScoringError as exc:
            found.append((excel_row, "level1", None, str(exc)))
            continue
        try:
            r["level"] = scheme.level_of(r["level1"])
        except ScoringError as exc:
            found.append((excel_row, "level1", r["level1"], str(exc)))
            continue
        rows.append((excel_row, r))
        try:
            t = parse_target(r["target"], r["direction"])
        except TargetParseError as exc:
            # the target is what cannot be read, unless the direction itself is not one
            column = "direction" if exc.reason.startswith("未知的指标方向") else "target"
            found.append((excel_row, column, r["target"] if column == "target" else r["direction"], str(exc)))
            continue
        if r["unit"] and not t.unit and not t.is_qualitative:
            t = replace(t, unit=r["unit"], text=_target_text(t, r["unit"]))
        try:
            score_indicator(t, r["actual"], 1.0, scheme)
        except (ScoringError, TargetParseError) as exc:
            found.append((excel_row, "actual", r["actual"], str(exc)))
    grouped: dict[str, list[tuple[int, dict]]] = {}
    for excel_row, r in rows:
        grouped.setdefault(r["level"], []).append((excel_row, r))
    for level, members in grouped.items():
        try:
            _shares(level, [r for _, r in members])
        except ScoringError as exc:
            found.append((members[0][0], "weight", None, str(exc)))
    return found


def _records(indicators: Any) -> list[Any]:
    if hasattr(indicators, "to_dict") and hasattr(indicators, "columns"):  # a DataFrame
        return indicators.to_dict("records")
    return list(indicators)


def _target_text(t: Target, unit: str) -> str:
    """How a numeric target prints: ``≥4次``, ``=17人``, ``≤10%`` (no trailing ``.0``)."""
    assert t.value is not None  # called for numeric (not 定性) targets only
    return f"{t.comparator}{plain_figure(t.value)}{unit}"


def _row(r: Any) -> dict[str, Any]:
    def get(key: str) -> Any:
        value = r.get(key) if isinstance(r, Mapping) else getattr(r, key, None)
        return None if is_missing(value) else value

    if get("level1") is None:
        raise ScoringError(f"指标“{get('name') or ''}”缺少一级指标")
    return {
        "level1": str(get("level1")).strip(),
        "level2": str(get("level2") or ""),
        "name": str(get("name") or ""),
        "direction": get("direction"),
        "target": get("target"),
        "actual": r.get("actual") if isinstance(r, Mapping) else getattr(r, "actual", None),
        "weight": get("weight"),
        "unit": str(get("unit") or ""),
    }


def _level_points(scheme: Scheme, grouped: dict[str, list], notes: list[str]) -> dict[str, float]:
    points = dict(scheme.levels)
    present = {lv: p for lv, p in points.items() if grouped[lv]}
    absent = {lv: p for lv, p in points.items() if not grouped[lv] and p > 0}
    if not absent or not present:
        return points
    pool, base = sum(absent.values()), sum(present.values())
    names = "、".join(absent)
    if scheme.absent_levels == "redistribute" and base > 0:
        for lv in absent:
            points[lv] = 0.0
        for lv, p in present.items():
            points[lv] = p + pool * p / base
        notes.append(f"{names}无指标，其{plain_figure(pool)}分按比例分配至" + "、".join(present))
    else:
        notes.append(f"{names}无指标，其{plain_figure(pool)}分不得分")
    return points


def _shares(level: str, members: list[dict]) -> list[float]:
    if not members:
        return []
    weights = [m["weight"] for m in members]
    if all(w is None for w in weights):
        return [1 / len(members)] * len(members)
    if any(w is None for w in weights):
        raise ScoringError(f"{level}的指标有的给了权重、有的没有：请全部给出或全部留空")
    try:
        ws = [float(w) for w in weights]
    except (TypeError, ValueError):
        raise ScoringError(f"{level}的指标权重应为数字：{weights}") from None
    if any(w < 0 for w in ws) or sum(ws) <= 0:
        raise ScoringError(f"{level}的指标权重应为非负数且合计大于 0：{weights}")
    total = sum(ws)
    return [w / total for w in ws]
