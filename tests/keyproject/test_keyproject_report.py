"""Key-project report: ``jixiao evaluate``, the township's links, end-to-end runs.

Mirrors :mod:`jixiao.keyproject.report`; the end-to-end runs (``slow``) build the
example's report with the section notebooks.
"""

from __future__ import annotations

import html as htmllib
import json
import re
import shutil

import openpyxl
import pytest
from keyproject_support import (
    EXAMPLE_PARAMS,
    NOTEBOOKS,
    good_data,
    headings,
    params_file,
    render_sections,
    run_cli,
    township_setup,
    write,
)

from jixiao.keyproject import SAMPLE_LABEL, key_project_links, load_key_params

# -- the command line ------------------------------------------------------------------


def test_check_command_on_the_example(capsys):
    code, out, err = run_cli(["evaluate", EXAMPLE_PARAMS, "--check"], capsys)
    assert code == 0, err
    assert "97.9" in out and "优" in out and SAMPLE_LABEL in out


def test_bad_workbook_writes_nothing(tmp_path, capsys):
    data = good_data()
    data["评价指标"][0]["分值"] = 50
    p = params_file(tmp_path, write(tmp_path, data))
    code, _, err = run_cli(["evaluate", p], capsys)
    assert code == 2 and "分值合计应为 100" in err
    assert not (tmp_path / "reports").exists()


def test_bad_format_is_refused_before_anything_runs(tmp_path, capsys):
    p = params_file(tmp_path, write(tmp_path, good_data()))
    code, _, err = run_cli(["evaluate", p, "--format", "html,xls"], capsys)
    assert code == 2 and "xls" in err and "Traceback" not in err
    assert not (tmp_path / "reports").exists()


# -- the township link -----------------------------------------------------------------


