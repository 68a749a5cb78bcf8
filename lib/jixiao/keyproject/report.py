"""The key-project report: its report kind, the scores workbook and the township's links.

- :class:`KeyProjectReport` (:data:`KEY_PROJECT`) is the key-project evaluation as a
  :class:`jixiao.report.pipeline.ReportKind`: :func:`evaluate` builds the report with
  :func:`jixiao.report.pipeline.build_report` (``jixiao evaluate``),
  :func:`check_key_project` only validates and scores (``jixiao evaluate --check``);
- :func:`write_scores` writes ``scores.xlsx`` next to the report;
- :func:`key_project_links` lets a township report link to the key-project reports of
  its township-year.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from jixiao.exceptions import InputError
from jixiao.keyproject.format import SAMPLE_LABEL, KeyProjectParams, key_project_spec, load_key_params, sample_text
from jixiao.keyproject.load import KeyProject, load_key_project
from jixiao.keyproject.scoring import Evaluation
from jixiao.report.pipeline import ReportKind, RunResult, build_report
from jixiao.values import num
from jixiao.workbook.cells import compact

if TYPE_CHECKING:
    from jixiao.workbook.dataset import Dataset


# ====================================================================== the report kind


def report_title(params: KeyProjectParams, ds: Dataset) -> str:
    """``东史端镇南胡渠村道路改造工程绩效评价报告`` unless the parameters give a title."""
    return params.report.title or f"{ds.facts['project'].get('name') or ''}{key_project_spec().report.title}"


def report_title_lines(params: KeyProjectParams, ds: Dataset) -> list[str]:
    """The cover's title lines: the project's name, then ``绩效评价报告`` (a line break between
    them, so the title never breaks inside a word); the parameters' own title as one line."""
    name = ds.facts["project"].get("name")
    if params.report.title or not name:
        return [report_title(params, ds)]
    return [str(name), key_project_spec().report.title]


def _report_date(ds: Dataset) -> str:
    """The workbook's 报告日期, else a date line to fill by hand (as the township report)."""
    from jixiao.report.context import date_line

    return date_line(ds.facts["project"].get("report_date"))


@dataclass
class EvaluateResult(RunResult):
    """A report run's result (:class:`~jixiao.report.pipeline.RunResult`), plus the key project's evaluation."""

    evaluation: Evaluation | None = None


def check_key_project(params_path: str | Path) -> KeyProject:
    """Validate and score without running the notebooks (``jixiao evaluate --check``)."""
    params = load_key_params(params_path)
    return load_key_project(params)


class KeyProjectReport(ReportKind[KeyProject]):
    """The key-project evaluation (重点评价) as a report kind (``jixiao evaluate``)."""

    name = "key-project"

    def load(self, params_path: Path) -> KeyProject:
        return load_key_project(load_key_params(params_path))

    def params(self, loaded: KeyProject) -> KeyProjectParams:
        assert loaded.params is not None  # load() always loads from a parameters file
        return loaded.params

    def cover(self, loaded: KeyProject) -> dict:
        ds = loaded.ds
        params = self.params(loaded)
        return {
            "unit": ds.facts["project"].get("unit") or ds.facts["project"].get("name"),
            "year": params.year,
            "title": report_title(params, ds),
            "title_lines": report_title_lines(params, ds),
            "date": _report_date(ds),
            "sample": sample_text(ds),
        }

    def finish(self, loaded: KeyProject, stage: Path) -> dict:
        ev = loaded.evaluation
        write_scores(stage / "scores.xlsx", ev, sample_text(loaded.ds), ds=loaded.ds)
        return {
            "kind": "key-project",
            "result": {
                "name": ev.name,
                "score": ev.total,
                "grade": ev.grade,
                "sample": ev.sample,
                "dimensions": {d.name: {"weight": d.weight, "score": d.score} for d in ev.dimensions},
            },
        }

    def result(self, loaded: KeyProject, base: RunResult) -> EvaluateResult:
        return EvaluateResult(**vars(base), evaluation=loaded.evaluation)


KEY_PROJECT = KeyProjectReport()


