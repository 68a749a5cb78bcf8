"""validate ⇒ run (#13): an indicator the project scoring could not read is found by
`jixiao validate`, at its cell, instead of failing a section of `jixiao run`."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook as open_xlsx

from jixiao.cli import main

from support import EXAMPLE_XLSX

# 项目指标 columns: A 项目序号 … E 指标方向, F 目标值, G 实际值, I 权重 (row 3: 项目2 党员培训人数 =1173名)


@pytest.mark.parametrize(
    "cell, value, found, said",
    [
        ("F3", None, "空", "目标值为空"),
        ("G3", "3日内", "3日内", "实际值“3日内”应为数字"),
        ("G3", "明显改善", "明显改善", "实际值“明显改善”应为数字"),
        ("G3", "1173平方米", "1173平方米", "单位"),
        ("F3", "约一千人", "约一千人", "无法识别的目标值"),
    ],
)
def test_an_unreadable_indicator_is_a_validate_error_at_its_cell(tmp_path, capsys, cell, value, found, said):
    path = tmp_path / "t.xlsx"
    shutil.copy(EXAMPLE_XLSX, path)
    wb = open_xlsx(path)
    wb["项目指标"][cell].value = value
    wb.save(path)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"项目指标!{cell}" in err and said in err and f"发现：{found}" in err
    assert "Traceback" not in err


def test_weights_given_for_some_indicators_of_a_level_only(tmp_path, capsys):
    path = tmp_path / "t.xlsx"
    shutil.copy(EXAMPLE_XLSX, path)
    wb = open_xlsx(path)
    ws = wb["项目指标"]
    # the first project with two indicators of one 一级指标: a weight on the first only
    seen: dict[tuple, int] = {}
    for row in range(3, ws.max_row + 1):
        key = (ws[f"A{row}"].value, ws[f"B{row}"].value)
        if key in seen:
            first = seen[key]
            break
        seen[key] = row
    ws[f"I{first}"].value = 2
    wb.save(path)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"项目指标!I{first}" in err and "有的给了权重、有的没有" in err


def test_the_example_indicators_are_all_readable(capsys):
    assert main(["validate", str(EXAMPLE_XLSX)]) == 0
