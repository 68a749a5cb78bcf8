"""Scores of one township-year: the management assessment (考核) and every project's
self-evaluation (项目支出绩效自评), computed from the dataset by the scoring engines."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jixiao.analysis.scoring import (
    AssessmentScore,
    ProjectScore,
    converted_score,
    grade,
    load_scheme,
    score_assessment,
    score_project,
)
from jixiao.params import Params
from jixiao.values import num
from jixiao.workbook.dataset import Dataset


def _points(v) -> float:
    """A 加分 or 扣分 cell: blank means none was given (the rubric lists only what applies)."""
    x = num(v)
    return 0.0 if x is None else x


def applicable_max(ds: Dataset, params: Params | None) -> tuple[float | None, str]:
    """The applicable assessment maximum and where it came from (workbook first)."""
    stated = ds.facts["stated"].get("applicable_max")
    if stated:
        return float(stated), ds.fact_cell("stated", "applicable_max")
    if params is not None and params.assessment.applicable_max:
        return params.assessment.applicable_max, params.assessment.applicable_max_source or "参数文件"
    return None, "未提供"


@dataclass(frozen=True)
class Assessment:
    """The assessment as computed from the categories, beside what the unit states."""

    computed: AssessmentScore | None  # None when the applicable maximum is unknown
    raw_total: float
    stated_total: float | None
    stated_converted: float | None
    applicable_max: float | None
    max_source: str

    @property
    def converted_from_stated(self) -> float | None:
        """换算得分 implied by the stated total."""
        if self.stated_total is None or not self.applicable_max:
            return None
        return converted_score(self.stated_total, self.applicable_max)

    @property
    def grade_from_stated(self) -> str | None:
        return grade(self.converted_from_stated)

    @property
    def consistent(self) -> bool:
        """Whether the category scores add up to the stated total (to 0.005)."""
        return self.stated_total is None or abs(self.raw_total + self._net_bonus - self.stated_total) <= 0.005

    @property
    def _net_bonus(self) -> float:
        return 0.0 if self.computed is None else self.computed.bonus - self.computed.deduction


def assessment(ds: Dataset, params: Params | None = None) -> Assessment:
    """Score the assessment rubric of ``ds`` (categories → total → 换算得分 → grade)."""
    rows = ds.assessment
    # A category without a 自评得分 is not scored (a blank is never 0): the total is the
    # sum of the scored ones, and no 换算得分 is computed from an incomplete rubric.
    cats = [(r.category, num(r.score), _points(r.bonus), _points(r.deduction)) for r in rows.itertuples()]
    complete = all(c[1] is not None for c in cats)
    scored = [(name, score, bonus, deduction) for name, score, bonus, deduction in cats if score is not None]
    amax, source = applicable_max(ds, params)
    computed = score_assessment(scored, amax) if amax and complete else None
    stated_total = ds.facts["stated"].get("assessment_total")
    if stated_total is None:
        stated_total = ds.stated_total("assessment", "score")
    return Assessment(
        computed=computed,
        raw_total=sum(c[1] for c in scored),
        stated_total=stated_total,
        stated_converted=ds.facts["stated"].get("converted_score"),
        applicable_max=amax,
        max_source=source,
    )


def project_scores(ds: Dataset, scheme_name: str = "national") -> list[tuple[pd.Series, ProjectScore]]:
    """Every project scored under ``scheme_name`` with its indicators (in project order)."""
    scheme = load_scheme(scheme_name)
    by_project = {no: grp for no, grp in ds.indicators.groupby("project_no")}  # noqa: C416 - a GroupBy has .keys
    out = []
    for _, p in ds.projects.iterrows():
        inds = by_project.get(p["no"])
        rows = [] if inds is None else inds.to_dict("records")
        budget = None if pd.isna(p["budget"]) else p["budget"]
        spent = None if pd.isna(p["spent"]) else p["spent"]
        out.append((p, score_project((budget, spent), rows, scheme)))
    return out