def evaluate(
    params_path: str | Path,
    *,
    notebooks_dir: Path | None = None,
    formats: str | list[str] | None = None,
    on_start: Callable[[str], None] | None = None,
    on_done: Callable | None = None,
    on_format: Callable[[str], None] | None = None,
    final: bool = False,
) -> EvaluateResult:
    """Build the key-project report for one parameters file (``jixiao evaluate``).

    The same run as the township's (:func:`jixiao.report.pipeline.build_report`): the
    workbook is validated before any kernel starts (bad input → :class:`InputError`, exit
    2, nothing written); the section notebooks (``notebooks/key_project/`` by default)
    run in one kernel; outputs go to a staging folder that replaces
    ``reports/<township>/<year>/key-<project>`` only when every section ran (a failure →
    :class:`~jixiao.exceptions.SectionFailure`, exit 1, the previous report intact and
    the failing notebook kept in ``key-<project>.failed/``).
    """
    result = build_report(
        KEY_PROJECT,
        params_path,
        notebooks_dir=notebooks_dir,
        formats=formats,
        on_start=on_start,
        on_done=on_done,
        on_format=on_format,
        final=final,
    )
    assert isinstance(result, EvaluateResult)  # KEY_PROJECT.result makes one
    return result


# ================================================================== the scores workbook


#: Columns of the indicator and dimension frames in scores.xlsx, with their headers.
_INDICATOR_HEADERS = {
    "no": "序号",
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "weight": "分值",
    "score": "得分",
    "deducted": "扣分",
    "method": "计分方式",
    "basis": "计分说明",
    "reason": "扣分原因",
    "criteria": "评分标准",
    "evidence": "评分依据",
    "materials": "佐证材料",
}
_DIMENSION_HEADERS = {
    "name": "一级指标",
    "indicators": "指标数",
    "weight": "分值",
    "score": "得分",
    "rate": "得分率（%）",
}


def indicator_materials(ds: Dataset | None, ev: Evaluation) -> list[str | None]:
    """Each indicator's 佐证材料, its items (separated by ``；``/``;``/line breaks in the cell)
    joined by ``；``; None where the cell is blank or no workbook is given."""
    import re

    from jixiao.values import text

    if ds is None:
        return [None] * len(ev.indicators)
    by_row = {r["_row"]: r for r in ds.tables["indicators"].to_dict("records")}
    out: list[str | None] = []
    for i in ev.indicators:
        items = re.split(r"[；;\n\r]+", text(by_row.get(i.row, {}).get("materials")) or "")
        out.append("；".join(x.strip() for x in items if x.strip()) or None)
    return out


def write_scores(path: Path, ev: Evaluation, sample: str | None = None, *, ds: Dataset | None = None) -> Path:
    """The indicator and dimension scores as a workbook (``scores.xlsx``).

    With the workbook (``ds``) the indicator sheet lists each indicator's 佐证材料 too.
    """
    import pandas as pd

    frame = ev.indicator_frame()
    frame["materials"] = indicator_materials(ds, ev)
    ind = frame[list(_INDICATOR_HEADERS)].rename(columns=_INDICATOR_HEADERS)
    dim = ev.dimension_frame()[list(_DIMENSION_HEADERS)].rename(columns=_DIMENSION_HEADERS)
    summary = pd.DataFrame(
        [
            {"项目": "项目名称", "内容": ev.name},
            {"项目": "综合得分", "内容": ev.total},
            {"项目": "评价等级", "内容": ev.grade},
        ]
        + ([{"项目": SAMPLE_LABEL, "内容": sample}] if sample else [])
    )
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from jixiao.values import is_blank
    from jixiao.xlsx import append_row

    wb = Workbook()
    wb.remove(wb.active)
    for title, frame in (("评价结果", summary), ("指标得分", ind), ("维度得分", dim)):
        ws = wb.create_sheet(title)
        append_row(ws, frame.columns)
        for c in ws[1]:
            c.font = Font(bold=True)
        for row in frame.itertuples(index=False):
            append_row(ws, [None if is_blank(v) else v for v in row])
    wb.save(path)
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
            compact(result.get("name")),
            compact(kp.name),
        )
        links.append(
            {
                "name": result.get("name") or kp.name or kp.project,
                "score": result.get("score"),
                "grade": result.get("grade"),
                "href": Path(os.path.relpath(report, township_params.out_dir)).as_posix(),
                "sample": bool(result.get("sample")),
                "params": str(f),
                "stated_score": num(stated.get("key_project_score")) if same else None,
                "stated_grade": stated.get("key_project_grade") if same else None,
            }
        )
    return links
