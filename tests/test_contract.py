"""validate ⇒ run (#13), as a property: whatever workbook `jixiao validate` accepts, every
section of `jixiao run` renders (in process, as the kernel would run the notebooks) and no
check fails internally.

Workbooks are generated from the bundled example by hypothesis: cells blanked or set to
values at the edges of what the loader accepts for their column (0, tiny, huge, "1,234.50",
"２万元", percentages over 100, dates in other notations, markup and template syntax in text),
now and then a value of the wrong kind, data rows deleted, whole blocks emptied. A generated
workbook the loader refuses is fine (validate said what is wrong, at its cell); one it
accepts must make the report.
"""

from __future__ import annotations

import io
import os
from functools import cache

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook as open_xlsx

from jixiao.exceptions import InputError

from support import EXAMPLE_XLSX, params_for, run_sections

pytestmark = pytest.mark.slow

#: Generated workbooks per run (about 3 minutes); JIXIAO_CONTRACT_EXAMPLES sets another number.
EXAMPLES = int(os.environ.get("JIXIAO_CONTRACT_EXAMPLES", "300"))
#: How many generated workbooks validate refused and accepted in this session.
_STATS = {"refused": 0, "accepted": 0}

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
    or key the cell holds) and its data rows ``(sheet, row)``."""
    from jixiao.workbook.spec import workbook_spec

    data = EXAMPLE_XLSX.read_bytes()
    wb = open_xlsx(io.BytesIO(data))
    specs = {s.name: s for s in workbook_spec().sheets}
    cells, rows = [], []
    for ws in wb.worksheets:
        sheet = specs.get(ws.title)
        if sheet is None:
            continue
        headers = [c.value for c in ws[2]]
        for row in ws.iter_rows(min_row=3):
            if any(c.value is not None for c in row):
                rows.append((ws.title, row[0].row))
            for c in row:
                if c.value is None:
                    continue
                if sheet.kind == "kv":
                    field = next((k for k in sheet.keys if k.key == row[0].value), None) if c.column == 2 else None
                else:
                    head = headers[c.column - 1] if c.column <= len(headers) else None
                    field = next((col for col in sheet.columns if col.header == head), None)
                if field is not None:
                    cells.append((ws.title, c.row, c.column, field))
    return data, tuple(cells), tuple(rows)


@st.composite
def mutations(draw) -> list[tuple]:
    """What to change in the example, as a readable list (hypothesis prints it on failure):
    ``("set", sheet, row, column, value)``, ``("delete", sheet, row)``, ``("empty", sheet)``."""
    _, cells, rows = _example()
    out: list[tuple] = []
    for sheet, r, c, field in draw(st.lists(st.sampled_from(cells), max_size=10, unique=True)):
        out.append(("set", sheet, r, c, draw(_value_for(field))))
    # rows of sheets nothing refers to (a deleted project would orphan its indicators: refused)
    free = [(s, r) for s, r in rows if s in EMPTIABLE]
    for sheet, r in sorted(draw(st.lists(st.sampled_from(free), max_size=3, unique=True)), reverse=True):
        out.append(("delete", sheet, r))
    out += [("empty", sheet) for sheet in draw(st.lists(st.sampled_from(sorted(EMPTIABLE)), max_size=2, unique=True))]
    return out


def _apply(changes: list[tuple]) -> bytes:
    wb = open_xlsx(io.BytesIO(_example()[0]))
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


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same workbooks on every run: a failure is reproducible
    # no shrinking: each example runs every section (~0.5 s); the failing list of changes
    # is printed as it is, short enough to read
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(changes=mutations())
def test_a_workbook_that_validates_makes_the_report(changes, tmp_path_factory):
    from jixiao.analysis.checks import run_checks
    from jixiao.params import load_params
    from jixiao.report import context
    from jixiao.report.context import ReportContext
    from jixiao.workbook.load import load_workbook

    tmp = tmp_path_factory.mktemp("contract")
    path = tmp / "generated.xlsx"
    path.write_bytes(_apply(changes))
    params_path = params_for(path, tmp)
    params = load_params(params_path)
    try:  # what `jixiao validate PARAMS.yaml` checks: the workbook with the parameters
        ds = load_workbook(params.workbook, year=params.year, name=params.name, name_from=params.source)
    except InputError:
        _STATS["refused"] += 1
        return  # validate refused it, at its cells: nothing to run
    _STATS["accepted"] += 1
    findings = run_checks(ds, params)
    assert not [f.message for f in findings if "程序错误" in f.message]
    # The notebooks open the same workbook and run the same checks: hand them what was just
    # loaded (as the kernel's cache would) instead of reading it again.
    ctx = ReportContext(params=params, ds=ds)
    ctx.shared["findings"] = findings
    real, context._township_context = context._township_context, lambda _params: ctx
    try:
        run_sections(params_path)
    finally:
        context._township_context = real


@pytest.fixture(autouse=True, scope="module")
def _charts_drawn_not_encoded():
    """Charts are built and laid out from the data as in a run; only the PNG encoding (the same
    whatever the data, and most of a section's time) is skipped, so that hundreds of workbooks
    run in minutes."""
    import matplotlib.pyplot as plt

    from jixiao.report import charts

    real = charts.figure_to_data_uri

    def drawn(fig, *args, **kwargs):
        fig.canvas.draw()  # layout and text rendering: what fails on odd data fails here
        plt.close(fig)
        return "data:image/png;base64,"

    charts.figure_to_data_uri = drawn
    yield
    charts.figure_to_data_uri = real


def test_the_generator_makes_workbooks_that_validate():
    """Enough generated workbooks must pass validate, or the property above tests little."""
    if sum(_STATS.values()) < 20:
        pytest.skip("the property test has not run in this session")
    assert _STATS["accepted"] >= sum(_STATS.values()) / 3, _STATS
