"""validate ⇒ run (#13), as a property: whatever workbook `jixiao validate` accepts, every
section of `jixiao run` renders (in process, as the kernel would run the notebooks) and no
check fails internally.

Workbooks are generated from the bundled example by hypothesis: cells blanked or set to
values at the edges of what the loader accepts for their column (0, tiny, huge, "1,234.50",
"２万元", percentages over 100, dates in other notations, markup and template syntax in text),
now and then a value of the wrong kind, data rows deleted, whole blocks emptied. A generated
workbook the loader refuses is fine (validate said what is wrong, at its cell); one it
accepts must make the report.

A second property starts from synthetic townships instead (:mod:`jixiao.scale.synth`, as
``jixiao synth`` makes them): hypothesis draws the seed, the number of projects, which optional
sheets are left out and whether figures are made deliberately inconsistent, and then changes
cells, rows and blocks the same way. The example has every block filled; only these find the
combinations a unit really has (no 固定资产 nor 实物资产 and no 无形资产 figures, say).

300 workbooks take about 40 seconds, because nothing is done twice that cannot differ: each
workbook is the example's cells with the changes made in memory and read by the real loader
(:class:`_Variant`; :func:`test_a_variant_reads_as_its_file` checks it reads as the saved file
would), the notebooks get the dataset, parameters and findings validate just produced, and a
chart is built and drawn (rasterised, not PNG-encoded) only for data no earlier workbook gave it.
The synthetic townships cost more (each is written to a file once, read once, and all its charts
are new), so each gives :data:`VARIANTS` workbooks: itself and changed copies.
"""

from __future__ import annotations

import importlib
import io
import os
import random
import sys
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl import load_workbook as open_xlsx

from jixiao.exceptions import InputError

from support import EXAMPLE_XLSX, params_for, run_sections

pytestmark = pytest.mark.slow

#: Generated workbooks per run (about 40 seconds); JIXIAO_CONTRACT_EXAMPLES sets another number.
EXAMPLES = int(os.environ.get("JIXIAO_CONTRACT_EXAMPLES", "300"))
#: Workbooks generated from synthetic townships per run (about 25 seconds); they come
#: :data:`VARIANTS` to a township, because writing a township and drawing its charts (all new
#: data: about a second) cost more than running the report on a changed copy (a fifth of one).
#: JIXIAO_CONTRACT_SYNTH_EXAMPLES sets another number (1500 took under 7 minutes).
SYNTH_EXAMPLES = int(os.environ.get("JIXIAO_CONTRACT_SYNTH_EXAMPLES", "75"))
#: Workbooks made from each synthetic township: the township as synth writes it, and changed copies.
VARIANTS = 5
#: How many generated workbooks validate refused and accepted in this session (from the
#: example, and from synthetic townships), and how many charts were built and drawn for them
#: (the others were drawn for an earlier workbook).
_STATS = {"refused": 0, "accepted": 0, "synthetic refused": 0, "synthetic accepted": 0, "charts drawn": 0}

#: Values at the edges of what the loader accepts, by column type (blank for every type).
EDGES: dict[str, list] = {
    "money": [0, 0.005, 0.01, 123456789.99, "1,234.50", "5000元", "２万元", 1e-9],
    "number": [0, 0.5, 1e7, "1,234"],
    "int": [0, 1, 99999],
    "percent": [0, "0%", "100%", 0.5, "150%", "99.995%"],
    "year": [2023],
    "date": ["2023-12-31", "2023年1月1日", "2023.6.30"],
    "text": ["—", "x" * 200, "<b>粗</b>", "[link=http://x]点[/link]", "$x^2$"],
    "longtext": ["—", "甲\\n乙", "{{ 7*7 }}", "<script>alert(1)</script>", "_x000D_"],
    "value": [0, 1, "≥30个", "12人", "≤5%", "达成", "部分达成", "效果明显", "100%"],
}
#: Table sheets a unit may leave empty, or delete rows of, without orphaning a reference.
EMPTIABLE = frozenset(
    ("股室", "绩效目标架构", "考核得分", "专项资金", "直达资金", "三保支出", "三保明细", "三公经费", "非税收入",
     "预算收入", "支出功能分类", "总决算", "资产负债", "固定资产", "实物资产", "项目指标", "监控情况", "改进措施")
)  # fmt: skip
#: A value of the wrong kind now and then: the loader must refuse it at its cell.
WRONG = ["#REF!", "无", "未填", "2023-13-45", "abc"]


