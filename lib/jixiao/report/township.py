"""The township report (部门整体绩效管理自评报告) as a :class:`~jixiao.report.pipeline.ReportKind`.

``jixiao run``: the parameters file and its workbook, the consistency checks, the cover,
and the files a township's report folder holds besides the report (``scores.xlsx``, and
``summary.json`` for the county roll-up).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from jixiao.params import Params
from jixiao.report.pipeline import ReportKind, RunResult, build_report
from jixiao.workbook.dataset import Dataset


@dataclass
class Township:
    """A township-year as loaded for its report."""

    params: Params
    ds: Dataset
    findings: list

    @cached_property
    def context(self):
        """The report context of the loaded data, built once: no second read of the workbook
        and no second run of the checks in this process (the cover, ``scores.xlsx`` and the
        review's analysis all ask for it)."""
        from jixiao.report.context import ReportContext

        ctx = ReportContext(params=self.params, ds=self.ds)
        ctx.shared["findings"] = self.findings
        return ctx


class TownshipReport(ReportKind[Township]):
    name = "township"
    # A township's report folder holds its key-project evaluations (key-<project>/): a
    # township rerun keeps them.
    preserve = ("key-*",)

    def load(self, params_path: Path) -> Township:
        from jixiao.analysis.checks import run_checks
        from jixiao.inputs import load_township
        from jixiao.params import load_params

        params = load_params(params_path)
        ds = load_township(params)
        return Township(params, ds, run_checks(ds, params))

    def cover(self, loaded: Township) -> dict:
        from jixiao.report.context import report_date

        return {
            "unit": loaded.ds.name,
            "year": loaded.params.year,
            "title": loaded.params.report.title,
            "date": report_date(loaded.context),
        }

    def acknowledgements(self, loaded: Township) -> list:
        from jixiao.review import read_acknowledgements

        return read_acknowledgements(loaded.ds)

    def review_parts(self, loaded: Township) -> list:
        from jixiao.review.township import review_parts

        return review_parts(loaded.context)

    def finish(self, loaded: Township, stage: Path) -> dict:
        from jixiao.analysis.scoring.scoresheet import write_scores
        from jixiao.scale.rollup import unit_summary

        write_scores(stage / "scores.xlsx", loaded.context)
        # The figures a county roll-up needs, so `jixiao rollup` reads instead of recomputing.
        (stage / "summary.json").write_text(
            json.dumps(
                unit_summary(loaded.ds, loaded.params, loaded.findings), ensure_ascii=False, indent=2, default=str
            ),
            encoding="utf-8",
        )
        return {}


TOWNSHIP = TownshipReport()


def run_report(
    params_path: str | Path,
    *,
    notebooks_dir: Path | None = None,
    formats: str | list[str] | None = None,
    on_start: Callable[[str], None] | None = None,
    on_done: Callable | None = None,
    on_format: Callable[[str], None] | None = None,
    final: bool = False,
) -> RunResult:
    """Build the township report for one parameters file (``jixiao run``).

    See :func:`jixiao.report.pipeline.build_report` for the parameters and guarantees.
    """
    return build_report(
        TOWNSHIP,
        params_path,
        notebooks_dir=notebooks_dir,
        formats=formats,
        on_start=on_start,
        on_done=on_done,
        on_format=on_format,
        final=final,
    )
