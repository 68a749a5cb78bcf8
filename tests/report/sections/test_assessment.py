"""Section 二（一）–（三）: the seed's figures come out of the data, discrepancies are said
out loud, workbook text is escaped, and the notebook runs."""

from __future__ import annotations

import base64
import copy
import json
import re

import pytest

from jixiao.params import load_params
from jixiao.report.context import ReportContext, env
from jixiao.report.sections import assessment as S

from support import EXAMPLE_PARAMS, FILED_REPORT_BANNED, ROOT

NOTEBOOK = ROOT / "notebooks" / "02_assessment.ipynb"


def _ctx(ds) -> ReportContext:
    return ReportContext(params=load_params(EXAMPLE_PARAMS), ds=ds, section="02")


def render_section(ctx: ReportContext) -> str:
    """Every block of the section, in notebook order."""
    return "".join(
        [
            ctx.heading("二、部门绩效考核自评情况", level=1),
            S.overview(ctx),
            S.part_heading(ctx, "重大政策落实"),
            S.special_funds(ctx),
            S.three_guarantees(ctx),
            S.austerity(ctx),
            S.tax_and_fees(ctx),
            S.part_heading(ctx, "预算编制管理"),
            S.budget_system(ctx),
            S.budget_preparation(ctx),
            S.resource_pooling(ctx),
            S.part_heading(ctx, "预算执行管理"),
            S.execution_supervision(ctx),
            S.final_accounts(ctx),
            S.financial_report(ctx),
            S.procurement(ctx),
            S.direct_funds(ctx),
            S.township_final_accounts(ctx),
        ]
    )


def text_of(html: str) -> str:
    """Visible text: tags and images removed (figures in prose and tables alike)."""
    return re.sub(r"<[^>]+>", "", re.sub(r"<img[^>]*>", "", html))


@pytest.fixture(scope="module")
def html(example_ds) -> str:
    return render_section(_ctx(example_ds))


@pytest.fixture(scope="module")
def text(html) -> str:
    return text_of(html)


# -- the seed's figures ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "figure",
    [
        # （一）专项资金, 三保, 三公, 非税
        "共计101.77万元",
        "89.66万元",
        "保基本民生安排资金130.66万元，实际支出134.16万元",
        "保工资安排资金1275.70万元，实际支出1275.70万元",
        "保运转安排资金102.91万元，实际支出102.92万元",
        "2022年我镇三公经费3.86万元，2023年4.64万元，较2022年增加0.78万元，主要是",
        "及时足额上缴非税收入25.37万元，其中：利息收入0.18万元，生态环境罚没收入0.20万元，其他一般罚没收入24.99万元。",
        # （二）预算编制
        "2023年我镇预算收入1976.56万元，其中：一般公共预算拨款1934.66万元，政府性基金拨款41.75万元",
        "一般公共服务支出1369.99万元",
        "安排三公经费14.63万元",
        "安排非税收入计划2.00万元",
        "新增资产预算3.00万元",
        # （三）预算执行
        "2023年我镇决算收入2607.15万元，其中：财政拨款收入2607.15万元",
        "一般公共服务支出1255.13万元，占比48.14%",
        "城乡社区支出685.36万元，占比26.29%",
        "2022年底，我镇资产总额7054.63万元，其中货币资金11.67万元",
        "资产负债率0.15%",
        "现金比率为107.27%",
        "采购总预算25.22万元",
        "完成比例为153.85%",
        "在2023年10月23日支出",
        "在2023年9月14日支出",
        "在2023年11月14日支出",
        "收入总计2607.15万元，其中一般公共预算收入1921.79万元，政府性基金收入685.36万元；支出总计2607.15万元，收支平衡",
        "财政供养人数93人",
        "总人口39050人",
    ],
)
def test_seed_figures_appear(text, figure):
    assert figure in text


def test_part_headings_carry_the_scores(html):
    for h in (
        "（一）重大政策落实情况，得分11分",
        "（二）预算编制管理情况，得分12分",
        "（三）预算执行管理情况，得分23分",
    ):
        assert h in html
    assert re.search(r'<h1 id="s02-1" class="section">二、部门绩效考核自评情况</h1>', html)


