"""Key-project scoring: each indicator's score, the dimension scores, the total and the grade.

:func:`evaluate_dataset` scores a loaded key-project workbook (:class:`Evaluation`);
:func:`score_indicator` scores one row of 评价指标 (:class:`IndicatorScore`). The rates
that data-scored indicators use are public for the report's sections: :func:`fund_totals`,
:func:`fund_rates`, :func:`satisfaction_rate`.

Scoring rules (``scoring`` in ``config/keyproject.yaml``)
--------------------------------------------------------
- 评分: the assessor's score; below the weight it needs a 扣分原因.
- 正向比率: weight × min(actual ÷ target, 1) (:func:`jixiao.analysis.scoring.positive_fraction`).
- 反向比率: full weight when actual ≤ target, beyond it weight × target ÷ actual
  (``negative_rule: ratio``) or weight × max(0, 1 − (actual − target) ÷ target) (``linear``)
  (:func:`jixiao.analysis.scoring.negative_fraction`; an actual within 1e-9 of the
  target counts as meeting it, see :func:`_negative_factor`).
- 资金到位率 = 到位 ÷ 预算, 预算执行率 = 支出 ÷ 到位 (资金来源), 实际完成率 = mean of
  min(实际完成 ÷ 计划, 1), 质量达标率 = mean of min(合格 ÷ 实际完成, 1) (工程量), 满意度 =
  Σ 人数 × option weight ÷ Σ 人数 (满意度调查). Score = weight × min(rate ÷ target, 1) with
  a target rate in 目标值, else weight × min(rate, 100%).
- With a survey file (the parameters' ``survey:``, :mod:`jixiao.keyproject.survey`), 满意度 is
  the file's 满意率 (or its 满意度得分, ``indicator`` in ``config/survey.yaml``), overall or of
  the question named in 数据项; the file wins over the 满意度调查 counts.
- With several assessors (``assessors:``, :mod:`jixiao.keyproject.assessors`), a 评分
  indicator's score is their consolidated score (mean, median or trimmed mean).
- Each indicator score is rounded half up to ``score_digits``; the total is their sum,
  so the printed table adds up; the grade is of the total (优 ≥ 90, 良 ≥ 80, 中 ≥ 60).

A data-scored indicator whose data is missing or unusable raises :class:`_Unscorable`;
the loader's :func:`jixiao.keyproject.checks.cross_checks` turns it into a problem with
its sheet and cell, so a loaded workbook is always scorable.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jixiao.analysis.scoring import grade, negative_fraction, positive_fraction
from jixiao.keyproject.format import (
    _EPS,
    ASSESSOR,
    RATIO_METHODS,
    KeyProjectSpec,
    KeyScoring,
    _at,
    _p,
    _records,
    _sheet_name,
    is_sample,
    key_project_spec,
)
from jixiao.rounding import fmt, fmt_pct, round_half_up
from jixiao.values import is_blank, num, text
from jixiao.workbook.cells import compact

if TYPE_CHECKING:  # pandas costs ~1 s to import: the command line registers `evaluate` without it
    import pandas as pd

    from jixiao.keyproject.assessors import AssessorPanel
    from jixiao.keyproject.survey import SurveyResult
    from jixiao.workbook.dataset import Dataset


# ========================================================================== the results


@dataclass
class IndicatorScore:
    """One level-3 indicator, scored.

    ``score`` is rounded half up to the scheme's digits; ``rate`` (percentage points) is
    the computed rate of a data-scored indicator; ``basis`` says how the score came about;
    ``reason`` is the assessor's 扣分原因.
    """

    no: int
    level1: str
    level2: str | None
    name: str
    weight: float
    method: str
    score: float
    basis: str
    criteria: str | None = None
    evidence: str | None = None
    reason: str | None = None
    stated: float | None = None
    rate: float | None = None
    target: Any = None
    actual: Any = None
    unit: str | None = None
    row: int = 0

    @property
    def deducted(self) -> float:
        return round_half_up(self.weight - self.score, 4)

    @property
    def computed(self) -> bool:
        return self.method != ASSESSOR


@dataclass
class DimensionScore:
    """One level-1 dimension: its weight, its score and the share of the weight earned."""

    name: str
    weight: float
    score: float
    indicators: int

    @property
    def rate(self) -> float | None:
        return self.score / self.weight * 100 if self.weight else None


@dataclass
class Evaluation:
    """A key project's scores: indicators, dimensions, total and grade."""

    name: str
    indicators: list[IndicatorScore]
    dimensions: list[DimensionScore]
    total: float
    grade: str
    sample: bool
    grade_bands: tuple[tuple[str, float], ...]
    #: The survey file that scored 满意度, and the assessors' panel, when the parameters give them.
    survey: SurveyResult | None = None
    assessors: AssessorPanel | None = None
    #: Findings about those inputs (:func:`jixiao.keyproject.load.load_key_project` sets them;
    #: :func:`jixiao.keyproject.checks.run_key_checks` appends them to the report's findings).
    input_findings: list = field(default_factory=list)

    @property
    def total_weight(self) -> float:
        return sum(i.weight for i in self.indicators)

    def indicator_frame(self) -> pd.DataFrame:
        """One row per indicator, for tables and the scores workbook."""
        import pandas as pd

        rows = [
            {
                "no": i.no,
                "level1": i.level1,
                "level2": i.level2,
                "name": i.name,
                "weight": i.weight,
                "score": i.score,
                "deducted": i.deducted,
                "method": i.method,
                "criteria": i.criteria,
                "evidence": i.evidence,
                "basis": i.basis,
                "reason": i.reason,
                "rate": i.rate,
                "row": i.row,
            }
            for i in self.indicators
        ]
        return pd.DataFrame(
            rows,
            columns=[
                "no",
                "level1",
                "level2",
                "name",
                "weight",
                "score",
                "deducted",
                "method",
                "criteria",
                "evidence",
                "basis",
                "reason",
                "rate",
                "row",
            ],
        )

    def dimension_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "name": d.name,
                    "indicators": d.indicators,
                    "weight": d.weight,
                    "score": d.score,
                    "rate": d.rate,
                    "deducted": round_half_up(d.weight - d.score, 4),
                }
                for d in self.dimensions
            ],
            columns=["name", "indicators", "weight", "score", "rate", "deducted"],
        )


