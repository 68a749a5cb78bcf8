"""二、部门绩效考核自评情况（四）–（八）: the seed's figures, computed from the example workbook."""

from __future__ import annotations

import base64
import copy
import json
import re

import pytest

from jixiao.params import load_params
from jixiao.report.context import ReportContext
from jixiao.report.sections import performance as S

from support import EXAMPLE_PARAMS, FILED_REPORT_BANNED, ROOT

NOTEBOOK = ROOT / "notebooks" / "03_performance.ipynb"


@pytest.fixture(scope="module")
def params():
    return load_params(EXAMPLE_PARAMS)


@pytest.fixture
def ctx(example_ds, params):
    return ReportContext(params=params, ds=example_ds, section="03")


def text(html: str) -> str:
    """The HTML without tags and embedded images (for matching prose)."""
    return re.sub(r"<[^>]+>", "", re.sub(r'src="data:[^"]+"', "", html))


BLOCKS = (
    "routine_work",
    "ex_ante",
    "goal_management",
    "monitoring",
    "evaluation",
    "asset_reporting",
    "balance_sheet",
    "fixed_asset_stock",
    "physical_assets",
    "construction_in_progress",
    "fixed_asset_additions",
    "asset_management",
    "transparency",
    "informatization",
    "deductions",
)

#: What the filed report never says: the reviewer's words and the tool's (common brief of issue #12).
BANNED = (
    *FILED_REPORT_BANNED,
    "“监控情况”表",
    "“项目”表",
    "推算",
    "成新率",
)


def every_block(c) -> str:
    return "".join(getattr(S, name)(c) for name in BLOCKS)


def prose(html: str) -> str:
    """The text outside tables and their notes (where a blank figure may print “—”)."""
    return text(re.sub(r'<table.*?</table>|<p class="table-note">.*?</p>', "", html, flags=re.S))


def test_headings_carry_the_category_points(ctx):
    assert text(S.category_heading(ctx, "预算绩效管理")) == "（四）预算绩效管理情况，得分21.5分"
    assert text(S.category_heading(ctx, "资产管理")) == "（五）资产管理情况，得分4.5分"
    assert "<h2" in S.category_heading(ctx, "资产管理")
    assert text(S.transparency(ctx)).startswith("（六）预算透明度情况，得分7分")
    assert text(S.informatization(ctx)).startswith("（七）预算信息化情况，得分10分")
    assert text(S.deductions(ctx)).startswith("（八）存在问题，扣分0分")


def test_routine_work_and_ex_ante(ctx):
    t = text(S.routine_work(ctx))
    assert "1.日常工作保障落实情况" in t and "（1）通知落实情况" in t and "（3）重点工作落实情况。我乡积极落实" in t
    assert "②项目完工后由各级主管部门验收" in t
    t = text(S.ex_ante(ctx))
    # the seed's words (事前绩效评估 / （续） / 本年事前评估范围) around the counts from 填报数据
    assert (
        "在申报2024年预算项目时，认真按照绩效管理要求进行事前评估，并在EXCEL服务器中填报11个预算项目事前绩效评估表，"
        "对每个项目的项目概况、政策依据、迫切需求、实施可行性、投入经济性、目标合理性进行认真填写，"
        "并对申报的所有项目进行分项成本测算，确保预算金额准确合理。2023年共完成39个项目的事前绩效评估（含追加）。"
    ) in t
    assert t.count("11个") == 1 and t.count("39个") == 1


