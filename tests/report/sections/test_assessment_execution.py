"""二（三）预算执行管理 (assessment/execution.py) as the unit's own report: the seed's sentences,
the figures as stated, no reviewer or tool words, and sensible fallbacks for blank data."""

from __future__ import annotations

import copy
import re

import pytest

from jixiao.params import load_params
from jixiao.report.context import ReportContext
from jixiao.report.sections import assessment as S
from jixiao.workbook.load import load_workbook
from jixiao.workbook.template import write_workbook

from support import EXAMPLE_PARAMS, FILED_REPORT_BANNED, blanked, emptied, minimal_township

BLOCKS = (
    S.execution_supervision,
    S.final_accounts,
    S.financial_report,
    S.procurement,
    S.direct_funds,
    S.township_final_accounts,
)

#: Reviewer and tool words that never appear in the filed report (issue #12).
BANNED = (
    *FILED_REPORT_BANNED,
    "“项目”表",
    "专项资金表",
    "按项目名称对应",
    "按名称对应",
    "config/",
    "None",
    "nan",
    "÷预算",
)

FUND7 = "关于下达2023年中央农业防灾减灾和水利救灾资金（防灾救灾第七批）的通知"
FUND9 = "关于下达2023年中央农业防灾减灾和水利救灾资金（防灾减灾第九批）的通知"
FUND_SPLIT = "预拨2023年中央自然灾害救灾资金"


def _ctx(ds) -> ReportContext:
    return ReportContext(params=load_params(EXAMPLE_PARAMS), ds=ds, section="02")


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", re.sub(r"<img[^>]*>", "", html))


def rows_of(html: str, caption: str) -> list[list[str]]:
    """The cells of the table whose caption contains ``caption`` (header row first)."""
    table = next(t for t in re.findall(r"<table.*?</table>", html, re.S) if caption in t)
    return [
        [text_of(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr, re.S)]
        for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    ]


def assert_clean(html: str) -> None:
    out = text_of(html)
    found = [w for w in BANNED if w in out]
    assert not found, found
    assert "—万元" not in out and "—人" not in out and "—%" not in out
    assert not re.search(r"[，、]。|。，|，，", out)


@pytest.fixture(scope="module")
def blocks(example_ds) -> dict:
    ctx = _ctx(example_ds)
    return {fn.__name__: fn(ctx) for fn in BLOCKS}


@pytest.fixture(scope="module")
def text(blocks) -> str:
    return text_of("".join(blocks.values()))


# -- the example ----------------------------------------------------------------------------------
def test_example_has_no_reviewer_or_tool_words(blocks):
    for b in blocks.values():
        assert_clean(b)


@pytest.mark.parametrize(
    "sentence",
    [
        "我部门（乡镇）决算编报收支真实、数据准确、内容完整、报送及时，符合法律、行政法规规定。"
        "2023年我镇决算收入2607.15万元，其中：财政拨款收入2607.15万元，其他收入0.00万元。",
        "2022年底，我镇资产总额7054.63万元，其中货币资金11.67万元，其他应收款净额0.00万元，"
        "固定资产净值135.48万元，公共基础设施净值6907.48万元。",
        # the seed says 我单位 here; the report names the unit one way (ctx.we)
        "负债总额10.88万元，其中其他应付款10.88万元，占比100.00%，不存在其他的短期和长期负债。",
        # the ratios as the unit states them (填报数据), in the seed's words
        "我镇资产流动性较好，偿债能力强，资产负债率0.15%、现金比率为107.27%、流动比率为107.27%、"
        "固定资产成新率为33.96%，故不存在当期财务风险和中长期财务风险，财务风险在可控范围内。",
        "采购总预算25.22万元，采购合同总金额25.22万元，中小企业合同总金额25.22万元，占合同总金额的比例为100.00%，"
        "其中小微企业合同总金额25.22万元，占中小企业合同总金额的比例为100.00%。"
        "脱贫地区农副产品采购平台预留金额0.13万元，实际采购金额0.20万元，完成比例为153.85%。",
        f"我镇{FUND7}项目是直达资金，该项目主要用于购买村民复合肥，按照政策要求，在2023年10月23日支出，"
        "已落实到村民，支出进度达到100.00%。",
        f"{FUND9}项目是直达资金，该项目主要用于购买村民复合肥，按照政策要求，在2023年10月31日支出，"
        "已落实到村民，支出进度达到100.00%。",
        # the fund paid in two tranches: one sentence with both dates, each tranche as the unit words it
        f"{FUND_SPLIT}是直达资金，该项目主要用于防汛抢险救灾物资及因灾倒损住房恢复重建，按照政策要求，"
        "抢险救灾物资在2023年9月14日支出，因灾倒损住房恢复重建救助资金在2023年11月14日支出，"
        "支出进度达到100.00%，已落实到村民。",
        "我镇财政供养人数93人，财政所人数6人，总人口39050人，行政村15个。"
        "我镇收入总计2607.15万元，其中一般公共预算收入1921.79万元，政府性基金收入685.36万元；支出总计2607.15万元，收支平衡。",
    ],
)
def test_seed_sentences(text, sentence):
    assert sentence in text