@st.composite
def _value_for(draw, field):
    """A value for a cell of ``field``: a blank (unless the format requires the cell) or an
    edge value most of the time, a wrong value about one time in fifteen."""
    valid = list(EDGES.get(field.type, []))
    if field.choices:
        valid += list(field.choices)
    if field.signed:
        valid += [-1.5, -0.01]
    if not field.required:
        valid += [None, None]
    roll = draw(st.integers(0, 14))
    if roll == 0 or not valid:
        return draw(st.sampled_from(WRONG))
    return draw(st.sampled_from(valid))


@cache
def _example() -> tuple[bytes, tuple[tuple[str, int, int, object], ...], tuple[tuple[str, int], ...]]:
    """The example's bytes, its data cells ``(sheet, row, column, field)`` (the format's column
    or key the cell holds) and its data rows ``(sheet, row)`` (:func:`_layout`)."""
    data = EXAMPLE_XLSX.read_bytes()
    return (data, *_layout(_read_example()))


def _layout(
    sheets: dict[str, _ReadSheet],
) -> tuple[tuple[tuple[str, int, int, object], ...], tuple[tuple[str, int], ...]]:
    """The data cells ``(sheet, row, column, field)`` of a workbook read by :func:`_read_sheets`
    (the format's column or key each holds; Excel's row and column numbers) and its data rows
    ``(sheet, row)``: what :func:`mutations` may change."""
    from jixiao.workbook.spec import workbook_spec

    specs = {s.name: s for s in workbook_spec().sheets}
    cells, rows = [], []
    for title, ws in sheets.items():
        sheet = specs.get(title)
        if sheet is None or len(ws.rows) < 2:
            continue
        headers = [c.value for c in ws.rows[1]]
        for r, row in enumerate(ws.rows[2:], start=3):
            if any(c.value is not None for c in row):
                rows.append((title, r))
            for c, cell in enumerate(row, start=1):
                if cell.value is None:
                    continue
                if sheet.kind == "kv":
                    field = next((k for k in sheet.keys if k.key == row[0].value), None) if c == 2 else None
                else:
                    head = headers[c - 1] if c <= len(headers) else None
                    field = next((col for col in sheet.columns if col.header == head), None)
                if field is not None:
                    cells.append((title, r, c, field))
    return tuple(cells), tuple(rows)


@st.composite
def mutations(draw, layout=None, groups: bool = False) -> list[tuple]:
    """What to change in the example (or in the workbook of ``layout``, :func:`_layout`), as a
    readable list (hypothesis prints it on failure): ``("set", sheet, row, column, value)``,
    ``("delete", sheet, row)``, ``("empty", sheet)``. With ``groups``, now and then a whole
    group of fields blanked as well, as by a unit silent on it: every figure of a group of
    填报数据 (政府采购, 资产 …), or an optional column of a table (every project's 执行数 …)."""
    cells, rows = layout if layout is not None else _example()[1:]
    out: list[tuple] = []
    for sheet, r, c, field in draw(st.lists(st.sampled_from(cells), max_size=10, unique=True)):
        out.append(("set", sheet, r, c, draw(_value_for(field))))
    by_group: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
    for sheet, r, c, field in cells:
        if getattr(field, "group", None):
            by_group.setdefault((sheet, field.group), []).append((sheet, r, c))
        elif hasattr(field, "header") and not field.required:
            by_group.setdefault((sheet, field.header), []).append((sheet, r, c))
    if groups and by_group:
        # not a cell set above again: a blanked cell reads back without a number format
        done = {change[1:4] for change in out}
        for group in draw(st.lists(st.sampled_from(sorted(by_group)), max_size=2, unique=True)):
            out += [("set", *cell, None) for cell in by_group[group] if cell not in done]
    # rows of sheets nothing refers to (a deleted project would orphan its indicators: refused)
    free = [(s, r) for s, r in rows if s in EMPTIABLE]
    for sheet, r in sorted(draw(st.lists(st.sampled_from(free), max_size=3, unique=True)), reverse=True):
        out.append(("delete", sheet, r))
    out += [("empty", sheet) for sheet in draw(st.lists(st.sampled_from(sorted(EMPTIABLE)), max_size=2, unique=True))]
    return out


