"""Checks of the official 项目支出绩效自评表 forms a township attaches (``project_forms``).

Each form's own arithmetic (its funding rows, 执行率, the scores against the scheme, the
amounts in its goal texts: :func:`jixiao.forms.checks.form_findings`), whether it could be
linked to a row of the 项目 sheet, and whether it states the same 预算数, 执行数 and score as
that row — a form and the workbook filled from different drafts is a common slip. A
township without forms gets no findings here (nothing is counted as passed).
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.analysis.checks.registry import WITHIN_ROUNDING, Context, Finding, _finding, _money, _plain, check
from jixiao.rounding import HALF_CENT, round_half_up
from jixiao.values import num


def _scheme(ctx: Context):
    from jixiao.analysis.scoring import load_scheme

    return load_scheme(ctx.param("scoring_scheme") or "national")


@check("forms.form", "项目支出绩效自评表的勾稽关系与评分")
def _forms_own(ctx: Context) -> Iterator[Finding]:
    if not ctx.ds.forms:
        return
    from jixiao.forms.checks import form_findings

    scheme = _scheme(ctx)
    for linked in ctx.ds.forms:
        yield from form_findings(linked.form, scheme)


@check("forms.link", "项目支出绩效自评表与“项目”表的对应")
def _forms_link(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    for linked in ds.forms:
        form = linked.form
        where = form.where(form.cells.get("project"))
        if linked.linked:
            yield _finding(
                "pass",
                f"自评表“{form.project}”按{linked.how}对应“项目”表序号{linked.project_no}。",
                cells=[where, ds.cell("projects", "name", linked.row)],
            )
        else:
            yield _finding(
                "warning",
                f"自评表“{form.project}”未能对应到“项目”表中的项目：{linked.how}。"
                "请核对项目名称，或以项目序号开头命名文件（如“3-项目名称.xlsx”）。",
                cells=[where, ds.column_cells("projects", "name")],
            )


@check("forms.project", "项目支出绩效自评表与“项目”表的预算数、执行数和自评得分")
def _forms_vs_projects(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    projects = ds.tables.get("projects")
    if projects is None:
        return
    by_row = {int(r["_row"]): r for r in projects.to_dict("records")}
    for linked in ds.forms:
        if not linked.linked or linked.row not in by_row:
            continue
        form, rec = linked.form, by_row[linked.row]
        total = form.funds.get("total")
        pairs = [
            ("budget", "全年预算数", "预算数"),
            ("executed", "全年执行数", "执行数"),
        ]
        for attr, form_label, sheet_label in pairs:
            col = "budget" if attr == "budget" else "spent"
            on_form = None if total is None else getattr(total, attr)
            on_sheet = num(rec.get(col))
            if total is None or on_form is None or on_sheet is None:
                continue  # either side blank: nothing to compare (the form's own checks say so)
            # Two figures of one amount, each rounded to 0.01: they may differ by 0.01.
            tol = 2 * HALF_CENT
            diff = on_form - on_sheet
            cells = [form.where(total.cells.get(attr)), ds.cell("projects", col, linked.row)]
            both = f"“{form.project}”自评表{form_label}{_money(on_form)}，“项目”表{sheet_label}{_money(on_sheet)}"
            if abs(diff) <= tol + 1e-9:
                yield _finding(
                    "pass" if round_half_up(on_form) == round_half_up(on_sheet) else "info",
                    f"{both}，一致。" if abs(diff) < 1e-9 else f"{both}，{WITHIN_ROUNDING}。",
                    stated=on_sheet,
                    computed=on_form,
                    difference=-diff,
                    tolerance=tol,
                    cells=cells,
                )
            else:
                yield _finding(
                    "error",
                    f"{both}，相差{_money(abs(diff))}。",
                    stated=on_sheet,
                    computed=on_form,
                    difference=-diff,
                    tolerance=tol,
                    cells=cells,
                )
        stated = num(rec.get("score_stated"))
        if stated is not None and form.total_score is not None:
            diff = form.total_score - stated
            cells = [ds.cell("projects", "score_stated", linked.row), form.where(form.cells.get("total_score"))]
            if abs(diff) < 1e-9:
                yield _finding(
                    "pass",
                    f"“{form.project}”自评表总分{_plain(form.total_score)}与“项目”表自评得分一致。",
                    stated=stated,
                    computed=form.total_score,
                    cells=cells,
                )
            else:
                yield _finding(
                    "error",
                    f"“{form.project}”自评表总分{_plain(form.total_score)}，“项目”表自评得分{_plain(stated)}，"
                    f"相差{_plain(round(diff, 2))}分。",
                    stated=stated,
                    computed=form.total_score,
                    difference=-diff,
                    tolerance=0,
                    cells=cells,
                )
