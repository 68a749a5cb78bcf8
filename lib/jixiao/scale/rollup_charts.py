"""The county roll-up's charts: ranking, score distribution, execution vs score, check errors.

Drawn in the report's style (:func:`jixiao.report.charts.style`), as data-URI PNGs for
``rollup.html``.
"""

from __future__ import annotations

import math

from jixiao.scale.rollup import _score, _short


def rollup_charts(units: list[dict]) -> dict[str, str]:
    """Data-URI PNGs: ranking, score distribution, execution rate vs score, check errors."""
    from jixiao.report.charts import style

    with style():  # the report's style, for these charts only
        return _draw_charts(units)


def _draw_charts(units: list[dict]) -> dict[str, str]:
    import pandas as pd
    import seaborn as sns
    from matplotlib.figure import Figure

    from jixiao.report.charts import PALETTE, figure_to_data_uri, label_bars, new_figure

    grade_colors = {"优": PALETTE[2], "良": PALETTE[0], "中": PALETTE[3], "差": "#c00000", None: "#999999"}
    df = pd.DataFrame(
        [
            {
                "单位": _short(u["name"]),
                "换算得分": _score(u),
                "等级": u.get("grade"),
                "支出进度": u.get("execution_rate")
                if u.get("execution_rate") is not None
                else u.get("execution_rate_stated"),
                "错误": u.get("errors") or 0,
            }
            for u in units
        ]
    )
    out: dict[str, str] = {}
    scored = df[df["换算得分"].notna()].sort_values("换算得分", ascending=False)
    if len(scored):
        fig, ax = new_figure(7.0, max(2.4, 0.22 * len(scored) + 1.0))
        colors = [grade_colors.get(g, "#999999") for g in scored["等级"]]
        ax.barh(range(len(scored)), scored["换算得分"], color=colors)
        ax.set_yticks(range(len(scored)), scored["单位"], fontsize=7 if len(scored) > 30 else 8)
        ax.invert_yaxis()
        lo = max(0.0, float(scored["换算得分"].min()) - 10)
        ax.set_xlim(lo, max(100.0, float(scored["换算得分"].max())) + 4)
        for i, v in enumerate(scored["换算得分"]):
            ax.text(v, i, f" {v:.2f}", va="center", fontsize=6.5 if len(scored) > 30 else 7.5)
        ax.set_xlabel("换算得分（分）")
        ax.set_title("各单位换算得分排名")
        handles = [ax.bar(0, 0, color=c, label=g) for g, c in grade_colors.items() if g and g in set(scored["等级"])]
        if handles:
            ax.legend(title="等级", loc="lower right", frameon=False, fontsize=8)
        out["ranking"] = figure_to_data_uri(fig)

        fig = Figure(figsize=(7.0, 3.0), layout="constrained")
        ax1, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [2, 1]})
        from matplotlib.ticker import MaxNLocator

        lo5 = 5 * math.floor(float(scored["换算得分"].min()) / 5)
        hi5 = 5 * math.ceil(float(scored["换算得分"].max()) / 5 + 1e-9)
        sns.histplot(
            scored["换算得分"],
            binwidth=2.5 if hi5 - lo5 > 10 else 1,
            binrange=(lo5, max(hi5, lo5 + 5)),
            ax=ax1,
            color=PALETTE[0],
        )
        ax1.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax1.set_xlabel("换算得分（分）")
        ax1.set_ylabel("单位数")
        ax1.set_title("换算得分分布")
        order = [g for g in ("优", "良", "中", "差") if g in set(scored["等级"])]
        counts = scored["等级"].value_counts().reindex(order).reset_index()
        counts.columns = ["等级", "单位数"]
        sns.barplot(
            data=counts,
            x="等级",
            y="单位数",
            ax=ax2,
            palette=[grade_colors[g] for g in order],
            hue="等级",
            legend=False,
        )
        label_bars(ax2, digits=0, fontsize=8)
        ax2.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax2.set_title("等级分布")
        ax2.set_xlabel("")
        ax2.margins(y=0.15)
        out["distribution"] = figure_to_data_uri(fig)

    both = df[df["换算得分"].notna() & df["支出进度"].notna()]
    if len(both) >= 2:
        fig, ax = new_figure(7.0, 3.4)
        sns.scatterplot(
            data=both,
            x="支出进度",
            y="换算得分",
            hue="等级",
            ax=ax,
            s=28,
            palette={g: grade_colors.get(g, "#999999") for g in both["等级"].dropna().unique()},
        )
        ax.set_xlabel("项目整体支出进度（%）")
        ax.set_ylabel("换算得分（分）")
        ax.set_title("支出进度与换算得分")
        out["execution"] = figure_to_data_uri(fig)

    errs = df[df["错误"] > 0].sort_values("错误", ascending=False)
    if len(errs):
        fig, ax = new_figure(7.0, max(2.0, 0.25 * len(errs) + 1.0))
        sns.barplot(data=errs, y="单位", x="错误", ax=ax, color="#c00000", orient="h")
        label_bars(ax, digits=0, fontsize=8)
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("勾稽校验错误（项）")
        ax.set_ylabel("")
        ax.set_title("数据未通过勾稽校验的单位")
        ax.margins(x=0.15)
        out["errors"] = figure_to_data_uri(fig)
    return out
