"""Checks of the department's assessment self-evaluation (二、部门绩效考核自评情况).

The assessment total against its category scores (with bonuses and deductions), the
converted score against total ÷ applicable maximum × 100, where the applicable maximum
comes from (workbook or parameters file), category scores against their points, and the
stated grades (考核等级, 重点评价等级) against the grade bands of the run's scoring scheme.
These figures head the report, so a slip here changes its conclusion.
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.analysis.checks.compare import compare_pct, compare_sum
from jixiao.analysis.checks.registry import (
    _EPS,
    NOT_PROVIDED,
    WITHIN_ROUNDING,
    Context,
    Finding,
    _col,
    _fact_cells,
    _finding,
    _not_provided,
    _plain,
    _rows,
    check,
)
from jixiao.rounding import HALF_CENT, fmt, round_half_up, sum_tolerance
from jixiao.values import num, text
from jixiao.workbook.dataset import Dataset


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
    sources: list[tuple[float, str]] = []
    row_total = num(ds.stated_total("assessment", "score"))
    if row_total is not None:
        row_cell = ds.total_cell("assessment", "score")
        assert row_cell is not None  # a stated total has its 合计 row
        sources.append((row_total, row_cell))
    fact_total = num(ctx.stated("assessment_total"))
    if fact_total is not None:
        sources.append((fact_total, ds.fact_cell("stated", "assessment_total")))
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
        msg += (
            "，一致。"
            if exact
            else (f"，相差{_plain(diff)}分，{WITHIN_ROUNDING}。" if ok else f"，相差{_plain(diff)}分。")
        )
        if unprovable:
            msg += f"另有{blanks}个类别得分{NOT_PROVIDED}，差额可能在其中，无法校验。"
        if amax is not None and not exact:
            msg += (
                f"按适用满分{_plain(amax)}分（{amax_src}）换算：各类别合计{_plain(computed)}分 → "
                f"{fmt(computed / amax * 100)}分，所述{_plain(stated)}分 → {fmt(stated / amax * 100)}分。"
            )
        elif amax is None and not exact:
            msg += f"适用满分{NOT_PROVIDED}，无法给出各自对应的换算得分。"
        yield _finding(
            sev,
            msg,
            stated=stated,
            computed=computed,
            difference=diff,
            tolerance=tol,
            cells=cells + scells + ([amax_cell] if amax_cell else []),
        )


@check("assessment.converted", "换算得分 = 考核总分 ÷ 适用满分 × 100")
def _assessment_converted(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    conv = num(ctx.stated("converted_score"))
    total = num(ctx.stated("assessment_total"))
    total_cell: str | None = ds.fact_cell("stated", "assessment_total")
    if total is None:
        total, total_cell = num(ds.stated_total("assessment", "score")), ds.total_cell("assessment", "score")
    amax, amax_cell, amax_src = ctx.applicable_max()
    cells = [ds.fact_cell("stated", "converted_score"), total_cell, amax_cell]
    if conv is None:
        yield _not_provided("换算得分", cells)
        return
    if total is None or amax is None:
        yield _not_provided(
            "考核总分或适用满分（填报数据“适用满分”或参数 assessment.applicable_max）", cells, stated=conv
        )
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
    head = (
        f"换算得分：{_plain(total)} ÷ {_plain(amax)} × 100 = {fmt(computed, 3)}，"
        f"四舍五入为{fmt(computed)}分，所述{fmt(conv)}分"
    )
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
        yield _finding(
            "warning",
            f"适用满分：工作簿填报{_plain(wb)}分，参数文件为{_plain(pm)}分，两者不一致；按工作簿{_plain(wb)}分计算。",
            stated=wb,
            computed=pm,
            difference=wb - pm,
            cells=[cell],
        )
    elif wb is not None:
        yield _finding("pass", f"适用满分{_plain(wb)}分，取自工作簿。", stated=wb, cells=[cell])
    else:
        # A parameter, often an inference: say so, since the report rests on it.
        yield _finding(
            "info",
            f"适用满分{_plain(pm)}分取自参数文件，工作簿未填报" + (f"（依据：{src}）" if src else "") + "。",
            computed=pm,
            cells=[cell],
        )


@check("assessment.points", "各类别得分不超过其适用分值")
def _assessment_points(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    rows = [r for r in _rows(ds, "assessment") if num(r.get("points")) is not None]
    if not rows:
        yield _not_provided("各考核类别的适用分值", [_col(ds, "assessment", "points")])
        return
    over = []
    for r in rows:
        score, points = num(r.get("score")), num(r["points"])
        if score is not None and points is not None and score > points:
            over.append((r, score, points))
    for r, score, points in over:
        yield _finding(
            "error",
            f"考核类别“{text(r.get('category'))}”得分{_plain(score)}分，超过其适用分值{_plain(points)}分。",
            stated=score,
            computed=points,
            difference=score - points,
            cells=[ds.cell("assessment", "score", r["_row"]), ds.cell("assessment", "points", r["_row"])],
        )
    if not over:
        yield _finding(
            "pass",
            f"{len(rows)}个考核类别的得分均不超过其适用分值。",
            cells=[_col(ds, "assessment", "score"), _col(ds, "assessment", "points")],
        )
    amax, amax_cell, _src = ctx.applicable_max()
    if amax is not None and len(rows) == len(_rows(ds, "assessment")):
        yield compare_sum(
            "各类别适用分值之和与适用满分",
            amax,
            [r["points"] for r in rows],
            [_col(ds, "assessment", "points"), amax_cell],
            show=lambda x: f"{_plain(x)}分",
            exact=True,
        )


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
    yield _finding(
        sev,
        f"考核等级：换算得分{fmt(conv)}分对应“{g}”，所述“{stated}”" + ("，一致。" if g == stated else "，不一致。"),
        computed=conv,
        cells=cells,
    )


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
    yield _finding(
        sev,
        f"重点评价：综合得分{_plain(score)}分，按等级区间（{bands}）应为“{g}”，所述“{stated}”"
        + ("，一致。" if g == stated else "，不一致。"),
        stated=score,
        cells=cells,
    )
