"""Forms that cannot be read: exit 2, every problem with file, sheet and cell, no traceback."""

from __future__ import annotations

import pytest
from forms_support import good_form, run_cli, write_form
from openpyxl import Workbook, load_workbook

from jixiao.exceptions import InputError
from jixiao.forms import read_form, read_forms


def _selfeval_fails(capsys, *paths):
    code, out, err = run_cli(["selfeval", *paths], capsys)
    assert code == 2, (out, err)
    assert "Traceback" not in err and "内部错误" not in err
    return err


def _edit(path, **cells):
    wb = load_workbook(path)
    ws = wb.active
    for ref, value in cells.items():
        ws[ref] = value
    wb.save(path)
    return path


def test_a_csv_named_xlsx(tmp_path, capsys):
    bad = tmp_path / "道路.xlsx"
    bad.write_text("项目名称,道路\n年度资金总额,120\n", encoding="utf-8")
    err = _selfeval_fails(capsys, bad)
    assert f"{bad}：文件已损坏或不是 Excel 工作簿" in err


def test_no_form_in_the_sheet(tmp_path, capsys):
    wb = Workbook()
    wb.active.title = "名单"
    wb.active["A1"] = "姓名"
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    err = _selfeval_fails(capsys, path)
    assert f"{path}：文件中没有找到项目支出绩效自评表（工作表：名单）" in err


def test_text_in_a_money_cell(tmp_path, capsys):
    path, _ = write_form(tmp_path / "f.xlsx")
    _edit(path, E6="一百二十")
    err = _selfeval_fails(capsys, path)
    assert f"{path} 自评表!E6：“年度资金总额”的全年预算数应为数字，实为文字“一百二十”" in err


def test_an_excel_error_value(tmp_path, capsys):
    path, _ = write_form(tmp_path / "f.xlsx")
    _edit(path, H14="#REF!")
    err = _selfeval_fails(capsys, path)
    assert f"{path} 自评表!H14：指标“受益村数”的得分为 Excel 错误值 #REF!" in err


def test_a_missing_project_name(tmp_path, capsys):
    f = good_form()
    f["project"] = None
    path, _ = write_form(tmp_path / "f.xlsx", f)
    err = _selfeval_fails(capsys, path)
    assert f"{path} 自评表!B3：“项目名称”为必填项，不能为空" in err


def test_a_formula_without_its_result(tmp_path, capsys):
    path, _ = write_form(tmp_path / "f.xlsx")
    _edit(path, I6="=G6*F6/E6")
    err = _selfeval_fails(capsys, path)
    assert f"{path} 自评表!I6：单元格是公式，但文件中没有保存计算结果" in err


def test_every_bad_file_of_a_folder_is_listed(tmp_path, capsys):
    folder = tmp_path / "forms"
    folder.mkdir()
    write_form(folder / "a.xlsx")
    bad, _ = write_form(folder / "b.xlsx")
    _edit(bad, F6="约114")
    (folder / "c.xlsx").write_bytes(b"not a zip")
    err = _selfeval_fails(capsys, folder)
    assert f"{bad} 自评表!F6：“年度资金总额”的全年执行数应为数字，实为文字“约114”" in err
    assert f"{folder / 'c.xlsx'}：文件已损坏或不是 Excel 工作簿" in err
    assert "a.xlsx" not in err


def test_an_empty_folder_and_a_missing_file(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError) as exc:
        read_forms([tmp_path / "empty", tmp_path / "nope.xlsx"])
    assert [p.message for p in exc.value.problems] == ["文件夹中没有 .xlsx 文件", "找不到工作簿文件"]


def test_no_indicator_header(tmp_path):
    path, written = write_form(tmp_path / "f.xlsx")
    wb = load_workbook(path)
    ws = wb.active
    ws["D12"] = "指标名称"  # not a 三级指标 header
    wb.save(path)
    with pytest.raises(InputError) as exc:
        read_form(path)
    assert [p.message for p in exc.value.problems] == [
        "找不到“绩效指标”的表头行（三级指标、年度指标值、实际完成值、分值、得分）"
    ]


def test_a_form_sheet_longer_than_the_limit(tmp_path, capsys):
    path, _ = write_form(tmp_path / "f.xlsx")
    _edit(path, A5000="备注")
    err = _selfeval_fails(capsys, path)
    assert f"{path} 自评表!A5000：工作表“自评表”超过 400 行，未读取" in err


def test_a_csv_file(tmp_path, capsys):
    path = tmp_path / "道路.csv"
    path.write_text("项目名称,道路\n", encoding="utf-8")
    err = _selfeval_fails(capsys, path)
    assert f"{path}：不支持 CSV/文本文件：自评表应为 Excel 工作簿（.xlsx）" in err
