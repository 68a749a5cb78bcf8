"""Cell parsers accept what real workbooks contain, and the loader tolerates real layouts."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from jixiao.exceptions import WorkbookError
from jixiao.values import is_blank
from jixiao.workbook.cells import CellValueError, compact, normalize_text, parse_cell, show
from jixiao.workbook.load import load_workbook
from jixiao.workbook.spec import workbook_spec
from jixiao.workbook.template import write_workbook

from support import EXAMPLE_XLSX, minimal_township

SPEC = workbook_spec()
MONEY = SPEC.sheet("functions").column("final")  # money, unsigned
SIGNED_MONEY = SPEC.sheet("balance_sheet").column("current")
PERCENT = SPEC.sheet("functions").column("final_share")
SIGNED_PERCENT = SPEC.sheet("balance_sheet").column("change_stated")
DATE = SPEC.sheet("direct_funds").column("date")
INT = SPEC.sheet("projects").column("no")
NUMBER = SPEC.sheet("physical_assets").column("quantity")
YEAR = next(k for k in SPEC.sheet("unit").keys if k.id == "year")
STAFF = next(k for k in SPEC.sheet("unit").keys if k.id == "authorized_staff")  # int, unit 个
AREA = next(k for k in SPEC.sheet("stated").keys if k.id == "office_area")  # number, unit 平方米
STATUS = SPEC.sheet("projects").column("status")
DIRECTION = SPEC.sheet("indicators").column("direction")
CODE = SPEC.sheet("functions").column("code")
TEXT = SPEC.sheet("projects").column("name")
VALUE = SPEC.sheet("indicators").column("target")


# -- numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        (1255.13, 1255.13),
        (5, 5.0),
        ("1255.13", 1255.13),  # a number stored as text
        (" 1255.13 ", 1255.13),  # stray whitespace
        ("\u00a01255.13\t", 1255.13),  # non-breaking space and tab from copy-paste
        ("1,234.56", 1234.56),  # thousands separators
        ("1,234,567", 1234567.0),
        ("１，２３４.５６", 1234.56),  # full-width digits and comma
        ("２万元", 2.0),  # as the seed writes it
        ("2万", 2.0),
        ("0.50万元", 0.5),
        ("5000元", 0.5),  # 元 converted to 万元
        ("1,234.5元", 0.12345),
        ("０", 0.0),
        (".5", 0.5),
    ],
)
def test_money_accepts(raw, expected):
    assert parse_cell(raw, MONEY) == expected


@pytest.mark.parametrize("raw", ["abc", "1.2.3", "12,34", "1 2 3元x", "约5万元", "#DIV/0!", True, "-3", -0.01, "－3"])
def test_money_refuses(raw):
    with pytest.raises(CellValueError) as info:
        parse_cell(raw, MONEY)
    assert "金额" in info.value.expected


def test_negative_money_only_where_signed():
    with pytest.raises(CellValueError, match="不能为负数"):
        parse_cell(-3, MONEY)
    assert parse_cell(-3, SIGNED_MONEY) == -3.0
    assert parse_cell("-1,234.5", SIGNED_MONEY) == -1234.5


def test_money_in_a_yuan_column():
    # header 金额（元）: plain numbers are 元, an explicit 万元 suffix still wins
    assert parse_cell(5000, MONEY, yuan=True) == 0.5
    assert parse_cell("5000", MONEY, yuan=True) == 0.5
    assert parse_cell("12,345.6", MONEY, yuan=True) == 1.23456
    assert parse_cell("2万元", MONEY, yuan=True) == 2.0
    assert parse_cell("5000元", MONEY, yuan=True) == 0.5


@pytest.mark.parametrize(
    "raw, field, expected",
    [
        (3, INT, 3),
        ("3", INT, 3),
        ("３", INT, 3),
        (3.0, INT, 3),
        ("1.0", INT, 1),
        ("55个", STAFF, 55),
        ("55", STAFF, 55),
        ("2351.33平方米", AREA, 2351.33),
        ("1,200", NUMBER, 1200.0),
        (2023, YEAR, 2023),
        ("2023", YEAR, 2023),
        (201, CODE, 201),
        ("２０１", CODE, 201),
    ],
)
def test_counts_and_codes_accept(raw, field, expected):
    value = parse_cell(raw, field)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    "raw, field, message",
    [
        (1.5, INT, "应为整数"),
        ("1.5", INT, "应为整数"),
        (-1, INT, "不能为负数"),
        (23, YEAR, "年份超出范围"),
        ("二〇二三", YEAR, "四位年份"),
        (250, CODE, "未知的功能分类编码 250"),
        (2010, CODE, "未知的功能分类编码"),
    ],
)
def test_counts_and_codes_refuse(raw, field, message):
    with pytest.raises(CellValueError) as info:
        parse_cell(raw, field)
    assert message in info.value.message + info.value.expected


# -- percentages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, percent_cell, expected",
    [
        ("97.47%", False, 97.47),
        ("97.47 %", False, 97.47),
        ("９７.４７％", False, 97.47),  # full-width
        ("153.85%", False, 153.85),
        (0.9747, False, 97.47),  # a bare fraction
        ("0.9747", False, 97.47),  # …stored as text
        (0.9747, True, 97.47),  # an Excel percent cell holds the fraction
        (0.103, True, 10.3),  # exactly 10.3, not 10.299999999999999
        (0.2629, True, 26.29),
        (0.0003, True, 0.03),
        (1.0727, True, 107.27),
        (12, True, 1200.0),  # in a percent cell 12 is 1200%
        (1, False, 100.0),
        ("100%", False, 100.0),
        (0, False, 0.0),
    ],
)
def test_percent_accepts(raw, percent_cell, expected):
    assert parse_cell(raw, PERCENT, percent_cell=percent_cell) == expected


@pytest.mark.parametrize(
    "raw, message",
    [
        (9747, "不像百分比"),  # 97.47% typed without the decimal point
        (97.47, "不像百分比"),  # percentage points in a plain cell are ambiguous
        ("97.47", "不像百分比"),
        ("abc%", "格式不正确"),
        ("百分之九十", "格式不正确"),
        (-0.0023, "不能为负数"),
    ],
)
def test_percent_refuses(raw, message):
    with pytest.raises(CellValueError) as info:
        parse_cell(raw, PERCENT)
    assert message in info.value.message


def test_signed_percent():
    assert parse_cell(-0.0023, SIGNED_PERCENT, percent_cell=True) == -0.23
    assert parse_cell("-11.95%", SIGNED_PERCENT) == -11.95


# -- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        dt.datetime(2023, 10, 23),  # an Excel date cell (openpyxl gives datetime)
        dt.date(2023, 10, 23),
        "2023-10-23",
        "2023年10月23日",
        "2023.10.23",
        "2023/10/23",
        "2023-10-23 ",
        "２０２３年１０月２３日",
        "2023 年 10 月 23 日",
    ],
)
def test_date_accepts(raw):
    value = parse_cell(raw, DATE)
    assert value == dt.date(2023, 10, 23) and type(value) is dt.date


def test_date_accepts_single_digit_parts():
    assert parse_cell("2023年9月4日", DATE) == dt.date(2023, 9, 4)


@pytest.mark.parametrize(
    "raw", ["2023-13-01", "2023-02-30", "2023年10月", "十月二十三日", "23/10/2023", 45222, "2023-10-23x"]
)
def test_date_refuses(raw):
    with pytest.raises(CellValueError) as info:
        parse_cell(raw, DATE)
    assert "日期" in info.value.expected


# -- enums, text, values ------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, field, expected",
    [
        ("已完成", STATUS, "已完成"),
        (" 已完成 ", STATUS, "已完成"),
        ("完成", STATUS, "已完成"),
        ("未实现", STATUS, "未完成"),
        (">=", DIRECTION, "≥"),
        ("不低于", DIRECTION, "≥"),
        ("＝", DIRECTION, "="),
        ("<=", DIRECTION, "≤"),
        ("定性指标", DIRECTION, "定性"),
    ],
)
def test_enum_accepts_aliases(raw, field, expected):
    assert parse_cell(raw, field) == expected


def test_enum_refuses_unknown():
    with pytest.raises(CellValueError) as info:
        parse_cell("maybe", STATUS)
    assert info.value.expected == "以下之一：已完成、部分完成、未完成"


def test_text_and_value_cells():
    assert parse_cell("  服务群众专项经费 ", TEXT) == "服务群众专项经费"
    assert parse_cell(2023, TEXT) == "2023"
    assert parse_cell(dt.datetime(2023, 1, 2), TEXT) == "2023-01-02"
    assert parse_cell(4, VALUE) == 4.0
    assert parse_cell("4", VALUE) == 4.0
    assert parse_cell("85%", VALUE) == 85.0
    assert parse_cell("有效提升", VALUE) == "有效提升"


def test_text_helpers():
    assert normalize_text(None) == ""
    assert normalize_text(" ＡＢＣ１２ ") == "ABC12"
    assert compact(" 决算数 *") == "决算数"
    assert compact("决 算\n数") == "决算数"
    assert is_blank(None) and is_blank("  ") and not is_blank(0) and not is_blank("0")
    assert show(3.0) == "3" and show(3.5) == "3.5" and show(dt.date(2023, 1, 2)) == "2023-01-02"


# -- whole workbooks ----------------------------------------------------------------------


def _tables_equal(a, b, *, rows_too: bool) -> None:
    for sheet_id, df in a.tables.items():
        other = b.tables[sheet_id]
        if not rows_too:
            df, other = df.drop(columns="_row"), other.drop(columns="_row")
        pd.testing.assert_frame_equal(df, other, obj=sheet_id)
    assert {k: {c: v for c, v in t.items() if rows_too or c != "_row"} for k, t in a.totals.items()} == {
        k: {c: v for c, v in t.items() if rows_too or c != "_row"} for k, t in b.totals.items()
    }
    assert a.facts == b.facts


def _find(ws, header):
    for row in ws.iter_rows(min_row=1, max_row=12):
        for c in row:
            if c.value == header:
                return c
    raise LookupError(header)


def _row_of(ws, header, value):
    h = _find(ws, header)
    return next(r for r in range(h.row + 1, ws.max_row + 1) if ws.cell(row=r, column=h.column).value == value)


def test_variant_spellings_load_like_the_originals(example_copy, example_ds):
    """The same figures typed the ways people type them give the same dataset."""
    wb = openpyxl.load_workbook(example_copy)

    def put(sheet, header, by, key, value, number_format="General"):
        ws = wb[sheet]
        c = ws.cell(row=_row_of(ws, by, key), column=_find(ws, header).column)
        c.value, c.number_format = value, number_format

    put("支出功能分类", "决算数", "功能分类编码", 201, "１，２５５.１３")
    put("支出功能分类", "决算数", "功能分类编码", 204, "  0.9 ")
    put("支出功能分类", "决算数", "功能分类编码", 207, "5万元")
    put("支出功能分类", "决算数", "功能分类编码", 208, "2,685,800元")
    put("支出功能分类", "预算数", "功能分类编码", 210, "48.79")
    put("支出功能分类", "决算占比", "功能分类编码", 201, "48.14%")
    put("支出功能分类", "决算占比", "功能分类编码", 204, 0.0003)  # bare fraction, General cell
    put("支出功能分类", "决算占比", "功能分类编码", 212, "0.2629")
    put("支出功能分类", "决算占比", "功能分类编码", 213, 0.0905, "0.00%")
    put("支出功能分类", "功能分类编码", "科目名称", "住房保障支出", "２２１")
    put("预算收入", "金额", "收入来源", "一般公共预算拨款", "1,934.66万元")
    put("直达资金", "支出日期", "序号", 1, "2023-10-23")
    put("直达资金", "支出日期", "序号", 2, "2023年10月31日")
    put("直达资金", "支出日期", "序号", 3, "2023.9.14")
    put("直达资金", "支出日期", "序号", 4, dt.datetime(2023, 11, 14), "yyyy/m/d")
    put("直达资金", "支出进度", "序号", 1, "100%")
    put("直达资金", "支出进度", "序号", 2, 1)
    put("项目", "完成状态", "序号", 1, " 完成 ")
    put("项目", "序号", "项目名称", "村党组织活动经费", "2")
    put("资产负债", "变动率", "项目", "负债总额", "-11.95%")
    put("填报数据", "数值", "项目", "项目整体支出进度", "97.47%")
    put("填报数据", "数值", "项目", "预算拨款结转", "０万元")
    put("填报数据", "数值", "项目", "在建工程截至日期", "2022年12月31日")
    put("基本信息", "数值", "项目", "编制数", "55个")
    put("基本信息", "数值", "项目", "年度", "2023")
    wb.save(example_copy)
    wb.close()

    _tables_equal(load_workbook(example_copy, year=2023), example_ds, rows_too=True)


def test_titles_merged_cells_blank_rows_and_notes(example_copy, example_ds):
    """Title rows and merged cells above the header, blank rows between records and a note
    under the table: the data loads identically, and references follow the rows."""
    wb = openpyxl.load_workbook(example_copy)
    for ws in wb.worksheets[1:]:  # all but 填写说明
        width = ws.max_column
        for rng in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(rng))
        header_row = _find(
            ws, "项目" if ws.title in ("基本信息", "填报数据", "文字说明") else next(c.value for c in ws[2] if c.value)
        ).row
        ws.insert_rows(1, amount=2)
        header_row += 2
        ws["A1"] = f"保定市徐水区东史端镇人民政府 {ws.title}"
        ws.merge_cells(start_row=1, start_column=1, end_row=2, end_column=max(width, 2))
        # a unit line between the title and the header, as many finance tables have
        ws.insert_rows(header_row)
        ws.cell(row=header_row, column=width, value="单位：万元")
        header_row += 1
        # blank rows between the records (and right under the header)
        for r in range(ws.max_row, header_row, -1):
            ws.insert_rows(r)
        ws.cell(row=ws.max_row + 2, column=1, value="注：本表根据自评报告填写。")
    wb.save(example_copy)
    wb.close()

    moved = load_workbook(example_copy, year=2023)
    _tables_equal(moved, example_ds, rows_too=False)
    assert moved.functions["_row"].tolist() == [7 + 2 * i for i in range(9)]
    assert moved.cell("functions", "final", 7) == "支出功能分类!D7"
    check = openpyxl.load_workbook(example_copy, data_only=True)
    for value, row in zip(moved.functions["final"], moved.functions["_row"]):
        sheet, ref = moved.cell("functions", "final", row).split("!")
        assert check[sheet][ref].value == value
    sheet, ref = moved.fact_cell("stated", "execution_rate").split("!")
    assert check[sheet][ref].value == pytest.approx(0.9747)
    check.close()


def test_header_too_far_down_is_reported(example_copy):
    wb = openpyxl.load_workbook(example_copy)
    wb["股室"].insert_rows(1, amount=20)
    wb.save(example_copy)
    with pytest.raises(WorkbookError) as info:
        load_workbook(example_copy)
    (problem,) = info.value.problems
    assert problem.sheet == "股室" and "找不到表头" in problem.message


def _small_workbook(path, amounts):
    data = minimal_township(
        **{
            "专项资金": [{"序号": i, "资金名称": f"资金{i}", "金额": a} for i, a in enumerate(amounts, 1)]
            + [{"资金名称": "合计", "金额": sum(amounts)}],
        }
    )
    return write_workbook(path, data)


def test_yuan_header_converts_the_whole_column(tmp_path):
    path = _small_workbook(tmp_path / "yuan.xlsx", [5000, 12345.6, 1000000])
    wb = openpyxl.load_workbook(path)
    ws = wb["专项资金"]
    header = _find(ws, "金额")
    header.value = "金额（元）"
    ws.cell(row=_row_of(ws, "序号", 2), column=header.column, value="12,345.6")  # text, still 元
    wb.save(path)
    ds = load_workbook(path, year=2024)
    assert ds.special_funds["amount"].tolist() == [0.5, 1.23456, 100.0]
    assert ds.stated_total("special_funds", "amount") == 101.73456


@pytest.mark.parametrize("header", ["金额(万元)", " *金额 "])
def test_headers_in_the_declared_unit_or_with_spaces_are_accepted(tmp_path, header):
    path = _small_workbook(tmp_path / "wan.xlsx", [0.5, 3])
    wb = openpyxl.load_workbook(path)
    _find(wb["专项资金"], "金额").value = header
    wb.save(path)
    ds = load_workbook(path)
    assert ds.special_funds["amount"].tolist() == [0.5, 3.0]


def test_excel_percent_cell_is_read_as_a_fraction(tmp_path):
    path = write_workbook(
        tmp_path / "pct.xlsx",
        minimal_township(
            **{
                "填报数据": {"项目整体支出进度": "97.47%", "现金比率": "1234.5%"},
            }
        ),
    )
    wb = openpyxl.load_workbook(path)
    ws = wb["填报数据"]
    cell = ws.cell(row=_row_of(ws, "项目", "现金比率"), column=2)
    assert cell.value == pytest.approx(12.345) and "%" in cell.number_format  # written as an Excel percent cell
    wb.close()
    ds = load_workbook(path)
    assert ds.stated["execution_rate"] == 97.47
    assert ds.stated["cash_ratio"] == 1234.5  # > 10 as a fraction: only a percent cell allows it


@pytest.mark.parametrize("dimension", [b"A1", b"A1:B4"])
def test_wrong_dimension_records_do_not_hide_cells(tmp_path, example_ds, dimension):
    """Some programs write a wrong <dimension> (the used range) into each sheet; the data
    must still be read in full, not silently cut to that range."""
    path = tmp_path / "dimension.xlsx"
    with zipfile.ZipFile(EXAMPLE_XLSX) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data, n = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="' + dimension + b'"', data)
                assert n == 1
            zout.writestr(item, data)
    _tables_equal(load_workbook(path, year=2023), example_ds, rows_too=True)
