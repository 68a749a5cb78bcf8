"""Stitching: merged notebooks, global 表/图 numbering, the 目录, code hidden."""

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from jixiao.report.render import export_html, merge_notebooks


def _section(path, sid, tables, heading):
    outs = [f'<h1 id="s{sid}-1" class="section">{heading}</h1>']
    outs += [
        f'<table><caption>表<span class="jx-num" data-kind="table">{i}</span>　T{sid}{i}</caption></table>'
        for i in range(1, tables + 1)
    ]
    outs.append('<figure><figcaption>图<span class="jx-num" data-kind="figure">1</span>　F</figcaption></figure>')
    cells = [new_markdown_cell("analyst note, not report text")]
    for o in outs:
        c = new_code_cell("secret_code_marker()")
        c.outputs = [new_output("execute_result", data={"text/html": o, "text/plain": "x"}, execution_count=1)]
        cells.append(c)
    nb = new_notebook(cells=cells)
    for i, c in enumerate(nb.cells):
        c["id"] = f"c{i}"  # the same ids in every section (copied notebooks): the merge must fix them
    nbformat.write(nb, path)
    return path


def test_merge_numbering_toc(tmp_path):
    a = _section(tmp_path / "a.ipynb", "01", 2, "一、甲")
    b = _section(tmp_path / "b.ipynb", "02", 3, "二、乙&lt;丙&gt;")
    nb = merge_notebooks([a, b])
    ids = [c["id"] for c in nb.cells]
    assert len(ids) == len(set(ids))
    html, res = export_html(
        nb, {"unit": "测试镇人民政府", "year": 2024, "title": "部门整体绩效管理自评报告", "date": "2025年1月1日"}
    )
    assert res["jixiao"]["counts"] == {"table": 5, "figure": 2}
    nums = [int(n) for n in __import__("re").findall(r'data-kind="table">(\d+)<', html)]
    assert nums == [1, 2, 3, 4, 5]
    assert [t["text"] for t in res["jixiao"]["toc"]] == ["一、甲", "二、乙<丙>"]
    assert '<a href="#s02-1">二、乙&lt;丙&gt;</a>' in html  # TOC text re-escaped
    assert "secret_code_marker" not in html and "analyst note" not in html
    assert '<html lang="zh">' in html
    assert "测试镇人民政府" in html and "2024年度部门整体绩效管理自评报告" in html
    assert "http://" not in html and "https://" not in html and "<script" not in html


def test_export_html_is_the_nbconvert_exporter(tmp_path):
    """The run renders with the exporter `jupyter nbconvert --to jixiao_html` uses: the same page
    for the same notebook (cover data in its metadata)."""
    from jixiao.export.html import JixiaoHTMLExporter

    meta = {"unit": "测试镇人民政府", "year": 2024, "title": "部门整体绩效管理自评报告", "date": "2025年1月1日"}
    nb = merge_notebooks([_section(tmp_path / "a.ipynb", "01", 2, "一、甲")])
    html, res = export_html(nb, meta)
    nb.metadata["jixiao"] = dict(meta)
    page, resources = JixiaoHTMLExporter().from_notebook_node(nb)
    assert html == page
    assert res["jixiao"] == resources["jixiao"]