def test_score_sentence_is_the_units(example_ds):
    """The unit's summary (考核自评总述) continued by the total and 换算得分 it states (91,
    98.91), not the category sum (89): the discrepancy is the review's."""
    out = S.overview(_ctx(example_ds))
    t = text_of(out)
    assert (
        "<p>2023年，我镇积极履职，强化管理，较好的完成了各项工作，通过自评，我镇管理绩效考核得分为91分，"
        "换算得分98.91分，具体情况如下：</p>" in out
    )
    assert '<td>合计</td><td></td><td class="n">91</td>' in out  # the stated total in the totals row
    for word in ("89分", "96.74", "请核实", "报告填报", "适用满分", "参数文件", "适用分值未提供", "考核得分表"):
        assert word not in t, word
    assert "适用分值" not in t and "加分" not in t  # columns without data are dropped


def test_score_sentence_without_stated_figures(example_ds):
    """No summary text and no stated total: “通过自评，” and the computed sum and conversion;
    no canned claim."""
    ds = copy.deepcopy(example_ds)
    ds.facts["texts"]["assessment_summary"] = None
    ds.facts["stated"]["assessment_total"] = ds.facts["stated"]["converted_score"] = None
    ds.totals["assessment"]["score"] = None
    out = S.overview(_ctx(ds))
    assert text_of(out).startswith("通过自评，我镇管理绩效考核得分为89分，换算得分96.74分，具体情况如下：")
    assert "积极履职" not in out and "较好地完成" not in out
    assert any("各类别得分之和" in r for r in out.review)


def test_score_sentence_when_consistent(example_ds):
    ds = copy.deepcopy(example_ds)
    ds.facts["stated"]["assessment_total"] = 89.0
    ds.facts["stated"]["converted_score"] = None
    ds.totals["assessment"]["score"] = 89.0
    out = text_of(S.overview(_ctx(ds)))
    assert "我镇管理绩效考核得分为89分，换算得分96.74分" in out
    assert "不一致" not in out.split("表")[0]


def test_shares_are_printed_as_stated(example_ds):
    ds = copy.deepcopy(example_ds)
    ds.tables["functions"].loc[0, "final_share"] = 50.0  # a wrong stated share: the checker's business
    ds.tables["functions"].loc[1, "final_share"] = None  # not stated: computed
    out = text_of(S.final_accounts(_ctx(ds)))
    assert "一般公共服务支出1255.13万元，占比50.00%；公共安全支出0.90万元，占比0.03%；" in out
    assert "48.14%" not in out and "报告所述" not in out


def test_ratios_print_as_stated(text):
    # the stated ratios (填报数据) inside the unit's own (figure-free) sentence; the computed
    # 107.26% and the comparison are the review's
    assert "我镇资产流动性较好，偿债能力强，资产负债率0.15%、现金比率为107.27%" in text
    assert "107.26%" not in text and "舍入误差" not in text and "按上述数据计算" not in text


@pytest.mark.parametrize(
    "passage",
    [
        # 非税收入预算编制: the unit's words, then the flagged item and its figures (非税收入 sheet);
        # the seed's dangling “，。” is closed with “。”
        "（1）非税收入预算编制情况。我镇严格按照规定的收入项目、征收范围和征收标准编报生态环境罚没收入非税收入预算，"
        "准确界定收入类别，参照前两年实际完成及今年预计完成情况、预测明年的增减收因素，科学准确测算编制非税收入计划，"
        "变动幅度在30%及以上的项目是生态环境罚没收入，具体情况是我镇2023年生态环境罚没收入编制预算2.00万元，实际收入0.20万元。",
        "2023年，我镇及时足额上缴非税收入25.37万元，其中：利息收入0.18万元，生态环境罚没收入0.20万元，其他一般罚没收入24.99万元。",
        # 政府采购预算和新增资产预算: the amount (填报数据), then the unit's words
        "（4）政府采购预算和新增资产预算。2023年我镇安排新增资产预算3.00万元，用于购置台式计算机、便携式计算机、复印机等,编制政府采购预算。",
        # 资源统筹 and 资源统筹（续）, each continued by its amounts (填报数据)
        "我镇依法依规将取得的各类预算拨款收入纳入部门预算，其中：预算拨款结转0.00万元、其他收入0.79万元。"
        "年度当中，将财政拨款结转结余资金，按照政策在年度中进行盘活处理，及时交回财政0.10万元。",
        # 财务风险结论 and （续）, around the ratios as stated (the seed's words)
        "我镇资产流动性较好，偿债能力强，资产负债率0.15%、现金比率为107.27%、流动比率为107.27%、"
        "固定资产成新率为33.96%，故不存在当期财务风险和中长期财务风险，财务风险在可控范围内。",
        # 政府采购管理, continued by the procurement figures, and 政府采购管理（续）
        "我乡镇购买固定资产项目列入政府采购预算，已通过一体化系统备案和填报政府采购计划；政府采购过程中，严格落实政府采购程序，"
        "采购总预算25.22万元，采购合同总金额25.22万元，中小企业合同总金额25.22万元，占合同总金额的比例为100.00%，"
        "其中小微企业合同总金额25.22万元，占中小企业合同总金额的比例为100.00%。"
        "脱贫地区农副产品采购平台预留金额0.13万元，实际采购金额0.20万元，完成比例为153.85%。",
        "我镇在政府采购过程中公开透明，不存在政府采购质疑和投诉；",
    ],
)
def test_seed_wording_with_computed_figures(text, passage):
    assert passage in text


