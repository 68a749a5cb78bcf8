"""Key-project evaluation (重点评价): one project, scored on 决策 / 过程 / 产出 / 效益.

The third-party assessor's workflow, on the township pipeline's parts:

- the workbook format is data (``config/keyproject.yaml``, the same schema as the
  township's ``workbook.yaml``), read by :func:`jixiao.workbook.load.load_workbook` and written by
  :func:`jixiao.workbook.template.write_workbook`; the rules that span cells are
  :func:`cross_checks`, which the loader runs because the spec names it, so every problem
  is reported with its sheet and cell, in Chinese, all at once (exit code 2);
- scores: :func:`evaluate_dataset` computes each indicator's score (the assessor's, or
  from data: rates, target vs actual, survey counts), the dimension scores, the total and
  the grade (:func:`jixiao.analysis.scoring.grade`);
- the report: :func:`evaluate` runs the section notebooks of ``notebooks/key_project/``
  in one kernel (:mod:`jixiao.report.execute`), stitches and exports them (:mod:`jixiao.report.render`)
  into ``reports/<township>/<year>/key-<project>/`` through :func:`jixiao.report.publish.staged_output`;
- :func:`key_project_links` lets a township report link to the key-project reports of
  its township-year; :func:`register` adds ``jixiao evaluate`` to the command line.

Scoring rules (``scoring`` in ``config/keyproject.yaml``)
--------------------------------------------------------
- 评分: the assessor's score; below the weight it needs a 扣分原因.
- 正向比率: weight × min(actual ÷ target, 1).
- 反向比率: full weight when actual ≤ target, beyond it weight × target ÷ actual
  (``negative_rule: ratio``) or weight × max(0, 1 − (actual − target) ÷ target) (``linear``).
- 资金到位率 = 到位 ÷ 预算, 预算执行率 = 支出 ÷ 到位 (资金来源), 实际完成率 = mean of
  min(实际完成 ÷ 计划, 1), 质量达标率 = mean of min(合格 ÷ 实际完成, 1) (工程量), 满意度 =
  Σ 人数 × option weight ÷ Σ 人数 (满意度调查). Score = weight × min(rate ÷ target, 1) with
  a target rate in 目标值, else weight × min(rate, 100%).
- Each indicator score is rounded half up to ``score_digits``; the total is their sum,
  so the printed table adds up; the grade is of the total (优 ≥ 90, 良 ≥ 80, 中 ≥ 60).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import time
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jixiao.paths import NOTEBOOKS_DIR
from jixiao.values import is_blank, num, plain, text
from jixiao.workbook.cells import compact
from jixiao.exceptions import InputError, JixiaoError, Problem, WorkbookError
from jixiao.rounding import fmt, fmt_pct, round_half_up
from jixiao.report.pipeline import RunResult
from jixiao.analysis.scoring import GradeBand, grade
from jixiao.workbook.spec import WorkbookSpec, _config_text

if TYPE_CHECKING:  # pandas costs ~1 s to import: the command line registers `evaluate` without it
    import pandas as pd

    from jixiao.analysis.checks import Finding
    from jixiao.workbook.dataset import Dataset

#: The label of illustrative data, in the workbook and wherever the report shows it.
SAMPLE_LABEL = "示例数据"
#: The assessor scores the indicator.
ASSESSOR = "评分"
#: Methods that compute the score from data, and what each rate is called in the report.
RATE_METHODS = ("资金到位率", "预算执行率", "实际完成率", "质量达标率", "满意度")
RATIO_METHODS = ("正向比率", "反向比率")
METHODS = (ASSESSOR, *RATIO_METHODS, *RATE_METHODS)
_EPS = 1e-9


# =========================================================================== the format


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OutputBenefit(_Strict):
    """产出 + 效益 together carry at least ``min_points``."""

    dimensions: tuple[str, ...] = Field(min_length=1)
    min_points: float = Field(ge=0)


class KeyScoring(_Strict):
    """How indicator, dimension and total scores and the grade are computed."""

    dimensions: tuple[str, ...] = Field(min_length=1)
    total_points: float = Field(100, gt=0)
    output_benefit: OutputBenefit
    score_digits: int = Field(2, ge=0, le=4)
    negative_rule: Literal["ratio", "linear"] = "ratio"
    satisfaction_weights: dict[str, float]
    grades: tuple[GradeBand, ...] = Field(min_length=1)

    @field_validator("satisfaction_weights")
    @classmethod
    def _weights_are_fractions(cls, weights: dict[str, float]) -> dict[str, float]:
        bad = [k for k, v in weights.items() if not 0 <= v <= 1]
        if bad:
            raise ValueError(f"选项权重应在 0～1 之间：{'、'.join(bad)}")
        return weights

    @field_validator("grades")
    @classmethod
    def _grades_descending(cls, bands: tuple[GradeBand, ...]) -> tuple[GradeBand, ...]:
        mins = [b.min for b in bands]
        if any(a <= b for a, b in zip(mins, mins[1:])):
            raise ValueError("等级应按下限从高到低排列，下限互不相同")
        return bands

    @model_validator(mode="after")
    def _output_benefit_are_dimensions(self) -> KeyScoring:
        unknown = [d for d in self.output_benefit.dimensions if d not in self.dimensions]
        if unknown:
            raise ValueError(f"output_benefit 中的维度不在 dimensions 中：{'、'.join(unknown)}")
        return self

    @property
    def grade_bands(self) -> tuple[tuple[str, float], ...]:
        """``(grade, lower bound)`` pairs, best first (for :func:`jixiao.analysis.scoring.grade`)."""
        return tuple((b.grade, b.min) for b in self.grades)


class KeySection(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    name: str
    notebook: str


class KeyReport(_Strict):
    title: str
    sections: tuple[KeySection, ...] = Field(min_length=1)


class KeyProjectSpec(WorkbookSpec):
    """The key-project workbook format: the workbook schema plus scoring and report."""

    scoring: KeyScoring
    report: KeyReport

    @model_validator(mode="after")
    def _consistent(self) -> KeyProjectSpec:
        ind = self.sheet("indicators")
        if tuple(ind.column("level1").choices or ()) != self.scoring.dimensions:
            raise ValueError("评价指标“一级指标”的选项应与 scoring.dimensions 相同（顺序也相同）")
        if set(ind.column("method").choices or ()) != set(METHODS):
            raise ValueError(f"评价指标“计分方式”的选项应为：{'、'.join(METHODS)}")
        options = set(self.sheet("survey").column("option").choices or ())
        if set(self.scoring.satisfaction_weights) != options:
            raise ValueError("scoring.satisfaction_weights 应给出“满意度调查”每个选项的权重")
        return self


@cache
def key_project_spec() -> KeyProjectSpec:
    """The key-project workbook format shipped with the package (parsed once)."""
    return KeyProjectSpec.model_validate(yaml.safe_load(_config_text("keyproject.yaml")))


# ======================================================================= the parameters


class _StrictParams(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KeyReportParams(_StrictParams):
    formats: list[Literal["html", "pdf", "docx"]] = ["html"]
    title: str | None = Field(None, description="报告标题；默认为“<项目名称>绩效评价报告”")


class KeyProjectParams(_StrictParams):
    """One key-project evaluation (``params/<project>-<year>.yaml``, ``kind: key-project``)."""

    kind: Literal["key-project"]
    township: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", description="所属乡镇（单位）的拼音简称，与其参数文件相同")
    year: int = Field(ge=1990, le=2100)
    project: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", description="项目的拼音简称，输出目录为 key-<project>")
    name: str | None = Field(None, description="项目名称；给出时与工作簿核对")
    workbook: Path
    output_dir: Path | None = None
    satisfaction_weights: dict[str, float] | None = None
    report: KeyReportParams = KeyReportParams()
    source: Path | None = Field(None, exclude=True)

    @field_validator("township", "project", mode="before")
    @classmethod
    def _slug_is_text(cls, v):
        if not isinstance(v, str):
            raise ValueError("应为文字（拼音简称），数字请加引号")
        return v

    @field_validator("satisfaction_weights")
    @classmethod
    def _known_options(cls, weights):
        if weights is None:
            return None
        options = key_project_spec().scoring.satisfaction_weights
        unknown = [k for k in weights if k not in options]
        if unknown:
            raise ValueError(f"未知的满意度选项：{'、'.join(unknown)}（可用：{'、'.join(options)}）")
        bad = [k for k, v in weights.items() if not 0 <= v <= 1]
        if bad:
            raise ValueError(f"选项权重应在 0～1 之间：{'、'.join(bad)}")
        return weights

    @property
    def out_dir(self) -> Path:
        """``<output_dir>/<township>/<year>/key-<project>``."""
        return self.output_dir / self.township / str(self.year) / f"key-{self.project}"

    def option_weights(self) -> dict[str, float]:
        """The survey option weights: the shipped ones, overridden by this file's."""
        return {**key_project_spec().scoring.satisfaction_weights, **(self.satisfaction_weights or {})}


