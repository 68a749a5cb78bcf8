"""二、部门绩效考核自评情况 (opening, scores) and its parts （一）重大政策落实 · （二）预算编制管理 ·
（三）预算执行管理.

Every figure comes from the dataset through :mod:`jixiao.analysis.finance`, :mod:`jixiao.analysis.scoring.selfeval`
and the checker's findings (``ctx.findings``); nothing is pasted from the seed. Where a
stated figure and the recomputed one disagree, the sentence says so with both figures.

Workbook texts (文字说明) hold the unit's narrative and no figures (the format's rule, see
``config/workbook.yaml``). Where the unit's sentence goes on with figures (非税收入, 资源统筹,
政府采购), the template continues the text with the clause generated from the data
(``templates/sections/_text.html.j2``), so that every figure is printed once, from the data.
Texts are autoescaped.

The parts are modules of this package (:mod:`.overview`, :mod:`.policy`, :mod:`.budgeting`,
:mod:`.execution`); the notebook ``02_assessment.ipynb`` calls them through it.
"""

from __future__ import annotations

from jixiao.report.sections.assessment.budgeting import (
    budget_preparation,
    budget_preparation_figures,
    budget_system,
    resource_pooling,
)
from jixiao.report.sections.assessment.execution import (
    direct_funds,
    direct_funds_figures,
    execution_supervision,
    final_accounts,
    final_accounts_figures,
    financial_report,
    financial_report_figures,
    procurement,
    township_final_accounts,
    township_final_figures,
)
from jixiao.report.sections.assessment.overview import (
    assessment_figures,
    county_authority,
    fund_label,
    overview,
    part_heading,
)
from jixiao.report.sections.assessment.policy import (
    austerity,
    nontax_figures,
    special_funds,
    tax_and_fees,
    three_guarantees,
    three_public_figures,
)

__all__ = [
    "county_authority",
    "part_heading",
    "assessment_figures",
    "overview",
    "fund_label",
    "special_funds",
    "three_guarantees",
    "three_public_figures",
    "austerity",
    "nontax_figures",
    "tax_and_fees",
    "budget_system",
    "budget_preparation_figures",
    "budget_preparation",
    "resource_pooling",
    "execution_supervision",
    "final_accounts_figures",
    "final_accounts",
    "financial_report_figures",
    "financial_report",
    "procurement",
    "direct_funds_figures",
    "direct_funds",
    "township_final_figures",
    "township_final_accounts",
]
