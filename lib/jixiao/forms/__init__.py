"""The official 项目支出绩效自评表 (财预〔2020〕10号 附件): read, check, score and write it.

Modules
-------
- :mod:`~jixiao.forms.model`: what a form holds (:class:`ProjectForm`, :class:`FundRow`,
  :class:`FormIndicator`), amounts in 万元, every figure with its cell;
- :mod:`~jixiao.forms.read`: reading forms from Excel files by their labels
  (:func:`read_form`, :func:`read_forms`; the accepted words in ``config/forms.yaml``);
- :mod:`~jixiao.forms.score`: a form's scores recomputed under a scheme (:func:`score_form`);
- :mod:`~jixiao.forms.checks`: its checks as findings (:func:`form_findings`);
- :mod:`~jixiao.forms.write`: writing forms in the official layout (import it by its own
  name: it pulls in the xlsx writer).

The command is ``jixiao selfeval`` (:mod:`jixiao.cli.selfeval`); docs/project-forms.md
describes the form, the checks and the JSON.
"""

from __future__ import annotations

from jixiao.forms.checks import TITLES, form_findings, goal_amounts
from jixiao.forms.model import FUND_COLUMNS, FUND_ROWS, FormIndicator, FundRow, ProjectForm
from jixiao.forms.read import FormsConfig, form_files, forms_config, read_form, read_forms
from jixiao.forms.score import FormScore, IndicatorResult, grade_of, score_form, score_form_indicator

__all__ = [
    "FUND_COLUMNS",
    "FUND_ROWS",
    "TITLES",
    "FormIndicator",
    "FormScore",
    "FormsConfig",
    "FundRow",
    "IndicatorResult",
    "ProjectForm",
    "form_files",
    "form_findings",
    "forms_config",
    "goal_amounts",
    "grade_of",
    "read_form",
    "read_forms",
    "score_form",
    "score_form_indicator",
]
