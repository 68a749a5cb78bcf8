"""Fixtures of the key-project tests: the crafted project and the example, loaded once per module."""

from __future__ import annotations

import pytest
from keyproject_support import EXAMPLE_PARAMS, good_data

from jixiao.keyproject import load_key_params, load_key_project, write_key_project_template


@pytest.fixture(scope="module")
def good_kp(tmp_path_factory):
    path = write_key_project_template(tmp_path_factory.mktemp("kp") / "good.xlsx", good_data())
    return load_key_project(path, year=2024)


@pytest.fixture(scope="module")
def example():
    return load_key_project(load_key_params(EXAMPLE_PARAMS))