class _ReadSheet:
    """A worksheet as the loader reads it from a file (read-only mode): its rows of cells."""

    def __init__(self, rows: list[tuple]):
        self.rows = rows

    def iter_rows(self, max_col: int):
        return (row[:max_col] for row in self.rows)


def _read_sheets(data: bytes) -> dict[str, _ReadSheet]:
    """The sheets of an xlsx file, each read as the loader reads it."""
    from jixiao.workbook.spec import workbook_spec

    wb = open_xlsx(io.BytesIO(data), read_only=True, data_only=True)
    width = workbook_spec().max_columns
    sheets = {}
    for ws in wb.worksheets:
        ws.reset_dimensions()
        sheets[ws.title] = _ReadSheet(list(ws.iter_rows(max_col=width)))
    wb.close()
    return sheets


class _Written(NamedTuple):
    """A cell as the loader reads it back once a value has been written to it."""

    value: object
    data_type: str
    number_format: str


def _written(value, number_format: str) -> _Written:
    """What the loader reads from a cell of ``number_format`` in which openpyxl saved
    ``value`` (a whole float reads back as an int, "#REF!" as an error value, a number in a
    date format as a date …), found by saving it, once per value and format."""
    return _saved(type(value), value, number_format)  # the type too: 0 == 0.0 == False


@cache
def _saved(_type: type, value, number_format: str) -> _Written:
    wb = Workbook()
    cell = wb.active.cell(row=1, column=1)
    cell.value = value
    cell.number_format = number_format
    out = io.BytesIO()
    wb.save(out)
    (cell,) = _read_sheets(out.getvalue())[wb.active.title].rows[0][:1]
    return _Written(cell.value, cell.data_type, cell.number_format)


class _Variant:
    """The example with ``changes`` made, as an opened workbook for
    :func:`jixiao.workbook.load.read_workbook`: the example's rows as the loader reads them
    from the file, with each changed cell as the loader reads it back from a saved file (its
    number format kept, as openpyxl keeps it), rows deleted as openpyxl deletes them. Saving
    and reopening an xlsx file for each variant cost more than running the report;
    :func:`test_a_variant_reads_as_its_file` shows that the loader reads a variant as it
    reads the same changes made with openpyxl and saved to a file (:func:`_apply`)."""

    def __init__(self, changes: list[tuple], base: dict[str, _ReadSheet] | None = None):
        example = self.base = base if base is not None else _read_example()
        self.sheetnames = list(example)
        self.sheets: dict[str, _ReadSheet] = {}
        for change in changes:
            name = change[1]
            if name not in self.sheets:
                self.sheets[name] = _ReadSheet(list(example[name].rows))
            rows = self.sheets[name].rows
            if change[0] == "set":
                _, _, r, c, value = change
                row = list(rows[r - 1])
                row[c - 1] = _written(value, row[c - 1].number_format)
                rows[r - 1] = tuple(row)
            elif change[0] == "delete":
                del rows[change[2] - 1]
            else:
                del rows[2:]

    def __getitem__(self, name: str) -> _ReadSheet:
        return self.sheets[name] if name in self.sheets else self.base[name]


@cache
def _read_example() -> dict[str, _ReadSheet]:
    return _read_sheets(EXAMPLE_XLSX.read_bytes())


