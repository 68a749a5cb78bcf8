"""The machinery of the consistency checks: findings, the registry, running them.

A check is a function of a :class:`Context` that yields :class:`Finding` objects; the
:func:`check` decorator registers it in :data:`REGISTRY` under an id and a Chinese title,
and :func:`run_checks` runs the registered checks in registration order. The family
modules of :mod:`jixiao.analysis.checks` hold the checks themselves; this module also
holds the small helpers they share to build findings (:func:`_finding`,
:func:`_not_provided`), print figures (:func:`_plain`, :func:`_tol`, :func:`_money`) and
name the cells of the dataset (:func:`_col`, :func:`_spans`, :func:`_fact_cells`).

Severities (see :mod:`jixiao.analysis.checks`) are ``error``, ``warning``, ``info`` and
``pass``; :data:`SEVERITY_LABELS` says how users see them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from jixiao.analysis.finance.inputs import records
from jixiao.exceptions import JixiaoError
from jixiao.rounding import fmt
from jixiao.values import num, plain
from jixiao.workbook.dataset import Dataset

SEVERITIES = ("error", "warning", "info", "pass")
#: How severities are shown to users.
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示", "pass": "通过"}
WITHIN_ROUNDING = "在舍入误差范围内"
NOT_PROVIDED = "未提供"
# Float noise only (sums of two-decimal figures are not exact in binary); far below any
# rounding tolerance.
_EPS = 1e-9


@dataclass
class Finding:
    """One result of one check.

    Attributes
    ----------
    id : str
        The check's id (``assessment.total``).
    title : str
        The check's Chinese title.
    severity : str
        ``error`` | ``warning`` | ``info`` | ``pass``.
    message : str
        One Chinese sentence with both figures.
    stated : float or None
        The figure the report states.
    computed : float or None
        The figure recomputed from its parts (full precision).
    difference : float or None
        stated − computed.
    tolerance : float or None
        The largest difference rounding explains (same unit as the figures).
    cells : list of str
        Excel references of the figures involved (``考核得分!D3:D10``).
    """

    id: str
    title: str
    severity: str
    message: str
    stated: float | None = None
    computed: float | None = None
    difference: float | None = None
    tolerance: float | None = None
    cells: list[str] = field(default_factory=list)

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}: {self.severity!r}")

    @property
    def label(self) -> str:
        """The severity in Chinese (错误 / 警告 / 提示 / 通过)."""
        return SEVERITY_LABELS[self.severity]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of the fields (NaN and infinities become None)."""
        d = asdict(self)
        for k in ("stated", "computed", "difference", "tolerance"):
            v = d[k]
            d[k] = None if v is None or not math.isfinite(float(v)) else float(v)
        d["cells"] = [str(c) for c in d["cells"]]
        return d


@dataclass(frozen=True)
class Check:
    """A registered check: id, Chinese title and the function that yields findings."""

    id: str
    title: str
    func: Callable[[Context], Iterable[Finding]]


#: Every registered check, by id, in registration (report) order.
REGISTRY: dict[str, Check] = {}


def check(check_id: str, title: str):
    """Register a check function under ``check_id`` with a Chinese ``title``.

    The function takes a :class:`Context` and yields findings; their ``id`` and
    ``title`` are filled in by :func:`run_checks`.
    """

    def register(func):
        if check_id in REGISTRY:
            raise ValueError(f"duplicate check id {check_id!r}")
        REGISTRY[check_id] = Check(check_id, title, func)
        return func

    return register


class ChecksFailed(JixiaoError):
    """Raised by the command line when the checks found errors (exit code 1)."""

    exit_code = 1


@dataclass
class Context:
    """What a check sees: the dataset and the run's parameters (may be None)."""

    ds: Dataset
    params: Any = None

    @property
    def year(self) -> int | None:
        y = num(self.ds.facts.get("unit", {}).get("year"))
        return None if y is None else int(y)

    def stated(self, key: str) -> Any:
        return self.ds.facts.get("stated", {}).get(key)

    def unit(self, key: str) -> Any:
        return self.ds.facts.get("unit", {}).get(key)

    def param(self, *path: str) -> Any:
        """``params.assessment.applicable_max`` for ``param('assessment', 'applicable_max')``;
        works with a :class:`~jixiao.params.Params` or a plain dict."""
        node = self.params
        for key in path:
            if node is None:
                return None
            node = node.get(key) if isinstance(node, dict) else getattr(node, key, None)
        return node

    def applicable_max(self) -> tuple[float | None, str | None, str | None]:
        """(value, cell, description) of the applicable maximum.

        The workbook's 填报数据 适用满分 governs when filled (as ``params.py`` documents),
        else ``assessment.applicable_max`` of the parameters file; a disagreement between
        the two is reported by ``assessment.applicable_max``.
        """
        wb = num(self.stated("applicable_max"))
        if wb is not None:
            return wb, self.ds.fact_cell("stated", "applicable_max"), "工作簿填报数据“适用满分”"
        p = num(self.param("assessment", "applicable_max"))
        if p is not None:
            return p, None, "参数文件 assessment.applicable_max"
        return None, None, None

    def grade_bands(self):
        """Grade bands of the run's scoring scheme (default 优 ≥ 90, 良 ≥ 80, 中 ≥ 60)."""
        from jixiao.analysis.scoring import DEFAULT_GRADE_BANDS, load_scheme

        name = self.param("scoring_scheme")
        return load_scheme(name).grade_bands if name else DEFAULT_GRADE_BANDS