def test_direct_funds_are_not_given_an_amount_in_prose(text):
    assert "资金1.87万元" not in text and "资金5.74万元" not in text


def test_final_accounts_table_has_no_execution_ratio(blocks):
    b = blocks["final_accounts"]
    rows = rows_of(b, "决算支出（按功能分类）")
    assert rows[0] == ["功能分类编码", "科目名称", "年初预算数（万元）", "决算数（万元）", "决算占比"]
    assert ["212", "城乡社区支出", "41.75", "685.36", "26.29%"] in rows
    assert "1641.58%" not in b
    assert "决算占比 = 决算数 ÷ 决算收入合计。" in text_of(b)
    assert any("年初预算" in r and "执行率" in r for r in b.review)


def test_stated_share_is_printed_as_stated(example_ds):
    ds = copy.deepcopy(example_ds)
    ds.tables["functions"].loc[0, "final_share"] = 50.0  # the unit states a share the data do not give
    ds.tables["functions"].loc[1, "final_share"] = None  # no stated share: computed
    b = S.final_accounts(_ctx(ds))
    out = text_of(b)
    assert "一般公共服务支出1255.13万元，占比50.00%；公共安全支出0.90万元，占比0.03%；" in out
    assert ["201", "一般公共服务支出", "1369.99", "1255.13", "50.00%"] in rows_of(b, "决算支出")
    assert_clean(b)


def test_financial_table_shows_one_value_per_ratio(blocks):
    rows = rows_of(blocks["financial_report"], "财务指标")
    assert rows[0] == ["指标", "计算公式", "数值"]
    assert ["现金比率", "货币资金 ÷ 流动负债", "107.27%"] in rows
    assert ["固定资产成新率", "固定资产净值 ÷ 固定资产原值", "33.96%"] in rows


def test_procurement_table_has_one_ratio_column(blocks):
    rows = rows_of(blocks["procurement"], "政府采购情况")
    assert rows[0] == ["项目", "金额（万元）", "比例口径", "比例"]
    assert ["脱贫地区农副产品实际采购金额", "0.20", "完成比例（占预留金额）", "153.85%"] in rows


def test_direct_funds_table_has_one_row_per_fund(blocks):
    b = blocks["direct_funds"]
    rows = rows_of(b, "直达资金支出情况")
    assert rows[0] == ["序号", "项目名称", "资金金额（万元）", "用途", "支出日期", "支出进度", "落实情况"]
    assert len(rows) == 4
    split = [r for r in rows if r[1] == FUND_SPLIT]
    assert split == [
        [
            "3",
            FUND_SPLIT,
            "5.74",
            "防汛抢险救灾物资及因灾倒损住房恢复重建",
            "2023年9月14日（防汛抢险救灾物资）；2023年11月14日（因灾倒损住房恢复重建）",
            "100.00%",
            "已落实到村民",
        ]
    ]
    assert text_of(b).count("5.74") == 1


def test_township_final_shows_the_final_accounts_alone(blocks):
    b = blocks["township_final_accounts"]
    rows = rows_of(b, "乡镇财政总决算")
    assert rows[0] == ["资金性质", "收入（万元）", "支出（万元）"]
    assert rows[-1] == ["合计", "2607.15", "2607.15"]
    assert "年初预算" not in text_of(b) and "1976.56" not in b


