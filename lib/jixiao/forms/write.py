"""Write the official 项目支出绩效自评表 (财预〔2020〕10号 附件) into a worksheet.

The layout is the national one, printed on one A4 page: the title and year, 项目名称,
主管部门 | 实施单位, the 项目资金（万元） block (年度资金总额 and its 其中 rows × 年初预算数,
全年预算数, 全年执行数; 分值, 执行率, 得分 on the total row), 年度总体目标 (预期目标 |
实际完成情况), the 绩效指标 block (一级指标 and 二级指标 merged over their rows) and 总分.
The reader (:mod:`jixiao.forms.read`) finds these blocks by their labels, so a form written
here reads back with the same figures.

Only what the form states is written: a blank figure stays a blank cell, never 0. Text goes
through :mod:`jixiao.xlsx`, so a target such as ``=1173名`` stays text (Excel's quote
prefix, no visible apostrophe). Rates are written as Excel percentages (the cell holds the
fraction, 1 for 100 %, shown ``0.00%``), as a user typing “100%” would leave them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.forms.model import FUND_COLUMNS, FUND_ROWS, FormIndicator, FundRow, ProjectForm
from jixiao.values import plain
from jixiao.workbook.template import choice_check, non_negative_check
from jixiao.xlsx import put

TITLE = "项目支出绩效自评表"
#: The 一级指标 of the national form, in its order.
LEVEL1 = ("产出指标", "效益指标", "满意度指标")
#: The 二级指标 the national form lists under each 一级指标 (财预〔2020〕10号 附件): the
#: template's drop-down. Forms from provinces add their own; the reader takes any wording.
LEVEL2: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
#: Number formats: money in 万元 and scores to two decimals; rates as Excel percentages.
MONEY_FORMAT = "0.00"
SCORE_FORMAT = "0.00"
RATE_FORMAT = "0.00%"

#: Columns A–I: block label, 一级, 二级, 三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因.
WIDTHS = (11, 12, 13, 24, 13, 13, 8, 9, 24)
LAST_COLUMN = len(WIDTHS)
_FUND_HEADER_COLUMNS = {"initial": 4, "budget": 5, "executed": 6}
#: The funding block's 分值, 执行率, 得分 columns and the indicator block's 分值, 得分.
_F_POINTS, _F_RATE, _F_SCORE = 7, 8, 9
_I_POINTS, _I_SCORE = 7, 8

# Chinese government forms are set in 宋体 (body) and 黑体 (title); both ship with every
# Chinese Windows and map to a CJK font elsewhere, so the characters never show as boxes.
_BODY = Font(name="宋体", size=10)
_BOLD = Font(name="宋体", size=10, bold=True)
_TITLE = Font(name="黑体", size=16, bold=True)
_SUBTITLE = Font(name="宋体", size=11)
_NOTE = Font(name="宋体", size=9, color="C00000")
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = PatternFill("solid", fgColor="F2F2F2")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center")
#: Excel forbids these in sheet names; each becomes its full-width twin, which reads the same.
_SHEET_CHARS = str.maketrans({"\\": "＼", "/": "／", "?": "？", "*": "＊", "[": "［", "]": "］", ":": "："})
_LINE_HEIGHT = 14.25  # points per line of 10-pt 宋体


def write_form_sheet(ws: Worksheet, form: ProjectForm, *, label: str | None = None) -> Worksheet:
    """Write one form into ``ws`` in the official layout.

    Parameters
    ----------
    ws : Worksheet
        An empty worksheet (its title is left as it is).
    form : ProjectForm
        The form; amounts in 万元, 执行率 in percentage points (as the model keeps them).
    label : str, optional
        A note printed under the title across the whole width, e.g. “示例数据：……” or how
        the scores were computed.

    Returns
    -------
    Worksheet
        ``ws``, filled.
    """
    _write(ws, form, label=label, blank_rows=0)
    return ws


def write_form_workbook(path: str | Path, forms: Iterable[ProjectForm], *, label: str | None = None) -> Path:
    """Write ``forms`` into one workbook, one sheet per form.

    Sheets are named after the projects (:func:`sheet_title`: unique, at most 31
    characters, Excel's forbidden characters replaced by their full-width twins).
    """
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for form in forms:
        write_form_sheet(wb.create_sheet(sheet_title(form.project or form.sheet, taken)), form, label=label)
    if not wb.sheetnames:
        wb.create_sheet(TITLE)
    path = Path(path)
    wb.save(path)
    return path


def write_form_template(path: str | Path, *, rows: int = 8) -> Path:
    """Write an empty form to fill in: drop-downs for 一级/二级指标, numeric checks on the
    amounts and scores, and a note on every field saying what it expects.

    Parameters
    ----------
    path : str or Path
        Where to write the ``.xlsx``.
    rows : int
        Empty indicator rows (more can be inserted above the 总分 row).
    """
    wb = Workbook()
    ws = wb.active
    ws.title = TITLE
    form = ProjectForm(path=None, sheet=TITLE, project="")
    layout = _write(
        ws,
        form,
        label="填写说明：金额单位为万元；报告或批复没有的数字留空，不要填0；把鼠标放在各栏目上可看到填写要求。",
        blank_rows=rows,
    )
    _annotate_template(ws, layout)
    path = Path(path)
    wb.save(path)
    return path


def sheet_title(name: str, taken: set[str]) -> str:
    """A sheet title for ``name`` that Excel accepts and that is not in ``taken`` (which
    gains it): forbidden characters replaced, control characters and line breaks dropped,
    at most 31 characters, ``(2)`` … appended to repeats (Excel compares sheet names
    without case)."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(name)).translate(_SHEET_CHARS)
    base = " ".join(text.split()).strip("'") or "项目"
    seen = {t.casefold() for t in taken}
    title, n = base[:31], 1
    while title.casefold() in seen:
        n += 1
        suffix = f"({n})"
        title = base[: 31 - len(suffix)] + suffix
    taken.add(title)
    return title


# --- the layout -------------------------------------------------------------------------


class _Layout:
    """Where the writer put things (for the template's notes and validations)."""

    def __init__(self) -> None:
        self.rows: dict[str, int] = {}
        self.indicator_rows: list[int] = []


def _write(ws: Worksheet, form: ProjectForm, *, label: str | None, blank_rows: int) -> _Layout:
    layout = _Layout()
    for i, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width

    _merged(ws, 1, 1, 1, LAST_COLUMN, TITLE, font=_TITLE, align=_CENTER, box=False)
    ws.row_dimensions[1].height = 30
    year = f"（{form.year}年度）" if form.year else "（    年度）"
    _merged(ws, 2, 1, 2, LAST_COLUMN, year, font=_SUBTITLE, align=_CENTER, box=False)
    layout.rows["year"] = 2
    r = 3
    if label:
        _merged(ws, r, 1, r, LAST_COLUMN, label, font=_NOTE, align=_LEFT, box=False)
        ws.row_dimensions[r].height = _height(label, sum(WIDTHS))
        r += 1
    _merged(ws, r, _F_POINTS, r, LAST_COLUMN, "单位：万元", font=_BODY, align=_RIGHT, box=False)
    r += 1
    first = r

    # 项目名称; 主管部门 | 实施单位
    _label(ws, r, 1, "项目名称")
    _merged(ws, r, 2, r, LAST_COLUMN, form.project or None, align=_LEFT)
    layout.rows["project"] = r
    r += 1
    _label(ws, r, 1, "主管部门")
    _merged(ws, r, 2, r, 5, form.department, align=_LEFT)
    _merged(ws, r, 6, r, 7, "实施单位", font=_BOLD, fill=_HEAD)
    _merged(ws, r, 8, r, LAST_COLUMN, form.implementer, align=_LEFT)
    layout.rows["department"] = r
    r += 1

    # 项目资金（万元）: a header row and the four funding rows
    _merged(ws, r, 1, r + len(FUND_ROWS), 1, "项目资金（万元）", font=_BOLD, fill=_HEAD)
    _merged(ws, r, 2, r, 3, None, fill=_HEAD)
    for key, column in _FUND_HEADER_COLUMNS.items():
        _label(ws, r, column, FUND_COLUMNS[key])
    for column, text in ((_F_POINTS, "分值"), (_F_RATE, "执行率"), (_F_SCORE, "得分")):
        _label(ws, r, column, text)
    layout.rows["funds"] = r
    for key, words in FUND_ROWS.items():
        r += 1
        row = form.funds.get(key) or FundRow(key=key, label=words)
        text = words if key != "fiscal" else f"其中：{words}"
        _merged(ws, r, 2, r, 3, text, align=_LEFT if key != "total" else _CENTER)
        for field, column in _FUND_HEADER_COLUMNS.items():
            _figure(ws, r, column, getattr(row, field), MONEY_FORMAT)
        layout.rows[f"fund_{key}"] = r
        if key == "total":
            _figure(ws, r, _F_POINTS, row.points, SCORE_FORMAT)
            _figure(ws, r, _F_RATE, None if row.rate is None else row.rate / 100, RATE_FORMAT)
            _figure(ws, r, _F_SCORE, row.score, SCORE_FORMAT)
        else:
            for column in (_F_POINTS, _F_RATE, _F_SCORE):
                _box(ws.cell(row=r, column=column))
    r += 1

    # 年度总体目标
    _merged(ws, r, 1, r + 1, 1, "年度总体目标", font=_BOLD, fill=_HEAD)
    _merged(ws, r, 2, r, 5, "预期目标", font=_BOLD, fill=_HEAD)
    _merged(ws, r, 6, r, LAST_COLUMN, "实际完成情况", font=_BOLD, fill=_HEAD)
    r += 1
    _merged(ws, r, 2, r, 5, form.goal_expected, align=_TOP_LEFT)
    _merged(ws, r, 6, r, LAST_COLUMN, form.goal_actual, align=_TOP_LEFT)
    half = sum(WIDTHS[1:5])
    ws.row_dimensions[r].height = max(
        3 * _LINE_HEIGHT, _height(form.goal_expected, half), _height(form.goal_actual, sum(WIDTHS[5:]))
    )
    layout.rows["goal"] = r
    r += 1

    # 绩效指标
    head = r
    headers = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
    for column, text in enumerate(headers, 2):
        _label(ws, r, column, text)
    layout.rows["indicators"] = r
    r += 1
    start = r
    for ind in form.indicators:
        _indicator(ws, r, ind)
        layout.indicator_rows.append(r)
        r += 1
    for _ in range(blank_rows if blank_rows else (0 if form.indicators else 1)):
        for column in range(2, LAST_COLUMN + 1):
            _box(ws.cell(row=r, column=column), align=_CENTER if column != 4 else _LEFT)
        layout.indicator_rows.append(r)
        r += 1
    _merge_runs(ws, start, form.indicators)
    _merged(ws, head, 1, r - 1, 1, "绩效指标", font=_BOLD, fill=_HEAD)

    # 总分
    _merged(ws, r, 1, r, _I_POINTS - 1, "总分", font=_BOLD, fill=_HEAD)
    _figure(ws, r, _I_POINTS, _total_points(form), SCORE_FORMAT)
    _figure(ws, r, _I_SCORE, form.total_score, SCORE_FORMAT)
    _box(ws.cell(row=r, column=LAST_COLUMN))
    layout.rows["total"] = r
    for n in range(first, r + 1):
        if ws.row_dimensions[n].height is None:
            ws.row_dimensions[n].height = 2 * _LINE_HEIGHT

    _print_setup(ws, r)
    return layout


def _indicator(ws: Worksheet, r: int, ind: FormIndicator) -> None:
    values: Sequence[tuple[int, Any, Alignment]] = (
        (2, _level1_label(ind), _CENTER),
        (3, ind.level2 or None, _CENTER),
        (4, ind.name or None, _LEFT),
        (5, ind.target, _CENTER),
        (6, ind.actual, _CENTER),
        (9, ind.note, _LEFT),
    )
    for column, value, align in values:
        _box(put(ws, r, column, value), align=align)
    _figure(ws, r, _I_POINTS, ind.points, SCORE_FORMAT)
    _figure(ws, r, _I_SCORE, ind.score, SCORE_FORMAT)
    ws.row_dimensions[r].height = max(
        _LINE_HEIGHT * 1.5, _height(ind.name, WIDTHS[3]), _height(ind.note, WIDTHS[8]), _height(ind.target, WIDTHS[4])
    )


def _level1_label(ind: FormIndicator) -> str | None:
    """“产出指标（50分）” when the points of the 一级指标 are known, else its name."""
    if not ind.level1:
        return None
    if ind.level1_points is None:
        return ind.level1
    return f"{ind.level1}（{plain(ind.level1_points, 2)}分）"


def _merge_runs(ws: Worksheet, start: int, indicators: Sequence[FormIndicator]) -> None:
    """Merge the 一级指标 cells over each run of rows that share it, and the 二级指标 cells
    over each run within it (the form's own look; the order of the rows is kept)."""
    i = 0
    while i < len(indicators):
        j = i
        while j + 1 < len(indicators) and indicators[j + 1].level1 == indicators[i].level1:
            j += 1
        if j > i and indicators[i].level1:
            ws.merge_cells(start_row=start + i, start_column=2, end_row=start + j, end_column=2)
        k = i
        while k <= j:
            m = k
            while m + 1 <= j and indicators[m + 1].level2 == indicators[k].level2:
                m += 1
            if m > k and indicators[k].level2:
                ws.merge_cells(start_row=start + k, start_column=3, end_row=start + m, end_column=3)
            k = m + 1
        i = j + 1


def _total_points(form: ProjectForm) -> float | None:
    """The 分值 of the 总分 row: as the form states it, or else its stated points added up
    when every one is stated (the official form prints it, usually 100)."""
    if form.total_points is not None:
        return form.total_points
    total = form.funds.get("total")
    points = [total.points if total else None] + [ind.points for ind in form.indicators]
    if not form.indicators or any(p is None for p in points):
        return None
    return sum(p for p in points if p is not None)


def _print_setup(ws: Worksheet, last_row: int) -> None:
    """A4 portrait, one page wide, the title rows repeated on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as it takes
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_title_rows = "1:2"
    ws.print_area = f"A1:{get_column_letter(LAST_COLUMN)}{last_row}"


# --- cells ------------------------------------------------------------------------------


def _box(cell: Cell, *, align: Alignment | None = None, font: Font = _BODY) -> Cell:
    cell.border, cell.font = _BOX, font
    cell.alignment = align or _CENTER
    return cell


def _label(ws: Worksheet, r: int, column: int, text: str) -> Cell:
    cell = _box(put(ws, r, column, text), font=_BOLD)
    cell.fill = _HEAD
    return cell


def _figure(ws: Worksheet, r: int, column: int, value: float | None, number_format: str) -> Cell:
    """A figure, or a blank cell when the form has none (a blank is never 0)."""
    cell = _box(put(ws, r, column, value))
    if value is not None:
        cell.number_format = number_format
    return cell


def _merged(
    ws: Worksheet,
    r1: int,
    c1: int,
    r2: int,
    c2: int,
    value: Any,
    *,
    font: Font = _BODY,
    align: Alignment = _CENTER,
    fill: PatternFill | None = None,
    box: bool = True,
) -> Cell:
    """Merge the range and write ``value`` into its top-left cell; borders on every cell
    of it, so the merged box prints closed.

    The range is merged before any cell has a border: openpyxl then has no borders to
    redistribute over the merged cells, which costs more than the rest of the form."""
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    cell = put(ws, r1, c1, value)
    cell.font, cell.alignment = font, align
    if fill is not None:
        cell.fill = fill
    if box:
        for row in ws.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2):
            for each in row:
                each.border = _BOX
    return cell


def _height(text: Any, width: float) -> float:
    """Row height for ``text`` wrapped in a column ``width`` characters wide (a Chinese
    character takes two)."""
    if not text:
        return _LINE_HEIGHT
    per_line = max(1.0, width / 2 - 1)
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))
    return min(409.0, lines * _LINE_HEIGHT + 4)


# --- the template's notes and checks ----------------------------------------------------


def _note(cell: Cell, text: str) -> None:
    c = Comment(text, "jixiao")
    c.width, c.height = 260, 30 + 18 * (len(text) // 18 + text.count("\n"))
    cell.comment = c


def _annotate_template(ws: Worksheet, layout: _Layout) -> None:
    rows = layout.rows
    _note(ws.cell(row=rows["year"], column=1), "在括号内填写年度，如：（2023年度）")
    _note(ws.cell(row=rows["project"], column=1), "项目名称：与预算批复一致，如：2022年度绿化占地土地流转金")
    _note(ws.cell(row=rows["department"], column=1), "主管部门：项目的预算主管部门，如：××镇人民政府")
    _note(ws.cell(row=rows["department"], column=6), "实施单位：具体实施项目的单位")
    funds = rows["funds"]
    _note(
        ws.cell(row=funds, column=1),
        "金额单位：万元（两位小数）。年度资金总额 = 本年财政拨款 + 上年结转资金 + 其他资金；"
        "没有的资金来源留空，不要填0。",
    )
    _note(ws.cell(row=funds, column=4), "年初预算数：年初批复的预算（万元）")
    _note(ws.cell(row=funds, column=5), "全年预算数：含年中调整和上年结转的全年预算（万元）")
    _note(ws.cell(row=funds, column=6), "全年执行数：全年实际支出（万元），一般不超过全年预算数")
    _note(ws.cell(row=funds, column=_F_POINTS), "分值：预算执行率的分值（全国标准为10分，各地以评分办法为准）")
    _note(ws.cell(row=funds, column=_F_RATE), "执行率 = 全年执行数 ÷ 全年预算数，填百分比，如 98.50%")
    _note(ws.cell(row=funds, column=_F_SCORE), "得分 = 分值 × 执行率，最高为分值")
    _note(ws.cell(row=rows["goal"] - 1, column=2), "预期目标：年初设定的总体绩效目标（文字）")
    _note(
        ws.cell(row=rows["goal"] - 1, column=6),
        "实际完成情况：对应预期目标逐项写明完成情况；写金额时注明单位（万元或元）",
    )
    head = rows["indicators"]
    notes = {
        2: "一级指标：产出指标、效益指标、满意度指标；可写作“产出指标（50分）”注明该项分值",
        3: "二级指标：如数量指标、质量指标、时效指标、成本指标、社会效益指标、服务对象满意度指标",
        4: "三级指标：具体指标名称，如“开展文化活动次数”",
        5: "年度指标值：比较符号+数值+单位，如 ≥4次、=17人、≤150万元、≥95%；定性指标写“效果明显”“及时”等",
        6: "实际完成值：数值（可带单位，如 4、100%、3日内）或定性结论（达成预期指标、基本达成、未达成）",
        7: "分值：该指标的分值，各指标分值之和与一级指标分值一致",
        8: "得分：按评分办法计算的得分，不超过分值",
        9: "偏差原因分析及改进措施：未达到指标值时说明原因和措施",
    }
    for column, text in notes.items():
        _note(ws.cell(row=head, column=column), text)
    _note(ws.cell(row=rows["total"], column=1), "总分 = 预算执行率得分 + 各指标得分之和；分值合计一般为100")

    body = layout.indicator_rows
    first, last = body[0], body[-1]
    level1 = choice_check(LEVEL1, "（可加注分值，如“产出指标（50分）”）")
    level1.add(f"B{first}:B{last}")
    names = [n for group in LEVEL2.values() for n in group]
    level2 = choice_check(names)
    level2.add(f"C{first}:C{last}")
    money = non_negative_check("应为非负金额", "请填写不小于 0 的数字（单位：万元）")
    for key in FUND_ROWS:
        money.add(f"D{rows[f'fund_{key}']}:F{rows[f'fund_{key}']}")
    scores = non_negative_check("应为非负数字", "请填写不小于 0 的分数")
    scores.add(f"G{rows['fund_total']}")
    scores.add(f"I{rows['fund_total']}")
    scores.add(f"G{first}:H{last}")
    scores.add(f"G{rows['total']}:H{rows['total']}")
    for dv in (level1, level2, money, scores):
        ws.add_data_validation(dv)
