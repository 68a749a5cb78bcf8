"""Write the township workbook: empty (a template to fill by hand) or filled from data.

The sheets, headers, notes and Excel data validation all come from
``config/workbook.yaml``, so the template always matches what the loader accepts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jixiao.workbook.spec import Field_, Sheet, WorkbookSpec, workbook_spec
from jixiao.xlsx import put  # data from a transcription or last year's file: text stays text

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FONT = Font(bold=True, color="C00000")
_BOLD = Font(bold=True)
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TYPE_NAMES = {
    "text": "文字",
    "longtext": "文字（可较长）",
    "int": "整数",
    "money": "金额（万元）",
    "number": "数字",
    "percent": "百分比",
    "date": "日期",
    "year": "年份",
    "enum": "下拉选择",
    "func_code": "功能分类编码",
    "value": "数字或文字",
}
_WIDTH = {"longtext": 48, "text": 24, "date": 14, "enum": 12}

GUIDE = """\
填写说明
1. 每个工作表对应报告的一部分；表头（第2行）不要改动，可以在表头上方加标题行。
2. 红色粗体表头为必填列；把鼠标放在表头上可看到该列的类型、单位、说明和示例。
3. 金额一律以“万元”为单位（可写 1,234.56；写“5000元”会自动换算为万元）；百分比写作 97.47% 或 0.9747。
4. 带“合计”的表：在最后一行“名称”列写“合计”，填写报告中陈述的合计数（不要用公式代替），系统会与明细核对。
5. 报告没有提到的数字请留空，不要填 0；0 表示“确实为零”。
6. “项目”表的序号必须唯一：项目名称可以重复。
7. 其他单元格可以用公式：系统读取 Excel/WPS 保存的计算结果。由程序生成、从未在 Excel/WPS 中保存过的文件只有公式没有结果，会被逐格报错，请打开并保存一次。
8. 填写完成后运行：jixiao validate 工作簿.xlsx
"""


def _comment(f: Field_, extra: str = "") -> Comment:
    lines = [f"类型：{_TYPE_NAMES[f.type]}"]
    if f.unit_label:
        lines.append(f"单位：{f.unit_label}")
    lines.append("必填" if f.required else "选填（报告未提及时留空）")
    if f.choices:
        lines.append("可选：" + "、".join(f.choices))
    if f.note:
        lines.append(f"说明：{f.note}")
    if f.example is not None:
        lines.append(f"示例：{f.example}")
    if extra:
        lines.append(extra)
    c = Comment("\n".join(lines), "jixiao")
    c.width, c.height = 260, 24 + 18 * len(lines)
    return c


def choice_check(choices: Sequence[str], note: str = "") -> DataValidation:
    """A drop-down of ``choices`` (a warning when something else is typed: the loaders accept
    the aliases of config/enums.yaml); ``note`` follows the list in the alert."""
    return DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="请从下拉列表选择",
        error="可选：" + "、".join(choices) + note,
    )


def non_negative_check(title: str, error: str) -> DataValidation:
    """Excel's check for a number not below 0: a warning, not a stop, because the loaders
    also accept text such as “5000元” or “—” (and say what they make of it)."""
    return DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=title,
        error=error,
    )


def _validation(f: Field_) -> DataValidation | None:
    """Excel's own check for a column, so typing errors are caught while filling in.

    ``showErrorMessage`` must be on, or Excel accepts anything silently; the alert is a
    warning, not a stop, because the loader also accepts text such as “5000元”.
    """
    if f.type == "enum":
        assert f.choices is not None  # the spec validator: enum columns (and only they) list choices
        return choice_check(f.choices)
    if f.type in ("money", "number") and not f.signed:
        return non_negative_check(
            "应为非负数字", "请填写不小于 0 的数字" + (f"（单位：{f.unit_label}）" if f.unit_label else "")
        )
    if f.type == "int":
        return DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="应为整数",
            error="请填写不小于 0 的整数",
        )
    if f.type == "year":
        return DataValidation(
            type="whole",
            operator="between",
            formula1="1990",
            formula2="2100",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="应为年份",
            error="请填写四位年份，如 2023",
        )
    if f.type == "func_code":
        return DataValidation(
            type="whole",
            operator="between",
            formula1="201",
            formula2="299",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="应为功能分类编码",
            error="请填写支出功能分类（类）编码，如 201",
        )
    return None


def _cell_value(f: Field_, value: Any):
    """Data value → what is written into the cell, and its number format."""
    if value is None:
        return None, None
    if f.type == "percent":
        text = str(value).strip()
        if text.endswith("%"):
            digits = len(text[:-1].split(".")[1]) if "." in text else 0
            # Written as an Excel percent cell: the value is the fraction (0.4814).
            return float(text[:-1]) / 100, "0." + "0" * digits + "%" if digits else "0%"
        return value, None
    if f.type == "date":
        if isinstance(value, str):
            value = dt.date.fromisoformat(value)
        return value, "yyyy-mm-dd"
    if f.type == "money" and isinstance(value, (int, float)):
        return value, "0.00"
    return value, None


def _title(ws, sheet: Sheet, width: int) -> None:
    ws.cell(row=1, column=1, value=f"{sheet.name}：{sheet.description}").font = Font(bold=True, size=12)
    if width > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)


def _note(text: str) -> Comment:
    """A cell's own comment (where a carried value comes from)."""
    c = Comment(text, "jixiao")
    c.width, c.height = 320, 60
    return c


