"""Fixtures of the consistency-check tests: the example's parameters and its findings."""

from __future__ import annotations

import pytest

from jixiao.analysis.checks import run_checks
from jixiao.params import load_params

from support import EXAMPLE_PARAMS

# The lookups of checks_support assert; let pytest explain their failures as in a test.
pytest.register_assert_rewrite("checks_support")


@pytest.fixture(scope="module")
def params():
    return load_params(EXAMPLE_PARAMS)


@pytest.fixture(scope="module")
def findings(example_ds, params):
    return run_checks(example_ds, params, raise_errors=True)
