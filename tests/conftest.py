"""Shared fixtures: the bundled example and a private copy of it to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import EXAMPLE_XLSX


@pytest.fixture(scope="session")
def example_ds():
    """The bundled example, loaded once per test session (read-only: do not mutate)."""
    from jixiao.workbook.load import load_workbook

    return load_workbook(EXAMPLE_XLSX, year=2023)


@pytest.fixture
def example_copy(tmp_path) -> Path:
    """A private copy of the example workbook a test may break."""
    dst = tmp_path / "dongshiduan-2023.xlsx"
    shutil.copy(EXAMPLE_XLSX, dst)
    return dst
