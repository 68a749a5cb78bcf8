"""Charts for the report: seaborn on matplotlib, Simplified Chinese, print-sized.

Figures are built as :class:`matplotlib.figure.Figure` objects outside pyplot, so a
notebook never shows a chart twice and nothing leaks between sections sharing a kernel.
Each helper takes tidy data and returns a Figure; :meth:`ReportContext.figure` embeds it
with a numbered caption.

Importing this module changes nothing global: no backend is chosen (a Figure made
without pyplot renders with Agg by itself) and no theme is set. The report's style
(seaborn's whitegrid/paper, the palette, the CJK font, literal ``$``) applies only while a
chart is built (:func:`styled`) and while it is saved (:func:`figure_to_data_uri`), through
:func:`matplotlib.rc_context`, so a user's own plots in the same JupyterLab kernel keep
theirs.
"""

from __future__ import annotations

import base64
import functools
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

import matplotlib
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
import seaborn as sns
from cycler import cycler
from matplotlib import font_manager
from matplotlib.figure import Figure

from jixiao.exceptions import JixiaoError
from jixiao.rounding import fmt
from jixiao.values import num, plain, text

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

T = TypeVar("T")

#: Preferred CJK families, best first. Noto Sans CJK SC ships with Debian's fonts-noto-cjk.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei")
DPI = 200
PALETTE = ["#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6", "#bf9000", "#a9d18e", "#8faadc"]


class FontMissingError(JixiaoError):
    """No Simplified Chinese font is installed: charts would show boxes (tofu)."""

    exit_code = 2


@cache
def cjk_family() -> str:
    """The first installed CJK family of :data:`CJK_FAMILIES`."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    for fam in CJK_FAMILIES:
        if fam in names:
            return fam
    raise FontMissingError(
        "未找到中文字体（需要 Noto Sans CJK SC）：请运行 make setup，或 apt-get install fonts-noto-cjk"
    )


@cache
def report_style() -> dict[RcKeyType, Any]:
    """The report's matplotlib settings: what ``sns.set_theme(style="whitegrid",
    context="paper", palette=PALETTE)`` would set, then the CJK font (after: seaborn's
    styles name their own fonts), as a dict for :func:`matplotlib.rc_context`."""
    rc: dict[RcKeyType, Any] = {**sns.axes_style("whitegrid"), **sns.plotting_context("paper")}
    rc.update(
        {
            "axes.prop_cycle": cycler(color=PALETTE),
            "patch.facecolor": PALETTE[0],
            "font.family": "sans-serif",
            "font.sans-serif": [cjk_family(), "DejaVu Sans"],
            "axes.unicode_minus": False,  # the CJK font has no U+2212 minus
            "axes.titleweight": "bold",
            "axes.titlesize": 11,
            "figure.dpi": 100,
            # Names and labels come from workbooks: a "$" is a character, never mathtext.
            "text.parse_math": False,
        }
    )
    return rc


@contextmanager
def style() -> Iterator[None]:
    """The report's style while the block runs (:func:`report_style`); nothing global."""
    with matplotlib.rc_context(report_style()):
        yield


def styled(func: Callable[..., T]) -> Callable[..., T]:
    """Run a chart-building function in the report's style (:func:`style`)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        with style():
            return func(*args, **kwargs)

    return wrapper


def new_figure(width: float = 7.0, height: float = 3.6) -> tuple[Figure, matplotlib.axes.Axes]:
    """A figure with one axes (call it from a function decorated with :func:`styled`)."""
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def figure_to_data_uri(fig: Figure, dpi: int = DPI) -> str:
    """PNG ``data:`` URI of a figure (self-contained report, nothing fetched).

    Saved in the report's style: tick labels and the legend are laid out at draw time.
    """
    buf = io.BytesIO()
    with style():
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def unit_ylabel(ax, unit: str) -> None:
    """A y-axis unit written upright above the axis: rotated CJK characters read as symbols."""
    ax.set_ylabel(unit, rotation=0, ha="right", va="bottom")
    ax.yaxis.set_label_coords(0.0, 1.01)


def _money_axis(ax, axis: str = "x") -> None:
    """Amount ticks without trailing zeros: 500, 1000 — and 0.5, 1.5 on a small axis, which
    ``{x:.0f}`` printed as 0, 2 (rounding half to even)."""
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(mticker.FuncFormatter(lambda x, _pos: plain(x + 0.0)))


def value_label(v, digits: int = 2) -> str:
    """A bar's label as the report prints numbers: half up, no separators, blank for NaN."""
    return "" if v is None or v != v else fmt(float(v), digits)


def label_bars(ax, digits: int = 2, fontsize: int = 7) -> None:
    """Label every bar of ``ax`` with its value (a missing bar gets no label)."""
    for container in ax.containers:
        ax.bar_label(
            container, labels=[value_label(v, digits) for v in container.datavalues], fontsize=fontsize, padding=2
        )


#: Category labels are wrapped to this many characters a line, on at most this many lines
#: (a 200-character 考核类别 or 科目名称 would otherwise squeeze the bars to nothing).
LABEL_WIDTH, LABEL_LINES = 14, 3


def short_label(label: object, width: int = LABEL_WIDTH, lines: int = LABEL_LINES) -> str:
    """A category label as a chart prints it: wrapped every ``width`` characters, cut after
    ``lines`` lines with “…” (the table beside the chart has the full text).

    >>> short_label("一般公共服务支出")
    '一般公共服务支出'
    >>> short_label("甲" * 50, width=10, lines=2)
    '甲甲甲甲甲甲甲甲甲甲\n甲甲甲甲甲甲甲甲甲…'
    """
    t = str(label)
    parts = [t[i : i + width] for i in range(0, len(t), width)] or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1] + "…"
    return "\n".join(parts)


