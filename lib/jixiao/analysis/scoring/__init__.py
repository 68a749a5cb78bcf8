"""Scoring engines: project self-evaluation (项目支出绩效自评) and the assessment rubric (考核).

Every weight, band and variant comes from a *scheme* file (``schemes/*.yaml``, validated
by :class:`Scheme`); the code holds the arithmetic only. Scores keep full precision;
presentation rounds half up through :mod:`jixiao.rounding`.

Rules (from the domain brief, shared/domain.md)
-----------------------------------------------
- 预算执行率: score = points × spent ÷ budget, at most the points.
- ``≥`` (positive): points × min(actual ÷ target, 1); target 0 → full points for actual ≥ 0.
- ``≤`` (negative): full points when actual ≤ target; beyond it the scheme's variant,
  ``ratio`` points × target ÷ actual, or ``linear`` points × max(0, 1 − (actual − target)
  ÷ target), which reaches 0 at twice the target. Target 0: any excess scores 0.
- ``=`` (equal): full points when actual equals the target (relative 1e-9); below it the
  positive rule; above it, by the scheme's ``equal_above``: ``negative`` (the scheme's
  negative rule: a miss either way loses points) or ``full`` (overshooting is no miss).
- 定性: the actual is a grade (达成 / 部分达成 / 未达成, with aliases such as 完成,
  基本达成, 未完成, 达成预期指标); the score is the scheme's ``position`` (top / middle /
  bottom) in that grade's band of the points.
- A missing actual scores 0 with the reason 实际值未提供: leaving it out of the total
  would hide non-performance.
- Optional, per scheme: a deduction for a positive target overshot by ≥ 30 % (目标设定偏低)
  and a cap of the total by execution rate.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jixiao.paths import SCHEMES_DIR
from jixiao.values import is_blank, plain
from jixiao.workbook.cells import compact
from jixiao.configfile import load_yaml_model
from jixiao.exceptions import ConfigError, JixiaoError
from jixiao.rounding import fmt_pct, round_half_up
from jixiao.analysis.scoring.targets import GE, LE, Target, TargetParseError, parse_target, parse_value

#: The level-1 key of the execution rate in a scheme's ``weights``.
EXECUTION = "预算执行率"
#: Canonical qualitative grades, best first.
GRADES = ("达成", "部分达成", "未达成")
#: 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60, as (grade, lower bound) best first.
DEFAULT_GRADE_BANDS: tuple[tuple[str, float], ...] = (("优", 90.0), ("良", 80.0), ("中", 60.0), ("差", 0.0))

# How a reported grade may be spelled. 未… is tried before the bare word, 部分/基本 before
# 达成, because "未达成" and "部分达成" contain "达成". A grade may be followed by the
# wording of the national self-evaluation table (达成年度指标, 部分达成预期目标并具有一定效果).
_GRADE_WORDS = (
    ("未达成", "未达成"), ("未完成", "未达成"), ("未实现", "未达成"), ("没有达成", "未达成"),
    ("没有完成", "未达成"),
    ("部分达成", "部分达成"), ("基本达成", "部分达成"), ("部分完成", "部分达成"),
    ("基本完成", "部分达成"), ("部分实现", "部分达成"), ("基本实现", "部分达成"),
    ("全部达成", "达成"), ("全部完成", "达成"), ("已达成", "达成"), ("已完成", "达成"),
    ("已实现", "达成"), ("达成", "达成"), ("完成", "达成"), ("实现", "达成"),
)
_GRADE_TAIL = re.compile(r"(?:(?:年度|预期)?(?:指标|目标)值?)?(?:[并且，,；;].*)?")
#: What people write in an actual-value cell for "no data"; read as blank.
_NO_DATA_MARKS = {"-", "—", "——", "/", "／", "未提供", "无数据"}
_REL_TOL = 1e-9


class ScoringError(JixiaoError, ValueError):
    """Input the engines cannot score: an unknown level, a bad grade, inconsistent weights."""

    exit_code = 2


# --------------------------------------------------------------------------- scheme model


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Qualitative(_Strict):
    """Bands of the points for 达成 / 部分达成 / 未达成 and where in its band a grade lands."""

    position: Literal["top", "middle", "bottom"] = "top"
    bands: dict[Literal["达成", "部分达成", "未达成"], tuple[float, float]]

    @field_validator("bands")
    @classmethod
    def _bands_ordered(cls, bands: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        missing = [g for g in GRADES if g not in bands]
        if missing:
            raise ValueError(f"缺少等级：{'、'.join(missing)}")
        for g in GRADES:
            high, low = bands[g]
            if not 0 <= low <= high <= 1:
                raise ValueError(f"{g} 的区间 [{high}, {low}] 应为 [上限, 下限]，且 1 ≥ 上限 ≥ 下限 ≥ 0")
        for better, worse in zip(GRADES, GRADES[1:]):
            if bands[worse][0] > bands[better][1]:
                raise ValueError(f"{worse} 的上限 {bands[worse][0]} 高于 {better} 的下限 {bands[better][1]}")
        return bands


class Overshoot(_Strict):
    """Deduction for a positive target overshot by at least ``excess_pct`` % (目标设定偏低)."""

    excess_pct: float = Field(30.0, gt=0)
    deduct: float = Field(gt=0, le=1, description="fraction of the indicator's points")


class CapRow(_Strict):
    """Cap the project total at ``max_total`` when ``rate_at_least ≤ 执行率 < rate_below``."""

    rate_at_least: float | None = None
    rate_below: float | None = None
    max_total: float = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _interval(self) -> CapRow:
        if self.rate_at_least is None and self.rate_below is None:
            raise ValueError("rate_at_least 与 rate_below 至少给出一个")
        if (self.rate_at_least is not None and self.rate_below is not None
                and self.rate_at_least >= self.rate_below):
            raise ValueError(f"rate_at_least（{self.rate_at_least}）应小于 rate_below（{self.rate_below}）")
        return self

    def applies(self, rate: float) -> bool:
        """Whether an execution rate (percentage points) falls in this row's interval."""
        lo = -math.inf if self.rate_at_least is None else self.rate_at_least
        hi = math.inf if self.rate_below is None else self.rate_below
        return lo <= rate < hi