def _apply(changes: list[tuple], base: bytes | None = None) -> bytes:
    """The example (or the xlsx file ``base``) with ``changes`` made, saved as an xlsx file's bytes."""
    wb = open_xlsx(io.BytesIO(base if base is not None else _example()[0]))
    for change in changes:
        if change[0] == "set":
            _, sheet, r, c, value = change
            wb[sheet].cell(row=r, column=c).value = value
        elif change[0] == "delete":
            wb[change[1]].delete_rows(change[2])
        else:
            wb[change[1]].delete_rows(3, wb[change[1]].max_row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class Synth(NamedTuple):
    """A synthetic township, as ``jixiao synth --seed SEED --n 1 --year YEAR --min-projects
    PROJECTS --max-projects PROJECTS`` (``--inconsistent-share 1`` if ``inconsistent``) makes it
    (:func:`jixiao.scale.synth.generate`), except for the sheets left out: chosen here
    (:func:`synthetic_townships`), because synth leaves each out one time in seven and would
    rarely leave out many. What hypothesis prints on failure."""

    seed: int
    projects: int
    omitted: tuple[str, ...]
    #: Made ``inconsistent`` as synth makes a fifth of its townships: figures that do not add up
    #: (the checks report them; the report is still made).
    inconsistent: bool
    year: int


@st.composite
def synthetic_townships(draw) -> Synth:
    """A :class:`Synth`: any seed, 1–40 projects, optional sheets left out as often as synth
    leaves them out (most often), none, half or all of them; consistent or not. Not
    ``broken``: synth breaks those so that validate refuses them.

    Hypothesis draws the seed and how many sheets to leave out; the rest follows from the seed,
    because hypothesis draws the least numbers first (1 project, no sheet left out) far more
    often than a township has them."""
    from jixiao.scale.synth import OPTIONAL_SHEETS

    seed = draw(st.integers(0, 10**6))
    share = draw(st.sampled_from([0.15, 0.15, 0.0, 0.5, 1.0]))
    rng = random.Random(f"contract-{seed}")
    return Synth(
        seed=seed,
        projects=1 if rng.random() < 0.1 else rng.randint(2, 40),
        omitted=tuple(s for s in OPTIONAL_SHEETS if rng.random() < share),
        inconsistent=rng.random() < 0.3,
        year=rng.choice([2023, 2024]),
    )


class _Township(NamedTuple):
    """A synthetic township written and read once: its parameters file, its workbook's bytes,
    its sheets as the loader reads them and what :func:`mutations` may change in them."""

    params: Path
    data: bytes
    sheets: dict[str, _ReadSheet]
    layout: tuple


@lru_cache(maxsize=16)
def _synthetic(town: Synth, folder: str) -> _Township:
    """Write ``town``'s workbook and parameters file under ``folder`` as
    :func:`jixiao.scale.synth.generate` writes a township's (its first, with the same draws)."""
    import yaml

    from jixiao.scale.synth import OPTIONAL_SHEETS, make_inconsistent, township_data
    from jixiao.scale.synth_vocab import township_names
    from jixiao.workbook.template import write_workbook

    ((short, full, _slug, county),) = township_names(random.Random(f"jixiao-synth-{town.seed}"), 1)
    rng = random.Random(f"jixiao-synth-{town.seed}-0")
    for _ in OPTIONAL_SHEETS:  # synth's own choice of sheets to leave out, replaced by the drawn one
        rng.random()
    omit = set(town.omitted)
    data, meta = township_data(
        rng, name=full, short=short, county=county, year=town.year, n_projects=town.projects, omit=omit
    )
    if town.inconsistent:
        make_inconsistent(rng, data, meta, omit)
    left_out = "".join("1" if s in omit else "0" for s in OPTIONAL_SHEETS)
    stem = Path(folder) / "-".join(map(str, (town.seed, town.projects, town.year, int(town.inconsistent), left_out)))
    workbook = write_workbook(stem.with_suffix(".xlsx"), data, label=f"合成数据（seed {town.seed}）：仅供测试")
    params = {
        "township": "synth",
        "year": town.year,
        "name": full,
        "workbook": str(workbook),
        "output_dir": str(Path(folder) / "reports"),
        "scoring_scheme": "national",
    }
    if "适用满分" not in data["填报数据"]:
        params["assessment"] = {
            "applicable_max": meta["applicable_max"],
            "applicable_max_source": "合成数据：各考核类别适用分值之和",
        }
    params["report"] = {"formats": ["html"]}
    path = stem.with_suffix(".yaml")
    path.write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8")
    raw = workbook.read_bytes()
    sheets = _read_sheets(raw)
    return _Township(path, raw, sheets, _layout(sheets))


def _validate_then_run(params_path: Path, workbook) -> bool:
    """What `jixiao validate` then `jixiao run` do with ``workbook`` (an opened workbook, as
    :func:`jixiao.workbook.load.read_workbook` takes it) and the parameters file ``params_path``:
    False if validate refuses it (it said what is wrong, at its cells); else every check and
    every section runs, or this fails."""
    from jixiao.analysis.checks import run_checks
    from jixiao.params import load_params
    from jixiao.report import context
    from jixiao.report.context import ReportContext
    from jixiao.workbook.load import read_workbook

    params = load_params(params_path)
    try:  # what `jixiao validate PARAMS.yaml` checks: the workbook with the parameters
        ds = read_workbook(workbook, params.workbook, year=params.year, name=params.name, name_from=params.source)
    except InputError:
        return False
    findings = run_checks(ds, params)
    assert not [f.message for f in findings if "程序错误" in f.message]
    # The notebooks open the same parameters and workbook and run the same checks: hand them
    # what was just loaded (as the kernel's cache would) instead of reading it again.
    ctx = ReportContext(params=params, ds=ds)
    ctx.shared["findings"] = findings
    real = context.load_params, context._township_context
    context.load_params, context._township_context = (lambda _path: params), (lambda _params: ctx)
    try:
        run_sections(params_path)
    finally:
        context.load_params, context._township_context = real
    return True


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same workbooks on every run: a failure is reproducible
    # no shrinking: each example runs every section (~0.2 s); the failing list of changes
    # is printed as it is, short enough to read
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(changes=mutations())
def test_a_workbook_that_validates_makes_the_report(changes, example_params):
    accepted = _validate_then_run(example_params, _Variant(changes))
    _STATS["accepted" if accepted else "refused"] += 1


@settings(
    max_examples=-(-SYNTH_EXAMPLES // VARIANTS),
    deadline=None,
    derandomize=True,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(town=synthetic_townships(), data=st.data())
def test_a_synthetic_township_that_validates_makes_the_report(town, data, synth_folder):
    """The property above, from a synthetic township instead of the example: the township as
    synth writes it, then copies of it with changes. To reproduce a failure, :func:`_synthetic`
    writes the printed township's workbook and parameters file, :func:`_apply` makes the
    printed changes to it."""
    made = _synthetic(town, str(synth_folder))
    variants = [[]] + data.draw(
        st.lists(mutations(made.layout, groups=True), min_size=VARIANTS - 1, max_size=VARIANTS - 1)
    )
    for changes in variants:
        try:
            accepted = _validate_then_run(made.params, _Variant(changes, made.sheets))
        except BaseException:
            note(f"the failing changes: {changes!r}")
            raise
        _STATS["synthetic accepted" if accepted else "synthetic refused"] += 1


@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(changes=mutations())
def test_a_variant_reads_as_its_file(changes, tmp_path_factory):
    """The property above reads each workbook as a :class:`_Variant`, not from a file: the
    loader must find the same data, or the same problems, either way."""
    _reads_as_its_file(changes, tmp_path_factory.mktemp("variant") / "generated.xlsx", 2023)


@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(town=synthetic_townships(), data=st.data())
def test_a_synthetic_variant_reads_as_its_file(town, data, synth_folder, tmp_path_factory):
    """… and so does the property on synthetic townships."""
    made = _synthetic(town, str(synth_folder))
    changes = data.draw(mutations(made.layout, groups=True), label="changes")
    path = tmp_path_factory.mktemp("variant") / "generated.xlsx"
    _reads_as_its_file(changes, path, town.year, made)


def _reads_as_its_file(changes: list[tuple], path: Path, year: int, made: _Township | None = None) -> None:
    """Assert that the loader reads the example (or the township ``made``) with ``changes``
    as a :class:`_Variant` as it reads the same changes saved to ``path``."""
    from jixiao.workbook.load import load_workbook, read_workbook

    path.write_bytes(_apply(changes, made.data if made else None))

    def outcome(read):
        try:
            ds = read()
        except InputError as exc:
            return list(exc.problems)
        return {
            "tables": {k: df.to_dict("split") for k, df in ds.tables.items()},
            "dtypes": {k: df.dtypes.astype(str).to_dict() for k, df in ds.tables.items()},
            "totals": ds.totals,
            "facts": ds.facts,
            "locations": ds.locations,
        }

    from_file = outcome(lambda: load_workbook(path, year=year))
    as_variant = outcome(lambda: read_workbook(_Variant(changes, made.sheets if made else None), path, year=year))
    assert repr(as_variant) == repr(from_file)


@pytest.fixture(autouse=True, scope="module")
def _notebooks_read_once():
    """The section notebooks are read from disk once (they are the same for every workbook)."""
    import nbformat

    real = nbformat.read
    nbformat.read = cache(real)
    yield
    nbformat.read = real


@pytest.fixture(scope="module")
def synth_folder(tmp_path_factory):
    """Where the synthetic townships' workbooks and parameters files are written."""
    return tmp_path_factory.mktemp("synthetic")


@pytest.fixture(scope="module")
def example_params(tmp_path_factory):
    """A parameters file for the example (the notebooks read it; the workbook they report on
    is the variant the test hands them)."""
    tmp = tmp_path_factory.mktemp("contract")
    path = tmp / "generated.xlsx"
    path.write_bytes(_example()[0])
    return params_for(path, tmp)


@pytest.fixture(autouse=True, scope="module")
def _charts_drawn_not_encoded():
    """Charts are built and drawn from the data as in a run, with two savings that cannot hide
    a failure, so that hundreds of workbooks run in under a minute:

    - a chart is saved as the run saves it (:func:`jixiao.report.charts.figure_to_data_uri`:
      the report's style and resolution, laid out, its text rendered, rasterised) but as raw
      pixels: the PNG encoding is the same whatever the data;
    - a chart already built and drawn from the same input is not built again: the builders
      (the functions :func:`jixiao.report.charts.styled` decorates, in the section modules)
      are pure functions of their arguments, and most variants change none of a chart's data.
    """
    import collections
    import pickle

    from jixiao.report import charts
    from jixiao.report.sections import sections

    styled_code = charts.styled(lambda: None).__code__
    built: collections.OrderedDict[bytes, object] = collections.OrderedDict()  # the last 64 charts

    def memo(build):
        def once(*args, **kwargs):
            key = pickle.dumps((build.__qualname__, args, kwargs))
            if key in built:
                built.move_to_end(key)
                return built[key]
            fig = built[key] = build(*args, **kwargs)
            _STATS["charts drawn"] += 1
            if len(built) > 64:
                built.popitem(last=False)
            return fig

        return once

    def drawn(fig, dpi=charts.DPI):
        if not getattr(fig, "_contract_drawn", False):
            with charts.style():
                fig.savefig(io.BytesIO(), format="raw", dpi=dpi, facecolor="white")
            fig._contract_drawn = True
        return "data:image/png;base64,"

    for sec in sections("township"):
        importlib.import_module(sec.qualified_module)
    patched = [(charts, "figure_to_data_uri", charts.figure_to_data_uri)]
    for mod in [m for n, m in sys.modules.items() if n.startswith("jixiao.report.sections.")]:
        for name, value in vars(mod).items():
            if getattr(value, "__code__", None) is styled_code:
                patched.append((mod, name, value))
    for mod, name, value in patched:
        setattr(mod, name, drawn if name == "figure_to_data_uri" else memo(value))
    yield
    for mod, name, value in patched:
        setattr(mod, name, value)


@pytest.mark.parametrize("source", ["", "synthetic "])
def test_the_generator_makes_workbooks_that_validate(source):
    """Enough generated workbooks must pass validate, or the properties above test little."""
    generated = _STATS[f"{source}refused"] + _STATS[f"{source}accepted"]
    if generated < 20:
        pytest.skip("the property test has not run in this session")
    assert _STATS[f"{source}accepted"] >= generated / 3, _STATS