_PARAM_KEYS = "kind、township、year、project、name、workbook、output_dir、satisfaction_weights、report"


def load_key_params(path: str | Path) -> KeyProjectParams:
    """Read and validate a key-project parameters file; relative paths resolve against it.

    Raises
    ------
    ParametersError
        Naming the file and every bad, missing or unknown key.
    """
    from jixiao.params import read_params

    def is_key_project(raw: dict, fail) -> None:
        if raw.get("kind") != "key-project":
            fail(str(raw.get("kind", "")), "kind: key-project",
                 "这不是重点评价参数文件（应有 kind: key-project）；乡镇自评报告请用 jixiao run")

    return read_params(path, KeyProjectParams, mapping_hint="键值对（kind、township、year、project、workbook …）",
                       known_keys=_PARAM_KEYS, doc="docs/key-project.md", check_raw=is_key_project)


# ============================================================================== scoring


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

    @property
    def total_weight(self) -> float:
        return sum(i.weight for i in self.indicators)

    def indicator_frame(self) -> pd.DataFrame:
        """One row per indicator, for tables and the scores workbook."""
        import pandas as pd

        rows = [{"no": i.no, "level1": i.level1, "level2": i.level2, "name": i.name, "weight": i.weight,
                 "score": i.score, "deducted": i.deducted, "method": i.method, "criteria": i.criteria,
                 "evidence": i.evidence, "basis": i.basis, "reason": i.reason, "rate": i.rate, "row": i.row}
                for i in self.indicators]
        return pd.DataFrame(rows, columns=["no", "level1", "level2", "name", "weight", "score", "deducted", "method",
                                           "criteria", "evidence", "basis", "reason", "rate", "row"])

    def dimension_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([{"name": d.name, "indicators": d.indicators, "weight": d.weight, "score": d.score,
                              "rate": d.rate, "deducted": round_half_up(d.weight - d.score, 4)}
                             for d in self.dimensions],
                            columns=["name", "indicators", "weight", "score", "rate", "deducted"])


class _Unscorable(Exception):
    """An indicator's data is missing or unusable: where, what was found, what is needed."""

    def __init__(self, sheet: str, cell: str | None, found: Any, expected: str, message: str):
        super().__init__(message)
        self.sheet, self.cell, self.found, self.expected, self.message = sheet, cell, found, expected, message


def _at(ds: Dataset, sheet_id: str, col_id: str, row: int) -> str:
    """``E7`` (the cell inside its sheet) of a table cell."""
    return ds.cell(sheet_id, col_id, row).split("!", 1)[1]


def _span(ds: Dataset, sheet_id: str, col_id: str, rows) -> str | None:
    rows = list(rows)
    if not rows:
        return None
    ref = ds.column_cells(sheet_id, col_id, rows)
    return ref.split("!", 1)[1] if "!" in ref else None


def _records(ds: Dataset, sheet_id: str) -> list[dict]:
    df = ds.tables.get(sheet_id)
    return [] if df is None else df.to_dict("records")


def _p(x: float) -> str:
    """A score or count without trailing zeros: 4 → "4", 9.52 → "9.52"."""
    return plain(x)


def fund_totals(ds: Dataset) -> dict[str, float | None]:
    """Budget, funds in place and spending (万元): the detail rows' sums, or the stated
    total when the sheet has no detail figures for a column."""
    out: dict[str, float | None] = {}
    rows = _records(ds, "funds")
    for col in ("budget", "received", "spent"):
        vals = [num(r[col]) for r in rows if num(r[col]) is not None]
        out[col] = sum(vals) if vals else num(ds.stated_total("funds", col))
    return out


