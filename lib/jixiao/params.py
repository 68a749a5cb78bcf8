"""The parameters file (``params/<township>-<year>.yaml``): typed, strict, and resolved.

Relative paths in the file are relative to the file itself, so a parameters file and
its workbook can move together.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, NoReturn, Protocol, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from jixiao.configfile import YAMLFileError, field_problems, read_mapping
from jixiao.exceptions import ParametersError, Problem
from jixiao.workbook.cells import compact


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssessmentParams(_Strict):
    """How the management-assessment score is converted and graded."""

    applicable_max: float | None = Field(
        default=None,
        # a rubric's maximum is a number of points: finite, and at least 1 (1e-300 or .inf
        # would make every 换算得分 0 or infinite)
        ge=1,
        le=10000,
        allow_inf_nan=False,
        description="本单位适用的考核满分（换算得分 = 得分 ÷ 适用满分 × 100）；工作簿中填写时以工作簿为准",
    )
    applicable_max_source: str | None = Field(default=None, description="适用满分的来源或推算依据")


class ReportParams(_Strict):
    """What the report run produces."""

    formats: list[Literal["html", "pdf", "docx"]] = ["html"]
    title: str = "部门整体绩效管理自评报告"


class Params(_Strict):
    """One township-year run."""

    #: The kind of parameters file (a key project's says ``kind: key-project``).
    kind: Literal["township"] = "township"
    township: str = Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64, description="拼音简称，用作输出目录名（至多 64 个字符）"
    )
    year: int = Field(ge=1990, le=2100)
    name: str | None = Field(None, description="单位全称；给出时与工作簿核对")
    workbook: Path
    output_dir: Path | None = Field(None, description="输出根目录；默认为当前目录下的 reports")
    scoring_scheme: str = "national"
    project_forms: Path | None = Field(
        None, description="项目支出绩效自评表：一个 .xlsx 文件或存放这些文件的文件夹（附于报告之后并参与校验）"
    )
    assessment: AssessmentParams = AssessmentParams()
    report: ReportParams = ReportParams()
    previous: Path | None = Field(
        None, description="上一年度同一单位的参数文件（跨年度校验、结转）；相对路径相对于本文件"
    )
    #: Where this file was read from (not a key in the file).
    source: Path | None = Field(None, exclude=True)

    @field_validator("township", mode="before")
    @classmethod
    def _township_is_text(cls, v):
        # YAML reads `township: 007` as the number 7; refuse rather than silently rename.
        if not isinstance(v, str):
            raise ValueError("应为文字（拼音简称），数字请加引号")
        return v

    def other_inputs(self) -> list[Path]:
        """Files a run reads besides the parameters file and the workbook (the project forms):
        recorded with their SHA-256 in the manifest, compared by an incremental batch, and
        never overwritten by publishing."""
        forms: list[Path] = []
        if self.project_forms is not None:
            from jixiao.forms.township import form_files

            forms = form_files(self.project_forms)
        return forms + previous_inputs(self)

    @property
    def out_dir(self) -> Path:
        """``<output_dir>/<township>/<year>``."""
        # read_params always sets output_dir (default ./reports); None only before that.
        assert self.output_dir is not None, "output_dir is resolved by read_params"
        return self.output_dir / self.township / str(self.year)


def load_params(path: str | Path) -> Params:
    """Read and validate a parameters file; relative paths resolve against its folder.

    Raises
    ------
    ParametersError
        Naming the file and every bad or unknown key.
    """

    def not_key_project(raw: dict, fail) -> None:
        if raw.get("kind") == "key-project":
            # Otherwise: "unknown parameter kind / project", which does not say what to do.
            fail(
                "kind: key-project",
                "乡镇（部门）自评报告的参数文件",
                "这是重点项目评价的参数文件：请用 jixiao evaluate 生成报告（只校验：jixiao evaluate --check）",
            )

    params = read_params(
        path,
        Params,
        mapping_hint="键值对（township、year、workbook …）",
        doc="docs/parameters.md",
        check_raw=not_key_project,
    )
    params.scoring_scheme = _checked_scheme(params.scoring_scheme, Path(path))
    params.project_forms = _checked_forms(params.project_forms, Path(path))
    params.previous = _previous_of(params, Path(path))
    return params


def _checked_forms(forms: Path | None, path: Path) -> Path | None:
    """``project_forms`` resolved against the parameters file's folder (as ``workbook`` is);
    it must be an .xlsx file or a folder."""
    if forms is None:
        return None
    resolved = forms.expanduser()
    if not resolved.is_absolute():
        resolved = (path.resolve().parent / resolved).resolve()
    if resolved.is_dir() or (resolved.is_file() and resolved.suffix.lower() == ".xlsx"):
        return resolved
    found = str(resolved) if resolved.exists() else f"{resolved}（不存在）"
    raise ParametersError(
        Problem(
            str(path),
            None,
            None,
            found,
            "项目支出绩效自评表的 .xlsx 文件或文件夹",
            "参数 project_forms 应指向自评表文件（.xlsx）或存放自评表的文件夹",
        )
    )


def _checked_scheme(scheme: str, path: Path) -> str:
    """``scoring_scheme`` as a run uses it: a shipped name as is, a file resolved against the
    parameters file's folder (as ``workbook`` is); either must load (validate ⇒ run)."""
    import re

    from jixiao.analysis.scoring import load_scheme
    from jixiao.exceptions import ConfigError

    shown = str(path)
    resolved = scheme
    if not re.fullmatch(r"[\w-]+", scheme):
        p = Path(scheme).expanduser()
        resolved = str(p if p.is_absolute() else (path.resolve().parent / p).resolve())
    try:
        load_scheme(resolved)
    except ConfigError as exc:
        raise ParametersError(
            Problem(
                shown,
                None,
                None,
                scheme,
                "评分方案名称（national、regional）或评分方案文件",
                f"参数 scoring_scheme：{exc}",
            )
        ) from None
    return resolved


