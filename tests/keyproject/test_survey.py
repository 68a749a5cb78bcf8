"""``jixiao survey`` and a key project's ``survey:``: a respondent-level export, counted exactly."""

from __future__ import annotations

import csv
import json
import math

import pytest
import yaml
from keyproject_support import good_data, params_file, run_cli, write
from openpyxl import Workbook

from jixiao.exceptions import InputError
from jixiao.keyproject import load_key_params, load_key_project
from jixiao.keyproject.survey import margin_of_error, question_name, read_survey, survey_config

META = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]
Q1 = "1、您对道路质量是否满意"
Q2 = "Q2. 请为施工管理打分（1～5分）"
FREE = "3、您还有什么意见和建议"

# Q1 (words): 非常满意 10, 满意 6, 基本满意 2, 一般 1, 不满意 1, two blanks (empty, "(跳过)"), one stray.
Q1_ANSWERS = ["非常满意"] * 10 + ["满意"] * 6 + ["基本满意"] * 2 + ["一般", "不满意", None, "(跳过)", "还行吧"]
# Q2 (numbers, 5 best): 5 ×8 and "5分", 4 ×7, 3 ×3, 2 ×2, 1 ×1, and a 6 (not on the scale).
# The 6 is in row 1, where Q1 is valid; the blanks and stray of Q1 meet valid Q2 answers,
# so every respondent has a valid answer (n = 23).
Q2_ANSWERS = [6] + [5] * 8 + ["5分"] + [4] * 7 + [3] * 3 + [2] * 2 + [1]
N = 23


def rows() -> list[list]:
    assert len(Q1_ANSWERS) == len(Q2_ANSWERS) == N
    out = []
    for i, (a, b) in enumerate(zip(Q1_ANSWERS, Q2_ANSWERS), 1):
        comment = "路灯不够" if i % 5 == 0 else "无"
        out.append(
            [i, f"2023/11/06 10:{i:02d}:00", f"{30 + i}秒", "手机提交", "直接访问", "192.0.2.1(河北)", a, b, comment]
        )
    return out


def write_export(path, header=None, body=None, title=None, sheet="Sheet1"):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append([title])
    ws.append(header if header is not None else [*META, Q1, Q2, FREE])
    for r in rows() if body is None else body:
        ws.append(r)
    wb.save(path)
    return path


# The expected figures, by hand.
Q1_COUNTS = {"非常满意": 10, "满意": 6, "基本满意": 2, "一般": 1, "不满意": 1, "非常不满意": 0}
Q2_COUNTS = {"非常满意": 9, "满意": 7, "基本满意": 0, "一般": 3, "不满意": 2, "非常不满意": 1}
Q1_RATE, Q1_SCORE = 18 / 20 * 100, (10 + 6 + 0.6 * 2 + 0.6) / 20 * 100  # 90, 89
Q2_RATE, Q2_SCORE = 16 / 22 * 100, (9 + 7 + 0.6 * 3) / 22 * 100
ALL_RATE, ALL_SCORE = 34 / 42 * 100, (19 + 13 + 0.6 * 2 + 0.6 * 4) / 42 * 100
P = 34 / 42
MOE = 1.96 * math.sqrt(P * (1 - P) / N) * 100


def test_counts_rates_scores_and_margin(tmp_path):
    r = read_survey(write_export(tmp_path / "s.xlsx"))
    assert r.n_rows == N and r.sheet == "Sheet1" and r.header_row == 1
    q1, q2 = r.questions
    assert (q1.question, q2.question) == ("您对道路质量是否满意", "请为施工管理打分（1～5分）")
    assert q1.counts == Q1_COUNTS and q2.counts == Q2_COUNTS
    assert (q1.n_valid, q1.n_invalid, q1.n_blank) == (20, 3, 2)
    assert (q2.n_valid, q2.n_invalid, q2.n_blank) == (22, 1, 0)
    assert q1.satisfaction_rate == pytest.approx(Q1_RATE) and q1.score == pytest.approx(Q1_SCORE)
    assert q2.satisfaction_rate == pytest.approx(Q2_RATE) and q2.score == pytest.approx(Q2_SCORE)
    o = r.overall
    assert (o.n_valid, o.n_respondents) == (42, N)
    assert o.satisfaction_rate == pytest.approx(ALL_RATE) and o.score == pytest.approx(ALL_SCORE)
    assert o.margin_of_error == pytest.approx(MOE)  # 16.05 percentage points
    assert round(o.margin_of_error, 2) == 16.05
    assert not o.corrected
    # the stray answers with their cells; the free-text column left out, not 23 bad answers
    assert r.invalid == [("Sheet1!G24", "还行吧"), ("Sheet1!H2", "6")]  # by question, then row
    assert [(s.column, s.filled, s.recognised) for s in r.skipped] == [("I", 4, 0)]


