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
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from jixiao.analysis import finance as F
from jixiao.workbook.dataset import Dataset
from jixiao.exceptions import JixiaoError
from jixiao.values import is_blank, num, plain, text
from jixiao.rounding import HALF_CENT, fmt, fmt_pct, ratio_interval, round_half_up, sum_tolerance

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
def run_checks(ds: Dataset, params: Any = None, *, only: Sequence[str] | None = None,
               raise_errors: bool = False) -> list[Finding]:
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
def _finding(severity: str, message: str, *, stated=None, computed=None, difference=None,
             tolerance=None, cells: Iterable[str | None] = ()) -> Finding:
    return Finding("", "", severity, message, _f(stated), _f(computed), _f(difference), _f(tolerance),
                   [c for c in cells if c])


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


def _spans(ds: Dataset, sheet: str, col: str, rows: Iterable[int]) -> list[str]:
    """References of some rows of a column, contiguous runs as ranges (D3:D36, D38)."""
    rows = sorted(set(int(r) for r in rows))
    out, run = [], []
    for r in rows:
        if run and r != run[-1] + 1:
            out.append(ds.column_cells(sheet, col, run))
            run = []
        run.append(r)
    if run:
        out.append(ds.column_cells(sheet, col, run))
    return out


def _money(x: float | None) -> str:
    return NOT_PROVIDED if x is None else f"{fmt(x)}万元"


def compare_sum(what: str, stated: float | None, parts: Iterable[Any], cells: Iterable[str | None], *,
                digits: int = 2, show: Callable[[float | None], str] = _money, severity: str = "error",
                exact: bool = False, note: str = "") -> Finding:
    """A stated total against the sum of its parts.

    Blank parts are left out (and counted in the message). The tolerance is
    :func:`~jixiao.rounding.sum_tolerance` of the number of parts, or 0 with ``exact``
    (counts, and scores that are not rounded figures).
    """
    values = [num(p) for p in parts]
    blanks = sum(v is None for v in values)
    given = [v for v in values if v is not None]
    cells = list(cells)
    if stated is None:
        return _not_provided(f"{what}：所述合计", cells)
    if not given:
        return _not_provided(f"{what}：明细", cells, stated=stated)
    computed = sum(given)
    tol = 0.0 if exact else sum_tolerance(len(given), digits)
    diff = stated - computed
    extra = f"（另有{blanks}项未填，按{NOT_PROVIDED}处理）" if blanks else ""
    head = f"{what}：明细合计{show(computed)}{extra}，所述{show(stated)}"
    if round_half_up(computed, digits) == round_half_up(stated, digits):
        return _finding("pass", f"{head}，一致。{note}", stated=stated, computed=computed,
                        difference=diff, tolerance=tol, cells=cells)
    if abs(diff) <= tol + _EPS:
        return _finding("info", f"{head}，相差{fmt(diff, digits)}，{WITHIN_ROUNDING}（±{_tol(tol)}）。{note}",
                        stated=stated, computed=computed, difference=diff, tolerance=tol, cells=cells)
    if blanks and diff > 0 and all(v >= 0 for v in given):
        # The parts not filled in may hold the difference: not provided, not wrong.
        return _finding("info", f"{head}，差额{show(diff) if show is _money else _plain(diff)}可能在{NOT_PROVIDED}的"
                                f"{blanks}项明细中，无法校验。{note}",
                        stated=stated, computed=computed, difference=diff, tolerance=tol, cells=cells)
    return _finding(severity, f"{head}，相差{show(diff) if show is _money else _plain(diff)}，超出舍入误差"
                              f"（±{_tol(tol)}）。{note}",
                    stated=stated, computed=computed, difference=diff, tolerance=tol, cells=cells)


def compare_count(what: str, stated: Any, computed: Any, cells: Iterable[str | None], *,
                  severity: str = "error", note: str = "", unit: str = "个") -> Finding:
    """Two counts that must be equal (no rounding)."""
    s, c = num(stated), num(computed)
    cells = list(cells)
    if s is None or c is None:
        return _not_provided(what, cells, stated=s)
    if s == c:
        return _finding("pass", f"{what}：所述{_plain(s)}{unit}，计算{_plain(c)}{unit}，一致。{note}",
                        stated=s, computed=c, difference=0, tolerance=0, cells=cells)
    return _finding(severity, f"{what}：所述{_plain(s)}{unit}，计算{_plain(c)}{unit}，相差{_plain(s - c)}{unit}。{note}",
                    stated=s, computed=c, difference=s - c, tolerance=0, cells=cells)


def _ratio_bounds(numerator: float, denominator: float, num_half: float = HALF_CENT,
                  den_half: float = HALF_CENT) -> tuple[float, float]:
    """Interval of numerator ÷ denominator when each may be off by its half-unit.

    With one printed figure on each side this is :func:`~jixiao.rounding.ratio_interval`;
    a side that is a sum or difference of *k* printed figures may be off by k × 0.005,
    and the ratio is monotone in each side, so its corners bound it.
    """
    if num_half == HALF_CENT and den_half == HALF_CENT:
        return ratio_interval(numerator, denominator)
    if denominator - den_half <= 0:
        return (-math.inf, math.inf)
    corners = [(numerator + a) / (denominator + b)
               for a, b in itertools.product((-num_half, num_half), (-den_half, den_half))]
    return (min(corners), max(corners))


def compare_pct(what: str, stated: float | None, computed: float | None, bounds: tuple[float, float] | None,
                cells: Iterable[str | None], *, formula: str = "", severity: str = "error",
                note: str = "") -> Finding:
    """A stated percentage against one recomputed from printed inputs.

    ``bounds`` is the interval (percentage points) the recomputed figure could have had
    with the unrounded inputs; it is widened by the stated figure's own ±0.005.
    """
    cells = list(cells)
    if stated is None:
        return _not_provided(f"{what}：所述比率", cells)
    if computed is None or bounds is None:
        return _not_provided(f"{what}：计算所需数据", cells, stated=stated)
    lo, hi = bounds[0] - HALF_CENT, bounds[1] + HALF_CENT
    diff = stated - computed
    tol = max(hi - computed, computed - lo)
    head = f"{what}：{formula + ' = ' if formula else '计算'}{fmt_pct(computed)}，所述{fmt_pct(stated)}"
    if round_half_up(computed, 2) == round_half_up(stated, 2):
        return _finding("pass", f"{head}，一致。{note}", stated=stated, computed=computed, difference=diff,
                        tolerance=tol, cells=cells)
    span = f"输入按两位小数舍入时可能为{fmt_pct(lo)}～{fmt_pct(hi)}" if math.isfinite(tol) else "分母舍入后可能为0"
    if lo - _EPS <= stated <= hi + _EPS:
        return _finding("info", f"{head}，相差{fmt(diff)}个百分点，{WITHIN_ROUNDING}（{span}）。{note}",
                        stated=stated, computed=computed, difference=diff, tolerance=tol, cells=cells)
    return _finding(severity, f"{head}，相差{fmt(diff)}个百分点，超出舍入误差（{span}）。{note}",
                    stated=stated, computed=computed, difference=diff, tolerance=tol, cells=cells)


def _pct_bounds(numerator, denominator, num_half=HALF_CENT, den_half=HALF_CENT, offset=0.0):
    lo, hi = _ratio_bounds(numerator, denominator, num_half, den_half)
    return ((lo - offset) * 100, (hi - offset) * 100)


def _rows(ds: Dataset, sheet: str):
    df = ds.tables.get(sheet)
    return [] if df is None else df.to_dict("records")


def _fact_cells(ds: Dataset, sheet: str, *keys: str) -> list[str]:
    return [ds.fact_cell(sheet, k) for k in keys]


def _col(ds: Dataset, sheet: str, col: str) -> str:
    """The column's detail cells (``支出功能分类!D3:D11``), or the sheet name when it has no rows."""
    return ds.column_cells(sheet, col)


def _year_of(value: Any) -> int | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    n = num(value)
    return None if n is None else int(n)


