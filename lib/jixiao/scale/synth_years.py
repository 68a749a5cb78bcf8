"""Consecutive years of one synthetic township, and the cross-year mismatches planted in them.

``jixiao synth --years 2022-2024`` draws each year of a township with
:func:`jixiao.scale.synth_data.township_data`, then :func:`link_years` makes the years agree
where a real township's do: this year's 三公经费上年决算 is last year's 本年决算, last year's
资产负债本年末 is this year's 上年末, projects with last year's names are marked 延续, and
上年自评项目数 counts last year's projects. :func:`plant_crossyear` then breaks that agreement
on purpose, the way a 上年 figure typed again goes wrong, for the cross-year checks
(``checks/crossyear.py``) to find.
"""

from __future__ import annotations

import random
from typing import Any

from jixiao.scale.synth_data import pct_text, r2

#: Deliberate cross-year mismatches: kind → (what it is, the check that finds it).
CROSSYEAR_FAULTS = {
    "previous_three_public": ("三公经费上年决算与上年度工作簿的本年决算不同", "crossyear.previous_figures"),
    "continuing_renamed": ("标注为延续的项目不在上年度项目中", "crossyear.continuing_projects"),
}


def _total(rows: list[dict], label: str) -> dict | None:
    return next((r for r in rows if r.get(label) == "合计"), None)


def _three_public_change(d: dict) -> None:
    """Restate 三公经费增减额 from this year's and last year's totals (when stated)."""
    total = _total(d["三公经费"], "项目")
    if total is not None and "三公经费增减额" in d["填报数据"]:
        d["填报数据"]["三公经费增减额"] = r2(total["本年决算"] - total["上年决算"])


def _rename(d: dict[str, Any], p: dict, new: str) -> None:
    """Rename project ``p`` everywhere the workbook names it (framework, monitoring, key project)."""
    old = p["项目名称"]
    p["项目名称"] = new
    for g in d.get("绩效目标架构") or []:  # the framework names the project as the table does
        g["对应项目支出"] = "、".join(new if x == old else x for x in g["对应项目支出"].split("、"))
    if d["填报数据"].get("重点评价项目") == old:
        d["填报数据"]["重点评价项目"] = new
    for m in d.get("监控情况") or []:
        if m["项目序号"] == p["序号"]:
            m["项目名称"] = new


def link_years(last: dict[str, Any], d: dict[str, Any]) -> None:
    """Make ``d`` (year N) agree with ``last`` (year N − 1) where consecutive years agree.

    Changes ``last`` too: its 资产负债本年末 becomes ``d``'s 上年末 (with its stated 变动率),
    so that each year stays consistent with itself.
    """
    # 三公经费: 上年决算 of each item (and the total) is last year's 本年决算
    before = {r["项目"]: r for r in last.get("三公经费") or []}
    if d.get("三公经费") and before:
        for r in d["三公经费"]:
            old = before.get(r["项目"])
            if old is not None and old.get("本年决算") is not None:
                r["上年决算"] = old["本年决算"]
        _three_public_change(d)
    # 资产负债: last year's 本年末 of the totals is this year's 上年末
    now = {r["项目"]: r for r in d.get("资产负债") or [] if r.get("层级") == "总额"}
    for r in last.get("资产负债") or []:
        cur = now.get(r["项目"])
        if r.get("层级") == "总额" and cur is not None and cur.get("上年末"):
            r["本年末"] = cur["上年末"]
            if r.get("上年末"):
                r["变动率"] = pct_text(r2((r["本年末"] - r["上年末"]) / r["上年末"] * 100))
    # projects carried on: about half of last year's go on under the same name (说明: 延续)
    before_names = {p["序号"]: p["项目名称"] for p in last.get("项目") or []}
    names = set(before_names.values())
    for p in d.get("项目") or []:
        old = before_names.get(p["序号"])
        if old is not None and p["序号"] % 2 == 1 and old not in {q["项目名称"] for q in d["项目"]}:
            _rename(d, p, old)
        if p["项目名称"] in names:
            p["说明"] = "延续"
    # a continuing project's targets are not set below what it achieved last year
    last_names = {p["序号"]: p["项目名称"] for p in last.get("项目") or []}
    achieved = {
        (last_names.get(i["项目序号"]), i["指标名称"], i.get("计量单位")): i["实际值"]
        for i in last.get("项目指标") or []
        if i.get("指标方向") == "≥" and isinstance(i.get("实际值"), (int, float))
    }
    now_names = {p["序号"]: p["项目名称"] for p in d.get("项目") or []}
    for i in d.get("项目指标") or []:
        got = achieved.get((now_names.get(i["项目序号"]), i["指标名称"], i.get("计量单位")))
        if i.get("指标方向") == "≥" and got is not None and isinstance(i.get("目标值"), (int, float)):
            i["目标值"] = max(i["目标值"], got)
    # 上年自评: last year's projects were all self-evaluated
    stated = d["填报数据"]
    n = len(last.get("项目") or [])
    if n and "上年自评项目数" in stated:
        full = min(stated["上年自评满分项目数"], n)
        b90 = min(stated["上年自评90至95分项目数"], n - full)
        stated.update(
            {
                "上年自评项目数": n,
                "上年自评满分项目数": full,
                "上年自评90至95分项目数": b90,
                "上年自评90分以下项目数": n - full - b90 - stated.get("上年自评95分以上项目数", 0),
            }
        )


def plant_crossyear(rng: random.Random, d: dict[str, Any]) -> dict[str, str]:
    """Break the agreement with last year on purpose; kind → the check that finds it.

    The 三公 mismatch moves one item's 上年决算 and the total by the same amount (the year
    stays consistent with itself: only the comparison with last year fails); the renamed
    project keeps its 延续 mark.
    """
    planted: dict[str, str] = {}
    total = _total(d.get("三公经费") or [], "项目")
    item = next((r for r in d.get("三公经费") or [] if r.get("项目") == "公务接待费"), None)
    if total is not None and item is not None and total.get("上年决算") is not None:
        delta = r2(rng.uniform(0.3, 2.0))
        item["上年决算"] = r2(item["上年决算"] + delta)
        total["上年决算"] = r2(total["上年决算"] + delta)
        _three_public_change(d)
        planted["previous_three_public"] = CROSSYEAR_FAULTS["previous_three_public"][1]
    continuing = [p for p in d.get("项目") or [] if p.get("说明") == "延续"]
    if continuing:
        p = rng.choice(continuing)
        _rename(d, p, f"{p['项目名称']}（调整）")
        planted["continuing_renamed"] = CROSSYEAR_FAULTS["continuing_renamed"][1]
    return planted


__all__ = ["CROSSYEAR_FAULTS", "link_years", "plant_crossyear"]
