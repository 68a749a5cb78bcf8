"""Scoring engines (jixiao.analysis.scoring): hand-worked tables under both shipped schemes."""

from __future__ import annotations

import math
import os

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.exceptions import ConfigError
from jixiao.rounding import round_half_up
from jixiao.analysis.scoring import (
    DEFAULT_GRADE_BANDS,
    SCHEMES_DIR,
    ScoringError,
    available_schemes,
    canonical_grade,
    converted_score,
    grade,
    load_scheme,
    score_assessment,
    score_execution,
    score_indicator,
    score_project,
)
from jixiao.analysis.scoring.targets import parse_target

NATIONAL = load_scheme("national")
REGIONAL = load_scheme("regional")


def variant(scheme, **changes):
    """A scheme with some fields changed (validated again, as a file would be)."""
    return type(scheme).model_validate({**scheme.model_dump(), **changes})


# --------------------------------------------------------------------------- shipped schemes


def test_shipped_schemes():
    assert available_schemes() == ["national", "regional"]
    assert NATIONAL.weights == {"预算执行率": 10, "产出指标": 50, "效益指标": 30, "满意度指标": 10}
    assert NATIONAL.negative_rule == "linear"
    assert NATIONAL.qualitative.bands == {"达成": (1.0, 0.8), "部分达成": (0.8, 0.6), "未达成": (0.6, 0.0)}
    assert REGIONAL.weights == {"预算执行率": 20, "绩效指标": 80}
    assert REGIONAL.negative_rule == "ratio"
    assert REGIONAL.qualitative.bands == {"达成": (1.0, 0.8), "部分达成": (0.8, 0.5), "未达成": (0.5, 0.0)}
    for s in (NATIONAL, REGIONAL):
        assert s.overshoot is None and s.execution_cap == ()
        assert s.grade_bands == DEFAULT_GRADE_BANDS
        assert s.title and s.source
    assert NATIONAL.level_of("成本指标") == "产出指标"
    assert REGIONAL.level_of("满意度指标") == "绩效指标"
    assert "财预〔2020〕10号" in NATIONAL.source


def test_load_scheme_by_path_and_instance(tmp_path):
    assert load_scheme(NATIONAL) is NATIONAL
    path = tmp_path / "mine.yaml"
    path.write_text((SCHEMES_DIR / "regional.yaml").read_text("utf-8"), "utf-8")
    assert load_scheme(path).weights == REGIONAL.weights
    assert load_scheme(str(path)).name == "regional"


# --------------------------------------------------------------------------- the hand-worked project
#
# 预算 100 万元, 执行 95 万元. Four indicators:
#   A 产出/数量  党员培训人数   ≥1,173人   actual 1100     (positive, short of target)
#   B 产出/数量  文化活动次数   不低于4次   actual 4        (positive, met)
#   C 效益/社会  办案投诉率     低于10%     actual 12%      (negative, overshot by 2 points)
#   D 满意度     群众满意度     定性        actual 部分达成
#
# national (执行10 产出50 效益30 满意度10; negative linear; 部分达成 80–60 %, top):
#   执行  10 × 95/100                         =  9.5
#   A     产出 50 ÷ 2 = 25;  25 × 1100/1173   = 23.444160272804773…
#   B     25 × min(4/4, 1)                    = 25
#   C     30 × (1 − (12 − 10)/10) = 30 × 0.8  = 24
#   D     10 × 0.8 (top of 80–60 %)           =  8
#   total 9.5 + 23.44416… + 25 + 24 + 8       = 89.94416027280478 → 89.94 → 良
#
# regional (执行20, 绩效指标80 shared by all four = 20 each; negative ratio; 部分达成 80–50 %):
#   执行  20 × 0.95                           = 19
#   A     20 × 1100/1173                      = 18.755328218243818…
#   B     20                                  = 20
#   C     20 × 10/12                          = 16.666666666666668…
#   D     20 × 0.8                            = 16
#   total 19 + 18.75533… + 20 + 16.66667… + 16 = 90.42199488491049 → 90.42 → 优

PROJECT = [
    dict(level1="产出指标", level2="数量指标", name="党员培训人数", direction="≥", target="≥1,173人", actual=1100),
    dict(level1="产出指标", level2="数量指标", name="文化活动次数", direction="≥", target="不低于4次", actual="4次"),
    dict(level1="效益指标", level2="社会效益指标", name="办案投诉率", direction="≤", target="低于10%", actual="12%"),
    dict(level1="满意度指标", level2="满意度指标", name="群众满意度", direction="定性", target="群众满意",
         actual="部分达成"),
]