def fund_rates(ds: Dataset) -> dict[str, float | None]:
    """资金到位率 (到位 ÷ 预算) and 预算执行率 (支出 ÷ 到位), percentage points."""
    t = fund_totals(ds)
    return {"received": t["received"] / t["budget"] * 100 if t["budget"] and t["received"] is not None else None,
            "spent": t["spent"] / t["received"] * 100 if t["received"] and t["spent"] is not None else None}


def _sheet_name(ds: Dataset, sheet_id: str) -> str:
    return ds.spec.sheet(sheet_id).name


def _fund_rate(ds: Dataset, rec: dict, method: str) -> tuple[float, str]:
    t = fund_totals(ds)
    num_key, den_key = ("received", "budget") if method == "资金到位率" else ("spent", "received")
    labels = {"budget": "预算金额", "received": "到位金额", "spent": "实际支出"}
    missing = [labels[k] for k in (den_key, num_key) if t[k] is None]
    where = _at(ds, "indicators", "method", rec["_row"])
    if missing:
        raise _Unscorable(_sheet_name(ds, "indicators"), where, method, f"“资金来源”表的{'和'.join(missing)}",
                          f"计分方式“{method}”需要“资金来源”表的{'和'.join(missing)}，但未填写")
    if t[den_key] == 0:
        raise _Unscorable(_sheet_name(ds, "indicators"), where, method, f"{labels[den_key]}大于0",
                          f"计分方式“{method}”无法计算：{labels[den_key]}为0")
    rate = t[num_key] / t[den_key] * 100
    return rate, f"{method} = {labels[num_key]}{fmt(t[num_key])}万元 ÷ {labels[den_key]}{fmt(t[den_key])}万元 = {fmt_pct(rate)}"


def _selected(ds: Dataset, rec: dict, sheet_id: str, key: str, what: str) -> list[dict]:
    rows = _records(ds, sheet_id)
    item = text(rec.get("item"))
    if item is None:
        return rows
    chosen = [r for r in rows if compact(r.get(key)) == compact(item)]
    if not chosen:
        raise _Unscorable(_sheet_name(ds, "indicators"), _at(ds, "indicators", "item", rec["_row"]), item,
                          f"“{_sheet_name(ds, sheet_id)}”表中的{what}",
                          f"数据项“{item}”在“{_sheet_name(ds, sheet_id)}”表的{what}中不存在")
    return chosen


def _works_rate(ds: Dataset, rec: dict, method: str) -> tuple[float, str]:
    rows = _selected(ds, rec, "works", "item", "建设内容")
    num_col, den_col = ("delivered", "planned") if method == "实际完成率" else ("accepted", "delivered")
    sheet = ds.spec.sheet("works")
    used = [r for r in rows if num(r[den_col]) is not None and num(r[den_col]) > 0]
    if not used:
        raise _Unscorable(_sheet_name(ds, "indicators"), _at(ds, "indicators", "method", rec["_row"]), method,
                          f"“工程量”表的{sheet.column(den_col).header}（大于0）",
                          f"计分方式“{method}”需要“工程量”表的{sheet.column(den_col).header}，但未填写")
    for r in used:
        if num(r[num_col]) is None:
            # Leaving the item out would hide non-performance: the figure is required.
            raise _Unscorable(sheet.name, _at(ds, "works", num_col, r["_row"]), "", sheet.column(num_col).header,
                              f"“{r['item']}”的{sheet.column(num_col).header}为空：计算指标“{rec['name']}”"
                              f"（{method}）需要此数据")
    parts = [min(num(r[num_col]) / num(r[den_col]), 1.0) for r in used]
    rate = sum(parts) / len(parts) * 100
    what = "实际完成数量 ÷ 计划数量" if method == "实际完成率" else "验收合格数量 ÷ 实际完成数量"
    detail = "、".join(f"{r['item']}{_p(num(r[num_col]))}÷{_p(num(r[den_col]))}" for r in used)
    avg = "各项平均（单项不超过100%）" if len(used) > 1 else "不超过100%"
    return rate, f"{method} = {what}（{detail}），{avg} = {fmt_pct(rate)}"


def satisfaction_rate(ds: Dataset, weights: dict[str, float], group: str | None = None) -> tuple[float | None, int]:
    """(satisfaction rate in percentage points, respondents) of the survey (one group or all)."""
    rows = [r for r in _records(ds, "survey") if group is None or compact(r.get("group")) == compact(group)]
    n = sum(int(r["count"]) for r in rows if num(r["count"]) is not None)
    if not n:
        return None, 0
    return sum(weights[r["option"]] * int(r["count"]) for r in rows if num(r["count"]) is not None) / n * 100, n


def _survey_rate(ds: Dataset, rec: dict, weights: dict[str, float]) -> tuple[float, str]:
    rows = _selected(ds, rec, "survey", "group", "调查对象")
    n = sum(int(r["count"]) for r in rows if num(r["count"]) is not None)
    if not n:
        raise _Unscorable(_sheet_name(ds, "indicators"), _at(ds, "indicators", "method", rec["_row"]), "满意度",
                          "“满意度调查”表的回答人数（合计大于0）",
                          "计分方式“满意度”需要“满意度调查”表的回答人数，但未填写")
    score = sum(weights[r["option"]] * int(r["count"]) for r in rows if num(r["count"]) is not None)
    rate = score / n * 100
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["option"]] = counts.get(r["option"], 0) + int(r["count"])
    detail = "、".join(f"{o}{c}人（权重{_p(weights[o])}）" for o, c in counts.items())
    return rate, f"满意度 = Σ人数×权重 ÷ 总人数{n} = {fmt_pct(rate)}（{detail}）"


def _number_cell(ds: Dataset, rec: dict, col: str, method: str) -> float:
    v = rec.get(col)
    header = ds.spec.sheet("indicators").column(col).header
    where = _at(ds, "indicators", col, rec["_row"])
    if is_blank(v):
        raise _Unscorable(_sheet_name(ds, "indicators"), where, "", f"{header}（数字）",
                          f"计分方式“{method}”需要{header}，但“{rec['name']}”的{header}为空")
    x = num(v)
    if x is None:
        raise _Unscorable(_sheet_name(ds, "indicators"), where, v, f"{header}（数字）",
                          f"计分方式“{method}”的{header}应为数字")
    return x


