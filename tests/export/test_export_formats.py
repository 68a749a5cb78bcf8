"""Output formats: the format list, renderers checked before anything runs, and the example
written in every format side by side (``jixiao run --format html,pdf,docx``, slow)."""

from __future__ import annotations

import contextlib
import subprocess
import sys

import pytest
import yaml
from export_support import example_params


def test_parse_formats():
    from jixiao.exceptions import InputError
    from jixiao.export.formats import parse_formats

    assert parse_formats("html,pdf,docx") == ["html", "pdf", "docx"]
    assert parse_formats(" DOCX , html,pdf,html") == ["html", "pdf", "docx"]
    assert parse_formats(["pdf"]) == ["pdf"]
    for bad in ("html,odt", "", " , ", ["rtf"]):
        with pytest.raises(InputError) as exc:
            parse_formats(bad)
        assert "html、pdf、docx" in str(exc.value.problems[0])


def test_bad_format_is_refused_before_anything_runs(tmp_path, capsys):
    from jixiao.cli import main

    params = example_params(tmp_path)
    assert main(["run", str(params), "--format", "html,odt"]) == 2
    assert "odt" in capsys.readouterr().err
    assert not (tmp_path / "reports").exists()


@pytest.mark.kernel
def test_missing_renderer_is_reported_before_any_section(tmp_path, monkeypatch):
    from jixiao.export import formats
    from jixiao.report import execute
    from jixiao.report.township import run_report

    def missing():
        raise formats.RendererMissing("无法生成 PDF：WeasyPrint 不可用")

    kernels = []
    real = execute.shared_kernel

    @contextlib.contextmanager
    def recording(cwd):
        with real(cwd) as km:
            kernels.append(km)
            yield km

    monkeypatch.setattr(formats, "weasyprint_module", missing)
    monkeypatch.setattr(execute, "shared_kernel", recording)
    monkeypatch.setattr(
        execute, "execute_sections", lambda *a, **k: pytest.fail("a section ran although the PDF cannot be made")
    )
    with pytest.raises(formats.RendererMissing, match="WeasyPrint 不可用"):
        run_report(example_params(tmp_path), formats="html,pdf")
    assert not (tmp_path / "reports").exists()
    # The kernel started early (it boots while the renderers are checked) is shut down.
    assert [km.has_kernel for km in kernels] == [False]


def test_params_formats_are_the_default(tmp_path):
    from jixiao.exceptions import InputError
    from jixiao.params import load_params

    params = load_params(example_params(tmp_path, ("pdf", "html")))
    assert params.report.formats == ["pdf", "html"]
    raw = yaml.safe_load(example_params(tmp_path).read_text(encoding="utf-8"))
    raw["report"]["formats"] = ["odt"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError):
        load_params(bad)


# -- the package -----------------------------------------------------------------------------
def test_formats_import_no_renderer():
    """The run checks the formats while its kernel boots: that must not import the renderers."""
    code = (
        "import sys, jixiao.export, jixiao.export.formats; "
        "print(sorted(m for m in ('nbconvert', 'weasyprint', 'docx', 'lxml', 'jixiao.export.html') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_package_names_come_from_their_modules(tmp_path):
    import jixiao.export as export
    from jixiao.export import docx, formats, html, pdf, tables

    assert export.JixiaoHTMLExporter is html.JixiaoHTMLExporter
    assert export.JixiaoPDFExporter is html.JixiaoPDFExporter
    assert export.JixiaoDocxExporter is html.JixiaoDocxExporter
    assert export.html_to_pdf is pdf.html_to_pdf and export.html_to_docx is docx.html_to_docx
    assert export.fit_tables is tables.fit_tables and export.parse_formats is formats.parse_formats
    assert set(export.__all__) <= set(dir(export))
    with pytest.raises(AttributeError):
        export.no_such_name  # noqa: B018
    assert export.write_report(tmp_path, "html", "<p>页</p>").read_text(encoding="utf-8") == "<p>页</p>"
    with pytest.raises(ValueError, match="odt"):
        export.write_report(tmp_path, "odt", "<p>页</p>")


@pytest.mark.slow
def test_example_outputs_side_by_side(example):
    import json

    out, _, _ = example
    names = {p.name for p in out.iterdir()}
    assert {"report.html", "report.pdf", "report.docx", "scores.xlsx", "manifest.json"} <= names
    assert not list(out.parent.glob(".2023.staging-*"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["outputs"]) == {"html", "pdf", "docx"}
    assert all(len(v["sha256"]) == 64 for v in manifest["outputs"].values())
    assert (out / "report.pdf").read_bytes()[:5] == b"%PDF-"