class _FileParams(Protocol):
    """What :func:`read_params` needs of a parameters model (township or key project)."""

    workbook: Path
    output_dir: Path | None
    source: Path | None

    @classmethod
    def model_validate(cls, obj: Any) -> Self: ...


_P = TypeVar("_P", bound=_FileParams)


def read_params(
    path: str | Path,
    model: type[_P],
    *,
    mapping_hint: str,
    doc: str,
    check_raw: Callable[[dict, Callable[[str, str, str], NoReturn]], None] | None = None,
) -> _P:
    """Read a parameters YAML file into ``model`` (township or key project), resolved.

    The steps both kinds share: the file exists and is a YAML mapping; ``check_raw(raw,
    fail)`` may refuse it early (the other kind's file); pydantic errors become one
    :class:`Problem` each (:func:`jixiao.configfile.field_problems`: unknown keys name the
    model's keys, missing and bad keys say what is expected); ``workbook`` and ``output_dir``
    resolve against the file's folder (``output_dir`` defaults to ``./reports``) and the
    workbook must exist.

    Raises
    ------
    ParametersError
    """
    path = Path(path)
    shown = str(path)

    def fail(found: str, expected: str, message: str) -> NoReturn:
        raise ParametersError(Problem(shown, None, None, found, expected, message))

    try:
        raw = read_mapping(path)
    except YAMLFileError as exc:
        if not path.is_file():
            fail("", "存在的参数文件（.yaml）", "找不到参数文件")
        if exc.message == "应为键值结构":
            fail(exc.found, mapping_hint, "参数文件应为键值对")
        fail(exc.found, exc.expected or "YAML 格式的参数文件", f"参数文件{exc.message}")
    if check_raw is not None:
        check_raw(raw, fail)
    try:
        params = model.model_validate(raw)
    except ValidationError as exc:
        raise ParametersError(
            [
                Problem(shown, None, None, found, expected or f"见 {doc}", message)
                for _key, found, expected, message in field_problems(exc, model, "参数")  # type: ignore[arg-type]
            ]
        ) from None
    base = path.resolve().parent
    if not params.workbook.is_absolute():
        params.workbook = (base / params.workbook).resolve()
    if params.output_dir is None:
        params.output_dir = Path.cwd() / "reports"
    elif not params.output_dir.is_absolute():
        params.output_dir = (base / params.output_dir).resolve()
    params.source = path
    if not params.workbook.is_file():
        fail(str(params.workbook), "存在的工作簿文件", f"参数 workbook 指向的工作簿不存在：{params.workbook}")
    return params


