"""Blocks are optional (#13): a unit that has no 政府采购, 直达资金, 三保, 总决算, 资源统筹, 非税收入,
专项资金, 三公经费, 固定资产/实物资产 or 监控情况 leaves the block empty in the workbook. The
workbook validates, every section renders, and the filed report leaves the part out: no heading
over nothing (the numbers after it run on), no table of "—" only, no sentence printing a figure
the block would have given, no "未提供" or tool words; the checks that need the block do not
count as passed.

Each case empties one block of the bundled example the way a unit would: the sheet's data rows
deleted, and the figures (填报数据) and texts (文字说明) that only that block has left blank.
"""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook as open_xlsx

from jixiao.analysis.checks import run_checks
from jixiao.params import load_params
from jixiao.workbook.load import load_workbook

from support import EXAMPLE_XLSX, FILED_REPORT_BANNED, params_for, run_sections

#: A block: (sheets whose rows are deleted, columns blanked {sheet: headers}, 填报数据 keys
#: blanked, 文字说明 keys blanked).
#: ``gone``: what the filed report prints only from the block (headings, captions, sentences);
#: ``checks``: the checks that need it.
BLOCKS = {
    "政府采购": {
        "stated": ("采购预算总额", "采购合同总金额", "中小企业合同金额", "中小企业合同占比", "小微企业合同金额",
                   "小微企业占中小企业比例", "脱贫地区农副产品预留金额", "脱贫地区农副产品采购金额",
                   "脱贫地区采购完成比例"),
        "texts": ("政府采购管理", "政府采购管理（续）"),
        "gone": ("政府采购管理情况", "政府采购情况", "采购合同总金额", "脱贫地区"),
        "checks": ("procurement.shares", "procurement.amounts"),
    },
    "直达资金": {
        "sheets": ("直达资金",),
        "gone": ("直达资金管理等工作情况", "直达资金支出情况", "是直达资金"),
        "checks": ("direct_funds.dates",),
    },
    "三保": {
        "sheets": ("三保支出", "三保明细"),
        "texts": ("三保支出保障",),
        "gone": ("“三保”支出保障情况", "“三保”支出安排与实际支出", "保基本民生", "保工资安排资金"),
        "checks": ("three_guarantees.detail", "three_guarantees.coverage"),
    },
    "总决算": {
        "sheets": ("总决算",),
        "gone": ("乡镇财政总决算（按资金性质）", "乡镇财政总决算收入结构", "政府性基金收入"),
        "checks": ("fund_types.totals", "fund_types.balance"),
    },
    "资源统筹": {
        "stated": ("预算拨款结转", "统筹其他收入", "结转结余交回财政"),
        "texts": ("资源统筹", "资源统筹（续）"),
        "gone": ("各类资源统筹管理情况", "预算拨款结转", "交回财政"),
        "checks": ("budget_revenue.other_income",),
    },
    "非税收入": {
        "sheets": ("非税收入",),
        "texts": ("非税收入预算编制",),
        "gone": ("非税收入预算编制情况", "非税收入预算数与实际数", "上缴非税收入", "非税收入计划"),
        "checks": ("nontax.total", "nontax.variance"),
    },
    "专项资金": {
        "sheets": ("专项资金",),
        "texts": ("专项资金管理措施",),
        "gone": ("上级专项资金明细", "按资金级次", "101.77"),
        "checks": ("special_funds.total", "special_funds.direct"),
    },
    "三公经费": {
        "sheets": ("三公经费",),
        "stated": ("三公经费增减额",),
        "texts": ("三公经费变动原因",),
        "gone": ("“三公”经费预算与决算", "“三公”经费本年与上年对比", "三公经费预算。", "公务接待费"),
        "checks": ("three_public.budget_total", "three_public.actual_totals", "three_public.change",
                   "three_public.within_budget", "three_public.classification"),
    },
    "资产": {
        "sheets": ("固定资产", "实物资产"),
        "gone": ("土地情况", "房屋情况", "车辆情况", "资产类别", "土地、房屋及构筑物"),
        "checks": ("fixed_assets.stock_total", "fixed_assets.added_total", "fixed_assets.added_le_stock",
                   "physical_assets.usage", "physical_assets.net_le_original", "physical_assets.building_area"),
    },
    # with 无形资产 blank too, neither （固定和无形资产存量情况） nor （配置情况） has anything to say
    # (a synthetic township without them once failed in 二（续）: validate ⇒ run)
    "资产（无形资产亦未填）": {
        "sheets": ("固定资产", "实物资产"),
        "stated": ("无形资产原值", "本年配置无形资产"),
        "gone": ("固定和无形资产存量情况", "固定和无形资产配置情况", "土地情况", "房屋情况", "车辆情况"),
        "checks": ("fixed_assets.stock_total", "fixed_assets.added_total", "fixed_assets.added_le_stock",
                   "physical_assets.usage", "physical_assets.net_le_original", "physical_assets.building_area"),
    },
    "制度建设": {
        "texts": ("制度建设",),
        "gone": ("制度建设情况",),
        "checks": (),
    },
    # a unit that files no 年初预算: the revenue sheet empty, the budget columns blank
    "部门预算编制": {
        "sheets": ("预算收入",),
        "columns": {"支出功能分类": ("预算数",), "三公经费": ("本年预算",), "非税收入": ("预算数",)},
        "stated": ("新增资产预算",),
        "texts": ("部门预算编制", "政府采购预算和新增资产预算"),
        "gone": ("部门预算编制情况", "收支预算。", "预算支出按功能分类", "三公经费预算。", "安排非税收入计划",
                 "新增资产预算", "预算收入（按来源）", "预算收入构成"),
        "checks": ("budget_revenue.total", "functions.budget_total", "three_public.budget_total"),
    },
    # 二（四）预算绩效管理: each subsection left empty in turn
    "日常工作保障": {
        "texts": ("日常工作保障", "重点工作落实"),
        "gone": ("日常工作保障落实情况", "通知落实情况", "重点工作落实情况"),
        "checks": (),
    },
    "事前绩效评估": {
        "stated": ("下年事前评估项目数", "本年事前评估项目数"),
        "texts": ("事前绩效评估", "事前绩效评估（续）", "本年事前评估范围"),
        "gone": ("事前绩效评估情况", "预算项目事前绩效评估表"),
        "checks": ("projects.ex_ante_count",),
    },
    "绩效目标管理": {
        "texts": ("绩效目标管理",),
        "gone": ("绩效目标管理情况", "共同设立绩效目标"),
        "checks": (),
    },
    "绩效监控": {
        "sheets": ("监控情况",),
        "stated": ("项目整体支出进度", "半年目标实现程度达50%项目数", "半年目标实现程度30%以下项目数",
                   "半年工作未开展项目数", "实现绩效目标项目数", "实现绩效目标项目资金", "未完成绩效目标项目数",
                   "未完成绩效目标项目资金"),
        "texts": ("日常监控", "监控分析"),
        "gone": ("绩效监控管理情况", "注重日常监控", "做好监控分析", "绩效监控项目情况", "项目整体支出进度"),
        "checks": ("monitoring.not_achieved_count", "monitoring.names", "projects.execution_rate"),
    },
    "绩效评价": {
        "stated": ("上年自评项目数", "上年自评满分项目数", "上年自评95分以上项目数", "上年自评90至95分项目数",
                   "上年自评90分以下项目数", "重点评价项目", "重点评价内容", "重点评价得分", "重点评价等级"),
        "texts": ("自评情况",),
        "gone": ("绩效评价管理情况", "自评情况。", "重点评价情况", "共自评"),
        "checks": (),
    },
    # 二（五）资产管理
    "国有资产管理": {
        "texts": ("行政事业性国有资产管理",),
        "gone": ("行政事业性国有资产管理", "资产基础管理工作"),
        "checks": (),
    },
    "监控情况": {
        "sheets": ("监控情况",),
        "gone": ("支出差异较大", "未完成绩效目标  原因"),
        "checks": ("monitoring.not_achieved_count", "monitoring.names", "monitoring.status"),
    },
}  # fmt: skip

