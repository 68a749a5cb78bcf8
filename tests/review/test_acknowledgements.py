"""The 校验说明 sheet: which findings a row answers, and which errors stay open."""

from __future__ import annotations

from jixiao.analysis.checks import Finding
from jixiao.review import Acknowledgement, read_acknowledgements, review_findings


def _f(fid, title, severity="error", message="", cells=()):
    return Finding(fid, title, severity, message, cells=list(cells))


FINDINGS = [
    _f("assessment.total", "考核总分与各类别得分", message="各类别得分合计89分，所述总分91分", cells=["考核得分!D11"]),
    _f("functions.final_share", "决算支出占比", message="一般公共服务支出占比不符", cells=["支出功能分类!E3"]),
    _f("functions.final_share", "决算支出占比", message="公共安全支出占比不符", cells=["支出功能分类!E4"]),
    _f("balance.parts", "资产总额、负债总额与明细", "pass", "一致"),
]


def test_the_example_has_no_acknowledgement_and_two_open_errors(example_ds):
    from jixiao.analysis.checks import run_checks
    from jixiao.params import load_params

    from support import EXAMPLE_PARAMS

    assert read_acknowledgements(example_ds) == []
    reviewed = review_findings(run_checks(example_ds, load_params(EXAMPLE_PARAMS)), [])
    assert [f.id for f in reviewed.open_errors] == ["assessment.total", "projects.not_achieved"]


def test_a_row_answers_its_check_by_id_or_title_and_subject():
    acks = [
        Acknowledgement("考核总分与各类别得分", None, "以区财政局核定的91分为准"),
        Acknowledgement("functions.final_share", "支出功能分类!E4", "原报告如此"),
    ]
    reviewed = review_findings(FINDINGS, acks)
    answered = [(f.message, a.reason if a else None) for f, a in reviewed.items]
    assert answered == [
        ("各类别得分合计89分，所述总分91分", "以区财政局核定的91分为准"),
        ("一般公共服务支出占比不符", None),  # same check, another subject: still open
        ("公共安全支出占比不符", "原报告如此"),
        ("一致", None),
    ]
    assert [f.cells for f in reviewed.open_errors] == [["支出功能分类!E3"]]
    assert reviewed.unmatched == []


def test_a_subject_may_be_a_phrase_of_the_message_and_rows_matching_nothing_are_kept():
    acks = [
        Acknowledgement("functions.final_share", "一般公共服务", "已核实"),
        Acknowledgement("assessment.totl", None, "拼错的编号", "校验说明!A4"),
        Acknowledgement("balance.parts", None, "通过的检查无需说明", "校验说明!A5"),
    ]
    reviewed = review_findings(FINDINGS, acks)
    assert [f.id for f in reviewed.open_errors] == ["assessment.total", "functions.final_share"]
    assert [a.cell for a in reviewed.unmatched] == ["校验说明!A4", "校验说明!A5"]


def _cli(argv, capsys):
    from jixiao.cli import main

    code = main(argv)
    cap = capsys.readouterr()
    return code, cap.out + cap.err


def test_check_exits_1_only_while_errors_are_open(example_copy, capsys):
    from openpyxl import load_workbook as open_xlsx

    code, out = _cli(["check", str(example_copy)], capsys)
    assert code == 1 and "勾稽校验发现 2 个错误，2 个尚未更正或说明" in out
    wb = open_xlsx(example_copy)
    ws = wb["校验说明"]
    ws.append(["assessment.total", None, "以区财政局核定的91分为准"])
    wb.save(example_copy)
    code, out = _cli(["check", str(example_copy)], capsys)
    assert code == 1 and "2 个错误（1 个已说明），1 个尚未更正或说明" in out and "已说明" in out
    ws.append(["projects.not_achieved", None, "监控口径不同"])
    ws.append(["no.such_check", None, "拼错"])
    wb.save(example_copy)
    code, out = _cli(["check", str(example_copy), "--format", "json"], capsys)
    assert code == 0
    import json

    answered = {f["id"]: f["acknowledged"] for f in json.loads(out) if f["acknowledged"]}
    assert answered == {"assessment.total": "以区财政局核定的91分为准", "projects.not_achieved": "监控口径不同"}
    code, out = _cli(["check", str(example_copy)], capsys)
    assert code == 0 and "“校验说明”校验说明!A5（no.such_check）未对应任何发现" in out


def test_evaluate_final_refuses_an_open_error_before_anything_runs(tmp_path, capsys, monkeypatch):
    """The key-project evaluation follows the same rule as the township report (--final)."""
    import yaml

    from jixiao.analysis.checks import Finding
    from jixiao.keyproject.report import KEY_PROJECT

    from support import ROOT, portable

    raw = portable(ROOT / "params" / "nanhuqu-road-2023.yaml")
    raw["output_dir"] = str(tmp_path / "reports")
    params = tmp_path / "key.yaml"
    params.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    wrong = Finding("key.total", "综合得分", "error", "所述综合得分97.9分，指标得分合计96.9分", 97.9, 96.9, 1.0, 0.05)
    monkeypatch.setattr(type(KEY_PROJECT), "findings", lambda self, loaded: [wrong])
    code, out = _cli(["evaluate", str(params), "--final"], capsys)
    assert code == 1 and "报告仍为草稿，未生成定稿：1 项错误" in out and "综合得分" in out
    assert not (tmp_path / "reports").exists()
