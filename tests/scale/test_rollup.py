"""County roll-up: figures per unit, ranking, units with check errors first, HTML and xlsx."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook as open_xlsx

from jixiao import __version__
from jixiao.params import load_params
from jixiao.report.publish import sha256
from jixiao.scale.rollup import build_rollup, rank_units, unit_summary_from_params
from jixiao.scale.synth import generate


def _fake_report(params_path: Path) -> Path:
    """What run_report leaves behind, as far as the roll-up reads it (no notebooks run)."""
    p = load_params(params_path)
    p.out_dir.mkdir(parents=True, exist_ok=True)
    (p.out_dir / "report.html").write_text("<html></html>", encoding="utf-8")
    m = {
        "jixiao_version": __version__,
        "created": "2024-03-31T10:00:00+08:00",
        "parameters": p.model_dump(mode="json"),
        "inputs": {
            "parameters": {"path": str(params_path), "sha256": sha256(params_path)},
            "workbook": {"path": str(p.workbook), "sha256": sha256(p.workbook)},
            "notebooks": {},
        },
        "outputs": {"html": {"file": "report.html"}},
    }
    (p.out_dir / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    return p.out_dir


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    out = tmp_path_factory.mktemp("county")
    made = generate(out, 8, seed=21, broken=1, inconsistent_share=0.4, projects=(5, 25))
    for t in made:
        if t.kind != "broken":
            _fake_report(out / t.params)
    broken = next(t for t in made if t.kind == "broken")
    bm = {
        "townships": [
            {
                "township": broken.slug,
                "year": broken.year,
                "name": broken.name,
                "status": "failed",
                "params": str(out / broken.params),
                "reason": "工作簿有误：" + broken.broken_reason,
                "error_type": "WorkbookError",
            }
        ]
    }
    (out / "reports" / "batch-manifest.json").write_text(json.dumps(bm, ensure_ascii=False), encoding="utf-8")
    result = build_rollup(out / "reports", title="测试县乡镇绩效自评汇总")
    return out, made, result


def test_units_and_order(county):
    out, made, r = county
    ok = [t for t in made if t.kind != "broken"]
    assert len(r.units) == len(ok)
    assert {u["township"] for u in r.units} == {t.slug for t in ok}
    # units whose data failed checks come first …
    flags = [bool(u["errors"]) for u in r.units]
    assert flags == sorted(flags, reverse=True)
    bad = {t.slug for t in made if t.kind == "inconsistent"}
    assert {u["township"] for u in r.units if u["errors"]} == bad
    # … the rest by rank, and the ranks follow the scores
    rest = [u for u in r.units if not u["errors"]]
    assert [u["rank"] for u in rest] == sorted(u["rank"] for u in rest)
    by_rank = sorted(r.units, key=lambda u: u["rank"])
    scores = [u["converted"] if u["converted"] is not None else u["converted_stated"] for u in by_rank]
    assert scores == sorted(scores, reverse=True)
    assert by_rank[0]["rank"] == 1


def test_figures_are_computed_and_stated(county):
    out, made, r = county
    for u in r.units:
        assert u["converted"] is not None and u["grade"] in ("优", "良", "中", "差")
        assert u["converted_stated"] is not None
        assert u["execution_rate"] is not None and 0 <= u["execution_rate"] <= 100
        assert u["debt_ratio"] is not None
        assert u["projects"] > 0
    # a valid unit's stated 换算得分 is its computed one, as printed
    valid = next(u for u in r.units if not u["errors"])
    assert round(valid["converted"], 2) == valid["converted_stated"]


def test_failures_listed(county):
    out, made, r = county
    broken = next(t for t in made if t.kind == "broken")
    assert [f["township"] for f in r.failures] == [broken.slug]
    assert broken.broken_reason in r.failures[0]["reason"]


def test_html_page(county):
    out, made, r = county
    page = r.html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'lang="zh"' in page
    assert "测试县乡镇绩效自评汇总" in page
    assert "http://" not in page and "https://" not in page  # self-contained
    assert page.count("data:image/png;base64,") >= 3  # ranking, distribution, execution (+ errors)
    assert "未能生成报告的单位" in page
    first_err = next(u for u in r.units if u["errors"])
    last_ok = [u for u in r.units if not u["errors"]][-1]
    assert page.index(first_err["name"]) < page.index(last_ok["name"])
    assert "换算得分（计算）" in page and "项目整体支出进度（计算）" in page and "资产负债率" in page


def test_xlsx(county):
    out, made, r = county
    wb = open_xlsx(r.xlsx)
    assert wb.sheetnames[:3] == ["汇总", "排名", "未生成报告"]
    ws = wb["汇总"]
    headers = [c.value for c in ws[2]]
    assert headers[:3] == ["排名", "单位", "年度"] and "校验错误" in headers and "换算得分（计算）" in headers
    names = [ws.cell(row=i, column=2).value for i in range(3, 3 + len(r.units))]
    assert names == [u["name"] for u in r.units]
    err_col = headers.index("校验错误") + 1
    errs = [ws.cell(row=i, column=err_col).value for i in range(3, 3 + len(r.units))]
    assert [bool(e) for e in errs] == sorted([bool(e) for e in errs], reverse=True)
    ranks = [wb["排名"].cell(row=i, column=1).value for i in range(3, 3 + len(r.units))]
    assert ranks == sorted(ranks)
    rate_col = headers.index("项目整体支出进度（计算）") + 1
    assert ws.cell(row=3, column=rate_col).number_format == "0.00%"
    assert wb["未生成报告"].cell(row=3, column=1).value == r.failures[0]["township"]


def test_precomputed_summaries_are_used(county, tmp_path):
    out, made, r = county
    t = next(t for t in made if t.kind == "valid")
    p = load_params(out / t.params)
    summ = unit_summary_from_params(out / t.params)
    summ["name"] = "预先计算的名称"
    r2 = build_rollup(out / "reports", tmp_path / "r2", summaries={str(p.out_dir.resolve()): summ})
    assert "预先计算的名称" in {u["name"] for u in r2.units}


def test_rank_ties_share_a_rank():
    units = [
        {"name": "甲", "converted": 95.0, "errors": 0},
        {"name": "乙", "converted": 95.0, "errors": 0},
        {"name": "丙", "converted": 80.0, "errors": 1},
        {"name": "丁", "converted": None, "converted_stated": 70.0, "errors": 0},
    ]
    ranked = rank_units(units)
    assert ranked[0]["name"] == "丙" and ranked[-1]["name"] == "丁"  # check errors first
    assert {u["name"]: u["rank"] for u in ranked} == {"丙": 3, "甲": 1, "乙": 1, "丁": 4}


def test_no_reports_is_an_error(tmp_path):
    from jixiao.exceptions import JixiaoError

    with pytest.raises(JixiaoError):
        build_rollup(tmp_path)


def test_cli_rollup(county, tmp_path):
    from jixiao.cli import main

    out, made, r = county
    assert main(["rollup", str(out / "reports"), "--out", str(tmp_path / "cli")]) == 0
    assert (tmp_path / "cli" / "rollup.html").is_file() and (tmp_path / "cli" / "rollup.xlsx").is_file()


def test_rollup_workbook_keeps_names_as_text(tmp_path):
    """A unit name like =HYPERLINK(…) is written as text in 汇总, 排名 and 未生成报告: no formula."""
    import openpyxl

    from jixiao.scale.rollup import _write_xlsx

    from xlsx_support import formulas

    name = '=HYPERLINK("http://x","点击")'
    units = [{"rank": 1, "name": name, "year": 2023, "converted": 98.91, "errors": 0, "township": "+t"}]
    failures = [{"township": "-x", "year": 2023, "name": "@cmd", "params": "p.yaml", "reason": "=1"}]
    path = tmp_path / "rollup.xlsx"
    import datetime as dt

    _write_xlsx(path, units, failures, {"units": 1, "with_errors": 0}, "=县级汇总", dt.datetime(2026, 11, 28, 9, 0))
    assert formulas(path) == []
    wb = openpyxl.load_workbook(path)
    for sheet in ("汇总", "排名", "未生成报告", "说明"):
        texts = {c.value: c for row in wb[sheet].iter_rows() for c in row if isinstance(c.value, str)}
        risky = [v for v in texts if v[:1] in "=+-@"]
        assert risky and all(texts[v].quotePrefix and texts[v].data_type == "s" for v in risky), sheet
    assert wb["汇总"]["B3"].value == name
