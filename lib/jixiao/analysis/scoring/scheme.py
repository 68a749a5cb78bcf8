"""Scoring schemes: the model of ``schemes/*.yaml``, loading them, and grade bands.

A *scheme* holds every weight, band and variant the engines use (:class:`Scheme`,
validated field by field so that a bad file is reported in Chinese with the offending
field); :func:`load_scheme` reads a shipped scheme by name or any scheme file by path.
The grade of a score (优 / 良 / 中 / 差) follows a scheme's grade bands or the default
ones (:func:`grade`).

:class:`ScoringError`, raised for input the engines cannot score, lives here because the
scheme is the first thing every engine consults (an unknown 一级指标 is a scheme error).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal, overload

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jixiao.configfile import load_yaml_model
from jixiao.exceptions import ConfigError, JixiaoError
from jixiao.paths import SCHEMES_DIR
from jixiao.rounding import round_half_up

#: The level-1 key of the execution rate in a scheme's ``weights``.
EXECUTION = "预算执行率"
#: Canonical qualitative grades, best first.
GRADES = ("达成", "部分达成", "未达成")
#: The type of a canonical qualitative grade (one of :data:`GRADES`).
QualitativeGrade = Literal["达成", "部分达成", "未达成"]
#: 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60, as (grade, lower bound) best first.
DEFAULT_GRADE_BANDS: tuple[tuple[str, float], ...] = (("优", 90.0), ("良", 80.0), ("中", 60.0), ("差", 0.0))


class ScoringError(JixiaoError, ValueError):
    """Input the engines cannot score: an unknown level, a bad grade, inconsistent weights."""

    exit_code = 2


# --------------------------------------------------------------------------- scheme model


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Qualitative(_Strict):
    """Bands of the points for 达成 / 部分达成 / 未达成 and where in its band a grade lands."""

    position: Literal["top", "middle", "bottom"] = "top"
    bands: dict[QualitativeGrade, tuple[float, float]]

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
        if self.rate_at_least is not None and self.rate_below is not None and self.rate_at_least >= self.rate_below:
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
            (
                -math.inf if r.rate_at_least is None else r.rate_at_least,
                math.inf if r.rate_below is None else r.rate_below,
            )
            for r in rows
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
            raise ConfigError(
                f"没有名为“{text}”的评分方案（可用：{'、'.join(available_schemes())}），或请给出方案文件路径"
            )
    else:
        path = Path(text)
    return load_yaml_model(path, Scheme, "评分方案文件", "name、title、weights …", shown=text)


# --------------------------------------------------------------------------- grades


@overload
def grade(
    score: float,
    bands: Sequence[tuple[str, float]] | Mapping[str, float] | Scheme | None = None,
    digits: int | None = 2,
) -> str: ...
@overload
def grade(
    score: None,
    bands: Sequence[tuple[str, float]] | Mapping[str, float] | Scheme | None = None,
    digits: int | None = 2,
) -> None: ...
@overload
def grade(
    score: float | None,
    bands: Sequence[tuple[str, float]] | Mapping[str, float] | Scheme | None = None,
    digits: int | None = 2,
) -> str | None: ...
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
