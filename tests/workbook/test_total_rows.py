"""Which row is a stated total (合计): the label column decides, labels compared without
invisible characters. A 合计 in another column (说明 …) is text, and the row stays a record."""

from __future__ import annotations

import openpyxl

from jixiao.workbook.load import load_workbook


def _set(path, sheet: str, ref: str, value) -> None:
    wb = openpyxl.load_workbook(path)
    wb[sheet][ref] = value
    wb.save(path)


def _header_col(path, sheet: str, header: str) -> str:
    ws = openpyxl.load_workbook(path)[sheet]
    (cell,) = [c for c in ws[2] if c.value == header]
    return cell.column_letter


def test_total_in_a_remark_column_keeps_the_project(example_copy, example_ds):
    """项目 row 3 (序号 1) with 合计 written in its 说明 cell is still project 1."""
    col = _header_col(example_copy, "项目", "说明")
    _set(example_copy, "项目", f"{col}3", "合计")
    ds = load_workbook(example_copy, year=2023)
    assert len(ds.projects) == len(example_ds.projects) == 39
    assert ds.projects.iloc[0]["no"] == 1 and ds.projects.iloc[0]["remark"] == "合计"
    assert "projects" not in ds.totals


def test_total_label_with_a_zero_width_space_is_still_the_total(example_copy, example_ds):
    """预算收入!A7 reads 合计; written 合\\u200b计 it is the same label: the stated total is not
    added to its own parts."""
    _set(example_copy, "预算收入", "A7", "合\u200b计")
    ds = load_workbook(example_copy, year=2023)
    assert len(ds.tables["budget_revenue"]) == len(example_ds.tables["budget_revenue"])
    assert ds.stated_total("budget_revenue", "amount") == example_ds.stated_total("budget_revenue", "amount")


def test_total_in_the_number_column_before_a_blank_label(example_copy, example_ds):
    """Forms that merge 序号 across the label print 合计 in the first column: still a total."""
    _set(example_copy, "考核得分", "A11", "合计")
    _set(example_copy, "考核得分", "B11", None)
    ds = load_workbook(example_copy, year=2023)
    assert ds.stated_total("assessment", "score") == 91
    assert len(ds.assessment) == len(example_ds.assessment)


def test_a_total_row_on_the_project_sheet_is_checked_not_ignored(example_copy):
    """Exports carry a 合计 row under the projects: it is the stated total (not a project)
    and `projects.totals` compares it with the projects' sum."""
    from jixiao.analysis.checks import run_check

    wb = openpyxl.load_workbook(example_copy)
    ws = wb["项目"]
    row = ws.max_row + 1
    ws[f"B{row}"] = "合计"
    # the example lists 预算数 for 4 projects only (569.10): a total below that cannot hold
    ws[f"{_header_col(example_copy, '项目', '预算数')}{row}"] = 500.0
    wb.save(example_copy)
    ds = load_workbook(example_copy, year=2023)
    assert len(ds.projects) == 39 and ds.totals["projects"]["budget"] == 500.0
    (budget, spent) = run_check("projects.totals", ds)
    assert budget.severity == "error", budget.message
    assert "明细合计569.10万元" in budget.message and "所述500.00万元" in budget.message
    assert budget.cells[-1] == f"项目!D{row}"
    assert spent.severity == "info"  # no 执行数 stated on the 合计 row