class _Unscorable(Exception):
    """An indicator's data is missing or unusable: where, what was found, what is needed."""

    def __init__(self, sheet: str, cell: str | None, found: Any, expected: str, message: str):
        super().__init__(message)
        self.sheet, self.cell, self.found, self.expected, self.message = sheet, cell, found, expected, message


# ==================================================================== data-scored rates


def fund_totals(ds: Dataset) -> dict[str, float | None]:
    """Budget, funds in place and spending (万元): the detail rows' sums, or the stated
    total when the sheet has no detail figures for a column."""
    out: dict[str, float | None] = {}
    rows = _records(ds, "funds")
    for col in ("budget", "received", "spent"):
        vals = [v for r in rows if (v := num(r[col])) is not None]
        out[col] = sum(vals) if vals else num(ds.stated_total("funds", col))
    return out


def fund_rates(ds: Dataset) -> dict[str, float | None]:
    """资金到位率 (到位 ÷ 预算) and 预算执行率 (支出 ÷ 到位), percentage points."""
    t = fund_totals(ds)
    return {
        "received": t["received"] / t["budget"] * 100 if t["budget"] and t["received"] is not None else None,
        "spent": t["spent"] / t["received"] * 100 if t["received"] and t["spent"] is not None else None,
    }


def _fund_rate(ds: Dataset, rec: dict, method: str) -> tuple[float, str]:
    t = fund_totals(ds)
    num_key, den_key = ("received", "budget") if method == "资金到位率" else ("spent", "received")
    labels = {"budget": "预算金额", "received": "到位金额", "spent": "实际支出"}
    missing = [labels[k] for k in (den_key, num_key) if t[k] is None]
    where = _at(ds, "indicators", "method", rec["_row"])
    if missing:
        raise _Unscorable(
            _sheet_name(ds, "indicators"),
            where,
            method,
            f"“资金来源”表的{'和'.join(missing)}",
            f"计分方式“{method}”需要“资金来源”表的{'和'.join(missing)}，但未填写",
        )
    if t[den_key] == 0:
        raise _Unscorable(
            _sheet_name(ds, "indicators"),
            where,
            method,
            f"{labels[den_key]}大于0",
            f"计分方式“{method}”无法计算：{labels[den_key]}为0",
        )
    numerator, denominator = t[num_key], t[den_key]
    assert numerator is not None and denominator is not None  # a missing one was raised above
    rate = numerator / denominator * 100
    return (
        rate,
        f"{method} = {labels[num_key]}{fmt(numerator)}万元 ÷ {labels[den_key]}{fmt(denominator)}万元 = {fmt_pct(rate)}",
    )


