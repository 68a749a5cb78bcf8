"""Charts for the report: seaborn on matplotlib, Simplified Chinese, print-sized.

Figures are built as :class:`matplotlib.figure.Figure` objects outside pyplot, so a
notebook never shows a chart twice and nothing leaks between sections sharing a kernel.
Each helper takes tidy data and returns a Figure; :meth:`ReportContext.figure` embeds it
with a numbered caption.
"""

from __future__ import annotations

import base64
import io
from functools import cache

import matplotlib

matplotlib.use("Agg")  # no display needed; also keeps worker processes headless

import matplotlib.ticker as mticker  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from jixiao.exceptions import JixiaoError  # noqa: E402
from jixiao.rounding import fmt  # noqa: E402

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
def setup_style() -> None:
    """Seaborn theme with a CJK font (set_theme resets fonts, so it must come first)."""
    sns.set_theme(style="whitegrid", context="paper", palette=PALETTE)
    matplotlib.rcParams.update({
        "font.family": "sans-serif",
        "font.sans-serif": [cjk_family(), "DejaVu Sans"],
        "axes.unicode_minus": False,  # the CJK font has no U+2212 minus
        "axes.titleweight": "bold",
        "axes.titlesize": 11,
        "figure.dpi": 100,
    })


def new_figure(width: float = 7.0, height: float = 3.6) -> tuple[Figure, "matplotlib.axes.Axes"]:
    """A figure with one axes, styled for the report."""
    setup_style()
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def figure_to_data_uri(fig: Figure, dpi: int = DPI) -> str:
    """PNG ``data:`` URI of a figure (self-contained report, nothing fetched)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def unit_ylabel(ax, unit: str) -> None:
    """A y-axis unit written upright above the axis: rotated CJK characters read as symbols."""
    ax.set_ylabel(unit, rotation=0, ha="right", va="bottom")
    ax.yaxis.set_label_coords(0.0, 1.01)


def _money_axis(ax, axis: str = "x") -> None:
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(mticker.StrMethodFormatter("{x:.0f}"))


def value_label(v, digits: int = 2) -> str:
    """A bar's label as the report prints numbers: half up, no separators, blank for NaN."""
    return "" if v is None or v != v else fmt(float(v), digits)


def label_bars(ax, digits: int = 2, fontsize: int = 7) -> None:
    """Label every bar of ``ax`` with its value (a missing bar gets no label)."""
    for container in ax.containers:
        ax.bar_label(container, labels=[value_label(v, digits) for v in container.datavalues],
                     fontsize=fontsize, padding=2)


def hbar(data: pd.DataFrame, label: str, value: str, title: str, *, unit: str = "万元",
         annotate: str | None = None) -> Figure:
    """Horizontal bars, largest first, each labelled with its value (and ``annotate``)."""
    df = data.sort_values(value, ascending=False)
    fig, ax = new_figure(7.0, 0.45 * len(df) + 1.2)
    sns.barplot(data=df, y=label, x=value, ax=ax, color=PALETTE[0], orient="h")
    for i, (_, row) in enumerate(df.iterrows()):
        extra = f"（{value_label(row[annotate])}%）" if annotate else ""
        ax.text(row[value], i, f" {value_label(row[value])}{extra}", va="center", fontsize=8)
    ax.set_title(title)
    ax.set_xlabel(unit)
    ax.set_ylabel("")
    ax.margins(x=0.25)
    _money_axis(ax)
    return fig


def grouped_bars(data: pd.DataFrame, label: str, series: dict[str, str], title: str, *,
                 unit: str = "万元", horizontal: bool = True, value_labels: bool = True) -> Figure:
    """Bars side by side per category: ``series`` maps column → legend label (e.g. 预算数, 决算数)."""
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
    if value_labels:
        label_bars(ax)
    ax.set_title(title)
    ax.legend(title="", loc="best", frameon=False)
    return fig


def counts(data: pd.DataFrame, label: str, value: str, title: str, *, unit: str = "个") -> Figure:
    """Vertical bars of counts (projects by status …), each labelled."""
    fig, ax = new_figure(5.5, 3.2)
    sns.barplot(data=data, x=label, y=value, ax=ax, color=PALETTE[0])
    label_bars(ax, digits=0, fontsize=8)
    ax.set_title(title)
    ax.set_xlabel("")
    unit_ylabel(ax, unit)
    ax.margins(y=0.15)
    return fig
