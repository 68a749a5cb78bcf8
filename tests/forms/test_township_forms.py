"""A township's project forms (``project_forms:``): read with the workbook, linked to the
项目 sheet, checked with the others, and printed as 附件 after the filed report's 落款."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import yaml

from jixiao import cli
from jixiao.forms.read import read_form
from jixiao.forms.write import write_form_workbook

from support import EXAMPLE_PARAMS, ROOT, portable

EXAMPLE_FORM = ROOT / "examples" / "dongshiduan-2023" / "forms" / "project-25.xlsx"


def _params(tmp_path: Path, forms) -> Path:
    raw = portable(EXAMPLE_PARAMS)
    raw["output_dir"] = str(tmp_path / "reports")
    if forms is None:
        raw.pop("project_forms", None)
    else:
        raw["project_forms"] = str(forms)
    p = tmp_path / "params.yaml"
    p.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return p


def _form_folder(tmp_path: Path, change=None, name: str = "project-25.xlsx") -> Path:
    """A folder holding the example's form, optionally changed by ``change(form)``."""
    folder = tmp_path / "forms"
    folder.mkdir(exist_ok=True)
    form = copy.deepcopy(read_form(EXAMPLE_FORM)[0])
    if change is not None:
        change(form)
    write_form_workbook(folder / name, [form])
    return folder


def _findings(params: Path, capsys) -> list[dict]:
    cli.main(["check", str(params), "--format", "json"])
    out = capsys.readouterr().out
    data = json.loads(out)
    return data["findings"] if isinstance(data, dict) else data


def _of(findings, prefix: str) -> list[dict]:
    return [f for f in findings if f["id"].startswith(prefix)]


def test_the_example_form_checks_clean_against_the_example_workbook(tmp_path, capsys):
    findings = _findings(_params(tmp_path, EXAMPLE_FORM.parent), capsys)
    forms = _of(findings, "forms.")
    assert forms, "the example's form is checked"
    assert not [f for f in forms if f["severity"] in ("error", "warning")]
    link = _of(findings, "forms.link")
    assert [f["severity"] for f in link] == ["pass"]
    assert "按名称对应“项目”表序号25" in link[0]["message"]
    project = _of(findings, "forms.project")
    assert [f["message"] for f in project] == [
        "“2022年度绿化占地土地流转金”自评表全年预算数527.35万元，“项目”表预算数527.35万元，一致。",
        "“2022年度绿化占地土地流转金”自评表全年执行数527.35万元，“项目”表执行数527.35万元，一致。",
    ]
    assert "项目!D27" in project[0]["cells"] and "项目!E27" in project[1]["cells"]


def test_validate_counts_the_forms(tmp_path, capsys):
    assert cli.main(["validate", str(_params(tmp_path, EXAMPLE_FORM.parent))]) == 0
    assert re.search(r"项目支出绩效自评表\s*│\s*1", capsys.readouterr().out)


def test_a_form_stating_another_budget_than_the_project_sheet_is_an_error(tmp_path, capsys):
    def change(form):
        form.funds["total"].budget = 530.35
        form.funds["fiscal"].budget = 530.35

    findings = _findings(_params(tmp_path, _form_folder(tmp_path, change)), capsys)
    errors = [f for f in _of(findings, "forms.project") if f["severity"] == "error"]
    assert len(errors) == 1
    assert errors[0]["message"] == (
        "“2022年度绿化占地土地流转金”自评表全年预算数530.35万元，“项目”表预算数527.35万元，相差3.00万元。"
    )
    assert re.fullmatch(r"project-25\.xlsx .+!E\d+", errors[0]["cells"][0]) and errors[0]["cells"][1] == "项目!D27"


def test_a_form_for_no_project_is_kept_and_named(tmp_path, capsys):
    def change(form):
        form.project = "不存在的项目"

    findings = _findings(_params(tmp_path, _form_folder(tmp_path, change)), capsys)
    link = _of(findings, "forms.link")
    assert [f["severity"] for f in link] == ["warning"]
    assert "“不存在的项目”未能对应到“项目”表中的项目：项目表中没有这一项目名称" in link[0]["message"]
    assert not _of(findings, "forms.project")


def test_a_file_name_starting_with_the_number_links_a_renamed_project(tmp_path, capsys):
    def change(form):
        form.project = "绿化占地流转金（2022年度）"

    folder = _form_folder(tmp_path, change, name="25-绿化占地流转金.xlsx")
    link = _of(_findings(_params(tmp_path, folder), capsys), "forms.link")
    assert [f["severity"] for f in link] == ["pass"]
    assert "按序号对应“项目”表序号25" in link[0]["message"]


