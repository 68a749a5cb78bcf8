"""The suite's own rule: a test that starts a Jupyter kernel is marked ``kernel`` (or ``slow``),
so that ``make test-fast`` skips it."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CONFTEST = Path(__file__).with_name("conftest.py").read_text(encoding="utf-8")

INNER = """
import pytest
from jupyter_client.manager import KernelManager


def _start_and_stop():
    km = KernelManager(kernel_name="python3")
    km.start_kernel()
    km.shutdown_kernel(now=True)


def test_unmarked_starts_a_kernel():
    _start_and_stop()


@pytest.mark.kernel
def test_marked_starts_a_kernel():
    _start_and_stop()


def test_plain():
    assert True
"""


@pytest.mark.kernel
def test_an_unmarked_test_that_starts_a_kernel_fails(pytester):
    pytester.makeconftest(CONFTEST.replace("from support import EXAMPLE_XLSX\n", "EXAMPLE_XLSX = None\n"))
    pytester.makeini("[pytest]\nmarkers =\n    kernel: starts a kernel\n    slow: slow\n")
    pytester.makepyfile(INNER)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(
        ["*test_unmarked_starts_a_kernel starts a Jupyter kernel (python3): mark it @pytest.mark.kernel*"]
    )
