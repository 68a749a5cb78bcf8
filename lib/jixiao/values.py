"""What a value is: blank, a number, text. One definition for the whole package.

A blank is never 0: the format's rule is that 0 means "truly zero" and an empty cell
means "not stated". Every module asks these functions, so the rule is the same for the
loader, the analysis, the scoring and the report.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from jixiao.rounding import fmt


def is_blank(value: Any) -> bool:
    """True for ``None``, ``NaN``, ``pd.NA``/``NaT`` and empty or white-space text.

    Examples
    --------
    >>> [is_blank(v) for v in (None, float("nan"), pd.NA, "  ", 0, "0")]
    [True, True, True, True, False, False]
    """
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and other containers are not blanks
        return False


def num(value: Any) -> float | None:
    """A value as float, or ``None`` when blank or not a number (a bool is not a number).

    Examples
    --------
    >>> num(3), num("2.5"), num(None), num(""), num("abc"), num(True)
    (3.0, 2.5, None, None, None, None)
    """
    if is_blank(value) or isinstance(value, bool):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def text(value: Any) -> str | None:
    """A text value as ``str``, or ``None`` when blank (pandas stores blanks as NaN)."""
    return None if is_blank(value) else str(value)


def plain(value: Any, digits: int = 2, blank: str = "") -> str:
    """A number as people write it: rounded half up to ``digits``, no trailing zeros.

    Examples
    --------
    >>> plain(91.0), plain(21.5), plain(98.913), plain(1 / 3, 4), plain(None, blank="—")
    ('91', '21.5', '98.91', '0.3333', '—')
    """
    x = num(value)
    if x is None:
        return blank
    s = fmt(x, digits)
    return s.rstrip("0").rstrip(".") if "." in s else s
