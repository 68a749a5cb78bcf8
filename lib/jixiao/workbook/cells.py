"""Turning what people type into Excel cells into typed values.

Real workbooks hold full-width digits (the seed itself writes ``２万元``), thousands
separators, unit suffixes, percentages as ``97.47%`` or ``0.9747``, dates in several
spellings and numbers stored as text. Each parser accepts those and raises
:class:`CellValueError` with a Chinese "expected" phrase for anything else.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from jixiao.workbook.spec import Field_, enum_aliases, function_codes


class CellValueError(ValueError):
    """A cell's content does not fit its column; ``expected`` says what would."""

    def __init__(self, expected: str, message: str = ""):
        self.expected = expected
        self.message = message or f"格式不正确，应为{expected}"
        super().__init__(self.message)


#: The error values Excel stores as a cell's result (``<c t="e"><v>#REF!</v></c>``):
#: openpyxl reads them as these strings, in every mode.
EXCEL_ERRORS = frozenset(
    ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!", "#CALC!", "#GETTING_DATA")
)

# OOXML (ECMA-376 Part 1, 22.9.2.19 ST_Xstring) stores a character XML cannot hold as
# ``_xHHHH_`` (Excel writes a line break typed with Alt+Enter on Windows as ``_x000D_``)
# and a literal ``_xHHHH_`` with its underscore escaped as ``_x005F_``. openpyxl decodes
# neither in cell text (it only drops ``x005F_`` from shared strings, so a literal
# ``_x000D_`` typed by a user is indistinguishable from an escaped one after it: the rare
# literal is decoded too). One left-to-right pass, so ``_x005F_x000D_`` → ``_x000D_``.
_XML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# What an escape may decode to but no text should keep: C0 controls other than tab and
# line feed (Excel shows none of them), and lone surrogates (not text at all).
_UNSHOWN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def excel_text(text: str) -> str:
    """Cell text as Excel shows it: ``_xHHHH_`` escapes decoded, line breaks ``\\n``.

    ``"第一行_x000D_\\n第二行"`` → ``"第一行\\n第二行"``; ``_x005F_`` is a literal underscore.
    Control characters an escape may produce (other than tab and line break) are dropped.
    """
    if "_x" in text:
        text = _XML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSHOWN.sub("", text)


def is_excel_error(value: Any) -> bool:
    """``value`` is an Excel error value (``#REF!``, ``#N/A`` …), as openpyxl reads one."""
    return isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS


def normalize_text(value: Any) -> str:
    """Escapes decoded (:func:`excel_text`), NFKC-folded (full-width → half-width) and
    stripped; ``None`` → ``""``."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", excel_text(str(value))).strip()


def compact(value: Any) -> str:
    """Label, header and key comparison form: folded, white space, ``*`` markers and
    invisible format characters (zero-width space, BOM, …) removed, so ``合\u200b计`` is 合计."""
    if value is None:
        return ""
    text = "".join(ch for ch in normalize_text(value) if unicodedata.category(ch) != "Cf")
    return re.sub(r"[\s*]+", "", text)


def show(value: Any) -> str:
    """How a found value is quoted back to the user."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    return str(value)


#: Scaling (fraction → percentage points, 元 → 万元) is rounded to this many decimals so
#: that 0.103 × 100 gives 10.3, not 10.299999999999999, and stated figures compare exactly.
_SCALE_DIGITS = 10

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


#: Minus signs people paste from Word or PDFs (NFKC leaves U+2212 alone).
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\ufe63": "-"})


def _number_from_text(text: str) -> float | None:
    text = text.replace(" ", "").translate(_MINUS)
    if _GROUPED.match(text):
        text = text.replace(",", "")
    if _NUMBER.match(text):
        return float(text)
    return None


