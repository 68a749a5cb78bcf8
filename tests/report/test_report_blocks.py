"""Report building blocks: number formats, tables, escaping, captions."""

import copy

import pandas as pd

from jixiao.report.context import Col, ReportContext, cn_num, num, pct, plain, wy


def test_formats_half_up_and_blanks():
    assert wy(2607.15) == "2607.15万元"
    assert num(0.125) == "0.13" and pct(48.1425) == "48.14%" and pct(-0.2332) == "-0.23%"
    assert wy(None) == "—" and pct(float("nan")) == "—"  # never the reviewer's 未提供
    assert plain(91.0) == "91" and plain(21.5) == "21.5"
    assert [cn_num(i) for i in (1, 8, 10, 11, 20, 39)] == ["一", "八", "十", "十一", "二十", "三十九"]


def test_table_totals_escape_and_caption(example_ds):
    from jixiao.params import load_params

    from support import EXAMPLE_PARAMS

    ctx = ReportContext(params=load_params(EXAMPLE_PARAMS), ds=example_ds, section="t")
    df = pd.DataFrame({"name": ["<b>甲</b>", "乙"], "v": [1.005, 2.0], "s": [None, 3.5]})
    html = ctx.table(df, [Col("name", "名称"), Col("v", "金额", "money", total=True), Col("s", "占比", "pct")], "测试")
    assert "&lt;b&gt;甲&lt;/b&gt;" in html and "<b>甲" not in html
    assert '<td class="n">1.01</td>' in html  # half up
    assert '<td class="n">3.01</td>' in html  # total of full-precision values, rounded once
    assert '<td class="n">—</td>' in html  # blank number cell of a kept column
    assert html.endswith('<p class="table-note">表中“—”表示无相应数据。</p>')  # said once, under the table
    assert "未提供" not in html and not html.review
    assert 'data-kind="table">1<' in html
    assert 'data-kind="table">2<' in ctx.table(df, [Col("name", "名称")], "第二个", total_label=None)


def test_stated_total_row_and_self_reference(example_ds):
    from jixiao.params import load_params

    from support import EXAMPLE_PARAMS

    ctx = ReportContext(params=load_params(EXAMPLE_PARAMS), ds=example_ds, section="t")
    df = pd.DataFrame({"item": ["公务用车运行维护费", "公务接待费"], "actual": [None, None]})
    html = ctx.table(df, [Col("item", "项目"), Col("actual", "本年决算", "money")], "三公", total_row={"actual": 4.64})
    assert '<tr class="total"><td>合计</td><td class="n">4.64</td></tr>' in html
    assert html.count('<td class="n">—</td>') == 2  # the blank items, not the stated total
    # a column with no figure at all is left out, and the review is told
    empty = pd.DataFrame({"item": ["甲", "乙"], "budget": [1.0, 2.0], "actual": [None, None]})
    cols = [Col("item", "项目"), Col("budget", "预算", "money"), Col("actual", "决算", "money")]
    dropped = ctx.table(empty, cols, "无决算")
    assert "<th>决算</th>" not in dropped and "—" not in dropped and "表中“—”" not in dropped
    assert dropped.review == ("“无决算”未列示无数据的列：决算。",)
    kept = ctx.table(empty, cols, "保留", keep_empty=["actual"])
    assert "<th>决算</th>" in kept and kept.count("—</td>") == 2 and not kept.review
    assert ctx.we == "我镇"
    ds = copy.deepcopy(example_ds)
    for name, we in (("某某乡人民政府", "我乡"), ("某某街道办事处", "我街道"), ("某某县财政局", "我单位")):
        ds.facts["unit"]["name"] = name
        assert ReportContext(params=ctx.params, ds=ds).we == we


def test_a_blocks_review_remarks_travel_in_the_output_metadata():
    from jixiao.report.context import Block

    plain_block = Block("<p>甲</p>")
    assert plain_block._repr_mimebundle_() == {"text/html": "<p>甲</p>"}
    b = plain_block.with_review("乙未列示。", "").with_review("丙。")
    assert b == "<p>甲</p>" and b.review == ("乙未列示。", "丙。")
    assert b._repr_mimebundle_() == ({"text/html": "<p>甲</p>"}, {"jixiao": {"review": ["乙未列示。", "丙。"]}})


def test_chinese_numbering_never_fails():
    """A 序号 is whatever a user typed (the contract test found 99999 in 考核得分)."""
    from jixiao.report.context import cn_num

    assert [cn_num(n) for n in (1, 10, 11, 20, 99)] == ["一", "十", "十一", "二十", "九十九"]
    assert [cn_num(n) for n in (0, -3, 100, 99999)] == ["0", "-3", "100", "99999"]
