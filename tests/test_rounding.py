"""Half-up rounding (jixiao.rounding.round_half_up), by which scores are printed and graded."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.rounding import round_half_up


@given(k=st.integers(min_value=0, max_value=10**11), sign=st.sampled_from(["", "-"]))
def test_round_half_up_rounds_half_away_from_zero(k, sign):
    # k hundredths plus a written 5 in the thousandths: "12.345" → 12.35, never to even
    half = f"{sign}{k // 100}.{k % 100:02d}5"
    up = f"{sign}{(k + 1) // 100}.{(k + 1) % 100:02d}"
    assert round_half_up(float(half)) == float(up)
    below = f"{sign}{k // 100}.{k % 100:02d}4"
    assert round_half_up(float(below)) == float(f"{sign}{k // 100}.{k % 100:02d}")


@settings(max_examples=50)
@given(k=st.integers(min_value=0, max_value=10**6))
def test_round_half_up_one_decimal(k):
    assert round_half_up(float(f"{k}.5"), 0) == k + 1
    assert math.isclose(round_half_up(float(f"{k}.05"), 1), float(f"{k}.1"))