# -- running -------------------------------------------------------------------------------
def run_checks(
    ds: Dataset, params: Any = None, *, only: Sequence[str] | None = None, raise_errors: bool = False
) -> list[Finding]:
    """Run every registered check (or those in ``only``) over ``ds``.

    Parameters
    ----------
    ds : Dataset
    params : Params or dict, optional
        The run's parameters (``assessment.applicable_max``, ``scoring_scheme``).
    only : sequence of str, optional
        Check ids to run; default all, in registration order.
    raise_errors : bool
        Re-raise a check's internal exception (tests); by default it becomes a warning
        finding, so that one faulty check does not stop a county's batch.

    Returns
    -------
    list of Finding
    """
    ctx = Context(ds, params)
    ids = list(REGISTRY) if only is None else list(only)
    findings: list[Finding] = []
    for cid in ids:
        chk = REGISTRY[cid]
        try:
            found = list(chk.func(ctx))
        except Exception as exc:
            if raise_errors:
                raise
            found = [_finding("warning", f"本项校验未能完成（程序错误：{type(exc).__name__}: {exc}）")]
        findings.extend(replace(f, id=f.id or chk.id, title=f.title or chk.title) for f in found)
    return findings


def run_check(check_id: str, ds: Dataset, params: Any = None) -> list[Finding]:
    """The findings of one check (exceptions propagate)."""
    return run_checks(ds, params, only=[check_id], raise_errors=True)


def summarize(findings: Iterable[Finding]) -> dict[str, int]:
    """Count of findings per severity, all four keys present."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts


# -- building findings ------------------------------------------------------------------
def _finding(
    severity: str,
    message: str,
    *,
    stated=None,
    computed=None,
    difference=None,
    tolerance=None,
    cells: Iterable[str | None] = (),
) -> Finding:
    return Finding(
        "", "", severity, message, _f(stated), _f(computed), _f(difference), _f(tolerance), [c for c in cells if c]
    )


def _f(x) -> float | None:
    return None if x is None else float(x)


def _not_provided(what: str, cells: Iterable[str | None] = (), stated=None) -> Finding:
    return _finding("info", f"{what}{NOT_PROVIDED}，无法校验。", stated=stated, cells=cells)


def _plain(x: float | None) -> str:
    """Scores and counts without trailing zeros: 89 → "89", 21.5 → "21.5"."""
    return plain(x, blank=NOT_PROVIDED)


def _tol(x: float) -> str:
    """A tolerance: up to three decimals (sum_tolerance(8) is 0.045, not 0.05)."""
    return plain(x, 3)


def _money(x: float | None) -> str:
    return NOT_PROVIDED if x is None else f"{fmt(x)}万元"


# -- reading the dataset ---------------------------------------------------------------
def _rows(ds: Dataset, sheet: str):
    df = ds.tables.get(sheet)
    return [] if df is None else records(df)


def _fact_cells(ds: Dataset, sheet: str, *keys: str) -> list[str]:
    return [ds.fact_cell(sheet, k) for k in keys]


def _col(ds: Dataset, sheet: str, col: str) -> str:
    """The column's detail cells (``支出功能分类!D3:D11``), or the sheet name when it has no rows."""
    return ds.column_cells(sheet, col)


def _spans(ds: Dataset, sheet: str, col: str, rows: Iterable[int]) -> list[str]:
    """References of some rows of a column, contiguous runs as ranges (D3:D36, D38)."""
    rows = sorted({int(r) for r in rows})
    out: list[str] = []
    run: list[int] = []
    for r in rows:
        if run and r != run[-1] + 1:
            out.append(ds.column_cells(sheet, col, run))
            run = []
        run.append(r)
    if run:
        out.append(ds.column_cells(sheet, col, run))
    return out


def _year_of(value: Any) -> int | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    n = num(value)
    return None if n is None else int(n)