def _target_rate(ds: Dataset, rec: dict, method: str) -> float | None:
    v = rec.get("target")
    if is_blank(v):
        return None
    x = num(v)
    where = _at(ds, "indicators", "target", rec["_row"])
    if x is None:
        raise _Unscorable(_sheet_name(ds, "indicators"), where, v, "目标比率（如 100% 或 90%）",
                          f"计分方式“{method}”的目标值应为百分比")
    if x <= 1:
        raise _Unscorable(_sheet_name(ds, "indicators"), where, v, "目标比率（如 100% 或 90%）",
                          f"目标值 {_p(x)} 不像百分比：比率类指标的目标值请写作 100% 或 90%")
    return x


def score_indicator(ds: Dataset, rec: dict, scoring: KeyScoring, weights: dict[str, float]) -> IndicatorScore:
    """Score one row of 评价指标.

    Raises
    ------
    _Unscorable
        When a data-scored indicator's data is missing (the loader reports it).
    """
    method, w = rec["method"], float(rec["weight"])
    stated = num(rec.get("score"))
    rate = None
    if method == ASSESSOR:
        score = stated if stated is not None else 0.0
        basis = "评价人员评分" + ("" if score >= w - _EPS else f"，扣{_p(w - score)}分")
    elif method in RATIO_METHODS:
        target, actual = _number_cell(ds, rec, "target", method), _number_cell(ds, rec, "actual", method)
        unit = text(rec.get("unit")) or ""
        if method == "正向比率":
            if target <= 0:
                raise _Unscorable(_sheet_name(ds, "indicators"), _at(ds, "indicators", "target", rec["_row"]),
                                  rec.get("target"), "大于0的目标值", "正向比率的目标值应大于0")
            rate = actual / target * 100
            factor = max(0.0, min(actual / target, 1.0))
            basis = f"实际值{_p(actual)}{unit} ÷ 目标值{_p(target)}{unit} = {fmt_pct(rate)}"
        else:
            if target < 0:
                raise _Unscorable(_sheet_name(ds, "indicators"), _at(ds, "indicators", "target", rec["_row"]),
                                  rec.get("target"), "不小于0的目标值", "反向比率的目标值不能为负")
            rate = actual / target * 100 if target else None
            if actual <= target + _EPS:
                factor = 1.0
            elif target == 0:
                factor = 0.0
            elif scoring.negative_rule == "ratio":
                factor = target / actual
            else:
                factor = max(0.0, 1 - (actual - target) / target)
            basis = f"实际值{_p(actual)}{unit}，目标不高于{_p(target)}{unit}" + (
                "，未超过目标" if factor == 1.0 else
                ("，超过目标：得分 = 分值 × 目标值 ÷ 实际值" if scoring.negative_rule == "ratio"
                 else "，超过目标：得分 = 分值 × (1 − 超出部分 ÷ 目标值)"))
        score = w * factor
        basis += f"；得分 = {_p(w)} × {fmt_pct(factor * 100)} = {_p(round_half_up(score, scoring.score_digits))}"
    else:
        if method in ("资金到位率", "预算执行率"):
            rate, basis = _fund_rate(ds, rec, method)
        elif method in ("实际完成率", "质量达标率"):
            rate, basis = _works_rate(ds, rec, method)
        else:
            rate, basis = _survey_rate(ds, rec, weights)
        target = _target_rate(ds, rec, method)
        factor = min(rate / target, 1.0) if target else min(rate / 100, 1.0)
        score = w * factor
        basis += (f"，目标{fmt_pct(target)}" if target else "") + \
            f"；得分 = {_p(w)} × {fmt_pct(factor * 100)} = {_p(round_half_up(score, scoring.score_digits))}"
    return IndicatorScore(
        no=int(rec["no"]), level1=rec["level1"], level2=text(rec.get("level2")), name=str(rec["name"]), weight=w,
        method=method, score=round_half_up(score, scoring.score_digits), basis=basis,
        criteria=text(rec.get("criteria")), evidence=text(rec.get("evidence")), reason=text(rec.get("reason")),
        stated=stated, rate=rate, target=rec.get("target"), actual=rec.get("actual"), unit=text(rec.get("unit")),
        row=int(rec["_row"]),
    )


def is_sample(ds: Dataset) -> bool:
    """The workbook says its data is illustrative (项目概况/示例数据 = 是)."""
    return ds.facts["project"].get("sample") == "是"


def sample_text(ds: Dataset) -> str | None:
    """The 示例数据 note for the cover and the tables, or None for real data."""
    if not is_sample(ds):
        return None
    note = text(ds.facts["project"].get("sample_note")) or "本报告使用示例数据，仅供演示。"
    return f"{SAMPLE_LABEL}：{note}"


def evaluate_dataset(ds: Dataset, weights: dict[str, float] | None = None,
                     spec: KeyProjectSpec | None = None) -> Evaluation:
    """Score every indicator, each dimension and the total of a loaded key-project workbook.

    Parameters
    ----------
    ds : Dataset
        Loaded with :func:`load_key_project` (validated: every indicator is scorable).
    weights : dict, optional
        Survey option weights; the shipped ones by default.
    """
    spec = spec or key_project_spec()
    scoring = spec.scoring
    weights = weights or scoring.satisfaction_weights
    scores = [score_indicator(ds, r, scoring, weights) for r in _records(ds, "indicators")]
    dims = []
    for d in scoring.dimensions:
        members = [s for s in scores if s.level1 == d]
        dims.append(DimensionScore(d, round_half_up(sum(s.weight for s in members), 4),
                                   round_half_up(sum(s.score for s in members), scoring.score_digits), len(members)))
    total = round_half_up(sum(s.score for s in scores), scoring.score_digits)
    return Evaluation(name=ds.facts["project"].get("name") or "", indicators=scores, dimensions=dims, total=total,
                      grade=grade(total, scoring.grade_bands), sample=is_sample(ds),
                      grade_bands=scoring.grade_bands)


# ============================================================================ validation