def test_project_national():
    p = score_project((100, 95), PROJECT, "national")
    scores = [p.execution.score] + [i.result.score for i in p.indicators]
    assert scores == pytest.approx([9.5, 25 * 1100 / 1173, 25, 24, 8], rel=1e-12)
    assert [round_half_up(s) for s in scores] == [9.5, 23.44, 25.0, 24.0, 8.0]
    assert [i.result.points for i in p.indicators] == [25, 25, 30, 10]
    assert p.total == pytest.approx(89.94416027280478, rel=1e-12)
    assert round_half_up(p.total) == 89.94
    assert p.capped_total == p.total and p.cap is None
    assert p.grade == "良"
    assert p.level_scores == pytest.approx({"产出指标": 48.444160272804773, "效益指标": 24, "满意度指标": 8})
    assert p.notes == ()
    # why points were lost, in the sheet's words
    reasons = [p.execution.lost_reason] + [i.result.lost_reason for i in p.indicators]
    assert reasons == [
        "预算执行率95.00%，未达100%",
        "未达目标：实际1100人，目标≥1,173人",
        "",
        "超出目标：实际12%，目标低于10%",
        "部分达成（区间80%–60%，取上限）",
    ]
    assert p.indicators[2].result.rule == "反向指标：超出目标时得分=分值×max(0,1−(实际−目标)/目标)"
    assert p.execution.rate == pytest.approx(95.0)
    assert p.indicators[0].result.rate == pytest.approx(110000 / 1173)


def test_project_regional():
    p = score_project({"budget": 100, "spent": 95}, PROJECT, REGIONAL)
    scores = [p.execution.score] + [i.result.score for i in p.indicators]
    assert scores == pytest.approx([19, 20 * 1100 / 1173, 20, 20 * 10 / 12, 16], rel=1e-12)
    assert [round_half_up(s) for s in scores] == [19.0, 18.76, 20.0, 16.67, 16.0]
    assert p.total == pytest.approx(90.42199488491049, rel=1e-12)
    assert round_half_up(p.total) == 90.42
    assert p.grade == "优"
    assert p.level_points == {"绩效指标": 80}
    assert p.indicators[2].result.rule == "反向指标：超出目标时得分=分值×目标/实际"
    assert p.indicators[3].result.lost_reason == "部分达成（区间80%–50%，取上限）"


def test_to_frame():
    frame = score_project((100, 95), PROJECT, "national").to_frame()
    assert list(frame.columns) == ["一级指标", "二级指标", "指标名称", "目标值", "实际值", "分值", "得分",
                                   "评分规则", "扣分原因"]
    assert list(frame["指标名称"]) == ["预算执行率", "党员培训人数", "文化活动次数", "办案投诉率", "群众满意度"]
    assert list(frame["目标值"]) == ["100%", "≥1,173人", "不低于4次", "低于10%", "群众满意"]
    assert frame["实际值"][0] == "95.00%"
    assert frame["得分"].sum() == pytest.approx(89.94416027280478)
    assert frame["分值"].sum() == pytest.approx(100)


# --------------------------------------------------------------------------- levels and weights


def test_absent_level_redistributed_proportionally():
    # no 满意度 indicator: its 10 points go to 产出 and 效益 as 50:30 →
    # 产出 50 + 10 × 50/80 = 56.25, 效益 30 + 10 × 30/80 = 33.75
    p = score_project((100, 100), PROJECT[:3], "national")
    assert p.level_points == pytest.approx({"产出指标": 56.25, "效益指标": 33.75, "满意度指标": 0})
    assert [i.result.points for i in p.indicators] == pytest.approx([28.125, 28.125, 33.75])
    assert p.notes == ("满意度指标无指标，其10分按比例分配至产出指标、效益指标",)
    assert sum(p.level_points.values()) + p.execution.points == pytest.approx(100)


def test_absent_level_forfeit():
    forfeit = variant(NATIONAL, absent_levels="forfeit")
    full = [dict(r, actual=a) for r, a in zip(PROJECT[:3], [1173, 4, 10])]
    p = score_project((100, 100), full, forfeit)
    assert p.total == pytest.approx(90)
    assert p.notes == ("满意度指标无指标，其10分不得分",)


def test_weights_pro_rata_and_cost_alias():
    # 产出 50 shared 3:1:1 → 30, 10, 10 (成本指标 counts towards 产出指标 nationally)
    rows = [
        dict(level1="产出指标", name="a", target="≥10个", actual=5, weight=3),
        dict(level1="产出指标", name="b", target="≥10个", actual=10, weight=1),
        dict(level1="成本指标", name="c", target="≤90万元", actual=90, weight=1),
        dict(level1="效益指标", name="d", target="有效改善", actual="达成"),
        dict(level1="满意度指标", name="e", target="≥90%", actual=95),
    ]
    p = score_project((100, 100), rows, "national")
    assert [i.result.points for i in p.indicators] == pytest.approx([30, 10, 10, 30, 10])
    assert [i.result.score for i in p.indicators] == pytest.approx([15, 10, 10, 30, 10])
    assert p.indicators[2].level == "产出指标"
    assert p.total == pytest.approx(85)


