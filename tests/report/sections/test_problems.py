"""四、绩效自评发现的问题 (jixiao.report.sections.problems): the unit's own problems in the
filed report; the analysis-found problems and the advice as data for the review."""

from __future__ import annotations

import copy
import html as H
import re
from pathlib import Path

import pytest
import yaml

from jixiao.exceptions import ConfigError
from jixiao.params import load_params
from jixiao.report.context import ReportContext
from jixiao.report.sections import problems as S

from support import EXAMPLE_PARAMS, FILED_REPORT_BANNED, SEED

NOT_DONE = [
    "提前下达2023年省级林业改革发展补助资金",
    "华龙占地补偿",
    "环村林带建设补偿资金",
    "华龙路晨阳大街景观改造项目（三标段）占地补偿",
]
# 四 of the seed, every sentence: the summary (问题总述) and the two problems as the unit words them.
SEED_SUMMARY = (
    "我单位通过部门绩效自评结果，比照年初绩效目标所设定的产出指标、效益指标及满意度指标基本能够实现，"
    "大部分项目能够按照预期目标完成，产出指标、效益指标完成较好，群众满意度较高。但个别项目存在预算执行率低、"
    "绩效目标内容不够恰当适宜，分析原因主要是在项目执行中存在一定的不确定性以及遇到一些不可抗力，"
    "建议与相关部门加强沟通协调，最大限度做好预算项目的准确性与执行力。"
)
SEED_PROBLEMS = [
    "（一）重大政策落实：减税降费政策落实中我镇核销财政电子票据情况，没有在12月31日之前完成票据核销。",
    "（二）预算绩效管理：绩效监控管理，我镇在“三馆一站”免费补助资金项目未及时支出，被下达整改通知书，一次整改到位。",
]
#: Neither the review's words nor the tool's belong in the filed report.
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
    "问题与措施对应表",
    "“问题”表",
)


def visible(block: str) -> list[str]:
    """The paragraphs a reader sees."""
    text = H.unescape(re.sub(r"<[^>]+>", "\n", block))
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.fixture
def ctx(example_ds):
    return ReportContext(params=load_params(EXAMPLE_PARAMS), ds=example_ds, section="05")


def section05(ctx) -> str:
    return "".join([S.summary(ctx), S.stated_problems(ctx)])


def test_the_seed_sentences_are_in_the_seed():
    seed = SEED.read_text(encoding="utf-8")
    assert SEED_SUMMARY in seed
    assert all(p in seed for p in SEED_PROBLEMS)


def test_section_four_is_the_units_summary_and_problems_only(ctx):
    html = section05(ctx)
    assert visible(html) == [SEED_SUMMARY, *SEED_PROBLEMS]
    for word in NOT_IN_REPORT:
        assert word not in html, word
    assert "<h3" not in html  # no further numbered part (the former “（三）数据分析发现的问题”)


def test_the_block_functions_of_the_review_are_gone():
    assert not hasattr(S, "analysis_problems")


def _without(ctx, *, problems=False, summary=False) -> ReportContext:
    ds = copy.deepcopy(ctx.ds)
    if problems:
        ds.tables["problems"] = ds.problems.iloc[0:0]
    if summary:
        ds.facts["texts"]["problems_summary"] = None
    return ReportContext(params=ctx.params, ds=ds, section="05")


def test_no_stated_problems_prints_the_summary_only(ctx):
    c = _without(ctx, problems=True)
    assert visible(section05(c)) == [SEED_SUMMARY]
    block = S.stated_problems(c)
    assert visible(block) == []
    assert block.review and "未列出具体问题" in block.review[0]  # the reviewer learns it
    assert [p.source for p in S.problem_list(c)].count("stated") == 0
    assert len([p for p in S.problem_list(c) if p.source == "analysis"]) == 12


def test_no_problems_and_no_summary_prints_nothing(ctx):
    html = section05(_without(ctx, problems=True, summary=True))
    assert visible(html) == []
    assert "未提供" not in html and "未列出" not in html


