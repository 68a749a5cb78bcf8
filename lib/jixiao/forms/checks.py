"""The checks of one 项目支出绩效自评表: its arithmetic, and its scores under a scheme.

:func:`form_findings` returns :class:`~jixiao.analysis.checks.Finding` objects, the same
as the township checks (ids ``forms.*``, Chinese titles, severities error / warning /
info / pass as :mod:`jixiao.analysis.checks` defines them), each message with both
figures and the cells as ``文件 工作表!D7``. A check that holds yields a ``pass`` finding,
so the counts say how much was checked.

Checks
------
``forms.funds_total``
    年度资金总额 = Σ 其中 rows (本年财政拨款 + 上年结转资金 + 其他资金), per column.
``forms.funds_executed``
    全年执行数 ≤ 全年预算数, per row (warning: spending beyond the budget is possible,
    and worth a look).
``forms.execution_rate``
    the stated 执行率 = 全年执行数 ÷ 全年预算数.
``forms.execution_score``
    the stated execution 得分 = the scheme's score from the stated amounts.
``forms.indicator_score``
    every indicator's stated 得分 = the scheme's score of its target and actual (inside
    the grade's band for a qualitative result); an indicator the scheme cannot score is
    a warning saying why.
``forms.level_points``
    Σ 分值 of a 一级指标's indicators = the points in its label (“产出指标（50分）”).
``forms.points_total``
    execution 分值 + Σ 分值 = the 总分 row's 分值 (100 when blank).
``forms.total_sum``
    总分 = execution 得分 + Σ 得分.
``forms.total_score``
    总分 = the scheme's total (a warning when the form's points differ from the scheme's
    weights, which the total then rescales).
``forms.scheme_points``
    the form's points per level and for the execution rate = the scheme's weights.
``forms.absent_levels``
    a scheme level without indicators, and the rule applied (``absent_levels``).
``forms.goal_parts``
    a goal text's “共…万元，其中：a万元…；b万元…”: Σ parts = total (万元 or 元, as written).
``forms.goal_executed``
    the total stated in 实际完成情况 = 全年执行数.

Tolerances come from rounding (:mod:`jixiao.rounding`): amounts as the form prints them
(two decimals of its unit), scores to two decimals.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from jixiao.analysis.checks import Finding, compare_pct, compare_sum
from jixiao.analysis.scoring.scheme import Scheme, load_scheme
from jixiao.forms.model import FUND_COLUMNS, FUND_ROWS, ProjectForm
from jixiao.forms.score import FormScore, score_form
from jixiao.rounding import HALF_CENT, fmt, ratio_interval, round_half_up, sum_tolerance
from jixiao.values import plain
from jixiao.workbook.cells import normalize_text

#: Titles of the checks, by id, in the order :func:`form_findings` runs them.
TITLES: dict[str, str] = {
    "forms.funds_total": "年度资金总额与其中各项",
    "forms.funds_executed": "全年执行数不超过全年预算数",
    "forms.execution_rate": "执行率 = 全年执行数 ÷ 全年预算数",
    "forms.execution_score": "预算执行率得分",
    "forms.indicator_score": "绩效指标得分",
    "forms.level_points": "一级指标分值与所标分值",
    "forms.points_total": "分值合计",
    "forms.total_sum": "总分 = 各项得分之和",
    "forms.total_score": "总分与评分方案计算结果",
    "forms.scheme_points": "分值与评分方案",
    "forms.absent_levels": "缺少的一级指标",
    "forms.goal_parts": "年度总体目标所述金额",
    "forms.goal_executed": "实际完成情况所述金额与全年执行数",
}
_EPS = 1e-9


def _finding(cid: str, severity: str, message: str, *, stated=None, computed=None, tol=None, cells=()) -> Finding:
    diff = None if stated is None or computed is None else float(stated) - float(computed)
    return Finding(
        cid,
        TITLES[cid],
        severity,
        message,
        None if stated is None else float(stated),
        None if computed is None else float(computed),
        diff,
        tol,
        [c for c in cells if c],
    )


def _pts(x: float | None) -> str:
    return "未提供" if x is None else f"{plain(x)}分"


def _money_shower(form: ProjectForm) -> Callable[[float | None], str]:
    """Amounts as the form writes them: 万元 to two decimals, or 元 to two decimals."""
    if form.amount_unit == "元":
        return lambda x: "未提供" if x is None else f"{fmt(x * 10000)}元"
    return lambda x: "未提供" if x is None else f"{fmt(x)}万元"


def _compare_range(
    cid: str,
    what: str,
    stated: float | None,
    computed: float | None,
    low: float | None,
    high: float | None,
    cells: list[str],
    *,
    severity: str = "error",
    why: str = "",
    band: str = "",
    basis: str = "",
) -> Finding:
    """A stated score against the computed one: ``pass`` when equal to two decimals (or
    inside a qualitative ``band``), ``info`` inside [low, high] widened by the stated
    figure's own ±0.005, else ``severity``. [low, high] is the rounding of the inputs, or,
    with ``basis`` (what else widens it), the range the scheme allows."""
    if stated is None:
        return _finding(
            cid, "info", f"{what}：所述得分未提供，无法校验（计算{_pts(computed)}）。", computed=computed, cells=cells
        )
    if computed is None or low is None or high is None:
        return _finding(cid, "info", f"{what}：所述{_pts(stated)}，无法计算{why}。", stated=stated, cells=cells)
    lo, hi = low - HALF_CENT, high + HALF_CENT
    tol = max(hi - computed, computed - lo)
    head = f"{what}：所述{_pts(stated)}，按评分方案计算{_pts(computed)}"
    if round_half_up(stated, 2) == round_half_up(computed, 2):
        return _finding(cid, "pass", f"{head}，一致。", stated=stated, computed=computed, tol=tol, cells=cells)
    if lo - _EPS <= stated <= hi + _EPS:
        if band:
            msg = f"{head}，在{band}内。"
            return _finding(cid, "pass", msg, stated=stated, computed=computed, tol=tol, cells=cells)
        if basis:
            within = f"在评分方案允许的范围内（{basis}，可能为{fmt(lo)}～{fmt(hi)}分）"
        elif high - low < _EPS:
            within = "在舍入误差范围内（±0.005分）"
        else:
            within = f"在舍入误差范围内（按两位小数舍入可能为{fmt(lo)}～{fmt(hi)}分）"
        msg = f"{head}，相差{plain(stated - computed)}分，{within}。"
        return _finding(cid, "info", msg, stated=stated, computed=computed, tol=tol, cells=cells)
    if band:
        beyond = f"超出该区间（{band}为{fmt(low)}～{fmt(high)}分）"
    elif high - low < _EPS:  # an exact computed score: only the stated one's rounding
        beyond = "超出舍入误差（±0.005分）"
    elif basis:
        beyond = f"超出评分方案允许的范围（{basis}，可能为{fmt(lo)}～{fmt(hi)}分）"
    else:
        beyond = f"超出舍入误差（按两位小数舍入可能为{fmt(lo)}～{fmt(hi)}分）"
    msg = f"{head}，相差{plain(stated - computed)}分，{beyond}。{why}"
    return _finding(cid, severity, msg, stated=stated, computed=computed, tol=tol, cells=cells)


def _sum_check(
    cid: str,
    what: str,
    stated: float | None,
    parts: list[float | None],
    cells: list[str],
    *,
    show: Callable[[float | None], str],
    digits: int = 2,
    exact: bool = False,
) -> Finding:
    """A stated total against the sum of its parts, as :func:`~jixiao.analysis.checks.compare_sum`
    does (same severities and tolerance), with every figure in the form's unit."""
    f = compare_sum(what, stated, parts, cells, digits=digits, show=show, exact=exact)
    if f.severity == "error" and f.computed is not None and stated is not None:
        given = len([p for p in parts if p is not None])
        blanks = len(parts) - given
        extra = f"（另有{blanks}项未填）" if blanks else ""
        head = f"{what}：明细合计{show(f.computed)}{extra}，所述{show(stated)}，相差{show(stated - f.computed)}"
        tail = "。" if exact else f"，超出舍入误差（±{show(f.tolerance)}）。"
        f = replace(f, message=head + tail)
    return replace(f, id=cid, title=TITLES[cid])


