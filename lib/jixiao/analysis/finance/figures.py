"""Blank-aware arithmetic of derived figures: shares, changes, totals, year on year.

A blank (``None``, ``NaN``, ``pd.NA``) is "not provided": it is never read as 0, and a
figure that needs it is ``None`` ("not computable"). Results are full precision;
percentages are percentage points (48.14 means 48.14 %). Result frames (:func:`frame`)
have object dtype so that a blank stays ``None`` there too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from jixiao.values import num


def pct(part: Any, whole: Any) -> float | None:
    """``part ÷ whole × 100`` in percentage points; ``None`` if either is blank or whole is 0."""
    p, w = num(part), num(whole)
    if p is None or w is None or w == 0:
        return None
    return p / w * 100


def change_rate(current: Any, previous: Any) -> float | None:
    """``(current − previous) ÷ previous × 100``; ``None`` when not computable."""
    c, p = num(current), num(previous)
    if c is None or p is None or p == 0:
        return None
    return (c - p) / p * 100


def total_of(values) -> float | None:
    """Sum of the non-blank values; ``None`` when all are blank (not 0: nothing was given)."""
    xs = [x for x in (num(v) for v in values) if x is not None]
    return sum(xs) if xs else None


def frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """A result DataFrame of ``rows`` with ``columns``, in object dtype.

    Returns
    -------
    DataFrame
        Object dtype, so a not-computable figure stays ``None`` (never NaN).
    """
    # Object dtype keeps None as None: a float column would turn it into NaN, which
    # rounding.fmt prints as "nan" instead of 未提供.
    return pd.DataFrame(rows, columns=columns, dtype=object)


@dataclass
class YearOnYear:
    """One figure this year against last year.

    Attributes
    ----------
    label : str
    previous, current : float or None
    change : float or None
        current − previous.
    change_rate : float or None
        change ÷ previous × 100.
    change_stated : float or None
        The change (amount or rate, see the function) the report states.
    previous_derived : bool
        True when ``previous`` is not stated but derived (e.g. 净资产 = 资产 − 负债).
    current_derived : bool
        Same for ``current``.
    """

    label: str
    previous: float | None
    current: float | None
    change: float | None
    change_rate: float | None
    change_stated: float | None = None
    previous_derived: bool = False
    current_derived: bool = False


def year_on_year(label, previous, current, stated=None, previous_derived=False, current_derived=False) -> YearOnYear:
    """A :class:`YearOnYear` of ``previous`` and ``current`` (cell values, blanks allowed).

    Parameters
    ----------
    label : str
    previous, current : cell values
        Last year's and this year's figure.
    stated : cell value, optional
        The change the report states (``change_stated``).
    previous_derived, current_derived : bool
        Whether the figure was derived rather than stated.

    Returns
    -------
    YearOnYear
        ``change`` and ``change_rate`` None when either figure is blank (or previous is 0
        for the rate).
    """
    p, c = num(previous), num(current)
    return YearOnYear(
        label,
        p,
        c,
        None if p is None or c is None else c - p,
        change_rate(c, p),
        num(stated),
        previous_derived,
        current_derived,
    )