def test_monitoring(ctx):
    html = S.monitoring(ctx)
    t = text(html)
    assert (
        "（1）注重日常监控。我镇按时在数字财政系统中填报《项目分月支出进度表》和《预算绩效运行监控表》，"
        "每月对所有项目逐条监控，对实际支出进度与分月支出计划差异率大的项目逐项分析说明。2023年，项目整体支出进度是97.47%"
    ) in t
    assert (
        "（2）做好监控分析。我部门（乡镇）开展2023年1-6月份预算绩效运行监控分析工作，"
        "对整体绩效目标、预算项目绩效目标进行全面分析，绩效目标实现程度达到50%的项目有21个"
    ) in t
    assert (
        "2023年，项目整体支出进度是97.47%，其中华龙占地补偿、环村林带建设补偿资金、"
        "华龙路晨阳大街景观改造项目（三标段）占地补偿、选任专职人民调解员经费、"
        "提前下达2023年省级林业改革发展补助资金差异率较大，差异原因是："
    ) in t
    # (1): the reason shared by three projects, then the single projects' reasons together
    assert (
        "①华龙占地补偿、环村林带建设补偿资金、华龙路晨阳大街景观改造项目（三标段）占地补偿三个项目全部为政府性基金项目，"
        "由于财政资金管控，没有支出。②选任专职人民调解员经费因接收到的案件较少，支出少，"
        "提前下达2023年省级林业改革发展补助资金没有达到支付条件，没有支出。（2）做好监控分析。"
    ) in re.sub(r"\s+", "", t)
    assert ("绩效目标实现程度达到50%的项目有21个，绩效目标实现程度在30%以下的项目有5个，工作未开展的项目有0个") in t
    assert (
        "实现绩效目标的项目有31个，涉及资金1104.30万元；未完成绩效目标的项目有8个，涉及资金73.44万元，主要原因是：" in t
    )
    # (2): the seed's ② and ③ word for word (its ① drops the names the data's reason gives)
    assert (
        "②纪检保障经费、大气污染防治经费（运转保障）、乡村振兴驻村工作队经费（运转保障）三个项目资金因上级财力紧张，"
        "项目部分资金财政局收回。③选任专职人民调解员经费因接收到的案件较少，支出少，"
        "提前下达2023年省级林业改革发展补助资金没有达到支付条件，没有支出。"
    ) in re.sub(r"\s+", "", t)
    assert "④" not in t
    assert t.count("97.47%") == 1 and t.count("1104.30") == 1 and t.count("21个") == 1  # each figure once
    # the table of monitored projects: the 监控情况 sheet only (no comparison with the project table)
    assert "绩效监控项目情况" in html and html.count("<tr>") == 9
    assert "完成状态" not in t and "table-note" not in html
    # the checker's 4-vs-8 finding is the review's, not the report's
    assert "核对提示" not in t and "只有4个" not in t and "请核实" not in t


def test_evaluation(ctx):
    t = text(S.evaluation(ctx))
    assert (
        "（1）自评情况。按照财政部门要求，开展2022年度财政资金部门绩效自评工作，通过一体化系统填报预算项目绩效目标的完成信息，"
        "确认各项绩效指标实际完成值和实现程度，并与年初设定的预期值相比较，逐项评定每项指标得分，"
        "我镇2022年共自评38个项目，其中，满分的项目有27个，95分以上的项目有0个，"
        "90分-95分的项目有0个，90分以下的项目有11个。"
    ) in t
    assert t.count("38个") == 1
    assert "对东史端镇南胡渠村道路改造工程项目进行了重点评价" in t and "7205m2" in t
    assert ("经综合评价，东史端镇南胡渠村道路改造工程绩效评价综合得分97.9分，评价等级为“优”。") in t
    assert "核对提示" not in t


def test_key_evaluation_grade_is_printed_as_stated(example_ds, params):
    ds = copy.deepcopy(example_ds)
    ds.facts["stated"]["key_project_grade"] = "良"
    t = text(S.evaluation(ReportContext(params=params, ds=ds, section="03")))
    assert "评价等级为“良”" in t and "“优”" not in t  # the checker reports the mismatch
    ds.facts["stated"]["key_project_grade"] = None
    t = text(S.evaluation(ReportContext(params=params, ds=ds, section="03")))
    assert "评价等级为“优”" in t  # none stated: the grade of the score


