"""What the scale tests share besides fixtures (those are in ``conftest.py``).

Importable from the tests of this folder (pytest puts the folder on ``sys.path``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from jixiao.params import load_params


def params_of(out: Path, made) -> list[Path]:
    """The parameters files of generated townships."""
    return [out / t.params for t in made]


def fake_result(path: Path):
    """What ``run_report`` returns, as far as a batch reads it (no notebooks run)."""
    p = load_params(path)
    return SimpleNamespace(out_dir=p.out_dir, outputs={"html": p.out_dir / "report.html"}, findings=[])


def cli(*args, cwd=None, timeout=600) -> subprocess.CompletedProcess:
    """``python -m jixiao.cli ARGS`` in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "jixiao.cli", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def load_township(out: Path, t):
    """The parameters and the loaded workbook of a generated township."""
    from jixiao.workbook.load import load_workbook

    p = load_params(out / t.params)
    return p, load_workbook(p.workbook, year=p.year)