class GradeBand(_Strict):
    """One grade and the lowest score that earns it."""

    grade: str = Field(min_length=1)
    min: float


class Scheme(_Strict):
    """A project self-evaluation scoring scheme (one ``schemes/*.yaml`` file).

    Treat a loaded scheme as read-only: shipped schemes are cached and shared.
    """

    name: str = Field(min_length=1)
    title: str = Field(min_length=1)
    source: str = Field(min_length=1)
    weights: dict[str, float]
    level_aliases: dict[str, str] = {}
    absent_levels: Literal["redistribute", "forfeit"] = "redistribute"
    negative_rule: Literal["ratio", "linear"]
    equal_above: Literal["negative", "full"] = "negative"
    qualitative: Qualitative
    overshoot: Overshoot | None = None
    execution_cap: tuple[CapRow, ...] = ()
    grades: tuple[GradeBand, ...] = tuple(GradeBand(grade=g, min=m) for g, m in DEFAULT_GRADE_BANDS)

    @field_validator("weights")
    @classmethod
    def _weights_sum_to_100(cls, weights: dict[str, float]) -> dict[str, float]:
        if EXECUTION not in weights:
            raise ValueError(f"缺少“{EXECUTION}”的分值")
        if len(weights) < 2:
            raise ValueError("除预算执行率外至少要有一个一级指标")
        negative = [k for k, v in weights.items() if v < 0]
        if negative:
            raise ValueError(f"分值不能为负：{'、'.join(negative)}")
        total = sum(weights.values())
        if not math.isclose(total, 100, abs_tol=1e-9):
            raise ValueError(f"一级指标分值合计应为 100，实为 {total:g}")
        return weights

    @field_validator("execution_cap")
    @classmethod
    def _caps_disjoint(cls, rows: tuple[CapRow, ...]) -> tuple[CapRow, ...]:
        spans = sorted(
            (-math.inf if r.rate_at_least is None else r.rate_at_least,
             math.inf if r.rate_below is None else r.rate_below) for r in rows
        )
        for (_, hi), (lo, _) in zip(spans, spans[1:]):
            if lo < hi:
                raise ValueError("执行率区间相互重叠")
        return rows

    @field_validator("grades")
    @classmethod
    def _grades_descending(cls, bands: tuple[GradeBand, ...]) -> tuple[GradeBand, ...]:
        if not bands:
            raise ValueError("至少要有一个等级")
        mins = [b.min for b in bands]
        if any(a <= b for a, b in zip(mins, mins[1:])):
            raise ValueError("等级应按下限从高到低排列，下限互不相同")
        names = [b.grade for b in bands]
        if len(set(names)) != len(names):
            raise ValueError("等级名称重复")
        return bands

    @model_validator(mode="after")
    def _aliases_point_to_levels(self) -> Scheme:
        for alias, level in self.level_aliases.items():
            if level not in self.levels:
                raise ValueError(f"level_aliases.{alias}：指向的一级指标“{level}”不在 weights 中")
            if alias in self.weights:
                raise ValueError(f"level_aliases.{alias}：已是 weights 中的一级指标，不能再作别名")
        return self

    @property
    def execution_points(self) -> float:
        """Points for the execution rate."""
        return self.weights[EXECUTION]

    @property
    def levels(self) -> dict[str, float]:
        """Level-1 indicator groups and their points, without the execution rate."""
        return {k: v for k, v in self.weights.items() if k != EXECUTION}

    @property
    def grade_bands(self) -> tuple[tuple[str, float], ...]:
        """Grade bands as ``(grade, lower bound)`` pairs, best first (for :func:`grade`)."""
        return tuple((b.grade, b.min) for b in self.grades)

    def level_of(self, level1: str) -> str:
        """The scheme level an indicator's 一级指标 belongs to.

        Raises
        ------
        ScoringError
            When the name is neither a level nor an alias of one.
        """
        name = str(level1).strip()
        if name in self.levels:
            return name
        if name in self.level_aliases:
            return self.level_aliases[name]
        known = "、".join([*self.levels, *self.level_aliases])
        raise ScoringError(f"一级指标“{level1}”不在评分方案“{self.name}”中（可用：{known}）")