def test_unit_column_completes_a_bare_target():
    rows = [dict(level1="产出指标", name="次数", direction="≥", target=4, actual=3, unit="次")]
    p = score_project((1, 1), rows, "national")
    assert p.indicators[0].target.unit == "次"
    assert p.indicators[0].target.text == "≥4次"
    assert p.indicators[0].result.lost_reason == "未达目标：实际3次，目标≥4次"


def test_mixed_weights_and_unknown_level_raise():
    rows = [dict(level1="产出指标", name="a", target="≥1", actual=1, weight=1),
            dict(level1="产出指标", name="b", target="≥1", actual=1)]
    with pytest.raises(ScoringError, match="权重"):
        score_project((1, 1), rows, "national")
    with pytest.raises(ScoringError, match="过程指标"):
        score_project((1, 1), [dict(level1="过程指标", name="x", target="≥1", actual=1)], "national")


def test_missing_budget_or_indicators_leave_no_total():
    p = score_project((None, 95), PROJECT, "national")
    assert p.execution.score is None and p.execution.lost_reason == "预算数未提供"
    assert p.total is None and p.grade is None
    assert p.indicator_total == pytest.approx(89.94416027280478 - 9.5)
    empty = score_project((100, 95), [], "national")
    assert empty.total is None and "无绩效指标" in empty.notes[-1]


def test_execution_cap():
    # 执行率 75 % falls in [70, 80): total 7.5 + 90 = 97.5 is capped at 89 → 良
    capped = variant(NATIONAL, execution_cap=[{"rate_at_least": 70, "rate_below": 80, "max_total": 89},
                                              {"rate_below": 70, "max_total": 79}])
    full = [dict(r, actual=a) for r, a in zip(PROJECT, [1173, 4, 10, "达成"])]
    p = score_project((100, 75), full, capped)
    assert p.total == pytest.approx(97.5)
    assert p.capped_total == 89 and p.cap == 89 and p.grade == "良"
    assert p.notes == ("预算执行率75.00%，总分封顶89分",)
    # at 80 % the row no longer applies
    assert score_project((100, 80), full, capped).capped_total == pytest.approx(98)
    assert score_project((100, 60), full, capped).capped_total == 79


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
    [("达成", 10, 10), ("完成", 10, 10), ("达成预期指标", 10, 10),
     ("部分达成", 8, 8), ("基本达成", 8, 8), ("部分达成年度指标并具有一定效果", 8, 8),
     ("未达成", 6, 5), ("未完成", 6, 5)],
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


# --------------------------------------------------------------------------- grades and assessment


@pytest.mark.parametrize(
    ("score", "expected"),
    [(100, "优"), (90, "优"), (89.99, "良"), (80, "良"), (79.99, "中"), (60, "中"), (59.99, "差"),
     (0, "差"), (-3, "差"), (89.995, "优"), (89.994, "良"), (None, None)],
)
def test_grade_band_edges(score, expected):
    # 89.995 is printed 90.00 and graded as printed
    assert grade(score) == expected


def test_grade_full_precision_and_custom_bands():
    assert grade(89.995, digits=None) == "良"
    assert grade(0.1 + 0.2 + 89.7) == "优"  # 90.00000000000001 or 89.99999… alike
    assert grade(75, {"合格": 70, "不合格": 0}) == "合格"
    assert grade(75, NATIONAL) == "中"


SEED_CATEGORIES = [
    ("重大政策落实", 11), ("预算编制管理", 12), ("预算执行管理", 23), ("预算绩效管理", 21.5),
    ("资产管理", 4.5), ("预算透明度", 7), ("预算信息化", 10), ("存在问题扣分", 0),
]


def test_assessment_seed_example():
    # 11 + 12 + 23 + 21.5 + 4.5 + 7 + 10 + 0 = 89; 89 ÷ 92 × 100 = 96.7391… → 96.74
    r = score_assessment(SEED_CATEGORIES, applicable_max=92)
    assert r.raw_total == 89 and r.total == 89 and r.bonus == 0 and r.deduction == 0
    assert r.converted == pytest.approx(96.73913043478261, rel=1e-12)
    assert round_half_up(r.converted) == 96.74
    assert r.grade == "优"
    # the report's stated total: 91 ÷ 92 × 100 = 98.9130… → 98.91, 优
    stated = converted_score(91, 92)
    assert stated == pytest.approx(98.91304347826087, rel=1e-12)
    assert round_half_up(stated) == 98.91
    assert grade(stated) == "优"