def _selected(ds: Dataset, rec: dict, sheet_id: str, key: str, what: str) -> list[dict]:
    rows = _records(ds, sheet_id)
    item = text(rec.get("item"))
    if item is None:
        return rows
    chosen = [r for r in rows if compact(r.get(key)) == compact(item)]
    if not chosen:
        raise _Unscorable(
            _sheet_name(ds, "indicators"),
            _at(ds, "indicators", "item", rec["_row"]),
            item,
            f"“{_sheet_name(ds, sheet_id)}”表中的{what}",
            f"数据项“{item}”在“{_sheet_name(ds, sheet_id)}”表的{what}中不存在",
        )
    return chosen


def _works_rate(ds: Dataset, rec: dict, method: str) -> tuple[float, str]:
    rows = _selected(ds, rec, "works", "item", "建设内容")
    num_col, den_col = ("delivered", "planned") if method == "实际完成率" else ("accepted", "delivered")
    sheet = ds.spec.sheet("works")
    used = [r for r in rows if (d := num(r[den_col])) is not None and d > 0]
    if not used:
        raise _Unscorable(
            _sheet_name(ds, "indicators"),
            _at(ds, "indicators", "method", rec["_row"]),
            method,
            f"“工程量”表的{sheet.column(den_col).header}（大于0）",
            f"计分方式“{method}”需要“工程量”表的{sheet.column(den_col).header}，但未填写",
        )
    figures: list[tuple[float, float]] = []  # (numerator, denominator) of each used row
    for r in used:
        done, base = num(r[num_col]), num(r[den_col])
        if done is None:
            # Leaving the item out would hide non-performance: the figure is required.
            raise _Unscorable(
                sheet.name,
                _at(ds, "works", num_col, r["_row"]),
                "",
                sheet.column(num_col).header,
                f"“{r['item']}”的{sheet.column(num_col).header}为空：计算指标“{rec['name']}”（{method}）需要此数据",
            )
        assert base is not None  # `used` keeps only rows with a positive denominator
        figures.append((done, base))
    parts = [min(done / base, 1.0) for done, base in figures]
    rate = sum(parts) / len(parts) * 100
    what = "实际完成数量 ÷ 计划数量" if method == "实际完成率" else "验收合格数量 ÷ 实际完成数量"
    detail = "、".join(f"{r['item']}{_p(done)}÷{_p(base)}" for r, (done, base) in zip(used, figures))
    avg = "各项平均（单项不超过100%）" if len(used) > 1 else "不超过100%"
    return rate, f"{method} = {what}（{detail}），{avg} = {fmt_pct(rate)}"


def satisfaction_rate(ds: Dataset, weights: dict[str, float], group: str | None = None) -> tuple[float | None, int]:
    """(satisfaction rate in percentage points, respondents) of the survey (one group or all)."""
    rows = [r for r in _records(ds, "survey") if group is None or compact(r.get("group")) == compact(group)]
    n = sum(int(r["count"]) for r in rows if num(r["count"]) is not None)
    if not n:
        return None, 0
    return sum(weights[r["option"]] * int(r["count"]) for r in rows if num(r["count"]) is not None) / n * 100, n


