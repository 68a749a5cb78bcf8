"""Key-project scoring: indicator, dimension and total scores, the grade, the example's.

Mirrors :mod:`jixiao.keyproject.scoring`. Scores are asserted against values worked out
by hand in the comments (see ``good_data`` in ``keyproject_support.py``).
"""

from __future__ import annotations

import pytest
from keyproject_support import EXPECTED, EXPECTED_RATES, good_data, ind, params_file, write

from jixiao.analysis.scoring import grade, negative_fraction, positive_fraction
from jixiao.keyproject import key_project_spec, load_key_params, load_key_project, satisfaction_rate, score_indicator
from jixiao.rounding import round_half_up

# -- scores ----------------------------------------------------------------------------


def test_indicator_scores(good_kp):
    ev = good_kp.evaluation
    assert {i.no: i.score for i in ev.indicators} == EXPECTED
    for no, rate in EXPECTED_RATES.items():
        got = next(i for i in ev.indicators if i.no == no)
        assert got.rate == pytest.approx(rate), got.name
    assert all(
        i.method == "评分" or i.basis.startswith(("资金", "预算", "实际", "质量", "满意度")) for i in ev.indicators
    )
    assert next(i for i in ev.indicators if i.no == 2).deducted == 2


def test_dimension_scores_total_and_grade(good_kp):
    ev = good_kp.evaluation
    dims = {d.name: (d.weight, d.score, d.indicators) for d in ev.dimensions}
    assert dims == {"决策": (20, 18, 2), "过程": (20, 19.49, 3), "产出": (35, 33.25, 5), "效益": (25, 23, 2)}
    assert ev.total == 93.74 and ev.grade == "优"
    assert sum(d.score for d in ev.dimensions) == pytest.approx(ev.total)
    assert not ev.sample


def test_negative_rule_linear(good_kp):
    scoring = key_project_spec().scoring.model_copy(update={"negative_rule": "linear"})
    rec = next(r for r in good_kp.ds.indicators.to_dict("records") if r["no"] == 9)
    # 5 × (1 − (100 − 90) ÷ 90) = 4.444… → 4.44
    assert score_indicator(good_kp.ds, rec, scoring, scoring.satisfaction_weights).score == 4.44


@pytest.mark.parametrize("rule", ["ratio", "linear"])
def test_negative_ratio_within_the_tolerance_meets_the_target(good_kp, rule):
    """反向比率 calls the shared rule but keeps its 1e-9 tolerance: an actual above the
    target by float noise meets it (full points, 未超过目标); beyond, the shared rule."""
    scoring = key_project_spec().scoring.model_copy(update={"negative_rule": rule})
    rec = next(r for r in good_kp.ds.indicators.to_dict("records") if r["no"] == 9)  # weight 5, target 90

    def score(**change):
        return score_indicator(good_kp.ds, dict(rec, **change), scoring, scoring.satisfaction_weights)

    near = score(actual=90 + 5e-10)
    assert near.score == 5 and "未超过目标" in near.basis
    assert negative_fraction(90 + 5e-10, 90, rule) < 1  # the shared rule alone is exact
    # 5 × 90 ÷ 99 = 4.5454… → 4.55 (ratio); 5 × (1 − 9 ÷ 90) = 4.5 (linear)
    past = score(actual=99)
    assert past.score == {"ratio": 4.55, "linear": 4.5}[rule] == round_half_up(5 * negative_fraction(99, 90, rule), 2)
    assert "超过目标：" in past.basis
    # a target of 0: float noise still meets it, any real excess scores 0
    assert score(target=0, actual=5e-10).score == 5
    assert score(target=0, actual=0.001).score == 0


def test_positive_ratio_is_the_shared_rule_clamped_at_zero(good_kp):
    """正向比率 = weight × min(actual ÷ target, 1), never below 0."""
    scoring = key_project_spec().scoring
    rec = next(r for r in good_kp.ds.indicators.to_dict("records") if r["no"] == 11)  # weight 10, target 1000

    def score(actual):
        return score_indicator(good_kp.ds, dict(rec, actual=actual), scoring, scoring.satisfaction_weights).score

    assert score(1200) == 10 and score(999) == 9.99 and score(-5) == 0
    assert score(800) == round_half_up(10 * positive_fraction(800, 1000), 2) == 8


def test_satisfaction_weights_come_from_the_config_and_params(good_kp, tmp_path):
    ds = good_kp.ds
    weights = key_project_spec().scoring.satisfaction_weights
    assert satisfaction_rate(ds, weights) == (pytest.approx(92.0), 50)
    p = params_file(tmp_path, ds.path, satisfaction_weights={"基本满意": 0.8})
    params = load_key_params(p)
    assert satisfaction_rate(ds, params.option_weights())[0] == pytest.approx(96.0)
    # without a target rate the score is weight × rate
    data = good_data()
    data["评价指标"][11]["目标值"] = None
    kp = load_key_project(write(tmp_path, data), year=2024)
    assert next(i for i in kp.evaluation.indicators if i.no == 12).score == 13.8  # 15 × 92%


@pytest.mark.parametrize(
    "scores, expected",
    [
        ((20, 20, 30, 20), "优"),  # 90
        ((20, 20, 30, 19.99), "良"),  # 89.99
        ((20, 20, 20, 20), "良"),  # 80
        ((20, 20, 19.99, 20), "中"),  # 79.99
        ((10, 10, 20, 20), "中"),  # 60
        ((10, 10, 19.99, 20), "差"),  # 59.99
        ((0, 0, 0, 0), "差"),
    ],
)
def test_grade_bands(tmp_path, scores, expected):
    weights = (20, 20, 30, 30)
    rows = [
        ind(i + 1, d, f"指标{i + 1}", w, 得分=s, 扣分原因="示例扣分" if s < w else None)
        for i, (d, w, s) in enumerate(zip(("决策", "过程", "产出", "效益"), weights, scores))
    ]
    data = {"项目概况": {"项目名称": "等级测试", "评价年度": 2024}, "评价指标": rows}
    ev = load_key_project(write(tmp_path, data), year=2024).evaluation
    assert ev.total == pytest.approx(sum(scores))
    assert ev.grade == expected == grade(sum(scores), key_project_spec().scoring.grade_bands)


# -- the example -----------------------------------------------------------------------


def test_example_scores_97_9_excellent(example):
    ev = example.evaluation
    assert ev.total == 97.9 and ev.grade == "优" and ev.sample
    assert {d.name: (d.weight, d.score) for d in ev.dimensions} == {
        "决策": (15, 14.5),
        "过程": (20, 19.4),
        "产出": (35, 34.5),
        "效益": (30, 29.5),
    }
    names = [i.name for i in ev.indicators]
    for required in (
        "立项依据充分性",
        "绩效目标合理性",
        "资金到位率",
        "预算执行率",
        "资金使用合规性",
        "管理制度健全性",
        "实际完成率",
        "质量达标率",
        "完成及时性",
        "成本节约率",
        "社会效益",
        "可持续影响",
        "服务对象满意度",
    ):
        assert required in names
    assert all(i.reason and i.reason.startswith("（示例）") for i in ev.indicators if i.deducted > 0)
    assert not [f for f in example.findings if f.severity == "error"]
    # The illustrative survey and assessors' sheets carry the quirks real ones have (stray
    # answers, assessors who differ): warnings for the review, nothing else.
    warned = {f.id for f in example.findings if f.severity == "warning"}
    assert warned <= {"keyproject.survey", "keyproject.assessors.spread"}, warned
