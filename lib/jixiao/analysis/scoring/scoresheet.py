"""``scores.xlsx``: the assessment and project self-evaluation tables as a 自评表.

Beside the summary sheets (考核自评表, 项目自评表, 项目指标评分, 说明), every project gets
a sheet in the official 项目支出绩效自评表 layout (:mod:`jixiao.forms.write`), ready to
print and sign: its stated figures where the workbook states them, the scores as computed,
blank where the workbook is silent (:func:`project_form`).

Text from the workbook goes back into a spreadsheet a finance office will open: every
cell is written through :mod:`jixiao.xlsx`, so text stays text (never a formula).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from jixiao.analysis.scoring.project import ProjectScore
from jixiao.analysis.scoring.rules import is_missing, plain_figure
from jixiao.analysis.scoring.selfeval import assessment, project_scores
from jixiao.forms.model import FUND_ROWS, FormIndicator, FundRow, ProjectForm
from jixiao.forms.write import sheet_title, write_form_sheet
from jixiao.rounding import round_half_up
from jixiao.values import num, text
from jixiao.xlsx import append_row

_HEAD = PatternFill("solid", fgColor="DDEBF7")


def _cell(value: Any) -> Any:
    if isinstance(value, float):
        return None if value != value else round_half_up(value, 2)
    return value


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list[Any]], widths: list[int]) -> None:
    ws = wb.create_sheet(title)
    append_row(ws, header)
    for c in ws[1]:
        c.font, c.fill = Font(bold=True), _HEAD
        c.alignment = Alignment(horizontal="center", wrap_text=True)
    for row in rows:
        append_row(ws, [_cell(v) for v in row])
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"


def write_scores(path: Path, ctx) -> Path:
    """Write the 自评表 workbook for a report context (assessment, projects, indicators)."""
    ds, params = ctx.ds, ctx.params
    wb = Workbook()
    wb.remove(wb.active)

    a = assessment(ds, params)
    rows = [
        [r.no, r.category, r.points, r.score, r.bonus, r.deduction, r.reason or r.remark]
        for r in ds.assessment.itertuples()
    ]
    rows += [
        [None, "类别得分合计（计算）", None, a.raw_total, None, None, "各考核类别自评得分相加"],
        [None, "报告所述考核总分", None, a.stated_total, None, None, ds.fact_cell("stated", "assessment_total")],
        [None, "适用满分", None, a.applicable_max, None, None, a.max_source],
        [
            None,
            "换算得分（按类别合计）",
            None,
            a.computed.converted if a.computed else None,
            None,
            None,
            "类别得分合计÷适用满分×100",
        ],
        [None, "换算得分（按报告总分）", None, a.converted_from_stated, None, None, "报告总分÷适用满分×100"],
        [None, "报告所述换算得分", None, a.stated_converted, None, None, ds.fact_cell("stated", "converted_score")],
        [
            None,
            "等级（按报告总分）",
            None,
            a.grade_from_stated,
            None,
            None,
            "类别合计与报告总分不一致，请核实" if not a.consistent else "",
        ],
    ]
    _sheet(
        wb,
        "考核自评表",
        ["序号", "考核类别", "适用分值", "自评得分", "加分", "扣分", "说明"],
        rows,
        [6, 26, 10, 10, 8, 8, 60],
    )

    scored = project_scores(ds, params.scoring_scheme)
    prow, irow = [], []
    for p, s in scored:
        ex = s.execution
        prow.append(
            [
                p["no"],
                p["name"],
                p["budget"],
                p["spent"],
                ex.rate,
                ex.score,
                s.indicator_total,
                s.capped_total,
                s.grade or "未提供",
                p["status"],
                "；".join(s.notes),
            ]
        )
        frame = s.to_frame()
        for rec in frame.itertuples(index=False):
            irow.append([p["no"], p["name"], *rec])
    _sheet(
        wb,
        "项目自评表",
        [
            "序号",
            "项目名称",
            "预算数（万元）",
            "执行数（万元）",
            "预算执行率（%）",
            "执行率得分",
            "指标得分",
            "总分",
            "等级",
            "完成状态",
            "说明",
        ],
        prow,
        [6, 40, 12, 12, 12, 10, 10, 8, 8, 10, 60],
    )
    _sheet(
        wb,
        "项目指标评分",
        [
            "项目序号",
            "项目名称",
            "一级指标",
            "二级指标",
            "指标名称",
            "目标值",
            "实际值",
            "分值",
            "得分",
            "评分规则",
            "扣分原因",
        ],
        irow,
        [8, 30, 12, 12, 24, 12, 12, 8, 8, 40, 40],
    )
    ws = wb.create_sheet("说明")
    for line in (
        f"{ds.name} {params.year}年度 自评表（由 jixiao 生成）",
        f"项目评分方案：{scored[0][1].scheme.title if scored else params.scoring_scheme}",
        "金额单位：万元；得分保留两位小数（四舍五入）。空白表示工作簿未提供该数据，无法计算。",
    ):
        append_row(ws, [line])
    taken = set(wb.sheetnames)
    for p, s in scored:
        form = project_form(p, s, year=params.year, department=ds.name)
        label = f"分值、得分按“{s.scheme.title}”计算；空白表示工作簿未提供该数据。"
        if s.notes:
            label += "说明：" + "；".join(s.notes) + "。"
        write_form_sheet(wb.create_sheet(sheet_title(f"{_no(p['no'])} {p['name']}", taken)), form, label=label)
    path = Path(path)
    wb.save(path)
    return path


def project_form(p: Any, score: ProjectScore, *, year: int | None, department: str | None) -> ProjectForm:
    """A project of the township's workbook as an official 项目支出绩效自评表.

    Parameters
    ----------
    p : mapping
        The project's row of the 项目 sheet (``no``, ``name``, ``budget``, ``spent``,
        ``goal``, ``result``).
    score : ProjectScore
        Its computed score (:func:`jixiao.analysis.scoring.selfeval.project_scores`).
    year : int or None
        The year for the title.
    department : str or None
        主管部门: the unit whose 部门整体 report this is (its projects are its own).

    Returns
    -------
    ProjectForm
        Only what the workbook states, nothing inferred: its single 预算数/执行数 pair is the
        年度资金总额 row's 全年预算数 and 全年执行数 (年初预算数 and the 其中 rows stay blank);
        预期目标 and 实际完成情况 are its 绩效目标 and 实现情况; the indicators are its 项目指标
        rows, grouped by the scheme's 一级指标 (成本指标 becomes a 二级指标 under the level it
        counts towards, as on the national form). 分值, 执行率 and 得分 are the computed ones,
        rounded half up to two decimals; 实施单位 is left blank.
    """
    ex = score.execution
    total = FundRow(
        key="total",
        label=FUND_ROWS["total"],
        budget=num(p["budget"]),
        executed=num(p["spent"]),
        points=round_half_up(ex.points),
        rate=round_half_up(ex.rate),
        score=round_half_up(ex.score),
    )
    order = list(score.scheme.levels)
    indicators = [
        FormIndicator(
            level1=ind.level,
            level2=ind.level2 or (ind.level1 if ind.level1 != ind.level else ""),
            name=ind.name,
            target=ind.target.text or None,
            actual=_actual(ind.actual, ind.target.unit),
            points=round_half_up(ind.result.points),
            score=round_half_up(ind.result.score),
            level1_points=round_half_up(score.level_points[ind.level]),
        )
        for ind in sorted(score.indicators, key=lambda i: order.index(i.level))
    ]
    return ProjectForm(
        path=None,
        sheet=str(p["name"]),
        project=str(p["name"]),
        year=year,
        department=department,
        funds={"total": total},
        goal_expected=text(p["goal"]),
        goal_actual=text(p["result"]),
        indicators=indicators,
        total_score=round_half_up(score.capped_total),
    )


def _actual(value: Any, unit: str | None) -> str | None:
    """实际完成值 as a form writes it: a figure with the target's unit (``1173名``, ``0%``),
    a grade or text as given, blank when the workbook has none."""
    if is_missing(value):
        return None
    x = None if isinstance(value, str) else num(value)
    if x is not None:
        return f"{plain_figure(x)}{unit or ''}"
    return str(value).strip() or None


def _no(value: Any) -> str:
    x = num(value)
    return str(value) if x is None else plain_figure(x)