#: The survey file that scores 满意度 while a key project is loaded and scored, and which of
#: its figures (``rate`` | ``score``). A context variable because the loader's
#: cross_checks (run inside :func:`jixiao.workbook.load.load_workbook`, which knows nothing
#: of surveys) score the indicator too: set by :func:`survey_scoring`.
_SURVEY: ContextVar[tuple[SurveyResult, str] | None] = ContextVar("jixiao_keyproject_survey", default=None)


@contextmanager
def survey_scoring(result: SurveyResult | None, indicator: str = "rate") -> Iterator[None]:
    """Within the block, 满意度 indicators are scored from ``result`` (nothing changes for None)."""
    token = _SURVEY.set((result, indicator) if result is not None else None)
    try:
        yield
    finally:
        _SURVEY.reset(token)


def _file_survey_rate(ds: Dataset, rec: dict, result: SurveyResult, indicator: str) -> tuple[float, str]:
    """满意度 from a survey file: its overall 满意率 (or 满意度得分), or one question's (数据项)."""
    item = text(rec.get("item"))
    what = "满意率" if indicator == "rate" else "满意度得分"
    if item is not None:
        q = result.question(item)
        if q is None:
            raise _Unscorable(
                _sheet_name(ds, "indicators"),
                _at(ds, "indicators", "item", rec["_row"]),
                item,
                f"满意度调查文件 {result.name} 中的问题",
                f"数据项“{item}”不是满意度调查文件 {result.name} 中的问题",
            )
        value, n, scope = (q.satisfaction_rate if indicator == "rate" else q.score), q.n_valid, f"问题“{q.question}”"
    else:
        o = result.overall
        value, n, scope = (o.satisfaction_rate if indicator == "rate" else o.score), o.n_valid, "全部问题"
    if value is None:
        raise _Unscorable(
            _sheet_name(ds, "indicators"),
            _at(ds, "indicators", "method", rec["_row"]),
            "满意度",
            f"满意度调查文件 {result.name} 中的有效回答",
            f"满意度调查文件 {result.name} 中{scope}没有有效回答",
        )
    how = (
        f"回答“{'、'.join(result.satisfied)}”的占比"
        if indicator == "rate"
        else "Σ回答数×权重 ÷ 有效回答数（" + "、".join(f"{a}{_p(result.weights[a])}" for a in result.answers) + "）"
    )
    return value, (
        # the basis prints in the report's 评分表: the questionnaire, not the file's name (the
        # review and `jixiao survey` name the file)
        f"满意度 = 满意度调查问卷（答卷{result.n_rows}份，{scope}有效回答{n}个）{what}，即{how} = {fmt_pct(value)}"
    )


def _survey_rate(ds: Dataset, rec: dict, weights: dict[str, float]) -> tuple[float, str]:
    source = _SURVEY.get()
    if source is not None:  # the survey file wins over the 满意度调查 counts
        return _file_survey_rate(ds, rec, *source)
    rows = _selected(ds, rec, "survey", "group", "调查对象")
    n = sum(int(r["count"]) for r in rows if num(r["count"]) is not None)
    if not n:
        raise _Unscorable(
            _sheet_name(ds, "indicators"),
            _at(ds, "indicators", "method", rec["_row"]),
            "满意度",
            "“满意度调查”表的回答人数（合计大于0）",
            "计分方式“满意度”需要“满意度调查”表的回答人数，但未填写",
        )
    score = sum(weights[r["option"]] * int(r["count"]) for r in rows if num(r["count"]) is not None)
    rate = score / n * 100
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["option"]] = counts.get(r["option"], 0) + int(r["count"])
    detail = "、".join(f"{o}{c}人（权重{_p(weights[o])}）" for o, c in counts.items())
    return rate, f"满意度 = Σ人数×权重 ÷ 总人数{n} = {fmt_pct(rate)}（{detail}）"


# ======================================================================== one indicator


