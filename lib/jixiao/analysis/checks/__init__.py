"""Consistency checks (勾稽校验) over a township-year.

Each check is one small function registered with :func:`check` under an id
(``assessment.total``) and a Chinese title; it yields :class:`Finding` objects. The
checker never changes the data: it reports both figures and the cells they come from.

Severities
----------
``error``
    Arithmetic that does not hold beyond rounding (a stated total ≠ its parts).
``warning``
    A likely copy or classification problem (a date in the wrong year, an item that is not
    what its table says, the same figures in two columns).
``info``
    Holds only within rounding (在舍入误差范围内), or cannot be checked because data is
    blank (未提供), or is worth a reader's attention without being wrong.
``pass``
    Holds exactly, as printed.

Tolerances come from rounding (:mod:`jixiao.rounding`), never from a constant: a stated
total against *n* parts printed to 0.01 may differ by :func:`~jixiao.rounding.sum_tolerance`
(n); a stated percentage against one recomputed from printed inputs may lie anywhere in
the interval of :func:`~jixiao.rounding.ratio_interval`, widened by the stated figure's own
±0.005 percentage points. "Exact" means equal once the computed figure is rounded half up
as the report prints it.

Modules
-------
registry
    :class:`Finding`, the :data:`REGISTRY` and its :func:`check` decorator, :class:`Context`,
    :func:`run_checks`, :func:`summarize`, and the small helpers the checks share.
compare
    :func:`compare_sum`, :func:`compare_count`, :func:`compare_pct`: a stated figure
    against a recomputed one, within rounding.
unit, assessment, policy, three_public, budget, financial, procurement, projects, assets, forms
    The checks, one module per family, in the order of the report: the unit's basic
    facts, the assessment self-evaluation, major policies (special funds, “三保”), the
    三公 expenses, revenue and budget preparation, the financial report, procurement,
    projects and monitoring, assets, and the attached 项目支出绩效自评表 forms.

Importing this package imports every family, which registers its checks: the order of
the imports below is the order of :data:`REGISTRY`, of :func:`run_checks`' findings and
of the report's appendix.
"""

from __future__ import annotations

from jixiao.analysis.checks.compare import compare_count, compare_pct, compare_sum
from jixiao.analysis.checks.registry import (
    NOT_PROVIDED,
    REGISTRY,
    SEVERITIES,
    SEVERITY_LABELS,
    WITHIN_ROUNDING,
    Check,
    ChecksFailed,
    Context,
    Finding,
    check,
    run_check,
    run_checks,
    summarize,
)

# The families register their checks as they are imported: keep this order (report order).
# isort: off
from jixiao.analysis.checks import unit  # noqa: F401
from jixiao.analysis.checks import assessment  # noqa: F401
from jixiao.analysis.checks import policy  # noqa: F401
from jixiao.analysis.checks import three_public  # noqa: F401
from jixiao.analysis.checks import budget  # noqa: F401
from jixiao.analysis.checks import financial  # noqa: F401
from jixiao.analysis.checks import procurement  # noqa: F401
from jixiao.analysis.checks import projects  # noqa: F401
from jixiao.analysis.checks import assets  # noqa: F401
from jixiao.analysis.checks import crossyear  # noqa: F401
from jixiao.analysis.checks import forms  # noqa: F401
# isort: on

__all__ = [
    "NOT_PROVIDED",
    "REGISTRY",
    "SEVERITIES",
    "SEVERITY_LABELS",
    "WITHIN_ROUNDING",
    "Check",
    "ChecksFailed",
    "Context",
    "Finding",
    "check",
    "compare_count",
    "compare_pct",
    "compare_sum",
    "run_check",
    "run_checks",
    "summarize",
]
