"""Reading the official 项目支出绩效自评表 by its labels, in the layouts real files show."""

from __future__ import annotations

import copy

import pytest
from forms_support import Layout, fill_sheet, good_form, without_level, write_form
from openpyxl import Workbook

from jixiao.forms import read_form, read_forms


def _read(tmp_path, form=None, layout=None, name="form.xlsx"):
    path, written = write_form(tmp_path / name, form, layout)
    forms = read_form(path)
    assert len(forms) == 1
    return forms[0], written


def test_the_official_layout_is_read_field_by_field(tmp_path):
    form, _ = _read(tmp_path)
    assert (form.project, form.year, form.department, form.implementer) == (
        "测试村道路改造工程",
        2023,
        "测试镇人民政府",
        "测试镇农业农村办公室",
    )
    assert form.title == "项目支出绩效自评表" and form.amount_unit == "万元" and form.sheet == "自评表"
    assert form.cells["project"] == "B3" and form.cells["implementer"] == "G4"
    total = form.funds["total"]
    assert (total.initial, total.budget, total.executed, total.points, total.rate, total.score) == (
        100,
        120,
        114,
        10,
        95,
        9.5,
    )
    assert total.cells["budget"] == "E6" and total.cells["rate"] == "H6"
    assert [(k, r.budget, r.row) for k, r in form.funds.items()] == [
        ("total", 120, 6),
        ("fiscal", 100, 7),
        ("carryover", 20, 8),
        ("other", 0, 9),
    ]
    # “—” in the 其中 rows' 分值/执行率/得分 is blank, not text in a number cell
    assert form.funds["fiscal"].points is None and form.funds["fiscal"].score is None
    assert form.goal_expected.startswith("共120万元") and form.cells["goal_expected"] == "B11"
    assert form.goal_actual.startswith("全年支出114万元") and form.cells["goal_actual"] == "F11"
    assert [i.name for i in form.indicators] == [
        "新建道路长度",
        "受益村数",
        "工程验收合格率",
        "完工及时性",
        "每公里造价",
        "群众出行条件",
        "道路使用年限",
        "受益群众满意度",
    ]
    second = form.indicators[1]
    assert (second.level1, second.level2, second.target, second.actual, second.points, second.score) == (
        "产出指标",
        "数量指标",
        "≥5个",
        "4个",
        10,
        8,
    )
    assert second.note == "一个村未开工" and second.level1_points == 50
    # a cell inside a merged range is named by the range's top-left cell
    assert second.cells["level1"] == "B13" and second.cells["level2"] == "C13" and second.cells["score"] == "H14"
    assert form.indicators[2].target == "=100%"  # text that looks like a formula stays text
    assert [i.level1_points for i in form.indicators][-3:] == [30, 30, 10]
    assert (form.total_points, form.total_score, form.cells["total_score"]) == (100, 94.5, "H21")


@pytest.mark.parametrize("qizhong", [True, False])
def test_fund_rows_with_or_without_qizhong(tmp_path, qizhong):
    form, _ = _read(tmp_path, layout=Layout(qizhong=qizhong))
    assert list(form.funds) == ["total", "fiscal", "carryover", "other"]
    assert form.funds["fiscal"].executed == 96
    assert form.funds["fiscal"].label == ("其中：本年财政拨款" if qizhong else "本年财政拨款")


def test_full_width_punctuation_and_spaced_labels(tmp_path):
    form, _ = _read(tmp_path, layout=Layout(fullwidth=True))
    assert form.project == "测试村道路改造工程" and form.implementer == "测试镇农业农村办公室"
    assert form.funds["total"].budget == 120 and len(form.indicators) == 8


def test_spacer_rows_and_levels_written_once(tmp_path):
    form, written = _read(tmp_path, layout=Layout(spacers=(1, 4), merge_levels=False))
    assert len(form.indicators) == 8
    assert [i.row for i in form.indicators] == written.indicators
    assert [i.level1 for i in form.indicators] == ["产出指标"] * 5 + ["效益指标"] * 2 + ["满意度指标"]
    assert form.indicators[1].level2 == "数量指标" and form.indicators[2].level2 == "质量指标"
    assert form.total_score == 94.5


def test_an_indicator_continuing_over_two_rows(tmp_path):
    form, written = _read(tmp_path, layout=Layout(continued=1))
    assert len(form.indicators) == 8
    village = form.indicators[1]
    assert village.note == "一个村未开工\n（续）下年度加强管理"
    assert form.indicators[2].row == written.indicators[2] == village.row + 2


def test_a_missing_satisfaction_block(tmp_path):
    form, _ = _read(tmp_path, without_level(good_form(), "满意度"))
    assert {i.level1 for i in form.indicators} == {"产出指标", "效益指标"}
    assert len(form.indicators) == 7


@pytest.mark.parametrize("style", ["label", "note", "header"])
def test_amounts_in_yuan_are_converted(tmp_path, style):
    form, _ = _read(tmp_path, layout=Layout(yuan=style))
    assert form.amount_unit == "元"
    total = form.funds["total"]
    assert (total.initial, total.budget, total.executed) == (100, 120, 114)
    assert form.funds["carryover"].executed == 18


