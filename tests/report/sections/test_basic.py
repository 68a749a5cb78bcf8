"""The report's opening paragraph and section 一、部门基本情况: the seed's sentences, the unit's
own figures only, and nothing printed for what the unit left blank."""

from __future__ import annotations

import copy
import re

import nbformat
import pytest

from jixiao.params import load_params
from jixiao.report.context import ReportContext
from jixiao.report.sections import basic as S

from support import EXAMPLE_PARAMS, FILED_REPORT_BANNED, ROOT, blanked, emptied

NOTEBOOK = ROOT / "notebooks" / "01_basic.ipynb"

REVIEWER_WORDS = (
    *FILED_REPORT_BANNED,
    "控制率",
    "超出编制",
    "None",
    "nan",
)


def _ctx(ds) -> ReportContext:
    return ReportContext(params=load_params(EXAMPLE_PARAMS), ds=ds, section="01")


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_intro_is_the_units_text(example_ds):
    out = S.intro(_ctx(example_ds))
    assert out == (
        '<p class="intro">根据《保定市徐水区财政局关于印发&lt;保定市徐水区预算部门绩效管理考核实施办法（试行）&gt;的通知》'
        "（徐政财字〔2023〕73号）和《2023年度区直部门（乡镇）绩效管理自评表》，结合实际情况，"
        "保定市徐水区东史端镇人民政府组织开展部门整体绩效管理自评工作，现将具体情况报告如下：</p>"
    )
    assert not out.review


def test_intro_blank_prints_nothing(example_ds):
    ds = copy.deepcopy(example_ds)
    ds.facts["texts"]["intro"] = None
    out = S.intro(_ctx(ds))
    assert out == "" and out.review  # the review says why


def test_organisation_sentences(example_ds):
    out = S.organisation(_ctx(example_ds))
    t = text_of(out)
    assert (
        "保定市徐水区东史端镇人民政府为正科级行政单位，经费保障形式为财政拨款，下设8个股室，"
        "分别为党政综合办公室（信访办公室）、党建工作办公室（人大主席团办公室）、" in t
    )
    assert "<p>根据《三定方案》，我部门编制数有55个，实有在编干部职工93名。</p>" in out
    assert "169.09" not in t  # no computed staffing rate in the filed report (the review reports staffing)
    for word in REVIEWER_WORDS:
        assert word not in t, word
    for row in ('编制数</td><td class="n">55', '总人口</td><td class="n">39050', '行政村</td><td class="n">15'):
        assert row in out


def test_goal_framework_sentence(example_ds):
    out = S.goal_framework(_ctx(example_ds))
    assert (
        "<p>保定市徐水区东史端镇人民政府根据绩效预算管理政策的相关要求和部门职责，"
        "按照“部门职责—工作活动绩效目标”的层级设立了绩效预算架构，具体情况见下表：</p>" in out
    )
    assert "共9项" not in out
    assert out.count("<tr>") == 1 + 9  # header and the nine activities


def test_clauses_follow_the_given_figures(example_ds):
    ds = copy.deepcopy(example_ds)
    u = ds.facts["unit"]
    u["level"] = u["funding_form"] = u["staffing_basis"] = u["authorized_staff"] = None
    u["population"] = None
    out = S.organisation(_ctx(ds))
    t = text_of(out)
    assert "保定市徐水区东史端镇人民政府为行政单位，下设8个股室，分别为" in t
    assert "<p>我部门实有在编干部职工93名。</p>" in out
    assert "编制数</td>" not in out and "总人口" not in t  # a row the unit does not give is not listed


@pytest.mark.parametrize("how", ["blanked", "emptied"])
def test_blank_data_prints_no_placeholder(example_ds, how):
    ds = blanked(example_ds) if how == "blanked" else emptied(example_ds)
    ctx = _ctx(ds)
    blocks = [S.intro(ctx), S.organisation(ctx), S.goal_framework(ctx)]
    out = "".join(blocks)
    t = text_of(out)
    for word in REVIEWER_WORDS + ("—",):
        assert word not in t, word
    assert "<p>" not in out and "<table" not in out  # headings only
    assert "（一）机构设置和人员配备" in t and "（二）部门整体绩效目标" in t


def test_notebook_prints_the_intro_before_the_section_heading():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c.source.strip() for c in nb.cells if c.cell_type == "code"]
    assert code.index("S.intro(ctx)") + 1 == code.index("ctx.section_heading()")
    assert code[-2:] == ["S.organisation(ctx)", "S.goal_framework(ctx)"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
