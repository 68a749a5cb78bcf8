"""Committed notebooks carry no outputs and no execution counts.

Report sections are executed into the output folder; what is committed is the clean
source, so that diffs show code changes only and no data leaks into the repository.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support import ROOT

NOTEBOOKS = ROOT / "notebooks"


def committed_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    return sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def dirt(path: Path) -> list[str]:
    """What is wrong with a notebook file: outputs, execution counts, unreadable JSON."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [f"{path.name}: not a readable notebook ({exc})"]
    found = []
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs"):
            found.append(f"{path.name} cell {i}: {len(cell['outputs'])} output(s)")
        if cell.get("execution_count") is not None:
            found.append(f"{path.name} cell {i}: execution_count {cell['execution_count']}")
    return found


def test_committed_notebooks_are_clean():
    # There may be no notebooks yet; every one that exists is checked.
    problems = [d for nb in committed_notebooks() for d in dirt(nb)]
    assert not problems, "clear outputs before committing (jupyter nbconvert --clear-output --inplace):\n" + \
        "\n".join(problems)


def _notebook(cells) -> dict:
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _code(outputs=(), count=None) -> dict:
    return {"cell_type": "code", "metadata": {}, "source": "1 + 1", "outputs": list(outputs), "execution_count": count}


@pytest.mark.parametrize("cells, expected", [
    ([_code(), {"cell_type": "markdown", "metadata": {}, "source": "# 标题"}], []),
    ([_code(outputs=[{"output_type": "stream", "name": "stdout", "text": "2"}])], ["cell 0: 1 output(s)"]),
    ([_code(), _code(count=3)], ["cell 1: execution_count 3"]),
    ([_code(outputs=[{"output_type": "execute_result", "data": {}, "metadata": {}, "execution_count": 1}], count=1)],
     ["cell 0: 1 output(s)", "cell 0: execution_count 1"]),
], ids=["clean", "output", "count", "both"])
def test_the_check_detects_dirt(tmp_path, cells, expected):
    path = tmp_path / "section.ipynb"
    path.write_text(json.dumps(_notebook(cells)), encoding="utf-8")
    assert [d.removeprefix("section.ipynb ") for d in dirt(path)] == expected


def test_the_check_reports_broken_json(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{not json", encoding="utf-8")
    assert "not a readable notebook" in dirt(path)[0]


def test_discovery_skips_checkpoints(tmp_path):
    (tmp_path / "a.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "a-checkpoint.ipynb").write_text("{}", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in committed_notebooks(tmp_path)] == ["a.ipynb", "sub/b.ipynb"]