# --------------------------------------------------------------------------- the checks


def _funds(form: ProjectForm) -> Iterable[Finding]:
    show = _money_shower(form)
    total = form.funds.get("total")
    parts = [form.funds[k] for k in FUND_ROWS if k != "total" and k in form.funds]
    if total is None:
        return
    if not parts:
        yield _finding(
            "forms.funds_total",
            "info",
            "项目资金只有年度资金总额一行，没有其中各项（本年财政拨款、上年结转资金、其他资金），无法校验。",
            cells=[form.where(total.cells.get("label"))],
        )
    else:
        for col, header in FUND_COLUMNS.items():
            yield _sum_check(
                "forms.funds_total",
                f"{header}（年度资金总额 = " + " + ".join(FUND_ROWS[p.key] for p in parts) + "）",
                getattr(total, col),
                [getattr(p, col) for p in parts],
                [form.where(total.cells.get(col))] + [form.where(p.cells.get(col)) for p in parts],
                digits=form.amount_digits,
                show=show,
            )
    for row in (total, *parts):
        if row.budget is None or row.executed is None:
            continue
        cells = [form.where(row.cells.get("executed")), form.where(row.cells.get("budget"))]
        over = round_half_up(row.executed, form.amount_digits) > round_half_up(row.budget, form.amount_digits)
        msg = f"{FUND_ROWS[row.key]}：全年执行数{show(row.executed)}，全年预算数{show(row.budget)}"
        yield _finding(
            "forms.funds_executed",
            "warning" if over else "pass",
            msg + ("，执行数超过预算数，请核对。" if over else "，未超过预算数。"),
            stated=row.executed,
            computed=row.budget,
            cells=cells,
        )


