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
  its township-year; ``jixiao evaluate`` (:mod:`jixiao.cli.report`) is the command line.

Modules
-------
Each imports only those above it:

- :mod:`~jixiao.keyproject.format`: constants (:data:`SAMPLE_LABEL`, :data:`METHODS` …),
  the workbook spec (:class:`KeyProjectSpec`, :func:`key_project_spec`), the parameters
  (:class:`KeyProjectParams`, :func:`load_key_params`), :func:`is_sample`, :func:`sample_text`;
- :mod:`~jixiao.keyproject.scoring`: :func:`score_indicator`, :func:`evaluate_dataset`
  and their results (:class:`IndicatorScore`, :class:`DimensionScore`, :class:`Evaluation`),
  the fund / works / survey rates; its docstring lists the scoring rules;
- :mod:`~jixiao.keyproject.survey`: a questionnaire export (满意度调查, one row per
  respondent) read and counted: :func:`read_survey` → :class:`SurveyResult`
  (``jixiao survey``; ``survey:`` in the parameters scores the 满意度 indicator from it);
- :mod:`~jixiao.keyproject.assessors`: several assessors' score sheets (``assessors:``),
  consolidated per indicator with their spread: :func:`read_panel` → :class:`AssessorPanel`;
- :mod:`~jixiao.keyproject.checks`: the loader's :func:`cross_checks` and the report's
  findings (:func:`run_key_checks`);
- :mod:`~jixiao.keyproject.load`: :func:`load_key_project` → :class:`KeyProject`;
- :mod:`~jixiao.keyproject.template`: :func:`write_key_project_template`;
- :mod:`~jixiao.keyproject.report`: the report kind (:class:`KeyProjectReport`,
  :data:`KEY_PROJECT`, :func:`evaluate`, :func:`check_key_project`, :func:`report_title`,
  :class:`EvaluateResult`), :func:`write_scores`, :func:`key_project_links`.

The names below are re-exported so that ``from jixiao.keyproject import …`` reaches them
all. :mod:`jixiao.report.sections.key_project` imports this package, which imports
:mod:`jixiao.report.pipeline`; the pipeline must not import this package at module level.
"""

from __future__ import annotations

from jixiao.keyproject.assessors import AssessorPanel, IndicatorPanel, read_panel
from jixiao.keyproject.checks import cross_checks, run_key_checks
from jixiao.keyproject.format import (
    ASSESSOR,
    METHODS,
    RATE_METHODS,
    RATIO_METHODS,
    SAMPLE_LABEL,
    KeyProjectParams,
    KeyProjectSpec,
    KeyReport,
    KeyReportParams,
    KeyScoring,
    OutputBenefit,
    is_sample,
    key_project_spec,
    load_key_params,
    sample_text,
)
from jixiao.keyproject.load import KeyProject, load_key_project
from jixiao.keyproject.report import (
    KEY_PROJECT,
    EvaluateResult,
    KeyProjectReport,
    check_key_project,
    evaluate,
    key_project_links,
    report_title,
    write_scores,
)
from jixiao.keyproject.scoring import (
    DimensionScore,
    Evaluation,
    IndicatorScore,
    evaluate_dataset,
    fund_rates,
    fund_totals,
    satisfaction_rate,
    score_indicator,
)
from jixiao.keyproject.survey import OverallStats, QuestionStats, SurveyResult, read_survey, survey_config
from jixiao.keyproject.template import write_key_project_template

__all__ = [
    # the format and the parameters
    "ASSESSOR",
    "METHODS",
    "RATE_METHODS",
    "RATIO_METHODS",
    "SAMPLE_LABEL",
    "KeyProjectParams",
    "KeyProjectSpec",
    "KeyReport",
    "KeyReportParams",
    "KeyScoring",
    "OutputBenefit",
    "is_sample",
    "key_project_spec",
    "load_key_params",
    "sample_text",
    # scoring
    "DimensionScore",
    "Evaluation",
    "IndicatorScore",
    "evaluate_dataset",
    "fund_rates",
    "fund_totals",
    "satisfaction_rate",
    "score_indicator",
    # the survey and several assessors
    "OverallStats",
    "QuestionStats",
    "SurveyResult",
    "read_survey",
    "survey_config",
    "AssessorPanel",
    "IndicatorPanel",
    "read_panel",
    # checks and loading
    "cross_checks",
    "run_key_checks",
    "KeyProject",
    "load_key_project",
    # the template
    "write_key_project_template",
    # the report
    "KEY_PROJECT",
    "EvaluateResult",
    "KeyProjectReport",
    "check_key_project",
    "evaluate",
    "key_project_links",
    "report_title",
    "write_scores",
]