def cross_checks(ds: Dataset, out, year: int | None, unread: frozenset[str] = frozenset()) -> None:
    """The rules of a key-project workbook that span cells (run by the loader).

    - the 评价年度 agrees with the parameters file;
    - every weight is positive; the weights sum to ``total_points`` (100); 产出 + 效益
      carry at least ``output_benefit.min_points`` (60); every dimension has an indicator;
    - an assessor's score is given, lies between 0 and its weight, and a deduction has a
      reason; a data-scored indicator has its data (and a score typed next to it is not
      above the weight);
    - 意见建议 refer to problems that exist.
    """
    spec: KeyProjectSpec = ds.spec  # type: ignore[assignment]
    scoring = spec.scoring
    proj = ds.facts["project"]
    psheet = spec.sheet("project").name
    if year is not None and proj.get("year") is not None and proj["year"] != year:
        out.add(psheet, ds.locations["project"].get("year"), proj["year"], f"{year}（参数文件中的年度）",
                f"工作簿评价年度 {proj['year']} 与参数文件年度 {year} 不一致")
    ind = spec.sheet("indicators")
    if "indicators" not in unread:
        recs = _records(ds, "indicators")
        # A blank or unreadable required cell is already reported; the totals that need it
        # are then not checked (they would only repeat the problem).
        weights_known = all(num(r["weight"]) is not None for r in recs)
        levels_known = weights_known and all(r["level1"] is not None for r in recs)
        for r in recs:
            w, method, score = num(r["weight"]), r["method"], num(r.get("score"))
            if w is None or method is None or r["level1"] is None:
                continue
            if w <= 0:
                out.add(ind.name, _at(ds, "indicators", "weight", r["_row"]), r["weight"], "大于0的分值",
                        f"指标“{r['name']}”的分值应大于0")
                continue
            if score is not None and score > w + _EPS:
                out.add(ind.name, _at(ds, "indicators", "score", r["_row"]), r["score"], f"0～{_p(w)}（该指标分值）",
                        f"指标“{r['name']}”的得分 {_p(score)} 超过其分值 {_p(w)}")
            if method == ASSESSOR:
                if score is None:
                    out.add(ind.name, _at(ds, "indicators", "score", r["_row"]), "", f"0～{_p(w)} 之间的得分",
                            f"指标“{r['name']}”的计分方式为“评分”，必须填写得分")
                elif score < w - _EPS and text(r.get("reason")) is None:
                    out.add(ind.name, _at(ds, "indicators", "reason", r["_row"]), "", "扣分原因",
                            f"指标“{r['name']}”扣{_p(w - score)}分（得分 {_p(score)}，分值 {_p(w)}），必须说明扣分原因")
            else:
                try:
                    score_indicator(ds, r, scoring, scoring.satisfaction_weights)
                except _Unscorable as u:
                    out.add(u.sheet, u.cell, u.found, u.expected, u.message)
        if weights_known and recs:
            rows = [r["_row"] for r in recs]
            total = sum(num(r["weight"]) for r in recs)
            if not math.isclose(total, scoring.total_points, abs_tol=1e-6):
                out.add(ind.name, _span(ds, "indicators", "weight", rows), _p(total), _p(scoring.total_points),
                        f"各指标分值合计应为 {_p(scoring.total_points)}，实为 {_p(total)}")
        if levels_known and recs:
            ob = scoring.output_benefit
            ob_recs = [r for r in recs if r["level1"] in ob.dimensions]
            ob_total = sum(num(r["weight"]) for r in ob_recs)
            if ob_total < ob.min_points - 1e-6:
                where = _span(ds, "indicators", "weight", [r["_row"] for r in ob_recs]) or \
                    ds.locations.get("indicators", {}).get("weight")
                out.add(ind.name, where, _p(ob_total), f"不低于 {_p(ob.min_points)}",
                        f"{'与'.join(ob.dimensions)}指标分值合计应不低于 {_p(ob.min_points)}，实为 {_p(ob_total)}")
            present = {r["level1"] for r in recs}
            for d in scoring.dimensions:
                if d not in present:
                    out.add(ind.name, ds.locations.get("indicators", {}).get("level1"), "",
                            f"至少一个一级指标为“{d}”的指标",
                            f"缺少一级指标“{d}”：评价指标体系应包括{'、'.join(scoring.dimensions)}")
    if "problems" not in unread:
        nos = {int(n) for n in ds.tables["problems"]["no"].dropna()}
        rsheet = spec.sheet("recommendations")
        for r in _records(ds, "recommendations"):
            p = num(r.get("problem_no"))
            if p is not None and int(p) not in nos:
                out.add(rsheet.name, _at(ds, "recommendations", "problem_no", r["_row"]), int(p), "“存在问题”表中的序号",
                        f"“对应问题” {int(p)} 在“存在问题”表中不存在")


# ================================================================================ loading


@dataclass
class KeyProject:
    """A loaded, validated and scored key project."""

    ds: Dataset
    evaluation: Evaluation
    params: KeyProjectParams | None = None

    @property
    def findings(self) -> list[Finding]:
        return run_key_checks(self.ds, self.evaluation)


def load_key_project(source: str | Path | KeyProjectParams, *, year: int | None = None,
                     name: str | None = None, weights: dict[str, float] | None = None) -> KeyProject:
    """Load, validate and score a key-project workbook.

    Parameters
    ----------
    source : path or KeyProjectParams
        The workbook (``.xlsx``), or parameters (their workbook, year, name and survey
        weights are used).
    year, name : optional
        The year and project name the workbook must state.
    weights : dict, optional
        Survey option weights (default: the shipped ones).

    Raises
    ------
    WorkbookError
        Every problem, each with sheet and cell (exit code 2).
    """
    from jixiao.workbook.load import load_workbook

    params = source if isinstance(source, KeyProjectParams) else None
    if params is not None:
        path, year, name, weights = params.workbook, params.year, params.name, params.option_weights()
    else:
        path = Path(source)
    spec = key_project_spec()
    ds = load_workbook(path, year=year, spec=spec)
    stated_name = ds.facts["project"].get("name")
    if name and stated_name and compact(name) != compact(stated_name):
        raise WorkbookError(Problem(str(path), spec.sheet("project").name, ds.locations["project"].get("name"),
                                    stated_name, f"{name}（参数文件中的 name）",
                                    "工作簿中的项目名称与参数文件 name 不一致"))
    return KeyProject(ds=ds, evaluation=evaluate_dataset(ds, weights, spec), params=params)


# ================================================================================ checks


def _finding(cid: str, title: str, severity: str, message: str, *, stated=None, computed=None,
             cells=()) -> Finding:
    from jixiao.analysis.checks import Finding

    diff = None if stated is None or computed is None else float(stated) - float(computed)
    return Finding(cid, title, severity, message, None if stated is None else float(stated),
                   None if computed is None else float(computed), diff, 0.0 if diff is not None else None,
                   [c for c in cells if c])


