"""Shared fixtures: the bundled example and ways to make broken copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_XLSX = ROOT / "examples" / "dongshiduan-2023" / "dongshiduan-2023.xlsx"
EXAMPLE_PARAMS = ROOT / "params" / "dongshiduan-2023.yaml"
SEED = ROOT.parent / "shared" / "seed" / "dongshiduan-2023-self-evaluation.txt"


@pytest.fixture(scope="session")
def example_ds():
    """The bundled example, loaded once per test session (read-only: do not mutate)."""
    from jixiao.load import load_workbook

    return load_workbook(EXAMPLE_XLSX, year=2023)


@pytest.fixture
def example_copy(tmp_path) -> Path:
    """A private copy of the example workbook a test may break."""
    dst = tmp_path / "dongshiduan-2023.xlsx"
    shutil.copy(EXAMPLE_XLSX, dst)
    return dst