def test_key_project_report_link(example_ds, params, monkeypatch):
    import jixiao.keyproject

    link = {"name": "东史端镇南胡渠村道路改造工程", "score": 97.9, "grade": "优", "href": "k/report.html"}
    link.update(sample=False, params="k.yaml", stated_score=97.9, stated_grade="优")
    monkeypatch.setattr(jixiao.keyproject, "key_project_links", lambda *a: [link])
    c = ReportContext(params=params, ds=example_ds, section="03")
    html = S.evaluation(c)
    assert '重点评价报告见附件《<a href="k/report.html">东史端镇南胡渠村道路改造工程绩效评价报告</a>》。' in html
    assert html.review == ()
    monkeypatch.setattr(jixiao.keyproject, "key_project_links", lambda *a: [{**link, "sample": True}])
    html = S.evaluation(c)
    assert "k/report.html" not in html and "重点评价报告见" not in html  # sample data is not the unit's
    assert html.review == ("重点评价报告（东史端镇南胡渠村道路改造工程）为示例数据，报送版未引用。",)


def test_balance_sheet_changes_and_chart(ctx):
    html = S.balance_sheet(ctx)
    t = text(html)
    assert (
        "截至2023年12月31日，我单位资产总额（账面净值，下同）7038.18万元，较上年减少0.23%。"
        "负债总额9.58万元，较上年减少11.95%。净资产7028.60万元，较上年减少0.22%。"
    ) in t
    assert "-0.23%" in t and "-11.95%" in t and "7043.75" in t  # table, derived previous net assets
    notes = re.findall(r'<p class="table-note">(.*?)</p>', html)
    assert notes == ["上年末净资产为资产总额减负债总额。"]
    assert "推算" not in t and "工作簿" not in t
    assert html.review == ("上年末净资产未填，按资产总额减负债总额列示。",)
    assert "<img" in html and "资产负债变动情况" in t


def test_stated_change_rates_are_printed(example_ds, params):
    ds = copy.deepcopy(example_ds)
    bs = ds.tables["balance_sheet"]
    bs.loc[bs["item"] == "负债总额", "change_stated"] = -12.0
    t = text(S.balance_sheet(ReportContext(params=params, ds=ds, section="03")))
    assert "负债总额9.58万元，较上年减少12.00%。" in t and "11.95" not in t
    bs.loc[bs["item"] == "负债总额", "change_stated"] = None
    t = text(S.balance_sheet(ReportContext(params=params, ds=ds, section="03")))
    assert "负债总额9.58万元，较上年减少11.95%。" in t  # none stated: computed


def test_chart_is_a_png(ctx):
    uri = re.search(r'src="data:image/png;base64,([^"]+)"', S.balance_sheet(ctx)).group(1)
    png = base64.b64decode(uri)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_fixed_and_physical_assets(ctx):
    t = text(S.fixed_asset_stock(ctx))
    assert "我单位固定资产426.26万元（账面原值，下同）" in t
    assert (
        "土地、房屋及构筑物111.16万元；设备280.66万元；文物和陈列品0.00万元；图书档案5.83万元；家具、用具28.61万元。"
        in t
    )
    assert "无形资产0.00万元" in t and "合计426.26" in t
    notes = re.findall(r'<p class="table-note">(.*?)</p>', S.fixed_asset_stock(ctx))
    assert notes == ["表中“—”表示无相应数据。"]  # 特种动植物 is blank; ctx.table says what “—” means
    t = text(S.physical_assets(ctx))
    assert "土地账面面积6600.00平方米，账面原值0.00万元，账面净值0.00万元" in t
    assert "在用6600.00平方米，出租出借0.00平方米，闲置0.00平方米，待处置0.00平方米。本年度新增0.00平方米" in t
    # the seed's sentence: the net value alone is the 账面价值
    assert (
        "（4）房屋情况。截至2023年12月31日，我单位房屋账面面积2351.33平方米，账面价值73.86万元，"
        "其中，办公用房面积2351.33平方米；其他用房面积0.00平方米。"
    ) in t
    assert "账面原值未提供" not in t and t.count("账面价值") == 1
    # the seed's sentence, without a 成新率 the unit did not state
    assert "（5）车辆情况。截至2023年12月31日，我单位车辆账面数量4辆，账面原值70.42万元，账面净值29.32万元。" in t
    assert "成新率" not in t and "41.64" not in t
    assert "在用4辆，闲置0辆，待处置0辆" in t


