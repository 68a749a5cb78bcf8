"""The data of one synthetic township: every sheet of a workbook, consistent with itself.

:func:`township_data` draws a township's offices, projects and indicators, budgets and final
accounts that add up, a balance sheet, the figures stated in the report and its narrative
texts, all from a seeded random generator and the lists of :mod:`jixiao.scale.synth_vocab`.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any, NotRequired, TypedDict

from jixiao.rounding import round_half_up
from jixiao.scale.synth_vocab import (
    CATEGORIES,
    DUTIES,
    FUNCTIONS_ALWAYS,
    FUNCTIONS_OPTIONAL,
    MEASURES,
    OFFICES,
    OPTIONAL_TEXT_PHRASES,
    OPTIONAL_TEXTS,
    PROBLEMS,
    QUANT,
    SECOND,
    TEXTS,
    VILLAGES,
    WORKS,
)


# -- rows that are read back (field names: the sheets' column headers) ------------------------
class Project(TypedDict):
    """A row of 项目."""

    序号: int
    项目名称: str
    资金性质: str
    预算数: float
    执行数: float
    绩效目标: str
    实现情况: str
    完成状态: str


class ScoreRow(TypedDict):
    """A row of 考核得分 (the 存在问题 row has no 适用分值)."""

    序号: int
    考核类别: str
    适用分值: NotRequired[int]
    自评得分: float


class SpecialFund(TypedDict):
    """A row of 专项资金."""

    序号: int
    资金名称: str
    资金级次: str
    金额: float
    是否直达资金: str | None


class GuaranteeRow(TypedDict):
    """A row of 三保支出."""

    类别: str
    安排资金: float
    实际支出: float


class GuaranteeDetail(TypedDict):
    """A row of 三保明细."""

    类别: str
    项目名称: str
    金额: float
    落实情况: str


class NonTaxRow(TypedDict):
    """A row of 非税收入."""

    项目: str
    预算数: float
    实际数: float


# -- figures ----------------------------------------------------------------------------------
def r2(x: float) -> float:
    return round_half_up(x, 2)


def split_sum(rng: random.Random, total: float, n: int, spread: float = 1.0) -> list[float]:
    """``n`` positive two-decimal parts adding up exactly to ``total`` (two decimals)."""
    weights = [rng.random() ** spread + 0.05 for _ in range(n)]
    s = sum(weights)
    parts = [r2(total * w / s) for w in weights]
    parts[-1] = r2(total - sum(parts[:-1]))
    if parts[-1] <= 0:  # rounding pushed the last one under: take from the largest
        i = max(range(n - 1), key=lambda k: parts[k])
        parts[i] = r2(parts[i] - 0.01 + parts[-1])
        parts[-1] = 0.01
    return parts


def pct(part: float, whole: float) -> float:
    return r2(part / whole * 100)


def pct_text(value: float) -> str:
    return f"{value:.2f}%"


# -- one township -----------------------------------------------------------------------------
def township_data(
    rng: random.Random, *, name: str, short: str, county: str, year: int, n_projects: int, omit: set[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Workbook data (sheet → rows / key-values) of one consistent township, and facts
    the caller needs to break it deliberately (``meta``)."""
    we = "我" + ("街道" if short.endswith("街道") else short[-1])
    fill = {"unit": name, "we": we, "year": year}
    d: dict[str, Any] = {}
    meta: dict[str, Any] = {}

    # 基本信息 and 股室
    offices = rng.sample(OFFICES, rng.randint(4, 10))
    authorized = rng.randint(25, 90)
    actual = authorized + rng.randint(-8, 6)
    fiscal = actual + rng.choice([0, 0, 0, rng.randint(1, 10)])
    d["基本信息"] = {
        "单位名称": name,
        "所属地区": county,
        "年度": year,
        "单位级别": "正科级",
        "单位性质": "行政单位",
        "经费保障形式": "财政拨款",
        "股室数量": len(offices),
        "编制数": authorized,
        "实有人数": actual,
        "财政供养人数": fiscal,
        "财政所人数": rng.randint(3, 8),
        "总人口": rng.randint(8000, 90000),
        "行政村数": rng.randint(6, 45),
        "编制依据": "《三定方案》",
        "报告日期": dt.date(year + 1, rng.randint(2, 4), rng.randint(1, 28)).isoformat(),
    }
    d["股室"] = [{"序号": i, "股室名称": o} for i, o in enumerate(offices, 1)]

    # 项目 (names unique enough, grouped by duty for the 绩效目标架构)
    duties = rng.sample(DUTIES, rng.randint(3, min(len(DUTIES), 3 + n_projects // 10)))
    projects: list[Project] = []
    by_duty: dict[str, list[str]] = {}
    for no in range(1, n_projects + 1):
        duty = duties[(no - 1) % len(duties)] if no <= len(duties) else rng.choice(duties)
        stem = rng.choice(duty[3])
        pname = (
            stem
            if no <= len(duties) * 2 and rng.random() < 0.5
            else (
                f"{rng.choice(VILLAGES)}{rng.choice(SECOND)[0]}村{stem}"
                if rng.random() < 0.5
                else f"{year}年{stem}（{no}）"
            )
        )
        budget = r2(math.exp(rng.uniform(math.log(0.8), math.log(300))))
        roll = rng.random()
        if roll < 0.80:
            status, rate = "已完成", rng.choice([1.0, 1.0, 1.0, rng.uniform(0.9, 1.0)])
        elif roll < 0.92:
            status, rate = "部分完成", rng.uniform(0.3, 0.9)
        else:
            status, rate = "未完成", rng.choice([0.0, rng.uniform(0.0, 0.3)])
        spent = r2(budget * rate)
        if status == "已完成" and spent == 0:
            spent = budget
        w = rng.choice(WORKS)
        projects.append(
            {
                "序号": no,
                "项目名称": pname,
                "资金性质": rng.choices(["一般公共预算", "政府性基金"], [9, 1])[0],
                "预算数": budget,
                "执行数": spent,
                "绩效目标": f"保障{stem}按计划实施，开展{w}，提升群众满意度。",
                "实现情况": (
                    "按计划完成" if status == "已完成" else "部分完成" if status == "部分完成" else "未能按计划实施"
                )
                + f"{stem}，开展{w}。",
                "完成状态": status,
            }
        )
        by_duty.setdefault(duty[0], []).append(pname)
    d["项目"] = projects
    meta["projects"] = projects
    d["绩效目标架构"] = [
        {
            "序号": i,
            "职能": duty[0],
            "工作活动": duty[1],
            "年度工作目标": duty[2],
            "对应项目支出": "、".join(dict.fromkeys(by_duty.get(duty[0], [])[:4])),
        }
        for i, duty in enumerate(duties, 1)
        if by_duty.get(duty[0])
    ]

    # 项目指标
    indicators = []
    for p in projects:
        for _ in range(rng.randint(1, 3)):
            tmpl, unit, lo, hi = rng.choice(QUANT)
            target = rng.randint(lo, hi)
            is_done = p["完成状态"] == "已完成"
            act = target + rng.randint(0, max(1, target // 5)) if is_done else int(target * rng.uniform(0.2, 0.9))
            indicators.append(
                {
                    "项目序号": p["序号"],
                    "一级指标": "产出指标",
                    "二级指标": "数量指标",
                    "指标名称": tmpl.format(w=rng.choice(WORKS)),
                    "指标方向": "≥",
                    "目标值": target,
                    "实际值": act,
                    "计量单位": unit,
                }
            )
        if rng.random() < 0.6:
            sat = rng.choice([85, 90, 95])
            indicators.append(
                {
                    "项目序号": p["序号"],
                    "一级指标": "满意度指标",
                    "二级指标": "服务对象满意度指标",
                    "指标名称": "群众满意度",
                    "指标方向": "≥",
                    "目标值": sat,
                    "实际值": min(100, sat + rng.randint(-3, 5)),
                    "计量单位": "%",
                }
            )
        if rng.random() < 0.4:
            indicators.append(
                {
                    "项目序号": p["序号"],
                    "一级指标": "效益指标",
                    "二级指标": "社会效益指标",
                    "指标名称": "保障基层正常运转",
                    "指标方向": "定性",
                    "目标值": "达成",
                    "实际值": "达成" if p["完成状态"] == "已完成" else "部分达成",
                }
            )
    d["项目指标"] = indicators

    # 监控情况: every project not completed
    not_done = [p for p in projects if p["完成状态"] != "已完成"]
    d["监控情况"] = [
        {
            "项目序号": p["序号"],
            "项目名称": p["项目名称"],
            "支出差异较大": "是" if (p["执行数"] or 0) < 0.8 * p["预算数"] else "否",
            "未完成绩效目标": "是",
            "原因": rng.choice(
                ["上级资金未及时到位", "项目实施条件不具备", "受天气影响工期延后", "财政资金管控，部分资金收回"]
            ),
        }
        for p in not_done
    ]

    # 支出功能分类, 预算收入, 决算
    proj_budget = sum(p["预算数"] for p in projects)
    budget_total = r2(proj_budget * rng.uniform(1.4, 2.6) + rng.uniform(300, 900))
    codes = FUNCTIONS_ALWAYS + rng.sample(FUNCTIONS_OPTIONAL, rng.randint(3, 8))
    codes.sort()
    from jixiao.workbook.spec import function_codes

    names = function_codes()
    budgets = split_sum(rng, budget_total, len(codes), spread=2.0)
    final_total = r2(budget_total * rng.uniform(0.9, 1.25))
    finals = split_sum(rng, final_total, len(codes), spread=2.0)
    d["支出功能分类"] = [
        {"功能分类编码": c, "科目名称": names[c], "预算数": b, "决算数": f, "决算占比": pct_text(pct(f, final_total))}
        for c, b, f in zip(codes, budgets, finals)
    ]
    meta["final_total"] = final_total
    other = r2(rng.choice([0, 0, rng.uniform(0.1, 5)]))
    fund = r2(rng.uniform(0, 0.1) * budget_total) if rng.random() < 0.6 else 0.0
    gpb = r2(budget_total - other - fund)
    d["预算收入"] = [
        {"收入来源": "一般公共预算拨款", "金额": gpb},
        {"收入来源": "政府性基金拨款", "金额": fund},
        {"收入来源": "其他收入", "金额": other},
        {"收入来源": "合计", "金额": budget_total},
    ]
    gov_fund_final = r2(final_total * rng.uniform(0, 0.3))
    d["总决算"] = [
        {"资金性质": "一般公共预算", "收入": r2(final_total - gov_fund_final)},
        {"资金性质": "政府性基金", "收入": gov_fund_final},
        {"资金性质": "合计", "收入": final_total, "支出": final_total},
    ]

    # 考核得分
    amax = sum(p for _, p in CATEGORIES)
    cats: list[ScoreRow] = []
    # How well the unit is run: most score 优 or 良, some 中, a few 差.
    quality = rng.choice([rng.uniform(0.85, 1.0)] * 6 + [rng.uniform(0.7, 0.9)] * 3 + [rng.uniform(0.45, 0.7)])
    for i, (cat, pts) in enumerate(CATEGORIES, 1):
        score = round(pts * rng.uniform(quality, 1.0) * 2) / 2  # whole or half points
        cats.append({"序号": i, "考核类别": cat, "适用分值": pts, "自评得分": min(pts, max(0, score))})
    penalty = rng.choice([0, 0, 0, -0.5, -1])
    cats.append({"序号": len(cats) + 1, "考核类别": "存在问题", "自评得分": penalty})
    total = sum(c["自评得分"] for c in cats)
    d["考核得分"] = cats + [{"考核类别": "合计", "自评得分": total}]
    from jixiao.analysis.scoring import grade

    conv = r2(total / amax * 100)

    # 资产负债 (上年末 = the financial report of the previous year; 本年末 totals only)
    other_pay = r2(rng.uniform(3, 120))
    wages = r2(rng.choice([0, rng.uniform(0, 20)]))
    cash = r2((other_pay + wages) * rng.uniform(0.4, 3.5))  # 现金比率 40 %–350 %
    recv = r2(rng.choice([0, rng.uniform(0, 50)]))
    fa_net = r2(rng.uniform(60, 900))
    fa_orig = r2(fa_net / rng.uniform(0.3, 0.8))
    infra = r2(rng.uniform(500, 15000))
    assets_prev = r2(cash + recv + fa_net + infra)
    liab_prev = r2(other_pay + wages)
    assets_cur = r2(assets_prev * rng.uniform(0.95, 1.1))
    liab_cur = r2(liab_prev * rng.uniform(0.7, 1.3))
    net_prev, net_cur = r2(assets_prev - liab_prev), r2(assets_cur - liab_cur)
    d["资产负债"] = [
        {
            "项目": "资产总额",
            "类别": "资产",
            "层级": "总额",
            "上年末": assets_prev,
            "本年末": assets_cur,
            "变动率": pct_text(r2((assets_cur - assets_prev) / assets_prev * 100)),
        },
        {"项目": "货币资金", "类别": "资产", "层级": "明细", "上年末": cash},
        {"项目": "其他应收款净额", "类别": "资产", "层级": "明细", "上年末": recv},
        {"项目": "固定资产净值", "类别": "资产", "层级": "明细", "上年末": fa_net},
        {"项目": "固定资产原值", "类别": "资产", "层级": "明细", "上年末": fa_orig, "说明": "备查（不计入合计）"},
        {"项目": "公共基础设施净值", "类别": "资产", "层级": "明细", "上年末": infra},
        {
            "项目": "负债总额",
            "类别": "负债",
            "层级": "总额",
            "上年末": liab_prev,
            "本年末": liab_cur,
            "变动率": pct_text(r2((liab_cur - liab_prev) / liab_prev * 100)),
        },
        {"项目": "其他应付款", "类别": "负债", "层级": "明细", "上年末": other_pay},
        {"项目": "应付职工薪酬", "类别": "负债", "层级": "明细", "上年末": wages},
        {
            "项目": "净资产",
            "类别": "净资产",
            "层级": "总额",
            "上年末": net_prev,
            "本年末": net_cur,
            "变动率": pct_text(r2((net_cur - net_prev) / net_prev * 100)),
        },
    ]
    meta["net_assets_row"] = len(d["资产负债"]) - 1

    # 固定资产 / 实物资产
    fa_cats = ["土地、房屋及构筑物", "设备", "图书档案", "家具、用具"]
    stocks = split_sum(rng, r2(fa_orig * rng.uniform(0.9, 1.1)), len(fa_cats))
    added = [r2(s * rng.choice([0, 0, rng.uniform(0.02, 0.3)])) for s in stocks]
    d["固定资产"] = [{"资产类别": c, "年末原值": s, "本年配置": a} for c, s, a in zip(fa_cats, stocks, added)] + [
        {"资产类别": "合计", "年末原值": r2(sum(stocks)), "本年配置": r2(sum(added))}
    ]
    area = r2(rng.uniform(800, 6000))
    office_area = r2(area * rng.uniform(0.6, 1.0))
    cars = rng.randint(1, 6)
    car_orig = r2(cars * rng.uniform(12, 25))
    d["实物资产"] = [
        {
            "资产类型": "土地",
            "计量单位": "平方米",
            "账面数量": r2(area * 2.5),
            "在用": r2(area * 2.5),
            "出租出借": 0,
            "闲置": 0,
            "待处置": 0,
        },
        {
            "资产类型": "房屋",
            "计量单位": "平方米",
            "账面数量": area,
            "账面原值": r2(area * 0.25),
            "账面净值": r2(area * 0.25 * rng.uniform(0.4, 0.9)),
            "在用": area,
            "出租出借": 0,
            "闲置": 0,
            "待处置": 0,
        },
        {
            "资产类型": "车辆",
            "计量单位": "辆",
            "账面数量": cars,
            "账面原值": car_orig,
            "账面净值": r2(car_orig * rng.uniform(0.2, 0.8)),
            "在用": cars,
            "闲置": 0,
            "待处置": 0,
        },
    ]

    # 专项资金 / 直达资金 / 三保 / 三公 / 非税
    n_special = rng.randint(2, 7)
    special: list[SpecialFund] = []
    for i in range(1, n_special + 1):
        level = rng.choice(["中央", "省级", "市级"])
        special.append(
            {
                "序号": i,
                "资金名称": f"{year}年{level}{rng.choice(['农村综合改革', '农业防灾减灾', '公共文化服务', '乡村振兴衔接', '基层组织运转'])}补助资金（第{i}批）",
                "资金级次": level,
                "金额": r2(rng.uniform(0.5, 120)),
                "是否直达资金": "是" if rng.random() < 0.3 else None,
            }
        )
    d["专项资金"] = special + [{"资金名称": "合计", "金额": r2(sum(s["金额"] for s in special))}]
    d["直达资金"] = [
        {
            "序号": i,
            "项目名称": s["资金名称"],
            "用途": rng.choice(["购买农资", "救灾物资", "村级公益设施"]),
            "支出日期": dt.date(year, rng.randint(3, 12), rng.randint(1, 28)).isoformat(),
            "支出进度": "100%",
        }
        for i, s in enumerate([s for s in special if s["是否直达资金"] == "是"], 1)
    ]
    tg: list[GuaranteeRow] = []
    tg_detail: list[GuaranteeDetail] = []
    for cat, lo, hi in (("保基本民生", 30, 300), ("保工资", 300, 2500), ("保运转", 40, 300)):
        arranged = r2(rng.uniform(lo, hi))
        actual3 = r2(arranged * rng.uniform(1.0, 1.05))
        tg.append({"类别": cat, "安排资金": arranged, "实际支出": actual3})
        for item, amt in zip(
            ["人员经费", "村级组织运转", "民生补助"][: rng.randint(1, 3)] or ["人员经费"], split_sum(rng, actual3, 3)
        ):
            tg_detail.append({"类别": cat, "项目名称": f"{cat}{item}", "金额": amt, "落实情况": "已足额落实"})
    # keep the detail rows adding up: the zip above may have used fewer items than parts
    for cat_row in tg:
        rows = [r for r in tg_detail if r["类别"] == cat_row["类别"]]
        rows[-1]["金额"] = r2(cat_row["实际支出"] - sum(r["金额"] for r in rows[:-1]))
    d["三保支出"], d["三保明细"] = tg, tg_detail
    car_b, rec_b = r2(rng.uniform(3, 20)), r2(rng.uniform(0.5, 6))
    car_a, rec_a = r2(car_b * rng.uniform(0.5, 1.0)), r2(rec_b * rng.uniform(0.3, 1.0))
    car_l, rec_l = r2(car_a * rng.uniform(0.7, 1.3)), r2(rec_a * rng.uniform(0.7, 1.3))
    d["三公经费"] = [
        {"项目": "因公出国（境）费", "本年预算": 0, "本年决算": 0, "上年决算": 0},
        {"项目": "公务用车运行维护费", "本年预算": car_b, "本年决算": car_a, "上年决算": car_l},
        {"项目": "公务接待费", "本年预算": rec_b, "本年决算": rec_a, "上年决算": rec_l},
        {"项目": "合计", "本年预算": r2(car_b + rec_b), "本年决算": r2(car_a + rec_a), "上年决算": r2(car_l + rec_l)},
    ]
    nontax: list[NonTaxRow] = []
    for item in rng.sample(
        ["利息收入", "生态环境罚没收入", "其他一般罚没收入", "国有资产有偿使用收入"], rng.randint(1, 3)
    ):
        b = r2(rng.uniform(0.5, 20))
        a = r2(b * rng.uniform(0.8, 1.2))
        nontax.append({"项目": item, "预算数": b, "实际数": a})
    d["非税收入"] = nontax + [
        {"项目": "合计", "预算数": r2(sum(r["预算数"] for r in nontax)), "实际数": r2(sum(r["实际数"] for r in nontax))}
    ]

    # 问题 / 改进措施
    k = rng.randint(1, 4)
    idx = rng.sample(range(len(PROBLEMS)), k)
    d["问题"] = [{"序号": i, "问题描述": PROBLEMS[j]} for i, j in enumerate(idx, 1)]
    d["改进措施"] = [{"序号": i, "措施": MEASURES[j], "对应问题": i} for i, j in enumerate(idx, 1)]

    if "专项资金" in omit or "直达资金" in omit:  # the two name each other: keep them in step
        for s in special:
            s["是否直达资金"] = None
        d["直达资金"] = []
    if "问题" in omit:
        for m in d["改进措施"]:
            m["对应问题"] = None
    for sheet in omit:
        if sheet in d:
            d[sheet] = [] if isinstance(d[sheet], list) else {}

    # 填报数据: figures stated in the report, consistent with the sheets that are kept
    done = [p for p in projects if p["完成状态"] == "已完成"]
    nd = [p for p in projects if p["完成状态"] != "已完成"]
    pb = sum(p["预算数"] for p in projects)
    ps = sum(p["执行数"] for p in projects)
    over50 = rng.randint(0, n_projects // 2)
    stated: dict[str, Any] = {
        "考核总分": total,
        "换算得分": conv,
        "考核等级": grade(conv),
        "决算收入合计": final_total,
        "决算财政拨款收入": r2(final_total - other),
        "决算其他收入": other,
        "资产负债率": pct_text(pct(liab_prev, assets_prev)),
        "现金比率": pct_text(pct(cash, liab_prev)),
        "流动比率": pct_text(pct(cash + recv, liab_prev)),
        "固定资产成新率": pct_text(pct(fa_net, fa_orig)),
        "其他应付款占负债比例": pct_text(pct(other_pay, liab_prev)),
        "财务报告年度": year - 1,
        "项目整体支出进度": pct_text(pct(ps, pb)),
        "半年目标实现程度达50%项目数": over50,
        "半年目标实现程度30%以下项目数": rng.randint(0, n_projects - over50),
        "半年工作未开展项目数": 0,
        "实现绩效目标项目数": len(done),
        "实现绩效目标项目资金": r2(sum(p["预算数"] for p in done)),
        "未完成绩效目标项目数": len(nd),
        "未完成绩效目标项目资金": r2(sum(p["预算数"] for p in nd)),
        "本年事前评估项目数": n_projects,
        "办公用房面积": office_area,
        "其他用房面积": r2(area - office_area),
        "在建工程截至日期": f"{year}-12-31",
        "在建工程金额": 0,
        "统筹其他收入": other,
    }
    if rng.random() < 0.5:
        stated["适用满分"] = amax
    meta["applicable_max"] = amax
    if "三公经费" not in omit:
        stated["三公经费增减额"] = r2((car_a + rec_a) - (car_l + rec_l))
    if rng.random() < 0.7:
        sme = r2(rng.uniform(5, 80))
        stated.update(
            {
                "采购预算总额": r2(sme * rng.uniform(1.0, 1.2)),
                "采购合同总金额": sme,
                "中小企业合同金额": sme,
                "中小企业合同占比": "100.00%",
                "小微企业合同金额": sme,
                "小微企业占中小企业比例": "100.00%",
            }
        )
    last = rng.randint(5, max(6, n_projects))
    full = rng.randint(0, last)
    b90 = rng.randint(0, last - full)
    stated.update(
        {
            "上年自评项目数": last,
            "上年自评满分项目数": full,
            "上年自评95分以上项目数": 0,
            "上年自评90至95分项目数": b90,
            "上年自评90分以下项目数": last - full - b90,
        }
    )
    if rng.random() < 0.5:
        key = rng.choice(projects)
        score = r2(rng.uniform(75, 99))
        stated.update({"重点评价项目": key["项目名称"], "重点评价得分": score, "重点评价等级": grade(score)})
    d["填报数据"] = stated

    texts = {k: v.format(**fill) for k, v in TEXTS.items()}
    for text_id in rng.sample(OPTIONAL_TEXTS, rng.randint(2, len(OPTIONAL_TEXTS))):
        texts[text_id] = OPTIONAL_TEXT_PHRASES[text_id].format(**fill)
    texts["monitoring_analysis"] = f"截至12月份，实现绩效目标的项目有{len(done)}个，未完成绩效目标的项目有{len(nd)}个。"
    texts["execution_analysis"] = f"{year}年，项目整体支出进度为{pct_text(pct(ps, pb))}。"
    from jixiao.workbook.spec import workbook_spec

    by_id = {k.id: k.key for k in workbook_spec().sheet("texts").keys}
    d["文字说明"] = {by_id[k]: v for k, v in texts.items()}
    return d, meta
