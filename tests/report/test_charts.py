"""Charts: the report's style applies to its own figures only; text in them is literal."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_importing_and_charting_leaves_the_users_matplotlib_alone():
    """In a fresh interpreter (as a user's JupyterLab kernel): importing jixiao's section code
    and building and saving charts neither picks a backend nor changes any rcParam."""
    code = textwrap.dedent("""
        import matplotlib, json
        matplotlib.rcParams["font.sans-serif"] = ["My Font"]
        before = {k: repr(v) for k, v in matplotlib.rcParams.items() if k != "backend"}
        backend_before = dict.__getitem__(matplotlib.rcParams, "backend")
        import pandas as pd
        import jixiao.report.sections.assessment, jixiao.report.sections.performance
        from jixiao.report import charts
        fig = charts.hbar(pd.DataFrame({"n": ["一般公共服务支出", "农林水支出"], "v": [1.5, 3.25]}), "n", "v", "标题")
        uri = charts.figure_to_data_uri(fig)
        after = {k: repr(v) for k, v in matplotlib.rcParams.items() if k != "backend"}
        changed = sorted(k for k in before if before[k] != after[k])
        print(json.dumps({"changed": changed, "uri": uri.startswith("data:image/png;base64,"),
                          "backend_same": dict.__getitem__(matplotlib.rcParams, "backend") == backend_before,
                          "font_in_figure": fig.axes[0].title.get_fontfamily()}))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    import json

    res = json.loads(out.strip().splitlines()[-1])
    assert res == {"changed": [], "uri": True, "backend_same": True, "font_in_figure": ["sans-serif"]}


def test_chart_text_is_literal(recwarn):
    """A unit or item name with $…$ is drawn as written, not parsed as mathtext (which
    raises on a bad expression)."""
    import pandas as pd

    from jixiao.report import charts

    fig = charts.hbar(pd.DataFrame({"n": ["$\\frac{1", "a$b$c"], "v": [1.0, 2.0]}), "n", "v", "$x^2$ 标题")
    assert charts.figure_to_data_uri(fig).startswith("data:image/png;base64,")
    ax = fig.axes[0]
    # the title is the caption's: kept as the figure's label, never drawn a second time
    assert ax.get_title() == "" and fig.get_label() == "$x^2$ 标题"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a$b$c", "$\\frac{1"]
    assert not [w for w in recwarn if "missing from font" in str(w.message)]


def test_a_long_category_label_is_wrapped_not_squeezing_the_bars():
    """A 200-character 考核类别 made constrained_layout give up (the bars collapsed to
    nothing); labels wrap at 14 characters on at most 3 lines, and two long names that begin
    alike stay two bars."""
    import io
    import warnings

    import pandas as pd

    from jixiao.report import charts

    long_a, long_b = "甲" * 200, "甲" * 199 + "乙"
    with charts.style(), warnings.catch_warnings():
        warnings.filterwarnings("error", message="constrained_layout not applied")
        fig = charts.score_bars([long_a, "重大政策落实"], [10, 11], [12, 12], "t")
        fig.savefig(io.BytesIO(), format="png")
        df = pd.DataFrame({"name": [long_a, long_b, "一般公共服务支出"], "budget": [1.0, 2.0, 3.0]})
        fig = charts.grouped_bars(df, "name", {"budget": "预算数"}, "t")
        fig.savefig(io.BytesIO(), format="png")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == 3 and labels[2] == "一般公共服务支出"
    assert labels[0] == charts.short_label(long_a) == "\n".join(["甲" * 14, "甲" * 14, "甲" * 13 + "…"])
    # small amounts: ticks 0.5, 1.5 … print as such (not 0, 2)
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert "0.5" in ticks and "1.5" in ticks