def available_schemes() -> list[str]:
    """Names of the shipped schemes (``national``, ``regional`` …)."""
    return sorted(p.stem for p in SCHEMES_DIR.glob("*.yaml"))


def load_scheme(name_or_path: str | os.PathLike | Scheme) -> Scheme:
    """Load a scheme by shipped name or from a YAML file.

    Parameters
    ----------
    name_or_path : str, path or Scheme
        ``"national"`` / ``"regional"`` (see :func:`available_schemes`), a path to a YAML
        file, or an already loaded :class:`Scheme` (returned as is).

    Returns
    -------
    Scheme

    Raises
    ------
    ConfigError
        File missing or unreadable, not YAML, or invalid; the Chinese message names the
        file and every offending field (``weights``, ``qualitative.bands`` …).
    """
    if isinstance(name_or_path, Scheme):
        return name_or_path
    text = os.fspath(name_or_path)
    if isinstance(name_or_path, str) and re.fullmatch(r"[\w-]+", text):
        path = SCHEMES_DIR / f"{text}.yaml"
        if not path.is_file():
            raise ConfigError(f"没有名为“{text}”的评分方案（可用：{'、'.join(available_schemes())}），"
                              "或请给出方案文件路径")
    else:
        path = Path(text)
    return load_yaml_model(path, Scheme, "评分方案文件", "name、title、weights …", shown=text)


# --------------------------------------------------------------------------- indicators


@dataclass(frozen=True)
class IndicatorScore:
    """The score of one indicator (or of the execution rate).

    Attributes
    ----------
    score : float or None
        Full precision, in [0, points]; ``None`` only when it cannot be computed
        (execution rate without a budget).
    points : float
        The indicator's points (分值).
    rule : str
        Short Chinese name of the rule applied.
    lost_reason : str
        Why points were lost, in Chinese; ``""`` when none were.
    rate : float or None
        Execution rate or completion rate (实际 ÷ 目标) in percentage points; ``None`` when
        it has no meaning (qualitative, target 0, missing figure).
    grade : str or None
        The canonical qualitative grade (达成 / 部分达成 / 未达成), for 定性 indicators.
    deduction : float
        Points taken off by the overshoot rule (already subtracted from ``score``).
    """

    score: float | None
    points: float
    rule: str
    lost_reason: str = ""
    rate: float | None = None
    grade: str | None = None
    deduction: float = 0.0

    @property
    def lost(self) -> float | None:
        """Points lost (分值 − 得分)."""
        return None if self.score is None else self.points - self.score