def _number_cell(ds: Dataset, rec: dict, col: str, method: str) -> float:
    v = rec.get(col)
    header = ds.spec.sheet("indicators").column(col).header
    where = _at(ds, "indicators", col, rec["_row"])
    if is_blank(v):
        raise _Unscorable(
            _sheet_name(ds, "indicators"),
            where,
            "",
            f"{header}（数字）",
            f"计分方式“{method}”需要{header}，但“{rec['name']}”的{header}为空",
        )
    x = num(v)
    if x is None:
        raise _Unscorable(
            _sheet_name(ds, "indicators"), where, v, f"{header}（数字）", f"计分方式“{method}”的{header}应为数字"
        )
    return x


def _target_rate(ds: Dataset, rec: dict, method: str) -> float | None:
    v = rec.get("target")
    if is_blank(v):
        return None
    x = num(v)
    where = _at(ds, "indicators", "target", rec["_row"])
    if x is None:
        raise _Unscorable(
            _sheet_name(ds, "indicators"),
            where,
            v,
            "目标比率（如 100% 或 90%）",
            f"计分方式“{method}”的目标值应为百分比",
        )
    if x <= 1:
        raise _Unscorable(
            _sheet_name(ds, "indicators"),
            where,
            v,
            "目标比率（如 100% 或 90%）",
            f"目标值 {_p(x)} 不像百分比：比率类指标的目标值请写作 100% 或 90%",
        )
    return x


def _negative_factor(actual: float, target: float, rule: str) -> float:
    """The share of the weight a 反向比率 indicator earns.

    The shared rule (:func:`jixiao.analysis.scoring.negative_fraction`), except that an
    actual within ``_EPS`` (1e-9) above the target counts as meeting it: full points and
    the basis 未超过目标. The shared rule is exact; without the tolerance an actual equal to
    the target but for float noise (a cell computed as 0.1 + 0.2 against 0.3) would read
    超过目标, and against a target of 0 it would score 0. Beyond the tolerance the two agree.
    """
    if actual <= target + _EPS:
        return 1.0
    return negative_fraction(actual, target, rule)


def score_indicator(
    ds: Dataset, rec: dict, scoring: KeyScoring, weights: dict[str, float], *, panel: AssessorPanel | None = None
) -> IndicatorScore:
    """Score one row of 评价指标 (a 评分 one from ``panel``'s consolidated score when given).

    Raises
    ------
    _Unscorable
        When a data-scored indicator's data is missing (the loader reports it).
    """
    method, w = rec["method"], float(rec["weight"])
    stated = num(rec.get("score"))
    rate: float | None = None
    reason = text(rec.get("reason"))
    entry = panel.get(int(rec["no"])) if panel is not None and method == ASSESSOR else None
    if entry is not None:
        assert panel is not None
        score = round_half_up(entry.consolidated, scoring.score_digits)
        basis = panel.basis(entry) + ("" if score >= w - _EPS else f"，扣{_p(w - score)}分")
        if reason is None and score < w - _EPS:
            from jixiao.keyproject.assessors import panel_reason

            reason = panel_reason(panel, entry)
    elif method == ASSESSOR:
        score = stated if stated is not None else 0.0
        basis = "评价人员评分" + ("" if score >= w - _EPS else f"，扣{_p(w - score)}分")
    elif method in RATIO_METHODS:
        target, actual = _number_cell(ds, rec, "target", method), _number_cell(ds, rec, "actual", method)
        unit = text(rec.get("unit")) or ""
        if method == "正向比率":
            if target <= 0:
                raise _Unscorable(
                    _sheet_name(ds, "indicators"),
                    _at(ds, "indicators", "target", rec["_row"]),
                    rec.get("target"),
                    "大于0的目标值",
                    "正向比率的目标值应大于0",
                )
            rate = actual / target * 100
            factor = max(0.0, positive_fraction(actual, target))
            basis = f"实际值{_p(actual)}{unit} ÷ 目标值{_p(target)}{unit} = {fmt_pct(rate)}"
        else:
            if target < 0:
                raise _Unscorable(
                    _sheet_name(ds, "indicators"),
                    _at(ds, "indicators", "target", rec["_row"]),
                    rec.get("target"),
                    "不小于0的目标值",
                    "反向比率的目标值不能为负",
                )
            rate = actual / target * 100 if target else None
            factor = _negative_factor(actual, target, scoring.negative_rule)
            basis = f"实际值{_p(actual)}{unit}，目标不高于{_p(target)}{unit}" + (
                "，未超过目标"
                if factor == 1.0
                else (
                    "，超过目标：得分 = 分值 × 目标值 ÷ 实际值"
                    if scoring.negative_rule == "ratio"
                    else "，超过目标：得分 = 分值 × (1 − 超出部分 ÷ 目标值)"
                )
            )
        score = w * factor
        basis += f"；得分 = {_p(w)} × {fmt_pct(factor * 100)} = {_p(round_half_up(score, scoring.score_digits))}"
    else:
        if method in ("资金到位率", "预算执行率"):
            rate, basis = _fund_rate(ds, rec, method)
        elif method in ("实际完成率", "质量达标率"):
            rate, basis = _works_rate(ds, rec, method)
        else:
            rate, basis = _survey_rate(ds, rec, weights)
        target_rate = _target_rate(ds, rec, method)
        factor = min(rate / target_rate, 1.0) if target_rate else min(rate / 100, 1.0)
        score = w * factor
        basis += (
            f"，目标{fmt_pct(target_rate)}" if target_rate else ""
        ) + f"；得分 = {_p(w)} × {fmt_pct(factor * 100)} = {_p(round_half_up(score, scoring.score_digits))}"
    return IndicatorScore(
        no=int(rec["no"]),
        level1=rec["level1"],
        level2=text(rec.get("level2")),
        name=str(rec["name"]),
        weight=w,
        method=method,
        score=round_half_up(score, scoring.score_digits),
        basis=basis,
        criteria=text(rec.get("criteria")),
        evidence=text(rec.get("evidence")),
        reason=reason,
        stated=stated,
        rate=rate,
        target=rec.get("target"),
        actual=rec.get("actual"),
        unit=text(rec.get("unit")),
        row=int(rec["_row"]),
    )