def _execution(form: ProjectForm, sc: FormScore) -> Iterable[Finding]:
    total = form.funds.get("total")
    if total is None:
        return
    cells = [form.where(total.cells.get(k)) for k in ("rate", "executed", "budget")]
    bounds = None
    if total.budget and total.executed is not None:
        lo, hi = ratio_interval(total.executed, total.budget, form.amount_digits)
        bounds = (lo * 100, hi * 100)
    f = compare_pct("执行率", sc.rate_stated, sc.rate_computed, bounds, cells, formula="全年执行数÷全年预算数")
    yield replace(f, id="forms.execution_rate", title=TITLES["forms.execution_rate"])
    what = f"预算执行率得分（分值{_pts(sc.execution_points)}×全年执行数÷全年预算数，最高为分值）"
    cells = [form.where(total.cells.get(k)) for k in ("score", "executed", "budget", "points")]
    yield _compare_range(
        "forms.execution_score",
        what,
        sc.execution_stated,
        sc.execution_computed,
        sc.execution_low,
        sc.execution_high,
        cells,
        why="（全年预算数未提供或为0）" if sc.execution_computed is None else "",
    )


def _indicators(form: ProjectForm, sc: FormScore) -> Iterable[Finding]:
    cid = "forms.indicator_score"
    for r in sc.indicators:
        ind = r.indicator
        cells = [form.where(ind.cells.get(k)) for k in ("score", "target", "actual", "points")]
        what = f"指标“{ind.name}”（{ind.target or '—'}，实际{ind.actual or '—'}，分值{_pts(ind.points)}）"
        if r.problem is not None:
            yield _finding(
                cid,
                "warning",
                f"{what}：无法按评分方案计分：{r.problem}；所述得分{_pts(ind.score)}未能核对。",
                stated=ind.score,
                cells=cells,
            )
            continue
        band = ""
        if r.grade is not None:
            band = f"“{r.grade}”的区间"
        f = _compare_range(cid, what, r.stated, r.computed, r.low, r.high, cells, band=band)
        if r.reading:
            f = replace(f, message=f.message + f"（{r.reading}）")
        yield f


def _points(form: ProjectForm, sc: FormScore) -> Iterable[Finding]:
    # Σ 分值 of each 一级指标 block (consecutive rows of one label, merged or repeated)
    # against the points in its label
    blocks: list[list] = []
    for ind in form.indicators:
        prev = blocks[-1][-1] if blocks else None
        if prev is not None and (prev.level1, prev.level1_points) == (ind.level1, ind.level1_points):
            blocks[-1].append(ind)
        else:
            blocks.append([ind])
    for members in blocks:
        cell = members[0].cells.get("level1")
        label_points = members[0].level1_points
        if label_points is None:
            continue
        yield _sum_check(
            "forms.level_points",
            f"{members[0].level1}各指标分值（所标{_pts(label_points)}）",
            label_points,
            [m.points for m in members],
            [form.where(cell)] + [form.where(m.cells.get("points")) for m in members],
            show=_pts,
            exact=True,
        )
    # execution 分值 + Σ 分值 = the 总分 row's 分值
    total = form.funds.get("total")
    stated = form.total_points if form.total_points is not None else 100.0
    parts = [total.points if total else None] + [i.points for i in form.indicators]
    cells = [form.where(form.cells.get("total_points"))] if form.total_points is not None else []
    if total is not None:
        cells.append(form.where(total.cells.get("points")))
    cells += [form.where(i.cells.get("points")) for i in form.indicators]
    what = "预算执行率与各指标分值合计" + ("" if form.total_points is not None else "（总分行未填分值，按满分100分）")
    yield _sum_check("forms.points_total", what, stated, parts, cells, show=_pts, exact=True)


