"""``jixiao selfeval``: stated and computed scores and the findings, as text or JSON; exit
codes 0 (consistent), 1 (an error found), 2 (a form or the scheme cannot be read)."""

from __future__ import annotations

import json

from forms_support import good_form, run_cli, write_form

from jixiao.paths import SCHEMES_DIR


def test_a_consistent_form_as_text(tmp_path, capsys):
    path, _ = write_form(tmp_path / "道路.xlsx")
    code, out, err = run_cli(["selfeval", path], capsys)
    assert code == 0, err
    assert "自评表 道路.xlsx 自评表：测试村道路改造工程" in out
    assert "总分：所述 94.5，计算 94.5（优）" in out
    assert "预算执行率：所述 95%，计算 95%；得分：所述 9.5，计算 9.5" in out
    assert "校验：错误 0，警告 0，提示 0，通过 27。" in out
    assert "共 1 张自评表，评分方案“national”，错误 0 项。" in out


def test_an_error_exits_1_and_names_the_cell(tmp_path, capsys):
    f = good_form()
    f["funds"]["fiscal"][1] = 90
    path, _ = write_form(tmp_path / "道路.xlsx", f)
    code, out, err = run_cli(["selfeval", path], capsys)
    assert code == 1
    assert (
        "错误 forms.funds_total：全年预算数（年度资金总额 = 本年财政拨款 + 上年结转资金 + 其他资金）：明细合计110.00万元，所述120.00万元"
        in out
    )
    assert "道路.xlsx 自评表!E6、道路.xlsx 自评表!E7" in out
    assert "自评表校验发现 1 个错误" in err


def test_json_shape(tmp_path, capsys):
    folder = tmp_path / "forms"
    folder.mkdir()
    write_form(folder / "a.xlsx")
    f = good_form()
    f["project"] = "测试村饮水工程"
    f["exec"]["score"] = 10
    f["total"] = [100, 95]
    write_form(folder / "b.xlsx", f)
    code, out, err = run_cli(["selfeval", folder, "--format", "json"], capsys)
    assert code == 1
    data = json.loads(out)
    assert [d["project"] for d in data] == ["测试村道路改造工程", "测试村饮水工程"]
    first = data[0]
    assert set(first) == {"file", "project", "total", "execution", "indicators", "findings"}
    assert first["file"] == str(folder / "a.xlsx")
    assert first["total"] == {"stated": 94.5, "computed": 94.5}
    assert first["execution"] == {"rate": 95.0, "score_stated": 9.5, "score_computed": 9.5}
    assert first["indicators"][1] == {"name": "受益村数", "points": 10.0, "stated": 8.0, "computed": 8.0}
    assert len(first["indicators"]) == 8 and first["findings"] == []
    second = data[1]
    assert second["total"] == {"stated": 95.0, "computed": 94.5}
    assert second["execution"] == {"rate": 95.0, "score_stated": 10.0, "score_computed": 9.5}
    assert {x["check"] for x in second["findings"]} == {"forms.execution_score", "forms.total_score"}
    score = next(x for x in second["findings"] if x["check"] == "forms.execution_score")
    assert set(score) == {"severity", "check", "message", "cell"}
    assert score["severity"] == "error" and score["cell"] == "b.xlsx 自评表!I6"
    assert "所述10分，按评分方案计算9.5分" in score["message"]


def test_scheme_by_name_and_by_relative_path(tmp_path, capsys, monkeypatch):
    path, _ = write_form(tmp_path / "f.xlsx")
    code, out, _err = run_cli(["selfeval", path, "--scheme", "regional", "--format", "json"], capsys)
    assert code == 0  # the form's 10/90 points differ from regional's 20/80: a warning
    findings = json.loads(out)[0]["findings"]
    assert {(x["check"], x["severity"]) for x in findings} >= {("forms.scheme_points", "warning")}
    mine = tmp_path / "schemes" / "mine.yaml"
    mine.parent.mkdir()
    mine.write_text((SCHEMES_DIR / "national.yaml").read_text(encoding="utf-8").replace("name: national", "name: mine"))
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(["selfeval", "f.xlsx", "--scheme", "schemes/mine.yaml"], capsys)
    assert code == 0, err
    assert "评分方案“mine”" in out


def test_a_bad_scheme_exits_2(tmp_path, capsys):
    path, _ = write_form(tmp_path / "f.xlsx")
    code, _out, err = run_cli(["selfeval", path, "--scheme", "nope/none.yaml"], capsys)
    assert code == 2
    assert "nope/none.yaml：--scheme：评分方案文件" in err and "不存在或无法读取" in err
    code, _out, err = run_cli(["selfeval", path, "--scheme", "provincial"], capsys)
    assert code == 2 and "没有名为“provincial”的评分方案（可用：national、regional）" in err
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nweights: {预算执行率: 10}\n", encoding="utf-8")
    code, _out, err = run_cli(["selfeval", path, "--scheme", broken], capsys)
    assert code == 2 and "无效" in err and "Traceback" not in err


def test_a_bad_format_exits_2(tmp_path, capsys):
    path, _ = write_form(tmp_path / "f.xlsx")
    code, _out, err = run_cli(["selfeval", path, "--format", "xml"], capsys)
    assert code == 2 and "--format 只能是 text 或 json" in err
