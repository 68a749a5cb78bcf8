"""Scoring rules of one indicator (jixiao.analysis.scoring.rules), under both shipped schemes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.analysis.scoring import (
    ScoringError,
    canonical_grade,
    load_scheme,
    score_execution,
    score_indicator,
)
from jixiao.analysis.scoring.targets import parse_target

NATIONAL = load_scheme("national")
REGIONAL = load_scheme("regional")


def variant(scheme, **changes):
    """A scheme with some fields changed (validated again, as a file would be)."""
    return type(scheme).model_validate({**scheme.model_dump(), **changes})


# --------------------------------------------------------------------------- single indicators


def test_execution_rate():
    assert score_execution(100, 95, 10).score == pytest.approx(9.5)
    assert score_execution(100, 120, 10).score == 10  # above 100 % is capped
    assert score_execution(100, 120, 10).lost_reason == ""
    assert score_execution(1177.74, 1104.3, scheme="regional").score == pytest.approx(20 * 1104.3 / 1177.74)
    for budget in (None, 0, float("nan")):
        r = score_execution(budget, 95, 10)
        assert r.score is None and r.lost_reason == "预算数未提供"
    assert score_execution(100, None, 10).lost_reason == "执行数未提供"


@pytest.mark.parametrize(
    ("target", "actual", "national", "regional"),
    [
        # positive: points × min(actual/target, 1)
        ("≥50个", 40, 8.0, 8.0),
        ("≥50个", 60, 10.0, 10.0),
        ("≥0个", 0, 10.0, 10.0),  # target 0: nothing was asked
        # negative within target: full; beyond it linear (national) vs ratio (regional)
        ("≤90万元", 90, 10.0, 10.0),
        ("≤90万元", 99, 10 * (1 - 9 / 90), 10 * 90 / 99),  # 9.0 vs 9.0909…
        ("≤10%", 20, 0.0, 5.0),  # twice the target: 0 under linear, half under ratio
        ("≤10%", 25, 0.0, 4.0),
        ("≤0起", 1, 0.0, 0.0),  # "0 起" targets: any excess is a full miss
        # equal: full when equal, positive below, negative rule above
        ("=8个", 8, 10.0, 10.0),
        ("=8个", 6, 7.5, 7.5),
        ("=8个", 10, 10 * (1 - 2 / 8), 10 * 8 / 10),
    ],
)
def test_quantitative_rules(target, actual, national, regional):
    assert score_indicator(target, actual, 10, NATIONAL).score == pytest.approx(national)
    assert score_indicator(target, actual, 10, REGIONAL).score == pytest.approx(regional)


def test_equal_tolerance_and_equal_above_full():
    assert score_indicator("=0.3", 0.1 + 0.2, 10, NATIONAL).lost_reason == ""
    lenient = variant(NATIONAL, equal_above="full")
    assert score_indicator("=8个", 10, 10, lenient).score == 10
    assert score_indicator("=8个", 6, 10, lenient).score == pytest.approx(7.5)


@pytest.mark.parametrize(
    ("actual", "national", "regional"),
    [
        ("达成", 10, 10),
        ("完成", 10, 10),
        ("达成预期指标", 10, 10),
        ("部分达成", 8, 8),
        ("基本达成", 8, 8),
        ("部分达成年度指标并具有一定效果", 8, 8),
        ("未达成", 6, 5),
        ("未完成", 6, 5),
    ],
)
def test_qualitative_top_of_band(actual, national, regional):
    assert score_indicator("有效改善", actual, 10, NATIONAL).score == pytest.approx(national)
    assert score_indicator("有效改善", actual, 10, REGIONAL).score == pytest.approx(regional)


def test_qualitative_position():
    middle = variant(NATIONAL, qualitative={"position": "middle", "bands": NATIONAL.qualitative.bands})
    bottom = variant(REGIONAL, qualitative={"position": "bottom", "bands": REGIONAL.qualitative.bands})
    assert score_indicator("较好", "部分达成", 10, middle).score == pytest.approx(7.0)
    assert score_indicator("较好", "未达成", 10, middle).score == pytest.approx(3.0)
    assert score_indicator("较好", "部分达成", 10, bottom).score == pytest.approx(5.0)
    assert score_indicator("较好", "达成", 10, bottom).lost_reason == "达成（区间100%–80%，取下限）"


@pytest.mark.parametrize("target", ["≥5个", "≤5个", "=5个", "有效改善"])
@pytest.mark.parametrize("actual", [None, "", float("nan"), "—"])
def test_missing_actual_scores_zero_with_reason(target, actual):
    r = score_indicator(target, actual, 10, NATIONAL)
    assert r.score == 0 and r.lost_reason == "实际值未提供"


def test_actual_that_does_not_fit_the_target():
    with pytest.raises(ScoringError, match="应为数字"):
        score_indicator("≥5个", "完成", 10, NATIONAL)
    with pytest.raises(ScoringError, match="达成"):
        score_indicator("有效改善", 90, 10, NATIONAL)
    with pytest.raises(ScoringError, match="达成"):
        canonical_grade("较好")
    with pytest.raises(ScoringError, match="单位"):
        score_indicator("≥5万元", "50000元", 10, NATIONAL)
    with pytest.raises(ScoringError, match="负数"):
        score_indicator("≥-5%", 1, 10, NATIONAL)


def test_overshoot_deduction_is_opt_in():
    assert score_indicator("≥10个", 13, 10, NATIONAL).score == 10  # off in the shipped schemes
    strict = variant(NATIONAL, overshoot={"excess_pct": 30, "deduct": 0.1})
    r = score_indicator("≥10个", 13, 10, strict)  # exactly 30 % over
    assert r.score == pytest.approx(9.0) and r.deduction == pytest.approx(1.0)
    assert r.lost_reason == "目标设定偏低（超额≥30%）"
    assert score_indicator("≥3个", 3.9, 10, strict).score == pytest.approx(9.0)  # 3 × 1.3 in binary
    assert score_indicator("≥10个", 12.9, 10, strict).score == 10
    assert score_indicator("≤10个", 20, 10, strict).score == 0  # only positive targets


# --------------------------------------------------------------------------- properties

SCHEMES = [
    NATIONAL,
    REGIONAL,
    variant(NATIONAL, equal_above="full"),
    variant(REGIONAL, overshoot={"excess_pct": 30, "deduct": 0.25}),
]
finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
nonneg = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
points = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(
    comparator=st.sampled_from(["≥", "≤", "="]),
    target=nonneg,
    actual=finite,
    pts=points,
    scheme=st.sampled_from(SCHEMES),
)
def test_quantitative_score_within_points(comparator, target, actual, pts, scheme):
    t = parse_target(target, direction=comparator)
    r = score_indicator(t, actual, pts, scheme)
    assert 0 <= r.score <= pts


@given(
    answer=st.sampled_from(["达成", "部分达成", "未达成", "完成", "基本达成", "未完成"]),
    pts=points,
    scheme=st.sampled_from(SCHEMES),
    position=st.sampled_from(["top", "middle", "bottom"]),
)
def test_qualitative_score_within_points(answer, pts, scheme, position):
    s = variant(scheme, qualitative={"position": position, "bands": scheme.qualitative.bands})
    assert 0 <= score_indicator("有效改善", answer, pts, s).score <= pts


@given(budget=st.floats(min_value=0.01, max_value=1e7), spent=finite, pts=points)
def test_execution_score_within_points(budget, spent, pts):
    assert 0 <= score_execution(budget, spent, pts).score <= pts


@given(target=nonneg, a1=finite, a2=finite, pts=points, scheme=st.sampled_from(SCHEMES[:3]))
def test_positive_never_falls_as_actual_rises(target, a1, a2, pts, scheme):
    # overshoot deduction off: with it, the score drops at 130 % by design
    lo, hi = sorted((a1, a2))
    t = parse_target(target, direction="≥")
    assert score_indicator(t, lo, pts, scheme).score <= score_indicator(t, hi, pts, scheme).score


@given(target=nonneg, a1=finite, a2=finite, pts=points, scheme=st.sampled_from(SCHEMES))
def test_negative_never_rises_as_actual_rises(target, a1, a2, pts, scheme):
    lo, hi = sorted((a1, a2))
    t = parse_target(target, direction="≤")
    assert score_indicator(t, lo, pts, scheme).score >= score_indicator(t, hi, pts, scheme).score