def test_assessment_bonus_and_deduction():
    r = score_assessment([("甲", 50, 2, 0), {"name": "乙", "score": 40, "deduction": 3}, ("丙", 5)], 100)
    assert (r.raw_total, r.bonus, r.deduction, r.total) == (95, 2, 3, 94)
    assert r.converted == pytest.approx(94) and r.grade == "优"
    with pytest.raises(ScoringError):
        score_assessment([("甲", 50, 0, -2)], 100)
    with pytest.raises(ScoringError):
        converted_score(50, 0)


# --------------------------------------------------------------------------- invalid scheme files


def write_scheme(tmp_path, **changes):
    data = yaml.safe_load((SCHEMES_DIR / "national.yaml").read_text("utf-8"))
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    path = tmp_path / "bad-scheme.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"weights": {"预算执行率": 10, "产出指标": 50, "效益指标": 30}}, "weights", "合计应为 100，实为 90"),
        ({"weights": {"产出指标": 60, "效益指标": 30, "满意度指标": 10}}, "weights", "预算执行率"),
        ({"qualitative": {"bands": {"达成": [1.0, 0.8], "部分达成": [0.9, 0.6], "未达成": [0.6, 0]}}},
         "qualitative.bands", "高于"),
        ({"qualitative": {"bands": {"达成": [0.8, 1.0], "部分达成": [0.8, 0.6], "未达成": [0.6, 0]}}},
         "qualitative.bands", "上限"),
        ({"qualitative": {"bands": {"达成": [1.0, 0.8], "部分达成": [0.8, 0.6]}}}, "qualitative.bands", "未达成"),
        ({"qualitative": {"position": "highest", "bands": {"达成": [1, 0.8], "部分达成": [0.8, 0.6],
                                                           "未达成": [0.6, 0]}}}, "qualitative.position", "highest"),
        ({"negative_rule": "quadratic"}, "negative_rule", "quadratic"),
        ({"negative_rule": None}, "negative_rule", "缺少必填字段"),
        ({"negativ_rule": "ratio"}, "negativ_rule", "未知字段"),
        ({"overshoot": {"excess_pct": 30, "deduct": 0.1, "extra": 1}}, "overshoot.extra", "未知字段"),
        ({"overshoot": {"excess_pct": 30, "deduct": 2}}, "overshoot.deduct", "不大于 1"),
        ({"execution_cap": [{"rate_at_least": 80, "rate_below": 70, "max_total": 89}]},
         "execution_cap.0", "应小于"),
        ({"execution_cap": [{"rate_below": 80, "max_total": 89}, {"rate_at_least": 70, "max_total": 95}]},
         "execution_cap", "重叠"),
        ({"grades": [{"grade": "优", "min": 80}, {"grade": "良", "min": 90}]}, "grades", "从高到低"),
        ({"level_aliases": {"成本指标": "过程指标"}}, "level_aliases.成本指标", "过程指标"),
        ({"weights": {"预算执行率": "十", "产出指标": 50}}, "weights.预算执行率", "应为数字"),
    ],
)
def test_invalid_scheme_names_file_and_field(tmp_path, changes, field, fragment):
    path = write_scheme(tmp_path, **changes)
    with pytest.raises(ConfigError) as exc:
        load_scheme(path)
    message = str(exc.value)
    assert "bad-scheme.yaml" in message
    assert field in message
    assert fragment in message


def test_unreadable_scheme_files(tmp_path):
    with pytest.raises(ConfigError, match="provincial"):
        load_scheme("provincial")
    with pytest.raises(ConfigError, match="不存在"):
        load_scheme(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("weights: [1, 2\n", "utf-8")
    with pytest.raises(ConfigError, match="broken.yaml.*YAML"):
        load_scheme(broken)
    listing = tmp_path / "list.yaml"
    listing.write_text("- 1\n- 2\n", "utf-8")
    with pytest.raises(ConfigError, match="键值结构"):
        load_scheme(listing)


def test_edited_scheme_file_is_read_again(tmp_path):
    path = write_scheme(tmp_path)
    assert load_scheme(path).negative_rule == "linear"
    text = path.read_text("utf-8").replace("negative_rule: linear", "negative_rule: ratio")
    path.write_text(text, "utf-8")
    st_ = path.stat()
    os.utime(path, ns=(st_.st_atime_ns, st_.st_mtime_ns + 1_000_000))
    assert load_scheme(path).negative_rule == "ratio"


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