def test_finite_population_correction(tmp_path):
    r = read_survey(write_export(tmp_path / "s.xlsx"), population=100)
    assert r.overall.margin_of_error == pytest.approx(MOE * math.sqrt(77 / 99))
    assert "N = 100" in r.overall.formula()
    with pytest.raises(InputError, match="调查总体 10 小于有效答卷份数 23"):
        read_survey(tmp_path / "s.xlsx", population=10)
    assert margin_of_error(0.9, 100) == pytest.approx(1.96 * 0.03)


def test_title_row_and_csv_encodings(tmp_path):
    r = read_survey(write_export(tmp_path / "t.xlsx", title="示例数据：某村道路满意度调查"))
    assert r.header_row == 2 and r.invalid == [("Sheet1!G25", "还行吧"), ("Sheet1!H3", "6")]
    for enc in ("utf-8", "utf-8-sig", "gb18030"):
        path = tmp_path / f"答卷-{enc}.csv"
        with path.open("w", encoding=enc, newline="") as fh:
            w = csv.writer(fh)
            w.writerow([*META, Q1, Q2, FREE])
            w.writerows([["" if v is None else v for v in row] for row in rows()])
        c = read_survey(path)
        assert c.sheet == f"答卷-{enc}"  # as Excel names the sheet of a CSV
        assert [q.counts for q in c.questions] == [Q1_COUNTS, Q2_COUNTS]
        assert c.overall.satisfaction_rate == pytest.approx(ALL_RATE)
        assert c.invalid == [(f"答卷-{enc}!G24", "还行吧"), (f"答卷-{enc}!H2", "6")]


def test_question_names():
    assert question_name("1、您对道路，是否满意") == "您对道路，是否满意"  # full-width punctuation kept
    assert question_name("Q2. 施工") == "施工"
    assert question_name("第3题 排水") == "排水"
    assert question_name("5(路面平整)") == "路面平整"
    assert question_name("１２．全角编号") == "全角编号"
    assert question_name("2023年的道路") == "2023年的道路"


def test_duplicate_names_stay_unique(tmp_path):
    body = [[1, "t", "1秒", "手机", "直接", "ip", "满意", "不满意"]]
    r = read_survey(write_export(tmp_path / "d.xlsx", header=[*META, "1、满意吗", "2、满意吗"], body=body))
    assert [q.question for q in r.questions] == ["1、满意吗", "2、满意吗"]


def test_config_weights_agree_with_key_project():
    from jixiao.keyproject import key_project_spec

    cfg = survey_config().survey
    kp = key_project_spec().scoring.satisfaction_weights
    assert cfg.weights() == dict(kp)
    assert cfg.satisfied == ("非常满意", "满意", "比较满意", "基本满意")


# -- the command line ----------------------------------------------------------------------