@pytest.mark.parametrize(
    "figure",
    [
        "上缴非税收入",
        "编制预算2.00万元",
        "采购合同总金额25.22万元",
        "及时交回财政0.10万元",
        "其他收入0.79万元",
        "安排新增资产预算3.00万元",
        "资产负债率0.15%",
    ],
)
def test_each_figure_is_printed_once(text, figure):
    assert text.count(figure) == 1


def test_figures_come_from_the_data_sheets(example_ds):
    ds = copy.deepcopy(example_ds)
    nt = ds.tables["nontax"]
    nt.loc[nt["item"] == "生态环境罚没收入", "budget"] = 3.0
    ds.facts["stated"].update(
        returned_to_treasury=0.2, other_income_pooled=0.5, procurement_budget=30.0, new_asset_budget=4.0
    )
    ctx = _ctx(ds)
    out = text_of(S.tax_and_fees(ctx) + S.budget_preparation(ctx) + S.resource_pooling(ctx) + S.procurement(ctx))
    assert "编制预算3.00万元，实际收入0.20万元。" in out and "编制预算2" not in out
    assert "其他收入0.50万元。" in out and "及时交回财政0.20万元。" in out
    assert "严格落实政府采购程序，采购总预算30.00万元" in out and "安排新增资产预算4.00万元，用于购置" in out


def test_texts_in_other_words_or_blank(example_ds):
    ds = copy.deepcopy(example_ds)
    t = ds.facts["texts"]
    t["nontax_budgeting"] = "我镇按规定编制非税收入预算。"  # a whole sentence: the figures follow as the next one
    t["procurement_management"] = t["procurement_management_after"] = None
    t["resource_pooling"] = t["resource_pooling_after"] = None
    ctx = _ctx(ds)
    out = text_of(S.tax_and_fees(ctx) + S.procurement(ctx) + S.resource_pooling(ctx))
    assert "（1）非税收入预算编制情况。我镇按规定编制非税收入预算。变动幅度在30%及以上的项目是生态环境罚没收入" in out
    assert "2023年，我镇及时足额上缴非税收入25.37万元" in out
    assert "6.政府采购管理情况我镇政府采购总预算25.22万元" in out
    assert "我镇纳入部门预算的预算拨款结转0.00万元、其他收入0.79万元。年度中交回财政0.10万元。" in out
    t["nontax_budgeting"] = None
    out = text_of(S.tax_and_fees(_ctx(ds)))
    assert "（1）非税收入预算编制情况。变动幅度在30%及以上的项目是生态环境罚没收入" in out


