"""Vocabularies of the synthetic townships: place names, offices, duties, indicators, phrases.

Everything a synthetic township says is drawn from these lists (see :mod:`jixiao.scale.synth`);
nothing is copied from the bundled example. :func:`township_names` makes distinct names of
the form 某某镇 / 某某乡 / 某某街道 from two syllable lists.
"""

from __future__ import annotations

import random

#: (汉字, pinyin) syllables for place names: first and second character of 某某镇.
FIRST = [
    ("青", "qing"),
    ("石", "shi"),
    ("河", "he"),
    ("柳", "liu"),
    ("桃", "tao"),
    ("白", "bai"),
    ("东", "dong"),
    ("西", "xi"),
    ("南", "nan"),
    ("北", "bei"),
    ("金", "jin"),
    ("龙", "long"),
    ("凤", "feng"),
    ("马", "ma"),
    ("杨", "yang"),
    ("高", "gao"),
    ("新", "xin"),
    ("平", "ping"),
    ("安", "an"),
    ("长", "chang"),
    ("永", "yong"),
    ("兴", "xing"),
    ("华", "hua"),
    ("宁", "ning"),
    ("双", "shuang"),
    ("古", "gu"),
    ("黄", "huang"),
    ("云", "yun"),
    ("松", "song"),
    ("梅", "mei"),
    ("泰", "tai"),
    ("文", "wen"),
    ("武", "wu"),
    ("明", "ming"),
    ("太", "tai"),
    ("大", "da"),
]
SECOND = [
    ("庄", "zhuang"),
    ("桥", "qiao"),
    ("集", "ji"),
    ("店", "dian"),
    ("口", "kou"),
    ("营", "ying"),
    ("坊", "fang"),
    ("阳", "yang"),
    ("山", "shan"),
    ("湖", "hu"),
    ("泉", "quan"),
    ("林", "lin"),
    ("原", "yuan"),
    ("屯", "tun"),
    ("沟", "gou"),
    ("岭", "ling"),
    ("湾", "wan"),
    ("塘", "tang"),
    ("城", "cheng"),
    ("堤", "di"),
    ("寨", "zhai"),
    ("峪", "yu"),
    ("坪", "ping"),
    ("滩", "tan"),
]
COUNTY_FIRST = ["清", "丰", "永", "安", "长", "宁", "武", "定", "平", "泰", "乐", "广"]
COUNTY_SECOND = ["河", "阳", "城", "远", "宁", "安", "平", "水", "丰", "乐"]
CITY = ["保定市", "邢台市", "沧州市", "衡水市", "廊坊市", "承德市", "张家口市", "邯郸市"]
#: Unit kind → (name suffix, full-name suffix, slug suffix).
KINDS = [("镇", "镇人民政府", ""), ("乡", "乡人民政府", "-xiang"), ("街道", "街道办事处", "-jd")]

