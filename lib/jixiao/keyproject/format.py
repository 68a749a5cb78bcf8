"""The key-project format: constants, the workbook spec, the parameters file, cell helpers.

What a key-project evaluation reads, before anything is scored:

- the constants every part shares (:data:`SAMPLE_LABEL`, the scoring methods
  :data:`ASSESSOR`, :data:`RATIO_METHODS`, :data:`RATE_METHODS`, :data:`METHODS`);
- the workbook format (``config/keyproject.yaml``): :class:`KeyProjectSpec`, the
  township's :class:`~jixiao.workbook.spec.WorkbookSpec` plus :class:`KeyScoring` and
  :class:`KeyReport`, parsed once by :func:`key_project_spec`;
- the parameters file (``params/<project>-<year>.yaml``, ``kind: key-project``):
  :class:`KeyProjectParams`, read by :func:`load_key_params`;
- whether the workbook's data is illustrative (:func:`is_sample`, :func:`sample_text`);
- small helpers that locate cells and rows of a loaded workbook and print figures, shared
  by :mod:`jixiao.keyproject.scoring` and :mod:`jixiao.keyproject.checks` (private to
  the package).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jixiao.analysis.scoring import GradeBand
from jixiao.values import plain, text
from jixiao.workbook.spec import WorkbookSpec, _config_text

if TYPE_CHECKING:
    from jixiao.workbook.dataset import Dataset

#: The label of illustrative data, in the workbook and wherever the report shows it.
SAMPLE_LABEL = "示例数据"
#: The assessor scores the indicator.
ASSESSOR = "评分"
#: Methods that compute the score from data, and what each rate is called in the report.
RATE_METHODS = ("资金到位率", "预算执行率", "实际完成率", "质量达标率", "满意度")
RATIO_METHODS = ("正向比率", "反向比率")
METHODS = (ASSESSOR, *RATIO_METHODS, *RATE_METHODS)
#: Absolute tolerance when comparing a score with its weight or one figure with another
#: (a score typed as 9.999999999 is not "below the weight").
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


class KeyReport(_Strict):
    title: str


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


class SurveyFile(_StrictParams):
    """``survey:`` — a respondent-level questionnaire export (:mod:`jixiao.keyproject.survey`)."""

    path: Path = Field(description="问卷导出文件（.xlsx 或 .csv），相对于参数文件")
    sheet: str | None = Field(None, description=".xlsx 的工作表（默认第一个）")
    population: int | None = Field(None, ge=1, description="调查总体人数（误差范围作有限总体校正）")


class AssessorSheet(_StrictParams):
    """One entry of ``assessors:`` — an assessor's score sheet (:mod:`jixiao.keyproject.assessors`)."""

    path: Path = Field(description="评价人员评分表（.xlsx），相对于参数文件")
    sheet: str | None = Field(None, description="工作表（默认第一个）")
    name: str | None = Field(None, description="评价人员（默认为工作表名或文件名）")


def _path_entry(v):
    """A bare path stands for ``{path: …}``."""
    return {"path": v} if isinstance(v, (str, Path)) else v


class KeyReportParams(_StrictParams):
    formats: list[Literal["html", "pdf", "docx"]] = ["html"]
    title: str | None = Field(default=None, description="报告标题；默认为“<项目名称>绩效评价报告”")


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
    survey: SurveyFile | None = None
    assessors: list[AssessorSheet] | None = Field(None, min_length=1)
    consolidate: Literal["mean", "median", "trimmed"] | None = None
    report: KeyReportParams = KeyReportParams()
    source: Path | None = Field(None, exclude=True)

    @field_validator("township", "project", mode="before")
    @classmethod
    def _slug_is_text(cls, v):
        if not isinstance(v, str):
            raise ValueError("应为文字（拼音简称），数字请加引号")
        return v

    @field_validator("survey", mode="before")
    @classmethod
    def _survey_path(cls, v):
        return _path_entry(v)

    @field_validator("assessors", mode="before")
    @classmethod
    def _assessor_paths(cls, v):
        return [_path_entry(x) for x in v] if isinstance(v, list) else v

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
        # read_params always sets output_dir (default ./reports); None only before that.
        assert self.output_dir is not None, "output_dir is resolved by read_params"
        return self.output_dir / self.township / str(self.year) / f"key-{self.project}"

    def other_inputs(self) -> list[Path]:
        """Files a run reads besides the parameters file and the workbook (the survey file,
        the assessors' sheets): recorded with their SHA-256 in the manifest, compared by an
        incremental batch, never overwritten by publishing."""
        files = [self.survey.path] if self.survey is not None else []
        return files + [a.path for a in self.assessors or []]

    def option_weights(self) -> dict[str, float]:
        """The survey option weights: the shipped ones, overridden by this file's."""
        return {**key_project_spec().scoring.satisfaction_weights, **(self.satisfaction_weights or {})}


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
            fail(
                str(raw.get("kind", "")),
                "kind: key-project",
                "这不是重点评价参数文件（应有 kind: key-project）；乡镇自评报告请用 jixiao run",
            )

    params = read_params(
        path,
        KeyProjectParams,
        mapping_hint="键值对（kind、township、year、project、workbook …）",
        doc="docs/key-project.md",
        check_raw=is_key_project,
    )
    _resolve_inputs(params, Path(path))
    return params


def _resolve_inputs(params: KeyProjectParams, path: Path) -> None:
    """``survey`` and ``assessors`` paths resolved against the parameters file; each must exist."""
    from jixiao.exceptions import ParametersError, Problem

    base = path.resolve().parent
    named: list[tuple[str, str, SurveyFile | AssessorSheet]] = []
    if params.survey is not None:
        named.append(("survey", "满意度调查文件", params.survey))
    named += [(f"assessors[{k}]", "评价人员评分表", a) for k, a in enumerate(params.assessors or [])]
    missing = []
    for key, what, entry in named:
        if not entry.path.is_absolute():
            entry.path = (base / entry.path).resolve()
        if not entry.path.is_file():
            missing.append(
                Problem(str(path), None, None, str(entry.path), f"存在的{what}", f"参数 {key} 指向的{what}不存在")
            )
    if missing:
        raise ParametersError(missing)


# ============================================================ reading a loaded workbook


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


def _sheet_name(ds: Dataset, sheet_id: str) -> str:
    return ds.spec.sheet(sheet_id).name


# ========================================================================== sample data


def is_sample(ds: Dataset) -> bool:
    """The workbook says its data is illustrative (项目概况/示例数据 = 是)."""
    return ds.facts["project"].get("sample") == "是"


def sample_text(ds: Dataset) -> str | None:
    """The 示例数据 note for the cover and the tables, or None for real data."""
    if not is_sample(ds):
        return None
    note = text(ds.facts["project"].get("sample_note")) or "本报告使用示例数据，仅供演示。"
    return f"{SAMPLE_LABEL}：{note}"