def test_building_with_both_values(example_ds, params):
    ds = copy.deepcopy(example_ds)
    pa = ds.tables["physical_assets"]
    pa.loc[pa["kind"] == "房屋", "original_value"] = 120.0
    t = text(S.physical_assets(ReportContext(params=params, ds=ds, section="03")))
    assert "房屋账面面积2351.33平方米，账面原值120.00万元，账面净值73.86万元，其中" in t
    assert "账面价值" not in t


def test_construction_and_additions_as_stated(ctx):
    """The date and the additions as the unit states them; the checker's findings on them
    (date of another year, additions equal to the stock) are the review's."""
    t = text(S.construction_in_progress(ctx)).strip()
    assert t == "（6）在建工程情况。截至2022年12月31日，我单位无在建工程。"
    t = text(S.fixed_asset_additions(ctx))
    assert (
        "（7）固定和无形资产配置情况。2023年度，我单位配置固定资产426.26万元（账面原值，下同）。从资产类别分析，"
        "配置土地、房屋及构筑物111.16万元；配置设备280.66万元；配置文物和陈列品0.00万元；配置图书档案5.83万元；"
        "配置家具、用具28.61万元；配置特种动植物0.00万元。我镇配置无形资产0.00万元。"
    ) == t.strip()
    assert "核对提示" not in t and "完全相同" not in t


def test_additions_follow_the_data(example_ds, params):
    ds = copy.deepcopy(example_ds)
    fa = ds.tables["fixed_assets"]
    fa.loc[fa["category"] == "设备", "added"] = 3.0
    ds.totals["fixed_assets"]["added"] = float(fa["added"].sum())
    c = ReportContext(params=params, ds=ds, section="03")
    assert "配置设备3.00万元" in text(S.fixed_asset_additions(c))


def test_texts(ctx):
    t = text(S.asset_reporting(ctx))
    assert "我镇每月及时报送国有资产月报" in t and "2023年，国有资产情况如下：" in t
    html = S.asset_management(ctx)
    assert html.count("<p>") == 3  # one paragraph per line of the text
    assert "徐水区政府门户网站" in text(S.transparency(ctx))


def test_workbook_text_is_escaped(example_ds, params):
    ds = copy.deepcopy(example_ds)
    ds.tables["monitoring"].loc[0, "reason"] = "<b>x</b>"
    ds.facts["texts"]["transparency"] = "<script>alert(1)</script>"
    c = ReportContext(params=params, ds=ds, section="03")
    html = S.monitoring(c)
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    t = S.transparency(c)
    assert "&lt;script&gt;" in t and "<script>" not in t


def test_no_reviewer_or_tool_words(ctx):
    html = every_block(ctx)
    t = text(html)
    for word in BANNED:
        assert word not in t, word
    assert "—" not in prose(html)
    assert 'class="finding' not in html and 'class="missing' not in html


def test_blank_figures_leave_their_clause_out(example_ds, params):
    ds = copy.deepcopy(example_ds)
    for k in ("execution_rate", "achieved_amount", "key_project_score", "cip_amount", "midyear_under_30"):
        ds.facts["stated"][k] = None
    for k in ("ex_ante_count", "last_eval_95", "intangible_stock"):
        ds.facts["stated"][k] = None
    ds.facts["texts"]["informatization"] = None
    c = ReportContext(params=params, ds=ds, section="03")
    t = text(S.monitoring(c))
    assert "项目整体支出进度" not in t
    assert "2023年，华龙占地补偿、环村林带建设补偿资金" in t
    assert "绩效目标实现程度达到50%的项目有21个，工作未开展的项目有0个。" in t
    assert "截至12月份，实现绩效目标的项目有31个；未完成绩效目标的项目有8个，涉及资金73.44万元，主要原因是：" in t
    assert "2023年共完成" not in text(S.ex_ante(c)) and "填报11个预算项目" in text(S.ex_ante(c))
    assert S.ex_ante(c).review == ("事前绩效评估：2023年完成事前绩效评估的项目数未填，该句未列示。",)
    t = text(S.evaluation(c))
    assert "满分的项目有27个，90分-95分的项目有0个" in t
    assert "综合得分" not in t and "经综合评价，东史端镇南胡渠村道路改造工程评价等级为“优”。" in t
    assert str(S.construction_in_progress(c)) == ""
    assert S.construction_in_progress(c).review == ("在建工程金额未填，（6）在建工程情况未列示。",)
    assert "无形资产0.00万元" not in text(S.fixed_asset_stock(c)) and "28.61万元。" in text(S.fixed_asset_stock(c))
    assert text(S.informatization(c)).strip() == "（七）预算信息化情况，得分10分"
    html = every_block(c)
    assert "未提供" not in html and "—" not in prose(html)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("保定市徐水区东史端镇人民政府", "我镇"),
        ("某县某某乡人民政府", "我乡"),
        ("某区某某街道办事处", "我街道"),
        ("某县财政局", "我单位"),
    ],
)
def test_self_reference_is_ctx_we(example_ds, params, name, expected):
    ds = copy.deepcopy(example_ds)
    ds.facts["unit"]["name"] = name
    c = ReportContext(params=params, ds=ds, section="03")
    assert c.we == expected
    assert f"{expected}2022年共自评38个项目" in text(S.evaluation(c))
    assert f"{expected}配置无形资产0.00万元" in text(S.fixed_asset_additions(c))