def test_title_with_the_year_rate_as_percentage_cell_and_no_goal_headers(tmp_path):
    form, _ = _read(tmp_path, layout=Layout(title_rows=1, rate_as_fraction=True, goal_headers=False))
    assert form.year == 2023 and form.title == "2023年度项目支出绩效自评表"
    assert form.funds["total"].rate == 95
    assert form.goal_expected.startswith("共120万元") and form.goal_actual.startswith("全年支出114万元")


def test_numbers_as_text_and_blank_marks(tmp_path):
    f = good_form()
    f["funds"]["total"] = ["１００", "120.00万元", "114"]
    f["funds"]["other"] = ["—", "/", None]
    form, _ = _read(tmp_path, f)
    assert (form.funds["total"].initial, form.funds["total"].budget) == (100, 120)
    assert (form.funds["other"].initial, form.funds["other"].budget, form.funds["other"].executed) == (None,) * 3


def test_two_forms_in_one_workbook_and_a_notes_sheet_skipped(tmp_path):
    wb = Workbook()
    wb.active.title = "填表说明"
    wb.active["A1"] = "请按财政部门要求填写。"
    second = copy.deepcopy(good_form())
    second["project"] = "测试村饮水工程"
    fill_sheet(wb.create_sheet("道路"), good_form())
    fill_sheet(wb.create_sheet("饮水"), second, Layout(qizhong=False))
    path = tmp_path / "two.xlsx"
    wb.save(path)
    forms = read_form(path)
    assert [(f.sheet, f.project) for f in forms] == [("道路", "测试村道路改造工程"), ("饮水", "测试村饮水工程")]
    assert [f.project for f in read_form(path, sheet="饮水")] == ["测试村饮水工程"]


def test_a_folder_sorted_without_lock_files(tmp_path):
    folder = tmp_path / "forms"
    folder.mkdir()
    for name, project in (("b.xlsx", "乙项目"), ("a.xlsx", "甲项目")):
        f = good_form()
        f["project"] = project
        write_form(folder / name, f)
    (folder / "~$a.xlsx").write_bytes(b"lock")
    (folder / "readme.txt").write_text("x", encoding="utf-8")
    forms = read_forms([folder])
    assert [(f.path.name, f.project) for f in forms] == [("a.xlsx", "甲项目"), ("b.xlsx", "乙项目")]


def test_other_sheets_long_or_with_unsaved_formulas_are_skipped(tmp_path):
    wb = Workbook()
    fill_sheet(wb.active, good_form())
    wb.active.title = "自评表"
    long = wb.create_sheet("项目明细")
    long["A1"], long["A5000"] = "项目明细", "最后一行"
    calc = wb.create_sheet("计算")
    calc["A1"], calc["A2"] = 1, "=A1*2"
    path = tmp_path / "f.xlsx"
    wb.save(path)
    assert [f.sheet for f in read_form(path)] == ["自评表"]


def test_other_spellings_of_labels(tmp_path):
    from openpyxl import load_workbook

    f = good_form()
    f["indicators"] = [("一、" + t[0], *t[1:]) for t in f["indicators"]]
    path, _ = write_form(tmp_path / "f.xlsx", f)
    wb = load_workbook(path)
    ws = wb.active
    ws["B7"], ws["B8"] = "1.当年财政拨款", "（2）上年结转"
    ws["E5"], ws["G12"] = "全年预算数（万元）", "分值（分）"
    ws.unmerge_cells("B3:I3")
    ws["A3"], ws["B3"] = "项目名称：测试村道路改造工程", None
    wb.save(path)
    form = read_form(path)[0]
    assert form.project == "测试村道路改造工程" and form.cells["project"] == "A3"
    assert (form.funds["fiscal"].budget, form.funds["carryover"].budget, form.funds["total"].budget) == (100, 20, 120)
    assert form.indicators[0].level1 == "产出指标" and form.indicators[0].level1_points == 50
    assert form.indicators[0].points == 20


def test_notes_under_a_table_without_a_total_row(tmp_path):
    from openpyxl import load_workbook

    path, written = write_form(tmp_path / "f.xlsx")
    wb = load_workbook(path)
    ws = wb.active
    ws.delete_rows(written.total_row)
    r = written.total_row
    ws[f"A{r}"], ws[f"A{r + 1}"] = "注：本表由项目实施单位填写。", "填报人：张三"
    ws.merge_cells(f"A{r}:I{r}")
    ws.merge_cells(f"A{r + 1}:I{r + 1}")
    wb.save(path)
    form = read_form(path)[0]
    assert len(form.indicators) == 8 and form.total_score is None and "total_score" not in form.cells


def test_excel_escapes_in_text_are_decoded(tmp_path):
    f = good_form()
    f["goal_actual"] = "全年支出114万元，其中：_x000D_\n96万元用于道路建设；18万元用于配套设施。"
    form, _ = _read(tmp_path, f)
    assert form.goal_actual == "全年支出114万元，其中：\n96万元用于道路建设；18万元用于配套设施。"
