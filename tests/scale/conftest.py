"""Fixtures of the scale tests: small sets of synthetic townships."""

from __future__ import annotations

import pytest

from jixiao.scale.synth import generate


@pytest.fixture
def small_set(tmp_path):
    """3 valid small townships + 1 broken (a text in a money cell)."""
    made = generate(tmp_path, 4, seed=8, broken=1, inconsistent_share=0.0, projects=(5, 12))
    return tmp_path, made


@pytest.fixture(scope="session")
def synth_set(tmp_path_factory):
    """14 townships, 3 of them broken, a share inconsistent (generated once; read-only)."""
    out = tmp_path_factory.mktemp("synth")
    made = generate(out, 14, seed=11, broken=3, inconsistent_share=0.3, projects=(5, 60))
    return out, made
