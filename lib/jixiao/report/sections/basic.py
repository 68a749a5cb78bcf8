"""The report's opening paragraph and 一、部门基本情况: organisation, staffing, and the
performance-goal framework."""

from __future__ import annotations

import pandas as pd

from jixiao.analysis import finance as F
from jixiao.report.context import Block, Col, ReportContext
from jixiao.report.sections import common as C
from jixiao.report.sections.common import rows_with_data


def intro(ctx: ReportContext) -> Block:
    """The paragraph(s) before 一、: the unit's 报告引言 (文字说明); nothing when blank."""
    paras = C.text_paragraphs(ctx, "intro")
    if not paras:
        return Block("").with_review("报告引言（文字说明）未填写：报送版正文前没有引言段。")
    return Block(ctx.render("basic/intro.html.j2", paras=paras))


def staffing_figures(ctx: ReportContext) -> dict:
    """The unit's offices and staff counts as it states them (None where blank).

    ``office_count`` is the stated number of offices, else the number of offices listed.
    """
    u = ctx.unit
    offices = [n for n in (F.text(x) for x in ctx.ds.offices["name"]) if n]
    stated_count = F.num(u.get("office_count"))
    return {
        "authorized": F.num(u.get("authorized_staff")),
        "actual": F.num(u.get("actual_staff")),
        "offices": offices,
        "office_count": int(stated_count) if stated_count is not None else (len(offices) or None),
    }


def organisation(ctx: ReportContext) -> Block:
    """（一）机构设置和人员配备: narrative, the offices table and the staffing table.

    Each clause of the narrative is printed only when its figure or text is given.
    """
    f = staffing_figures(ctx)
    head = ctx.heading("（一）机构设置和人员配备")
    text = ctx.render("basic/organisation.html.j2", f=f)
    listed = rows_with_data(ctx.ds.offices, ["name"])
    offices = (
        ctx.table(listed, [Col("no", "序号", "int"), Col("name", "股室名称")], "内设机构（股室）", total_label=None)
        if len(listed)
        else Block("")
    )
    u = ctx.unit
    rows = pd.DataFrame(
        [
            {"item": "编制数", "value": F.num(u.get("authorized_staff")), "unit": "个"},
            {"item": "实有在编人数", "value": F.num(u.get("actual_staff")), "unit": "人"},
            {"item": "财政供养人数", "value": F.num(u.get("fiscal_staff")), "unit": "人"},
            {"item": "财政所人数", "value": F.num(u.get("finance_office_staff")), "unit": "人"},
            {"item": "总人口", "value": F.num(u.get("population")), "unit": "人"},
            {"item": "行政村", "value": F.num(u.get("villages")), "unit": "个"},
        ]
    )
    given = rows[rows["value"].notna()].copy()  # a figure the unit does not give is not listed
    given["value"] = [int(v) for v in given["value"]]
    staff = (
        ctx.table(
            given,
            [Col("item", "项目"), Col("value", "数值", "int"), Col("unit", "单位")],
            "人员编制与辖区情况",
            total_label=None,
        )
        if len(given)
        else Block("")
    )
    out = Block(head + text + offices + staff)
    return out.with_review(*offices.review, *staff.review)


def goal_framework(ctx: ReportContext) -> Block:
    """（二）部门整体绩效目标: the 职能 → 工作活动 → 年度工作目标 → 项目 table."""
    head = ctx.heading("（二）部门整体绩效目标")
    rows = rows_with_data(ctx.ds.goal_framework, ["function", "activity", "goal", "projects"])
    if not len(rows):
        return Block(head).with_review("部门整体绩效目标架构未填报：报送版只有标题。")
    text = ctx.render("basic/goal_framework.html.j2")
    table = ctx.table(
        rows,
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
    return Block(head + text + table).with_review(*table.review)
