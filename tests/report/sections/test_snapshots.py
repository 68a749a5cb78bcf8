"""Every block of every section, on the bundled example, against its snapshot.

The generated prose and tables are long: rather than exact strings inline, each block's
visible text is kept in ``test_snapshots/<module>-<function>.txt`` (pytest-regressions).
A change in wording shows as a diff of those files in review; after an intended change,
``pytest tests/report/sections/test_snapshots.py --force-regen`` rewrites them.
The seed's own sentences and figures stay asserted inline in the section tests.
"""

from __future__ import annotations

import html
import re

import pytest

from jixiao.report.sections import sections

from support import EXAMPLE_PARAMS, portable, section_blocks

_BLOCK_TAGS = re.compile(r"</?(p|h\d|tr|li|figcaption|caption|div|table|br)\b[^>]*>", re.I)


def visible_text(block: str) -> str:
    """The text a reader sees: block elements on their own lines, cells tab-separated,
    images as ``[图]``."""
    s = re.sub(r"<img[^>]*>", "[图]", block)
    s = re.sub(r"</t[dh]>\s*<t[dh][^>]*>", "\t", s)
    s = _BLOCK_TAGS.sub("\n", s)
    s = html.unescape(re.sub(r"<[^>]+>", "", s))
    lines = [re.sub(r"[ \t]+$", "", line) for line in s.splitlines()]
    return "\n".join(line for line in lines if line.strip()) + "\n"


def _blocks():
    for sec, fn in section_blocks():
        yield pytest.param(sec, fn, id=f"{sec.module}-{fn.__name__}")


@pytest.fixture(scope="module")
def params_path(tmp_path_factory):
    """The example's parameters with a private, empty output folder: what the blocks say must
    not depend on reports built earlier in the working copy (a key-project report links in)."""
    import yaml

    raw = portable(EXAMPLE_PARAMS)
    raw["workbook"] = str((EXAMPLE_PARAMS.parent / raw["workbook"]).resolve())
    tmp = tmp_path_factory.mktemp("snapshots")
    raw["output_dir"] = str(tmp / "reports")
    path = tmp / EXAMPLE_PARAMS.name
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("sec, fn", list(_blocks()))
def test_block_matches_its_snapshot(sec, fn, params_path, file_regression):
    from jixiao.report.context import open_report

    ctx = open_report(params_path, section=sec.id)
    file_regression.check(visible_text(fn(ctx)), basename=f"{sec.module}-{fn.__name__}", extension=".txt")


def test_every_section_has_snapshotted_blocks():
    covered = {p.values[0].module for p in _blocks()}
    assert covered == {s.module for s in sections("township")}