def run_key_checks(ds: Dataset, ev: Evaluation) -> list[Finding]:
    """Consistency checks of a key-project evaluation (stated vs computed, totals vs parts).

    The format's hard rules (weights, score ranges, reasons) were enforced by the loader;
    these are findings for the report's appendix: they never change a figure.
    """
    from jixiao.analysis.checks import compare_sum

    spec: KeyProjectSpec = ds.spec  # type: ignore[assignment]
    scoring = spec.scoring
    f: list[Finding] = []
    ind = "indicators"
    all_rows = [i.row for i in ev.indicators]
    wcells = [ds.column_cells(ind, "weight", all_rows)] if all_rows else []
    scells = [ds.column_cells(ind, "score", all_rows)] if all_rows else []

    # weights
    t = "指标分值合计"
    f.append(_finding("key.weights", t, "pass", f"各指标分值合计{_p(ev.total_weight)}分，等于满分{_p(scoring.total_points)}分。",
                      stated=scoring.total_points, computed=ev.total_weight, cells=wcells))
    stated_w = num(ds.stated_total(ind, "weight"))
    if stated_w is not None:
        ok = math.isclose(stated_w, ev.total_weight, abs_tol=1e-6)
        f.append(_finding("key.weights", t, "pass" if ok else "error",
                          f"合计行所述分值{_p(stated_w)}分，明细合计{_p(ev.total_weight)}分" + ("，一致。" if ok else "，不一致。"),
                          stated=stated_w, computed=ev.total_weight, cells=[ds.total_cell(ind, "weight")]))
    ob = scoring.output_benefit
    ob_w = sum(d.weight for d in ev.dimensions if d.name in ob.dimensions)
    f.append(_finding("key.output_benefit", "产出与效益分值", "pass",
                      f"{'与'.join(ob.dimensions)}指标分值合计{_p(ob_w)}分，不低于{_p(ob.min_points)}分。",
                      computed=ob_w, cells=wcells))

    # indicator scores typed next to a computed one
    t = "数据计分指标的所填得分"
    for i in ev.indicators:
        if i.computed and i.stated is not None:
            ok = round_half_up(i.stated, scoring.score_digits) == i.score
            f.append(_finding("key.indicator_score", t, "pass" if ok else "error",
                              f"指标“{i.name}”：所填得分{_p(i.stated)}分，按{i.method}计算{_p(i.score)}分"
                              + ("，一致。" if ok else "，不一致（报告采用计算结果）。"),
                              stated=i.stated, computed=i.score, cells=[ds.cell(ind, "score", i.row)]))

    # total and grade
    t = "综合得分"
    f.append(_finding("key.total", t, "pass",
                      f"综合得分{_p(ev.total)}分 = 各指标得分之和（" +
                      "，".join(f"{d.name}{_p(d.score)}" for d in ev.dimensions) + "）。",
                      computed=ev.total, cells=scells))
    stated_total = num(ds.stated_total(ind, "score"))
    if stated_total is not None:
        ok = round_half_up(stated_total, scoring.score_digits) == ev.total
        f.append(_finding("key.total", t, "pass" if ok else "error",
                          f"合计行所述得分{_p(stated_total)}分，计算{_p(ev.total)}分" + ("，一致。" if ok else "，不一致。"),
                          stated=stated_total, computed=ev.total, cells=[ds.total_cell(ind, "score")]))
    stated_score = num(ds.facts["project"].get("score_stated"))
    cell = ds.fact_cell("project", "score_stated")
    if stated_score is None:
        f.append(_finding("key.total", t, "info", "所述综合得分未提供，无法与计算结果核对。", cells=[cell]))
    else:
        ok = round_half_up(stated_score, scoring.score_digits) == ev.total
        f.append(_finding("key.total", t, "pass" if ok else "error",
                          f"所述综合得分{_p(stated_score)}分，按指标计算{_p(ev.total)}分" + ("，一致。" if ok else
                                                                               f"，相差{_p(stated_score - ev.total)}分。"),
                          stated=stated_score, computed=ev.total, cells=[cell]))
    bands = "，".join(f"{g}≥{_p(low)}" for g, low in ev.grade_bands if low > 0)
    stated_grade = ds.facts["project"].get("grade_stated")
    gcell = ds.fact_cell("project", "grade_stated")
    if stated_grade is None:
        f.append(_finding("key.grade", "评价等级", "info",
                          f"综合得分{_p(ev.total)}分，按等级区间（{bands}）为“{ev.grade}”；所述等级未提供。",
                          computed=ev.total, cells=[gcell]))
    else:
        ok = stated_grade == ev.grade
        f.append(_finding("key.grade", "评价等级", "pass" if ok else "error",
                          f"综合得分{_p(ev.total)}分，按等级区间（{bands}）为“{ev.grade}”，所述“{stated_grade}”"
                          + ("，一致。" if ok else "，不一致。"), computed=ev.total, cells=[gcell]))

    # funds
    fs = spec.sheet("funds")
    rows = _records(ds, "funds")
    if not rows and "funds" not in ds.totals:
        f.append(_finding("key.funds", "项目资金", "info", "“资金来源”表未填写：项目资金（预算、到位、支出）未提供。",
                          cells=[fs.name]))
    else:
        for col in ("budget", "received", "spent"):
            if ds.stated_total("funds", col) is not None:
                fd = compare_sum(f"{fs.column(col).header}", num(ds.stated_total("funds", col)),
                                 [r[col] for r in rows],
                                 [ds.column_cells("funds", col) if rows else None, ds.total_cell("funds", col)])
                f.append(replace(fd, id="key.funds", title="资金来源合计"))
        tot = fund_totals(ds)
        for a, b, what in (("received", "budget", "到位金额不超过预算金额"), ("spent", "received", "实际支出不超过到位金额")):
            x, y = tot[a], tot[b]
            if x is None or y is None:
                f.append(_finding("key.funds", "资金到位与支出", "info", f"{what}：数据未提供，无法校验。", cells=[fs.name]))
            else:
                ok = x <= y + 0.005
                f.append(_finding("key.funds", "资金到位与支出", "pass" if ok else "warning",
                                  f"{fs.column(a).header}{fmt(x)}万元，{fs.column(b).header}{fmt(y)}万元"
                                  + ("，" + what + "。" if ok else f"，超出{fmt(x - y)}万元，请核实。"),
                                  stated=x, computed=y, cells=[ds.column_cells("funds", a) if rows else fs.name]))

    # works
    ws = spec.sheet("works")
    for r in _records(ds, "works"):
        p, d = num(r["planned"]), num(r["delivered"])
        cells = [ds.cell("works", "planned", r["_row"]), ds.cell("works", "delivered", r["_row"])]
        if p is None or d is None:
            f.append(_finding("key.works", "工程量完成情况", "info",
                              f"“{r['item']}”：计划数量{_p(p) if p is not None else '未提供'}，实际完成数量"
                              f"{_p(d) if d is not None else '未提供'}，无法核对完成情况。", stated=p, cells=cells))
        else:
            rate = d / p * 100 if p else None
            sev = "pass" if p and d >= p else "info"
            msg = f"“{r['item']}”：计划{_p(p)}{r['unit'] or ''}，实际完成{_p(d)}{r['unit'] or ''}"
            msg += f"，完成率{fmt_pct(rate)}。" if rate is not None else "。"
            f.append(_finding("key.works", "工程量完成情况", sev, msg, stated=p, computed=d, cells=cells))
        a = num(r.get("accepted"))
        if a is not None and d is not None and a > d + _EPS:
            f.append(_finding("key.works", "工程量完成情况", "error",
                              f"“{r['item']}”：验收合格数量{_p(a)}超过实际完成数量{_p(d)}。", stated=a, computed=d,
                              cells=[ds.cell("works", "accepted", r["_row"])]))
    if not _records(ds, "works"):
        f.append(_finding("key.works", "工程量完成情况", "info", "“工程量”表未填写：建设内容的数量未提供。", cells=[ws.name]))

    # illustrative data
    if is_sample(ds):
        f.append(_finding("key.sample", SAMPLE_LABEL, "info",
                          f"工作簿标注为{SAMPLE_LABEL}（项目概况“示例数据”为“是”）：示例部分见“示例数据说明”，"
                          "其得分用于演示，不是实际评价结果。",
                          cells=[ds.fact_cell("project", "sample"), ds.fact_cell("project", "sample_note")]))
    return f


