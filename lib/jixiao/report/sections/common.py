"""What the section modules share: workbook texts and stated figures, the checker's
findings, the assessment-category headings, and a few wording helpers.

Not here, because :mod:`jixiao.report.context` and :mod:`jixiao.report.charts` have them: how the unit
names itself (:attr:`ReportContext.we <jixiao.report.context.ReportContext.we>`, ``ctx.we`` in
templates), dates (:func:`jixiao.report.context.cdate`, the ``cdate`` filter), blank tests
(:func:`jixiao.report.context.is_blank`; cell values: :func:`jixiao.analysis.finance.is_blank`), and charts
and their value labels (:func:`jixiao.report.charts.grouped_bars`, :func:`~jixiao.report.charts.value_label` …).

Workbook texts (文字说明) hold the unit's narrative only; the figures are in the data
sheets, and a section prints them by continuing the narrative with a sentence generated
from the data (the ``continued`` macro of ``templates/sections/_text.html.j2``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from jixiao.analysis import finance as F
from jixiao.analysis.finance.inputs import records
from jixiao.report.context import Block, ReportContext, cn_num, plain
from jixiao.rounding import round_half_up

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


# -- workbook texts and stated figures -------------------------------------------------------
def texts(ctx: ReportContext) -> dict:
    """The 文字说明 sheet: text id → text (None when blank)."""
    return ctx.ds.facts.get("texts", {}) or {}


def text(ctx: ReportContext, key: str) -> str | None:
    """One workbook text, or None when blank."""
    return F.text(texts(ctx).get(key))


def paragraphs(value: Any) -> list[str]:
    """A workbook text as paragraphs (one per line; blank lines dropped)."""
    if F.is_blank(value):
        return []
    return [p.strip() for p in str(value).splitlines() if p.strip()]


def text_paragraphs(ctx: ReportContext, key: str) -> list[str]:
    """The paragraphs of the workbook text ``key``."""
    return paragraphs(texts(ctx).get(key))


def stated(ctx: ReportContext, key: str) -> Any:
    """A figure of the 填报数据 sheet as the unit states it, or None when blank."""
    v = (ctx.ds.facts.get("stated", {}) or {}).get(key)
    return None if F.is_blank(v) else v


def rows_with_data(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The rows of ``df`` with a value in at least one of ``keys``: a row the unit left
    blank is not printed (a table of such rows alone is not printed at all)."""
    present = [k for k in keys if k in df.columns]
    if not len(df) or not present:
        return df.iloc[0:0]
    mask = [any(not F.is_blank(v) for v in row) for row in df[present].itertuples(index=False)]
    return df[mask]


# -- the checker's findings ------------------------------------------------------------------
def findings(ctx: ReportContext, check_id: str, severities: tuple[str, ...] | None = ("error", "warning")) -> list:
    """The findings of ``check_id`` with one of ``severities`` (None: every severity)."""
    return [f for f in ctx.findings if f.id == check_id and (severities is None or f.severity in severities)]


def differs(stated_value: Any, computed: Any, digits: int = 2) -> bool:
    """True when both are given and differ as printed (half up, ``digits`` decimals)."""
    s, c = F.num(stated_value), F.num(computed)
    return s is not None and c is not None and round_half_up(s, digits) != round_half_up(c, digits)


# -- wording ---------------------------------------------------------------------------------
def circled(i: int) -> str:
    """1 → ①, for numbered reasons; beyond 20, ``（21）``."""
    return CIRCLED[i - 1] if 1 <= i <= len(CIRCLED) else f"（{i}）"


# -- assessment categories ---------------------------------------------------------------------
#: The categories of the management-assessment rubric in the order the report's 二 takes them:
#: a category's number when the 考核得分 sheet gives none (a unit without a rubric).
CATEGORY_ORDER = (
    "重大政策落实",
    "预算编制管理",
    "预算执行管理",
    "预算绩效管理",
    "资产管理",
    "预算透明度",
    "预算信息化",
    "存在问题",
)


