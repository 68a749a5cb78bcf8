"""What a section notebook works with: the report context and its HTML building blocks.

A section notebook is thin: a ``parameters`` cell, ``ctx = open_report(params)``, then one
call per block (a heading, a narrative paragraph, a table, a chart). Each call returns an
HTML display object, so the same output shows in JupyterLab and in the stitched report.

- Narrative comes from Jinja templates in ``templates/sections/`` (autoescaped: text from
  the workbook is always shown as text, never as markup).
- Tables and figures get captions 表N / 图N numbered within the notebook; the stitcher
  renumbers them across the whole report (see :mod:`jixiao.report.render`).
- Headings carry ASCII ids (``s01-2``) so that the 目录 can link to them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from jixiao import values
from jixiao.params import Params, load_params
from jixiao.rounding import fmt, fmt_pct
from jixiao.values import is_blank
from jixiao.workbook.dataset import Dataset

CN_NUMERALS = "一二三四五六七八九十"


def cn_num(n: int) -> str:
    """1 → 一 … 10 → 十, 11 → 十一 … 99 (section and list numbering); any other number (a
    序号 typed as 0 or 99999) as digits, so that a heading never fails."""
    if not 1 <= n <= 99:
        return str(n)
    if n <= 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (CN_NUMERALS[tens - 1] if tens > 1 else "") + "十" + (CN_NUMERALS[ones - 1] if ones else "")


#: What the filed report prints for a figure the unit did not give. The report never says
#: "未提供" (a reviewer's word); a sentence that needs a blank figure is left out by its
#: template, and a table explains the dash once in its note (:meth:`ReportContext.table`).
BLANK = "—"


def wy(v: Any, digits: int = 2) -> str:
    """Money for prose: ``2607.15万元``; a blank is :data:`BLANK`."""
    return BLANK if is_blank(v) else f"{fmt(float(v), digits)}万元"


def num(v: Any, digits: int = 2) -> str:
    """A number with two decimals (half up); a blank is :data:`BLANK`."""
    return BLANK if is_blank(v) else fmt(float(v), digits)


def pct(v: Any, digits: int = 2) -> str:
    """Percentage points as ``48.14%``; a blank is :data:`BLANK`."""
    return BLANK if is_blank(v) else fmt_pct(float(v), digits)


def integer(v: Any) -> str:
    return BLANK if is_blank(v) else str(int(v))


def plain(v: Any) -> str:
    """A count or score without trailing zeros (91, 21.5); a blank is :data:`BLANK`."""
    return values.plain(v, blank=BLANK)


def cdate(v: Any) -> str:
    """A date as the reports write it: ``2023年9月14日`` (no zero padding); blank → :data:`BLANK`."""
    if is_blank(v):
        return BLANK
    if isinstance(v, str):
        v = dt.date.fromisoformat(v[:10])
    return f"{v.year}年{v.month}月{v.day}日"


def change_word(delta: Any, up: str = "增加", down: str = "减少", same: str = "持平") -> str:
    """增加 / 减少 / 持平 for a signed change."""
    if is_blank(delta):
        return BLANK  # templates print a change only when it is given
    return up if delta > 0 else down if delta < 0 else same


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("jixiao", "templates/sections"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        wy=wy,
        num=num,
        pct=pct,
        integer=integer,
        plain=plain,
        cn=cn_num,
        cdate=cdate,
        change=change_word,
        abs=lambda v: None if is_blank(v) else abs(v),
    )
    env.globals.update(blank=is_blank)
    return env


_ENV = None


def env() -> Environment:
    """The Jinja environment for section templates (built once per process)."""
    global _ENV
    if _ENV is None:
        _ENV = _env()
    return _ENV


class Block(str):
    """A piece of report HTML that Jupyter displays as HTML (and prints as its source).

    ``review`` holds what the block left out of the filed report (a column with no data, a
    sentence whose figures are blank): remarks for the reviewer, never shown in the report.
    They travel in the cell output's metadata (``metadata.jixiao.review``), where the review
    document (:mod:`jixiao.review`) collects them from the executed section notebooks.
    """

    review: tuple[str, ...] = ()

    def with_review(self, *remarks: str) -> Block:
        """This block with ``remarks`` added to what it tells the reviewer."""
        b = Block(self)
        b.review = (*self.review, *(r for r in remarks if r))
        return b

    def _repr_html_(self) -> str:
        return str(self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/html": str(self)}
        return (data, {"jixiao": {"review": list(self.review)}}) if self.review else data


@dataclass
class Col:
    """How one column of a printed table is shown.

    Attributes
    ----------
    key : str
        DataFrame column.
    header : str
        Printed header (Chinese).
    kind : str
        ``text`` | ``money`` | ``pct`` | ``int`` | ``num`` | ``plain``.
    total : bool
        Sum this column in the totals row.
    """

    key: str
    header: str
    kind: str = "text"
    total: bool = False


_FORMAT = {"money": num, "pct": pct, "int": integer, "num": num, "plain": plain}


@dataclass
class ReportContext:
    """Everything a section needs for one township-year.

    Built by :func:`open_report`; cached per process so that sections executed in one
    kernel load the workbook and run the checks once.
    """

    params: Params
    ds: Dataset
    section: str = ""
    _tables: int = 0
    _figures: int = 0
    _headings: int = 0
    #: Analysis results shared by every section context of this township-year.
    shared: dict = field(default_factory=dict)

    # -- analysis, computed lazily and once per township-year ---------------------------
    def _once(self, name: str, compute):
        if name not in self.shared:
            self.shared[name] = compute()
        return self.shared[name]

    @property
    def findings(self):
        """Consistency-check findings (run once, shared by all sections)."""
        from jixiao.analysis.checks import run_checks

        return self._once("findings", lambda: run_checks(self.ds, self.params))

    @property
    def unit(self) -> dict:
        return self.ds.facts["unit"]

    @property
    def year(self) -> int:
        return self.params.year

    @property
    def we(self) -> str:
        """How the unit names itself in its report: 我镇 / 我乡 / 我街道, else 我单位."""
        name = re.sub(r"(人民政府|政府|办事处|党委)$", "", str(self.unit.get("name") or "").strip())
        for suffix, word in (("街道", "我街道"), ("镇", "我镇"), ("乡", "我乡")):
            if name.endswith(suffix):
                return word
        return "我单位"

    # -- blocks ------------------------------------------------------------------------
    def for_section(self, section: str) -> ReportContext:
        """A context for one section notebook: same data, its own numbering."""
        return ReportContext(params=self.params, ds=self.ds, section=section, shared=self.shared)

    def heading(self, text: str, level: int = 2) -> Block:
        """``<h1>``–``<h4>`` with an ASCII id for the 目录."""
        self._headings += 1
        hid = f"s{self.section or 'x'}-{self._headings}"
        cls = ' class="section"' if level == 1 else ""
        return Block(f'<h{level} id="{hid}"{cls}>{escape(text)}</h{level}>')

    def section_heading(self) -> Block:
        """The section's title (``config/report.yaml``) as its ``<h1>``; nothing for a
        notebook that continues the previous section."""
        from jixiao.report.sections import section

        s = section(self.section)
        return Block("") if s.continues else self.heading(s.title, level=1)

    def render(self, template: str, **values: Any) -> Block:
        """Render ``templates/sections/<template>`` with this context and ``values``."""
        return Block(
            env().get_template(template).render(ctx=self, ds=self.ds, unit=self.unit, year=self.year, **values)
        )

    def paragraph(self, text: str) -> Block:
        return Block(f"<p>{escape(text)}</p>")

    def caption(self, kind: str, text: str) -> Markup:
        """``表3　决算支出按功能分类`` with a renumberable number."""
        if kind == "table":
            self._tables += 1
            n, word = self._tables, "表"
        else:
            self._figures += 1
            n, word = self._figures, "图"
        return Markup(f'{word}<span class="jx-num" data-kind="{kind}">{n}</span>　') + escape(text)

    def table(
        self,
        df: pd.DataFrame,
        cols: Sequence[Col],
        caption: str,
        *,
        total_label: str | None = "合计",
        note: str | None = None,
        css: str = "",
        missing: str = BLANK,
        total_row: dict[str, Any] | None = None,
        keep_empty: Sequence[str] = (),
    ) -> Block:
        """A print-formatted table: two decimals for 万元 and %, a totals row, a caption.

        A column with no figure at all (every row and the total blank) is left out — the
        report shows what the unit gave, not a column of dashes — and the block tells the
        reviewer which (:attr:`Block.review`). A blank cell of a kept column prints
        ``missing`` ("—"), and the table's note says once what the dash means.

        Parameters
        ----------
        df : DataFrame
            The rows to show, in order.
        cols : sequence of Col
            Which columns, how to print them, which to total. The first column (the row
            labels) is always kept.
        caption : str
            Caption text after the number (表N).
        total_label : str or None
            Label of the totals row (in the first column); None for no totals row.
        note : str, optional
            A source or remark line under the table.
        missing : str
            What a blank cell shows.
        total_row : dict, optional
            Values for the totals row (column key → value) instead of summing the ``total``
            columns: the totals a unit *states*.
        keep_empty : sequence of str
            Column keys kept even when they hold no figure.
        """
        if df.empty and total_row is None:
            return Block("")

        def has_data(c: Col) -> bool:
            if c.key in keep_empty:
                return True
            vals = df[c.key] if c.key in df.columns else pd.Series(dtype=object)
            if any(not is_blank(v) for v in vals):
                return True
            return total_row is not None and not is_blank(total_row.get(c.key))

        shown = [c for i, c in enumerate(cols) if i == 0 or has_data(c)]
        dropped = [c.header for c in cols if c not in shown]
        dashes = False

        def cell(c: Col, v: Any, total: bool = False) -> str:
            nonlocal dashes
            if is_blank(v):
                if c.kind == "text" and not total:
                    return "<td></td>"
                dashes = True
                return f'<td class="n">{escape(missing)}</td>'
            if c.kind == "text":
                return f"<td>{escape(v)}</td>"
            return f'<td class="n">{escape(_FORMAT[c.kind](v))}</td>'

        head = "".join(f"<th>{escape(c.header)}</th>" for c in shown)
        body = ["<tr>" + "".join(cell(c, row.get(c.key)) for c in shown) + "</tr>" for _, row in df.iterrows()]
        foot = ""
        if total_label and (total_row is not None or any(c.total for c in shown)):
            cells = [f"<td>{escape(total_label)}</td>"]
            for c in shown[1:]:
                if total_row is not None:
                    cells.append(cell(c, total_row.get(c.key), total=True) if c.key in total_row else "<td></td>")
                elif c.total:
                    vals = pd.to_numeric(df[c.key], errors="coerce")
                    cells.append(cell(c, vals.sum() if vals.notna().any() else None, total=True))
                else:
                    cells.append("<td></td>")
            foot = '<tfoot><tr class="total">' + "".join(cells) + "</tr></tfoot>"
        notes = [n for n in (note, f"表中“{missing}”表示无相应数据。" if dashes and missing == BLANK else None) if n]
        note_html = "".join(f'<p class="table-note">{escape(n)}</p>' for n in notes)
        block = Block(
            f'<table class="report {escape(css)}"><caption>{self.caption("table", caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>{foot}</table>{note_html}"
        )
        if dropped:
            block = block.with_review(f"“{caption}”未列示无数据的列：{'、'.join(dropped)}。")
        return block

    def figure(self, fig, caption: str, note: str | None = None) -> Block:
        """A matplotlib figure as an embedded PNG with a numbered caption (closes the figure)."""
        from jixiao.report.charts import figure_to_data_uri

        uri = figure_to_data_uri(fig)
        note_html = f'<p class="figure-note">{escape(note)}</p>' if note else ""
        return Block(
            f'<figure class="chart"><img alt="{escape(caption)}" src="{uri}"/>'
            f"<figcaption>{self.caption('figure', caption)}</figcaption>{note_html}</figure>"
        )


_CACHE: dict[tuple, ReportContext] = {}


def open_cached(
    params_path: str | Path, section: str, load_params: Callable[[Path], Any], build: Callable[[Any], ReportContext]
) -> ReportContext:
    """The context of a parameters file, built once per process (any report kind).

    Sections executed in one kernel share it: the input is loaded and the checks run once.
    The cache key includes the modification times of the parameters file and the
    workbook, so editing either in JupyterLab and rerunning a cell picks up the change.

    Parameters
    ----------
    params_path : str or Path
        The parameters file.
    section : str
        Section id (``01``); gives headings and captions their own numbering.
    load_params : callable
        Reads the parameters file (its ``workbook`` is the input).
    build : callable
        Builds the context from the parameters.
    """
    path = Path(params_path).resolve()
    params = load_params(path)
    other = params.other_inputs() if hasattr(params, "other_inputs") else []
    key = (
        build,
        str(path),
        path.stat().st_mtime_ns,
        str(params.workbook),
        Path(params.workbook).stat().st_mtime_ns,
        tuple((str(p), p.stat().st_mtime_ns) for p in other),
    )
    base = _CACHE.get(key)
    if base is None:
        base = build(params)
        _CACHE.clear()
        _CACHE[key] = base
    return base.for_section(section)


def _township_context(params: Params) -> ReportContext:
    from jixiao.inputs import load_township

    return ReportContext(params=params, ds=load_township(params))


def open_report(params_path: str | Path, section: str = "") -> ReportContext:
    """The township report's context for a parameters file (see :func:`open_cached`)."""
    return open_cached(params_path, section, load_params, _township_context)


#: The date line of a report whose workbook gives no 报告日期: filled in by hand when signed.
DATE_TO_FILL = "　　年　　月　　日"


def date_line(value: Any) -> str:
    """A report's date as its cover and 落款 print it: ``value`` (a workbook's 报告日期), else a
    blank line to fill by hand — never the day the report was built."""
    return DATE_TO_FILL if is_blank(value) else cdate(value)


def report_date(ctx: ReportContext) -> str:
    """The township report's date line (:func:`date_line` of 基本信息/报告日期)."""
    return date_line(ctx.unit.get("report_date"))
