"""一、部门基本情况: organisation, staffing, and the performance-goal framework."""

from __future__ import annotations

from jixiao.report.context import Block, Col, ReportContext
from jixiao.rounding import fmt


def staffing_figures(ctx: ReportContext) -> dict:
    """Staff counts and 在职人员控制率 (实有人数 ÷ 编制数, in percentage points)."""
    u = ctx.unit
    authorized, actual = u.get("authorized_staff"), u.get("actual_staff")
    rate = actual / authorized * 100 if authorized and actual is not None else None
    return {
        "authorized": authorized,
        "actual": actual,
        "control_rate": rate,
        "offices": list(ctx.ds.offices["name"]),
        "office_count_stated": u.get("office_count"),
    }


def organisation(ctx: ReportContext) -> Block:
    """（一）机构设置和人员配备: narrative, the offices table and the staffing table."""
    import pandas as pd

    f = staffing_figures(ctx)
    head = ctx.heading("（一）机构设置和人员配备")
    text = ctx.render("basic/organisation.html.j2", f=f)
    offices = ctx.table(
        ctx.ds.offices, [Col("no", "序号", "int"), Col("name", "股室名称")], "内设机构（股室）", total_label=None
    )
    u = ctx.unit
    rows = pd.DataFrame(
        [
            {"item": "编制数", "value": u.get("authorized_staff"), "unit": "个"},
            {"item": "实有在编人数", "value": u.get("actual_staff"), "unit": "人"},
            {"item": "在职人员控制率（实有人数÷编制数）", "value": f["control_rate"], "unit": "%"},
            {"item": "财政供养人数", "value": u.get("fiscal_staff"), "unit": "人"},
            {"item": "财政所人数", "value": u.get("finance_office_staff"), "unit": "人"},
            {"item": "总人口", "value": u.get("population"), "unit": "人"},
            {"item": "行政村", "value": u.get("villages"), "unit": "个"},
        ]
    )
    rows["shown"] = [
        (fmt(v) if unit == "%" and v is not None else (None if v is None else int(v)))  # half up, as everywhere
        for v, unit in zip(rows["value"], rows["unit"])
    ]
    staff = ctx.table(
        rows,
        [Col("item", "项目"), Col("shown", "数值", "text"), Col("unit", "单位")],
        "人员编制与辖区情况",
        total_label=None,
        note="在职人员控制率由工作簿数据计算，报告原文未列示。",
    )
    return Block(head + text + offices + staff)


def goal_framework(ctx: ReportContext) -> Block:
    """（二）部门整体绩效目标: the 职能 → 工作活动 → 年度工作目标 → 项目 table."""
    head = ctx.heading("（二）部门整体绩效目标")
    text = ctx.render("basic/goal_framework.html.j2", n=len(ctx.ds.goal_framework))
    table = ctx.table(
        ctx.ds.goal_framework,
        [
            Col("no", "序号", "int"),
            Col("function", "职能"),
            Col("activity", "工作活动"),
            Col("goal", "年度工作目标"),
            Col("projects", "对应项目支出"),
        ],
        "部门整体绩效目标架构",
        total_label=None,
    )
    return Block(head + text + table)
