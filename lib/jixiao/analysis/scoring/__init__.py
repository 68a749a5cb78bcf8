"""Scoring engines: project self-evaluation (项目支出绩效自评) and the assessment rubric (考核).

Every weight, band and variant comes from a *scheme* file (``schemes/*.yaml``, validated
by :class:`Scheme`); the code holds the arithmetic only. Scores keep full precision;
presentation rounds half up through :mod:`jixiao.rounding`.

Modules
-------
- :mod:`~jixiao.analysis.scoring.scheme`: the scheme model, :func:`load_scheme`,
  grade bands and :func:`grade`, :class:`ScoringError`;
- :mod:`~jixiao.analysis.scoring.targets`: indicator targets as people write them;
- :mod:`~jixiao.analysis.scoring.rules`: the rules of one indicator (execution rate,
  ``≥`` / ``≤`` / ``=`` targets, 达成 / 部分达成 / 未达成), listed in its docstring;
- :mod:`~jixiao.analysis.scoring.project`: a project's total (:func:`score_project`);
- :mod:`~jixiao.analysis.scoring.assessment`: the 考核 rubric (:func:`score_assessment`,
  :func:`converted_score`);
- :mod:`~jixiao.analysis.scoring.selfeval` and :mod:`~jixiao.analysis.scoring.scoresheet`
  apply these to a township's dataset and write the 自评表 workbook (import them by
  their own names: they import this package).

The names below are re-exported so that ``from jixiao.analysis.scoring import …``
reaches them all.
"""

from __future__ import annotations

from jixiao.analysis.scoring.assessment import AssessmentScore, Category, converted_score, score_assessment
from jixiao.analysis.scoring.project import ProjectScore, ScoredIndicator, score_project
from jixiao.analysis.scoring.rules import (
    IndicatorScore,
    canonical_grade,
    negative_fraction,
    positive_fraction,
    score_execution,
    score_indicator,
)
from jixiao.analysis.scoring.scheme import (
    DEFAULT_GRADE_BANDS,
    EXECUTION,
    GRADES,
    CapRow,
    GradeBand,
    Overshoot,
    Qualitative,
    Scheme,
    ScoringError,
    available_schemes,
    grade,
    load_scheme,
)
from jixiao.analysis.scoring.targets import Target, TargetParseError, parse_target
from jixiao.paths import SCHEMES_DIR

__all__ = [
    # schemes and grades
    "SCHEMES_DIR",
    "DEFAULT_GRADE_BANDS",
    "EXECUTION",
    "GRADES",
    "CapRow",
    "GradeBand",
    "Overshoot",
    "Qualitative",
    "Scheme",
    "ScoringError",
    "available_schemes",
    "grade",
    "load_scheme",
    # targets, as the rules take and raise them
    "Target",
    "TargetParseError",
    "parse_target",
    # one indicator
    "IndicatorScore",
    "canonical_grade",
    "negative_fraction",
    "positive_fraction",
    "score_execution",
    "score_indicator",
    # a project
    "ProjectScore",
    "ScoredIndicator",
    "score_project",
    # the assessment rubric
    "AssessmentScore",
    "Category",
    "converted_score",
    "score_assessment",
]
