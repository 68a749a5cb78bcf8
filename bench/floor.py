"""The floor: one township's report computed and written by one plain Python process.

No kernel, no papermill, no notebook files: the section code (the same calls into
``jixiao.report.sections`` that the notebooks make) runs in this process, each cell's displayed
value becomes an HTML output, and the result goes through the same stitching, the same
nbconvert template (``render.export_html``), the same PDF typesetting
(``exporters.html_to_pdf``) and the same ``scores.xlsx`` as ``jixiao run``.

    python bench/floor.py PARAMS.yaml OUT_DIR [--formats html,pdf]

The notebooks are read only to know which section functions to call, in which order
(the list the report is made of); nothing is executed through Jupyter.
"""

from __future__ import annotations

import argparse
import ast
import json
import time
from pathlib import Path


def _run_cells(source_cells: list[str], params_path: str) -> list[list[dict]]:
    """Execute cell sources in one namespace; the value of each cell's last expression
    (like IPython's display) becomes its outputs."""
    ns: dict = {"__name__": "__floor__"}
    outputs = []
    for src in source_cells:
        tree = ast.parse(src)
        last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        body = tree.body[:-1] if last is not None else tree.body
        exec(compile(ast.Module(body=body, type_ignores=[]), "<cell>", "exec"), ns)
        outs = []
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), ns)
            if value is not None:
                data = {"text/plain": repr(value)[:200]}
                if hasattr(value, "_repr_html_"):
                    data["text/html"] = value._repr_html_()
                outs.append({"output_type": "execute_result", "data": data, "metadata": {}, "execution_count": None})
        outputs.append(outs)
    return outputs


def build(params_path: str, out_dir: str, formats: list[str]) -> dict:
    import nbformat

    from jixiao.analysis.scoring.scoresheet import write_scores
    from jixiao.export.pdf import html_to_pdf
    from jixiao.report.context import open_report, report_date
    from jixiao.report.render import export_html
    from jixiao.report.sections import notebooks_dir, sections

    t0 = time.perf_counter()
    params_path = str(Path(params_path).resolve())
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ctx = open_report(params_path)
    _ = ctx.findings  # the checks, as run_report runs them
    merged = nbformat.v4.new_notebook()
    nb_dir = notebooks_dir()
    for i, sec in enumerate(sections()):
        nb = nbformat.read(nb_dir / sec.notebook, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        sources = [
            f"params_path = {params_path!r}" if "parameters" in c.metadata.get("tags", []) else c.source for c in code
        ]
        for j, outs in enumerate(_run_cells(sources, params_path)):
            cell = nbformat.v4.new_code_cell(source="")
            cell["id"] = f"s{i:02d}-c{j:03d}"
            cell.outputs = [nbformat.from_dict(o) for o in outs]
            merged.cells.append(cell)
    meta = {"unit": ctx.ds.name, "year": ctx.params.year, "title": ctx.params.report.title, "date": report_date(ctx)}
    merged.metadata["jixiao"] = dict(meta)
    page, res = export_html(merged, meta)
    written = {}
    for fmt in formats:
        if fmt == "html":
            (out / "report.html").write_text(page, encoding="utf-8")
        elif fmt == "pdf":
            (out / "report.pdf").write_bytes(html_to_pdf(page, base_url=str(out)))
        written[fmt] = str(out / f"report.{fmt}")
    write_scores(out / "scores.xlsx", ctx)
    counts = res.get("jixiao", {}).get("counts", {})
    return {
        "seconds": round(time.perf_counter() - t0, 3),
        "outputs": written,
        "tables": counts.get("table", 0),
        "figures": counts.get("figure", 0),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("params")
    ap.add_argument("out_dir")
    ap.add_argument("--formats", default="html,pdf")
    a = ap.parse_args()
    print(json.dumps(build(a.params, a.out_dir, [f for f in a.formats.split(",") if f])))


if __name__ == "__main__":
    main()