def score_execution(
    budget: float | None,
    spent: float | None,
    points: float | None = None,
    scheme: Scheme | str = "national",
) -> IndicatorScore:
    """Score the budget execution rate (预算执行率).

    Parameters
    ----------
    budget : float or None
        全年预算数 (adjusted budget including carry-over), 万元.
    spent : float or None
        全年执行数, 万元.
    points : float, optional
        The execution rate's points; the scheme's ``weights.预算执行率`` when omitted.
    scheme : Scheme or str
        Scheme or scheme name/path.

    Returns
    -------
    IndicatorScore
        score = points × spent ÷ budget, at most the points (rates above 100 % occur);
        ``None`` with reason 预算数未提供 when the budget is missing or 0.
    """
    scheme = load_scheme(scheme)
    pts = scheme.execution_points if points is None else float(points)
    rule = "预算执行率：得分=分值×执行率，最高为分值"
    if _blank(budget) or float(budget) == 0:
        return IndicatorScore(None, pts, rule, "预算数未提供")
    budget = float(budget)
    if budget < 0:
        raise ScoringError(f"预算数不能为负：{budget}")
    if _blank(spent):
        return IndicatorScore(0.0, pts, rule, "执行数未提供")
    ratio = float(spent) / budget
    score = pts * _unit_interval(ratio)
    reason = "" if score >= pts else f"预算执行率{fmt_pct(ratio * 100)}，未达100%"
    return IndicatorScore(score, pts, rule, reason, rate=ratio * 100)


def score_indicator(
    target: Target | str | float,
    actual: Any,
    points: float,
    scheme: Scheme | str = "national",
    direction: str | None = None,
) -> IndicatorScore:
    """Score one performance indicator.

    Parameters
    ----------
    target : Target, str or number
        The target; text and numbers go through :func:`jixiao.analysis.scoring.targets.parse_target`.
    actual : number, str or None
        实际完成值: a number (``4``, ``"4次"``, ``"95%"``) for a quantitative target, a
        grade (``达成``, ``部分达成``, ``未达成`` or an alias) for a qualitative one;
        ``None`` / blank when not provided.
    points : float
        The indicator's points.
    scheme : Scheme or str
        Scheme or scheme name/path.
    direction : str, optional
        指标方向, used when ``target`` is text without a comparator.

    Returns
    -------
    IndicatorScore

    Raises
    ------
    TargetParseError
        The target cannot be read.
    ScoringError
        A negative target, an actual that does not fit the target (a grade for a number,
        a number for a grade, different units).
    """
    scheme = load_scheme(scheme)
    t = target if isinstance(target, Target) else parse_target(target, direction)
    pts = float(points)
    if pts < 0:
        raise ScoringError(f"分值不能为负：{pts}")

    if t.is_qualitative:
        return _score_qualitative(t, actual, pts, scheme)

    rule = _rule_name(t.comparator, scheme)
    if _blank(actual):
        return IndicatorScore(0.0, pts, rule, "实际值未提供")
    a = _actual_number(actual, t)
    tv = float(t.value)
    if tv < 0:
        raise ScoringError(f"目标值“{t.text}”为负数，比例计分规则不适用")
    rate = a / tv * 100 if tv else None

    miss = ""
    if t.comparator == GE:
        fraction, miss = _positive(a, tv), "未达目标"
    elif t.comparator == LE:
        fraction, miss = _negative(a, tv, scheme.negative_rule), "超出目标"
    elif _equal(a, tv):
        fraction = 1.0
    elif a < tv:
        fraction, miss = _positive(a, tv), "低于目标"
    elif scheme.equal_above == "full":
        fraction = 1.0
    else:
        fraction, miss = _negative(a, tv, scheme.negative_rule), "高于目标"
    reason = "" if fraction >= 1 else f"{miss}：实际{_plain(a)}{t.unit}，目标{t.text}"

    score = pts * _unit_interval(fraction)
    deduction = 0.0
    # the tolerance lets 3.9 against 3 count as 30 % over, as written, despite binary floats
    if (scheme.overshoot is not None and t.comparator == GE and tv > 0
            and (a - tv) / tv * 100 >= scheme.overshoot.excess_pct * (1 - _REL_TOL)):
        deduction = min(score, pts * scheme.overshoot.deduct)
        score -= deduction
        reason = f"目标设定偏低（超额≥{_plain(scheme.overshoot.excess_pct)}%）"
    return IndicatorScore(score, pts, rule, reason, rate=rate, deduction=deduction)


