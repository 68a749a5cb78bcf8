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
from keyproject_support import EXAMPLE_PARAMS, NOTEBOOKS, good_data, params_file, run_cli, township_setup, write

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
    assert "绩效评价指标体系及得分（示例数据）" in text
    for name in ("立项依据充分性", "资金到位率", "实际完成率", "服务对象满意度", "7205", "9155"):
        assert name in text
    assert page.count("data:image/png;base64,") >= 1 and "各一级指标分值与得分" in text
    for heading in (
        "一、项目概况",
        "二、绩效评价指标与得分",
        "三、评价发现与存在问题",
        "四、意见建议",
    ):
        assert heading in text
    assert "附录 数据校验" not in text  # the checks are the review's (review.html)
    assert "未提供" in text
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
    assert [s["status"] for s in m["sections"]] == ["ok"] * 3 and m["checks"]["error"] == 0
    assert m["draft"] == {"open_errors": []} and not result.draft
    # its own review: the key-project checks, none of them an error
    review = (result.out_dir / "review.html").read_text(encoding="utf-8")
    assert "错误0条" in review and "报送版可以定稿" in review
    wb = openpyxl.load_workbook(result.out_dir / "scores.xlsx", read_only=True)
    rows = list(wb["维度得分"].iter_rows(values_only=True))
    wb.close()
    assert rows[0][:4] == ("一级指标", "指标数", "分值", "得分") and len(rows) == 5


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
    nb = nbformat.read(broken / "02_indicators.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('故意的失败')"))
    nbformat.write(nb, broken / "02_indicators.ipynb")
    code, _, err = run_cli(["evaluate", key_params, "--notebooks", broken], capsys)
    assert code == 1 and "二、绩效评价指标与得分" in err and "故意的失败" in err and "Traceback" not in err
    assert (final / "report.html").read_text(encoding="utf-8") == before
    kept = final.with_name("key-nanhuqu-road.failed") / "sections" / "02_indicators.ipynb"
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