def _totals(form: ProjectForm, sc: FormScore) -> Iterable[Finding]:
    total = form.funds.get("total")
    tcell = form.where(form.cells.get("total_score")) if form.cells.get("total_score") else form.where(None)
    parts = [total.score if total else None] + [i.score for i in form.indicators]
    cells = [tcell]
    if total is not None:
        cells.append(form.where(total.cells.get("score")))
    cells += [form.where(i.cells.get("score")) for i in form.indicators]
    yield _sum_check(
        "forms.total_sum", "总分（预算执行率得分 + 各指标得分）", form.total_score, parts, cells, show=_pts
    )

    why = ""
    if sc.total_computed is None:
        bad = [r.name for r in sc.indicators if r.problem is not None]
        why = f"（指标“{'、'.join(bad)}”无法计分）" if bad else "（全年预算数未提供或为0，或没有指标）"
    note = "；".join(sc.notes)
    f = _compare_range(
        "forms.total_score",
        f"总分（评分方案“{sc.scheme.name}”）",
        sc.total_stated,
        sc.total_computed,
        sc.total_low,
        sc.total_high,
        [tcell],
        severity="warning" if sc.weights_differ else "error",
        why=why,
        basis="定性指标在等级区间内取分、金额按两位小数舍入" if any(r.grade for r in sc.indicators) else "",
    )
    if note:
        f = replace(f, message=f.message + f"说明：{note}。")
    yield f


def _scheme(form: ProjectForm, sc: FormScore) -> Iterable[Finding]:
    s = sc.scheme
    total = form.funds.get("total")
    cells = [form.where(total.cells.get("points"))] if total else []
    if sc.weights_differ:
        form_parts = [f"预算执行率{_pts(sc.execution_points)}"] + [
            f"{lv}{_pts(p)}" for lv, p in sc.level_points.items()
        ]
        scheme_parts = [f"预算执行率{_pts(s.execution_points)}"] + [
            f"{lv}{_pts(t)}" for lv, t in sc.level_targets.items()
        ]
        yield _finding(
            "forms.scheme_points",
            "warning",
            f"表内分值（{'，'.join(form_parts)}）与评分方案“{s.name}”（{'，'.join(scheme_parts)}）不同："
            "请确认所用评分方案，计算总分按方案分值折算。",
            cells=cells,
        )
    else:
        yield _finding("forms.scheme_points", "pass", f"表内分值与评分方案“{s.name}”一致。", cells=cells)
    if sc.absent_levels:
        yield _finding(
            "forms.absent_levels",
            "info",
            f"表中没有{'、'.join(sc.absent_levels)}（一级指标）下的指标，按评分方案“{s.name}”的 absent_levels: {sc.absent_rule} 处理："
            + ("其分值按比例分配至其余一级指标。" if sc.absent_rule == "redistribute" else "其分值不得分。"),
            cells=[form.where(None)],
        )


# --------------------------------------------------------------------------- goal texts

_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)(亿元|万元|元)")
_TOTAL_MARK = re.compile(r"(?:共|合计|总计|累计|总额|总投资)[^0-9。;]{0,8}$")
_FACTOR = {"亿元": 10000.0, "万元": 1.0, "元": 1 / 10000}