def test_figures_come_from_the_data_sheets(example_ds, params):
    ds = copy.deepcopy(example_ds)
    ds.facts["stated"].update(ex_ante_next_year=12, ex_ante_count=40, midyear_over_50=20, last_eval_count=37)
    c = ReportContext(params=params, ds=ds, section="03")
    t = text(S.ex_ante(c) + S.monitoring(c) + S.evaluation(c))
    assert (
        "并在EXCEL服务器中填报12个预算项目事前绩效评估表" in t and "2023年共完成40个项目的事前绩效评估（含追加）" in t
    )
    assert "进行全面分析，绩效目标实现程度达到50%的项目有20个" in t and "我镇2022年共自评37个项目" in t
    assert "11个预算项目" not in t and "21个" not in t


def test_blank_texts_print_the_figures_only(example_ds, params):
    ds = copy.deepcopy(example_ds)
    for k in ("ex_ante", "ex_ante_after", "ex_ante_scope", "monitoring_routine", "monitoring_analysis", "self_eval"):
        ds.facts["texts"][k] = None
    c = ReportContext(params=params, ds=ds, section="03")
    t = text(S.ex_ante(c) + S.monitoring(c) + S.evaluation(c))
    assert "在申报2024年预算项目时，填报11个预算项目事前绩效评估表。2023年共完成39个项目的事前绩效评估。" in t
    assert "（1）注重日常监控。2023年，项目整体支出进度是97.47%" in t
    assert "（2）做好监控分析。2023年1-6月份，绩效目标实现程度达到50%的项目有21个" in t
    assert "（1）自评情况。我镇2022年共自评38个项目" in t


def test_notebook_calls_every_public_block():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    src = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    for fn in (
        "routine_work",
        "ex_ante",
        "goal_management",
        "monitoring",
        "evaluation",
        "asset_reporting",
        "balance_sheet",
        "fixed_asset_stock",
        "physical_assets",
        "construction_in_progress",
        "fixed_asset_additions",
        "asset_management",
        "transparency",
        "informatization",
        "deductions",
    ):
        assert f"S.{fn}(ctx)" in src
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")


@pytest.mark.slow
def test_notebook_executes(tmp_path):
    from jixiao.report.execute import execute_sections

    res = execute_sections([("03", NOTEBOOK)], tmp_path, {"params_path": str(EXAMPLE_PARAMS)})
    assert [r.status for r in res] == ["ok"]
    nb = json.loads((tmp_path / NOTEBOOK.name).read_text(encoding="utf-8"))
    html = "".join(
        "".join(o.get("data", {}).get("text/html", ""))
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
    )
    assert "（四）预算绩效管理情况，得分21.5分" in html and "（八）存在问题，扣分0分" in html
    assert "<img" in html and "账面价值73.86万元" in html and "1104.30万元" in html
    assert "核对提示" not in html and "未提供" not in html
