"""A catalogue of broken workbooks, each built from a copy of the example.

Every case runs ``jixiao validate`` in-process and checks what a finance officer would
see: exit code 2, the sheet and cell of the problem, what was found there, and never a
Python traceback.
"""

from __future__ import annotations

import random
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from jixiao.cli import main
from jixiao.workbook.spec import function_codes, workbook_spec

from support import EXAMPLE_XLSX

HEADER_ROWS = 12  # the loader looks for the header in the first 12 rows


# -- finding cells by their labels, not by coordinates ------------------------------------


def header_cell(ws, header: str):
    """The cell holding ``header`` in the first rows of ``ws``."""
    for row in ws.iter_rows(min_row=1, max_row=HEADER_ROWS):
        for c in row:
            if isinstance(c.value, str) and c.value.strip() == header:
                return c
    raise LookupError(f"{ws.title}: no header {header!r}")


def column_of(ws, header: str) -> str:
    return header_cell(ws, header).column_letter


def row_where(ws, header: str, value) -> int:
    """The row below the header whose ``header`` column holds ``value``."""
    h = header_cell(ws, header)
    for r in range(h.row + 1, ws.max_row + 1):
        if ws.cell(row=r, column=h.column).value == value:
            return r
    raise LookupError(f"{ws.title}: no row with {header} == {value!r}")


def coord(ws, header: str, by: str, value) -> str:
    """Coordinate of column ``header`` in the row where column ``by`` equals ``value``."""
    return f"{column_of(ws, header)}{row_where(ws, by, value)}"


def kv_coord(ws, key: str) -> str:
    """The value cell of ``key`` in a key-value sheet (项目 | 数值 | …)."""
    value_header = "内容" if ws.title == "文字说明" else "数值"
    return f"{column_of(ws, value_header)}{row_where(ws, '项目', key)}"


def edit(path: Path, change: Callable):
    wb = openpyxl.load_workbook(path)
    result = change(wb)
    wb.save(path)
    wb.close()
    return result


