"""``jixiao template --from``: next year's workbook carries over what the format's rules say
(config/carry.yaml), each carried cell naming its source, and invents nothing of this year."""

from __future__ import annotations

import pytest
from carry_support import carried_template
from openpyxl import load_workbook as open_xlsx

from jixiao.cli import main
from jixiao.exceptions import ConfigError
from jixiao.workbook.carry import CarryRules, _validated, carry_rules
from jixiao.workbook.spec import workbook_spec

from support import EXAMPLE_PARAMS, EXAMPLE_XLSX


@pytest.fixture(scope="module")
def carried(tmp_path_factory):
    path = carried_template(tmp_path_factory.mktemp("carry"))
    return open_xlsx(path), open_xlsx(EXAMPLE_XLSX)


def test_the_previous_figures_are_last_years_current_ones_with_their_source(carried):
    wb, last = carried
    # 三公经费: 上年决算 (D) of the 合计 row ← 2023's 本年决算 (C7 = 4.64)
    assert wb["三公经费"]["D7"].value == last["三公经费"]["C7"].value == 4.64
    assert wb["三公经费"]["D7"].comment.text == "取自上年本年决算：dongshiduan-2023.xlsx 三公经费!C7"
    # 资产负债: 上年末 (D) ← 2023's 本年末 (E) of the same rows
    for row in (3, 8, 10):
        assert wb["资产负债"][f"D{row}"].value == last["资产负债"][f"E{row}"].value
        assert wb["资产负债"][f"D{row}"].comment.text == f"取自上年本年末：dongshiduan-2023.xlsx 资产负债!E{row}"
    assert [wb["资产负债"][f"D{r}"].value for r in (3, 8, 10)] == [7038.18, 9.58, 7028.6]


def test_nothing_of_this_year_is_filled(carried):
    wb, _ = carried
    for row in range(3, 8):
        assert wb["三公经费"][f"B{row}"].value is None and wb["三公经费"][f"C{row}"].value is None
    for row in range(3, 11):
        assert wb["资产负债"][f"E{row}"].value is None and wb["资产负债"][f"F{row}"].value is None
    projects = wb["项目"]
    for row in range(3, 42):
        assert [projects.cell(row, c).value for c in range(4, 10)] == [None] * 6  # 预算数 … 自评得分
    unit = {wb["基本信息"][f"A{r}"].value: wb["基本信息"][f"B{r}"] for r in range(3, 19)}
    for key in ("实有人数", "财政供养人数", "总人口", "考核依据", "报告日期"):
        assert unit[key].value is None, key
    for sheet in ("考核得分", "预算收入", "支出功能分类", "填报数据", "文字说明"):
        ws = wb[sheet]
        assert all(ws.cell(r, 2).value is None for r in range(3, ws.max_row + 1)), sheet


def test_unit_facts_offices_goals_and_continuing_projects_carry_over(carried):
    wb, last = carried
    unit = {wb["基本信息"][f"A{r}"].value: wb["基本信息"][f"B{r}"] for r in range(3, 19)}
    assert unit["年度"].value == 2024
    assert unit["单位名称"].value == "保定市徐水区东史端镇人民政府"
    assert unit["单位名称"].comment.text == "上年结转（请确认）：dongshiduan-2023.xlsx 基本信息!B3"
    assert unit["编制数"].value == 55 and unit["股室数量"].value == 8
    offices = [wb["股室"].cell(r, 2).value for r in range(3, 11)]
    assert offices == [last["股室"].cell(r, 2).value for r in range(3, 11)] and wb["股室"]["B11"].value is None
    goals = wb["绩效目标架构"]
    assert [goals.cell(3, c).value for c in range(1, 5)] == [last["绩效目标架构"].cell(3, c).value for c in range(1, 5)]
    assert goals["E3"].value is None  # 对应项目支出: this year's projects
    projects = wb["项目"]
    assert projects["B5"].value == "“三馆一站”免费开放资金" and projects["J5"].value == "延续（请确认）"
    assert projects["B5"].comment.text == "延续项目（请确认，不再实施的删除本行）：dongshiduan-2023.xlsx 项目!B5"
    assert projects["B41"].value is not None and projects["B42"].value is None  # all 39


def test_drop_downs_and_header_notes_stay(carried):
    wb, _ = carried
    ws = wb["项目"]
    assert ws["H2"].comment is not None and "可选：已完成、部分完成、未完成" in ws["H2"].comment.text
    assert any("已完成,部分完成,未完成" in (dv.formula1 or "") for dv in ws.data_validations.dataValidation)
    assert "由 dongshiduan-2023.xlsx（2023年度）结转" in "".join(
        str(c.value or "") for row in wb["填写说明"].iter_rows() for c in row
    )


def test_year_option(tmp_path, capsys):
    path = carried_template(tmp_path, "--year", "2024")
    assert open_xlsx(path)["基本信息"]["B5"].value == 2024
    assert "已由 dongshiduan-2023.xlsx 结转：8 个股室、9 条绩效目标架构、39 个延续项目（请确认）、4 个上年数。" in (
        capsys.readouterr().out.replace("\n", "")
    )


def test_a_later_year_gets_the_structure_but_no_previous_figures(tmp_path, capsys):
    """2023's 本年 figures are not 2025's 上年 ones: left blank, and said so."""
    wb = open_xlsx(carried_template(tmp_path, "--year", "2025"))
    assert wb["基本信息"]["B5"].value == 2025 and wb["股室"]["B3"].value is not None
    assert wb["三公经费"]["A7"].value is None and wb["资产负债"]["D3"].value is None
    out = capsys.readouterr().out.replace("\n", "")
    assert "注意：2025 年的上年为 2024 年，不是 2023 年：上年数未预填，请按上年报告填写。" in out
    assert "39 个延续项目（请确认）、0 个上年数。" in out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--year", "2023"], "--year 应晚于上年度参数文件"),
        (["--kind", "key-project"], "--from 只用于乡镇年度工作簿"),
    ],
)
def test_bad_combinations_are_input_errors(tmp_path, capsys, args, said):
    assert main(["template", str(tmp_path / "x.xlsx"), "--from", str(EXAMPLE_PARAMS), *args]) == 2
    assert said in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_a_missing_parameters_file_is_an_input_error(tmp_path, capsys):
    assert main(["template", str(tmp_path / "x.xlsx"), "--from", str(tmp_path / "none.yaml")]) == 2
    assert "找不到参数文件" in capsys.readouterr().err


def test_the_rules_are_checked_against_the_format():
    assert carry_rules().tables["three_public"].previous == {"last_actual": "actual"}
    raw = carry_rules().model_dump(by_alias=True)
    raw["tables"]["three_public"]["previous"] = {"last_actual": "remark"}
    raw["tables"]["offices"]["copy"] = ["no", "colour"]
    raw["facts"]["unit"] = ["name", "mayor"]
    with pytest.raises(ConfigError) as exc:
        _validated(CarryRules.model_validate(raw), workbook_spec())
    text = str(exc.value)
    assert "tables.offices：未知的列 colour" in text
    assert "tables.three_public.previous：last_actual 与 remark 应为数字列" in text
    assert "facts.unit：未知的项目 mayor" in text