def test_continued_joins_text_and_clause():
    """The shared macro: “，” between a text and the generated clause unless the text ends in
    punctuation; a text nothing continues is closed with “。”; every word is kept."""
    tpl = env().from_string('{% from "_text.html.j2" import continued %}{{ continued(ps, clause, label, sep) }}')

    def run(ps, clause, label="", sep="，"):
        return tpl.render(ps=ps, clause=clause, label=label, sep=sep)

    assert run(["甲，乙"], "丙。") == "<p>甲，乙，丙。</p>"
    assert run(["甲。"], "丙。") == "<p>甲。丙。</p>"
    assert run(["在服务器中"], "填报11个。", sep="") == "<p>在服务器中填报11个。</p>"
    assert run(["一段。", "甲，"], "", label="（1）") == "<p>（1）一段。</p><p>甲。</p>"
    assert run([], "丙。", label="（1）") == "<p>（1）丙。</p>"
    assert run([], " ") == ""
    assert run(["<b>x</b>"], "") == "<p>&lt;b&gt;x&lt;/b&gt;。</p>"


def test_special_funds_sentence(text):
    """The unit's texts (专项资金管理, 专项资金管理（续）) around the total and the funds."""
    assert (
        # the first fund as the unit words it (文中写法), the others by name
        "我镇严格管理并及时落实上级专项资金共计101.77万元，其中：2023年省级“三馆一站”免费开放补助资金专项资金0.50万元、"
        "2023年中央补助地方美术馆、公共图书馆文化馆（站）免费开放补助资金3.00万元、"
        "关于下达2023年中央农业防灾减灾和水利救灾资金（防灾减灾第九批）的通知的资金1.00万元、"
        "关于下达2023年中央农业防灾减灾和水利救灾资金（防灾救灾第七批）的通知的资金1.87万元、"
        "预拨2023年中央自然灾害救灾资金5.74万元，"
        "对于分配到村级的关于提前下达2023年中央农村综合改革转移支付预算的通知项目资金89.66万元，"
        "及时完整的向财政部门提供村级专项资金分配及拨款资料，为保证绩效目标顺利实现，"
        "我镇采取了“工作绩效+项目绩效”双绩效管理模式措施，具体措施如下：" in text
    )


def test_special_fund_total_is_the_stated_one(example_ds):
    ds = copy.deepcopy(example_ds)
    ds.totals["special_funds"]["amount"] = 100.0
    out = text_of(S.special_funds(_ctx(ds)))
    assert "共计100.00万元，其中：" in out and "101.77" not in out  # prose and the totals row
    assert "请核实" not in out and "报告所述" not in out and "不一致" not in out
    ds.facts["texts"]["special_funds_management"] = ds.facts["texts"]["special_funds_management_after"] = None
    out = text_of(S.special_funds(_ctx(ds)))
    assert "上级专项资金共计100.00万元，其中：2023年省级" in out
    assert "89.66万元。（1）按规定时间" in out.replace("\n", "")


def test_three_public_budget_as_the_unit_states_it(text, html):
    assert (
        "（2）三公经费预算。2023年我镇安排三公经费14.63万元，其中：公务用车运行维护费12.15万元，"
        "公务接待费2.48万元，会议费0.00万元，培训费0.00万元。" in text
    )
    # table: the stated totals (本年预算, 本年决算, 上年决算, 增减额), no reviewer's note
    assert (
        '<td>合计</td><td class="n">14.63</td><td class="n">4.64</td><td class="n">3.86</td><td class="n">0.78</td>'
        in html
    )
    for word in ("请核实分类", "疑为", "分类错误", "分项决算数未提供", "按合计数绘制"):
        assert word not in text, word


@pytest.mark.parametrize(
    "passage",
    [
        "2023年我镇预算收入1976.56万元，其中：一般公共预算拨款1934.66万元，政府性基金拨款41.75万元，"
        "财政专户收入0.00万元，其他收入0.15万元。预算支出按功能分类包含：一般公共服务支出1369.99万元，",
        # “三保”: the unit's text, then each category with its 落实情况 (三保支出 / 三保明细)
        "2.“三保”支出保障情况我镇2023年严格按照中央、省、市和区委区政府决策部署，足额保障“三保”政策落实。具体情况如下：",
        "（2）保工资安排资金1275.70万元，实际支出1275.70万元，机关事业单位人员工资、保险已按时足额落实；",
        "（3）保运转安排资金102.91万元，实际支出102.92万元，保障单位工作正常运转。",
        "“三馆一站”免费开放资金1.50万元，已足额支付；",
    ],
)
def test_policy_and_budgeting_seed_sentences(text, passage):
    assert passage in text


