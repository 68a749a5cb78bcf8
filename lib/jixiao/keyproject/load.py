"""Loading a key project: the workbook read, validated and scored in one step.

:func:`load_key_project` reads the workbook against :func:`~jixiao.keyproject.format.key_project_spec`
(the loader runs :func:`~jixiao.keyproject.checks.cross_checks`), checks the project name
against the parameters and scores it (:func:`~jixiao.keyproject.scoring.evaluate_dataset`);
:class:`KeyProject` holds the result and computes the report's findings on demand.

When the parameters name a survey file (``survey:``) or several assessors' score sheets
(``assessors:``), they are read too (:func:`~jixiao.keyproject.survey.read_survey`,
:func:`~jixiao.keyproject.assessors.read_panel`): the survey scores the 满意度 indicators
(also while the loader's cross_checks run, :func:`~jixiao.keyproject.scoring.survey_scoring`),
the assessors' consolidated scores the 评分 indicators, and both are on the
:class:`KeyProject` (``survey``, ``assessors``) for the report's 附件 and spread column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.exceptions import Problem, WorkbookError
from jixiao.keyproject.assessors import AssessorPanel, read_panel, stated_differences
from jixiao.keyproject.checks import run_key_checks
from jixiao.keyproject.format import KeyProjectParams, key_project_spec
from jixiao.keyproject.scoring import Evaluation, evaluate_dataset, survey_scoring
from jixiao.keyproject.survey import SurveyResult, read_survey, survey_config, survey_findings
from jixiao.workbook.cells import compact

if TYPE_CHECKING:
    from jixiao.analysis.checks import Finding
    from jixiao.workbook.dataset import Dataset


@dataclass
class KeyProject:
    """A loaded, validated and scored key project."""

    ds: Dataset
    evaluation: Evaluation
    params: KeyProjectParams | None = None
    #: The parameters' survey file, counted (None without ``survey:``).
    survey: SurveyResult | None = None
    #: The parameters' assessors, consolidated (None without ``assessors:``).
    assessors: AssessorPanel | None = None

    @property
    def findings(self) -> list[Finding]:
        """The report's consistency findings (:func:`run_key_checks`), computed on each access."""
        return run_key_checks(self.ds, self.evaluation)


def load_key_project(
    source: str | Path | KeyProjectParams,
    *,
    year: int | None = None,
    name: str | None = None,
    weights: dict[str, float] | None = None,
) -> KeyProject:
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

    params: KeyProjectParams | None = None
    survey: SurveyResult | None = None
    config = survey_config()
    if isinstance(source, KeyProjectParams):
        params = source
        path, year, name, weights = params.workbook, params.year, params.name, params.option_weights()
        if params.survey is not None:
            s = params.survey
            survey = read_survey(
                s.path,
                sheet=s.sheet,
                population=s.population,
                weights=params.satisfaction_weights,
                config=config.survey,
            )
    else:
        path = Path(source)
    spec = key_project_spec()
    with survey_scoring(survey, config.survey.indicator):
        ds = load_workbook(path, year=year, spec=spec)
    stated_name = ds.facts["project"].get("name")
    if name and stated_name and compact(name) != compact(stated_name):
        raise WorkbookError(
            Problem(
                str(path),
                spec.sheet("project").name,
                ds.locations["project"].get("name"),
                stated_name,
                f"{name}（参数文件中的 name）",
                "工作簿中的项目名称与参数文件 name 不一致",
            )
        )
    panel: AssessorPanel | None = None
    if params is not None and params.assessors:
        a = config.assessors
        panel = read_panel(
            params.assessors,
            ds,
            method=params.consolidate or a.consolidate,
            trim=a.trim,
            spread_share=a.spread_share,
            score_digits=spec.scoring.score_digits,
            workbook=str(path),
        )
    ev = evaluate_dataset(ds, weights, spec, survey=survey, survey_indicator=config.survey.indicator, panel=panel)
    if survey is not None:
        ev.input_findings.extend(survey_findings(survey, ds, ev.indicators))
    if panel is not None:
        ev.input_findings.extend(panel.findings())
        ev.input_findings.extend(stated_differences(panel, ds, spec.scoring.score_digits))
    return KeyProject(ds=ds, evaluation=ev, params=params, survey=survey, assessors=panel)