# ========================================================================== the template


def write_key_project_template(path: str | Path, data: dict[str, Any] | None = None, *,
                               label: str | None = None) -> Path:
    """Write the key-project workbook: an empty template, or filled from transcribed data.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` to write.
    data : dict, optional
        Sheet name → rows / key → value, as for :func:`jixiao.workbook.template.write_workbook`
        (``read_transcription(folder)`` reads a folder of YAML files into this).
    label : str, optional
        A line for the 填写说明 sheet (where the data came from).

    When the data's 项目概况 says 示例数据 = 是, the 填写说明 sheet and the title row of the
    评价指标 sheet say so in red, and a note row under the indicator table repeats the
    workbook's 示例数据说明 (the loader skips such 注 rows).
    """
    from openpyxl import load_workbook as open_xlsx
    from openpyxl.styles import Font

    from jixiao.workbook.template import write_workbook

    spec = key_project_spec()
    data = data or {}
    facts = data.get(spec.sheet("project").name) or {}

    def given(key):
        v = facts.get(key)
        return v.get("数值") if isinstance(v, dict) else v

    sample = str(given("示例数据") or "").strip() == "是"
    note = given("示例数据说明")
    if sample:
        label = "\n".join(x for x in (label, f"【{SAMPLE_LABEL}】{note or '本工作簿含示例数据，仅供演示。'}") if x)
    path = write_workbook(path, data or None, spec=spec, label=label)
    if sample:
        wb = open_xlsx(path)
        red = Font(bold=True, color="C00000")
        guide = wb["填写说明"]
        for row in guide.iter_rows():
            if row[0].value and str(row[0].value).startswith(f"【{SAMPLE_LABEL}】"):
                row[0].font = red
        ws = wb[spec.sheet("indicators").name]
        ws["A1"].value = f"{ws['A1'].value}【{SAMPLE_LABEL}】"
        ws["A1"].font = Font(bold=True, size=12, color="C00000")
        last = ws.max_row + 2
        ws.cell(row=last, column=1, value=f"注：本表为{SAMPLE_LABEL}。{note or ''}").font = red
        wb.save(path)
        wb.close()
    return path


# ============================================================================== the report


def default_notebooks_dir() -> Path:
    return NOTEBOOKS_DIR / "key_project"


def report_title(params: KeyProjectParams, ds: Dataset) -> str:
    """``东史端镇南胡渠村道路改造工程绩效评价报告`` unless the parameters give a title."""
    return params.report.title or f"{ds.facts['project'].get('name') or ''}{key_project_spec().report.title}"


def _report_date(ds: Dataset) -> str:
    from jixiao.report.context import cdate

    d = ds.facts["project"].get("report_date")
    return cdate(d if isinstance(d, dt.date) else dt.date.today())


@dataclass
class EvaluateResult(RunResult):
    """A township run's result, plus the key project's evaluation."""

    evaluation: Evaluation | None = None


def report_formats(params: KeyProjectParams, formats: str | list[str] | None = None) -> list[str]:
    """The output formats: ``formats`` (``"html,pdf"``) or the parameters' ``report.formats``.

    The renderers are checked by :func:`jixiao.report.pipeline.build_and_publish` before anything
    is written.
    """
    from jixiao.export.formats import parse_formats

    wanted = params.report.formats if formats is None else formats
    source = f"{params.source}: report.formats" if formats is None else "--format"
    return parse_formats(wanted, source=source)
    fmts = parse_formats(wanted, source=source)
    if "pdf" in fmts:
        from jixiao.export.formats import weasyprint_module

        weasyprint_module()
    if "docx" in fmts:
        from jixiao.export.formats import docx_module

        docx_module()
    return fmts


def check_key_project(params_path: str | Path) -> KeyProject:
    """Validate and score without running the notebooks (``jixiao evaluate --check``)."""
    params = load_key_params(params_path)
    return load_key_project(params)


