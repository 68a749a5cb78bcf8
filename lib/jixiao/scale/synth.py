"""Synthetic townships: valid, varied workbooks and parameter files for scale tests.

``jixiao synth --n 50 --out DIR`` writes, deterministically for a seed,

- ``DIR/workbooks/<slug>-<year>.xlsx``: a township workbook in the shipped format
  (written by :func:`jixiao.workbook.template.write_workbook`), with a generated name (某某镇 from
  syllable lists), offices, functions, 5–200 projects with indicators, budgets and final
  accounts that add up, a balance sheet, stated figures and narrative texts from phrase
  lists; optional sheets are left out of some townships;
- ``DIR/params/<slug>-<year>.yaml``: its parameters file (paths relative to itself;
  reports go to ``DIR/reports`` unless ``output_dir`` is given);
- ``DIR/synth.json``: what was generated, which townships carry deliberate
  inconsistencies (and which checks must flag them) and which are broken (and how).

Three kinds of township:

``valid``
    Loads, and every consistency check passes or is informational (no ``error``).
``inconsistent``
    Loads (``jixiao validate`` passes) but one to three figures are deliberately wrong
    (a stated total off, a share that does not match …): ``run_checks`` reports an
    ``error`` for each, at the check id recorded in ``synth.json``.
``broken``
    Fails validation (``WorkbookError``): a text in a money cell, a duplicate project
    序号, a missing required sheet … (the "45 ok / 5 broken" batch scenario).

Nothing is copied from the bundled example: every name, amount and sentence is drawn
from the random generator seeded with ``seed`` and the township's index.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from jixiao.rounding import round_half_up

# -- vocabularies -----------------------------------------------------------------------------
#: (汉字, pinyin) syllables for place names: first and second character of 某某镇.
_FIRST = [("青", "qing"), ("石", "shi"), ("河", "he"), ("柳", "liu"), ("桃", "tao"), ("白", "bai"),
          ("东", "dong"), ("西", "xi"), ("南", "nan"), ("北", "bei"), ("金", "jin"), ("龙", "long"),
          ("凤", "feng"), ("马", "ma"), ("杨", "yang"), ("高", "gao"), ("新", "xin"), ("平", "ping"),
          ("安", "an"), ("长", "chang"), ("永", "yong"), ("兴", "xing"), ("华", "hua"), ("宁", "ning"),
          ("双", "shuang"), ("古", "gu"), ("黄", "huang"), ("云", "yun"), ("松", "song"), ("梅", "mei"),
          ("泰", "tai"), ("文", "wen"), ("武", "wu"), ("明", "ming"), ("太", "tai"), ("大", "da")]
_SECOND = [("庄", "zhuang"), ("桥", "qiao"), ("集", "ji"), ("店", "dian"), ("口", "kou"), ("营", "ying"),
           ("坊", "fang"), ("阳", "yang"), ("山", "shan"), ("湖", "hu"), ("泉", "quan"), ("林", "lin"),
           ("原", "yuan"), ("屯", "tun"), ("沟", "gou"), ("岭", "ling"), ("湾", "wan"), ("塘", "tang"),
           ("城", "cheng"), ("堤", "di"), ("寨", "zhai"), ("峪", "yu"), ("坪", "ping"), ("滩", "tan")]
_COUNTY_FIRST = ["清", "丰", "永", "安", "长", "宁", "武", "定", "平", "泰", "乐", "广"]
_COUNTY_SECOND = ["河", "阳", "城", "远", "宁", "安", "平", "水", "丰", "乐"]
_CITY = ["保定市", "邢台市", "沧州市", "衡水市", "廊坊市", "承德市", "张家口市", "邯郸市"]
#: Unit kind → (name suffix, full-name suffix, slug suffix).
_KINDS = [("镇", "镇人民政府", ""), ("乡", "乡人民政府", "-xiang"), ("街道", "街道办事处", "-jd")]

_OFFICES = ["党政综合办公室", "党建工作办公室", "应急管理办公室", "自然资源和生态环境办公室",
            "综合行政执法队", "行政综合服务中心", "农业综合服务中心", "退役军人服务站", "社会事务办公室",
            "平安建设办公室", "经济发展办公室", "财政所", "社区治理办公室", "便民服务中心"]
_CATEGORIES = [("重大政策落实", 12), ("预算编制管理", 14), ("预算执行管理", 25), ("预算绩效管理", 22),
               ("资产管理", 6), ("预算透明度", 8), ("预算信息化", 10)]
_FUNCTIONS_ALWAYS = [201]
_FUNCTIONS_OPTIONAL = [204, 205, 207, 208, 210, 211, 212, 213, 214, 220, 221, 224, 229]
#: (职能, 工作活动, 年度工作目标, project name stems)
_DUTIES = [
    ("政务管理", "综合事务管理", "保障机关正常运转", ["机关运转经费", "专项工作经费", "办公设备购置", "档案管理经费"]),
    ("社会管理与服务", "基层政权和社区建设", "维持村级正常运转，促进乡村发展",
     ["村级组织办公经费", "村党组织活动经费", "服务群众专项经费", "村干部报酬"]),
    ("农村文化建设", "公共文化服务", "丰富群众文化生活", ["综合文化站免费开放资金", "农家书屋维护经费", "文化下乡活动经费"]),
    ("环境污染综合防治", "大气与水污染防治", "改善农村人居环境", ["大气污染防治经费", "农村生活垃圾治理经费", "河道保洁经费"]),
    ("政法综治稳定", "维护社会稳定", "化解矛盾纠纷，维护乡村稳定", ["维稳经费", "人民调解员经费", "网格化管理经费"]),
    ("乡村振兴", "农村经济发展", "推进乡村全面振兴", ["脱贫帮扶公益性岗位补助", "特色产业扶持资金", "高标准农田建设"]),
    ("农业农村", "农业生产服务", "保障粮食安全", ["农业技术推广经费", "动物防疫经费", "农田水利设施维护"]),
    ("应急管理", "防灾减灾", "提升应急处置能力", ["防汛抗旱物资储备", "森林防火经费", "应急队伍建设经费"]),
    ("城乡建设", "村庄基础设施", "改善村庄道路与设施", ["村道路改造工程", "路灯维护经费", "排水沟渠整治"]),
    ("民兵训练", "武装工作", "保障乡镇武装工作正常开展", ["乡镇武装工作经费", "民兵训练经费"]),
    ("社会保障", "民生保障", "兜牢基本民生底线", ["退役军人公益岗补贴", "困难群众临时救助", "高龄老人补贴"]),
]
_VILLAGES = ["东", "西", "南", "北", "前", "后", "大", "小", "上", "下", "中", "新"]
_QUANT = [("开展{w}次数", "次", 2, 12), ("覆盖村数", "个", 5, 30), ("受益人数", "人", 50, 3000),
          ("培训人次", "人次", 20, 600), ("维护里程", "公里", 1, 40), ("发放人数", "人", 3, 200),
          ("完成工程数量", "处", 1, 15), ("巡查次数", "次", 12, 365)]
_WORKS = ["宣传", "培训", "巡查", "文化活动", "应急演练", "走访慰问", "专题会议"]
_TEXTS = {
    "intro": "根据区县财政局关于开展部门整体绩效管理自评工作的通知要求，结合实际情况，{unit}组织开展部门整体绩效管理自评工作，现将具体情况报告如下：",
    "austerity": "{we}严格落实政府“过紧日子”要求，厉行节约办一切事业，从紧安排项目支出，严格控制“三公”经费支出。",
    "tax_cuts": "{we}高度重视减税降费工作，严格落实各项减税降费政策。",
    "budget_rules": "{we}按照“三重一大”要求，对申报预算的项目进行前期论证，并经党委会议专题研究。",
    "budget_preparation": "{we}在规定时间内按要求报送年初预算编制资料，预算项目全部录入一体化系统，报送文本准确无误。",
    "warnings": "{we}重点关注一体化平台预算执行监督预警提示的问题，{year}年未出现预警提示问题。",
    "violations": "{we}不存在无预算、超预算安排支出的情况，未被督查、审计等指出问题。",
    "advances": "{we}严格控制暂付款规模，{year}年无新增暂付款。",
    "final_accounts": "{we}决算编报收支真实、数据准确、内容完整、报送及时。",
    "routine_work": "{we}各岗位及时查看并落实财政部门的各项通知，日常手续报送规范，全年未退回重新修改。",
    "goal_management": "{we}财务人员与项目管理人员共同设立绩效目标，绩效指标清晰、细化、可衡量。",
    "monitoring_routine": "{we}按时填报《项目分月支出进度表》和《预算绩效运行监控表》，每月对项目逐条监控。",
    "asset_reporting": "{we}每月及时报送国有资产月报，按要求报送国有资产年报。",
    "asset_management": "{we}建立资产管理内控制度，设置资产管理岗，资产卡片信息完整规范。",
    "transparency": "{we}按要求在政府门户网站公开专栏公开预决算信息和绩效信息。",
    "informatization": "{we}规范操作一体化系统，财政内网终端全年未发生网络安全事件。",
    "problems_summary": "通过部门绩效自评，{we}大部分项目能够按照预期目标完成，但个别项目存在预算执行率偏低、绩效目标不够细化的问题。",
    "measures_summary": "针对自评发现的问题，{we}制定如下整改措施：",
}
_OPTIONAL_TEXTS = ["special_funds_measures", "e_invoices", "procurement_management", "key_tasks", "ex_ante",
                   "self_eval", "deductions", "financial_risk"]
_OPTIONAL_TEXT_PHRASES = {
    "special_funds_measures": "{we}将上级专项资金纳入项目库管理，专人盯办支出进度。",
    "e_invoices": "{we}按规定使用、核销财政电子票据。",
    "procurement_management": "{we}政府采购严格执行采购程序，不存在质疑和投诉。",
    "key_tasks": "{we}积极落实财政部门安排的重点任务，项目完工后均通过验收。",
    "ex_ante": "{we}申报下年预算项目时认真开展事前绩效评估，对项目进行分项成本测算。",
    "self_eval": "{we}按要求开展上年度项目绩效自评，逐项评定指标得分。",
    "deductions": "{we}未出现违反财政法规和制度规定的行为。",
    "financial_risk": "{we}资产流动性较好，偿债能力强，财务风险在可控范围内。",
}
_PROBLEMS = ["个别项目预算执行率偏低，资金支出进度滞后于计划。", "部分项目绩效目标设置不够细化，可衡量性不强。",
             "资产管理基础工作有待加强，资产卡片信息更新不及时。", "绩效监控分析深度不够，偏差原因分析不充分。",
             "财政电子票据核销不及时。", "项目前期论证不充分，预算调整较多。"]
_MEASURES = ["加强预算执行管理，按月分析支出进度，督促项目单位加快支出。", "细化量化绩效目标，提高指标的可衡量性。",
             "定期开展资产清查，及时更新资产卡片信息。", "加强绩效监控分析，对偏差较大的项目逐项说明原因。",
             "按时核销财政电子票据，专人负责票据管理。", "做实项目前期论证，提高预算编制的准确性。"]

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
#: Optional sheets a township may leave out (the loader treats them as empty).
OPTIONAL_SHEETS = ["专项资金", "直达资金", "三保支出", "三保明细", "三公经费", "非税收入", "总决算", "固定资产",
                   "实物资产", "项目指标", "监控情况", "问题", "改进措施", "绩效目标架构"]
#: Of those, the ones that are written empty (the format requires the sheet itself).
_REQUIRED_SHEETS_WITH_ROWS_OPTIONAL = {"绩效目标架构"}


@dataclass
class Township:
    """What :func:`generate` made for one township (recorded in ``synth.json``)."""

    index: int
    slug: str
    name: str
    year: int
    kind: str  # valid | inconsistent | broken
    projects: int
    params: str
    workbook: str
    omitted_sheets: list[str] = field(default_factory=list)
    inconsistencies: dict[str, str] = field(default_factory=dict)  # kind → check id
    broken: str | None = None  # breakage kind
    broken_reason: str | None = None


# -- helpers ----------------------------------------------------------------------------------
def _r2(x: float) -> float:
    return round_half_up(x, 2)


def _split(rng: random.Random, total: float, n: int, spread: float = 1.0) -> list[float]:
    """``n`` positive two-decimal parts adding up exactly to ``total`` (two decimals)."""
    weights = [rng.random() ** spread + 0.05 for _ in range(n)]
    s = sum(weights)
    parts = [_r2(total * w / s) for w in weights]
    parts[-1] = _r2(total - sum(parts[:-1]))
    if parts[-1] <= 0:  # rounding pushed the last one under: take from the largest
        i = max(range(n - 1), key=lambda k: parts[k])
        parts[i] = _r2(parts[i] - 0.01 + parts[-1])
        parts[-1] = 0.01
    return parts


def _pct(part: float, whole: float) -> float:
    return _r2(part / whole * 100)


def _pct_text(value: float) -> str:
    return f"{value:.2f}%"


def _names(rng: random.Random, n: int) -> list[tuple[str, str, str, str]]:
    """``n`` distinct township names: (short name 青石镇, full name, slug, county)."""
    out, seen = [], set()
    while len(out) < n:
        (a, pa), (b, pb) = rng.choice(_FIRST), rng.choice(_SECOND)
        kind = rng.choices(_KINDS, weights=[8, 3, 1])[0]
        short = f"{a}{b}{kind[0]}"
        if short in seen:
            continue
        slug = f"{pa}{pb}{kind[2]}"
        k = 2
        base = slug
        while slug in {o[2] for o in out}:
            slug, k = f"{base}{k}", k + 1
        seen.add(short)
        county = rng.choice(_CITY) + rng.choice(_COUNTY_FIRST) + rng.choice(_COUNTY_SECOND) + "县"
        out.append((short, county + a + b + kind[1], slug, county))
    return out


def _project_counts(rng: random.Random, n: int, low: int, high: int) -> list[int]:
    """Log-uniform over [low, high], stratified so a batch spans the whole range."""
    counts = []
    for i in range(n):
        q = (i + rng.random()) / n if n > 1 else rng.random()
        counts.append(int(round(math.exp(math.log(low) + q * (math.log(high) - math.log(low))))))
    if n >= 2:  # the whole range, ends included
        counts[0], counts[-1] = low, high
    rng.shuffle(counts)
    return [min(max(c, low), high) for c in counts]


# -- one township -----------------------------------------------------------------------------
def township_data(rng: random.Random, *, name: str, short: str, county: str, year: int,
                  n_projects: int, omit: set[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Workbook data (sheet → rows / key-values) of one consistent township, and facts
    the caller needs to break it deliberately (``meta``)."""
    we = "我" + ("街道" if short.endswith("街道") else short[-1])
    fill = {"unit": name, "we": we, "year": year}
    d: dict[str, Any] = {}
    meta: dict[str, Any] = {}

    # 基本信息 and 股室
    offices = rng.sample(_OFFICES, rng.randint(4, 10))
    authorized = rng.randint(25, 90)
    actual = authorized + rng.randint(-8, 6)
    fiscal = actual + rng.choice([0, 0, 0, rng.randint(1, 10)])
    d["基本信息"] = {
        "单位名称": name, "所属地区": county, "年度": year, "单位级别": "正科级", "单位性质": "行政单位",
        "经费保障形式": "财政拨款", "股室数量": len(offices), "编制数": authorized, "实有人数": actual,
        "财政供养人数": fiscal, "财政所人数": rng.randint(3, 8), "总人口": rng.randint(8000, 90000),
        "行政村数": rng.randint(6, 45), "编制依据": "《三定方案》",
        "报告日期": dt.date(year + 1, rng.randint(2, 4), rng.randint(1, 28)).isoformat(),
    }
    d["股室"] = [{"序号": i, "股室名称": o} for i, o in enumerate(offices, 1)]

    # 项目 (names unique enough, grouped by duty for the 绩效目标架构)
    duties = rng.sample(_DUTIES, rng.randint(3, min(len(_DUTIES), 3 + n_projects // 10)))
    projects, by_duty = [], {}
    for no in range(1, n_projects + 1):
        duty = duties[(no - 1) % len(duties)] if no <= len(duties) else rng.choice(duties)
        stem = rng.choice(duty[3])
        pname = stem if no <= len(duties) * 2 and rng.random() < 0.5 else (
            f"{rng.choice(_VILLAGES)}{rng.choice(_SECOND)[0]}村{stem}" if rng.random() < 0.5 else f"{year}年{stem}（{no}）")
        budget = _r2(math.exp(rng.uniform(math.log(0.8), math.log(300))))
        roll = rng.random()
        if roll < 0.80:
            status, rate = "已完成", rng.choice([1.0, 1.0, 1.0, rng.uniform(0.9, 1.0)])
        elif roll < 0.92:
            status, rate = "部分完成", rng.uniform(0.3, 0.9)
        else:
            status, rate = "未完成", rng.choice([0.0, rng.uniform(0.0, 0.3)])
        spent = _r2(budget * rate)
        if status == "已完成" and spent == 0:
            spent = budget
        w = rng.choice(_WORKS)
        projects.append({
            "序号": no, "项目名称": pname, "资金性质": rng.choices(["一般公共预算", "政府性基金"], [9, 1])[0],
            "预算数": budget, "执行数": spent,
            "绩效目标": f"保障{stem}按计划实施，开展{w}，提升群众满意度。",
            "实现情况": ("按计划完成" if status == "已完成" else "部分完成" if status == "部分完成" else "未能按计划实施")
            + f"{stem}，开展{w}。",
            "完成状态": status,
        })
        by_duty.setdefault(duty[0], []).append(pname)
    d["项目"] = projects
    meta["projects"] = projects
    d["绩效目标架构"] = [
        {"序号": i, "职能": duty[0], "工作活动": duty[1], "年度工作目标": duty[2],
         "对应项目支出": "、".join(dict.fromkeys(by_duty.get(duty[0], [])[:4]))}
        for i, duty in enumerate(duties, 1) if by_duty.get(duty[0])
    ]

    # 项目指标
    indicators = []
    for p in projects:
        for _ in range(rng.randint(1, 3)):
            tmpl, unit, lo, hi = rng.choice(_QUANT)
            target = rng.randint(lo, hi)
            done = p["完成状态"] == "已完成"
            act = target + rng.randint(0, max(1, target // 5)) if done else int(target * rng.uniform(0.2, 0.9))
            indicators.append({"项目序号": p["序号"], "一级指标": "产出指标", "二级指标": "数量指标",
                               "指标名称": tmpl.format(w=rng.choice(_WORKS)), "指标方向": "≥", "目标值": target,
                               "实际值": act, "计量单位": unit})
        if rng.random() < 0.6:
            sat = rng.choice([85, 90, 95])
            indicators.append({"项目序号": p["序号"], "一级指标": "满意度指标", "二级指标": "服务对象满意度指标",
                               "指标名称": "群众满意度", "指标方向": "≥", "目标值": sat,
                               "实际值": min(100, sat + rng.randint(-3, 5)), "计量单位": "%"})
        if rng.random() < 0.4:
            indicators.append({"项目序号": p["序号"], "一级指标": "效益指标", "二级指标": "社会效益指标",
                               "指标名称": "保障基层正常运转", "指标方向": "定性", "目标值": "达成",
                               "实际值": "达成" if p["完成状态"] == "已完成" else "部分达成"})
    d["项目指标"] = indicators

    # 监控情况: every project not completed
    not_done = [p for p in projects if p["完成状态"] != "已完成"]
    d["监控情况"] = [{"项目序号": p["序号"], "项目名称": p["项目名称"],
                     "支出差异较大": "是" if (p["执行数"] or 0) < 0.8 * p["预算数"] else "否",
                     "未完成绩效目标": "是", "原因": rng.choice(["上级资金未及时到位", "项目实施条件不具备",
                                                           "受天气影响工期延后", "财政资金管控，部分资金收回"])}
                    for p in not_done]

    # 支出功能分类, 预算收入, 决算
    proj_budget = sum(p["预算数"] for p in projects)
    budget_total = _r2(proj_budget * rng.uniform(1.4, 2.6) + rng.uniform(300, 900))
    codes = _FUNCTIONS_ALWAYS + rng.sample(_FUNCTIONS_OPTIONAL, rng.randint(3, 8))
    codes.sort()
    from jixiao.workbook.spec import function_codes

    names = function_codes()
    budgets = _split(rng, budget_total, len(codes), spread=2.0)
    final_total = _r2(budget_total * rng.uniform(0.9, 1.25))
    finals = _split(rng, final_total, len(codes), spread=2.0)
    d["支出功能分类"] = [{"功能分类编码": c, "科目名称": names[c], "预算数": b, "决算数": f,
                          "决算占比": _pct_text(_pct(f, final_total))}
                         for c, b, f in zip(codes, budgets, finals)]
    meta["final_total"] = final_total
    other = _r2(rng.choice([0, 0, rng.uniform(0.1, 5)]))
    fund = _r2(rng.uniform(0, 0.1) * budget_total) if rng.random() < 0.6 else 0.0
    gpb = _r2(budget_total - other - fund)
    d["预算收入"] = [{"收入来源": "一般公共预算拨款", "金额": gpb}, {"收入来源": "政府性基金拨款", "金额": fund},
                    {"收入来源": "其他收入", "金额": other}, {"收入来源": "合计", "金额": budget_total}]
    gov_fund_final = _r2(final_total * rng.uniform(0, 0.3))
    d["总决算"] = [{"资金性质": "一般公共预算", "收入": _r2(final_total - gov_fund_final)},
                   {"资金性质": "政府性基金", "收入": gov_fund_final},
                   {"资金性质": "合计", "收入": final_total, "支出": final_total}]

    # 考核得分
    amax = sum(p for _, p in _CATEGORIES)
    cats = []
    # How well the unit is run: most score 优 or 良, some 中, a few 差.
    quality = rng.choice([rng.uniform(0.85, 1.0)] * 6 + [rng.uniform(0.7, 0.9)] * 3 + [rng.uniform(0.45, 0.7)])
    for i, (cat, pts) in enumerate(_CATEGORIES, 1):
        score = round(pts * rng.uniform(quality, 1.0) * 2) / 2  # whole or half points
        cats.append({"序号": i, "考核类别": cat, "适用分值": pts, "自评得分": min(pts, max(0, score))})
    penalty = rng.choice([0, 0, 0, -0.5, -1])
    cats.append({"序号": len(cats) + 1, "考核类别": "存在问题", "自评得分": penalty})
    total = sum(c["自评得分"] for c in cats)
    d["考核得分"] = cats + [{"考核类别": "合计", "自评得分": total}]
    from jixiao.analysis.scoring import grade

    conv = _r2(total / amax * 100)

    # 资产负债 (上年末 = the financial report of the previous year; 本年末 totals only)
    other_pay = _r2(rng.uniform(3, 120))
    wages = _r2(rng.choice([0, rng.uniform(0, 20)]))
    cash = _r2((other_pay + wages) * rng.uniform(0.4, 3.5))  # 现金比率 40 %–350 %
    recv = _r2(rng.choice([0, rng.uniform(0, 50)]))
    fa_net = _r2(rng.uniform(60, 900))
    fa_orig = _r2(fa_net / rng.uniform(0.3, 0.8))
    infra = _r2(rng.uniform(500, 15000))
    assets_prev = _r2(cash + recv + fa_net + infra)
    liab_prev = _r2(other_pay + wages)
    assets_cur = _r2(assets_prev * rng.uniform(0.95, 1.1))
    liab_cur = _r2(liab_prev * rng.uniform(0.7, 1.3))
    net_prev, net_cur = _r2(assets_prev - liab_prev), _r2(assets_cur - liab_cur)
    d["资产负债"] = [
        {"项目": "资产总额", "类别": "资产", "层级": "总额", "上年末": assets_prev, "本年末": assets_cur,
         "变动率": _pct_text(_r2((assets_cur - assets_prev) / assets_prev * 100))},
        {"项目": "货币资金", "类别": "资产", "层级": "明细", "上年末": cash},
        {"项目": "其他应收款净额", "类别": "资产", "层级": "明细", "上年末": recv},
        {"项目": "固定资产净值", "类别": "资产", "层级": "明细", "上年末": fa_net},
        {"项目": "固定资产原值", "类别": "资产", "层级": "明细", "上年末": fa_orig, "说明": "备查（不计入合计）"},
        {"项目": "公共基础设施净值", "类别": "资产", "层级": "明细", "上年末": infra},
        {"项目": "负债总额", "类别": "负债", "层级": "总额", "上年末": liab_prev, "本年末": liab_cur,
         "变动率": _pct_text(_r2((liab_cur - liab_prev) / liab_prev * 100))},
        {"项目": "其他应付款", "类别": "负债", "层级": "明细", "上年末": other_pay},
        {"项目": "应付职工薪酬", "类别": "负债", "层级": "明细", "上年末": wages},
        {"项目": "净资产", "类别": "净资产", "层级": "总额", "上年末": net_prev, "本年末": net_cur,
         "变动率": _pct_text(_r2((net_cur - net_prev) / net_prev * 100))},
    ]
    meta["net_assets_row"] = len(d["资产负债"]) - 1

    # 固定资产 / 实物资产
    fa_cats = ["土地、房屋及构筑物", "设备", "图书档案", "家具、用具"]
    stocks = _split(rng, _r2(fa_orig * rng.uniform(0.9, 1.1)), len(fa_cats))
    added = [_r2(s * rng.choice([0, 0, rng.uniform(0.02, 0.3)])) for s in stocks]
    d["固定资产"] = ([{"资产类别": c, "年末原值": s, "本年配置": a} for c, s, a in zip(fa_cats, stocks, added)]
                    + [{"资产类别": "合计", "年末原值": _r2(sum(stocks)), "本年配置": _r2(sum(added))}])
    area = _r2(rng.uniform(800, 6000))
    office_area = _r2(area * rng.uniform(0.6, 1.0))
    cars = rng.randint(1, 6)
    car_orig = _r2(cars * rng.uniform(12, 25))
    d["实物资产"] = [
        {"资产类型": "土地", "计量单位": "平方米", "账面数量": _r2(area * 2.5), "在用": _r2(area * 2.5), "出租出借": 0,
         "闲置": 0, "待处置": 0},
        {"资产类型": "房屋", "计量单位": "平方米", "账面数量": area, "账面原值": _r2(area * 0.25),
         "账面净值": _r2(area * 0.25 * rng.uniform(0.4, 0.9)), "在用": area, "出租出借": 0, "闲置": 0, "待处置": 0},
        {"资产类型": "车辆", "计量单位": "辆", "账面数量": cars, "账面原值": car_orig,
         "账面净值": _r2(car_orig * rng.uniform(0.2, 0.8)), "在用": cars, "闲置": 0, "待处置": 0},
    ]

    # 专项资金 / 直达资金 / 三保 / 三公 / 非税
    n_special = rng.randint(2, 7)
    special = []
    for i in range(1, n_special + 1):
        level = rng.choice(["中央", "省级", "市级"])
        special.append({"序号": i, "资金名称": f"{year}年{level}{rng.choice(['农村综合改革', '农业防灾减灾', '公共文化服务', '乡村振兴衔接', '基层组织运转'])}补助资金（第{i}批）",
                        "资金级次": level, "金额": _r2(rng.uniform(0.5, 120)), "是否直达资金": "是" if rng.random() < 0.3 else None})
    d["专项资金"] = special + [{"资金名称": "合计", "金额": _r2(sum(s["金额"] for s in special))}]
    d["直达资金"] = [{"序号": i, "项目名称": s["资金名称"], "用途": rng.choice(["购买农资", "救灾物资", "村级公益设施"]),
                      "支出日期": dt.date(year, rng.randint(3, 12), rng.randint(1, 28)).isoformat(), "支出进度": "100%"}
                     for i, s in enumerate([s for s in special if s["是否直达资金"] == "是"], 1)]
    tg, tg_detail = [], []
    for cat, lo, hi in (("保基本民生", 30, 300), ("保工资", 300, 2500), ("保运转", 40, 300)):
        arranged = _r2(rng.uniform(lo, hi))
        actual3 = _r2(arranged * rng.uniform(1.0, 1.05))
        tg.append({"类别": cat, "安排资金": arranged, "实际支出": actual3})
        for item, amt in zip(["人员经费", "村级组织运转", "民生补助"][: rng.randint(1, 3)] or ["人员经费"],
                             _split(rng, actual3, 3)):
            tg_detail.append({"类别": cat, "项目名称": f"{cat}{item}", "金额": amt, "落实情况": "已足额落实"})
    # keep the detail rows adding up: the zip above may have used fewer items than parts
    for cat_row in tg:
        rows = [r for r in tg_detail if r["类别"] == cat_row["类别"]]
        rows[-1]["金额"] = _r2(cat_row["实际支出"] - sum(r["金额"] for r in rows[:-1]))
    d["三保支出"], d["三保明细"] = tg, tg_detail
    car_b, rec_b = _r2(rng.uniform(3, 20)), _r2(rng.uniform(0.5, 6))
    car_a, rec_a = _r2(car_b * rng.uniform(0.5, 1.0)), _r2(rec_b * rng.uniform(0.3, 1.0))
    car_l, rec_l = _r2(car_a * rng.uniform(0.7, 1.3)), _r2(rec_a * rng.uniform(0.7, 1.3))
    d["三公经费"] = [
        {"项目": "因公出国（境）费", "本年预算": 0, "本年决算": 0, "上年决算": 0},
        {"项目": "公务用车运行维护费", "本年预算": car_b, "本年决算": car_a, "上年决算": car_l},
        {"项目": "公务接待费", "本年预算": rec_b, "本年决算": rec_a, "上年决算": rec_l},
        {"项目": "合计", "本年预算": _r2(car_b + rec_b), "本年决算": _r2(car_a + rec_a), "上年决算": _r2(car_l + rec_l)},
    ]
    nontax = []
    for item in rng.sample(["利息收入", "生态环境罚没收入", "其他一般罚没收入", "国有资产有偿使用收入"], rng.randint(1, 3)):
        b = _r2(rng.uniform(0.5, 20))
        a = _r2(b * rng.uniform(0.8, 1.2))
        nontax.append({"项目": item, "预算数": b, "实际数": a})
    d["非税收入"] = nontax + [{"项目": "合计", "预算数": _r2(sum(r["预算数"] for r in nontax)),
                              "实际数": _r2(sum(r["实际数"] for r in nontax))}]

    # 问题 / 改进措施
    k = rng.randint(1, 4)
    idx = rng.sample(range(len(_PROBLEMS)), k)
    d["问题"] = [{"序号": i, "问题描述": _PROBLEMS[j]} for i, j in enumerate(idx, 1)]
    d["改进措施"] = [{"序号": i, "措施": _MEASURES[j], "对应问题": i} for i, j in enumerate(idx, 1)]

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
        "考核总分": total, "换算得分": conv, "考核等级": grade(conv),
        "决算收入合计": final_total, "决算财政拨款收入": _r2(final_total - other), "决算其他收入": other,
        "资产负债率": _pct_text(_pct(liab_prev, assets_prev)),
        "现金比率": _pct_text(_pct(cash, liab_prev)),
        "流动比率": _pct_text(_pct(cash + recv, liab_prev)),
        "固定资产成新率": _pct_text(_pct(fa_net, fa_orig)),
        "其他应付款占负债比例": _pct_text(_pct(other_pay, liab_prev)),
        "财务报告年度": year - 1,
        "项目整体支出进度": _pct_text(_pct(ps, pb)),
        "半年目标实现程度达50%项目数": over50,
        "半年目标实现程度30%以下项目数": rng.randint(0, n_projects - over50),
        "半年工作未开展项目数": 0,
        "实现绩效目标项目数": len(done), "实现绩效目标项目资金": _r2(sum(p["预算数"] for p in done)),
        "未完成绩效目标项目数": len(nd), "未完成绩效目标项目资金": _r2(sum(p["预算数"] for p in nd)),
        "本年事前评估项目数": n_projects,
        "办公用房面积": office_area, "其他用房面积": _r2(area - office_area),
        "在建工程截至日期": f"{year}-12-31", "在建工程金额": 0,
        "统筹其他收入": other,
    }
    if rng.random() < 0.5:
        stated["适用满分"] = amax
    meta["applicable_max"] = amax
    if "三公经费" not in omit:
        stated["三公经费增减额"] = _r2((car_a + rec_a) - (car_l + rec_l))
    if rng.random() < 0.7:
        sme = _r2(rng.uniform(5, 80))
        stated.update({"采购预算总额": _r2(sme * rng.uniform(1.0, 1.2)), "采购合同总金额": sme, "中小企业合同金额": sme,
                       "中小企业合同占比": "100.00%", "小微企业合同金额": sme, "小微企业占中小企业比例": "100.00%"})
    last = rng.randint(5, max(6, n_projects))
    full = rng.randint(0, last)
    b90 = rng.randint(0, last - full)
    stated.update({"上年自评项目数": last, "上年自评满分项目数": full, "上年自评95分以上项目数": 0,
                   "上年自评90至95分项目数": b90, "上年自评90分以下项目数": last - full - b90})
    if rng.random() < 0.5:
        key = rng.choice(projects)
        score = _r2(rng.uniform(75, 99))
        stated.update({"重点评价项目": key["项目名称"], "重点评价得分": score, "重点评价等级": grade(score)})
    d["填报数据"] = stated

    texts = {k: v.format(**fill) for k, v in _TEXTS.items()}
    for k in rng.sample(_OPTIONAL_TEXTS, rng.randint(2, len(_OPTIONAL_TEXTS))):
        texts[k] = _OPTIONAL_TEXT_PHRASES[k].format(**fill)
    texts["monitoring_analysis"] = (f"截至12月份，实现绩效目标的项目有{len(done)}个，未完成绩效目标的项目有{len(nd)}个。")
    texts["execution_analysis"] = f"{year}年，项目整体支出进度为{_pct_text(_pct(ps, pb))}。"
    from jixiao.workbook.spec import workbook_spec

    by_id = {k.id: k.key for k in workbook_spec().sheet("texts").keys}
    d["文字说明"] = {by_id[k]: v for k, v in texts.items()}
    return d, meta


def _make_inconsistent(rng: random.Random, d: dict, meta: dict, omit: set[str]) -> dict[str, str]:
    """Break 1–3 figures so that the checker reports an error for each."""
    kinds = [k for k in INCONSISTENCIES if not (k == "special_funds_total" and "专项资金" in omit)
             and not (k == "fixed_assets_added" and "固定资产" in omit)]
    chosen = rng.sample(kinds, rng.randint(1, 3))
    for kind in chosen:
        if kind == "budget_revenue_total":
            d["预算收入"][-1]["金额"] = _r2(d["预算收入"][-1]["金额"] + rng.choice([-1, 1]) * rng.uniform(10, 100))
        elif kind == "assessment_total":
            d["填报数据"]["考核总分"] = d["填报数据"]["考核总分"] + rng.choice([2, 3, -2])
            d["考核得分"][-1]["自评得分"] = d["填报数据"]["考核总分"]
            # 换算得分 and 等级 follow the (wrong) stated total, as a report would
            amax = meta["applicable_max"]
            from jixiao.analysis.scoring import grade

            d["填报数据"]["换算得分"] = _r2(d["填报数据"]["考核总分"] / amax * 100)
            d["填报数据"]["考核等级"] = grade(d["填报数据"]["换算得分"])
        elif kind == "function_share":
            row = max(d["支出功能分类"], key=lambda r: r["决算数"])
            value = float(row["决算占比"].rstrip("%")) + rng.choice([-1, 1]) * rng.uniform(2, 6)
            row["决算占比"] = _pct_text(_r2(value))
        elif kind == "project_count":
            d["填报数据"]["实现绩效目标项目数"] += rng.randint(2, 5)
        elif kind == "net_assets":
            row = d["资产负债"][meta["net_assets_row"]]
            row["本年末"] = _r2(row["本年末"] + rng.uniform(50, 500))
            row.pop("变动率", None)
        elif kind == "fixed_assets_added":
            row = d["固定资产"][1]  # 设备
            row["本年配置"] = _r2(row["年末原值"] + rng.uniform(5, 50))
            d["固定资产"][-1]["本年配置"] = _r2(sum(r["本年配置"] for r in d["固定资产"][:-1]))
        elif kind == "special_funds_total":
            d["专项资金"][-1]["金额"] = _r2(d["专项资金"][-1]["金额"] + rng.uniform(5, 50))
    return {k: INCONSISTENCIES[k] for k in chosen}


def _break(rng: random.Random, d: dict, year: int, kind: str) -> str:
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
        d["项目指标"].append({"项目序号": len(projects) + 100, "一级指标": "产出指标", "指标名称": "开展活动次数",
                              "指标方向": "≥", "目标值": 3, "实际值": 3, "计量单位": "次"})
    elif kind == "year_mismatch":
        d["基本信息"]["年度"] = year - 1
    return kind


def _drop_sheet(path: Path, sheet: str) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    del wb[sheet]
    wb.save(path)


# -- the set ----------------------------------------------------------------------------------
def generate(out: str | Path, n: int, *, seed: int = 0, year: int = 2023, inconsistent_share: float = 0.2,
             broken: int = 0, broken_share: float | None = None, projects: tuple[int, int] = (5, 200),
             output_dir: str | Path | None = None, formats: list[str] | None = None) -> list[Township]:
    """Write ``n`` synthetic townships (and ``synth.json``) under ``out``.

    Parameters
    ----------
    out : path
        Folder for ``workbooks/``, ``params/`` and ``synth.json``.
    n : int
        How many townships (including the broken ones).
    seed : int
        Same seed → byte-for-byte the same data (and the same files, up to the xlsx
        timestamps openpyxl writes).
    year : int
        The report year.
    inconsistent_share : float
        Share of the valid townships given deliberate inconsistencies (0 … 1).
    broken : int
        How many townships are deliberately broken (fail validation).
    broken_share : float, optional
        Alternatively, the broken share of ``n`` (rounded; overrides ``broken``).
    projects : (int, int)
        Range of project counts (log-uniform, spread over the set).
    output_dir : path, optional
        ``output_dir`` written into each parameters file; ``out/reports`` by default.
    formats : list of str, optional
        ``report.formats`` of each parameters file (``["html"]`` by default).

    Returns
    -------
    list of Township
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    if broken_share is not None:
        broken = int(round(n * broken_share))
    if not 0 <= broken <= n:
        raise ValueError("broken must be between 0 and n")
    from jixiao.workbook.template import write_workbook

    out = Path(out)
    (out / "workbooks").mkdir(parents=True, exist_ok=True)
    (out / "params").mkdir(parents=True, exist_ok=True)
    master = random.Random(f"jixiao-synth-{seed}")
    names = _names(master, n)
    counts = _project_counts(master, n, *projects)
    order = list(range(n))
    master.shuffle(order)
    broken_idx = set(order[:broken])
    rest = order[broken:]
    n_incons = int(round(len(rest) * inconsistent_share))
    incons_idx = set(rest[:n_incons])
    rep_dir = Path(output_dir) if output_dir is not None else out / "reports"
    made: list[Township] = []
    for i, ((short, full, slug, county), n_proj) in enumerate(zip(names, counts)):
        rng = random.Random(f"jixiao-synth-{seed}-{i}")
        omit = {s for s in OPTIONAL_SHEETS if rng.random() < 0.15}
        data, meta = township_data(rng, name=full, short=short, county=county, year=year, n_projects=n_proj,
                                   omit=omit)
        kind = "broken" if i in broken_idx else "inconsistent" if i in incons_idx else "valid"
        incons: dict[str, str] = {}
        bkind = None
        if kind == "inconsistent":
            incons = _make_inconsistent(rng, data, meta, omit)
        elif kind == "broken":
            # every kind of breakage in turn, so a handful of broken townships covers them
            bkind = _break(rng, data, year, list(BREAKAGES)[sorted(broken_idx).index(i) % len(BREAKAGES)])
        stem = f"{slug}-{year}"
        wb_path = out / "workbooks" / f"{stem}.xlsx"
        write_workbook(wb_path, data, label=f"合成数据（jixiao synth，seed {seed}，第 {i + 1} 个）：仅供测试与基准")
        if bkind == "missing_sheet":
            _drop_sheet(wb_path, "资产负债")
        params: dict[str, Any] = {
            "township": slug, "year": year, "name": full,
            "workbook": f"../workbooks/{stem}.xlsx",
            "output_dir": _rel(rep_dir, out / "params"),
            "scoring_scheme": "national",
        }
        if "适用满分" not in data["填报数据"]:
            params["assessment"] = {"applicable_max": meta["applicable_max"],
                                    "applicable_max_source": "合成数据：各考核类别适用分值之和"}
        params["report"] = {"formats": list(formats or ["html"])}
        p_path = out / "params" / f"{stem}.yaml"
        p_path.write_text(f"# 合成乡镇（jixiao synth，seed {seed}）：{full} {year}年度\n"
                          + yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8")
        made.append(Township(index=i, slug=slug, name=full, year=year, kind=kind, projects=len(data["项目"]),
                             params=str(p_path.relative_to(out)), workbook=str(wb_path.relative_to(out)),
                             omitted_sheets=sorted(omit), inconsistencies=incons, broken=bkind,
                             broken_reason=BREAKAGES.get(bkind) if bkind else None))
    summary = {"seed": seed, "year": year, "n": n, "broken": broken,
               "inconsistent": sum(t.kind == "inconsistent" for t in made),
               "townships": [asdict(t) for t in made]}
    (out / "synth.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return made


def _rel(target: Path, base: Path) -> str:
    """``target`` relative to ``base`` when both are under one root, else absolute."""
    import os

    target, base = Path(target).absolute(), Path(base).absolute()
    try:
        return os.path.relpath(target, base)
    except ValueError:  # different drives
        return str(target)
