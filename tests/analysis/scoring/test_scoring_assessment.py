"""The assessment rubric (jixiao.analysis.scoring.assessment): the seed report's 考核 scores."""

from __future__ import annotations

import pytest

from jixiao.analysis.scoring import ScoringError, converted_score, grade, score_assessment
from jixiao.rounding import round_half_up

SEED_CATEGORIES = [
    ("重大政策落实", 11),
    ("预算编制管理", 12),
    ("预算执行管理", 23),
    ("预算绩效管理", 21.5),
    ("资产管理", 4.5),
    ("预算透明度", 7),
    ("预算信息化", 10),
    ("存在问题扣分", 0),
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
