"""五、改进措施及相关建议 (jixiao.report.sections.measures): the unit's own measures in the filed
report; which problem each answers (:func:`correspondence`) as data for the review."""

from __future__ import annotations

import copy
import html as H
import re

import pytest

from jixiao.params import load_params
from jixiao.report.context import ReportContext
from jixiao.report.sections import measures as M
from jixiao.report.sections import problems as S

from support import EXAMPLE_PARAMS, FILED_REPORT_BANNED, SEED

# 五 of the seed, every sentence: the summary (改进措施总述) and the four measures as the unit words them.
SEED_SUMMARY = (
    "通过对一般预算项目进行绩效自评，认真总结2023年预算项目在实施过程中存在的问题和差距。针对存在问题制定如下整改措施："
)
SEED_MEASURES = [
    "（一）加强对电子票据的管理。按规定使用、核销财政电子票据，按要求及时核销电子票据。",
    "（二）加强预算执行的计划性，提高项目资金支出度的均衡程度。",
    "（三）是加强项目预算资金支出的监督工作，确保资金按要求使用。",
    "（四）是加强项目资金和绩效目标的动态管理。通过有效的措施，在以后的工作中便于合理调度专项资金，提高项目资金的使用效益。",
]
NOT_IN_REPORT = (
    *FILED_REPORT_BANNED,
    "A1",
    "P1",
    "数据分析",
    "针对问题",
    "未指明对应问题",
    "重新运行",
    "recommendations.yaml",
    "报告未",
    "建议",
    "对应表",
    "“改进措施”表",
)


def visible(block: str) -> list[str]:
    """The paragraphs a reader sees."""
    text = H.unescape(re.sub(r"<[^>]+>", "\n", block))
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.fixture
def ctx(example_ds):
    return ReportContext(params=load_params(EXAMPLE_PARAMS), ds=example_ds, section="06")


def test_the_seed_sentences_are_in_the_seed():
    seed = SEED.read_text(encoding="utf-8")
    assert SEED_SUMMARY in seed
    assert all(m in seed for m in SEED_MEASURES)


def test_section_five_is_the_units_summary_and_measures_only(ctx):
    html = M.measures(ctx)
    assert visible(html) == [SEED_SUMMARY, *SEED_MEASURES]
    for word in NOT_IN_REPORT:
        assert word not in html, word
    assert not html.review


def test_the_block_functions_of_the_review_are_gone():
    for name in ("recommendation_block", "correspondence_table", "correspondence_frame"):
        assert not hasattr(M, name), name


def test_no_measures_prints_the_summary_only(ctx):
    ds = copy.deepcopy(ctx.ds)
    ds.tables["measures"] = ds.measures.iloc[0:0]
    c = ReportContext(params=ctx.params, ds=ds, section="06")
    block = M.measures(c)
    assert visible(block) == [SEED_SUMMARY]
    assert block.review and "未列出改进措施" in block.review[0]
    ds.facts["texts"]["measures_summary"] = None
    assert visible(M.measures(ReportContext(params=ctx.params, ds=ds, section="06"))) == []


def test_workbook_text_is_escaped(ctx):
    ds = copy.deepcopy(ctx.ds)
    ds.measures.loc[0, "text"] = "<b>电子票据</b>"
    html = M.measures(ReportContext(params=ctx.params, ds=ds, section="06"))
    assert "&lt;b&gt;电子票据&lt;/b&gt;" in html and "<b>电子票据" not in html


# -- correspondence, for the review ---------------------------------------------------------------
def test_correspondence_links_measure_one_to_problem_one(ctx):
    rows = M.correspondence(ctx)
    assert all(set(r) == {"code", "problem", "source", "measures", "recommendation"} for r in rows)
    by_code = {r["code"]: r for r in rows if r["code"]}
    p1 = by_code["P1"]
    assert p1["source"] == "单位所列"
    assert p1["problem"] == "重大政策落实：减税降费政策落实中我镇核销财政电子票据情况，没有在12月31日之前完成票据核销。"
    assert p1["measures"] == [SEED_MEASURES[0]]
    assert by_code["P2"]["measures"] == []  # the unit proposes no measure for its problem (二)


def test_correspondence_lists_the_twelve_analysis_problems_without_measures(ctx):
    rows = M.correspondence(ctx)
    found = [r for r in rows if r["source"] == "数据分析"]
    assert [r["code"] for r in found] == [f"A{i}" for i in range(1, 13)]
    assert all(r["measures"] == [] and r["recommendation"] for r in found)
    assert found[0]["problem"] == "未完成绩效目标的项目"
    assert found[6]["recommendation"].endswith("更正后重新核对。")
    assert [r["code"] for r in rows[:2]] == ["P1", "P2"]


def test_correspondence_lists_measures_two_to_four_as_answering_no_problem(ctx):
    rows = M.correspondence(ctx)
    unmatched = [r for r in rows if not r["code"]]
    assert [r["measures"] for r in unmatched] == [[m] for m in SEED_MEASURES[1:]]
    assert all(r["problem"] == "" and r["source"] == "单位所列" for r in unmatched)
    assert rows[-3:] == unmatched


def test_correspondence_names_a_missing_problem(ctx):
    ds = copy.deepcopy(ctx.ds)
    ds.measures.loc[1, "problem_no"] = 9
    ds.measures.loc[2, "problem_no"] = 2
    c = ReportContext(params=ctx.params, ds=ds, section="06")
    rows = M.correspondence(c)
    assert next(r for r in rows if r["code"] == "P2")["measures"] == [SEED_MEASURES[2]]
    unmatched = [r for r in rows if not r["code"]]
    assert unmatched[0] == {
        "code": "",
        "problem": "对应问题序号9在“问题”表中不存在",
        "source": "单位所列",
        "measures": [SEED_MEASURES[1]],
        "recommendation": "",
    }
    assert visible(M.measures(c)) == [SEED_SUMMARY, *SEED_MEASURES]  # the report prints them alike


def test_review_data_has_no_html(ctx):
    rows = M.correspondence(ctx)
    texts = (
        [r["problem"] for r in rows] + [m for r in rows for m in r["measures"]] + [r["recommendation"] for r in rows]
    )
    texts += [p.text for p in S.problem_list(ctx)] + [r.text for r in S.recommendations(ctx)]
    assert not any(re.search(r"</?[a-z]+[ >]", t) for t in texts)