def _write_table(ws, sheet: Sheet, rows: list[dict], comments: dict | None = None) -> None:
    _title(ws, sheet, len(sheet.columns))
    for j, col in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=2, column=j, value=col.header)
        cell.fill, cell.border = _HEADER_FILL, _BOX
        cell.font = _REQUIRED_FONT if col.required else _BOLD
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.comment = _comment(col)
        ws.column_dimensions[get_column_letter(j)].width = _WIDTH.get(col.type, 12)
        dv = _validation(col)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(f"{get_column_letter(j)}3:{get_column_letter(j)}2000")
    unknown = {h for r in rows for h in r} - {c.header for c in sheet.columns}
    if unknown:
        raise KeyError(f"{sheet.name}: unknown columns {sorted(unknown)}")
    comments = comments or {}
    for i, row in enumerate(rows, start=3):
        for j, col in enumerate(sheet.columns, start=1):
            value, number_format = _cell_value(col, row.get(col.header))
            cell = put(ws, i, j, value)
            cell.border = _BOX
            if (sheet.name, i - 3, col.header) in comments:
                cell.comment = _note(comments[(sheet.name, i - 3, col.header)])
            if number_format:
                cell.number_format = number_format
            if col.type == "longtext":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A3"


def _write_kv(ws, sheet: Sheet, values: dict, comments: dict | None = None) -> None:
    _title(ws, sheet, 4)
    for j, h in enumerate(sheet.kv_headers, start=1):
        cell = ws.cell(row=2, column=j, value=h)
        cell.fill, cell.border, cell.font = _HEADER_FILL, _BOX, _BOLD
    for letter, width in zip("ABCD", (26, 60 if sheet.value_header == "内容" else 22, 10, 48)):
        ws.column_dimensions[letter].width = width
    unknown = set(values) - {k.key for k in sheet.keys}
    if unknown:
        raise KeyError(f"{sheet.name}: unknown keys {sorted(unknown)}")
    group = None
    for i, key in enumerate(sheet.keys, start=3):
        given = values.get(key.key)
        note = key.note or ""
        if isinstance(given, dict):
            note, given = given.get("说明", note), given.get("数值")
        kcell = ws.cell(row=i, column=1, value=key.key)
        kcell.font = _REQUIRED_FONT if key.required else Font()
        kcell.comment = _comment(key, f"分组：{key.group}" if key.group and key.group != group else "")
        group = key.group
        value, number_format = _cell_value(key, given)
        vcell = put(ws, i, 2, value)
        if comments and (sheet.name, key.key, None) in comments:
            vcell.comment = _note(comments[(sheet.name, key.key, None)])
        if number_format:
            vcell.number_format = number_format
        if key.type == "longtext":
            vcell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=i, column=3, value=key.unit_label or None)
        ws.cell(row=i, column=4, value=note or None)
        for j in range(1, 5):
            ws.cell(row=i, column=j).border = _BOX
        dv = _validation(key)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(f"B{i}")
    ws.freeze_panes = "A3"


def write_workbook(
    path: str | Path,
    data: dict[str, Any] | None = None,
    *,
    spec: WorkbookSpec | None = None,
    label: str | None = None,
    comments: dict[tuple[str, Any, str | None], str] | None = None,
) -> Path:
    """Write a township workbook.

    Parameters
    ----------
    path : str or Path
        Where to write the ``.xlsx``.
    data : dict, optional
        Sheet name → rows (tables: list of header → value mappings, the stated total as
        a row labelled 合计) or key → value (key-value sheets). Without it, an empty
        template is written.
    spec : WorkbookSpec, optional
        The format; the shipped one by default.
    label : str, optional
        A line added to the 填写说明 sheet (e.g. where the data was transcribed from).
    comments : dict, optional
        Comments on data cells: (sheet name, row index in ``data`` (0 = first row), column
        header) for a table cell, (sheet name, key, None) for a key's value → text (where a
        carried value comes from, :func:`jixiao.workbook.carry.carry_forward`).

    Returns
    -------
    Path
    """
    spec = spec or workbook_spec()
    data = data or {}
    unknown = set(data) - {s.name for s in spec.sheets}
    if unknown:
        raise KeyError(f"unknown sheets {sorted(unknown)}")
    wb = Workbook()
    guide = wb.active
    guide.title = "填写说明"
    guide_text = spec.guide or GUIDE
    for i, line in enumerate((guide_text + (f"\n{label}" if label else "")).splitlines(), start=1):
        guide.cell(row=i, column=1, value=line)
    guide.column_dimensions["A"].width = 110
    for sheet in spec.sheets:
        ws = wb.create_sheet(sheet.name)
        if sheet.kind == "table":
            _write_table(ws, sheet, data.get(sheet.name) or [], comments)
        else:
            _write_kv(ws, sheet, data.get(sheet.name) or {}, comments)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def read_transcription(folder: str | Path) -> dict[str, Any]:
    """Merge the YAML files of a transcription folder into one sheet → data mapping."""
    merged: dict[str, Any] = {}
    for f in sorted(Path(folder).glob("*.yaml")):
        part = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        clash = set(part) & set(merged)
        if clash:
            raise KeyError(f"{f.name}: sheets {sorted(clash)} are already given by another file")
        merged.update(part)
    return merged
