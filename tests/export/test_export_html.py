"""The report page: the nbconvert exporters (registration, one HTML exporter for ``jixiao run``
and ``jupyter nbconvert --to jixiao_html``) and the command line on a section notebook (slow)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from export_support import UNIT, synthetic_notebook


# -- nbconvert registration ------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, cls, mimetype, ext",
    [
        ("jixiao_pdf", "JixiaoPDFExporter", "application/pdf", ".pdf"),
        (
            "jixiao_docx",
            "JixiaoDocxExporter",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx",
        ),
        ("jixiao_html", "JixiaoHTMLExporter", "text/html", ".html"),
    ],
)
def test_exporters_are_registered_with_nbconvert(name, cls, mimetype, ext):
    from nbconvert.exporters import get_export_names, get_exporter

    assert name in get_export_names()
    exporter = get_exporter(name)()
    assert type(exporter).__name__ == cls
    assert exporter.output_mimetype == mimetype
    assert exporter.file_extension == ext
    assert exporter.exclude_input


# -- one HTML exporter -----------------------------------------------------------------------
def test_numbering_comes_with_the_template():
    """The template's conf.json adds the numbering: any exporter on the template numbers."""
    from nbconvert.exporters import HTMLExporter

    from jixiao.export.html import (
        JixiaoDocxExporter,
        JixiaoHTMLExporter,
        JixiaoPDFExporter,
        NumberingPreprocessor,
        template_dir,
    )

    conf = json.loads((template_dir() / "jixiao" / "conf.json").read_text(encoding="utf-8"))
    declared = [p["type"] for p in conf["preprocessors"].values() if p and p.get("enabled")]
    assert declared == [
        "nbconvert.preprocessors.TagRemovePreprocessor",
        f"{NumberingPreprocessor.__module__}.{NumberingPreprocessor.__name__}",
    ]
    stock = HTMLExporter(template_name="jixiao", extra_template_basedirs=[str(template_dir())])
    for exporter in (JixiaoHTMLExporter(), JixiaoPDFExporter(), JixiaoDocxExporter(), stock):
        # the page only (the PDF and Word exporters on their jixiao_print template), not its conversion
        page, res = HTMLExporter.from_notebook_node(exporter, synthetic_notebook())
        assert res["jixiao"]["counts"] == {"table": 2, "figure": 1}, type(exporter).__name__
        assert 'data-kind="figure">1<' in page
        assert [t["text"] for t in res["jixiao"]["toc"] if t["level"] == 1] == [
            "一、部门基本情况",
            "二、部门绩效考核自评情况",
        ]


def test_exploration_cells_are_left_out():
    """An analyst's cell tagged remove-cell (exploring in JupyterLab) is not in the report,
    nor counted in its numbering; the other cells are."""
    import nbformat

    from jixiao.report.render import export_html

    nb = synthetic_notebook()
    probe = nbformat.v4.new_code_cell("ctx.ds.projects.head()", metadata={"tags": ["remove-cell"]})
    probe.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/html": '<p>EXPLORATION</p><table class="report"><caption>表'
                '<span class="jx-num" data-kind="table">1</span>　试算</caption></table>'
            },
        )
    ]
    nb.cells.insert(1, probe)
    page, res = export_html(nb, dict(nb.metadata["jixiao"]))
    assert "EXPLORATION" not in page and "试算" not in page
    assert res["jixiao"]["counts"] == {"table": 2, "figure": 1}
    assert "本镇下设8个股室" in page


def test_run_and_nbconvert_make_the_same_page(tmp_path):
    """`jixiao run` (render.export_html) and `jupyter nbconvert --to jixiao_html` give one page,
    whatever folder nbconvert runs in (a folder named jixiao there does not replace the template)."""
    import nbformat

    from jixiao.report.render import export_html

    nb = synthetic_notebook()
    page, res = export_html(nb, dict(nb.metadata["jixiao"]))
    assert res["jixiao"]["counts"] == {"table": 2, "figure": 1}
    nbformat.write(nb, tmp_path / "report.ipynb")
    decoy = tmp_path / "jixiao"
    decoy.mkdir()
    (decoy / "conf.json").write_text('{"base_template": "base", "mimetypes": {"text/html": true}}')
    (decoy / "index.html.j2").write_text("DECOY")
    jupyter = Path(sys.executable).with_name("jupyter")
    subprocess.run(
        [str(jupyter), "nbconvert", "--to", "jixiao_html", "report.ipynb", "--output-dir", "out"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert (tmp_path / "out" / "report.html").read_text(encoding="utf-8") == page


@pytest.mark.slow
def test_nbconvert_command_line(example, tmp_path):
    """`jupyter nbconvert --to jixiao_pdf / jixiao_docx` on an executed section notebook."""
    from pypdf import PdfReader

    out, _, _ = example
    nb = out / "sections" / "01_basic.ipynb"
    jupyter = Path(sys.executable).with_name("jupyter")
    for fmt in ("jixiao_pdf", "jixiao_docx"):
        subprocess.run(
            [str(jupyter), "nbconvert", "--to", fmt, str(nb), "--output-dir", str(tmp_path)],
            check=True,
            capture_output=True,
            timeout=300,
        )
    reader = PdfReader(tmp_path / "01_basic.pdf")
    text = "".join(p.extract_text() for p in reader.pages)
    assert "一、部门基本情况" in text and UNIT in text  # cover data from the papermill parameters
    import docx

    d = docx.Document(tmp_path / "01_basic.docx")
    assert "一、部门基本情况" in [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