def validate(capsys, *args) -> tuple[int, str]:
    code = main(["validate", *map(str, args)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    return code, err


def problem_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if re.match(r"^\s*\d+\. ", line)]


def test_helpers_find_the_documented_cell(example_copy):
    wb = openpyxl.load_workbook(example_copy)
    assert coord(wb["支出功能分类"], "决算数", "功能分类编码", 207) == "D5"
    assert kv_coord(wb["填报数据"], "项目整体支出进度") == "B30"
    assert kv_coord(wb["基本信息"], "年度") == "B5"


# -- the catalogue: each case breaks one thing and says where it is ----------------------
# A case edits the workbook and returns (where, fragments[, number of problems]).

CASES: dict[str, Callable] = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


@case
def text_in_number_column(wb):
    ws = wb["支出功能分类"]
    ref = coord(ws, "决算数", "功能分类编码", 207)
    assert ref == "D5"
    ws[ref] = "abc"
    return f"支出功能分类!{ref}", ["“决算数”", "发现：abc", "金额"]


@case
def negative_amount(wb):
    ws = wb["专项资金"]
    ref = coord(ws, "金额", "序号", 2)
    ws[ref] = -3
    return f"专项资金!{ref}", ["不能为负数", "发现：-3"]


@case
def unknown_function_code_250(wb):
    assert 250 not in function_codes()
    ws = wb["支出功能分类"]
    ref = coord(ws, "功能分类编码", "科目名称", "住房保障支出")
    ws[ref] = 250
    return f"支出功能分类!{ref}", ["未知的功能分类编码 250", "发现：250"]


@case
def unknown_function_code_209(wb):
    # 209 lies inside the 201–233 range but is not a class code (the list skips it).
    assert 209 not in function_codes() and 208 in function_codes() and 210 in function_codes()
    ws = wb["支出功能分类"]
    ref = coord(ws, "功能分类编码", "科目名称", "卫生健康支出")
    ws[ref] = 209
    return f"支出功能分类!{ref}", ["未知的功能分类编码 209"]


@case
def missing_required_sheet(wb):
    del wb["项目"]
    # One problem only: the references from 项目指标/监控情况 into the missing sheet are
    # not reported again one by one.
    return "项目", ["缺少工作表“项目”", "现有：", "项目指标"], 1


@case
def missing_required_column(wb):
    ws = wb["项目"]
    h = header_cell(ws, "项目名称")
    h.value = None
    return f"项目!{h.row}", ["缺少必需的列“项目名称”"], 1


@case
def header_row_not_found(wb):
    ws = wb["股室"]
    header_cell(ws, "序号").value = "编号"
    header_cell(ws, "股室名称").value = "名称"
    return "股室!1", ["找不到表头", "序号", "股室名称"]


@case
def unknown_unit_in_header(wb):
    ws = wb["预算收入"]
    h = header_cell(ws, "金额")
    h.value = "金额（亿元）"
    return f"预算收入!{h.coordinate}", ["单位与格式不符", "亿元", "万元"]


@case
def bad_enum(wb):
    ws = wb["项目"]
    ref = coord(ws, "完成状态", "序号", 3)
    ws[ref] = "maybe"
    return f"项目!{ref}", ["“完成状态”", "发现：maybe", "已完成、部分完成、未完成"]


@case
def bad_percent_text(wb):
    ws = wb["支出功能分类"]
    ref = coord(ws, "决算占比", "功能分类编码", 201)
    ws[ref] = "abc%"
    return f"支出功能分类!{ref}", ["“决算占比”", "发现：abc%", "百分比"]


@case
def percent_written_as_9747(wb):
    # Someone types 9747 for 97.47% into an ordinary (General-format) cell.
    ws = wb["填报数据"]
    ref = kv_coord(ws, "项目整体支出进度")
    ws[ref] = 9747
    ws[ref].number_format = "General"
    return f"填报数据!{ref}", ["不像百分比", "发现：9747"]


@case
def bad_date(wb):
    ws = wb["直达资金"]
    ref = coord(ws, "支出日期", "序号", 1)
    ws[ref] = "2023年13月1日"
    return f"直达资金!{ref}", ["“支出日期”", "发现：2023年13月1日", "日期"]


@case
def impossible_date(wb):
    ws = wb["填报数据"]
    ref = kv_coord(ws, "在建工程截至日期")
    ws[ref] = "2023-02-30"
    return f"填报数据!{ref}", ["在建工程截至日期", "发现：2023-02-30"]


@case
def required_cell_blank(wb):
    ws = wb["项目"]
    ref = coord(ws, "项目名称", "序号", 5)
    ws[ref] = None
    return f"项目!{ref}", ["“项目名称”为必填项"]


@case
def required_key_blank(wb):
    ws = wb["基本信息"]
    ref = kv_coord(ws, "单位名称")
    ws[ref] = "  "
    return f"基本信息!{ref}", ["“单位名称”为必填项"]


@case
def year_not_a_year(wb):
    ws = wb["基本信息"]
    ref = kv_coord(ws, "年度")
    ws[ref] = "二〇二三年"
    # the year is also required, so its absence is reported too
    return f"基本信息!{ref}", ["四位年份", "发现：二〇二三年"], 2


@case
def unknown_key_with_hint(wb):
    ws = wb["填报数据"]
    r = row_where(ws, "项目", "适用满分")
    ws[f"{column_of(ws, '项目')}{r}"] = "适用满份"
    return f"填报数据!A{r}", ["未知的项目“适用满份”", "是否应为“适用满分”"]


@case
def unknown_key_without_hint(wb):
    ws = wb["填报数据"]
    r = ws.max_row + 1
    ws[f"A{r}"], ws[f"B{r}"] = "今年天气", 1
    return f"填报数据!A{r}", ["未知的项目“今年天气”"]


@case
def duplicate_key(wb):
    ws = wb["填报数据"]
    first = row_where(ws, "项目", "考核总分")
    r = ws.max_row + 1
    ws[f"A{r}"], ws[f"B{r}"] = "考核总分", 90
    return f"填报数据!A{r}", ["项目“考核总分”重复", f"第{first}行已填写"]


@case
def value_without_key(wb):
    ws = wb["填报数据"]
    r = ws.max_row + 2
    ws[f"B{r}"] = 5
    return f"填报数据!A{r}", ["有数值但没有项目名称"]


@case
def indicator_for_missing_project(wb):
    ws = wb["项目指标"]
    ref = f"{column_of(ws, '项目序号')}{header_cell(ws, '项目序号').row + 1}"
    ws[ref] = 99
    return f"项目指标!{ref}", ["“项目序号” 99", "不存在"]


@case
def measure_for_missing_problem(wb):
    ws = wb["改进措施"]
    ref = coord(ws, "对应问题", "序号", 1)
    ws[ref] = 9
    return f"改进措施!{ref}", ["“对应问题” 9", "“问题”表"]


@case
def reference_into_a_missing_optional_sheet(wb):
    # 问题 is optional, so its absence alone is fine; a measure that refers to a problem
    # is then a dangling reference and must still be reported.
    del wb["问题"]
    ws = wb["改进措施"]
    ref = coord(ws, "对应问题", "序号", 1)
    return f"改进措施!{ref}", ["“对应问题” 1", "不存在"]


@case
def non_integer_number(wb):
    ws = wb["项目"]
    ref = coord(ws, "序号", "项目名称", "服务群众专项经费")  # project 1: nothing refers to it
    ws[ref] = 1.5
    return f"项目!{ref}", ["应为整数", "发现：1.5"]


@case
def boolean_in_number_column(wb):
    ws = wb["预算收入"]
    ref = coord(ws, "金额", "收入来源", "其他收入")
    ws[ref] = True
    return f"预算收入!{ref}", ["“金额”", "发现：True"]


@case
def excel_error_value(wb):
    ws = wb["三保支出"]
    ref = coord(ws, "实际支出", "类别", "保运转")
    ws[ref] = "#DIV/0!"
    return f"三保支出!{ref}", ["“实际支出”", "发现：#DIV/0!"]


@case
def two_total_rows(wb):
    ws = wb["预算收入"]
    r = row_where(ws, "收入来源", "其他收入")
    ws[f"{column_of(ws, '收入来源')}{r}"] = "合计"
    last = row_where(ws, "金额", 1976.56)
    return f"预算收入!A{last}", ["出现了多个合计行"]


@case
def bad_kv_number(wb):
    ws = wb["填报数据"]
    ref = kv_coord(ws, "考核总分")
    ws[ref] = "九十一"
    return f"填报数据!{ref}", ["“考核总分”", "发现：九十一", "数字"]


@case
def workbook_year_disagrees_with_year_option(wb):
    ws = wb["基本信息"]
    ref = kv_coord(ws, "年度")
    ws[ref] = 2024
    return f"基本信息!{ref}", ["工作簿年度 2024 与参数文件年度 2023 不一致", "发现：2024"], 1, ["--year", "2023"]


def test_catalogue_size():
    assert len(CASES) >= 20


@pytest.mark.parametrize("name", list(CASES))
def test_bad_workbook(name, example_copy, capsys):
    where, fragments, *rest = edit(example_copy, CASES[name])
    expected_count = rest[0] if rest else 1
    options = rest[1] if len(rest) > 1 else []
    code, err = validate(capsys, example_copy, *options)
    assert code == 2, err
    assert f"{example_copy} {where}：" in err, err  # file, sheet!cell, then the message
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    assert len(problem_lines(err)) == expected_count, err


def test_unmodified_copy_is_valid(example_copy, capsys):
    code, err = validate(capsys, example_copy)
    assert code == 0, err
    assert err == ""


# -- duplicate 序号 (names may repeat, numbers may not) -------------------------------------


def test_duplicate_project_number(example_copy, capsys):
    def change(wb):
        ws = wb["项目"]
        first, second = row_where(ws, "序号", 30), row_where(ws, "序号", 31)
        ws[f"{column_of(ws, '序号')}{second}"] = 30
        return first, second

    first, second = edit(example_copy, change)
    code, err = validate(capsys, example_copy)
    assert code == 2
    (line,) = problem_lines(err)
    assert f"项目!A{second}：序号 30 重复（第{first}行已使用）" in line
    assert "项目名称可以相同" in line and "发现：30" in line


def test_repeated_project_names_are_allowed(example_copy, capsys):
    def change(wb):
        ws = wb["项目"]
        name = ws[coord(ws, "项目名称", "序号", 30)].value
        ws[coord(ws, "项目名称", "序号", 1)] = name  # a third project with that name

    edit(example_copy, change)
    code, err = validate(capsys, example_copy)
    assert code == 0, err


# -- year from a parameters file ------------------------------------------------------------


def test_year_disagrees_with_parameters(example_copy, tmp_path, capsys):
    params = tmp_path / "params.yaml"
    params.write_text(f"township: test\nyear: 2024\nworkbook: {example_copy.name}\n", encoding="utf-8")
    code, err = validate(capsys, params)
    assert code == 2
    (line,) = problem_lines(err)
    assert f"{example_copy} 基本信息!B5：" in line
    assert "工作簿年度 2023 与参数文件年度 2024 不一致" in line and "发现：2023" in line


# -- files that are not usable workbooks at all -------------------------------------------


def _xls(tmp):
    p = tmp / "dongshiduan.xls"
    shutil.copy(EXAMPLE_XLSX, p)
    return p, ["旧版 .xls", "另存为"]


def _csv(tmp):
    p = tmp / "支出功能分类.csv"
    p.write_text("功能分类编码,科目名称,预算数,决算数\n201,一般公共服务支出,1369.99,1255.13\n", encoding="utf-8")
    return p, ["不支持 CSV", "发现：.csv"]


def _random_bytes(tmp):
    p = tmp / "corrupt.xlsx"
    data = random.Random(20231023).randbytes(4096)
    assert not data.startswith((b"PK", b"\xd0\xcf"))
    p.write_bytes(data)
    return p, ["文件已损坏或不是 Excel 工作簿"]


def _truncated(tmp):
    p = tmp / "truncated.xlsx"
    data = EXAMPLE_XLSX.read_bytes()
    p.write_bytes(data[: len(data) // 2])  # e.g. an interrupted download
    return p, ["损坏"]


def _zip_not_workbook(tmp):
    p = tmp / "archive.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    return p, ["无法打开工作簿"]


def _empty(tmp):
    p = tmp / "empty.xlsx"
    p.write_bytes(b"")
    return p, ["文件为空", "0 字节"]


def _password_protected(tmp):
    # Excel stores a workbook with an open password as an OLE2 compound document (the
    # encrypted package inside an "EncryptedPackage" stream), not as a zip. Its first
    # 8 bytes are the OLE2 signature, which is all the loader can see before decrypting.
    p = tmp / "protected.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088))
    return p, ["密码", "未加密的 .xlsx"]


def _missing(tmp):
    return tmp / "nowhere.xlsx", ["找不到工作簿文件"]


def _directory(tmp):
    p = tmp / "folder.xlsx"
    p.mkdir()
    return p, ["目录"]


def _no_suffix(tmp):
    p = tmp / "workbook"
    shutil.copy(EXAMPLE_XLSX, p)
    return p, ["文件类型不受支持", "无扩展名"]


FILE_CASES = [
    _xls,
    _csv,
    _random_bytes,
    _truncated,
    _zip_not_workbook,
    _empty,
    _password_protected,
    _missing,
    _directory,
    _no_suffix,
]


@pytest.mark.parametrize("make", FILE_CASES, ids=lambda f: f.__name__.strip("_"))
def test_unusable_file(make, tmp_path, capsys):
    path, fragments = make(tmp_path)
    code, err = validate(capsys, path)
    assert code == 2, err
    (line,) = problem_lines(err)
    assert f"{path}：" in line
    for fragment in fragments:
        assert fragment in line, (fragment, line)


# -- parameters files ----------------------------------------------------------------------


def _params(tmp, text):
    p = tmp / "params.yaml"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "text, fragments",
    [
        ("township: t\nyear: 2023\nworkbook: missing.xlsx\n", ["指向的工作簿不存在", "missing.xlsx"]),
        (f"township: t\nyear: 2023\nworkbook: {EXAMPLE_XLSX}\ncolour: red\n", ["未知的参数“colour”", "发现：red"]),
        (
            f"township: t\nyear: 2023\nworkbook: {EXAMPLE_XLSX}\nassessment:\n  maximum: 92\n",
            ["未知的参数“assessment.maximum”"],
        ),
        (f"township: 007\nyear: 2023\nworkbook: {EXAMPLE_XLSX}\n", ["township", "数字请加引号"]),
        ("township: t\nyear: 2023\n", ["缺少参数“workbook”"]),
        ("township: t\nyear: [2023\n", ["参数文件不是有效的 YAML"]),
    ],
    ids=["missing-workbook", "unknown-key", "unknown-nested-key", "township-number", "no-workbook-key", "bad-yaml"],
)
def test_bad_parameters(text, fragments, tmp_path, capsys):
    params = _params(tmp_path, text)
    code, err = validate(capsys, params)
    assert code == 2, err
    (line,) = problem_lines(err)
    assert f"{params}：" in line
    for fragment in fragments:
        assert fragment in line, (fragment, line)


def test_parameters_file_missing(tmp_path, capsys):
    code, err = validate(capsys, tmp_path / "nope.yaml")
    assert code == 2
    assert "找不到参数文件" in err


# -- many problems at once ---------------------------------------------------------------


def test_all_problems_are_reported(example_copy, capsys):
    def change(wb):
        ws = wb["支出功能分类"]
        a = coord(ws, "决算数", "功能分类编码", 201)
        ws[a] = "abc"
        ws = wb["项目"]
        b = coord(ws, "完成状态", "序号", 7)
        ws[b] = "maybe"
        ws = wb["填报数据"]
        c = kv_coord(ws, "考核总分")
        ws[c] = "九十一"
        return [f"支出功能分类!{a}", f"项目!{b}", f"填报数据!{c}"]

    wheres = edit(example_copy, change)
    code, err = validate(capsys, example_copy)
    assert code == 2
    assert "发现 3 个问题" in err
    lines = problem_lines(err)
    assert [line.split(".")[0].strip() for line in lines] == ["1", "2", "3"]
    for where in wheres:
        assert sum(f" {where}：" in line for line in lines) == 1, (where, lines)


# -- property: corrupting any money cell is caught, at that cell ----------------------------

PROPERTY_SHEETS = ("支出功能分类", "预算收入", "资产负债")


def _money_cells() -> list[tuple[str, str]]:
    """Every non-blank money cell (detail and 合计 rows) of the property sheets, found from
    the format's column types and the headers in the example."""
    spec = workbook_spec()
    wb = openpyxl.load_workbook(EXAMPLE_XLSX)
    cells = []
    try:
        for name in PROPERTY_SHEETS:
            ws = wb[name]
            for col in spec.sheet(name).columns:
                if col.type != "money":
                    continue
                h = header_cell(ws, col.header)
                for r in range(h.row + 1, ws.max_row + 1):
                    c = ws.cell(row=r, column=h.column)
                    if isinstance(c.value, (int, float)):
                        cells.append((name, c.coordinate))
    finally:
        wb.close()
    return cells


MONEY_CELLS = _money_cells()


def test_property_covers_the_money_cells():
    by_sheet = {s: sum(1 for n, _ in MONEY_CELLS if n == s) for s in PROPERTY_SHEETS}
    # 9 functions × (预算数, 决算数); 4 sources + 合计; 7 上年末 + 3 本年末
    assert by_sheet == {"支出功能分类": 18, "预算收入": 5, "资产负债": 10}


# Saving a whole workbook with openpyxl for each of these cells would be slow, so the
# corrupt copy is made by rewriting the one <c> element inside the .xlsx zip.
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part (``xl/worksheets/sheet13.xml``) inside the package."""
    targets = {
        r.get("Id"): r.get("Target").lstrip("/")
        for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels")).findall("rel:Relationship", _NS)
    }
    targets = {k: v if v.startswith("xl/") else "xl/" + v for k, v in targets.items()}
    return {
        s.get("name"): targets[s.get(f"{{{_NS['r']}}}id")]
        for s in ET.fromstring(z.read("xl/workbook.xml")).iterfind("m:sheets/m:sheet", _NS)
    }


def replace_cell_xml(src: Path, dst: Path, sheet: str, ref: str, xml: str) -> None:
    """Copy ``src`` to ``dst`` with the ``<c>`` element of ``sheet!ref`` replaced by ``xml``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        part = _sheet_parts(zin)[sheet]
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == part:
                data, n = re.subn(rf'<c r="{ref}"(?: [^>/]*)?(?:/>|>.*?</c>)'.encode(), xml.encode(), data, flags=re.S)
                assert n == 1, (sheet, ref)
            zout.writestr(item, data)


def write_text_into_cell(src: Path, dst: Path, sheet: str, ref: str, text: str) -> None:
    """Copy ``src`` to ``dst`` with cell ``sheet!ref`` replaced by the string ``text``."""
    replace_cell_xml(src, dst, sheet, ref, f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>')


def test_write_text_into_cell(tmp_path):
    path = tmp_path / "patched.xlsx"
    write_text_into_cell(EXAMPLE_XLSX, path, "支出功能分类", "D5", "x")
    wb = openpyxl.load_workbook(path)
    assert wb["支出功能分类"]["D5"].value == "x"
    assert wb["支出功能分类"]["D4"].value == 0.9 and wb["支出功能分类"]["D6"].value == 268.58
    wb.close()


@pytest.mark.parametrize("sheet, ref", MONEY_CELLS, ids=[f"{s}!{r}" for s, r in MONEY_CELLS])
def test_any_money_cell_corrupted_is_named(sheet, ref, tmp_path, capsys):
    path = tmp_path / "broken.xlsx"
    write_text_into_cell(EXAMPLE_XLSX, path, sheet, ref, "x")
    code, err = validate(capsys, path)
    assert code == 2
    (line,) = problem_lines(err)
    assert f"{path} {sheet}!{ref}：" in line
    assert "发现：x" in line


# -- formulas: Excel stores each formula's result, a program that writes xlsx may not --------


def test_formula_saved_without_its_result_is_named(example_copy, capsys):
    """openpyxl (like other programs that write .xlsx) saves a formula without its result:
    read as is, the cell would be blank, so the loader names it instead."""

    def change(wb):
        wb["支出功能分类"]["D5"] = "=D4+D6"

    edit(example_copy, change)
    code, err = validate(capsys, example_copy)
    assert code == 2
    (line,) = problem_lines(err)  # that cell only: not also "missing value" for the same cell
    assert f"{example_copy} 支出功能分类!D5：" in line
    assert "发现：=D4+D6" in line and "没有保存计算结果" in line and "请用 Excel 或 WPS 打开并保存" in line


def test_formula_with_its_stored_result_reads_the_result(tmp_path, capsys):
    from jixiao.workbook.load import load_workbook, uncached_formulas

    wb = openpyxl.load_workbook(EXAMPLE_XLSX, read_only=True)
    value = wb["支出功能分类"]["D5"].value
    wb.close()
    path = tmp_path / "saved-by-excel.xlsx"
    replace_cell_xml(EXAMPLE_XLSX, path, "支出功能分类", "D5", f'<c r="D5"><f>D4+D6</f><v>{value}</v></c>')
    assert uncached_formulas(path) == []
    code, err = validate(capsys, path)
    assert code == 0, err
    import pandas as pd

    got, example = load_workbook(path), load_workbook(EXAMPLE_XLSX)
    for key, frame in example.tables.items():  # the stored result is what was read
        pd.testing.assert_frame_equal(got.tables[key], frame)


def test_formula_whose_result_is_empty_text_is_not_flagged(tmp_path):
    """Excel stores a formula that yields "" as ``t="str"`` with an empty ``<v>``."""
    from jixiao.workbook.load import uncached_formulas

    path = tmp_path / "empty-text.xlsx"
    replace_cell_xml(EXAMPLE_XLSX, path, "支出功能分类", "D5", '<c r="D5" t="str"><f>IF(D4=0,"",D4)</f><v></v></c>')
    assert uncached_formulas(path) == []
    path2 = tmp_path / "no-result.xlsx"
    replace_cell_xml(EXAMPLE_XLSX, path2, "支出功能分类", "D5", '<c r="D5"><f>IF(D4=0,&quot;&quot;,D4)</f></c>')
    assert uncached_formulas(path2) == [("支出功能分类", "D5", '=IF(D4=0,"",D4)')]


# -- data that would otherwise be dropped without a word ------------------------------------


def test_misspelled_optional_header_is_reported(example_copy, capsys):
    def rename(wb):
        c = header_cell(wb["支出功能分类"], "决算数")
        c.value = "决算金额"
        return c.coordinate

    where = edit(example_copy, rename)
    code, err = validate(capsys, example_copy)
    assert code == 2
    assert f"支出功能分类!{where}：未知的列“决算金额”（是否应为“决算数”？该列数据未被读取）" in err


def test_misnamed_optional_sheet_is_reported(example_copy, capsys):
    edit(example_copy, lambda wb: setattr(wb["三公经费"], "title", "三公经费表"))
    code, err = validate(capsys, example_copy)
    assert code == 2
    assert "三公经费表：未知的工作表“三公经费表”（是否应为“三公经费”？该表数据未被读取）" in err


def test_unrelated_extra_column_and_sheet_are_ignored(example_copy, capsys):
    def add(wb):
        ws = wb["项目"]
        ws.cell(row=header_cell(ws, "序号").row, column=ws.max_column + 1, value="经办人")
        wb.create_sheet("我的草稿")

    edit(example_copy, add)
    code, _ = validate(capsys, example_copy)
    assert code == 0


def test_required_table_without_rows(example_copy, capsys):
    def empty(wb):
        ws = wb["项目"]
        first = header_cell(ws, "序号").row + 1
        ws.delete_rows(first, ws.max_row)
        # indicators and monitoring point at projects: drop them too, so only this problem remains
        for name in ("项目指标", "监控情况"):
            del wb[name]

    edit(example_copy, empty)
    code, err = validate(capsys, example_copy)
    assert code == 2
    assert "项目!A3：“项目”表没有填写任何数据行" in err


def test_unicode_minus_sign_is_accepted(example_copy):
    from jixiao.workbook.load import load_workbook

    def minus(wb):
        ws = wb["资产负债"]
        ws[coord(ws, "变动率", "项目", "资产总额")] = "\u22120.23%"

    edit(example_copy, minus)
    ds = load_workbook(example_copy)
    assert ds.balance_sheet.loc[ds.balance_sheet["item"] == "资产总额", "change_stated"].item() == -0.23


def test_blank_text_cells_are_none(example_ds):
    assert example_ds.projects.loc[0, "fund_type"] is None
    assert example_ds.special_funds["direct"].map(lambda v: v is None or isinstance(v, str)).all()