def category_row(ctx: ReportContext, name: str) -> dict | None:
    """The 考核得分 row of a category, matched by name (NFKC-folded; exact first, then one
    name containing the other, e.g. 预算绩效管理 ↔ 预算绩效管理情况), or None."""
    key = F.name_key(name)
    rows = records(ctx.ds.assessment)
    for r in rows:
        if F.name_key(r.get("category")) == key:
            return r
    for r in rows:
        k = F.name_key(r.get("category"))
        if k and key and (k in key or key in k):
            return r
    return None


def category_heading(
    ctx: ReportContext, category: str, *, ordinal: int | None = None, fallback: int | None = None
) -> Block:
    """``（四）预算绩效管理情况，得分21.5分`` (level 2), from the 考核得分 sheet.

    The number is ``ordinal`` when given, else the row's 序号, else ``fallback``, else the
    category's place in :data:`CATEGORY_ORDER`. The
    deduction category (存在问题) reads ``（八）存在问题，扣分0分``: its 扣分 column, or the
    absolute value of its 自评得分 when 扣分 is blank. A category not in the sheet, or
    without points, reads as its title alone (``（一）重大政策落实情况``).
    """
    r = category_row(ctx, category)
    name = (F.text(r.get("category")) if r else None) or category
    no = ordinal
    if no is None and r is not None and (stated_no := F.num(r.get("no"))) is not None:
        no = int(stated_no)
    if no is None:
        no = fallback
    if no is None and category in CATEGORY_ORDER:
        no = CATEGORY_ORDER.index(category) + 1
    deduction = "问题" in name
    value = None
    if r is not None:
        score = F.num(r.get("score"))
        value = score
        if deduction:
            value = F.num(r.get("deduction"))
            if value is None and score is not None:
                value = abs(score)
    title = name if deduction else f"{name}情况"
    prefix = f"（{cn_num(no)}）" if no else ""
    if value is None:
        return ctx.heading(f"{prefix}{title}", level=2)
    return ctx.heading(f"{prefix}{title}，{'扣分' if deduction else '得分'}{plain(value)}分", level=2)


# -- numbered subsections (1. 2. …) that may be absent -------------------------------------------
#: A part's numbered subsections in report order: (title, the block function that renders it,
#: or None for one that is always in the report).
Subsections = Sequence[tuple[str, Callable[[ReportContext], Block] | None]]


def visible(html: str) -> str:
    """What a reader sees of ``html``: its text without tags and white space."""
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def subsection(ctx: ReportContext, title: str, body: str, part: Subsections, *, missing: str | None = None) -> Block:
    """``N.title`` followed by ``body``; nothing when ``body`` shows nothing (the unit left
    every block it needs empty), and the reviewer is told: what was not given (``missing``,
    in the workbook's words: its sheets, 填报数据 and 文字说明 items), or that its data and
    texts were not.

    ``N`` counts the subsections of ``part`` before ``title`` that are in the report, so the
    numbers run on without a gap when one is left out. Whether an earlier subsection is in
    the report is recorded when it is rendered (the notebooks render a part in order); a
    subsection rendered on its own (a test, JupyterLab) renders the earlier ones once, on a
    scratch context, to find out.
    """
    review = getattr(body, "review", ())
    present = bool(visible(body))
    ctx.shared[("subsection", title)] = present
    if not present:
        said = f"{missing}未填写" if missing else f"“{title}”所需数据与文字均未填写"
        return Block("").with_review(*review, f"{said}，报送版略去“{title}”，后续编号顺延。")
    n = 1
    for earlier, render in part:
        if earlier == title:
            break
        key = ("subsection", earlier)
        if render is not None and key not in ctx.shared:
            render(ctx.for_section(ctx.section))  # records its presence under ``key``
        n += bool(ctx.shared.get(key, True))
    return Block(ctx.heading(f"{n}.{title}", level=3) + body).with_review(*review)


class ItemNumbers:
    """The ``（1）（2）…`` labels of a subsection's generated items, in the order they are
    printed: an item left out (its figures and text all blank) takes no number, so the ones
    after it move up. One instance per block, passed to each of its template renders
    (``{{ no() }}收支预算。``)."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return f"（{self.n}）"
