"""Official 项目支出绩效自评表 forms for the tests, written with openpyxl directly.

Not with jixiao's own writer: the reader must take forms as other programs (Excel, WPS,
the 预算管理一体化 system) write them. :func:`good_form` is a consistent form (its total
94.5 reproduced by the national scheme); a test copies it, changes a figure or a layout
option (:class:`Layout`) and writes it with :func:`write_form`. Importable from the tests
of this folder (pytest puts the folder on ``sys.path``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from jixiao import cli

#: The form's columns: A block labels, B 一级指标, C 二级指标, D 三级指标, E 年度指标值,
#: F 实际完成值, G 分值, H 得分, I 偏差原因分析及改进措施.
COLS = "ABCDEFGHI"


@dataclass
class Layout:
    """How the form is laid out (the variations real files show)."""

    qizhong: bool = True  # “其中：本年财政拨款” or “本年财政拨款”
    fullwidth: bool = False  # labels with full-width colons and spaces (“项 目 名 称：”)
    spacers: tuple[int, ...] = ()  # a blank row after these indicator indices
    yuan: str | None = None  # amounts in 元: "label" (项目资金（元）), "note" (单位：元), "header"
    merge_levels: bool = True  # 一级/二级 merged over their rows, or written once
    repeat_levels: bool = False  # 一级/二级 written again on every row (not merged)
    continued: int | None = None  # this indicator's 偏差原因 continues on a second row
    title_rows: int = 2  # title + year row, or 1 (“2023年度项目支出绩效自评表”)
    rate_as_fraction: bool = False  # 执行率 as 0.95 formatted as a percentage
    goal_headers: bool = True  # 预期目标 | 实际完成情况 header row above the texts


def good_form() -> dict[str, Any]:
    """A consistent form: every total, rate and score agrees (total 94.5, national)."""
    return {
        "title": "项目支出绩效自评表",
        "year": 2023,
        "project": "测试村道路改造工程",
        "department": "测试镇人民政府",
        "implementer": "测试镇农业农村办公室",
        "funds": {
            "total": [100, 120, 114],
            "fiscal": [80, 100, 96],
            "carryover": [20, 20, 18],
            "other": [0, 0, 0],
        },
        "exec": {"points": 10, "rate": "95%", "score": 9.5},
        "goal_expected": "共120万元，其中：100万元用于道路建设；20万元用于配套设施。",
        "goal_actual": "全年支出114万元，其中：96万元用于道路建设；18万元用于配套设施。",
        # (一级指标, 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因)
        "indicators": [
            ("产出指标（50分）", "数量指标", "新建道路长度", "≥3公里", "3.2公里", 20, 20, None),
            ("产出指标（50分）", "数量指标", "受益村数", "≥5个", "4个", 10, 8, "一个村未开工"),
            ("产出指标（50分）", "质量指标", "工程验收合格率", "=100%", "100%", 10, 10, None),
            ("产出指标（50分）", "时效指标", "完工及时性", "≤5日", "3日内", 5, 5, None),
            ("产出指标（50分）", "成本指标", "每公里造价", "≤40万元", "38万元", 5, 5, None),
            ("效益指标（30分）", "社会效益指标", "群众出行条件", "有效改善", "基本达成", 15, 12, "雨季积水"),
            ("效益指标（30分）", "可持续影响指标", "道路使用年限", "≥10年", "10年", 15, 15, None),
            ("满意度指标（10分）", "服务对象满意度指标", "受益群众满意度", "≥90%", "96%", 10, 10, None),
        ],
        "total": [100, 94.5],
    }


def without_level(form: dict, prefix: str) -> dict:
    """The form without the indicators of one 一级指标 block (by the label's start)."""
    f = copy.deepcopy(form)
    f["indicators"] = [i for i in f["indicators"] if not i[0].startswith(prefix)]
    return f


def _fw(text: str, layout: Layout) -> str:
    """A label as a careless file writes it: spaced, with a full-width colon."""
    return " ".join(text) + "：" if layout.fullwidth else text


@dataclass
class Written:
    """Where the writer put things (1-based rows), for the tests' cell assertions."""

    funds: dict[str, int] = field(default_factory=dict)
    indicators: list[int] = field(default_factory=list)
    goal_row: int = 0
    total_row: int = 0


def fill_sheet(ws, form: dict, layout: Layout | None = None) -> Written:
    """Write ``form`` onto ``ws`` in the official layout; returns the rows used."""
    lay = layout or Layout()
    w = Written()
    scale = 10000 if lay.yuan else 1
    r = 1
    if lay.title_rows == 2:
        ws["A1"] = form["title"]
        ws.merge_cells("A1:I1")
        ws["A2"] = f"（{form['year']}年度）"
        ws.merge_cells("A2:I2")
        r = 3
    else:
        ws["A1"] = f"{form['year']}年度{form['title']}"
        ws.merge_cells("A1:I1")
        r = 2
    if lay.yuan == "note":
        ws[f"H{r}"] = "单位：元"
        ws.merge_cells(f"H{r}:I{r}")
        r += 1
    ws[f"A{r}"] = _fw("项目名称", lay)
    ws[f"B{r}"] = form["project"]
    ws.merge_cells(f"B{r}:I{r}")
    r += 1
    ws[f"A{r}"] = _fw("主管部门", lay)
    ws[f"B{r}"] = form["department"]
    ws.merge_cells(f"B{r}:E{r}")
    ws[f"F{r}"] = _fw("实施单位", lay)
    ws[f"G{r}"] = form["implementer"]
    ws.merge_cells(f"G{r}:I{r}")
    r += 1
    # 项目资金
    top = r
    ws[f"A{r}"] = "项目资金（元）" if lay.yuan == "label" else ("项目资金" if lay.yuan else "项目资金（万元）")
    ws.merge_cells(f"B{r}:C{r}")
    unit = "（元）" if lay.yuan == "header" else ""
    for col, head in zip(
        "DEFGHI", ("年初预算数" + unit, "全年预算数" + unit, "全年执行数" + unit, "分值", "执行率", "得分")
    ):
        ws[f"{col}{r}"] = head
    r += 1
    labels = {"total": "年度资金总额", "fiscal": "本年财政拨款", "carryover": "上年结转资金", "other": "其他资金"}
    for key, amounts in form["funds"].items():
        label = labels[key]
        if key == "fiscal" and lay.qizhong:
            label = "其中：" + label
        ws[f"B{r}"] = _fw(label, lay).rstrip("：") if lay.fullwidth else label
        ws.merge_cells(f"B{r}:C{r}")
        for col, x in zip("DEF", amounts):
            ws[f"{col}{r}"] = None if x is None else (x * scale if isinstance(x, (int, float)) else x)
        if key == "total":
            ex = form["exec"]
            ws[f"G{r}"] = ex["points"]
            if lay.rate_as_fraction and isinstance(ex["rate"], str) and ex["rate"].endswith("%"):
                ws[f"H{r}"] = float(ex["rate"][:-1]) / 100
                ws[f"H{r}"].number_format = "0.00%"
            else:
                ws[f"H{r}"] = ex["rate"]
            ws[f"I{r}"] = ex["score"]
        else:
            for col in "GHI":
                ws[f"{col}{r}"] = "—"
        w.funds[key] = r
        r += 1
    ws.merge_cells(f"A{top}:A{r - 1}")
    # 年度总体目标
    w.goal_row = r
    ws[f"A{r}"] = _fw("年度总体目标", lay).rstrip("：") if lay.fullwidth else "年度总体目标"
    if lay.goal_headers:
        ws[f"B{r}"] = "预期目标"
        ws.merge_cells(f"B{r}:E{r}")
        ws[f"F{r}"] = "实际完成情况"
        ws.merge_cells(f"F{r}:I{r}")
        ws.merge_cells(f"A{r}:A{r + 1}")
        r += 1
    ws[f"B{r}"] = form["goal_expected"]
    ws.merge_cells(f"B{r}:E{r}")
    ws[f"F{r}"] = form["goal_actual"]
    ws.merge_cells(f"F{r}:I{r}")
    r += 1
    # 绩效指标
    head = r
    ws[f"A{r}"] = "绩效指标"
    for col, text in zip(
        "BCDEFGHI",
        ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"),
    ):
        ws[f"{col}{r}"] = text
    r += 1
    runs: dict[str, list[int]] = {"B": [], "C": []}
    prev = {"B": None, "C": None}
    spans: list[tuple[str, int, int]] = []
    for i, (l1, l2, name, target, actual, points, score, note) in enumerate(form["indicators"]):
        for col, value in (("B", l1), ("C", (l1, l2))):
            if value != prev[col]:
                if runs[col]:
                    spans.append((col, runs[col][0], runs[col][-1]))
                runs[col] = []
                prev[col] = value
                ws[f"{col}{r}"] = l1 if col == "B" else l2
            elif lay.repeat_levels:
                ws[f"{col}{r}"] = l1 if col == "B" else l2
            runs[col].append(r)
        for col, v in zip("DEFGHI", (name, target, actual, points, score, note)):
            ws[f"{col}{r}"] = v
            if isinstance(v, str) and v.startswith("="):
                ws[f"{col}{r}"].data_type = "s"  # typed as text ('=100%), not a formula
        w.indicators.append(r)
        if lay.continued == i:
            ws[f"I{r + 1}"] = "（续）下年度加强管理"
            ws.merge_cells(f"D{r}:D{r + 1}")
            for col in "BC":
                runs[col].append(r + 1)
            r += 1
        r += 1
        if i in lay.spacers:
            for col in "BC":
                runs[col].append(r)
            r += 1
    for col in "BC":
        if runs[col]:
            spans.append((col, runs[col][0], runs[col][-1]))
    if lay.merge_levels and not lay.repeat_levels:
        for col, a, b in spans:
            if b > a:
                ws.merge_cells(f"{col}{a}:{col}{b}")
    ws.merge_cells(f"A{head}:A{r - 1}")
    w.total_row = r
    ws[f"A{r}"] = "总分"
    ws.merge_cells(f"A{r}:F{r}")
    ws[f"G{r}"], ws[f"H{r}"] = form["total"]
    return w


def write_form(
    path: Path, form: dict | None = None, layout: Layout | None = None, sheet: str = "自评表"
) -> tuple[Path, Written]:
    """One form on one sheet of a new workbook."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    written = fill_sheet(ws, form or good_form(), layout)
    wb.save(path)
    return path, written


def run_cli(argv, capsys):
    code = cli.main([str(a) for a in argv])
    cap = capsys.readouterr()
    return code, cap.out, cap.err
