"""Presentation rounding and tolerances.

Chinese government reports round half up (98.913 → 98.91, 0.125 → 0.13), not to even.
Computations keep full precision; only what is printed is rounded, through these helpers.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import overload

#: Half of the last printed digit: a figure printed to two decimals may be off by this much.
HALF_CENT = 0.005


@overload
def round_half_up(value: float | int, digits: int = 2) -> float: ...
@overload
def round_half_up(value: None, digits: int = 2) -> None: ...
@overload
def round_half_up(value: float | int | None, digits: int = 2) -> float | None: ...
def round_half_up(value: float | int | None, digits: int = 2) -> float | None:
    """Round half away from zero, as Chinese reports do.

    Parameters
    ----------
    value : float, int or None
        The value; ``None`` (a blank) passes through.
    digits : int
        Decimal places to keep.

    Returns
    -------
    float or None

    Examples
    --------
    >>> round_half_up(98.913)
    98.91
    >>> round_half_up(0.125)
    0.13
    >>> round_half_up(2.675)  # binary 2.67499999… still rounds as written
    2.68
    """
    if value is None:
        return None
    # repr() gives the shortest decimal that round-trips, i.e. the number as written,
    # so 2.675 is treated as 2.675 and not as its binary neighbour 2.67499999….
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def fmt(value: float | int | None, digits: int = 2, blank: str = "未提供") -> str:
    """Format a number for print: half-up rounding, fixed decimals, ``blank`` for None."""
    if value is None:
        return blank
    return f"{round_half_up(value, digits):.{digits}f}"


def fmt_pct(value: float | None, digits: int = 2, blank: str = "未提供") -> str:
    """Format percentage points (97.47) as ``97.47%``."""
    return blank if value is None else fmt(value, digits) + "%"


def sum_tolerance(n_terms: int, digits: int = 2) -> float:
    """Largest gap between a stated total and the sum of ``n_terms`` rounded parts.

    Each part printed to ``digits`` decimals may be off by half a unit of the last digit,
    and so may the stated total itself: ``(n_terms + 1) × 0.5 × 10**-digits``.
    """
    return (n_terms + 1) * 0.5 * 10 ** (-digits)


def ratio_interval(num: float, den: float, digits: int = 2) -> tuple[float, float]:
    """Interval of ``num / den`` when both were rounded to ``digits`` decimals.

    Returns
    -------
    (low, high) : tuple of float
        The smallest and largest ratio the unrounded inputs could have had.
    """
    h = 0.5 * 10 ** (-digits)
    lo_den, hi_den = den - h, den + h
    if lo_den <= 0:
        return (float("-inf"), float("inf"))
    cands = [(num - h) / lo_den, (num - h) / hi_den, (num + h) / lo_den, (num + h) / hi_den]
    return (min(cands), max(cands))
