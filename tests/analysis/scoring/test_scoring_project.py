"""Project self-evaluation (jixiao.analysis.scoring.project): a hand-worked project under both shipped schemes."""

from __future__ import annotations

import pytest

from jixiao.analysis.scoring import ScoringError, load_scheme, score_project
from jixiao.rounding import round_half_up

NATIONAL = load_scheme("national")
REGIONAL = load_scheme("regional")


def variant(scheme, **changes):
    """A scheme with some fields changed (validated again, as a file would be)."""
    return type(scheme).model_validate({**scheme.model_dump(), **changes})


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
    {
        "level1": "产出指标",
        "level2": "数量指标",
        "name": "党员培训人数",
        "direction": "≥",
        "target": "≥1,173人",
        "actual": 1100,
    },
    {
        "level1": "产出指标",
        "level2": "数量指标",
        "name": "文化活动次数",
        "direction": "≥",
        "target": "不低于4次",
        "actual": "4次",
    },
    {
        "level1": "效益指标",
        "level2": "社会效益指标",
        "name": "办案投诉率",
        "direction": "≤",
        "target": "低于10%",
        "actual": "12%",
    },
    {
        "level1": "满意度指标",
        "level2": "满意度指标",
        "name": "群众满意度",
        "direction": "定性",
        "target": "群众满意",
        "actual": "部分达成",
    },
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
    assert list(frame.columns) == [
        "一级指标",
        "二级指标",
        "指标名称",
        "目标值",
        "实际值",
        "分值",
        "得分",
        "评分规则",
        "扣分原因",
    ]
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
        {"level1": "产出指标", "name": "a", "target": "≥10个", "actual": 5, "weight": 3},
        {"level1": "产出指标", "name": "b", "target": "≥10个", "actual": 10, "weight": 1},
        {"level1": "成本指标", "name": "c", "target": "≤90万元", "actual": 90, "weight": 1},
        {"level1": "效益指标", "name": "d", "target": "有效改善", "actual": "达成"},
        {"level1": "满意度指标", "name": "e", "target": "≥90%", "actual": 95},
    ]
    p = score_project((100, 100), rows, "national")
    assert [i.result.points for i in p.indicators] == pytest.approx([30, 10, 10, 30, 10])
    assert [i.result.score for i in p.indicators] == pytest.approx([15, 10, 10, 30, 10])
    assert p.indicators[2].level == "产出指标"
    assert p.total == pytest.approx(85)


def test_unit_column_completes_a_bare_target():
    rows = [{"level1": "产出指标", "name": "次数", "direction": "≥", "target": 4, "actual": 3, "unit": "次"}]
    p = score_project((1, 1), rows, "national")
    assert p.indicators[0].target.unit == "次"
    assert p.indicators[0].target.text == "≥4次"
    assert p.indicators[0].result.lost_reason == "未达目标：实际3次，目标≥4次"


def test_mixed_weights_and_unknown_level_raise():
    rows = [
        {"level1": "产出指标", "name": "a", "target": "≥1", "actual": 1, "weight": 1},
        {"level1": "产出指标", "name": "b", "target": "≥1", "actual": 1},
    ]
    with pytest.raises(ScoringError, match="权重"):
        score_project((1, 1), rows, "national")
    with pytest.raises(ScoringError, match="过程指标"):
        score_project((1, 1), [{"level1": "过程指标", "name": "x", "target": "≥1", "actual": 1}], "national")


def test_missing_budget_or_indicators_leave_no_total():
    p = score_project((None, 95), PROJECT, "national")
    assert p.execution.score is None and p.execution.lost_reason == "预算数未提供"
    assert p.total is None and p.grade is None
    assert p.indicator_total == pytest.approx(89.94416027280478 - 9.5)
    empty = score_project((100, 95), [], "national")
    assert empty.total is None and "无绩效指标" in empty.notes[-1]


def test_execution_cap():
    # 执行率 75 % falls in [70, 80): total 7.5 + 90 = 97.5 is capped at 89 → 良
    capped = variant(
        NATIONAL,
        execution_cap=[{"rate_at_least": 70, "rate_below": 80, "max_total": 89}, {"rate_below": 70, "max_total": 79}],
    )
    full = [dict(r, actual=a) for r, a in zip(PROJECT, [1173, 4, 10, "达成"])]
    p = score_project((100, 75), full, capped)
    assert p.total == pytest.approx(97.5)
    assert p.capped_total == 89 and p.cap == 89 and p.grade == "良"
    assert p.notes == ("预算执行率75.00%，总分封顶89分",)
    # at 80 % the row no longer applies
    assert score_project((100, 80), full, capped).capped_total == pytest.approx(98)
    assert score_project((100, 60), full, capped).capped_total == 79