def test_policy_and_budgeting_blocks_have_no_reviewer_words(text):
    part = text[text.index("1.专项资金管理情况") : text.index("（三）预算执行管理情况")]
    for word in _REVIEWER_WORDS + ("实际支出达到安排资金的", "预算支出合计", "按资金级次：未注明"):
        assert word not in part, word


_REVIEWER_WORDS = (*FILED_REPORT_BANNED,)


@pytest.mark.parametrize("how", ["texts", "blanked", "emptied"])
def test_my_blocks_with_blank_data(example_ds, how):
    """With the texts and stated figures blank (or every cell blank, or no rows), the blocks
    of 二 opening, （一） and （二） print no reviewer word, no dash in prose and no canned claim."""
    from support import blanked, emptied

    if how == "texts":
        ds = copy.deepcopy(example_ds)
        ds.facts["texts"] = dict.fromkeys(ds.facts["texts"])
        ds.facts["stated"] = dict.fromkeys(ds.facts["stated"])
        ds.totals = {}
    else:
        ds = blanked(example_ds) if how == "blanked" else emptied(example_ds)
    ctx = _ctx(ds)
    blocks = [
        S.overview(ctx),
        S.special_funds(ctx),
        S.three_guarantees(ctx),
        S.austerity(ctx),
        S.tax_and_fees(ctx),
        S.budget_system(ctx),
        S.budget_preparation(ctx),
        S.resource_pooling(ctx),
    ]
    out = "".join(blocks)
    t = text_of(out)
    for word in _REVIEWER_WORDS + ("积极履职", "足额保障", "严格按照", "None", "nan", "（金额"):
        assert word not in t, word
    prose = "".join(re.findall(r"<p>(.*?)</p>", out))
    assert "—" not in prose
    if how == "texts":  # the figures still print, computed where nothing is stated
        assert (
            t.count("（1）保基本民生安排资金130.66万元，实际支出134.16万元，包括服务群众专项经费项目资金75.00万元") == 1
        )
        assert "上级专项资金共计101.77万元" in t
        assert "2023年我镇预算收入1976.56万元" in t and "通过自评，我镇管理绩效考核得分为89分" in t
    else:
        assert "<table" not in out and "<img" not in out  # no table or chart of blank rows
        assert any(b.review for b in blocks)


def test_blanks_print_not_provided(html):
    assert "未提供" not in html  # a blank is left out (prose) or “—” (tables)
    assert ">nan<" not in html and "None" not in text_of(html)