def _wrap_ticks(ax, axis: str = "y") -> None:
    """Wrap the category tick labels of ``axis`` (:func:`short_label`) once drawn: the data
    keep their full names, so two long names that begin alike stay two bars."""
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    if any(len(t.get_text()) > LABEL_WIDTH for t in ticks):
        where = ax.get_yticks() if axis == "y" else ax.get_xticks()
        (ax.set_yticks if axis == "y" else ax.set_xticks)(where, [short_label(t.get_text()) for t in ticks])


@styled
def hbar(
    data: pd.DataFrame, label: str, value: str, title: str, *, unit: str = "万元", annotate: str | None = None
) -> Figure:
    """Horizontal bars, largest first, each labelled with its value (and ``annotate``)."""
    df = data.sort_values(value, ascending=False)
    fig, ax = new_figure(7.0, 0.45 * len(df) + 1.2)
    sns.barplot(data=df, y=label, x=value, ax=ax, color=PALETTE[0], orient="h")
    for i, (_, row) in enumerate(df.iterrows()):
        extra = f"（{value_label(row[annotate])}%）" if annotate else ""
        ax.text(row[value], i, f" {value_label(row[value])}{extra}", va="center", fontsize=8)
    fig.set_label(title)  # the caption prints the title: never twice (not drawn)
    ax.set_xlabel(unit)
    ax.set_ylabel("")
    ax.margins(x=0.25)
    _money_axis(ax)
    _wrap_ticks(ax)
    return fig


@styled
def grouped_bars(
    data: pd.DataFrame,
    label: str,
    series: dict[str, str],
    title: str,
    *,
    unit: str = "万元",
    horizontal: bool = True,
    value_labels: bool = True,
) -> Figure:
    """Bars side by side per category: ``series`` maps column → legend label (e.g. 预算数, 决算数).

    Amounts may be blank (cell values): a blank draws no bar and gets no label.
    """
    data = pd.DataFrame(
        {
            label: [text(v) or "" for v in data[label]],
            **{c: [np.nan if num(v) is None else num(v) for v in data[c]] for c in series},
        }
    )
    long = data.melt(id_vars=[label], value_vars=list(series), var_name="series", value_name="value")
    long["series"] = long["series"].map(series)
    n = len(data)
    fig, ax = new_figure(7.0, max(2.6, 0.55 * n + 1.4) if horizontal else 3.6)
    if horizontal:
        sns.barplot(data=long, y=label, x="value", hue="series", ax=ax, orient="h")
        ax.set_xlabel(unit)
        ax.set_ylabel("")
        ax.margins(x=0.2)
        _money_axis(ax)
    else:
        sns.barplot(data=long, x=label, y="value", hue="series", ax=ax)
        unit_ylabel(ax, unit)
        ax.set_xlabel("")
        ax.margins(y=0.15)
        _money_axis(ax, "y")
    _wrap_ticks(ax, "y" if horizontal else "x")
    if value_labels:
        label_bars(ax)
    fig.set_label(title)  # the caption prints the title: never twice (not drawn)
    ax.legend(title="", loc="best", frameon=False)
    return fig


@styled
def score_bars(categories, scores, points, title: str) -> Figure:
    """Assessment scores by category in rubric order, each over its 适用分值 (drawn behind
    when given); a blank score draws no bar and is labelled —."""
    labels = list(categories)
    n = len(labels)
    fig, ax = new_figure(7.0, 0.42 * n + 1.3)
    y = np.arange(n)
    given = [num(v) for v in scores]
    points = [num(v) for v in points]
    if any(p is not None for p in points):
        ax.barh(y, [p or 0 for p in points], height=0.7, color="#d9e2f3", label="适用分值")
    ax.barh(y, [s or 0 for s in given], height=0.5, color=PALETTE[0], label="自评得分")
    top = max([abs(s) for s in given if s is not None] + [p for p in points if p is not None] + [1.0])

    def score(v: float) -> str:  # points are whole or halves: 11, 21.5 (as the headings print them)
        return value_label(v, 0 if float(v).is_integer() else 1)

    for yi, s, p in zip(range(n), given, points):  # y as plain ints (Axes.text wants float-like)
        txt = "—" if s is None else score(s) + ("" if p is None else f" / {score(p)}")
        ax.text(max(s or 0, p or 0) + top * 0.01, yi, f" {txt}", va="center", fontsize=8)
    ax.set_yticks(y, [short_label(lab) for lab in labels])
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.18)
    ax.set_xlabel("分")
    fig.set_label(title)  # the caption prints the title: never twice (not drawn)
    if any(p is not None for p in points):
        ax.legend(loc="lower right", frameon=False, fontsize=8)
    ax.grid(axis="y", visible=False)
    return fig


@styled
def counts(data: pd.DataFrame, label: str, value: str, title: str, *, unit: str = "个") -> Figure:
    """Vertical bars of counts (projects by status …), each labelled."""
    fig, ax = new_figure(5.5, 3.2)
    sns.barplot(data=data, x=label, y=value, ax=ax, color=PALETTE[0])
    label_bars(ax, digits=0, fontsize=8)
    _wrap_ticks(ax, "x")
    fig.set_label(title)  # the caption prints the title: never twice (not drawn)
    ax.set_xlabel("")
    unit_ylabel(ax, unit)
    ax.margins(y=0.15)
    return fig