OFFICES = [
    "党政综合办公室",
    "党建工作办公室",
    "应急管理办公室",
    "自然资源和生态环境办公室",
    "综合行政执法队",
    "行政综合服务中心",
    "农业综合服务中心",
    "退役军人服务站",
    "社会事务办公室",
    "平安建设办公室",
    "经济发展办公室",
    "财政所",
    "社区治理办公室",
    "便民服务中心",
]
CATEGORIES = [
    ("重大政策落实", 12),
    ("预算编制管理", 14),
    ("预算执行管理", 25),
    ("预算绩效管理", 22),
    ("资产管理", 6),
    ("预算透明度", 8),
    ("预算信息化", 10),
]
FUNCTIONS_ALWAYS = [201]
FUNCTIONS_OPTIONAL = [204, 205, 207, 208, 210, 211, 212, 213, 214, 220, 221, 224, 229]
#: (职能, 工作活动, 年度工作目标, project name stems)
DUTIES = [
    ("政务管理", "综合事务管理", "保障机关正常运转", ["机关运转经费", "专项工作经费", "办公设备购置", "档案管理经费"]),
    (
        "社会管理与服务",
        "基层政权和社区建设",
        "维持村级正常运转，促进乡村发展",
        ["村级组织办公经费", "村党组织活动经费", "服务群众专项经费", "村干部报酬"],
    ),
    (
        "农村文化建设",
        "公共文化服务",
        "丰富群众文化生活",
        ["综合文化站免费开放资金", "农家书屋维护经费", "文化下乡活动经费"],
    ),
    (
        "环境污染综合防治",
        "大气与水污染防治",
        "改善农村人居环境",
        ["大气污染防治经费", "农村生活垃圾治理经费", "河道保洁经费"],
    ),
    ("政法综治稳定", "维护社会稳定", "化解矛盾纠纷，维护乡村稳定", ["维稳经费", "人民调解员经费", "网格化管理经费"]),
    ("乡村振兴", "农村经济发展", "推进乡村全面振兴", ["脱贫帮扶公益性岗位补助", "特色产业扶持资金", "高标准农田建设"]),
    ("农业农村", "农业生产服务", "保障粮食安全", ["农业技术推广经费", "动物防疫经费", "农田水利设施维护"]),
    ("应急管理", "防灾减灾", "提升应急处置能力", ["防汛抗旱物资储备", "森林防火经费", "应急队伍建设经费"]),
    ("城乡建设", "村庄基础设施", "改善村庄道路与设施", ["村道路改造工程", "路灯维护经费", "排水沟渠整治"]),
    ("民兵训练", "武装工作", "保障乡镇武装工作正常开展", ["乡镇武装工作经费", "民兵训练经费"]),
    ("社会保障", "民生保障", "兜牢基本民生底线", ["退役军人公益岗补贴", "困难群众临时救助", "高龄老人补贴"]),
]
VILLAGES = ["东", "西", "南", "北", "前", "后", "大", "小", "上", "下", "中", "新"]
QUANT = [
    ("开展{w}次数", "次", 2, 12),
    ("覆盖村数", "个", 5, 30),
    ("受益人数", "人", 50, 3000),
    ("培训人次", "人次", 20, 600),
    ("维护里程", "公里", 1, 40),
    ("发放人数", "人", 3, 200),
    ("完成工程数量", "处", 1, 15),
    ("巡查次数", "次", 12, 365),
]
WORKS = ["宣传", "培训", "巡查", "文化活动", "应急演练", "走访慰问", "专题会议"]
TEXTS = {
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
OPTIONAL_TEXTS = [
    "special_funds_measures",
    "e_invoices",
    "procurement_management",
    "key_tasks",
    "ex_ante",
    "self_eval",
    "deductions",
    "financial_risk",
]
OPTIONAL_TEXT_PHRASES = {
    "special_funds_measures": "{we}将上级专项资金纳入项目库管理，专人盯办支出进度。",
    "e_invoices": "{we}按规定使用、核销财政电子票据。",
    "procurement_management": "{we}政府采购严格执行采购程序，不存在质疑和投诉。",
    "key_tasks": "{we}积极落实财政部门安排的重点任务，项目完工后均通过验收。",
    "ex_ante": "{we}申报下年预算项目时认真开展事前绩效评估，对项目进行分项成本测算。",
    "self_eval": "{we}按要求开展上年度项目绩效自评，逐项评定指标得分。",
    "deductions": "{we}未出现违反财政法规和制度规定的行为。",
    "financial_risk": "{we}资产流动性较好，偿债能力强，财务风险在可控范围内。",
}
PROBLEMS = [
    "个别项目预算执行率偏低，资金支出进度滞后于计划。",
    "部分项目绩效目标设置不够细化，可衡量性不强。",
    "资产管理基础工作有待加强，资产卡片信息更新不及时。",
    "绩效监控分析深度不够，偏差原因分析不充分。",
    "财政电子票据核销不及时。",
    "项目前期论证不充分，预算调整较多。",
]
MEASURES = [
    "加强预算执行管理，按月分析支出进度，督促项目单位加快支出。",
    "细化量化绩效目标，提高指标的可衡量性。",
    "定期开展资产清查，及时更新资产卡片信息。",
    "加强绩效监控分析，对偏差较大的项目逐项说明原因。",
    "按时核销财政电子票据，专人负责票据管理。",
    "做实项目前期论证，提高预算编制的准确性。",
]


def township_names(rng: random.Random, n: int) -> list[tuple[str, str, str, str]]:
    """``n`` distinct township names: (short name 青石镇, full name, slug, county)."""
    out: list[tuple[str, str, str, str]] = []
    seen: set[str] = set()
    while len(out) < n:
        (a, pa), (b, pb) = rng.choice(FIRST), rng.choice(SECOND)
        kind = rng.choices(KINDS, weights=[8, 3, 1])[0]
        short = f"{a}{b}{kind[0]}"
        if short in seen:
            continue
        slug = f"{pa}{pb}{kind[2]}"
        k = 2
        base = slug
        while slug in {o[2] for o in out}:
            slug, k = f"{base}{k}", k + 1
        seen.add(short)
        county = rng.choice(CITY) + rng.choice(COUNTY_FIRST) + rng.choice(COUNTY_SECOND) + "县"
        out.append((short, county + a + b + kind[1], slug, county))
    return out