# ========================================================================== the project


def evaluate_dataset(
    ds: Dataset,
    weights: dict[str, float] | None = None,
    spec: KeyProjectSpec | None = None,
    *,
    survey: SurveyResult | None = None,
    survey_indicator: str = "rate",
    panel: AssessorPanel | None = None,
) -> Evaluation:
    """Score every indicator, each dimension and the total of a loaded key-project workbook.

    Parameters
    ----------
    ds : Dataset
        Loaded with :func:`load_key_project` (validated: every indicator is scorable).
    weights : dict, optional
        Survey option weights; the shipped ones by default.
    survey : SurveyResult, optional
        A survey file: 满意度 indicators take its 满意率 (``survey_indicator="rate"``) or its
        满意度得分 (``"score"``) instead of the 满意度调查 counts.
    panel : AssessorPanel, optional
        Several assessors: 评分 indicators take their consolidated score.
    """
    spec = spec or key_project_spec()
    scoring = spec.scoring
    weights = weights or scoring.satisfaction_weights
    with survey_scoring(survey, survey_indicator) if survey is not None else _keep():
        scores = [score_indicator(ds, r, scoring, weights, panel=panel) for r in _records(ds, "indicators")]
    dims = []
    for d in scoring.dimensions:
        members = [s for s in scores if s.level1 == d]
        dims.append(
            DimensionScore(
                d,
                round_half_up(sum(s.weight for s in members), 4),
                round_half_up(sum(s.score for s in members), scoring.score_digits),
                len(members),
            )
        )
    total = round_half_up(sum(s.score for s in scores), scoring.score_digits)
    return Evaluation(
        name=ds.facts["project"].get("name") or "",
        indicators=scores,
        dimensions=dims,
        total=total,
        grade=grade(total, scoring.grade_bands),
        sample=is_sample(ds),
        grade_bands=scoring.grade_bands,
        survey=survey,
        assessors=panel,
    )


@contextmanager
def _keep() -> Iterator[None]:
    """No change: a survey already set by the caller (:func:`survey_scoring`) stays in force."""
    yield
