"""A stated figure against one recomputed from its parts, within rounding.

The checks compare what the report states with what its own printed figures give:
a total with the sum of its parts (:func:`compare_sum`), a count with the rows it counts
(:func:`compare_count`), a percentage with the ratio of its inputs (:func:`compare_pct`).
Each returns one :class:`~jixiao.analysis.checks.registry.Finding` whose severity says
whether the two agree as printed (``pass``), differ by no more than rounding explains
(``info``), or differ beyond it (``error`` by default).

Tolerances come from rounding (:mod:`jixiao.rounding`), never from a constant: a stated
total against *n* parts printed to 0.01 may differ by :func:`~jixiao.rounding.sum_tolerance`
(n); a stated percentage against one recomputed from printed inputs may lie anywhere in
the interval of :func:`~jixiao.rounding.ratio_interval` (:func:`_pct_bounds`), widened
by the stated figure's own ±0.005 percentage points.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable
from typing import Any

from jixiao.analysis.checks.registry import (
    _EPS,
    NOT_PROVIDED,
    WITHIN_ROUNDING,
    Finding,
    _finding,
    _money,
    _not_provided,
    _plain,
    _tol,
)
from jixiao.rounding import HALF_CENT, fmt, fmt_pct, ratio_interval, round_half_up, sum_tolerance
from jixiao.values import num


def compare_sum(
    what: str,
    stated: float | None,
    parts: Iterable[Any],
    cells: Iterable[str | None],
    *,
    digits: int = 2,
    show: Callable[[float | None], str] = _money,
    severity: str = "error",
    exact: bool = False,
    note: str = "",
) -> Finding:
    """A stated total against the sum of its parts.

    Blank parts are left out (and counted in the message). The tolerance is
    :func:`~jixiao.rounding.sum_tolerance` of the number of parts, or 0 with ``exact``
    (counts, and scores that are not rounded figures).
    """
    values = [num(p) for p in parts]
    blanks = sum(v is None for v in values)
    given = [v for v in values if v is not None]
    cells = list(cells)
    if stated is None:
        return _not_provided(f"{what}：所述合计", cells)
    if not given:
        return _not_provided(f"{what}：明细", cells, stated=stated)
    computed = sum(given)
    tol = 0.0 if exact else sum_tolerance(len(given), digits)
    diff = stated - computed
    extra = f"（另有{blanks}项未填，按{NOT_PROVIDED}处理）" if blanks else ""
    head = f"{what}：明细合计{show(computed)}{extra}，所述{show(stated)}"
    if round_half_up(computed, digits) == round_half_up(stated, digits):
        return _finding(
            "pass",
            f"{head}，一致。{note}",
            stated=stated,
            computed=computed,
            difference=diff,
            tolerance=tol,
            cells=cells,
        )
    if abs(diff) <= tol + _EPS:
        return _finding(
            "info",
            f"{head}，相差{fmt(diff, digits)}，{WITHIN_ROUNDING}（±{_tol(tol)}）。{note}",
            stated=stated,
            computed=computed,
            difference=diff,
            tolerance=tol,
            cells=cells,
        )
    if blanks and diff > 0 and all(v >= 0 for v in given):
        # The parts not filled in may hold the difference: not provided, not wrong.
        return _finding(
            "info",
            f"{head}，差额{show(diff) if show is _money else _plain(diff)}可能在{NOT_PROVIDED}的"
            f"{blanks}项明细中，无法校验。{note}",
            stated=stated,
            computed=computed,
            difference=diff,
            tolerance=tol,
            cells=cells,
        )
    return _finding(
        severity,
        f"{head}，相差{show(diff) if show is _money else _plain(diff)}，超出舍入误差（±{_tol(tol)}）。{note}",
        stated=stated,
        computed=computed,
        difference=diff,
        tolerance=tol,
        cells=cells,
    )


def compare_count(
    what: str,
    stated: Any,
    computed: Any,
    cells: Iterable[str | None],
    *,
    severity: str = "error",
    note: str = "",
    unit: str = "个",
) -> Finding:
    """Two counts that must be equal (no rounding)."""
    s, c = num(stated), num(computed)
    cells = list(cells)
    if s is None or c is None:
        return _not_provided(what, cells, stated=s)
    if s == c:
        return _finding(
            "pass",
            f"{what}：所述{_plain(s)}{unit}，计算{_plain(c)}{unit}，一致。{note}",
            stated=s,
            computed=c,
            difference=0,
            tolerance=0,
            cells=cells,
        )
    return _finding(
        severity,
        f"{what}：所述{_plain(s)}{unit}，计算{_plain(c)}{unit}，相差{_plain(s - c)}{unit}。{note}",
        stated=s,
        computed=c,
        difference=s - c,
        tolerance=0,
        cells=cells,
    )


def _ratio_bounds(
    numerator: float, denominator: float, num_half: float = HALF_CENT, den_half: float = HALF_CENT
) -> tuple[float, float]:
    """Interval of numerator ÷ denominator when each may be off by its half-unit.

    With one printed figure on each side this is :func:`~jixiao.rounding.ratio_interval`;
    a side that is a sum or difference of *k* printed figures may be off by k × 0.005,
    and the ratio is monotone in each side, so its corners bound it.
    """
    if num_half == HALF_CENT and den_half == HALF_CENT:
        return ratio_interval(numerator, denominator)
    if denominator - den_half <= 0:
        return (-math.inf, math.inf)
    corners = [
        (numerator + a) / (denominator + b) for a, b in itertools.product((-num_half, num_half), (-den_half, den_half))
    ]
    return (min(corners), max(corners))


def compare_pct(
    what: str,
    stated: float | None,
    computed: float | None,
    bounds: tuple[float, float] | None,
    cells: Iterable[str | None],
    *,
    formula: str = "",
    severity: str = "error",
    note: str = "",
) -> Finding:
    """A stated percentage against one recomputed from printed inputs.

    ``bounds`` is the interval (percentage points) the recomputed figure could have had
    with the unrounded inputs; it is widened by the stated figure's own ±0.005.
    """
    cells = list(cells)
    if stated is None:
        return _not_provided(f"{what}：所述比率", cells)
    if computed is None or bounds is None:
        return _not_provided(f"{what}：计算所需数据", cells, stated=stated)
    lo, hi = bounds[0] - HALF_CENT, bounds[1] + HALF_CENT
    diff = stated - computed
    tol = max(hi - computed, computed - lo)
    head = f"{what}：{formula + ' = ' if formula else '计算'}{fmt_pct(computed)}，所述{fmt_pct(stated)}"
    if round_half_up(computed, 2) == round_half_up(stated, 2):
        return _finding(
            "pass",
            f"{head}，一致。{note}",
            stated=stated,
            computed=computed,
            difference=diff,
            tolerance=tol,
            cells=cells,
        )
    span = f"输入按两位小数舍入时可能为{fmt_pct(lo)}～{fmt_pct(hi)}" if math.isfinite(tol) else "分母舍入后可能为0"
    if lo - _EPS <= stated <= hi + _EPS:
        return _finding(
            "info",
            f"{head}，相差{fmt(diff)}个百分点，{WITHIN_ROUNDING}（{span}）。{note}",
            stated=stated,
            computed=computed,
            difference=diff,
            tolerance=tol,
            cells=cells,
        )
    return _finding(
        severity,
        f"{head}，相差{fmt(diff)}个百分点，超出舍入误差（{span}）。{note}",
        stated=stated,
        computed=computed,
        difference=diff,
        tolerance=tol,
        cells=cells,
    )


def _pct_bounds(numerator, denominator, num_half=HALF_CENT, den_half=HALF_CENT, offset=0.0):
    lo, hi = _ratio_bounds(numerator, denominator, num_half, den_half)
    return ((lo - offset) * 100, (hi - offset) * 100)
