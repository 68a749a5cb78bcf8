"""附件: the 项目支出绩效自评表 forms the unit attaches, in the official layout.

A township's parameters may name its projects' official forms (``project_forms``); the
filed report lists them before the 落款 (附件：1．…) and prints each after it, as the
national form lays it out (财预〔2020〕10号 附件), with the figures as the form states them.
The forms' arithmetic and their agreement with the 项目 sheet are checks
(:mod:`jixiao.analysis.checks.forms`): their findings go to the review, never here.

The cells that print the forms carry the notebook tag ``jixiao-attachment``: the report
template prints their outputs after the 落款 (``templates/nbconvert/jixiao/index.html.j2``).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from jixiao.forms.model import FUND_COLUMNS, FUND_ROWS, FormIndicator, ProjectForm
from jixiao.report.context import Block, ReportContext

#: The notebook tag of the cells printed after the 落款.
ATTACHMENT_TAG = "jixiao-attachment"


def _title(form: ProjectForm) -> str:
    name = form.project.strip()
    return f"{name}项目支出绩效自评表" if not name.endswith("项目") else f"{name}支出绩效自评表"


def attachment_list(ctx: ReportContext) -> Block:
    """``附件：1．…项目支出绩效自评表`` under the last section, before the 落款; nothing
    without forms."""
    titles = [_title(lf.form) for lf in ctx.ds.forms]
    return ctx.render("attachments/list.html.j2", titles=titles) if titles else Block("")


@dataclass
class _Span:
    """An indicator cell that spans rows (一级指标, 二级指标 merged over their rows)."""

    text: str
    rows: int


def _indicator_rows(indicators: list[FormIndicator]) -> list[dict]:
    """The indicator rows with the 一级 and 二级 cells merged over runs of equal labels, as
    the form merges them (a label is printed once, on the first row of its run)."""
    rows: list[dict] = []
    for i, ind in enumerate(indicators):
        prev = indicators[i - 1] if i else None
        row: dict = {"ind": ind, "level1": None, "level2": None}
        if prev is None or prev.level1 != ind.level1:
            n = 1
            while i + n < len(indicators) and indicators[i + n].level1 == ind.level1:
                n += 1
            points = ind.level1_points
            label = ind.level1 if points is None or "分" in ind.level1 else f"{ind.level1}（{_points(points)}分）"
            row["level1"] = _Span(label, n)
        if prev is None or prev.level1 != ind.level1 or prev.level2 != ind.level2:
            n = 1
            while (
                i + n < len(indicators)
                and indicators[i + n].level1 == ind.level1
                and indicators[i + n].level2 == ind.level2
            ):
                n += 1
            row["level2"] = _Span(ind.level2, n)
        rows.append(row)
    return rows


def _points(x: float) -> str:
    from jixiao.values import plain

    return plain(x)


def forms(ctx: ReportContext) -> Block:
    """Each attached form, numbered 附件1, 附件2 … (nothing without forms)."""
    if not ctx.ds.forms:
        return Block("")
    parts = []
    for n, lf in enumerate(ctx.ds.forms, 1):
        form = lf.form
        parts.append(
            ctx.render(
                "attachments/form.html.j2",
                n=n,
                # the heading is our HTML (its text escaped by ctx.heading), not text to escape again
                heading=Markup(ctx.heading(f"附件{n}　{_title(form)}", level=1)),
                form=form,
                fund_rows=[(key, label, form.funds.get(key)) for key, label in FUND_ROWS.items()],
                fund_columns=list(FUND_COLUMNS),
                indicator_rows=_indicator_rows(form.indicators),
                points_total=sum(i.points for i in form.indicators if i.points is not None),
            )
        )
    return Block("".join(parts))
