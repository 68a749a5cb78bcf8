"""Key-project checks: the workbook's rules that span cells, and the report's findings.

Two kinds, kept apart as in the township workbook:

- :func:`cross_checks` are hard rules the loader runs (``config/keyproject.yaml`` names
  it: ``cross_checks: jixiao.keyproject.checks:cross_checks``, resolved by
  :func:`jixiao.workbook.load.load_workbook`): a breach is a problem with its sheet and
  cell, every problem is reported at once, and nothing is written (exit code 2);
- :func:`run_key_checks` are consistency findings for the report's appendix (stated vs
  computed, totals vs parts): pass, info, warning or error, never changing a figure.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

from jixiao.keyproject.format import _EPS, ASSESSOR, SAMPLE_LABEL, KeyProjectSpec, _at, _p, _records, _span, is_sample
from jixiao.keyproject.scoring import Evaluation, _Unscorable, fund_totals, score_indicator
from jixiao.rounding import fmt, fmt_pct, round_half_up
from jixiao.values import num, text

if TYPE_CHECKING:
    from jixiao.analysis.checks import Finding
    from jixiao.workbook.dataset import Dataset


# ============================================================== the loader's hard rules


def cross_checks(ds: Dataset, out, year: int | None, unread: frozenset[str] = frozenset()) -> None:
    """The rules of a key-project workbook that span cells (run by the loader).

    - the 评价年度 agrees with the parameters file;
    - every weight is positive; the weights sum to ``total_points`` (100); 产出 + 效益
      carry at least ``output_benefit.min_points`` (60); every dimension has an indicator;
    - an assessor's score is given, lies between 0 and its weight, and a deduction has a
      reason (扣分原因, the 扣分理由: the problem is at that cell); a data-scored indicator's
      deduction is explained by its computation (the report prints it); a data-scored indicator has its data (and a score typed next to it is not
      above the weight);
    - 意见建议 refer to problems that exist.
    """
    spec: KeyProjectSpec = ds.spec  # type: ignore[assignment]
    scoring = spec.scoring
    proj = ds.facts["project"]
    psheet = spec.sheet("project").name
    if year is not None and proj.get("year") is not None and proj["year"] != year:
        out.add(
            psheet,
            ds.locations["project"].get("year"),
            proj["year"],
            f"{year}（参数文件中的年度）",
            f"工作簿评价年度 {proj['year']} 与参数文件年度 {year} 不一致",
        )
    ind = spec.sheet("indicators")
    if "indicators" not in unread:
        recs = _records(ds, "indicators")
        # A blank or unreadable required cell is already reported; the totals that need it
        # are then not checked (they would only repeat the problem).
        weights_known = all(num(r["weight"]) is not None for r in recs)
        levels_known = weights_known and all(r["level1"] is not None for r in recs)
        for r in recs:
            w, method, score = num(r["weight"]), r["method"], num(r.get("score"))
            if w is None or method is None or r["level1"] is None:
                continue
            if w <= 0:
                out.add(
                    ind.name,
                    _at(ds, "indicators", "weight", r["_row"]),
                    r["weight"],
                    "大于0的分值",
                    f"指标“{r['name']}”的分值应大于0",
                )
                continue
            if score is not None and score > w + _EPS:
                out.add(
                    ind.name,
                    _at(ds, "indicators", "score", r["_row"]),
                    r["score"],
                    f"0～{_p(w)}（该指标分值）",
                    f"指标“{r['name']}”的得分 {_p(score)} 超过其分值 {_p(w)}",
                )
            if method == ASSESSOR:
                if score is None:
                    out.add(
                        ind.name,
                        _at(ds, "indicators", "score", r["_row"]),
                        "",
                        f"0～{_p(w)} 之间的得分",
                        f"指标“{r['name']}”的计分方式为“评分”，必须填写得分",
                    )
                elif score < w - _EPS and text(r.get("reason")) is None:
                    out.add(
                        ind.name,
                        _at(ds, "indicators", "reason", r["_row"]),
                        "",
                        f"扣分原因（得分 {_p(score)} 低于分值 {_p(w)} 时必填）",
                        f"指标“{r['name']}”扣{_p(w - score)}分（得分 {_p(score)}，分值 {_p(w)}），必须说明扣分原因",
                    )
            else:
                try:
                    score_indicator(ds, r, scoring, scoring.satisfaction_weights)
                except _Unscorable as u:
                    out.add(u.sheet, u.cell, u.found, u.expected, u.message)
        if weights_known and recs:
            rows = [r["_row"] for r in recs]
            # weights_known: every weight is a number, so the filter only narrows the type
            total = sum(wt for r in recs if (wt := num(r["weight"])) is not None)
            if not math.isclose(total, scoring.total_points, abs_tol=1e-6):
                out.add(
                    ind.name,
                    _span(ds, "indicators", "weight", rows),
                    _p(total),
                    _p(scoring.total_points),
                    f"各指标分值合计应为 {_p(scoring.total_points)}，实为 {_p(total)}",
                )
        if levels_known and recs:
            ob = scoring.output_benefit
            ob_recs = [r for r in recs if r["level1"] in ob.dimensions]
            ob_total = sum(wt for r in ob_recs if (wt := num(r["weight"])) is not None)  # all known
            if ob_total < ob.min_points - 1e-6:
                where = _span(ds, "indicators", "weight", [r["_row"] for r in ob_recs]) or ds.locations.get(
                    "indicators", {}
                ).get("weight")
                out.add(
                    ind.name,
                    where,
                    _p(ob_total),
                    f"不低于 {_p(ob.min_points)}",
                    f"{'与'.join(ob.dimensions)}指标分值合计应不低于 {_p(ob.min_points)}，实为 {_p(ob_total)}",
                )
            present = {r["level1"] for r in recs}
            for d in scoring.dimensions:
                if d not in present:
                    out.add(
                        ind.name,
                        ds.locations.get("indicators", {}).get("level1"),
                        "",
                        f"至少一个一级指标为“{d}”的指标",
                        f"缺少一级指标“{d}”：评价指标体系应包括{'、'.join(scoring.dimensions)}",
                    )
    if "problems" not in unread:
        nos = {int(n) for n in ds.tables["problems"]["no"].dropna()}
        rsheet = spec.sheet("recommendations")
        for r in _records(ds, "recommendations"):
            p = num(r.get("problem_no"))
            if p is not None and int(p) not in nos:
                out.add(
                    rsheet.name,
                    _at(ds, "recommendations", "problem_no", r["_row"]),
                    int(p),
                    "“存在问题”表中的序号",
                    f"“对应问题” {int(p)} 在“存在问题”表中不存在",
                )


# ================================================================ the report's findings


def _finding(cid: str, title: str, severity: str, message: str, *, stated=None, computed=None, cells=()) -> Finding:
    from jixiao.analysis.checks import Finding

    diff = None if stated is None or computed is None else float(stated) - float(computed)
    return Finding(
        cid,
        title,
        severity,
        message,
        None if stated is None else float(stated),
        None if computed is None else float(computed),
        diff,
        0.0 if diff is not None else None,
        [c for c in cells if c],
    )


def run_key_checks(ds: Dataset, ev: Evaluation) -> list[Finding]:
    """Consistency checks of a key-project evaluation (stated vs computed, totals vs parts).

    The format's hard rules (weights, score ranges, reasons) were enforced by the loader;
    these are findings for the report's appendix: they never change a figure.
    """
    from jixiao.analysis.checks import compare_sum

    spec: KeyProjectSpec = ds.spec  # type: ignore[assignment]
    scoring = spec.scoring
    f: list[Finding] = []
    ind = "indicators"
    all_rows = [i.row for i in ev.indicators]
    wcells = [ds.column_cells(ind, "weight", all_rows)] if all_rows else []
    scells = [ds.column_cells(ind, "score", all_rows)] if all_rows else []

    # weights
    t = "指标分值合计"
    f.append(
        _finding(
            "key.weights",
            t,
            "pass",
            f"各指标分值合计{_p(ev.total_weight)}分，等于满分{_p(scoring.total_points)}分。",
            stated=scoring.total_points,
            computed=ev.total_weight,
            cells=wcells,
        )
    )
    stated_w = num(ds.stated_total(ind, "weight"))
    if stated_w is not None:
        ok = math.isclose(stated_w, ev.total_weight, abs_tol=1e-6)
        f.append(
            _finding(
                "key.weights",
                t,
                "pass" if ok else "error",
                f"合计行所述分值{_p(stated_w)}分，明细合计{_p(ev.total_weight)}分"
                + ("，一致。" if ok else "，不一致。"),
                stated=stated_w,
                computed=ev.total_weight,
                cells=[ds.total_cell(ind, "weight")],
            )
        )
    ob = scoring.output_benefit
    ob_w = sum(d.weight for d in ev.dimensions if d.name in ob.dimensions)
    f.append(
        _finding(
            "key.output_benefit",
            "产出与效益分值",
            "pass",
            f"{'与'.join(ob.dimensions)}指标分值合计{_p(ob_w)}分，不低于{_p(ob.min_points)}分。",
            computed=ob_w,
            cells=wcells,
        )
    )

    # indicator scores typed next to a computed one
    t = "数据计分指标的所填得分"
    for i in ev.indicators:
        if i.computed and i.stated is not None:
            ok = round_half_up(i.stated, scoring.score_digits) == i.score
            f.append(
                _finding(
                    "key.indicator_score",
                    t,
                    "pass" if ok else "error",
                    f"指标“{i.name}”：所填得分{_p(i.stated)}分，按{i.method}计算{_p(i.score)}分"
                    + ("，一致。" if ok else "，不一致（报告采用计算结果）。"),
                    stated=i.stated,
                    computed=i.score,
                    cells=[ds.cell(ind, "score", i.row)],
                )
            )

    # total and grade
    t = "综合得分"
    f.append(
        _finding(
            "key.total",
            t,
            "pass",
            f"综合得分{_p(ev.total)}分 = 各指标得分之和（"
            + "，".join(f"{d.name}{_p(d.score)}" for d in ev.dimensions)
            + "）。",
            computed=ev.total,
            cells=scells,
        )
    )
    stated_total = num(ds.stated_total(ind, "score"))
    if stated_total is not None:
        ok = round_half_up(stated_total, scoring.score_digits) == ev.total
        f.append(
            _finding(
                "key.total",
                t,
                "pass" if ok else "error",
                f"合计行所述得分{_p(stated_total)}分，计算{_p(ev.total)}分" + ("，一致。" if ok else "，不一致。"),
                stated=stated_total,
                computed=ev.total,
                cells=[ds.total_cell(ind, "score")],
            )
        )
    stated_score = num(ds.facts["project"].get("score_stated"))
    cell = ds.fact_cell("project", "score_stated")
    if stated_score is None:
        f.append(_finding("key.total", t, "info", "所述综合得分未提供，无法与计算结果核对。", cells=[cell]))
    else:
        ok = round_half_up(stated_score, scoring.score_digits) == ev.total
        f.append(
            _finding(
                "key.total",
                t,
                "pass" if ok else "error",
                f"所述综合得分{_p(stated_score)}分，按指标计算{_p(ev.total)}分"
                + ("，一致。" if ok else f"，相差{_p(stated_score - ev.total)}分。"),
                stated=stated_score,
                computed=ev.total,
                cells=[cell],
            )
        )
    bands = "，".join(f"{g}≥{_p(low)}" for g, low in ev.grade_bands if low > 0)
    stated_grade = ds.facts["project"].get("grade_stated")
    gcell = ds.fact_cell("project", "grade_stated")
    if stated_grade is None:
        f.append(
            _finding(
                "key.grade",
                "评价等级",
                "info",
                f"综合得分{_p(ev.total)}分，按等级区间（{bands}）为“{ev.grade}”；所述等级未提供。",
                computed=ev.total,
                cells=[gcell],
            )
        )
    else:
        ok = stated_grade == ev.grade
        f.append(
            _finding(
                "key.grade",
                "评价等级",
                "pass" if ok else "error",
                f"综合得分{_p(ev.total)}分，按等级区间（{bands}）为“{ev.grade}”，所述“{stated_grade}”"
                + ("，一致。" if ok else "，不一致。"),
                computed=ev.total,
                cells=[gcell],
            )
        )

    # funds
    fs = spec.sheet("funds")
    rows = _records(ds, "funds")
    if not rows and "funds" not in ds.totals:
        f.append(
            _finding(
                "key.funds",
                "项目资金",
                "info",
                "“资金来源”表未填写：项目资金（预算、到位、支出）未提供。",
                cells=[fs.name],
            )
        )
    else:
        for col in ("budget", "received", "spent"):
            if ds.stated_total("funds", col) is not None:
                fd = compare_sum(
                    f"{fs.column(col).header}",
                    num(ds.stated_total("funds", col)),
                    [r[col] for r in rows],
                    [ds.column_cells("funds", col) if rows else None, ds.total_cell("funds", col)],
                )
                f.append(replace(fd, id="key.funds", title="资金来源合计"))
        tot = fund_totals(ds)
        for a, b, what in (
            ("received", "budget", "到位金额不超过预算金额"),
            ("spent", "received", "实际支出不超过到位金额"),
        ):
            x, y = tot[a], tot[b]
            if x is None or y is None:
                f.append(
                    _finding("key.funds", "资金到位与支出", "info", f"{what}：数据未提供，无法校验。", cells=[fs.name])
                )
            else:
                ok = x <= y + 0.005
                f.append(
                    _finding(
                        "key.funds",
                        "资金到位与支出",
                        "pass" if ok else "warning",
                        f"{fs.column(a).header}{fmt(x)}万元，{fs.column(b).header}{fmt(y)}万元"
                        + ("，" + what + "。" if ok else f"，超出{fmt(x - y)}万元，请核实。"),
                        stated=x,
                        computed=y,
                        cells=[ds.column_cells("funds", a) if rows else fs.name],
                    )
                )

    # works
    ws = spec.sheet("works")
    for r in _records(ds, "works"):
        p, d = num(r["planned"]), num(r["delivered"])
        cells = [ds.cell("works", "planned", r["_row"]), ds.cell("works", "delivered", r["_row"])]
        if p is None or d is None:
            f.append(
                _finding(
                    "key.works",
                    "工程量完成情况",
                    "info",
                    f"“{r['item']}”：计划数量{_p(p) if p is not None else '未提供'}，实际完成数量"
                    f"{_p(d) if d is not None else '未提供'}，无法核对完成情况。",
                    stated=p,
                    cells=cells,
                )
            )
        else:
            rate = d / p * 100 if p else None
            sev = "pass" if p and d >= p else "info"
            msg = f"“{r['item']}”：计划{_p(p)}{r['unit'] or ''}，实际完成{_p(d)}{r['unit'] or ''}"
            msg += f"，完成率{fmt_pct(rate)}。" if rate is not None else "。"
            f.append(_finding("key.works", "工程量完成情况", sev, msg, stated=p, computed=d, cells=cells))
        accepted = num(r.get("accepted"))
        if accepted is not None and d is not None and accepted > d + _EPS:
            f.append(
                _finding(
                    "key.works",
                    "工程量完成情况",
                    "error",
                    f"“{r['item']}”：验收合格数量{_p(accepted)}超过实际完成数量{_p(d)}。",
                    stated=accepted,
                    computed=d,
                    cells=[ds.cell("works", "accepted", r["_row"])],
                )
            )
    if not _records(ds, "works"):
        f.append(
            _finding("key.works", "工程量完成情况", "info", "“工程量”表未填写：建设内容的数量未提供。", cells=[ws.name])
        )

    # illustrative data
    if is_sample(ds):
        f.append(
            _finding(
                "key.sample",
                SAMPLE_LABEL,
                "info",
                f"工作簿标注为{SAMPLE_LABEL}（项目概况“示例数据”为“是”）：示例部分见“示例数据说明”，"
                "其得分用于演示，不是实际评价结果。",
                cells=[ds.fact_cell("project", "sample"), ds.fact_cell("project", "sample_note")],
            )
        )
    # the survey file and the assessors' spread (jixiao.keyproject.survey, .assessors; set by the loader)
    f.extend(ev.input_findings)
    return f
