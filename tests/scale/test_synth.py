"""Synthetic townships: deterministic, valid, varied (the set; its deliberate faults are
tested in test_synth_faults)."""

from __future__ import annotations

import json
import random

from scale_support import load_township

from jixiao.params import load_params
from jixiao.scale.synth import generate, township_data


def test_determinism_same_seed_same_data(tmp_path):
    a = generate(tmp_path / "a", 4, seed=5, broken=1, projects=(5, 30))
    b = generate(tmp_path / "b", 4, seed=5, broken=1, projects=(5, 30))
    assert [t.__dict__ for t in a] == [t.__dict__ for t in b]
    for ta, tb in zip(a, b):
        assert (tmp_path / "a" / ta.params).read_text(encoding="utf-8") == (tmp_path / "b" / tb.params).read_text(
            encoding="utf-8"
        )
        if ta.kind == "broken":
            continue
        _, da = load_township(tmp_path / "a", ta)
        _, db = load_township(tmp_path / "b", tb)
        for sheet in da.tables:
            assert da.tables[sheet].equals(db.tables[sheet]), sheet
        assert da.facts == db.facts
    # the data itself, without files
    kw = dict(name="测试县青石镇人民政府", short="青石镇", county="测试县", year=2023, n_projects=12, omit=set())
    assert township_data(random.Random("x"), **kw)[0] == township_data(random.Random("x"), **kw)[0]


def test_other_seed_other_townships(tmp_path):
    a = generate(tmp_path / "a", 5, seed=1, projects=(5, 20))
    b = generate(tmp_path / "b", 5, seed=2, projects=(5, 20))
    assert [t.name for t in a] != [t.name for t in b]


def test_variety(synth_set):
    out, made = synth_set
    ok = [t for t in made if t.kind != "broken"]
    counts = [t.projects for t in made if t.broken != "missing_projects"]
    assert len(set(counts)) >= len(counts) // 2
    assert min(counts) == 5 and max(counts) == 60  # the range's ends are included
    assert any(t.omitted_sheets for t in ok)  # some optional sheets are left out …
    assert any(not t.omitted_sheets for t in made) or len({tuple(t.omitted_sheets) for t in made}) > 2
    names = [t.name for t in made]
    assert len(set(names)) == len(names)
    assert len({t.slug for t in made}) == len(made)
    assert all("东史端" not in n for n in names)  # not the example renamed
    t = next(t for t in ok if t.omitted_sheets)
    _, ds = load_township(out, t)
    from jixiao.workbook.spec import workbook_spec

    sheet = workbook_spec().sheet(t.omitted_sheets[0])
    if sheet.kind == "table":
        assert len(ds.tables[sheet.id]) == 0  # … and load as empty


def test_synth_json_describes_the_set(synth_set):
    out, made = synth_set
    data = json.loads((out / "synth.json").read_text(encoding="utf-8"))
    assert data["n"] == 14 and data["broken"] == 3
    assert [t["slug"] for t in data["townships"]] == [t.slug for t in made]


def test_cli_synth_and_validate(tmp_path):
    from jixiao.cli import main

    assert (
        main(
            [
                "synth",
                "--n",
                "3",
                "--out",
                str(tmp_path),
                "--seed",
                "4",
                "--max-projects",
                "12",
                "--broken",
                "1",
                "--format",
                "html,pdf",
            ]
        )
        == 0
    )
    data = json.loads((tmp_path / "synth.json").read_text(encoding="utf-8"))
    for t in data["townships"]:
        code = main(["validate", str(tmp_path / t["params"])])
        assert code == (2 if t["kind"] == "broken" else 0)
        assert load_params(tmp_path / t["params"]).report.formats == ["html", "pdf"]
    assert main(["synth", "--n", "2", "--out", str(tmp_path / "x"), "--min-projects", "9", "--max-projects", "3"]) == 2