# -- blank data -----------------------------------------------------------------------------------
def test_stated_ratios_blank_fall_back_to_computed(example_ds):
    ds = copy.deepcopy(example_ds)
    for k in ("debt_ratio", "cash_ratio", "current_ratio", "fixed_asset_newness", "other_payables_share"):
        ds.facts["stated"][k] = None
    b = S.financial_report(_ctx(ds))
    out = text_of(b)
    # computed from the balance sheet; 成新率 is neither stated nor computable (no 原值): left out
    assert "偿债能力强，资产负债率0.15%、现金比率为107.26%、流动比率为107.26%，故不存在当期财务风险" in out
    assert "成新率" not in out
    assert "其他应付款10.88万元，占比100.00%，不存在其他的短期和长期负债。" in out
    assert any("固定资产成新率" in r for r in b.review)
    assert_clean(b)


def test_procurement_shares_blank_fall_back_to_computed(example_ds):
    ds = copy.deepcopy(example_ds)
    ds.facts["stated"].update(sme_share=None, micro_share=None, poverty_ratio=None, poverty_bought=None)
    b = S.procurement(_ctx(ds))
    out = text_of(b)
    assert "占合同总金额的比例为100.00%，其中小微企业合同总金额25.22万元，占中小企业合同总金额的比例为100.00%。" in out
    assert "脱贫地区农副产品采购平台预留金额0.13万元。" in out and "完成比例" not in out
    assert_clean(b)


def test_direct_funds_without_status_and_one_tranche(example_ds):
    ds = copy.deepcopy(example_ds)
    df = ds.tables["direct_funds"]
    df["status"] = None
    ds.tables["direct_funds"] = df[df["purpose"] != "因灾倒损住房恢复重建"].copy()
    b = S.direct_funds(_ctx(ds))
    out = text_of(b)
    assert "已落实" not in out
    assert (
        f"{FUND_SPLIT}是直达资金，该项目主要用于防汛抢险救灾物资，按照政策要求，在2023年9月14日支出，支出进度达到100.00%。"
        in out
    )
    rows = rows_of(b, "直达资金支出情况")
    assert "落实情况" not in rows[0]  # a column with no figure is left out
    assert ["3", FUND_SPLIT, "5.74", "防汛抢险救灾物资", "2023年9月14日", "100.00%"] in rows
    assert_clean(b)


def test_direct_funds_tranches_that_differ(example_ds):
    ds = copy.deepcopy(example_ds)
    df = ds.tables["direct_funds"]
    last = df.index[-1]
    df.loc[last, "progress"] = 80.0
    df.loc[last, "status"] = None
    df["wording"] = None  # without the unit's wording, each tranche by its purpose
    out = text_of(S.direct_funds(_ctx(ds)))
    assert (
        "用于防汛抢险救灾物资的资金在2023年9月14日支出，已落实到村民，支出进度达到100.00%，"
        "用于因灾倒损住房恢复重建的资金在2023年11月14日支出，支出进度达到80.00%。"
    ) in out


def test_township_final_without_stated_totals(example_ds):
    ds = copy.deepcopy(example_ds)
    ds.totals["fund_types"] = dict.fromkeys(ds.totals["fund_types"])
    b = S.township_final_accounts(_ctx(ds))
    out = text_of(b)
    assert "我镇一般公共预算收入1921.79万元，政府性基金收入685.36万元。" in out
    prose = text_of(re.search(r"<p>.*?</p>", b).group(0))
    assert "收支平衡" not in prose and "总计" not in prose
    assert rows_of(b, "乡镇财政总决算")[-1] == ["合计", "2607.15"]  # the table sums the detail
    assert_clean(b)


@pytest.mark.parametrize("make", [blanked, emptied], ids=["blanked", "emptied"])
def test_blank_data_prints_nothing_it_does_not_have(example_ds, make):
    ds = make(example_ds)
    ctx = _ctx(ds)
    for fn in BLOCKS:
        b = fn(ctx)
        assert_clean(b)
        assert "万元" not in text_of(b) and "<table" not in b and "<img" not in b, fn.__name__
    assert any("未填写" in r for r in S.execution_supervision(ctx).review)
    assert S.direct_funds(ctx).review and S.procurement(ctx).review


def test_minimal_township(tmp_path):
    path = write_workbook(tmp_path / "min.xlsx", minimal_township())
    ctx = _ctx(load_workbook(path, year=2024))
    out = "".join(fn(ctx) for fn in BLOCKS)
    assert_clean(out)
    # a subsection with nothing to say is left out, and the numbers run on (#13): the minimal
    # township has texts for none of 1–3, no 直达资金, no 政府采购 and no 总决算
    assert "1.部门决算管理情况" in out
    for h in ("预算执行监督情况", "政府采购管理情况", "直达资金管理等工作情况", "乡镇财政总决算管理情况"):
        assert h not in out