def evaluate(params_path: str | Path, *, notebooks_dir: Path | None = None,
             formats: str | list[str] | None = None,
             on_start: Callable[[str], None] | None = None, on_done: Callable | None = None,
             on_format: Callable[[str], None] | None = None) -> EvaluateResult:
    """Build the key-project report for one parameters file (``jixiao evaluate``).

    Mirrors :func:`jixiao.report.pipeline.run_report`: the workbook is validated before any kernel
    starts (bad input → :class:`InputError`, exit 2, nothing written); the section
    notebooks run in one kernel; outputs go to a staging folder that replaces
    ``reports/<township>/<year>/key-<project>`` only when every section ran (a failure →
    :class:`~jixiao.exceptions.SectionFailure`, exit 1, the previous report intact and
    the failing notebook kept in ``key-<project>.failed/``).

    Parameters
    ----------
    params_path : str or Path
        ``params/<project>-<year>.yaml`` (``kind: key-project``).
    notebooks_dir : Path, optional
        The section notebooks; ``notebooks/key_project/`` by default.
    formats : str or list, optional
        ``html``, ``pdf``, ``docx`` (``"html,pdf"``); the parameters' ``report.formats`` by default.
    on_start, on_done, on_format : callable, optional
        Progress callbacks: a section's name before it runs, its result after, each
        output format before it is written.

    Returns
    -------
    EvaluateResult
    """
    from jixiao.report.pipeline import build_and_publish, manifest

    t0 = time.perf_counter()
    params_path = Path(params_path).resolve()
    params = load_key_params(params_path)
    fmts = report_formats(params, formats)
    kp = load_key_project(params)  # fail fast, before any kernel
    findings = kp.findings
    spec = key_project_spec()
    nb_dir = Path(notebooks_dir or default_notebooks_dir())
    sections = [(s.name, nb_dir / s.notebook) for s in spec.report.sections]
    missing = [str(p) for _, p in sections if not p.is_file()]
    if missing:
        raise JixiaoError("找不到章节笔记本：" + "、".join(missing) + "（可用 --notebooks 指定目录）")
    out_dir = params.out_dir
    ev = kp.evaluation
    ds = kp.ds
    meta = {"unit": ds.facts["project"].get("unit") or ds.facts["project"].get("name"), "year": params.year,
            "title": report_title(params, ds), "date": _report_date(ds), "sample": sample_text(ds)}

    def finish(stage: Path, results, res, outputs) -> None:
        write_scores(stage / "scores.xlsx", ev, sample_text(ds))
        m = manifest(params, params_path, results, findings, res, time.perf_counter() - t0, outputs,
                     kind="key-project",
                     result={"name": ev.name, "score": ev.total, "grade": ev.grade, "sample": ev.sample,
                             "dimensions": {d.name: {"weight": d.weight, "score": d.score} for d in ev.dimensions}})
        (stage / "manifest.json").write_text(json.dumps(m, ensure_ascii=False, indent=2), encoding="utf-8")

    results, _, outputs = build_and_publish(out_dir, sections, params_path, meta, fmts, finish=finish,
                                            on_start=on_start, on_done=on_done, on_format=on_format)
    files = {fmt: out_dir / info["file"] for fmt, info in outputs.items()}
    return EvaluateResult(out_dir=out_dir, report=files.get("html", next(iter(files.values()))), evaluation=ev,
                          sections=results, findings=findings, seconds=time.perf_counter() - t0, outputs=files)


def write_scores(path: Path, ev: Evaluation, sample: str | None = None) -> Path:
    """The indicator and dimension scores as a workbook (``scores.xlsx``)."""
    import pandas as pd

    ind = ev.indicator_frame()[["no", "level1", "level2", "name", "weight", "score", "deducted", "method",
                                "basis", "reason", "criteria", "evidence"]]
    ind.columns = ["序号", "一级指标", "二级指标", "三级指标", "分值", "得分", "扣分", "计分方式", "计分说明", "扣分原因",
                   "评分标准", "评价依据"]
    dim = ev.dimension_frame()[["name", "indicators", "weight", "score", "rate"]]
    dim.columns = ["一级指标", "指标数", "分值", "得分", "得分率（%）"]
    summary = pd.DataFrame([{"项目": "项目名称", "内容": ev.name}, {"项目": "综合得分", "内容": ev.total},
                            {"项目": "评价等级", "内容": ev.grade}]
                           + ([{"项目": SAMPLE_LABEL, "内容": sample}] if sample else []))
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        summary.to_excel(xw, sheet_name="评价结果", index=False)
        ind.to_excel(xw, sheet_name="指标得分", index=False)
        dim.to_excel(xw, sheet_name="维度得分", index=False)
    return path


# ==================================================================== the township link


def key_project_links(township_params, ds: Dataset | None = None) -> list[dict]:
    """Key-project reports of a township-year, for the township report to link to.

    Looks in the folder of the township's parameters file for key-project parameters
    (``kind: key-project``) with the same ``township`` and ``year`` whose report has been
    built (``<out_dir>/report.html`` and its ``manifest.json``).

    Parameters
    ----------
    township_params : jixiao.params.Params
        The township run's parameters (``source``, ``township``, ``year``, ``out_dir``).
    ds : Dataset, optional
        The township dataset: when its 填报数据 names the key project, the stated score and
        grade are included for comparison.

    Returns
    -------
    list of dict
        ``name``, ``score`` (float, as the key-project report prints it), ``grade``,
        ``href`` (the report relative to the township report's folder, POSIX slashes),
        ``sample`` (the key-project data is illustrative), ``params`` (the parameters
        file), ``stated_score`` and ``stated_grade`` (what the township workbook states
        for this project, or None). Sorted by parameters file name.
    """
    source = getattr(township_params, "source", None)
    if source is None:
        return []
    folder = Path(source).resolve().parent
    stated = (ds.facts.get("stated", {}) if ds is not None else {}) or {}
    links = []
    for f in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        try:
            raw = yaml.safe_load(f.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if not isinstance(raw, dict) or raw.get("kind") != "key-project":
            continue
        if str(raw.get("township")) != township_params.township or raw.get("year") != township_params.year:
            continue
        try:
            kp = load_key_params(f)
        except InputError:
            continue
        report, manifest = kp.out_dir / "report.html", kp.out_dir / "manifest.json"
        if not (report.is_file() and manifest.is_file()):
            continue
        try:
            result = json.loads(manifest.read_text(encoding="utf-8"))["result"]
        except (OSError, ValueError, KeyError):
            continue
        same = stated.get("key_project") and compact(stated.get("key_project")) in (
            compact(result.get("name")), compact(kp.name))
        links.append({
            "name": result.get("name") or kp.name or kp.project,
            "score": result.get("score"),
            "grade": result.get("grade"),
            "href": Path(os.path.relpath(report, township_params.out_dir)).as_posix(),
            "sample": bool(result.get("sample")),
            "params": str(f),
            "stated_score": num(stated.get("key_project_score")) if same else None,
            "stated_grade": stated.get("key_project_grade") if same else None,
        })
    return links


# ======================================================================= the command line