@pytest.mark.parametrize("where", ["missing", "not-xlsx"])
def test_project_forms_must_name_forms(tmp_path, capsys, where):
    target = tmp_path / "nowhere"
    if where == "not-xlsx":
        target = tmp_path / "forms.csv"
        target.write_text("a,b\n", encoding="utf-8")
    assert cli.main(["validate", str(_params(tmp_path, target))]) == 2
    err = capsys.readouterr().err
    assert "参数 project_forms 应指向自评表文件（.xlsx）或存放自评表的文件夹" in err
    assert str(target) in err


def test_an_empty_folder_of_forms_is_refused(tmp_path, capsys):
    (tmp_path / "forms").mkdir()
    assert cli.main(["validate", str(_params(tmp_path, tmp_path / "forms"))]) == 2
    assert "参数 project_forms 指向的文件夹中没有自评表" in capsys.readouterr().err


def test_a_damaged_form_stops_the_run_before_anything_is_written(tmp_path, capsys):
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "坏表.xlsx").write_text("项目名称,预算数\n道路,100\n", encoding="utf-8")
    params = _params(tmp_path, folder)
    assert cli.main(["run", str(params)]) == 2
    err = capsys.readouterr().err
    assert "坏表.xlsx" in err
    assert "Traceback" not in err
    assert not (tmp_path / "reports").exists()


def test_forms_are_inputs_of_the_run(tmp_path):
    """The manifest records each form's SHA-256, and an incremental batch sees a changed form."""
    from jixiao.params import load_params

    folder = _form_folder(tmp_path)
    params = load_params(_params(tmp_path, folder))
    assert params.other_inputs() == [folder / "project-25.xlsx"]


@pytest.mark.slow
def test_the_filed_report_attaches_the_form_after_its_signature(tmp_path, capsys):
    from lxml import html as lhtml

    params = _params(tmp_path, EXAMPLE_FORM.parent)
    assert cli.main(["run", str(params), "-f", "html,docx"]) in (0, 1)
    out = tmp_path / "reports" / "dongshiduan" / "2023"
    page = (out / "report.html").read_text(encoding="utf-8")
    root = lhtml.document_fromstring(page)
    body = root.find(".//body")
    order = [el for el in body if el.tag in ("main", "footer", "div")]
    tags = [(el.tag, el.get("class")) for el in order if el.get("class") != "draft-banner"]
    assert tags[-3:] == [("main", "report"), ("footer", "signature"), ("div", "attachments")]
    # the list of attachments closes the text, before the 落款
    main_text = root.find(".//main").text_content()
    assert main_text.rstrip().endswith("附件：2022年度绿化占地土地流转金项目支出绩效自评表")
    attachment = root.find_class("attachments")[0]
    heading = attachment.find(".//h1")
    assert heading.text_content() == "附件1　2022年度绿化占地土地流转金项目支出绩效自评表"
    cells = [c.text_content() for c in attachment.iter("td", "th")]
    assert attachment.find_class("form-note")[0].text_content().startswith("示例数据：报告只给出项目名称")
    for expected in ("年度资金总额", "527.35", "100.00%", "占地农户满意度", "≥95%", "93%", "9.79", "99.79"):
        assert expected in cells, expected
    assert "附件1　2022年度绿化占地土地流转金项目支出绩效自评表" in [
        a.text_content() for a in root.find(".//nav").iter("a")
    ]
    # the form's manifest entry
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert list(manifest["inputs"]["files"]) == [str(EXAMPLE_FORM)]

    import docx

    doc = docx.Document(str(out / "report.docx"))
    texts = [p.text for p in doc.paragraphs]
    signature = max(i for i, t in enumerate(texts) if t == "保定市徐水区东史端镇人民政府")
    assert texts.index("附件1　2022年度绿化占地土地流转金项目支出绩效自评表", 30) > signature
    form_table = doc.tables[-1]
    assert form_table.cell(0, 0).text == "项目名称"
    assert form_table.cell(3, 1).text == "年度资金总额"
    # 项目资金（万元） spans its five rows
    assert form_table.cell(2, 0)._tc is form_table.cell(6, 0)._tc


def test_without_forms_the_report_has_no_attachment(tmp_path):
    from support import run_sections

    outputs = run_sections(_params(tmp_path, None))
    assert outputs and not any("附件" in o for o in outputs)


def test_template_writes_an_empty_official_form(tmp_path, capsys):
    out = tmp_path / "自评表.xlsx"
    assert cli.main(["template", str(out), "--kind", "project-form"]) == 0
    assert f"已写出 {out}" in capsys.readouterr().out
    # empty: the reader finds the form and says what a filled one needs
    assert cli.main(["selfeval", str(out)]) == 2
    assert "“项目名称”为必填项，不能为空" in capsys.readouterr().err
    assert cli.main(["template", str(out), "--kind", "project-form", "--data", str(tmp_path)]) == 2
    assert "自评表模板是空白表，不用 --data 填充" in capsys.readouterr().err