def parse_number(value: Any, field: Field_, *, yuan: bool = False, percent_cell: bool = False) -> float | int:
    """Parse a numeric cell of ``field``'s type.

    Parameters
    ----------
    value : Any
        The raw cell value from openpyxl.
    field : Field_
        The column or key, for its type, unit and sign rule.
    yuan : bool
        The column is declared in 元 (header ``金额（元）``): convert to 万元.
    percent_cell : bool
        The cell carries an Excel percent number format, so 0.9747 means 97.47%.

    Returns
    -------
    float or int
        Money in 万元, percentages in percentage points, ``int`` for int/year/func_code.
    """
    kind = field.type
    factor = 1.0
    number: float | None  # None while text is being read: not a number
    if isinstance(value, bool):
        raise CellValueError(_expected(field))
    if isinstance(value, (int, float)):
        number = float(value)
        if kind == "percent":
            # An Excel percent cell or a bare fraction: both are fractions of 1.
            if not percent_cell and abs(number) > 10:
                raise CellValueError(
                    "百分比（如 97.47% 或 0.9747）",
                    f"数值 {show(value)} 不像百分比：请写作带 % 的百分数（如 97.47%）或小数（如 0.9747）",
                )
            number = round(number * 100, _SCALE_DIGITS)
        elif yuan and kind == "money":
            number = round(number / 10000, _SCALE_DIGITS)
    else:
        text = normalize_text(value)
        if kind == "percent":
            if text.endswith("%"):
                number = _number_from_text(text[:-1])
            else:
                number = _number_from_text(text)
                if number is not None:
                    if abs(number) > 10:
                        raise CellValueError(
                            "百分比（如 97.47% 或 0.9747）",
                            f"数值 {text} 不像百分比：请写作带 % 的百分数（如 97.47%）或小数（如 0.9747）",
                        )
                    number = round(number * 100, _SCALE_DIGITS)
        else:
            if kind == "money":
                # 万元 first: "２万元" must not be read as 2 元.
                for suffix, f in (("万元", 1.0), ("万", 1.0), ("元", 1 / 10000)):
                    if text.endswith(suffix):
                        text, factor = text[: -len(suffix)], f
                        break
                else:
                    factor = 1 / 10000 if yuan else 1.0
            elif field.unit and text.endswith(field.unit):
                text = text[: -len(field.unit)]
            number = _number_from_text(text)
            if number is not None:
                number = round(number * factor, _SCALE_DIGITS)
        if number is None:
            raise CellValueError(_expected(field))
    if not field.signed and number < 0:
        raise CellValueError(_expected(field), "不能为负数")
    if kind in ("int", "year", "func_code"):
        if not float(number).is_integer():
            raise CellValueError(_expected(field), "应为整数")
        number = int(number)
        if kind == "year" and not 1990 <= number <= 2100:
            raise CellValueError("四位年份（如 2023）", "年份超出范围")
        if kind == "func_code" and number not in function_codes():
            raise CellValueError(
                "支出功能分类（类）编码，如 201、208、213",
                f"未知的功能分类编码 {number}",
            )
    return number


def parse_date(value: Any, field: Field_) -> dt.date:
    """Excel dates and 2023-10-23 / 2023年10月23日 / 2023.10.23 / 2023/10/23."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = normalize_text(value).replace(" ", "")
    m = re.match(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?$", text)
    if m:
        try:
            return dt.date(*(int(g) for g in m.groups()))
        except ValueError:
            pass
    raise CellValueError(_expected(field))


def parse_enum(value: Any, field: Field_) -> str:
    text = normalize_text(value).replace(" ", "")
    choices = field.choices or ()
    for choice in choices:
        if text == normalize_text(choice):
            return choice
    canon = enum_aliases().get(text)
    if canon in choices:
        return canon
    raise CellValueError(_expected(field))


def parse_value(value: Any, *, percent_cell: bool = False) -> float | str:
    """A number where there is one (``4``, ``"4"``, ``"85%"`` → 85), else the text.

    An Excel percent cell holds the fraction (0.85 shown as 85%): it becomes 85, the
    same percentage points as the typed ``85%``.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return round(float(value) * 100, _SCALE_DIGITS) if percent_cell else float(value)
    text = normalize_text(value)
    number = _number_from_text(text.rstrip("%")) if text.endswith("%") else _number_from_text(text)
    return number if number is not None else text


def parse_cell(value: Any, field: Field_, *, yuan: bool = False, percent_cell: bool = False, error_cell: bool = False):
    """Parse one non-blank cell according to ``field.type``.

    An Excel error value (``#REF!``, ``#N/A`` …: a formula that failed; ``error_cell``
    when the file marks the cell so, for error values newer than :data:`EXCEL_ERRORS`) is
    an error in every column, text included: read as text it would be printed as a name.
    """
    kind = field.type
    if error_cell or is_excel_error(value):
        shown = "数值或文字" if kind == "value" else _expected(field)
        raise CellValueError(
            f"{shown}（单元格为 Excel 错误值，请修正公式或改为{'文字' if kind in ('text', 'longtext') else '数值'}）",
            f"为 Excel 错误值 {str(value).strip()}（公式出错或引用失效）",
        )
    if kind in ("text", "longtext"):
        if isinstance(value, (dt.date, dt.datetime)):
            return show(value)
        return show(value).strip() if not isinstance(value, str) else excel_text(value).strip()
    if kind == "date":
        return parse_date(value, field)
    if kind == "enum":
        return parse_enum(value, field)
    if kind == "value":
        return parse_value(value, percent_cell=percent_cell)
    return parse_number(value, field, yuan=yuan, percent_cell=percent_cell)


def _expected(field: Field_) -> str:
    return {
        "int": "整数" + (f"（{field.unit}）" if field.unit else ""),
        "money": "金额（万元，如 1234.56）" + ("" if field.signed else "，不能为负"),
        "number": "数字" + (f"（{field.unit}）" if field.unit else ""),
        "percent": "百分比（如 97.47% 或 0.9747）",
        "date": "日期（如 2023-10-23 或 2023年10月23日）",
        "year": "四位年份（如 2023）",
        "enum": "以下之一：" + "、".join(field.choices or ()),
        "func_code": "支出功能分类（类）编码，如 201、208、213",
    }.get(field.type, "文字")
