"""``checks.xlsx``: every finding of a run, one row each, for the consultant to sort and filter."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from jixiao.review.acknowledgements import Reviewed

HEADERS = [
    "序号",
    "结果",
    "检查编号",
    "检查项",
    "说明",
    "填报数",
    "计算数",
    "差异",
    "容差",
    "单元格",
    "报告位置",
    "校验说明",
]
WIDTHS = [6, 6, 28, 30, 80, 12, 12, 10, 10, 36, 30, 40]


def write_checks(path: Path, reviewed: Reviewed, headings: Sequence[tuple[str, ...]] = ()) -> None:
    """Write the findings of ``reviewed`` (errors first) to ``path``; text stays text
    (:mod:`jixiao.xlsx`). ``headings`` (:func:`jixiao.review.document.report_headings`)
    number each finding's place as the report prints it."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from jixiao.analysis.checks import SEVERITIES
    from jixiao.review.document import placed
    from jixiao.xlsx import append_row

    wb = Workbook()
    ws = wb.active
    ws.title = "勾稽校验"
    append_row(ws, HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    ordered = sorted(reviewed.items, key=lambda item: rank[item[0].severity])
    for i, (f, ack) in enumerate(ordered, 1):
        append_row(
            ws,
            [
                i,
                f.label + ("（已说明）" if ack else ""),
                f.id,
                f.title,
                f.message,
                f.stated,
                f.computed,
                f.difference,
                f.tolerance,
                "、".join(str(c) for c in f.cells),
                placed(f.id, list(headings)),
                ack.reason if ack else None,
            ],
        )
    for col, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in row[5:9]:
            cell.number_format = "0.00"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    wb.save(path)