# -- data for the review --------------------------------------------------------------------------
def test_problem_list_has_the_stated_then_twelve_analysis_problems(ctx):
    probs = S.problem_list(ctx)
    assert [(p.id, p.category) for p in probs if p.source == "stated"] == [
        ("P1", "重大政策落实"),
        ("P2", "预算绩效管理"),
    ]
    found = [p for p in probs if p.source == "analysis"]
    assert [p.id for p in found] == [f"A{i}" for i in range(1, 13)]
    assert [p.id for p in probs][:2] == ["P1", "P2"]


def test_analysis_names_the_unfinished_projects(ctx):
    found = {p.kind: p for p in S.problem_list(ctx) if p.source == "analysis"}
    nc = found["not_completed"]
    assert nc.id == "A1"
    for name in NOT_DONE:
        assert f"“{name}”" in nc.text
    # the four the monitoring lists as not achieved although the table says 已完成
    for name in ("选任专职人民调解员经费", "纪检保障经费（运转保障）", "乡村振兴驻村工作队经费（运转保障）"):
        assert name in nc.text


def test_analysis_covers_spending_variance_and_checks(ctx):
    found = [p for p in S.problem_list(ctx) if p.source == "analysis"]
    kinds = [p.kind for p in found]
    assert kinds == [
        "not_completed",
        "large_variance",
        "low_execution",
        "indicator_shortfall",
        "no_indicators",
        "amounts_missing",
        *["check_error"] * 2,
        *["check_warning"] * 4,
    ]
    low = next(p for p in found if p.kind == "low_execution")
    assert "序号37“华龙占地补偿”（预算数20.33万元，执行数0.00万元，执行率0.00%）" in low.text
    lv = next(p for p in found if p.kind == "large_variance")
    assert "由于财政资金管控，没有支出" in lv.text and lv.values["count"] == 5
    # every error and warning finding is a problem of its own, with its check id first in refs
    failed = [f for f in ctx.findings if f.severity in ("error", "warning")]
    checks = [p for p in found if p.kind.startswith("check_")]
    assert [p.refs[0] for p in checks] == [f.id for f in failed if f.severity == "error"] + [
        f.id for f in failed if f.severity == "warning"
    ]
    assessment = next(p for p in checks if p.refs[0] == "assessment.total")
    assert assessment.kind == "check_error"
    assert "各类别得分合计89分，所述总分91分" in assessment.text


def test_ids_are_stable(ctx, example_ds):
    again = ReportContext(params=ctx.params, ds=example_ds, section="06")
    assert [(p.id, p.kind) for p in S.problem_list(ctx)] == [(p.id, p.kind) for p in S.problem_list(again)]
    ids = [p.id for p in S.problem_list(ctx)]
    assert len(ids) == len(set(ids))


def test_every_analysis_problem_has_a_linked_recommendation(ctx):
    found = [p for p in S.problem_list(ctx) if p.source == "analysis"]
    recs = S.recommendations(ctx)
    linked = [pid for r in recs for pid in r.problem_ids]
    assert sorted(linked) == sorted(p.id for p in found)  # each exactly once
    assert len({r.kind for r in recs}) == len(recs) == 8  # one per kind
    for r in recs:
        assert "{" not in r.text and "<" not in r.text
        assert "重新运行" not in r.text and "recommendations.yaml" not in r.text
    errors = next(r for r in recs if r.kind == "check_error")
    assert errors.problem_ids == ("A7", "A8")
    assert errors.text.endswith("使所述总数、比率与其构成一致，更正后重新核对。")


