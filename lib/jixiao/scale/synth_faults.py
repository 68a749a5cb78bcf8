"""Deliberate faults in synthetic townships: inconsistent figures and broken workbooks.

An *inconsistent* township still loads, but one to three figures are wrong so that
``run_checks`` reports an ``error`` at the check id of :data:`INCONSISTENCIES`; a *broken*
one fails validation in one of the ways of :data:`BREAKAGES`.
"""

from __future__ import annotations

import random
from pathlib import Path

from jixiao.scale.synth_data import pct_text, r2

#: Deliberate inconsistency kind → check id that reports it as an error.
INCONSISTENCIES = {
    "budget_revenue_total": "budget_revenue.total",
    "assessment_total": "assessment.total",
    "function_share": "functions.final_share",
    "project_count": "projects.count",
    "net_assets": "balance.net_assets",
    "fixed_assets_added": "fixed_assets.added_le_stock",
    "special_funds_total": "special_funds.total",
}
#: Deliberate breakage kind → what it does (the loader rejects each).
BREAKAGES = {
    "money_text": "项目预算数填成文字（约一百万）",
    "duplicate_no": "项目序号重复",
    "missing_projects": "“项目”表没有数据行",
    "bad_status": "完成状态不在可选值中（进行中）",
    "dangling_indicator": "项目指标引用不存在的项目序号",
    "year_mismatch": "工作簿年度与参数文件年度不一致",
    "missing_sheet": "缺少必需的工作表“资产负债”",
}


def make_inconsistent(rng: random.Random, d: dict, meta: dict, omit: set[str]) -> dict[str, str]:
    """Break 1–3 figures so that the checker reports an error for each."""
    kinds = [
        k
        for k in INCONSISTENCIES
        if not (k == "special_funds_total" and "专项资金" in omit)
        and not (k == "fixed_assets_added" and "固定资产" in omit)
    ]
    chosen = rng.sample(kinds, rng.randint(1, 3))
    for kind in chosen:
        if kind == "budget_revenue_total":
            d["预算收入"][-1]["金额"] = r2(d["预算收入"][-1]["金额"] + rng.choice([-1, 1]) * rng.uniform(10, 100))
        elif kind == "assessment_total":
            d["填报数据"]["考核总分"] = d["填报数据"]["考核总分"] + rng.choice([2, 3, -2])
            d["考核得分"][-1]["自评得分"] = d["填报数据"]["考核总分"]
            # 换算得分 and 等级 follow the (wrong) stated total, as a report would
            amax = meta["applicable_max"]
            from jixiao.analysis.scoring import grade

            d["填报数据"]["换算得分"] = r2(d["填报数据"]["考核总分"] / amax * 100)
            d["填报数据"]["考核等级"] = grade(d["填报数据"]["换算得分"])
        elif kind == "function_share":
            row = max(d["支出功能分类"], key=lambda r: r["决算数"])
            value = float(row["决算占比"].rstrip("%")) + rng.choice([-1, 1]) * rng.uniform(2, 6)
            row["决算占比"] = pct_text(r2(value))
        elif kind == "project_count":
            d["填报数据"]["实现绩效目标项目数"] += rng.randint(2, 5)
        elif kind == "net_assets":
            row = d["资产负债"][meta["net_assets_row"]]
            row["本年末"] = r2(row["本年末"] + rng.uniform(50, 500))
            row.pop("变动率", None)
        elif kind == "fixed_assets_added":
            row = d["固定资产"][1]  # 设备
            row["本年配置"] = r2(row["年末原值"] + rng.uniform(5, 50))
            d["固定资产"][-1]["本年配置"] = r2(sum(r["本年配置"] for r in d["固定资产"][:-1]))
        elif kind == "special_funds_total":
            d["专项资金"][-1]["金额"] = r2(d["专项资金"][-1]["金额"] + rng.uniform(5, 50))
    return {k: INCONSISTENCIES[k] for k in chosen}


def break_workbook(rng: random.Random, d: dict, year: int, kind: str) -> str:
    """Break the workbook so that loading it fails; returns the kind of breakage."""
    projects = d["项目"]
    if kind == "money_text":
        rng.choice(projects)["预算数"] = "约一百万"
    elif kind == "duplicate_no" and len(projects) > 1:
        projects[-1]["序号"] = projects[0]["序号"]
    elif kind == "duplicate_no":
        kind = "bad_status"
    if kind == "missing_projects":
        d["项目"] = []
        d["项目指标"], d["监控情况"] = [], []
    elif kind == "bad_status":
        rng.choice(projects)["完成状态"] = "进行中"
    elif kind == "dangling_indicator":
        d["项目指标"].append(
            {
                "项目序号": len(projects) + 100,
                "一级指标": "产出指标",
                "指标名称": "开展活动次数",
                "指标方向": "≥",
                "目标值": 3,
                "实际值": 3,
                "计量单位": "次",
            }
        )
    elif kind == "year_mismatch":
        d["基本信息"]["年度"] = year - 1
    return kind


def drop_sheet(path: Path, sheet: str) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    del wb[sheet]
    wb.save(path)