#: Cases whose subsection is made by ``report/sections/performance.py`` (二（四）, 二（五）2), which
#: still prints their headings over nothing: empty this set once that module leaves an empty
#: subsection out through ``common.subsection`` as 二（一）–（三） do.
#: Words of the tool and of the reviewer, never in the filed report.
BANNED = (*FILED_REPORT_BANNED, "None", "nan", "NaN")


def emptied(path, block: dict) -> None:
    """Write the example with ``block`` left empty to ``path``."""
    wb = open_xlsx(EXAMPLE_XLSX)
    for name in block.get("sheets", ()):
        wb[name].delete_rows(3, wb[name].max_row)  # row 1: title, row 2: header
    for name, headers in block.get("columns", {}).items():
        ws = wb[name]
        at = [c.column for c in ws[2] if c.value in headers]
        assert len(at) == len(headers), (name, headers)
        for row in ws.iter_rows(min_row=3):
            for c in row:
                if c.column in at:
                    c.value = None  # the 合计 row too
    for sheet, keys in (("填报数据", block.get("stated", ())), ("文字说明", block.get("texts", ()))):
        found = set()
        for row in wb[sheet].iter_rows():
            if row[0].value in keys:
                row[1].value = None
                found.add(row[0].value)
        assert found == set(keys), (sheet, set(keys) - found)
    wb.save(path)


