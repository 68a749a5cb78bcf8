"""The shared kernel: it preloads the section code before it reports ready, and it can be
stopped early (after the sections) without upsetting its context manager."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from jixiao.report.execute import shared_kernel, stop_kernel

ROOT = Path(__file__).resolve().parents[2]


def _notebook_imports() -> set[str]:
    mods = set()
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for pkg, names in re.findall(r"^from (jixiao[\w.]*) import ([\w, ]+?)(?: as \w+)?$", cell.source, re.M):
                for name in (n.strip() for n in names.split(",")):
                    # `from jixiao.report.sections import basic` imports a module, `from jixiao.report.context import
                    # open_report` a function of one.
                    mods.add(
                        f"{pkg}.{name}"
                        if pkg.startswith("jixiao.report.sections") and name != "open_key_report"
                        else pkg
                    )
            mods.update(re.findall(r"^import (jixiao[\w.]*)", cell.source, re.M))
    return mods


def _preloaded() -> list[str]:
    from jixiao.report.sections import all_modules

    mods = ["jixiao.report.context", *all_modules()]
    # importing jixiao.report.sections.key_project.overview imports its package too
    return mods + sorted({m.rsplit(".", 1)[0] for m in mods} - set(mods))


def test_preload_covers_every_module_the_notebooks_import():
    """The kernel imports what config/report.yaml names: every notebook's imports are among them."""
    used = _notebook_imports()
    assert "jixiao.report.sections.assessment" in used and "jixiao.report.context" in used  # the parse found them
    assert "jixiao.report.sections.key_project.indicators" in used
    assert used <= set(_preloaded()), sorted(used - set(_preloaded()))


@pytest.mark.kernel
def test_kernel_has_the_section_code_loaded_before_its_first_cell(tmp_path):
    with shared_kernel(tmp_path) as km:
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            out: list[str] = []

            def hook(msg):
                if msg["msg_type"] == "stream":
                    out.append(msg["content"]["text"])

            reply = kc.execute_interactive(
                "import sys\n"
                f"print(sorted(m for m in {_preloaded()!r} if m not in sys.modules))\n"
                "print('jixiao' in dir())\n",
                timeout=60,
                output_hook=hook,
            )
        finally:
            kc.stop_channels()
    assert reply["content"]["status"] == "ok"
    # Every section module already imported, and the preload left no name in the user namespace.
    assert "".join(out).split() == ["[]", "False"]


@pytest.mark.kernel
def test_stopping_early_then_leaving_the_context_is_clean(tmp_path):
    with shared_kernel(tmp_path) as km:
        assert km.has_kernel
        stop_kernel(km)
        assert not km.has_kernel
        stop_kernel(km)  # again: nothing to do
    assert not km.has_kernel