def test_township_links_only_built_reports(tmp_path, example_ds):
    township, key_params = township_setup(tmp_path)
    assert key_project_links(township, example_ds) == []  # not evaluated yet
    kp = load_key_params(key_params)
    kp.out_dir.mkdir(parents=True)
    (kp.out_dir / "report.html").write_text("<html></html>", encoding="utf-8")
    (kp.out_dir / "manifest.json").write_text(
        json.dumps(
            {"result": {"name": "东史端镇南胡渠村道路改造工程", "score": 97.9, "grade": "优", "sample": True}},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    links = key_project_links(township, example_ds)
    assert links == [
        {
            "name": "东史端镇南胡渠村道路改造工程",
            "score": 97.9,
            "grade": "优",
            "href": "key-nanhuqu-road/report.html",
            "sample": True,
            "params": str(key_params),
            "stated_score": 97.9,
            "stated_grade": "优",
        }
    ]


# -- end to end ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    township, key_params = township_setup(tmp)
    from jixiao.keyproject import evaluate

    result = evaluate(key_params)
    return township, result, result.report.read_text(encoding="utf-8")


def _text(page: str) -> str:
    body = page.split("<body", 1)[1]
    return htmllib.unescape(re.sub(r"<[^>]+>", "", body))


@pytest.mark.slow
def test_e2e_report(evaluated):
    _, result, page = evaluated
    text = _text(page)
    assert result.out_dir.name == "key-nanhuqu-road" and result.out_dir.parent.name == "2023"
    assert result.out_dir.parent.parent.name == "dongshiduan"
    assert "97.9" in text and "“优”" in text
    assert 'class="cover-note"' in page and SAMPLE_LABEL in page.split('class="cover-note"', 1)[1][:200]
    assert text.count(SAMPLE_LABEL) >= 5  # cover, note and captions of the table and chart, the score
    assert "绩效评价指标体系及评分表（示例数据）" in text
    for name in ("立项依据充分性", "资金到位率", "实际完成率", "服务对象满意度", "7205", "9155"):
        assert name in text
    assert page.count("data:image/png;base64,") >= 2 and "各一级指标分值与得分" in text
    assert headings(page, 1) == [
        "2023年度东史端镇南胡渠村道路改造工程绩效评价报告",
        *OUTLINE,
        "附件",
    ]  # the cover, then the parts
    assert "附录 数据校验" not in text  # the checks are the review's (review.html)
    for word in ("未提供", "未填写", "工作簿"):
        assert word not in text, word
    # the cover: the year, the name and 绩效评价报告 on lines of their own
    assert (
        '<span class="cover-name">东史端镇南胡渠村道路改造工程</span><span class="cover-name">绩效评价报告</span>'
        in page
    )
    # the 附件 follow the 落款
    assert page.index('class="signature"') < page.index('<div class="attachments">') < page.rindex("附件1")
    assert "open_report" not in page and "params_path" not in page and "<script" not in page
    for target in re.findall(r'<a href="#([^"]+)"', page):
        assert f'id="{target}"' in page


@pytest.mark.slow
def test_e2e_outputs_and_manifest(evaluated):
    _, result, _ = evaluated
    names = {p.name for p in result.out_dir.iterdir()}
    assert {"report.html", "scores.xlsx", "manifest.json", "sections", "review.html", "checks.xlsx"} <= names
    m = json.loads((result.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert m["result"]["score"] == 97.9 and m["result"]["grade"] == "优" and m["result"]["sample"] is True
    assert [s["status"] for s in m["sections"]] == ["ok"] * 8 and m["checks"]["error"] == 0
    assert m["draft"] == {"open_errors": []} and not result.draft
    # its own review: the key-project checks, none of them an error
    review = (result.out_dir / "review.html").read_text(encoding="utf-8")
    assert "错误0条" in review and "报送版可以定稿" in review
    wb = openpyxl.load_workbook(result.out_dir / "scores.xlsx", read_only=True)
    rows = list(wb["维度得分"].iter_rows(values_only=True))
    ind = list(wb["指标得分"].iter_rows(values_only=True))
    wb.close()
    assert rows[0][:4] == ("一级指标", "指标数", "分值", "得分") and len(rows) == 5
    assert ind[0][-4:] == ("扣分原因", "评分标准", "评分依据", "佐证材料")
    assert ind[1][-1] == "（示例）项目立项申请及批复；村庄道路建设规划"
    # what the report leaves out, the review lists (with its cells)
    assert "“项目概况”表未填写“评价机构”（项目概况!B18）" in review


@pytest.mark.slow
def test_e2e_township_link(evaluated, example_ds):
    township, result, _ = evaluated
    links = key_project_links(township, example_ds)
    assert [(k["score"], k["grade"], k["href"], k["sample"]) for k in links] == [
        (97.9, "优", "key-nanhuqu-road/report.html", True)
    ]
    assert (township.out_dir / links[0]["href"]).resolve() == result.report.resolve()


@pytest.mark.slow
def test_e2e_cli_and_failing_section(tmp_path, capsys):
    _, key_params = township_setup(tmp_path)
    code, out, err = run_cli(["evaluate", key_params], capsys)
    assert code == 0, err
    assert "key-nanhuqu-road" in out and "97.9" in out and "优" in out
    final = load_key_params(key_params).out_dir
    before = (final / "report.html").read_text(encoding="utf-8")

    import nbformat

    broken = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, broken)
    nb = nbformat.read(broken / "04_indicators.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('故意的失败')"))
    nbformat.write(nb, broken / "04_indicators.ipynb")
    code, _, err = run_cli(["evaluate", key_params, "--notebooks", broken], capsys)
    assert code == 1 and "绩效评价指标分析" in err and "故意的失败" in err
    assert "Traceback" not in err
    assert (final / "report.html").read_text(encoding="utf-8") == before
    kept = final.with_name("key-nanhuqu-road.failed") / "sections" / "04_indicators.ipynb"
    assert kept.is_file()
    # The message points at the notebook kept for inspection, not into the discarded staging folder.
    assert str(kept) in err.replace("\n", "")


@pytest.mark.slow
@pytest.mark.parametrize("notebook", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_notebook_runs_on_its_own(notebook, tmp_path):
    """Each key-project notebook runs as is with its default parameters (as in JupyterLab)."""
    import papermill as pm

    pm.execute_notebook(
        str(NOTEBOOKS / notebook),
        str(tmp_path / notebook),
        cwd=str(NOTEBOOKS),
        kernel_name="python3",
        progress_bar=False,
    )


def test_scores_workbook_keeps_text_as_text(tmp_path):
    """A project name that looks like a formula is written as text (quote prefix), never a formula."""
    import dataclasses

    from jixiao.keyproject import load_key_project, write_scores

    from xlsx_support import formulas

    ev = load_key_project(load_key_params(EXAMPLE_PARAMS)).evaluation
    name = '=HYPERLINK("http://x","点击")'
    path = write_scores(tmp_path / "scores.xlsx", dataclasses.replace(ev, name=name), "-示例")
    assert formulas(path) == []
    ws = openpyxl.load_workbook(path)["评价结果"]
    cells = {c.value: c for row in ws.iter_rows() for c in row}
    assert cells[name].quotePrefix and cells["-示例"].quotePrefix and cells[97.9].value == 97.9


# -- the outline (in this process: the notebooks' cells, no kernel) -----------------------

#: The parts of the national outline (财预〔2020〕10号) in order, as the example has them all.
OUTLINE = [
    "一、基本情况",
    "二、绩效评价工作开展情况",
    "三、综合评价情况及评价结论",
    "四、绩效评价指标分析",
    "五、主要经验及做法、存在的问题及原因分析",
    "六、有关建议",
    "七、其他需要说明的问题",
]


@pytest.fixture(scope="module")
def example_sections():
    return render_sections(EXAMPLE_PARAMS)


def _plain(page: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", page))


def test_example_follows_the_national_outline(example_sections):
    page, remarks = example_sections
    assert headings(page, 1) == [*OUTLINE, "附件"]
    assert headings(page, 2) == [
        "（一）项目概况",
        "（二）项目绩效目标",
        "（一）绩效评价目的、对象和范围",
        "（二）绩效评价原则、评价指标体系、评价方法、评价标准",
        "（三）绩效评价工作过程",
        "（一）项目决策情况",
        "（二）项目过程情况",
        "（三）项目产出情况",
        "（四）项目效益情况",
        "（一）主要经验及做法",
        "（二）存在的问题及原因分析",
        "附件1\u3000绩效评价指标体系及评分表",
        "附件2\u3000满意度调查统计",
    ]
    assert headings(page, 3) == ["1．立项背景及目的", "2．实施情况", "3．资金投入和使用情况"]
    # what the seed does not say is left out, and the review says so
    assert "“项目概况”表未填写“评价机构”（项目概况!B18）、“评价方法”（项目概况!B19）：" in "".join(remarks)


def test_dimension_analysis_is_generated_from_the_indicators(example_sections):
    text = _plain(example_sections[0])
    assert (
        "决策类指标共6项，分值15分，得分14.5分，得分率96.67%。其中“立项依据充分性”“立项程序规范性”"
        "“绩效目标合理性”“预算编制科学性”“资金分配合理性”5项指标得满分；“绩效指标明确性”指标分值2分，"
        "得分1.5分，扣0.5分，扣分原因：（示例）部分效益指标为定性表述，未细化量化，扣0.5分。"
    ) in text
    # the assessor's own analysis follows
    assert "（示例）项目立项依据充分，程序规范" in text
    # a 满意度 indicator scored from the survey says by how much
    assert "“服务对象满意度”按满意度计分，满意度为93.68%，得满分。" in text


def test_the_filed_report_never_speaks_of_the_workbook(example_sections, tmp_path):
    minimal, _ = render_sections(params_file(tmp_path, write(tmp_path, good_data())))
    for page in (example_sections[0], minimal):
        text = _plain(page)
        for word in ("未提供", "未填写", "工作簿", "报告正文", "!B", "示例数据-评分"):
            assert word not in text, word


def test_empty_parts_are_left_out_and_renumbered(tmp_path):
    """No 评价发现, no 原因分析, no 报告正文: 五 is 存在的问题 alone (no lone （一）), 七 is gone,
    一（二）, 二（三） and the first items of 一（一） are gone and the rest renumbered."""
    page, remarks = render_sections(params_file(tmp_path, write(tmp_path, good_data())))
    assert headings(page, 1) == [*OUTLINE[:4], "五、存在的问题", "六、有关建议", "附件"]
    assert headings(page, 2) == [
        "（一）项目概况",
        "（一）绩效评价目的、对象和范围",
        "（二）绩效评价原则、评价指标体系、评价方法、评价标准",
        "（一）项目决策情况",
        "（二）项目过程情况",
        "（三）项目产出情况",
        "（四）项目效益情况",
        "附件1\u3000绩效评价指标体系及评分表",
        "附件2\u3000满意度调查统计",
    ]
    assert headings(page, 3) == ["1．实施情况", "2．资金投入和使用情况"]
    # the review says what was left out, where
    for remark in (
        "“报告正文”表“立项背景及目的”（报告正文!B3）未填写：报告未列一（一）中的“立项背景及目的”。",
        "“报告正文”表“项目绩效目标”（报告正文!B6）未填写：报告未列一（二）“项目绩效目标”。",
        "“报告正文”表“评价工作过程”（报告正文!B11）未填写：报告未列二（三）“绩效评价工作过程”。",
        "“评价发现”表未填写：报告未列“主要经验及做法”。",
        "“存在问题”表“原因分析”列未填写：报告只列问题，未作原因分析。",
        "“报告正文”表“其他需要说明的问题”（报告正文!B17）未填写：报告未列“其他需要说明的问题”。",
    ):
        assert remark in remarks, remark


def test_a_later_part_moves_up_when_an_earlier_one_is_empty(tmp_path):
    data = good_data()
    data.pop("存在问题")
    data.pop("意见建议")
    data["报告正文"] = {"其他需要说明的问题": "评价资料由项目单位提供。"}
    data["评价发现"] = [{"序号": 1, "方面": "过程", "内容": "监理到位"}]
    page, remarks = render_sections(params_file(tmp_path, write(tmp_path, data)))
    assert headings(page, 1) == [*OUTLINE[:4], "五、主要经验及做法", "六、其他需要说明的问题", "附件"]
    assert "（一）主要经验及做法" not in headings(page, 2)  # one part: no lone （一）
    assert "1. 过程方面：监理到位" in _plain(page)
    assert "“意见建议”表未填写：报告未列“有关建议”。" in remarks


def test_problems_with_causes_and_recommendations_by_printed_number(tmp_path):
    data = good_data()
    data["存在问题"] = [
        {"序号": 7, "问题": "资料归档不及时", "原因分析": "责任未落实到人"},
        {"序号": 9, "问题": "目标未细化"},
    ]
    data["意见建议"] = [{"序号": 1, "建议": "细化绩效目标", "对应问题": 9}]
    page, _ = render_sections(params_file(tmp_path, write(tmp_path, data)))
    text = _plain(page)
    assert headings(page, 1)[4] == "五、存在的问题及原因分析"
    assert "1. 资料归档不及时原因分析：责任未落实到人2. 目标未细化" in text
    assert "1. 细化绩效目标（针对问题2）" in text  # 序号 9 is the report's problem 2


def test_generated_sentences_state_only_what_is_given(tmp_path):
    """A rate needs both its figures; a date clause, its date; no clause for a blank."""
    import datetime as dt

    data = good_data()
    data["资金来源"] = [{"资金来源": "省级补助", "预算金额": 80}]
    data["项目概况"].update(实际完工日期=dt.date(2024, 6, 30), 验收日期=dt.date(2024, 7, 10), 验收结论="合格")
    data["评价指标"][2:4] = [
        {**data["评价指标"][2], "计分方式": "评分", "得分": 5},
        {**data["评价指标"][3], "计分方式": "评分", "得分": 5},
    ]
    text = _plain(render_sections(params_file(tmp_path, write(tmp_path, data)))[0])
    assert "项目预算资金80.00万元。" in text
    assert "资金到位率" not in text.split("绩效评价指标体系")[0]
    assert "项目实际于2024年6月30日完工。" in text
    assert "项目于2024年7月10日验收，验收结论：合格。" in text  # no 验收单位: no 经…


def test_scoring_table_shows_criteria_basis_and_evidence(tmp_path):
    data = good_data()
    data["评价指标"][1].update(
        评分标准="目标细化得满分", 评分依据="申报表缺少效益指标", 佐证材料="绩效目标申报表\n项目申报书；批复"
    )
    page, _ = render_sections(params_file(tmp_path, write(tmp_path, data)))
    annex = page[page.index("附件1") :]
    heads = re.findall(r"<th>(.*?)</th>", annex.split("</thead>")[0])
    assert heads == ["一级指标", "三级指标", "分值", "得分", "评分标准", "评分依据及佐证材料", "扣分说明"]
    row = re.findall(r"<td[^>]*>(.*?)</td>", annex.split("<tbody>")[1].split("</tr>")[1])
    assert row == [
        "决策",
        "绩效目标合理性",
        "10",
        "8",
        "目标细化得满分",
        "申报表缺少效益指标。佐证材料：绩效目标申报表；项目申报书；批复",
        "目标未细化",
    ]


def test_scores_workbook_lists_the_evidence(tmp_path):
    from jixiao.keyproject import load_key_project, write_scores

    data = good_data()
    data["评价指标"][0].update(佐证材料="=立项批复;规划")
    kp = load_key_project(write(tmp_path, data), year=2024)
    path = write_scores(tmp_path / "scores.xlsx", kp.evaluation, ds=kp.ds)
    ws = openpyxl.load_workbook(path)["指标得分"]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index("佐证材料") + 1)
    assert (cell.value, cell.data_type) == ("=立项批复；规划", "s")  # text, never a formula


def test_survey_counts_and_the_respondent_survey_in_the_annex(tmp_path):
    """The 满意度调查 sheet as a table and chart; a survey file's questions with the margin of error."""
    from types import SimpleNamespace

    from jixiao.report.sections.key_project import annex, open_key_report

    p = params_file(tmp_path, write(tmp_path, good_data()))
    ctx = open_key_report(p, section="k4")
    block = annex.survey(ctx)
    text = _plain(block)
    assert "附件2\u3000满意度调查统计" in text
    assert "村民共50人，满意度为92.00%。" in text and "选项权重为：满意1、基本满意0.6、不满意0。" in text
    assert block.count("<tr>") == 4 and "80.00%" in text and block.count("data:image/png") == 1

    question = SimpleNamespace(question="路面是否满意", n_valid=95, n_invalid=5, satisfaction_rate=90.0, score=88.5)
    overall = SimpleNamespace(n_valid=95, n_respondents=100, satisfaction_rate=90.0, score=88.5, margin_of_error=6.03)
    ctx.project.survey = SimpleNamespace(n_rows=100, questions=[question], overall=overall)
    try:
        text = _plain(annex.survey(ctx))
    finally:
        ctx.project.survey = None
    assert "问卷共收回100份，其中有效答卷100份，1个满意度问题共有效回答95个。" in text
    assert "总体满意率为90.00%（95%置信水平下误差范围±6.03个百分点），满意度得分为88.50分。" in text
    assert "路面是否满意95590.00%88.50" in text


def test_assessors_spread_column(tmp_path):
    from types import SimpleNamespace

    from jixiao.report.sections.key_project import annex, open_key_report

    ctx = open_key_report(params_file(tmp_path, write(tmp_path, good_data())), section="k4")
    entry = SimpleNamespace(no=2, scores=[7.0, 8.0, 9.0], spread=SimpleNamespace(min=7.0, max=9.0))
    panel = SimpleNamespace(
        names=["甲", "乙", "丙"],
        indicators=[entry],
        get=lambda no: entry if no == 2 else None,
        method_label=lambda e: "平均值",
    )
    ctx.project.assessors = panel
    try:
        block = annex.scoring_table(ctx)
    finally:
        ctx.project.assessors = None
    assert "<th>评分人员</th>" in block and "<td>7～9</td>" in block
    assert "“评分人员”列为3位评价人员对该指标评分的最低分～最高分，得分为其平均值" in _plain(block)
    assert "评分人员" not in annex.scoring_table(ctx)


def test_deduction_without_reason_is_refused_at_its_cell(tmp_path):
    from jixiao.exceptions import WorkbookError
    from jixiao.keyproject import load_key_project

    data = good_data()
    data["评价指标"][1]["扣分原因"] = None
    with pytest.raises(WorkbookError) as exc:
        load_key_project(write(tmp_path, data), year=2024)
    [p] = exc.value.problems
    assert (p.sheet, p.cell, p.found) == ("评价指标", "N4", "")
    assert p.expected == "扣分原因（得分 8 低于分值 10 时必填）"
    assert p.message == "指标“绩效目标合理性”扣2分（得分 8，分值 10），必须说明扣分原因"


def test_cover_title_lines(example):
    from jixiao.keyproject.report import report_title_lines

    assert report_title_lines(example.params, example.ds) == ["东史端镇南胡渠村道路改造工程", "绩效评价报告"]
    own = example.params.model_copy(update={"report": example.params.report.model_copy(update={"title": "某某报告"})})
    assert report_title_lines(own, example.ds) == ["某某报告"]


@pytest.mark.slow
def test_pdf_cover_and_pages(tmp_path):
    """The PDF: the title never breaks inside a word, and no page holds a lone line."""
    import subprocess

    from jixiao.keyproject import evaluate

    _, key_params = township_setup(tmp_path)
    result = evaluate(key_params, formats="pdf")
    pdf = result.out_dir / "report.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    cover = [ln.strip() for ln in pages[0].splitlines() if ln.strip()]
    assert cover[1:4] == ["2023年度", "东史端镇南胡渠村道路改造工程", "绩效评价报告"]
    for n, page in enumerate(pages[1:], 2):
        # the body: without the running header and the page number
        body = [ln for ln in page.splitlines()[1:] if ln.strip() and not re.search(r"第 \d+ 页 / 共", ln)]
        # a chart with its caption is a page of its own (the chart is no text)
        alone = len(body) == 1 and not re.match(r"\s*图\d+\s", body[0])
        assert not page.strip() or (body and not alone), f"page {n}: {body}"
