"""What the tests share besides fixtures: the example's paths and builders of test workbooks.

Importable from every test folder (``pythonpath = ["tests"]`` in ``pyproject.toml``).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_XLSX = ROOT / "examples" / "dongshiduan-2023" / "dongshiduan-2023.xlsx"
EXAMPLE_PARAMS = ROOT / "params" / "dongshiduan-2023.yaml"
# The seed report (a public document) as test data: what the example transcribes.
SEED = ROOT / "tests" / "data" / "seed" / "dongshiduan-2023-self-evaluation.txt"


def minimal_township(**sheets) -> dict:
    """The smallest valid workbook data (a fictitious 测试镇 2024), plus ``sheets``.

    Every required table has at least one row, as in any real township.
    """
    data = {
        "基本信息": {"单位名称": "测试镇人民政府", "年度": 2024},
        "考核得分": [{"序号": 1, "考核类别": "重大政策落实", "自评得分": 10}],
        "预算收入": [{"收入来源": "一般公共预算拨款", "金额": 100}],
        "支出功能分类": [{"功能分类编码": 201, "科目名称": "一般公共服务支出", "预算数": 100}],
        "项目": [{"序号": 1, "项目名称": "测试项目", "完成状态": "已完成"}],
    }
    data.update(sheets)
    return data


def blanked(ds):
    """A copy of ``ds`` with every cell blank (as if the report were silent on everything)."""
    import copy

    ds = copy.deepcopy(ds)
    for df in ds.tables.values():
        for c in df.columns:
            if c != "_row":
                df[c] = None
    for t in ds.totals.values():
        for c in t:
            if c != "_row":
                t[c] = None
    for facts in ds.facts.values():
        for k in facts:
            facts[k] = None
    return ds


def emptied(ds):
    """A copy of ``ds`` with no detail rows, no stated totals and no facts."""
    import copy

    ds = copy.deepcopy(ds)
    ds.tables = {k: df.iloc[0:0].copy() for k, df in ds.tables.items()}
    ds.totals = {}
    for facts in ds.facts.values():
        for k in facts:
            facts[k] = None
    return ds
