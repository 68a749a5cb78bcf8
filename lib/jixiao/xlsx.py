"""Writing cells of the workbooks jixiao produces: text stays text.

Names and sentences come from workbooks that reach a consultant from many offices; written
back into a spreadsheet, text beginning with ``=`` would be a live formula (openpyxl
stores it as one), and text beginning with ``+``, ``-`` or ``@`` is read as one when a user
edits the cell. Every writer puts values through :func:`put` or :func:`append_row`: such
text is stored as a string with Excel's quote prefix (shown without an apostrophe, never
evaluated). jixiao itself writes no formulas.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

#: What makes Excel or WPS evaluate typed text (and DDE payloads start with).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_text(cell: Cell) -> Cell:
    """Keep a string ``cell`` a string: never a formula, quote-prefixed when it starts
    like one."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_START):
            cell.quotePrefix = True
    return cell


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """``ws.cell(row, column, value)`` with text kept as text (:func:`as_text`)."""
    return as_text(ws.cell(row=row, column=column, value=value))


def append_row(ws: Worksheet, values: Iterable[Any]) -> None:
    """``ws.append(values)`` with text kept as text (:func:`as_text`)."""
    ws.append(list(values))
    for cell in ws[ws.max_row]:
        as_text(cell)