def test_cli_json_shape(tmp_path, capsys):
    code, out, _ = run_cli(["survey", write_export(tmp_path / "s.xlsx"), "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["n_rows", "questions", "overall"]
    assert data["n_rows"] == N
    assert [list(q) for q in data["questions"]] == [
        ["question", "n_valid", "n_invalid", "counts", "satisfaction_rate", "score"]
    ] * 2
    assert data["questions"][0]["counts"] == Q1_COUNTS
    assert list(data["overall"]) == ["n_valid", "satisfaction_rate", "score", "margin_of_error"]
    assert data["overall"]["n_valid"] == 42
    assert data["overall"]["margin_of_error"] == pytest.approx(MOE)


def test_cli_text(tmp_path, capsys):
    code, out, _ = run_cli(["survey", write_export(tmp_path / "s.xlsx")], capsys)
    assert code == 0
    assert "您对道路质量是否满意" in out and "满意率 90.00%，满意度得分 89.00" in out
    assert "总体：有效回答 42 个（有效答卷 23 份），满意率 80.95%，满意度得分 84.76，" in out
    assert "误差范围 ±16.05 个百分点" in out and "不作有限总体校正" in out
    assert "Sheet1!G24：还行吧" in out and "I 列“3、您还有什么意见和建议”" in out


@pytest.mark.parametrize(
    ("name", "header", "body", "where", "message"),
    [
        ("meta.xlsx", META, [[1, "t", "1秒", "手机", "直接", "ip"]], "Sheet1!A1:F1", "没有问题列"),
        (
            "blank.xlsx",
            [*META, Q1, Q2],
            [[1, "t", "1秒", "手机", "直接", "ip", None, "(跳过)"]] * 3,
            "Sheet1!G2:H4",
            "所有问题的回答均为空",
        ),
        ("empty.xlsx", [], [], "Sheet1!A1", "工作表为空"),
        ("nobody.xlsx", [*META, Q1], [], "Sheet1!A2", "表头下没有答卷"),
    ],
)
def test_bad_files_exit_2_with_cell(tmp_path, capsys, name, header, body, where, message):
    path = write_export(tmp_path / name, header=header, body=body)
    code, _, err = run_cli(["survey", path], capsys)
    assert code == 2
    assert f"{path} {where}：" in err and message in err


def test_xlsx_that_is_a_csv(tmp_path, capsys):
    path = tmp_path / "export.xlsx"
    path.write_text("序号,1、满意吗\n1,满意\n", encoding="utf-8")
    code, _, err = run_cli(["survey", path], capsys)
    assert code == 2
    assert f"{path}：文件扩展名为 .xlsx，内容却是 CSV 文本" in err
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"\x00\x01\x02garbage" * 10)
    code, _, err = run_cli(["survey", garbage], capsys)
    assert code == 2 and "文件已损坏或不是 Excel 工作簿" in err
    code, _, err = run_cli(["survey", tmp_path / "missing.xlsx"], capsys)
    assert code == 2 and "找不到满意度调查文件" in err


# -- in a key project ----------------------------------------------------------------------


def test_key_project_survey_wins_over_counts(tmp_path):
    wb = write(tmp_path, good_data())  # 满意度 indicator 12 (15 points, target 90%) from counts: 92% → 15
    export = write_export(tmp_path / "答卷.xlsx")
    p = params_file(tmp_path, wb, survey="答卷.xlsx")
    kp = load_key_project(load_key_params(p))
    assert kp.survey is not None and kp.survey.n_rows == N
    ind = next(i for i in kp.evaluation.indicators if i.no == 12)
    assert ind.rate == pytest.approx(ALL_RATE)
    assert ind.score == round(15 * ALL_RATE / 90, 2) == 13.49
    assert ind.basis.startswith("满意度 = 满意度调查问卷（答卷23份，全部问题有效回答42个）满意率")
    assert "答卷.xlsx" not in ind.basis  # the basis prints in the report: no file names
    assert kp.evaluation.total == round(93.74 - 15 + 13.49, 2)
    survey = [f for f in kp.findings if f.id == "keyproject.survey"]
    assert any(f.severity == "warning" and "“满意度调查”表填写了各选项人数（合计50人）" in f.message for f in survey)
    assert any("[答卷.xlsx]Sheet1!G24" in f.cells for f in survey)
    assert export.is_file()


def test_key_project_survey_question_as_item(tmp_path):
    data = good_data()
    data["评价指标"][-1]["数据项"] = "您对道路质量是否满意"
    data["满意度调查"] = []
    write_export(tmp_path / "s.xlsx")
    kp = load_key_project(load_key_params(params_file(tmp_path, write(tmp_path, data), survey={"path": "s.xlsx"})))
    ind = next(i for i in kp.evaluation.indicators if i.no == 12)
    assert ind.rate == pytest.approx(Q1_RATE) and ind.score == 15


def test_key_project_survey_missing_file(tmp_path, capsys):
    p = params_file(tmp_path, write(tmp_path, good_data()), survey="nope.xlsx")
    code, _, err = run_cli(["evaluate", p, "--check"], capsys)
    assert code == 2 and "参数 survey 指向的满意度调查文件不存在" in err


def test_key_project_unknown_question_item(tmp_path, capsys):
    data = good_data()
    data["评价指标"][-1]["数据项"] = "不存在的问题"
    write_export(tmp_path / "s.xlsx")
    p = params_file(tmp_path, write(tmp_path, data), survey="s.xlsx")
    code, _, err = run_cli(["evaluate", p, "--check"], capsys)
    assert code == 2 and "评价指标!I14：数据项“不存在的问题”不是满意度调查文件 s.xlsx 中的问题" in err


def test_params_yaml_shape(tmp_path):
    write_export(tmp_path / "s.xlsx")
    p = params_file(tmp_path, write(tmp_path, good_data()), survey={"path": "s.xlsx", "population": 500})
    params = load_key_params(p)
    assert params.survey is not None and params.survey.population == 500
    assert params.survey.path == (tmp_path / "s.xlsx").resolve()
    raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    assert raw["survey"] == {"path": "s.xlsx", "population": 500}


def test_other_inputs_are_recorded(tmp_path):
    write_export(tmp_path / "s.xlsx")
    params = load_key_params(params_file(tmp_path, write(tmp_path, good_data()), survey="s.xlsx"))
    assert params.other_inputs() == [(tmp_path / "s.xlsx").resolve()]


def test_bad_config_names_the_field(tmp_path):
    from jixiao.exceptions import ConfigError

    bad = tmp_path / "survey.yaml"
    bad.write_text(
        "version: 1\nsurvey:\n  metadata_columns: [序号]\n  answers:\n"
        "    - {answer: 满意, weight: 1, satisfied: true}\n    - {answer: 不满意, weight: 0, satisfied: false}\n"
        "  aliases: {很满意: 超级满意}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="aliases 指向未知的选项：超级满意"):
        survey_config(bad)
