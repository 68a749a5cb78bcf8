"""One definition of blank, number and plain figure (jixiao.values), used everywhere."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from jixiao.values import is_blank, num, plain, text


@pytest.mark.parametrize("value", [None, float("nan"), np.nan, pd.NA, pd.NaT, "", "   ", "\t\n"])
def test_blanks(value):
    assert is_blank(value)
    assert num(value) is None and text(value) is None


@pytest.mark.parametrize("value", [0, 0.0, "0", False, "无", [], dt.date(2023, 1, 1)])
def test_zero_and_text_are_not_blank(value):
    """A 0 means truly zero; only an empty cell means "not stated"."""
    assert not is_blank(value)


def test_num():
    assert num(0) == 0.0 and num("2.5") == 2.5 and num(np.float64(3.25)) == 3.25
    assert num(True) is None  # a check box is not an amount
    assert num("约一百万") is None and num(math.inf) == math.inf


@pytest.mark.parametrize(
    "value, digits, shown",
    [
        (91, 2, "91"),
        (91.0, 2, "91"),
        (21.5, 2, "21.5"),
        (98.913, 2, "98.91"),
        (2.675, 2, "2.68"),
        (0.125, 2, "0.13"),
        (-0.5, 0, "-1"),
        (1 / 3, 4, "0.3333"),
        (0.0449, 3, "0.045"),
        (100, 0, "100"),
    ],
)
def test_plain_rounds_half_up_and_drops_trailing_zeros(value, digits, shown):
    assert plain(value, digits) == shown


def test_plain_blank():
    assert plain(None) == "" and plain(float("nan"), blank="—") == "—" and plain("x", blank="未提供") == "未提供"