# -- previous: last year's parameters file of the same unit (cross-year checks, carry forward) --
#: A batch's own knowledge of last year's parameters file, for the files that name none
#: (``previous:`` absent): parameters path → the previous year's of the same township in the
#: run set (set by :func:`jixiao.scale.task.run_one`; see :func:`jixiao.scale.batch.previous_in`).
PREVIOUS_IN_RUNSET: dict[Path, Path] = {}


def _previous_of(params: Params, path: Path) -> Path | None:
    """``previous`` as a run uses it (:func:`_checked_previous`); without one, the previous
    year of the same township in the batch's run set, when it fits (else none)."""
    if params.previous is not None:
        return _checked_previous(params, path)
    found = PREVIOUS_IN_RUNSET.get(path.resolve())
    if found is None:
        return None
    try:
        return _checked_previous(params.model_copy(update={"previous": found}), path)
    except ParametersError:
        return None  # not asked for in the file: a run set's guess that does not fit is dropped


def _checked_previous(params: Params, path: Path) -> Path:
    """``previous`` resolved against the parameters file's folder (as ``workbook`` is). It
    must be last year's file of the same unit: it loads, names the same township (and unit
    name, when both give one) and the year before (validate ⇒ run: the cross-year checks
    compare this year's 上年 figures with that year's).

    Raises
    ------
    ParametersError
    """
    assert params.previous is not None
    shown = str(path)
    prev = params.previous.expanduser()
    if not prev.is_absolute():
        prev = (path.resolve().parent / prev).resolve()

    def fail(found: str, expected: str, message: str) -> NoReturn:
        raise ParametersError(Problem(shown, None, None, found, expected, f"参数 previous：{message}"))

    if not prev.is_file():
        fail(str(params.previous), "存在的上年度参数文件（.yaml）", f"找不到上年度参数文件 {prev}")
    if prev == path.resolve():
        fail(str(params.previous), "上一年度的参数文件", "指向了本参数文件自身")
    try:
        last = load_params(prev)
    except ParametersError as exc:
        first = exc.problems[0] if exc.problems else None
        fail(
            str(params.previous),
            "可读取的上年度参数文件",
            f"上年度参数文件 {prev} 有误：{first.message if first else exc}",
        )
    if last.township != params.township:
        fail(
            f"township: {last.township}",
            f"township: {params.township}",
            f"上年度参数文件 {prev} 属于另一单位（township 为“{last.township}”，本文件为“{params.township}”）",
        )
    if params.name and last.name and compact(params.name) != compact(last.name):
        fail(
            f"name: {last.name}",
            f"name: {params.name}",
            f"上年度参数文件 {prev} 的单位名称“{last.name}”与本文件的“{params.name}”不同",
        )
    if last.year != params.year - 1:
        if last.year > params.year:
            said = f"年度 {last.year} 晚于本文件的 {params.year} 年度"
        elif last.year == params.year:
            said = f"年度与本文件同为 {params.year} 年"
        else:
            said = f"年度 {last.year} 不是上一年度（“上年”数字取自上一年度的工作簿）"
        fail(
            f"year: {last.year}",
            f"year: {params.year - 1}",
            f"上年度参数文件 {prev} 的{said}，应为 {params.year - 1} 年度",
        )
    return prev


def previous_inputs(params: Params, years: int = 2) -> list[Path]:
    """The files of the earlier years a run reads through ``previous:`` (each year's parameters
    file and workbook, up to ``years`` back: the cross-year checks read one, the report's
    multi-year view two), so that a change in last year's workbook makes this year's report
    out of date."""
    out: list[Path] = []
    node = params
    for _ in range(years):
        if node.previous is None:
            break
        last = load_params(node.previous)
        out += [Path(node.previous), Path(last.workbook)]
        node = last
    return out