def test_workbook_text_is_escaped(ctx):
    ds = copy.deepcopy(ctx.ds)
    ds.problems.loc[0, "text"] = "<b>电子票据</b>"
    ds.facts["texts"]["problems_summary"] = "<script>alert(1)</script>"
    html = section05(ReportContext(params=ctx.params, ds=ds, section="05"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "&lt;b&gt;电子票据&lt;/b&gt;" in html and "<b>电子票据" not in html


def test_low_execution_threshold_comes_from_the_config(ctx, example_ds, monkeypatch, tmp_path):
    ds = copy.deepcopy(example_ds)
    ds.projects.loc[ds.projects["no"] == 25, "spent"] = 400.0  # 75.85 %
    cfg = yaml.safe_load(S.default_recommendations_path().read_text(encoding="utf-8"))
    for rate, listed in ((80, True), (70, False)):
        cfg["low_execution_rate"] = rate
        path = tmp_path / f"rec{rate}.yaml"
        path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
        monkeypatch.setattr(
            S, "load_recommendations", lambda p=path: S.load_yaml_model(p, S.RecommendationConfig, "建议配置文件", "")
        )
        c = ReportContext(params=ctx.params, ds=ds, section="05")
        low = next(p for p in S.problem_list(c) if p.kind == "low_execution")
        assert ("2022年度绿化占地土地流转金" in low.text) is listed
        assert f"执行率低于{rate}%" in next(r for r in S.recommendations(c) if r.kind == "low_execution").text


def test_score_mismatch_is_found(ctx, example_ds):
    ds = copy.deepcopy(example_ds)
    ds.projects.loc[ds.projects["no"] == 25, "score_stated"] = 95.0  # computed 100
    c = ReportContext(params=ctx.params, ds=ds, section="05")
    p = next(p for p in S.problem_list(c) if p.kind == "score_mismatch")
    assert "序号25“2022年度绿化占地土地流转金”所述95分，计算100.00分" in p.text
    assert any(p.id in r.problem_ids for r in S.recommendations(c))


# -- recommendations.yaml ------------------------------------------------------------------------
def _write(tmp_path: Path, data) -> Path:
    p = tmp_path / "recommendations.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


@pytest.fixture
def shipped() -> dict:
    return yaml.safe_load(S.default_recommendations_path().read_text(encoding="utf-8"))


def test_shipped_config_is_valid():
    cfg = S.load_recommendations()
    assert set(cfg.kinds) == set(S.KINDS)
    assert all(" " not in k.recommendation for k in cfg.kinds.values())  # folded lines rejoined


def test_unknown_key_is_an_error(tmp_path, shipped):
    shipped["kinds"]["not_completed"]["recomendation"] = "拼错的键"
    with pytest.raises(ConfigError) as exc:
        S.load_recommendations(_write(tmp_path, shipped))
    assert "kinds.not_completed.recomendation" in str(exc.value) and "未知字段（拼写错误？）" in str(exc.value)
    shipped["kinds"]["not_completed"].pop("recomendation")
    shipped["threshold"] = 50
    with pytest.raises(ConfigError, match="threshold：未知字段"):
        S.load_recommendations(_write(tmp_path, shipped))


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda d: d["kinds"].update(not_a_kind={"title": "甲", "category": "乙", "recommendation": "丙"}),
            "未知的问题类别：not_a_kind",
        ),
        (lambda d: d["kinds"].pop("check_warning"), "缺少问题类别：check_warning"),
        (lambda d: d["kinds"]["low_execution"].update(recommendation="对{projets}加强管理"), "未知占位符 {projets}"),
        (lambda d: d["kinds"]["not_completed"].update(recommendation="对{projects加强管理"), "花括号不成对"),
        (lambda d: d.update(low_execution_rate=0), "low_execution_rate"),
        (lambda d: d["kinds"]["not_completed"].pop("category"), "缺少必填字段"),
    ],
    ids=["unknown-kind", "missing-kind", "unknown-placeholder", "bad-brace", "bad-threshold", "missing-field"],
)
def test_invalid_configs_are_explained(tmp_path, shipped, change, message):
    change(shipped)
    with pytest.raises(ConfigError, match=message):
        S.load_recommendations(_write(tmp_path, shipped))


def test_config_that_is_not_yaml_or_missing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kinds: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="不是有效的 YAML"):
        S.load_recommendations(bad)
    with pytest.raises(ConfigError, match="不存在"):
        S.load_recommendations(tmp_path / "nothing.yaml")