def _rule_name(comparator: str, scheme: Scheme) -> str:
    neg = {"ratio": "分值×目标/实际", "linear": "分值×max(0,1−(实际−目标)/目标)"}[scheme.negative_rule]
    if comparator == GE:
        return "正向指标：得分=分值×min(实际/目标,1)"
    if comparator == LE:
        return f"反向指标：超出目标时得分={neg}"
    if scheme.equal_above == "full":
        return "等值指标：不低于目标得满分，低于时得分=分值×实际/目标"
    return f"等值指标：等于目标得满分，低于时得分=分值×实际/目标，高于时得分={neg}"


def _positive(actual: float, target: float) -> float:
    if target == 0:
        return 1.0 if actual >= 0 else 0.0  # nothing was asked; only a negative result misses
    return min(actual / target, 1.0)


def _negative(actual: float, target: float, variant: str) -> float:
    if actual <= target:
        return 1.0
    if target == 0:
        return 0.0  # "0 起" targets: any excess is a full miss under both variants
    if variant == "ratio":
        return target / actual
    return max(0.0, 1.0 - (actual - target) / target)


def _equal(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=_REL_TOL, abs_tol=1e-12)


def _score_qualitative(t: Target, actual: Any, pts: float, scheme: Scheme) -> IndicatorScore:
    q = scheme.qualitative
    pos = {"top": "上限", "middle": "中点", "bottom": "下限"}[q.position]
    rule = f"定性指标：达成/部分达成/未达成按区间{pos}取分"
    if _blank(actual):
        return IndicatorScore(0.0, pts, rule, "实际值未提供")
    g = canonical_grade(actual)
    high, low = q.bands[g]
    share = {"top": high, "middle": (high + low) / 2, "bottom": low}[q.position]
    score = pts * share
    band = f"{_plain(high * 100)}%–{_plain(low * 100)}%"
    reason = "" if score >= pts else f"{g}（区间{band}，取{pos}）"
    return IndicatorScore(score, pts, f"{rule}（{g}：{band}）", reason, grade=g)


def canonical_grade(actual: Any) -> str:
    """Map a reported qualitative result to 达成 / 部分达成 / 未达成.

    Parameters
    ----------
    actual : str
        ``达成``, ``完成``, ``基本达成``, ``未完成``, ``达成预期指标``,
        ``部分达成年度指标并具有一定效果`` …

    Returns
    -------
    str

    Raises
    ------
    ScoringError
        For anything else (a number, ``较好`` …): the grade must be stated, not guessed.
    """
    s = compact(actual)
    for word, grade_ in _GRADE_WORDS:
        if s.startswith(word) and _GRADE_TAIL.fullmatch(s[len(word):]):
            return grade_
    raise ScoringError(f"定性指标的实际值“{actual}”应为 达成、部分达成 或 未达成（或 完成、基本达成、未完成 等）")


def _actual_number(actual: Any, t: Target) -> float:
    try:
        value, unit = parse_value(actual)
    except TargetParseError:
        raise ScoringError(f"目标值为“{t.text}”，实际值“{actual}”应为数字") from None
    if unit and t.unit and unit != t.unit:
        raise ScoringError(f"实际值“{actual}”的单位与目标值“{t.text}”的单位不一致")
    return value


