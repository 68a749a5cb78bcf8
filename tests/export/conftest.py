"""Fixtures of the export tests: the synthetic report page and the example built in every format.

The example is built once per session (``jixiao run --format html,pdf,docx``, a few
minutes), whichever of the export test modules asks for it first.
"""

from __future__ import annotations

import pytest
from export_support import example_params, synthetic_notebook


@pytest.fixture(scope="session")
def small_page():
    """The synthetic report rendered by the jixiao HTML exporter."""
    from jixiao.export.html import JixiaoHTMLExporter

    page, _ = JixiaoHTMLExporter().from_notebook_node(synthetic_notebook())
    return page


@pytest.fixture(scope="session")
def example(tmp_path_factory):
    """`jixiao run` on the example with --format html,pdf,docx (params say html only)."""
    from pypdf import PdfReader

    from jixiao.cli import main

    tmp = tmp_path_factory.mktemp("formats")
    params = example_params(tmp, ("html",))
    code = main(["run", str(params), "--format", "html,pdf,docx"])
    assert code == 0
    out = tmp / "reports" / "dongshiduan" / "2023"
    pdf = out / "report.pdf"
    return out, PdfReader(pdf), pdf