def goal_amounts(text: str | None) -> tuple[tuple[float, str, int] | None, list[tuple[float, str, int]]]:
    """The total and the 其中 parts a goal text states, each ``(万元, unit, decimals)``.

    The total is the amount just before “其中” in its sentence, or, without “其中”, an
    amount after 共 / 合计 / 总计 / 累计; the parts are the amounts after “其中” up to the
    end of that sentence. Amounts are read with their unit (亿元, 万元, 元).

    Examples
    --------
    >>> goal_amounts("共120万元，其中：100万元用于道路；20万元用于配套。")[0]
    (120.0, '万元', 0)
    """
    if not text:
        return None, []
    t = re.sub(r"(?<=\d),(?=\d{3})", "", normalize_text(text).replace(" ", ""))

    def amounts(s: str, offset: int = 0) -> list[tuple[int, tuple[float, str, int]]]:
        out = []
        for m in _AMOUNT.finditer(s):
            digits = len(m.group(1).split(".")[1]) if "." in m.group(1) else 0
            out.append((offset + m.start(), (round(float(m.group(1)) * _FACTOR[m.group(2)], 10), m.group(2), digits)))
        return out

    i = t.find("其中")
    if i >= 0:
        start = t.rfind("。", 0, i) + 1
        before = amounts(t[start:i])
        end = t.find("。", i)
        parts = [a for _, a in amounts(t[i : end if end >= 0 else len(t)])]
        return (before[-1][1] if before else None), parts
    for pos, a in amounts(t):
        if _TOTAL_MARK.search(t[max(0, pos - 10) : pos]):
            return a, []
    return None, []


def _goals(form: ProjectForm) -> Iterable[Finding]:
    for key, what in (("goal_expected", "预期目标"), ("goal_actual", "实际完成情况")):
        text = getattr(form, key)
        whole, parts = goal_amounts(text)
        if whole is None or len(parts) < 2:
            continue
        unit = whole[1]
        factor = _FACTOR[unit]
        # digits of the amounts as written, in 万元 (元 adds four), never fewer than two
        digits = max(2, *(a[2] for a in (whole, *parts)))
        digits_wan = digits + {"元": 4, "万元": 0, "亿元": -4}[unit]

        def show(x: float | None, unit=unit, factor=factor, digits=digits) -> str:
            return "未提供" if x is None else f"{plain(x / factor, digits)}{unit}"

        yield _sum_check(
            "forms.goal_parts",
            f"年度总体目标（{what}）所述金额（共{show(whole[0])}，其中{'、'.join(show(p[0]) for p in parts)}）",
            whole[0],
            [p[0] for p in parts],
            [form.where(form.cells.get(key))],
            digits=max(digits_wan, 0),
            show=show,
        )
    total = form.funds.get("total")
    if form.goal_actual and total is not None:
        stated, _parts = goal_amounts(form.goal_actual)
        cells = [form.where(form.cells.get("goal_actual")), form.where(total.cells.get("executed"))]
        cid = "forms.goal_executed"
        money = _money_shower(form)
        if stated is None:
            yield _finding(cid, "info", "实际完成情况未述及合计金额，无法与全年执行数核对。", cells=cells)
        elif total.executed is None:
            yield _finding(cid, "info", "全年执行数未提供，无法与实际完成情况所述金额核对。", cells=cells)
        else:
            said = f"{plain(stated[0] / _FACTOR[stated[1]], 6)}{stated[1]}"
            tol = sum_tolerance(1, form.amount_digits)
            diff = stated[0] - total.executed
            head = f"实际完成情况所述{said}，全年执行数{money(total.executed)}"
            if round_half_up(stated[0], form.amount_digits) == round_half_up(total.executed, form.amount_digits):
                sev, msg = "pass", f"{head}，一致。"
            elif abs(diff) <= tol + _EPS:
                sev, msg = "info", f"{head}，在舍入误差范围内。"
            else:
                sev, msg = "error", f"{head}，相差{money(abs(diff))}。"
            yield _finding(cid, sev, msg, stated=stated[0], computed=total.executed, tol=tol, cells=cells)


# --------------------------------------------------------------------------- entry point


def form_findings(
    form: ProjectForm, scheme: Scheme | str = "national", score: FormScore | None = None
) -> list[Finding]:
    """Every check of one form (see the module's list), in that order.

    Parameters
    ----------
    form : ProjectForm
    scheme : Scheme or str
        The scoring scheme (a shipped name, a file path or a loaded scheme).
    score : FormScore, optional
        The form's score under ``scheme`` when already computed.

    Returns
    -------
    list of Finding
    """
    scheme = load_scheme(scheme)
    sc = score if score is not None else score_form(form, scheme)
    found: list[Finding] = []
    found += _funds(form)
    found += _execution(form, sc)
    found += _indicators(form, sc)
    found += _points(form, sc)
    found += _totals(form, sc)
    found += _scheme(form, sc)
    found += _goals(form)
    return found
