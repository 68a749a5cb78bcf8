"""The management-assessment rubric (部门绩效考核): category scores, 换算得分 and grade.

A unit states a score per 考核类别 (plus any bonus or deduction points); the rubric's
full marks depend on the kind of unit (``applicable_max``), so the total is converted to
a score out of 100 (:func:`converted_score`) before it is graded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jixiao.analysis.scoring.scheme import Scheme, ScoringError, grade


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
    >>> from jixiao.rounding import round_half_up
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
    return AssessmentScore(
        cats, float(applicable_max), float(raw), float(bonus), float(deduction), float(total), conv, grade(conv, bands)
    )


def _category(c: Any) -> Category:
    if isinstance(c, Category):
        return c
    if isinstance(c, Mapping):
        return Category(str(c["name"]), float(c["score"]), float(c.get("bonus") or 0), float(c.get("deduction") or 0))
    name, score, *rest = c
    if len(rest) > 2:
        raise ScoringError(f"考核类别应为 (名称, 得分, 加分, 扣分)：{c}")
    extra = [float(x or 0) for x in rest] + [0.0] * (2 - len(rest))
    return Category(str(name), float(score), extra[0], extra[1])