def _blank(x: Any) -> bool:
    """No value: a blank cell, or a mark people write for "no data" (—, /, 无数据)."""
    return is_blank(x) or (isinstance(x, str) and x.strip() in _NO_DATA_MARKS)


def _unit_interval(fraction: float) -> float:
    # Clamp the fraction, not the score: a tiny target makes actual ÷ target ±inf, and
    # 0 points × inf would be NaN.
    return min(max(fraction, 0.0), 1.0)


def _plain(x: float) -> str:
    """A figure as people write it: 4, 85.5, 0.3333 (up to four decimals, no trailing zeros)."""
    return plain(x, 4)


# --------------------------------------------------------------------------- projects


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
        rows = [{
            "一级指标": EXECUTION, "二级指标": "", "指标名称": EXECUTION, "目标值": "100%",
            "实际值": fmt_pct(ex.rate), "分值": ex.points, "得分": ex.score,
            "评分规则": ex.rule, "扣分原因": ex.lost_reason,
        }]
        for ind in self.indicators:
            r = ind.result
            rows.append({
                "一级指标": ind.level1, "二级指标": ind.level2, "指标名称": ind.name,
                "目标值": ind.target.text, "实际值": ind.actual, "分值": r.points, "得分": r.score,
                "评分规则": r.rule, "扣分原因": r.lost_reason,
            })
        frame = pd.DataFrame(rows, columns=["一级指标", "二级指标", "指标名称", "目标值", "实际值",
                                            "分值", "得分", "评分规则", "扣分原因"])
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
            if row.applies(ex.rate):
                cap = row.max_total
                if total > cap:
                    capped = cap
                    notes.append(f"预算执行率{fmt_pct(ex.rate)}，总分封顶{_plain(cap)}分")
                break
    return ProjectScore(
        scheme=scheme, execution=ex, indicators=tuple(scored), level_points=level_points,
        level_scores=level_scores, indicator_total=indicator_total, total=total,
        capped_total=capped, cap=cap, grade=grade(capped, scheme.grade_bands), notes=tuple(notes),
    )


def _records(indicators: Any) -> list[Any]:
    if hasattr(indicators, "to_dict") and hasattr(indicators, "columns"):  # a DataFrame
        return indicators.to_dict("records")
    return list(indicators)


def _target_text(t: Target, unit: str) -> str:
    """How a numeric target prints: ``≥4次``, ``=17人``, ``≤10%`` (no trailing ``.0``)."""
    return f"{t.comparator}{_plain(t.value)}{unit}"