def plain_text(html: str) -> str:
    """The report's text, a line per paragraph, heading, caption and table row."""
    html = re.sub(r"<img[^>]*>", "", html)
    html = re.sub(r"<(p|h\d|tr|figcaption|caption|li)\b[^>]*>", "\n", html)
    html = re.sub(r"</t[dh]>", "  ", html)
    return "\n".join(line.strip() for line in re.sub(r"<[^>]+>", "", html).splitlines() if line.strip())


def numbering_problems(html: str) -> list[str]:
    """Headings whose numbers repeat or skip: （一）（二）… under each 一、二、…, and 1. 2. …
    under each （一）."""
    problems, seen = [], {2: 0, 3: 0}
    cn = "一二三四五六七八九十"
    for level, title in re.findall(r"<h(\d)[^>]*>(.*?)</h\1>", html):
        level = int(level)
        if level == 1:
            seen = {2: 0, 3: 0}
            continue
        if level == 2:
            m = re.match(r"（([一二三四五六七八九十])）", title)
            no = cn.index(m.group(1)) + 1 if m else None
            seen[3] = 0
        elif level == 3:
            m = re.match(r"(\d+)\.", title)
            no = int(m.group(1)) if m else None
        else:
            continue
        if no is not None:
            if no != seen[level] + 1:
                problems.append(f"{title}（前一个是 {seen[level]}）")
            seen[level] = no
    return problems


#: Subsections whose （1）（2）… items are all generated (elsewhere a unit's text may number
#: its own paragraphs, which the report keeps as written).
NUMBERED_ITEMS = ("部门预算编制情况", "国有资产报表管理")


def item_numbering_problems(html: str) -> list[str]:
    """The （n） labels of the generated items under :data:`NUMBERED_ITEMS`, where they do not
    run 1, 2, 3 …"""
    problems = []
    heads = list(re.finditer(r"<h(\d)[^>]*>(.*?)</h\1>", html))
    for a, b in zip(heads, [*heads[1:], None]):
        if not any(a.group(2).endswith(t) for t in NUMBERED_ITEMS):
            continue
        part = html[a.end() : b.start() if b else len(html)]
        labels = [int(n) for n in re.findall(r"<p>（(\d+)）", part)]
        if labels != list(range(1, len(labels) + 1)):
            problems.append(f"{a.group(2)}: {labels}")
    return problems


