"""Report building blocks: number formats, tables, escaping, captions."""

import copy

import pandas as pd

from jixiao.report import Col, ReportContext, cn_num, num, pct, plain, wy


def test_formats_half_up_and_blanks():
    assert wy(2607.15) == "2607.15万元"
    assert num(0.125) == "0.13" and pct(48.1425) == "48.14%" and pct(-0.2332) == "-0.23%"
    assert wy(None) == "未提供" and pct(float("nan")) == "未提供"
    assert plain(91.0) == "91" and plain(21.5) == "21.5"
    assert [cn_num(i) for i in (1, 8, 10, 11, 20, 39)] == ["一", "八", "十", "十一", "二十", "三十九"]


def test_table_totals_escape_and_caption(example_ds):
    from jixiao.params import load_params
    from conftest import EXAMPLE_PARAMS

    ctx = ReportContext(params=load_params(EXAMPLE_PARAMS), ds=example_ds, section="t")
    df = pd.DataFrame({"name": ["<b>甲</b>", "乙"], "v": [1.005, 2.0], "s": [None, 3.5]})
    html = ctx.table(df, [Col("name", "名称"), Col("v", "金额", "money", total=True), Col("s", "占比", "pct")], "测试")
    assert "&lt;b&gt;甲&lt;/b&gt;" in html and "<b>甲" not in html
    assert '<td class="n">1.01</td>' in html  # half up
    assert '<td class="n">3.01</td>' in html  # total of full-precision values, rounded once
    assert "—" in html  # blank cell
    assert 'data-kind="table">1<' in html
    assert 'data-kind="table">2<' in ctx.table(df, [Col("name", "名称")], "第二个", total_label=None)