# ==========================================================================================
# 一、部门基本情况
# ==========================================================================================
@check("unit.office_count", "股室数量与股室名单")
def _office_count(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    yield compare_count("股室数量", ctx.unit("office_count"), len(ds.tables.get("offices", [])),
                        [ds.fact_cell("unit", "office_count"), _col(ds, "offices", "name")],
                        note="（计算数为“股室”表的行数）")


@check("unit.staff", "编制数与实有人数（在职人员控制率）")
def _staff(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    auth, actual = num(ctx.unit("authorized_staff")), num(ctx.unit("actual_staff"))
    cells = _fact_cells(ds, "unit", "authorized_staff", "actual_staff")
    if auth is None or actual is None:
        yield _not_provided("编制数或实有人数", cells)
        return
    if auth < 0 or actual < 0 or auth != int(auth) or actual != int(actual):
        yield _finding("error", f"编制数{_plain(auth)}、实有人数{_plain(actual)}应为非负整数。", cells=cells)
        return
    rate = F.staff_control_rate(ds)
    msg = f"编制数{_plain(auth)}个，实有人数{_plain(actual)}人，在职人员控制率 = {_plain(actual)} ÷ {_plain(auth)} = {fmt_pct(rate)}"
    if actual > auth:
        msg += f"（实有人数超出编制{_plain(actual - auth)}人，报告宜说明原因）"
    yield _finding("pass", msg + "。", computed=rate, cells=cells)


@check("unit.fiscal_staff", "财政供养人数与实有人数")
def _fiscal_staff(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    fiscal, actual = num(ctx.unit("fiscal_staff")), num(ctx.unit("actual_staff"))
    cells = _fact_cells(ds, "unit", "fiscal_staff", "actual_staff")
    if fiscal is None or actual is None:
        yield _not_provided("财政供养人数或实有人数", cells)
        return
    # The two are counted differently (财政供养 is the 总决算's headcount of everyone paid
    # from the budget, 实有在编 the unit's own staff), so a gap is noted, never an error.
    tail = "两者相等" if fiscal == actual else f"相差{_plain(fiscal - actual)}人（两者口径不同，差异宜在报告中说明）"
    yield _finding("info", f"财政供养人数{_plain(fiscal)}人，实有在编人数{_plain(actual)}人，{tail}。",
                   stated=fiscal, computed=actual, difference=fiscal - actual, cells=cells)


@check("unit.finance_office_staff", "财政所人数不超过财政供养人数")
def _finance_office(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    office, fiscal = num(ctx.unit("finance_office_staff")), num(ctx.unit("fiscal_staff"))
    cells = _fact_cells(ds, "unit", "finance_office_staff", "fiscal_staff")
    if office is None or fiscal is None:
        yield _not_provided("财政所人数或财政供养人数", cells)
    elif office <= fiscal:
        yield _finding("pass", f"财政所人数{_plain(office)}人，不超过财政供养人数{_plain(fiscal)}人。",
                       stated=office, computed=fiscal, cells=cells)
    else:
        yield _finding("error", f"财政所人数{_plain(office)}人多于财政供养人数{_plain(fiscal)}人。",
                       stated=office, computed=fiscal, difference=office - fiscal, cells=cells)


@check("goal_framework.projects", "绩效目标架构所列项目与项目表")
def _framework_projects(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    names = {F.name_key(n) for n in ds.tables["projects"]["name"]} if "projects" in ds.tables else set()
    missing, listed = [], 0
    for r in _rows(ds, "goal_framework"):
        for name in re.split(r"[、，,；;\n]+", text(r.get("projects")) or ""):
            if not name.strip():
                continue
            listed += 1
            if F.name_key(name) not in names:
                missing.append((name.strip(), ds.cell("goal_framework", "projects", r["_row"])))
    if not listed:
        yield _not_provided("绩效目标架构的对应项目支出", [_col(ds, "goal_framework", "projects")])
    elif missing:
        yield _finding("warning", "绩效目标架构中的项目在“项目”表中找不到（名称不一致或漏填）："
                       + "；".join(f"“{n}”（{c}）" for n, c in missing) + "。",
                       stated=listed, computed=listed - len(missing), cells=[c for _, c in missing])
    else:
        yield _finding("pass", f"绩效目标架构所列{listed}个项目均见于“项目”表。",
                       stated=listed, computed=listed, cells=[_col(ds, "goal_framework", "projects")])


# ==========================================================================================
# 二、部门绩效考核自评情况
# ==========================================================================================
def _assessment_parts(ds: Dataset):
    """(total, cells, given, blank): Σ得分 + Σ加分 − Σ扣分 over the categories.

    Bonus and deduction follow the scoring engine (:func:`jixiao.analysis.scoring.score_assessment`);
    their cells are named only when they change the total. ``blank`` counts categories
    whose score is not filled in.
    """
    rows = _rows(ds, "assessment")
    cells = [_col(ds, "assessment", "score")]
    scores = [num(r.get("score")) for r in rows]
    given = [x for x in scores if x is not None]
    total = sum(given)
    for col, sign in (("bonus", 1), ("deduction", -1)):
        vals = [num(r.get(col)) for r in rows]
        if any(vals):
            total += sign * sum(v for v in vals if v)
            cells.append(ds.column_cells("assessment", col))
    return (total if given else None), cells, len(given), len(scores) - len(given)


@check("assessment.total", "考核总分与各类别得分")
def _assessment_total(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    computed, cells, n, blanks = _assessment_parts(ds)
    sources = []
    if num(ds.stated_total("assessment", "score")) is not None:
        sources.append((num(ds.stated_total("assessment", "score")), ds.total_cell("assessment", "score")))
    if num(ctx.stated("assessment_total")) is not None:
        sources.append((num(ctx.stated("assessment_total")), ds.fact_cell("stated", "assessment_total")))
    if not sources:
        yield _not_provided("考核总分（考核得分表合计行与填报数据“考核总分”）", cells)
        return
    if computed is None:
        yield _not_provided("各考核类别得分", cells + [c for _, c in sources])
        return
    # One finding per distinct stated figure: the 合计 row and 填报数据 normally agree.
    groups: dict[float, list[str]] = {}
    for value, cell in sources:
        groups.setdefault(value, []).append(cell)
    amax, amax_cell, amax_src = ctx.applicable_max()
    # Category scores are whole or half points, not rounded figures; sum_tolerance is kept
    # for rubrics that print scores to two decimals.
    tol = sum_tolerance(n)
    for stated, scells in groups.items():
        diff = stated - computed
        exact = round_half_up(stated) == round_half_up(computed)
        ok = abs(diff) <= tol + _EPS
        # A shortfall that unfilled categories could hold is not provable.
        unprovable = not ok and blanks and diff > 0
        sev = "pass" if exact else ("info" if ok or unprovable else "error")
        msg = f"考核总分：各类别得分合计{_plain(computed)}分，所述总分{_plain(stated)}分（{'、'.join(scells)}）"
        msg += "，一致。" if exact else (f"，相差{_plain(diff)}分，{WITHIN_ROUNDING}。" if ok else f"，相差{_plain(diff)}分。")
        if unprovable:
            msg += f"另有{blanks}个类别得分{NOT_PROVIDED}，差额可能在其中，无法校验。"
        if amax is not None and not exact:
            msg += (f"按适用满分{_plain(amax)}分（{amax_src}）换算：各类别合计{_plain(computed)}分 → "
                    f"{fmt(computed / amax * 100)}分，所述{_plain(stated)}分 → {fmt(stated / amax * 100)}分。")
        elif amax is None and not exact:
            msg += f"适用满分{NOT_PROVIDED}，无法给出各自对应的换算得分。"
        yield _finding(sev, msg, stated=stated, computed=computed, difference=diff, tolerance=tol,
                       cells=cells + scells + ([amax_cell] if amax_cell else []))


@check("assessment.converted", "换算得分 = 考核总分 ÷ 适用满分 × 100")
def _assessment_converted(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    conv = num(ctx.stated("converted_score"))
    total = num(ctx.stated("assessment_total"))
    total_cell = ds.fact_cell("stated", "assessment_total")
    if total is None:
        total, total_cell = num(ds.stated_total("assessment", "score")), ds.total_cell("assessment", "score")
    amax, amax_cell, amax_src = ctx.applicable_max()
    cells = [ds.fact_cell("stated", "converted_score"), total_cell, amax_cell]
    if conv is None:
        yield _not_provided("换算得分", cells)
        return
    if total is None or amax is None:
        yield _not_provided("考核总分或适用满分（填报数据“适用满分”或参数 assessment.applicable_max）", cells, stated=conv)
        return
    from jixiao.analysis.scoring import converted_score

    computed = converted_score(total, amax)
    # Scores and the applicable maximum are exact figures, so only the stated score's own
    # printing (±0.005) can explain a gap: the interval is the computed point itself.
    f = compare_pct("换算得分", conv, computed, (computed, computed), cells)
    f.message = _score_message(conv, computed, total, amax, amax_src)
    yield f


def _score_message(conv, computed, total, amax, src) -> str:
    same = round_half_up(computed, 2) == round_half_up(conv, 2)
    head = (f"换算得分：{_plain(total)} ÷ {_plain(amax)} × 100 = {fmt(computed, 3)}，"
            f"四舍五入为{fmt(computed)}分，所述{fmt(conv)}分")
    tail = f"（适用满分取自{src}）"
    if same:
        return f"{head}，一致{tail}。"
    if abs(conv - computed) <= HALF_CENT + _EPS:
        return f"{head}，{WITHIN_ROUNDING}{tail}。"
    return f"{head}，相差{fmt(conv - computed)}分{tail}。"


@check("assessment.applicable_max", "适用满分的来源")
def _applicable_max(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    wb = num(ctx.stated("applicable_max"))
    pm = num(ctx.param("assessment", "applicable_max"))
    src = ctx.param("assessment", "applicable_max_source")
    cell = ds.fact_cell("stated", "applicable_max")
    if wb is None and pm is None:
        yield _not_provided("适用满分（填报数据“适用满分”或参数 assessment.applicable_max）", [cell])
    elif wb is not None and pm is not None and wb != pm:
        yield _finding("warning", f"适用满分：工作簿填报{_plain(wb)}分，参数文件为{_plain(pm)}分，两者不一致；"
                       f"按工作簿{_plain(wb)}分计算。", stated=wb, computed=pm, difference=wb - pm, cells=[cell])
    elif wb is not None:
        yield _finding("pass", f"适用满分{_plain(wb)}分，取自工作簿。", stated=wb, cells=[cell])
    else:
        # A parameter, often an inference: say so, since the report rests on it.
        yield _finding("info", f"适用满分{_plain(pm)}分取自参数文件，工作簿未填报"
                       + (f"（依据：{src}）" if src else "") + "。", computed=pm, cells=[cell])


@check("assessment.points", "各类别得分不超过其适用分值")
def _assessment_points(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    rows = [r for r in _rows(ds, "assessment") if num(r.get("points")) is not None]
    if not rows:
        yield _not_provided("各考核类别的适用分值", [_col(ds, "assessment", "points")])
        return
    over = [r for r in rows if num(r.get("score")) is not None and num(r["score"]) > num(r["points"])]
    for r in over:
        yield _finding("error", f"考核类别“{text(r.get('category'))}”得分{_plain(num(r['score']))}分，"
                       f"超过其适用分值{_plain(num(r['points']))}分。", stated=num(r["score"]),
                       computed=num(r["points"]), difference=num(r["score"]) - num(r["points"]),
                       cells=[ds.cell("assessment", "score", r["_row"]), ds.cell("assessment", "points", r["_row"])])
    if not over:
        yield _finding("pass", f"{len(rows)}个考核类别的得分均不超过其适用分值。",
                       cells=[_col(ds, "assessment", "score"), _col(ds, "assessment", "points")])
    amax, amax_cell, _src = ctx.applicable_max()
    if amax is not None and len(rows) == len(_rows(ds, "assessment")):
        yield compare_sum("各类别适用分值之和与适用满分", amax, [r["points"] for r in rows],
                          [_col(ds, "assessment", "points"), amax_cell], show=lambda x: f"{_plain(x)}分",
                          exact=True)


@check("assessment.grade", "考核等级与换算得分")
def _assessment_grade(ctx: Context) -> Iterator[Finding]:
    from jixiao.analysis.scoring import grade

    ds = ctx.ds
    stated = text(ctx.stated("assessment_grade"))
    conv = num(ctx.stated("converted_score"))
    cells = _fact_cells(ds, "stated", "assessment_grade", "converted_score")
    if stated is None:
        yield _not_provided("考核等级", cells)
        return
    if conv is None:
        yield _not_provided("换算得分", cells)
        return
    g = grade(conv, ctx.grade_bands())
    sev = "pass" if g == stated else "error"
    yield _finding(sev, f"考核等级：换算得分{fmt(conv)}分对应“{g}”，所述“{stated}”" + ("，一致。" if g == stated else "，不一致。"),
                   computed=conv, cells=cells)


@check("key_evaluation.grade", "重点评价等级与得分")
def _key_grade(ctx: Context) -> Iterator[Finding]:
    from jixiao.analysis.scoring import grade

    ds = ctx.ds
    score, stated = num(ctx.stated("key_project_score")), text(ctx.stated("key_project_grade"))
    cells = _fact_cells(ds, "stated", "key_project_score", "key_project_grade")
    if score is None or stated is None:
        yield _not_provided("重点评价得分或等级", cells)
        return
    g = grade(score, ctx.grade_bands())
    bands = "，".join(f"{name}≥{_plain(low)}" for name, low in ctx.grade_bands() if low > 0)
    sev = "pass" if g == stated else "error"
    yield _finding(sev, f"重点评价：综合得分{_plain(score)}分，按等级区间（{bands}）应为“{g}”，所述“{stated}”"
                   + ("，一致。" if g == stated else "，不一致。"), stated=score, cells=cells)


# -- （一）重大政策落实 -------------------------------------------------------------------
@check("special_funds.total", "专项资金合计")
def _special_total(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    yield compare_sum("专项资金", num(ds.stated_total("special_funds", "amount")),
                      [r.get("amount") for r in _rows(ds, "special_funds")],
                      [_col(ds, "special_funds", "amount"), ds.total_cell("special_funds", "amount")])


@check("special_funds.direct", "直达资金与专项资金名单")
def _special_direct(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    marked = [r for r in _rows(ds, "special_funds") if text(r.get("direct")) == "是" and text(r.get("name"))]
    direct = [r for r in _rows(ds, "direct_funds") if text(r.get("name"))]
    if not marked and not direct:
        yield _not_provided("直达资金", [_col(ds, "special_funds", "direct"), _col(ds, "direct_funds", "name")])
        return
    paid = {F.name_key(r.get("name")) for r in direct}
    funds = {F.name_key(r.get("name")) for r in _rows(ds, "special_funds") if text(r.get("name"))}
    unpaid = [r for r in marked if F.name_key(r.get("name")) not in paid]
    unknown = [r for r in direct if F.name_key(r.get("name")) not in funds]
    for r in unpaid:
        yield _finding("warning", f"专项资金“{text(r.get('name'))}”标为直达资金，但“直达资金”表中没有其支出记录。",
                       cells=[ds.cell("special_funds", "direct", r["_row"])])
    for r in unknown:
        yield _finding("warning", f"直达资金“{text(r.get('name'))}”不在“专项资金”表中（名称不一致或漏列）。",
                       cells=[ds.cell("direct_funds", "name", r["_row"])])
    if not unpaid and not unknown:
        yield _finding("pass", f"标为直达资金的{len(marked)}项专项资金均有支出记录，直达资金表{len(direct)}行均见于专项资金表。",
                       stated=len(marked), computed=len({F.name_key(r.get('name')) for r in direct}),
                       cells=[_col(ds, "special_funds", "direct"), _col(ds, "direct_funds", "name")])


@check("direct_funds.dates", "直达资金支出日期在报告年度内")
def _direct_dates(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    rows = [r for r in _rows(ds, "direct_funds") if not is_blank(r.get("date"))]
    if not rows:
        yield _not_provided("直达资金支出日期", [_col(ds, "direct_funds", "date")])
        return
    if ctx.year is None:
        yield _not_provided("报告年度", [ds.fact_cell("unit", "year")])
        return
    bad = [r for r in rows if _year_of(r["date"]) != ctx.year]
    for r in bad:
        d = r["date"]
        shown = d.strftime("%Y-%m-%d") if isinstance(d, (dt.date, dt.datetime)) else str(d)
        yield _finding("warning", f"直达资金“{text(r.get('name'))}”的支出日期{shown}不在报告年度{ctx.year}年内。",
                       stated=_year_of(d), computed=ctx.year, difference=_year_of(d) - ctx.year,
                       cells=[ds.cell("direct_funds", "date", r["_row"]), ds.fact_cell("unit", "year")])
    if not bad:
        yield _finding("pass", f"直达资金{len(rows)}笔支出日期均在{ctx.year}年内。",
                       cells=_spans(ds, "direct_funds", "date", [r["_row"] for r in rows]))


@check("three_guarantees.detail", "“三保”实际支出与明细")
def _three_g_detail(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    tg = F.three_guarantees(ds)
    if not len(tg):
        yield _not_provided("“三保”支出", [_col(ds, "three_guarantees", "actual")])
        return
    without = []
    for r in tg.to_dict("records"):
        if not r["detail_count"]:
            without.append(r)
            continue
        yield compare_sum(f"{r['category']}实际支出", r["actual"],
                          [x["amount"] for x in _rows(ds, "three_guarantees_detail") if x["_row"] in r["detail_rows"]],
                          _spans(ds, "three_guarantees_detail", "amount", r["detail_rows"])
                          + [ds.cell("three_guarantees", "actual", r["_row"])])
    if without:
        yield _not_provided("、".join(r["category"] or "（未填类别）" for r in without) + "的支出明细",
                            [ds.cell("three_guarantees", "actual", r["_row"]) for r in without])


@check("three_guarantees.coverage", "“三保”足额保障（实际支出不低于安排资金）")
def _three_g_cover(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    rows = [r for r in F.three_guarantees(ds).to_dict("records")
            if r["arranged"] is not None and r["actual"] is not None]
    if not rows:
        yield _not_provided("“三保”安排资金与实际支出", [_col(ds, "three_guarantees", "arranged")])
        return
    short = [r for r in rows if round_half_up(r["actual"]) < round_half_up(r["arranged"])]
    for r in short:
        yield _finding("warning", f"{r['category']}实际支出{_money(r['actual'])}低于安排资金{_money(r['arranged'])}"
                       f"（{fmt_pct(r['actual_ratio'])}），与“足额保障”的表述不符。",
                       stated=r["actual"], computed=r["arranged"], difference=r["difference"],
                       cells=[ds.cell("three_guarantees", "actual", r["_row"]),
                              ds.cell("three_guarantees", "arranged", r["_row"])])
    if not short:
        yield _finding("pass", "“三保”各类实际支出均不低于安排资金："
                       + "；".join(f"{r['category']}实际{fmt(r['actual'])} ≥ 安排{fmt(r['arranged'])}" for r in rows) + "。",
                       cells=[_col(ds, "three_guarantees", "arranged"), _col(ds, "three_guarantees", "actual")])


def _three_public_parts(ds: Dataset) -> list[dict]:
    """Rows that add up to the 三公 total: a 其中 child is skipped when its parent is listed."""
    cfg = F.finance_config()["three_public"]
    rows = _rows(ds, "three_public")
    listed = {F.name_key(r.get("item")) for r in rows}
    skip = {F.name_key(c) for parent, kids in (cfg.get("children") or {}).items()
            if F.name_key(parent) in listed for c in kids}
    return [r for r in rows if F.name_key(r.get("item")) not in skip]


@check("three_public.classification", "三公经费的构成（仅因公出国（境）、公务用车、公务接待）")
def _three_public_items(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    items = F.three_public_items(ds)
    items = items[items["item"] != ""] if len(items) else items
    if not len(items):
        yield _not_provided("三公经费分项", [_col(ds, "three_public", "item")])
        return
    wrong = items[~items["is_three_public"].astype(bool)]
    if len(wrong):
        names = "、".join(f"“{n}”" for n in wrong["item"])
        amounts = "；".join(f"{n}预算{_money(b)}" for n, b in zip(wrong["item"], wrong["budget"]))
        yield _finding("warning", f"三公经费仅包括因公出国（境）费、公务用车购置及运行维护费、公务接待费，"
                       f"{names}不属于三公经费，却列在三公经费中（{amounts}），疑为分类错误。",
                       cells=[ds.cell("three_public", "item", r) for r in wrong["_row"]])
    else:
        yield _finding("pass", f"三公经费{len(items)}个分项均属因公出国（境）费、公务用车购置及运行维护费、公务接待费。",
                       cells=[_col(ds, "three_public", "item")])


@check("three_public.budget_total", "三公经费预算合计")
def _three_public_budget(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    parts = _three_public_parts(ds)
    yield compare_sum("三公经费预算", num(ds.stated_total("three_public", "budget")), [r.get("budget") for r in parts],
                      (_spans(ds, "three_public", "budget", [r["_row"] for r in parts]) or [_col(ds, "three_public", "budget")])
                      + [ds.total_cell("three_public", "budget")])


@check("three_public.actual_totals", "三公经费本年、上年决算合计与分项")
def _three_public_actual(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    parts = _three_public_parts(ds)
    for col, what in (("actual", "三公经费本年决算"), ("last_actual", "三公经费上年决算")):
        stated = num(ds.stated_total("three_public", col))
        values = [r.get(col) for r in parts]
        cells = ((_spans(ds, "three_public", col, [r["_row"] for r in parts]) or [_col(ds, "three_public", col)])
                 + [ds.total_cell("three_public", col)])
        if all(num(v) is None for v in values):
            yield _not_provided(f"{what}分项", cells, stated=stated)
        else:
            yield compare_sum(what, stated, values, cells)


@check("three_public.change", "三公经费增减额")
def _three_public_change(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    y = F.three_public_total(ds)
    cells = [ds.total_cell("three_public", "actual"), ds.total_cell("three_public", "last_actual"),
             ds.fact_cell("stated", "three_public_change")]
    if y.change_stated is None:
        yield _not_provided("三公经费增减额", cells)
        return
    if y.change is None:
        yield _not_provided("三公经费本年或上年决算", cells, stated=y.change_stated)
        return
    f = compare_sum("三公经费增减额", y.change_stated, [y.current, -y.previous], cells)
    f.message = (f"三公经费增减额：本年{_money(y.current)} − 上年{_money(y.previous)} = {_money(y.change)}"
                 f"（变动率{fmt_pct(y.change_rate)}），所述{_money(y.change_stated)}，"
                 + {"pass": "一致。", "info": f"{WITHIN_ROUNDING}。"}.get(f.severity, "不一致。"))
    yield f


@check("three_public.within_budget", "三公经费决算不超过预算")
def _three_public_budget_limit(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    budget, actual = num(ds.stated_total("three_public", "budget")), F.three_public_total(ds).current
    cells = [ds.total_cell("three_public", "budget") or _col(ds, "three_public", "budget"),
             ds.total_cell("three_public", "actual")]
    if budget is None or actual is None:
        yield _not_provided("三公经费预算或本年决算", cells)
    elif round_half_up(actual) <= round_half_up(budget):
        yield _finding("pass", f"三公经费本年决算{_money(actual)}，未超过预算{_money(budget)}"
                       f"（执行{fmt_pct(F.pct(actual, budget))}）。", stated=actual, computed=budget, cells=cells)
    else:
        yield _finding("warning", f"三公经费本年决算{_money(actual)}超过预算{_money(budget)}。",
                       stated=actual, computed=budget, difference=actual - budget, cells=cells)


@check("nontax.total", "非税收入合计")
def _nontax_total(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    rows = _rows(ds, "nontax")
    for col, what in (("actual", "非税收入实际数"), ("budget", "非税收入预算数")):
        yield compare_sum(what, num(ds.stated_total("nontax", col)), [r.get(col) for r in rows],
                          [_col(ds, "nontax", col), ds.total_cell("nontax", col)])


@check("nontax.variance", "非税收入预算与实际变动幅度（≥30%须说明）")
def _nontax_variance(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    threshold = float(F.finance_config()["nontax"]["variance_threshold"])
    nv = F.nontax_variance(ds, threshold)
    if not len(nv):
        yield _not_provided("非税收入分项", [_col(ds, "nontax", "item")])
        return
    narrative = text(ds.facts.get("texts", {}).get("nontax_budgeting")) or ""
    reasons = {r["_row"]: text(r.get("reason")) or "" for r in _rows(ds, "nontax")}
    computable = nv[nv["variance"].notna()]
    for r in computable.to_dict("records"):
        mentioned = (r["item"] and r["item"] in reasons.get(r["_row"], "")) or (r["item"] and r["item"] in narrative)
        cells = [ds.cell("nontax", "budget", r["_row"]), ds.cell("nontax", "actual", r["_row"]),
                 ds.cell("nontax", "reason", r["_row"])]
        head = (f"{r['item']}：预算{_money(r['budget'])}，实际{_money(r['actual'])}，变动幅度 = "
                f"({fmt(r['actual'])} − {fmt(r['budget'])}) ÷ {fmt(r['budget'])} = {fmt_pct(r['variance'])}")
        if r["flagged"] and mentioned:
            yield _finding("info", f"{head}，达到{_plain(threshold)}%，报告已将其列为变动幅度在{_plain(threshold)}%及以上的项目，一致。",
                           computed=r["variance"], cells=cells)
        elif r["flagged"]:
            yield _finding("warning", f"{head}，达到{_plain(threshold)}%，但报告未说明该项目及变动原因。",
                           computed=r["variance"], cells=cells)
        elif "30%" in reasons.get(r["_row"], "").replace("％", "%"):
            yield _finding("warning", f"{head}，未达{_plain(threshold)}%，报告却将其列为变动幅度在{_plain(threshold)}%及以上的项目。",
                           computed=r["variance"], cells=cells)
        else:
            yield _finding("pass", f"{head}，未达{_plain(threshold)}%。", computed=r["variance"], cells=cells)
    unbudgeted = nv[nv["variance"].isna() & nv["actual"].notna()]
    if len(unbudgeted):
        yield _finding("info", "、".join(f"{i}（实际{_money(a)}）" for i, a in zip(unbudgeted["item"], unbudgeted["actual"]))
                       + f"未编列预算（预算数{NOT_PROVIDED}或为0），无法计算变动幅度。",
                       cells=[ds.cell("nontax", "budget", r) for r in unbudgeted["_row"]])
    if not len(computable) and not len(unbudgeted):
        yield _not_provided("非税收入预算数与实际数", [_col(ds, "nontax", "budget")])


# -- （二）预算编制 ---------------------------------------------------------------------------
@check("budget_revenue.total", "预算收入合计")
def _budget_revenue(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    yield compare_sum("预算收入", num(ds.stated_total("budget_revenue", "amount")),
                      [r.get("amount") for r in _rows(ds, "budget_revenue")],
                      [_col(ds, "budget_revenue", "amount"), ds.total_cell("budget_revenue", "amount")])


@check("functions.budget_total", "按功能分类的预算支出与预算收入")
def _functions_budget(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    parts = [r.get("budget") for r in _rows(ds, "functions")]
    cells = [_col(ds, "functions", "budget")]
    targets = [("预算支出（按功能分类）合计行", num(ds.stated_total("functions", "budget")), ds.total_cell("functions", "budget")),
               ("预算收入合计", num(ds.stated_total("budget_revenue", "amount")), ds.total_cell("budget_revenue", "amount"))]
    targets = [t for t in targets if t[1] is not None]
    if not targets:
        yield _not_provided("预算收入合计", cells)
    for what, stated, cell in targets:
        yield compare_sum(f"按功能分类的预算支出与{what}", stated, parts, cells + [cell])


@check("functions.final_total", "按功能分类的决算支出与决算收入、总决算")
def _functions_final(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    parts = [r.get("final") for r in _rows(ds, "functions")]
    cells = [_col(ds, "functions", "final")]
    targets = [("支出功能分类合计行", num(ds.stated_total("functions", "final")), ds.total_cell("functions", "final")),
               ("决算收入合计", num(ctx.stated("final_revenue_total")), ds.fact_cell("stated", "final_revenue_total")),
               ("总决算收入总计", num(ds.stated_total("fund_types", "revenue")), ds.total_cell("fund_types", "revenue")),
               ("总决算支出总计", num(ds.stated_total("fund_types", "expenditure")), ds.total_cell("fund_types", "expenditure"))]
    targets = [t for t in targets if t[1] is not None]
    if not targets:
        yield _not_provided("决算收入合计与总决算", cells)
    for what, stated, cell in targets:
        yield compare_sum(f"按功能分类的决算支出与{what}", stated, parts, cells + [cell])


@check("functions.final_share", "决算支出占比")
def _functions_share(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    total = F.final_total(ds)
    total_stated = num(ctx.stated("final_revenue_total")) is not None or num(ds.stated_total("functions", "final")) is not None
    total_cell = (ds.fact_cell("stated", "final_revenue_total") if num(ctx.stated("final_revenue_total")) is not None
                  else ds.total_cell("functions", "final") or _col(ds, "functions", "final"))
    n = sum(num(r.get("final")) is not None for r in _rows(ds, "functions"))
    rows = [r for r in _rows(ds, "functions") if num(r.get("final_share")) is not None]
    if not rows:
        yield _not_provided("决算占比", [_col(ds, "functions", "final_share")])
        return
    for r in rows:
        cells = [ds.cell("functions", "final_share", r["_row"]), ds.cell("functions", "final", r["_row"]), total_cell]
        x = num(r.get("final"))
        if x is None or not total:
            yield _not_provided(f"{text(r.get('name'))}决算数或决算总额", cells, stated=num(r["final_share"]))
            continue
        # A stated total is one printed figure; a total summed from n printed parts may be
        # off by n half-cents.
        bounds = _pct_bounds(x, total, HALF_CENT, HALF_CENT if total_stated else n * HALF_CENT)
        yield compare_pct(f"{text(r.get('name'))}占比", num(r["final_share"]), x / total * 100, bounds, cells,
                          formula=f"{fmt(x)} ÷ {fmt(total)}")


@check("functions.share_sum", "决算占比之和为100%")
def _functions_share_sum(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    shares = [num(r.get("final_share")) for r in _rows(ds, "functions")]
    given = [s for s in shares if s is not None]
    cells = [_col(ds, "functions", "final_share")]
    if not given:
        yield _not_provided("决算占比", cells)
        return
    if len(given) < len(shares):
        yield _not_provided(f"部分科目的决算占比（{len(shares) - len(given)}项）", cells)
        return
    total = sum(given)
    # 100 % is exact; only the n printed shares carry rounding.
    tol = len(given) * HALF_CENT
    diff = total - 100
    if round_half_up(total) == 100:
        sev, tail = "pass", "一致"
    elif abs(diff) <= tol + _EPS:
        sev, tail = "info", f"相差{fmt(diff)}个百分点，{WITHIN_ROUNDING}（±{_tol(tol)}）"
    else:
        sev, tail = "error", f"相差{fmt(diff)}个百分点，超出舍入误差（±{_tol(tol)}）"
    yield _finding(sev, f"决算占比之和：{len(given)}项所述占比相加为{fmt_pct(total)}，应为100%，{tail}。",
                   stated=total, computed=100.0, difference=diff, tolerance=tol, cells=cells)


@check("functions.code_names", "功能分类编码与科目名称")
def _function_names(ctx: Context) -> Iterator[Finding]:
    from jixiao.workbook.spec import function_codes

    ds = ctx.ds
    codes = function_codes()
    rows = [r for r in _rows(ds, "functions") if not is_blank(r.get("code"))]
    if not rows:
        yield _not_provided("支出功能分类", [_col(ds, "functions", "code")])
        return
    bad = []
    for r in rows:
        official = codes.get(int(r["code"]))
        # 一般公共服务 and 一般公共服务支出 name the same class.
        if official and F.name_key(r.get("name")).removesuffix("支出") != F.name_key(official).removesuffix("支出"):
            bad.append((r, official))
    for r, official in bad:
        yield _finding("warning", f"功能分类编码{int(r['code'])}对应“{official}”，科目名称却为“{text(r.get('name'))}”，"
                       "编码或名称有误。", cells=[ds.cell("functions", "code", r["_row"]), ds.cell("functions", "name", r["_row"])])
    if not bad:
        yield _finding("pass", f"{len(rows)}个功能分类的编码与科目名称一致。",
                       cells=[_col(ds, "functions", "code"), _col(ds, "functions", "name")])


@check("final_revenue.parts", "决算收入合计与其构成")
def _final_revenue_parts(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    yield compare_sum("决算收入（财政拨款收入 + 其他收入）", num(ctx.stated("final_revenue_total")),
                      [ctx.stated("final_revenue_appropriation"), ctx.stated("final_revenue_other")],
                      _fact_cells(ds, "stated", "final_revenue_appropriation", "final_revenue_other", "final_revenue_total"))


@check("fund_types.totals", "乡镇财政总决算收入、支出合计")
def _fund_type_totals(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    rows = _rows(ds, "fund_types")
    for col, what in (("revenue", "总决算收入"), ("expenditure", "总决算支出")):
        values = [r.get(col) for r in rows]
        cells = [_col(ds, "fund_types", col), ds.total_cell("fund_types", col)]
        if all(num(v) is None for v in values):
            yield _not_provided(f"{what}按资金性质的明细", cells, stated=num(ds.stated_total("fund_types", col)))
        else:
            yield compare_sum(what, num(ds.stated_total("fund_types", col)), values, cells)


@check("fund_types.balance", "乡镇财政总决算收支平衡")
def _fund_type_balance(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    rev, exp = num(ds.stated_total("fund_types", "revenue")), num(ds.stated_total("fund_types", "expenditure"))
    cells = [ds.total_cell("fund_types", "revenue") or _col(ds, "fund_types", "revenue"),
             ds.total_cell("fund_types", "expenditure")]
    if rev is None or exp is None:
        yield _not_provided("总决算收入总计或支出总计", cells)
        return
    # 收入总计 and 支出总计 of a 总决算 both include carry-overs and balances, so they are
    # equal by construction.
    f = compare_sum("总决算收支", rev, [exp], cells)
    f.message = (f"总决算收入总计{_money(rev)}，支出总计{_money(exp)}，"
                 + ("收支平衡。" if f.severity == "pass" else f"相差{_money(rev - exp)}，收入总计与支出总计应相等。"))
    yield f


@check("budget_revenue.other_income", "资源统筹“其他收入”与预算收入“其他收入”")
def _other_income(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    pooled = num(ctx.stated("other_income_pooled"))
    rows = [r for r in _rows(ds, "budget_revenue") if F.name_key(r.get("source")) == "其他收入"]
    budget = num(rows[0].get("amount")) if rows else None
    cells = [ds.fact_cell("stated", "other_income_pooled")] + ([ds.cell("budget_revenue", "amount", rows[0]["_row"])] if rows else [])
    if pooled is None or budget is None:
        yield _not_provided("资源统筹或预算收入中的“其他收入”", cells)
    elif round_half_up(pooled) == round_half_up(budget):
        yield _finding("pass", f"资源统筹纳入预算的其他收入{_money(pooled)}与预算收入中的其他收入{_money(budget)}一致。",
                       stated=pooled, computed=budget, difference=0, cells=cells)
    else:
        # Not necessarily wrong: 年初预算 vs the year's pooled income may legitimately differ.
        yield _finding("info", f"资源统筹纳入预算的其他收入{_money(pooled)}，预算收入中的其他收入{_money(budget)}，"
                       f"相差{_money(pooled - budget)}；两处口径可能不同（年初预算与年度统筹），宜在报告中说明。",
                       stated=pooled, computed=budget, difference=pooled - budget, cells=cells)


# -- （三）预算执行：财务报告、采购、监控 -------------------------------------------------
def _balance_rows(ds: Dataset, kind: str, level: str) -> list[dict]:
    return [r for r in _rows(ds, "balance_sheet") if r.get("kind") == kind and r.get("level") == level]


_COLUMN_NAMES = {"previous": "上年末", "current": "本年末"}


@check("balance.classification", "资产负债明细项目的流动性归类")
def _balance_classification(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    rows = [r for r in _rows(ds, "balance_sheet") if r.get("level") == "明细" and r.get("kind") in ("资产", "负债")]
    if not rows:
        yield _not_provided("资产负债明细", [_col(ds, "balance_sheet", "item")])
        return
    odd = [r for r in rows if F.classify_balance_item(r.get("item")) is None]
    wrong_side = [r for r in rows if (F.classify_balance_item(r.get("item")) or "").endswith("资产") and r["kind"] == "负债"
                  or (F.classify_balance_item(r.get("item")) or "").endswith("负债") and r["kind"] == "资产"]
    for r in odd:
        yield _finding("warning", f"资产负债明细“{text(r.get('item'))}”不在流动/非流动项目清单（config/finance.yaml）中，"
                       "未计入流动资产或流动负债；请核对名称或补充清单。",
                       cells=[ds.cell("balance_sheet", "item", r["_row"])])
    for r in wrong_side:
        yield _finding("warning", f"“{text(r.get('item'))}”归为{F.classify_balance_item(r.get('item'))}，却列在“{r['kind']}”类别下。",
                       cells=[ds.cell("balance_sheet", "kind", r["_row"])])
    if not odd and not wrong_side:
        yield _finding("pass", "资产负债明细项目均已归类：" + "；".join(
            f"{text(r.get('item'))}→{F.classify_balance_item(r.get('item'))}" for r in rows) + "。",
                       cells=[_col(ds, "balance_sheet", "item")])


@check("balance.parts", "资产总额、负债总额与明细")
def _balance_parts(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    memo = {F.name_key(n) for n in F.finance_config()["balance_sheet"]["memo"]}
    missing = []
    for kind in ("资产", "负债"):
        totals = _balance_rows(ds, kind, "总额")
        details = [r for r in _balance_rows(ds, kind, "明细") if F.name_key(r.get("item")) not in memo]
        for col in ("previous", "current"):
            stated = num(totals[0].get(col)) if totals else None
            values = [r.get(col) for r in details]
            if stated is None or all(num(v) is None for v in values):
                missing.append(f"{_COLUMN_NAMES[col]}{kind}{'总额' if stated is None else '明细'}")
                continue
            yield compare_sum(f"{_COLUMN_NAMES[col]}{kind}总额", stated, values,
                              _spans(ds, "balance_sheet", col, [r["_row"] for r in details])
                              + [ds.cell("balance_sheet", col, totals[0]["_row"])])
    if missing:
        yield _not_provided("、".join(missing), [_col(ds, "balance_sheet", "previous"), _col(ds, "balance_sheet", "current")])


@check("balance.net_assets", "净资产 = 资产总额 − 负债总额")
def _net_assets(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    a_rows, l_rows, n_rows = (_balance_rows(ds, k, "总额") for k in ("资产", "负债", "净资产"))
    for col in ("previous", "current"):
        a = num(a_rows[0].get(col)) if a_rows else None
        li = num(l_rows[0].get(col)) if l_rows else None
        n = num(n_rows[0].get(col)) if n_rows else None
        cells = [ds.cell("balance_sheet", col, r[0]["_row"]) for r in (a_rows, l_rows, n_rows) if r] \
            or [_col(ds, "balance_sheet", col)]
        label = _COLUMN_NAMES[col]
        if a is None or li is None:
            yield _not_provided(f"{label}资产总额或负债总额", cells, stated=n)
        elif n is None:
            yield _finding("info", f"{label}净资产{NOT_PROVIDED}；按资产总额{fmt(a)} − 负债总额{fmt(li)}推算为{_money(a - li)}"
                           "（推算值，变动率据此计算）。", computed=a - li, cells=cells)
        else:
            f = compare_sum(f"{label}净资产", n, [a, -li], cells)
            f.message = f.message.replace("明细合计", f"资产总额{fmt(a)} − 负债总额{fmt(li)} = ", 1)
            yield f


@check("balance.change", "资产、负债、净资产较上年变动率")
def _balance_change(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    for r in F.balance_sheet_changes(ds).to_dict("records"):
        row = r["_row"]
        cells = ([ds.cell("balance_sheet", "change_stated", row), ds.cell("balance_sheet", "previous", row),
                  ds.cell("balance_sheet", "current", row)] if row else [_col(ds, "balance_sheet", "change_stated")])
        derived_note = ""
        prev_half = HALF_CENT
        cur_half = HALF_CENT
        if r["previous_derived"] or r["current_derived"]:
            a_row, l_row = _balance_rows(ds, "资产", "总额"), _balance_rows(ds, "负债", "总额")
            for side, flag in (("previous", r["previous_derived"]), ("current", r["current_derived"])):
                if flag:
                    cells += [ds.cell("balance_sheet", side, x[0]["_row"]) for x in (a_row, l_row) if x]
            if r["previous_derived"]:
                # 资产 − 负债: two printed figures, so twice the half-cent.
                prev_half = 2 * HALF_CENT
                derived_note += f"上年末{r['item']}{NOT_PROVIDED}，按资产 − 负债推算为{fmt(r['previous'])}。"
            if r["current_derived"]:
                cur_half = 2 * HALF_CENT
                derived_note += f"本年末{r['item']}{NOT_PROVIDED}，按资产 − 负债推算为{fmt(r['current'])}。"
        if r["change_stated"] is None:
            yield _not_provided(f"{r['item']}变动率", cells)
            continue
        if r["change_rate"] is None:
            yield _not_provided(f"{r['item']}上年末或本年末数", cells, stated=r["change_stated"])
            continue
        bounds = _pct_bounds(r["current"], r["previous"], cur_half, prev_half, offset=1.0)
        yield compare_pct(f"{r['item']}变动率", r["change_stated"], r["change_rate"], bounds, cells,
                          formula=f"({fmt(r['current'])} − {fmt(r['previous'])}) ÷ {fmt(r['previous'])}",
                          note=derived_note)


@check("financial.report_year", "财务报告年度")
def _financial_year(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    fy = _year_of(ctx.stated("financial_report_year"))
    cells = [ds.fact_cell("stated", "financial_report_year"), ds.fact_cell("unit", "year")]
    if fy is None or ctx.year is None:
        yield _not_provided("财务报告年度", cells)
    elif fy in (ctx.year, ctx.year - 1):
        yield _finding("pass", f"财务报告年度{fy}年（报告年度{ctx.year}年），比率取{'本年末' if fy == ctx.year else '上年末'}数。",
                       stated=fy, computed=ctx.year, cells=cells)
    else:
        yield _finding("warning", f"财务报告年度{fy}年既不是报告年度{ctx.year}年，也不是上一年度。",
                       stated=fy, computed=ctx.year, difference=fy - ctx.year, cells=cells)


def _line_cells(ds: Dataset, names: Iterable[str], column: str) -> list[str]:
    keys = {F.name_key(n) for n in names}
    return [ds.cell("balance_sheet", column, r["_row"]) for r in _rows(ds, "balance_sheet")
            if F.name_key(r.get("item")) in keys and num(r.get(column)) is not None]


def _total_cell(ds: Dataset, kind: str, column: str) -> str | None:
    rows = _balance_rows(ds, kind, "总额")
    return ds.cell("balance_sheet", column, rows[0]["_row"]) if rows else None


@check("financial.debt_ratio", "资产负债率 = 负债 ÷ 资产")
def _debt_ratio(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    fr = F.financial_ratios(ds)
    cells = [ds.fact_cell("stated", "debt_ratio"), _total_cell(ds, "负债", fr.column), _total_cell(ds, "资产", fr.column)]
    bounds = None if fr.debt_ratio is None else _pct_bounds(fr.liabilities, fr.assets)
    yield compare_pct("资产负债率", num(ctx.stated("debt_ratio")), fr.debt_ratio, bounds, cells,
                      formula=f"{fmt(fr.liabilities)} ÷ {fmt(fr.assets)}")


@check("financial.cash_ratio", "现金比率 = 货币资金 ÷ 流动负债")
def _cash_ratio(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    fr = F.financial_ratios(ds)
    cfg = F.finance_config()["balance_sheet"]
    cells = ([ds.fact_cell("stated", "cash_ratio")] + _line_cells(ds, cfg["cash"], fr.column)
             + _line_cells(ds, cfg["current_liabilities"], fr.column))
    bounds = None
    if fr.cash_ratio is not None:
        n_cl = len(fr.current_liability_items)
        bounds = _pct_bounds(fr.cash, fr.current_liabilities, HALF_CENT, n_cl * HALF_CENT)
    yield compare_pct("现金比率", num(ctx.stated("cash_ratio")), fr.cash_ratio, bounds, cells,
                      formula=f"{_year_label(fr)}货币资金{fmt(fr.cash)} ÷ 流动负债{fmt(fr.current_liabilities)}"
                              f"{_items(fr.current_liability_items)}", note=_unclassified_note(fr))


def _year_label(fr: F.FinancialRatios) -> str:
    return f"{fr.year}年末" if fr.year else ""


def _items(names: list[str]) -> str:
    return f"（{'+'.join(names)}）" if names else ""


def _unclassified_note(fr: F.FinancialRatios) -> str:
    return f"资产负债明细中{'、'.join(fr.unclassified)}未能归类，未计入流动资产或流动负债。" if fr.unclassified else ""


@check("financial.current_ratio", "流动比率 = 流动资产 ÷ 流动负债")
def _current_ratio(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    fr = F.financial_ratios(ds)
    cfg = F.finance_config()["balance_sheet"]
    cells = ([ds.fact_cell("stated", "current_ratio")] + _line_cells(ds, cfg["current_assets"], fr.column)
             + _line_cells(ds, cfg["current_liabilities"], fr.column))
    bounds = None
    if fr.current_ratio is not None:
        bounds = _pct_bounds(fr.current_assets, fr.current_liabilities,
                             len(fr.current_asset_items) * HALF_CENT, len(fr.current_liability_items) * HALF_CENT)
    yield compare_pct("流动比率", num(ctx.stated("current_ratio")), fr.current_ratio, bounds, cells,
                      formula=f"{_year_label(fr)}流动资产{fmt(fr.current_assets)}{_items(fr.current_asset_items)} ÷ "
                              f"流动负债{fmt(fr.current_liabilities)}{_items(fr.current_liability_items)}",
                      note=_unclassified_note(fr))


@check("financial.fixed_asset_newness", "固定资产成新率 = 净值 ÷ 原值")
def _newness(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    fr = F.financial_ratios(ds)
    cfg = F.finance_config()["balance_sheet"]
    stated = num(ctx.stated("fixed_asset_newness"))
    cells = [ds.fact_cell("stated", "fixed_asset_newness")] + _line_cells(ds, cfg["fixed_asset_net"], fr.column) \
        + _line_cells(ds, cfg["fixed_asset_original"], fr.column)
    if stated is not None and fr.fixed_asset_newness is None:
        implied = (f"（按所述成新率，原值应约为{fmt(fr.fixed_asset_net)} ÷ {fmt_pct(stated)} = "
                   f"{_money(fr.fixed_asset_net / stated * 100)}）") if fr.fixed_asset_net and stated else ""
        yield _finding("info", f"固定资产成新率：所述{fmt_pct(stated)}，但{fr.year}年末固定资产原值{NOT_PROVIDED}，"
                       f"无法复核{implied}。", stated=stated, cells=cells)
        return
    bounds = None if fr.fixed_asset_newness is None else _pct_bounds(fr.fixed_asset_net, fr.fixed_asset_original)
    yield compare_pct("固定资产成新率", stated, fr.fixed_asset_newness, bounds, cells,
                      formula=f"{fmt(fr.fixed_asset_net)} ÷ {fmt(fr.fixed_asset_original)}")


@check("financial.other_payables_share", "其他应付款占负债比例")
def _other_payables(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    fr = F.financial_ratios(ds)
    cfg = F.finance_config()["balance_sheet"]
    op_cells = _line_cells(ds, cfg["other_payables"], fr.column)
    cells = [ds.fact_cell("stated", "other_payables_share")] + op_cells + [_total_cell(ds, "负债", fr.column)]
    bounds = None
    op = None
    if fr.other_payables_share is not None:
        op = fr.other_payables_share * fr.liabilities / 100
        bounds = _pct_bounds(op, fr.liabilities, len(op_cells) * HALF_CENT, HALF_CENT)
    yield compare_pct("其他应付款占负债比例", num(ctx.stated("other_payables_share")), fr.other_payables_share,
                      bounds, cells, formula=f"{fmt(op)} ÷ {fmt(fr.liabilities)}")


@check("procurement.shares", "政府采购中小企业、小微企业占比与脱贫地区采购完成比例")
def _procurement_shares(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    p = F.procurement(ds)
    fc = lambda *k: _fact_cells(ds, "stated", *k)  # noqa: E731
    for what, stated_key, value, n, d, keys in (
        ("中小企业合同占比", "sme_share", p.sme_share, p.sme, p.contracts, ("sme_contracts", "procurement_contracts")),
        ("小微企业占中小企业比例", "micro_share", p.micro_share, p.micro, p.sme, ("micro_contracts", "sme_contracts")),
        ("脱贫地区农副产品采购完成比例", "poverty_ratio", p.poverty_ratio, p.poverty_bought, p.poverty_reserved,
         ("poverty_bought", "poverty_reserved")),
    ):
        bounds = None if value is None else _pct_bounds(n, d)
        yield compare_pct(what, num(ctx.stated(stated_key)), value, bounds, fc(stated_key, *keys),
                          formula=f"{fmt(n)} ÷ {fmt(d)}")


@check("procurement.amounts", "政府采购金额的包含关系")
def _procurement_amounts(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    p = F.procurement(ds)
    pairs = [("采购合同总金额", p.contracts, "采购预算总额", p.budget, "procurement_contracts", "procurement_budget", "warning"),
             ("中小企业合同金额", p.sme, "采购合同总金额", p.contracts, "sme_contracts", "procurement_contracts", "error"),
             ("小微企业合同金额", p.micro, "中小企业合同金额", p.sme, "micro_contracts", "sme_contracts", "error")]
    given = [x for x in pairs if x[1] is not None and x[3] is not None]
    if not given:
        yield _not_provided("政府采购金额", _fact_cells(ds, "stated", "procurement_budget", "procurement_contracts"))
        return
    bad = [x for x in given if round_half_up(x[1]) > round_half_up(x[3])]
    for a, av, b, bv, ak, bk, sev in bad:
        yield _finding(sev, f"{a}{_money(av)}超过{b}{_money(bv)}。", stated=av, computed=bv, difference=av - bv,
                       cells=_fact_cells(ds, "stated", ak, bk))
    if not bad:
        yield _finding("pass", "；".join(f"{a}{fmt(av)} ≤ {b}{fmt(bv)}" for a, av, b, bv, *_ in given) + "。",
                       cells=_fact_cells(ds, "stated", *dict.fromkeys(k for x in given for k in x[4:6])))


@check("projects.count", "实现与未实现绩效目标的项目数之和与项目总数")
def _projects_count(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    a, n = num(ctx.stated("achieved_count")), num(ctx.stated("not_achieved_count"))
    cells = _fact_cells(ds, "stated", "achieved_count", "not_achieved_count") + [_col(ds, "projects", "no")]
    if a is None or n is None:
        yield _not_provided("实现或未完成绩效目标项目数", cells)
        return
    f = compare_count("项目数", a + n, len(ds.tables.get("projects", [])), cells,
                      note=f"（所述实现{_plain(a)}个 + 未完成{_plain(n)}个；计算数为“项目”表的行数）")
    yield f


def _status_nos(ds: Dataset, statuses: Iterable[str]) -> list[tuple[int, int]]:
    statuses = set(statuses)
    return [(int(r["no"]), r["_row"]) for r in _rows(ds, "projects")
            if text(r.get("status")) in statuses and not is_blank(r.get("no"))]


def _monitoring_not_achieved(ds: Dataset) -> list[dict]:
    return [r for r in _rows(ds, "monitoring") if text(r.get("not_achieved")) == "是"]


@check("projects.not_achieved", "未完成绩效目标项目数与项目表")
def _projects_not_achieved(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    stated = num(ctx.stated("not_achieved_count"))
    table = _status_nos(ds, F.NOT_ACHIEVED)
    done = _status_nos(ds, ["已完成"])
    cells = [ds.fact_cell("stated", "not_achieved_count"), _col(ds, "projects", "status")]
    if stated is None:
        yield _not_provided("未完成绩效目标项目数", cells)
        return
    if not _rows(ds, "projects"):
        yield _not_provided("项目表", cells, stated=stated)
        return
    mon = _monitoring_not_achieved(ds)
    mon_nos = [int(r["project_no"]) for r in mon if not is_blank(r.get("project_no"))]
    done_but_listed = [(no, row) for no, row in done if no in mon_nos]
    diff = stated - len(table)
    msg = (f"未完成绩效目标项目数：报告所述{_plain(stated)}个，项目表中完成状态为“未完成”（含“部分完成”）的"
           f"{len(table)}个（序号{'、'.join(str(no) for no, _ in table) or '无'}）")
    msg += "，一致" if diff == 0 else f"，相差{_plain(diff)}个"
    a = num(ctx.stated("achieved_count"))
    if a is not None and a != len(done):
        msg += f"；所述实现{_plain(a)}个，而项目表标记“已完成”{len(done)}个"
        cells.append(ds.fact_cell("stated", "achieved_count"))
    if mon:
        msg += (f"。“监控情况”表列出未完成绩效目标的项目{len(mon)}个，"
                + ("与所述一致" if len(mon) == stated else f"与所述{_plain(stated)}个也不一致"))
        if done_but_listed:
            msg += (f"，其中序号{'、'.join(str(no) for no, _ in done_but_listed)}在项目表中标记为“已完成”"
                    "，项目表的完成状态与监控结论不符")
            cells += [ds.cell("projects", "status", row) for _, row in done_but_listed]
        cells += _spans(ds, "monitoring", "not_achieved", [r["_row"] for r in mon])
    yield _finding("pass" if diff == 0 else "error", msg + "。", stated=stated, computed=len(table),
                   difference=diff, tolerance=0, cells=cells)


@check("monitoring.not_achieved_count", "监控情况所列未完成项目数")
def _monitoring_count(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    stated = num(ctx.stated("not_achieved_count"))
    mon = _monitoring_not_achieved(ds)
    cells = [ds.fact_cell("stated", "not_achieved_count")] + _spans(ds, "monitoring", "not_achieved", [r["_row"] for r in mon])
    if not _rows(ds, "monitoring"):
        yield _not_provided("监控情况", cells, stated=stated)
        return
    yield compare_count("未完成绩效目标项目数（监控情况表）", stated, len(mon), cells,
                        note="（计算数为“监控情况”表中“未完成绩效目标”为“是”的行数）")


@check("monitoring.names", "监控情况项目序号与项目名称")
def _monitoring_names(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    names = {int(r["no"]): text(r.get("name")) for r in _rows(ds, "projects") if not is_blank(r.get("no"))}
    rows = [r for r in _rows(ds, "monitoring") if not is_blank(r.get("project_no")) and int(r["project_no"]) in names]
    if not rows:
        yield _not_provided("监控情况的项目序号", [_col(ds, "monitoring", "project_no")])
        return
    bad = [r for r in rows if F.name_key(r.get("name")) != F.name_key(names[int(r["project_no"])])]
    for r in bad:
        no = int(r["project_no"])
        yield _finding("warning", f"“监控情况”中项目序号{no}的名称为“{text(r.get('name'))}”，"
                       f"而“项目”表序号{no}为“{names[no]}”，序号或名称有误。",
                       cells=[ds.cell("monitoring", "project_no", r["_row"]), ds.cell("monitoring", "name", r["_row"])])
    if not bad:
        yield _finding("pass", f"“监控情况”{len(rows)}行的项目序号与项目名称均与“项目”表一致。",
                       cells=[_col(ds, "monitoring", "project_no"), _col(ds, "monitoring", "name")])


@check("monitoring.status", "监控情况与项目完成状态")
def _monitoring_status(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    mon = [r for r in _monitoring_not_achieved(ds) if not is_blank(r.get("project_no"))]
    status = {int(r["no"]): (text(r.get("status")), r["_row"]) for r in _rows(ds, "projects") if not is_blank(r.get("no"))}
    if not mon:
        yield _not_provided("监控情况中的未完成项目", [_col(ds, "monitoring", "not_achieved")])
        return
    clash = [(r, status[int(r["project_no"])]) for r in mon
             if int(r["project_no"]) in status and status[int(r["project_no"])][0] == "已完成"]
    if clash:
        yield _finding("warning", "以下项目在“监控情况”中列为未完成绩效目标，但在“项目”表中标记为“已完成”："
                       + "；".join(f"序号{int(r['project_no'])}“{text(r.get('name'))}”" for r, _ in clash)
                       + "。项目完成状态与监控结论应一致。", stated=len(clash),
                       cells=[c for r, (_, row) in clash for c in (ds.cell("monitoring", "not_achieved", r["_row"]),
                                                                   ds.cell("projects", "status", row))])
    else:
        yield _finding("pass", f"“监控情况”列为未完成的{len(mon)}个项目在项目表中均未标记“已完成”。",
                       cells=[_col(ds, "monitoring", "not_achieved"), _col(ds, "projects", "status")])


@check("projects.amounts", "实现与未完成绩效目标项目的资金")
def _projects_amounts(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    pe = F.project_execution(ds)
    for key, statuses, what in (("achieved_amount", ["已完成"], "实现绩效目标项目资金"),
                                ("not_achieved_amount", list(F.NOT_ACHIEVED), "未完成绩效目标项目资金")):
        stated = num(ctx.stated(key))
        sub = pe[pe["status"].isin(statuses)] if len(pe) else pe
        cells = [ds.fact_cell("stated", key)] + _spans(ds, "projects", "budget", sub["_row"] if len(sub) else [])
        if stated is None:
            yield _not_provided(what, cells)
            continue
        known = sub[sub["budget"].notna()] if len(sub) else sub
        if len(sub) == 0 or len(known) < len(sub):
            part = f"（已填{len(known)}个，合计{_money(F.total_of(known['budget']))}）" if len(known) else ""
            yield _finding("info", f"{what}：所述{_money(stated)}，但项目表中{len(sub) - len(known)}个相应项目的预算数"
                           f"{NOT_PROVIDED}{part}，无法核对。", stated=stated, cells=cells)
            continue
        yield compare_sum(what, stated, list(known["budget"]), cells)


@check("projects.ex_ante_count", "事前绩效评估项目数与项目数")
def _ex_ante(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    stated = num(ctx.stated("ex_ante_count"))
    n = len(ds.tables.get("projects", []))
    cells = [ds.fact_cell("stated", "ex_ante_count"), _col(ds, "projects", "no")]
    f = compare_count("本年事前绩效评估项目数", stated, n, cells, severity="info",
                      note="（计算数为“项目”表的行数）")
    if f.severity == "info" and f.stated is not None:
        f.message = f.message.rstrip("。") + "；事前评估范围可能与全部项目不同，宜核实。"
    yield f


@check("projects.zero_spending", "标记已完成但支出为零的项目")
def _zero_spending(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    pe = F.project_execution(ds)
    given = pe[pe["spent"].notna()] if len(pe) else pe
    if not len(given):
        yield _not_provided("项目执行数", [_col(ds, "projects", "spent")])
        return
    odd = [r for r in given.to_dict("records") if r["status"] == "已完成" and r["spent"] == 0
           and (r["budget"] or 0) > 0]
    for r in odd:
        yield _finding("warning", f"项目序号{r['no']}“{r['name']}”标记为“已完成”，但预算{_money(r['budget'])}、执行数为0。",
                       stated=r["spent"], computed=r["budget"],
                       cells=[ds.cell("projects", "status", r["_row"]), ds.cell("projects", "spent", r["_row"])])
    if not odd:
        yield _finding("pass", f"填有执行数的{len(given)}个项目中，没有标记“已完成”而支出为0的项目。",
                       cells=_spans(ds, "projects", "spent", given["_row"]))


@check("projects.execution_rate", "项目整体支出进度")
def _execution_rate(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    es = F.execution_summary(ds)
    cells = [ds.fact_cell("stated", "execution_rate"), _col(ds, "projects", "budget"), _col(ds, "projects", "spent")]
    if es.stated_progress is None:
        yield _not_provided("项目整体支出进度", cells)
    elif es.projects == 0 or es.projects_with_amounts < es.projects:
        yield _finding("info", f"项目整体支出进度：所述{fmt_pct(es.stated_progress)}；{es.projects}个项目中仅{es.projects_with_amounts}个"
                       f"填有预算数与执行数，其余{NOT_PROVIDED}，无法复核。", stated=es.stated_progress, cells=cells)
    else:
        n = es.projects
        yield compare_pct("项目整体支出进度", es.stated_progress, es.project_rate,
                          _pct_bounds(es.project_spent, es.project_budget, n * HALF_CENT, n * HALF_CENT), cells,
                          formula=f"执行数{fmt(es.project_spent)} ÷ 预算数{fmt(es.project_budget)}")


@check("monitoring.midyear_counts", "半年监控分档项目数不超过项目总数")
def _midyear(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    keys = ("midyear_over_50", "midyear_under_30", "midyear_not_started")
    vals = [num(ctx.stated(k)) for k in keys]
    cells = _fact_cells(ds, "stated", *keys) + [_col(ds, "projects", "no")]
    n = len(ds.tables.get("projects", []))
    if any(v is None for v in vals) or not n:
        yield _not_provided("半年监控分档项目数", cells)
        return
    total = sum(vals)
    detail = " + ".join(_plain(v) for v in vals)
    if total <= n:
        yield _finding("pass", f"半年监控分档项目数{detail} = {_plain(total)}个，不超过项目总数{n}个（各档不必覆盖全部项目）。",
                       stated=total, computed=n, cells=cells)
    else:
        yield _finding("error", f"半年监控分档项目数{detail} = {_plain(total)}个，超过项目总数{n}个。",
                       stated=total, computed=n, difference=total - n, cells=cells)


@check("last_eval.counts", "上年自评项目分档之和")
def _last_eval(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    keys = ("last_eval_full", "last_eval_95", "last_eval_90_95", "last_eval_below_90")
    vals = [num(ctx.stated(k)) for k in keys]
    cells = _fact_cells(ds, "stated", *keys, "last_eval_count")
    if any(v is None for v in vals):
        yield _not_provided("上年自评分档项目数", cells, stated=num(ctx.stated("last_eval_count")))
        return
    yield compare_count("上年自评项目数", ctx.stated("last_eval_count"), sum(vals), cells,
                        note=f"（满分{_plain(vals[0])} + 95分以上{_plain(vals[1])} + 90–95分{_plain(vals[2])} + 90分以下{_plain(vals[3])}）")


# -- （五）资产管理 -------------------------------------------------------------------------
@check("fixed_assets.stock_total", "固定资产年末原值合计")
def _fa_stock(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    yield compare_sum("固定资产年末原值", num(ds.stated_total("fixed_assets", "stock")),
                      [r.get("stock") for r in _rows(ds, "fixed_assets")],
                      [_col(ds, "fixed_assets", "stock"), ds.total_cell("fixed_assets", "stock")])


@check("fixed_assets.added_total", "本年配置固定资产合计")
def _fa_added(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    yield compare_sum("本年配置固定资产", num(ds.stated_total("fixed_assets", "added")),
                      [r.get("added") for r in _rows(ds, "fixed_assets")],
                      [_col(ds, "fixed_assets", "added"), ds.total_cell("fixed_assets", "added")])


@check("fixed_assets.added_equals_stock", "本年配置与年末存量是否雷同")
def _fa_copy(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    stock, added = num(ds.stated_total("fixed_assets", "stock")), num(ds.stated_total("fixed_assets", "added"))
    rows = _rows(ds, "fixed_assets")
    pairs = [(r, num(r.get("stock")), num(r.get("added"))) for r in rows]
    both = [(r, s, a) for r, s, a in pairs if s is not None and a is not None]
    if stock is None:
        stock = F.total_of([s for _, s, _ in pairs])
    if added is None:
        added = F.total_of([a for _, _, a in pairs])
    cells = [ds.total_cell("fixed_assets", "added") or _col(ds, "fixed_assets", "added"),
             ds.total_cell("fixed_assets", "stock") or _col(ds, "fixed_assets", "stock")]
    if stock is None or added is None:
        yield _not_provided("固定资产年末原值或本年配置", cells)
        return
    same_classes = [r for r, s, a in both if round_half_up(s) == round_half_up(a)]
    if added > 0 and round_half_up(added) == round_half_up(stock) and len(same_classes) == len(both):
        nonzero = sum(1 for _, s, _ in both if s)
        prev_fa = None
        for r in _rows(ds, "balance_sheet"):
            if F.name_key(r.get("item")) in {F.name_key(n) for n in F.finance_config()["balance_sheet"]["fixed_asset_net"]}:
                prev_fa = num(r.get("previous"))
        evidence = (f"；而上年末固定资产净值为{_money(prev_fa)}，年初并非没有固定资产" if prev_fa else "")
        yield _finding("warning", f"本年配置固定资产{_money(added)}与年末固定资产原值{_money(stock)}完全相同，"
                       f"且{len(both)}个类别逐项相同（其中{nonzero}类非零）：这意味着年初没有任何固定资产{evidence}，"
                       "疑为将年末存量抄作本年配置。", stated=added, computed=stock, difference=added - stock,
                       cells=cells + [_col(ds, "fixed_assets", "added"), _col(ds, "fixed_assets", "stock")])
    else:
        yield _finding("pass", f"本年配置固定资产{_money(added)}与年末原值{_money(stock)}不雷同。",
                       stated=added, computed=stock, difference=added - stock, cells=cells)


@check("fixed_assets.added_le_stock", "本年配置不超过年末原值")
def _fa_le(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    pairs = [(r, num(r.get("stock")), num(r.get("added"))) for r in _rows(ds, "fixed_assets")]
    both = [(r, s, a) for r, s, a in pairs if s is not None and a is not None]
    if not both:
        yield _not_provided("固定资产年末原值与本年配置", [_col(ds, "fixed_assets", "stock")])
        return
    bad = [(r, s, a) for r, s, a in both if round_half_up(a) > round_half_up(s)]
    for r, s, a in bad:
        yield _finding("error", f"“{text(r.get('category'))}”本年配置{_money(a)}超过年末原值{_money(s)}"
                       "（未发生处置时，年末原值应不少于本年配置）。", stated=a, computed=s, difference=a - s,
                       cells=[ds.cell("fixed_assets", "added", r["_row"]), ds.cell("fixed_assets", "stock", r["_row"])])
    if not bad:
        yield _finding("pass", f"{len(both)}个类别的本年配置均不超过年末原值。",
                       cells=[_col(ds, "fixed_assets", "added"), _col(ds, "fixed_assets", "stock")])


@check("physical_assets.usage", "实物资产使用状况之和与账面数量")
def _usage(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    rows = _rows(ds, "physical_assets")
    if not rows:
        yield _not_provided("实物资产", [_col(ds, "physical_assets", "quantity")])
        return
    cols = ("in_use", "lent", "idle", "pending_disposal")
    for r in rows:
        q = num(r.get("quantity"))
        parts = [r.get(c) for c in cols]
        cells = [ds.cell("physical_assets", c, r["_row"]) for c in cols] + [ds.cell("physical_assets", "quantity", r["_row"])]
        unit = text(r.get("unit")) or ""
        if q is None or all(num(p) is None for p in parts):
            yield _not_provided(f"{text(r.get('kind'))}账面数量或使用状况", cells)
            continue
        counted = unit in ("辆", "台", "个", "套", "处", "栋")
        yield compare_sum(f"{text(r.get('kind'))}（在用+出租出借+闲置+待处置）", q, parts, cells,
                          show=lambda x, u=unit: f"{_plain(x)}{u}", exact=counted)


@check("physical_assets.net_le_original", "实物资产账面净值不超过原值")
def _net_le_orig(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    df = F.physical_asset_newness(ds)
    both = [r for r in df.to_dict("records") if r["original_value"] is not None and r["net_value"] is not None]
    if not both:
        yield _not_provided("实物资产原值与净值", [_col(ds, "physical_assets", "original_value")])
        return
    bad = [r for r in both if round_half_up(r["net_value"]) > round_half_up(r["original_value"])]
    for r in bad:
        yield _finding("error", f"{r['kind']}账面净值{_money(r['net_value'])}超过账面原值{_money(r['original_value'])}。",
                       stated=r["net_value"], computed=r["original_value"],
                       difference=r["net_value"] - r["original_value"],
                       cells=[ds.cell("physical_assets", "net_value", r["_row"]),
                              ds.cell("physical_assets", "original_value", r["_row"])])
    if not bad:
        yield _finding("pass", "；".join(
            f"{r['kind']}净值{fmt(r['net_value'])} ≤ 原值{fmt(r['original_value'])}"
            + (f"（成新率{fmt_pct(r['newness'])}）" if r["newness"] is not None else "") for r in both) + "。",
                       cells=[c for r in both for c in (ds.cell("physical_assets", "net_value", r["_row"]),
                                                        ds.cell("physical_assets", "original_value", r["_row"]))])


@check("physical_assets.building_area", "办公用房与其他用房面积之和与房屋面积")
def _building_area(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    rows = [r for r in _rows(ds, "physical_assets") if r.get("kind") == "房屋"]
    cells = _fact_cells(ds, "stated", "office_area", "other_building_area")
    if not rows:
        yield _not_provided("房屋账面面积", cells)
        return
    cells.append(ds.cell("physical_assets", "quantity", rows[0]["_row"]))
    parts = [ctx.stated("office_area"), ctx.stated("other_building_area")]
    if all(num(p) is None for p in parts):
        yield _not_provided("办公用房、其他用房面积", cells)
        return
    yield compare_sum("房屋面积（办公用房+其他用房）", num(rows[0].get("quantity")), parts, cells,
                      show=lambda x: f"{fmt(x)}平方米")


@check("assets.cip_date", "在建工程截至日期与报告年度")
def _cip_date(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    d = ctx.stated("cip_date")
    cells = [ds.fact_cell("stated", "cip_date"), ds.fact_cell("unit", "year")]
    y = _year_of(d)
    if y is None or ctx.year is None:
        yield _not_provided("在建工程截至日期", cells)
        return
    shown = d.strftime("%Y-%m-%d") if isinstance(d, (dt.date, dt.datetime)) else str(d)
    if y == ctx.year:
        yield _finding("pass", f"在建工程截至日期{shown}在报告年度{ctx.year}年。", stated=y, computed=ctx.year, cells=cells)
    else:
        yield _finding("warning", f"在建工程情况的截至日期为{shown}，而报告年度为{ctx.year}年（资产情况均截至{ctx.year}年12月31日），"
                       "疑为笔误。", stated=y, computed=ctx.year, difference=y - ctx.year, cells=cells)
