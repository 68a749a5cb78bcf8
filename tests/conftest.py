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


@pytest.fixture(autouse=True)
def _kernels_are_marked(request, monkeypatch):
    """A test that starts a Jupyter kernel must be marked ``kernel`` (or ``slow``), so that
    ``make test-fast`` (``-m "not slow and not kernel"``) stays fast: an unmarked one fails."""
    marked = request.node.get_closest_marker("kernel") or request.node.get_closest_marker("slow")
    if marked:
        yield
        return
    from jupyter_client.manager import KernelManager

    started: list[str] = []
    real = KernelManager._async_pre_start_kernel

    async def recording(self, **kw):
        started.append(self.kernel_name)
        return await real(self, **kw)

    # Both the blocking and the async kernel managers start through this coroutine.
    monkeypatch.setattr(KernelManager, "_async_pre_start_kernel", recording)
    yield
    if started:
        pytest.fail(
            f"{request.node.nodeid} starts a Jupyter kernel ({', '.join(started)}): mark it @pytest.mark.kernel",
            pytrace=False,
        )