def _row(r: Any) -> dict[str, Any]:
    def get(key: str) -> Any:
        value = r.get(key) if isinstance(r, Mapping) else getattr(r, key, None)
        return None if _blank(value) else value

    if get("level1") is None:
        raise ScoringError(f"指标“{get('name') or ''}”缺少一级指标")
    return {
        "level1": str(get("level1")).strip(), "level2": str(get("level2") or ""),
        "name": str(get("name") or ""), "direction": get("direction"), "target": get("target"),
        "actual": r.get("actual") if isinstance(r, Mapping) else getattr(r, "actual", None),
        "weight": get("weight"), "unit": str(get("unit") or ""),
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
        notes.append(f"{names}无指标，其{_plain(pool)}分按比例分配至" + "、".join(present))
    else:
        notes.append(f"{names}无指标，其{_plain(pool)}分不得分")
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


# --------------------------------------------------------------------------- grades & assessment


def grade(
    score: float | None,
    bands: Sequence[tuple[str, float]] | Mapping[str, float] | Scheme | None = None,
    digits: int | None = 2,
) -> str | None:
    """The grade (优 / 良 / 中 / 差) of a score.

    Parameters
    ----------
    score : float or None
    bands : sequence of (grade, lower bound), mapping, Scheme or None
        Best first; the default is 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below.
        A score below every bound gets the last grade.
    digits : int or None
        The score is graded as printed, rounded half up to ``digits`` decimals, so that a
        report never shows "90.00 良" (89.996 is printed 90.00 and graded 优). ``None``
        grades the full-precision value.

    Returns
    -------
    str or None
        ``None`` for a ``None`` score.
    """
    if score is None:
        return None
    if bands is None:
        bands = DEFAULT_GRADE_BANDS
    elif isinstance(bands, Scheme):
        bands = bands.grade_bands
    elif isinstance(bands, Mapping):
        bands = tuple(bands.items())
    value = score if digits is None else round_half_up(score, digits)
    for name, low in bands:
        if value >= low:
            return name
    return bands[-1][0]


@dataclass(frozen=True)
class Category:
    """One category of the management-assessment rubric (考核类别)."""

    name: str
    score: float
    bonus: float = 0.0
    deduction: float = 0.0


@dataclass(frozen=True)
class AssessmentScore:
    """Result of :func:`score_assessment`.

    Attributes
    ----------
    categories : tuple of Category
    applicable_max : float
        Points applicable to this kind of unit.
    raw_total : float
        Sum of the category scores.
    bonus, deduction : float
        Sums of the categories' bonus and deduction points.
    total : float
        raw_total + bonus − deduction.
    converted : float
        换算得分 = total ÷ applicable_max × 100 (full precision).
    grade : str
        Grade of the converted score.
    """

    categories: tuple[Category, ...]
    applicable_max: float
    raw_total: float
    bonus: float
    deduction: float
    total: float
    converted: float
    grade: str


def converted_score(total: float, applicable_max: float) -> float:
    """换算得分 = total ÷ applicable_max × 100.

    Parameters
    ----------
    total : float
        The raw (or stated) total.
    applicable_max : float
        Points applicable to this kind of unit (92 reproduces the seed's 91 → 98.91).

    Returns
    -------
    float
        Full precision; not capped at 100 (a bonus may exceed it, which the report shows).
    """
    if not applicable_max or applicable_max <= 0:
        raise ScoringError(f"适用满分应为正数：{applicable_max}")
    return total / applicable_max * 100


def score_assessment(
    categories: Iterable[Category | Sequence[Any] | Mapping[str, Any]],
    applicable_max: float,
    bands: Sequence[tuple[str, float]] | Mapping[str, float] | Scheme | None = None,
) -> AssessmentScore:
    """Score the management-assessment rubric (部门绩效考核).

    Parameters
    ----------
    categories : iterable
        ``(name, score[, bonus[, deduction]])`` tuples, mappings with those keys, or
        :class:`Category`. Bonus and deduction are points (≥ 0) added / taken off.
    applicable_max : float
        Points applicable to this kind of unit.
    bands : optional
        Grade bands, see :func:`grade`.

    Returns
    -------
    AssessmentScore

    Examples
    --------
    >>> r = score_assessment([("重大政策落实", 11), ("预算编制管理", 12), ("预算执行管理", 23),
    ...     ("预算绩效管理", 21.5), ("资产管理", 4.5), ("预算透明度", 7), ("预算信息化", 10),
    ...     ("存在问题扣分", 0)], applicable_max=92)
    >>> r.raw_total, round_half_up(r.converted), r.grade
    (89.0, 96.74, '优')
    """
    cats = tuple(_category(c) for c in categories)
    for c in cats:
        if c.bonus < 0 or c.deduction < 0:
            raise ScoringError(f"考核类别“{c.name}”的加分、扣分应填正数（扣分以正数表示扣掉的分）")
    raw = sum(c.score for c in cats)
    bonus = sum(c.bonus for c in cats)
    deduction = sum(c.deduction for c in cats)
    total = raw + bonus - deduction
    conv = converted_score(total, applicable_max)
    return AssessmentScore(cats, float(applicable_max), float(raw), float(bonus), float(deduction),
                           float(total), conv, grade(conv, bands))


def _category(c: Any) -> Category:
    if isinstance(c, Category):
        return c
    if isinstance(c, Mapping):
        return Category(str(c["name"]), float(c["score"]), float(c.get("bonus") or 0),
                        float(c.get("deduction") or 0))
    name, score, *rest = c
    if len(rest) > 2:
        raise ScoringError(f"考核类别应为 (名称, 得分, 加分, 扣分)：{c}")
    extra = [float(x or 0) for x in rest] + [0.0] * (2 - len(rest))
    return Category(str(name), float(score), extra[0], extra[1])