def empty_headings(html: str) -> list[str]:
    """Headings followed directly by another heading of the same or a higher level."""
    heads = list(re.finditer(r"<h(\d)[^>]*>(.*?)</h\1>", html))
    out = []
    for a, b in zip(heads, heads[1:]):
        between = re.sub(r"<[^>]+>|\s", "", html[a.end() : b.start()])
        if not between and int(b.group(1)) <= int(a.group(1)):
            out.append(a.group(2))
    return out


def dash_only_tables(html: str) -> list[str]:
    """Captions of tables whose body cells are all blank or "—"."""
    out = []
    for table in re.findall(r"<table.*?</table>", html, re.S):
        body = re.search(r"<tbody>(.*?)</tbody>", table, re.S)
        cells = [
            re.sub(r"<[^>]+>|\s", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", body.group(1) if body else "")
        ]
        if all(c in ("", "—") for c in cells):
            caption = re.search(r"<caption[^>]*>(.*?)</caption>", table, re.S)
            out.append(re.sub(r"<[^>]+>", "", caption.group(1)) if caption else table[:80])
    return out


@pytest.fixture(autouse=True, scope="module")
def _charts_not_encoded():
    """What is tested here is text: the charts are built, not saved as PNG (most of the time)."""
    from jixiao.report import charts

    real = charts.figure_to_data_uri
    charts.figure_to_data_uri = lambda fig, *args, **kwargs: "data:image/png;base64,"
    yield
    charts.figure_to_data_uri = real


@pytest.fixture(scope="module")
def example_report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("absent-example")
    return "".join(run_sections(params_for(EXAMPLE_XLSX, tmp)))


@pytest.fixture(scope="module", params=list(BLOCKS), ids=list(BLOCKS))
def absent(request, tmp_path_factory):
    """(block, its spec, the workbook without it, the filed report's HTML, the findings)."""
    name = request.param
    tmp = tmp_path_factory.mktemp("absent")
    path = tmp / "absent.xlsx"
    emptied(path, BLOCKS[name])
    params = params_for(path, tmp)
    ds = load_workbook(path, year=2023)  # validates: an empty block is no error
    findings = run_checks(ds, load_params(params))
    return name, BLOCKS[name], "".join(run_sections(params)), findings


def test_the_example_prints_what_each_case_leaves_out(example_report):
    """Each case's ``gone`` texts are in the example's report: their absence below means
    something."""
    text = plain_text(example_report)
    missing = [(name, g) for name, b in BLOCKS.items() for g in b["gone"] if g not in text]
    assert not missing
    assert not numbering_problems(example_report) and not empty_headings(example_report)
    assert not item_numbering_problems(example_report)
    assert len(re.findall(r"<p>（\d+）", example_report)) > 10  # the items are there to count


def test_the_report_leaves_the_part_out(absent):
    name, block, html, _ = absent
    text = plain_text(html)
    assert [g for g in block["gone"] if g in text] == [], name


def test_headings_are_renumbered_and_none_is_empty(absent):
    name, _, html, _ = absent
    assert numbering_problems(html) == [], name
    assert empty_headings(html) == [], name
    assert item_numbering_problems(html) == [], name


def test_no_table_of_dashes_and_no_tool_words(absent):
    name, _, html, _ = absent
    text = plain_text(html)
    assert dash_only_tables(html) == [], name
    assert [w for w in BANNED if w in text] == [], name
    assert not re.search(r"—万元|—%|[，、]。|。，|，，|：。", text), name


def test_the_checks_that_need_it_do_not_pass(absent):
    name, block, _, findings = absent
    ran = {f.id for f in findings}
    for check_id in block["checks"]:
        assert check_id in ran, (name, check_id)  # the check says it could not run
        passed = [f for f in findings if f.id == check_id and f.severity == "pass"]
        assert passed == [], (name, check_id, [f.message for f in passed])