def test_charts(html, tmp_path):
    imgs = re.findall(r'<img alt="([^"]*)" src="data:image/png;base64,([^"]+)"', html)
    assert len(imgs) >= 6
    alts = [a for a, _ in imgs]
    for required in (
        "考核各类别得分",
        "“三保”安排资金与实际支出",
        "“三公”经费本年与上年对比",
        "决算支出结构",
        "年初预算数与决算数对比",
    ):
        assert required in alts
    png = base64.b64decode(imgs[0][1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_workbook_text_is_escaped(example_ds):
    ds = copy.deepcopy(example_ds)
    ds.tables["special_funds"].loc[0, "name"] = "<script>alert(1)</script>"
    ds.facts["texts"]["austerity"] = "<b>过紧日子</b>"
    out = render_section(_ctx(ds))
    assert "&lt;script&gt;" in out and "<script>" not in out
    assert "&lt;b&gt;过紧日子&lt;/b&gt;" in out


def test_renders_without_optional_sheets_and_texts(example_ds):
    ds = copy.deepcopy(example_ds)
    for sheet in (
        "special_funds",
        "direct_funds",
        "three_guarantees",
        "three_guarantees_detail",
        "three_public",
        "nontax",
        "fund_types",
    ):
        ds.tables.pop(sheet, None)
        ds.totals.pop(sheet, None)
    ds.facts["texts"] = dict.fromkeys(ds.facts["texts"])
    ds.facts["stated"] = dict.fromkeys(ds.facts["stated"])
    out = text_of(render_section(_ctx(ds)))
    # no sentence about what is missing, and no heading over nothing (#13): every subsection of
    # （一） needs a block left empty here, so （二） follows its heading
    assert "（一）重大政策落实情况，得分11分（二）预算编制管理情况" in out.replace("\n", "")
    # nor under （二）: 制度建设 is left out, and 部门预算编制 (its figures are there) moves up
    assert "（二）预算编制管理情况，得分12分1.部门预算编制情况" in out.replace("\n", "")
    assert "制度建设" not in out
    assert "nan" not in out and "None" not in out
    assert "占比48.14%" in out  # shares fall back to the sum of the 决算 by function


def test_self_reference_is_derived(example_ds):
    """Generated sentences name the unit by ctx.we (我镇 / 我乡 / 我街道 / 我单位)."""
    ds = copy.deepcopy(example_ds)
    ctx = _ctx(ds)
    assert ctx.we == "我镇" and "通过自评，我镇管理绩效考核得分为91分" in text_of(S.overview(ctx))
    for name, word in (("某县某某乡人民政府", "我乡"), ("某区某某街道办事处", "我街道"), ("某县财政局", "我单位")):
        ds.facts["unit"]["name"] = name
        assert ctx.we == word
        assert f"通过自评，{word}管理绩效考核得分为91分" in text_of(S.overview(ctx))
        assert f"具体情况是{word}2023年生态环境罚没收入" in text_of(S.tax_and_fees(ctx))
    assert S.county_authority(ctx) == "区委区政府"


# -- the notebook ------------------------------------------------------------------------------
def test_notebook_is_thin_and_clean():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code[0]["metadata"].get("tags") == ["parameters"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    assert 'section="02"' in "".join(code[1]["source"])


@pytest.mark.slow
def test_notebook_executes(tmp_path):
    from jixiao.report.execute import execute_sections

    results = execute_sections([("二（一至三）", NOTEBOOK)], tmp_path, {"params_path": str(EXAMPLE_PARAMS)})
    assert [r.status for r in results] == ["ok"]
    out = json.loads((tmp_path / NOTEBOOK.name).read_text(encoding="utf-8"))
    html = "".join(
        "".join(o.get("data", {}).get("text/html", ""))
        for c in out["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
    )
    assert "我镇管理绩效考核得分为91分，换算得分98.91分" in html and html.count("<img") >= 6
    assert not any(
        o.get("output_type") == "stream" and o.get("name") == "stderr"
        for c in out["cells"]
        for o in c.get("outputs", [])
    )


def test_an_empty_subsection_is_left_out_and_the_reviewer_told(example_ds):
    """二（二）: a subsection the unit gives nothing for has no heading, the ones after it move
    up, and the review names what was not given (#13)."""
    ds = copy.deepcopy(example_ds)
    ds.facts["texts"]["budget_rules"] = None
    ctx = _ctx(ds)
    rules = S.budget_system(ctx)
    assert rules == ""
    assert rules.review == ("文字说明“制度建设”未填写，报送版略去“制度建设情况”，后续编号顺延。",)
    assert text_of(S.budget_preparation(ctx)).startswith("1.部门预算编制情况我镇规范完整编制部门预算")
    assert text_of(S.resource_pooling(ctx)).startswith("2.各类资源统筹管理情况")

    # no 年初预算 at all: 2.部门预算编制 goes, 3.资源统筹 becomes 2.
    ds = copy.deepcopy(example_ds)
    ds.tables.pop("budget_revenue")
    ds.totals.pop("budget_revenue", None)
    for sheet, col in (("functions", "budget"), ("three_public", "budget"), ("nontax", "budget")):
        ds.tables[sheet][col] = None
        ds.totals.get(sheet, {}).pop(col, None)
    ds.facts["stated"]["new_asset_budget"] = None
    ds.facts["texts"]["budget_preparation"] = ds.facts["texts"]["procurement_budgeting"] = None
    ctx = _ctx(ds)
    assert text_of(S.budget_system(ctx)).startswith("1.制度建设情况")
    preparation = S.budget_preparation(ctx)
    assert preparation == ""
    assert preparation.review[-1].startswith("预算收入表、支出功能分类表的预算数、三公经费表与非税收入表的预算数")
    assert preparation.review[-1].endswith("未填写，报送版略去“部门预算编制情况”，后续编号顺延。")
    assert text_of(S.resource_pooling(ctx)).startswith("2.各类资源统筹管理情况")
