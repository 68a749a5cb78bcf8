"""What the tests share besides fixtures: the example's paths and builders of test workbooks.

Importable from every test folder (``pythonpath = ["tests"]`` in ``pyproject.toml``).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_XLSX = ROOT / "examples" / "dongshiduan-2023" / "dongshiduan-2023.xlsx"
EXAMPLE_PARAMS = ROOT / "params" / "dongshiduan-2023.yaml"
#: What the filed report (报送版) never says: a reviewer's words and the tool's (issue #12).
#: Section tests add the words particular to their blocks.
FILED_REPORT_BANNED = (
    "请核实",
    "核对提示",
    "疑为",
    "不一致",
    "无法复核",
    "无法计算",
    "无法校验",
    "报告填报",
    "报告所述",
    "报告原文",
    "报告未给出",
    "原文",
    "填报数",
    "计算值",
    "按上述数据计算",
    "由工作簿数据计算",
    "笔误",
    "分类错误",
    "舍入误差",
    "示例数据",
    "未提供",
    "工作簿",
    "参数文件",
    "填报数据",
    "考核得分表",
    "jixiao",
    ".yaml",
)
#: Check ids (prefixes) of the families that need an input besides the workbook — last
#: year's (crossyear) or the project forms (forms) — and say nothing without it.
OTHER_INPUTS = ("crossyear.", "forms.")
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


def section_blocks(kind: str = "township"):
    """Every block function of the report's sections, as ``(section, function)`` pairs: the
    public functions of each section module that take the context and return a Block."""
    import importlib
    import inspect

    from jixiao.report.sections import sections

    for sec in sections(kind):  # type: ignore[arg-type]
        mod = importlib.import_module(sec.qualified_module)
        for name, fn in inspect.getmembers(mod, inspect.isfunction):
            sig = inspect.signature(fn)
            if (
                fn.__module__.startswith(mod.__name__)
                and not name.startswith("_")
                and list(sig.parameters) == ["ctx"]
                and sig.return_annotation in ("Block", "'Block'")
            ):
                yield sec, fn


def run_sections(params_path, kind: str = "township") -> list[str]:
    """Execute the section notebooks of ``kind`` in this process, as a run would in its kernel
    (the ``parameters`` cell, then each cell; the value of a cell's last expression is its
    output): the HTML of every cell output, in report order — the blocks themselves, so
    their review remarks (``Block.review``) stay readable. An exception here is a section
    failure in ``jixiao run``."""
    import ast

    import nbformat

    from jixiao.report.sections import notebooks_dir, sections

    outputs: list[str] = []
    for sec in sections(kind):  # type: ignore[arg-type]
        nb = nbformat.read(str(notebooks_dir(kind) / sec.notebook), as_version=4)  # type: ignore[arg-type]
        ns: dict = {}
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            if "parameters" in cell.metadata.get("tags", []):
                exec(cell.source, ns)
                ns["params_path"] = str(params_path)
                continue
            tree = ast.parse(cell.source)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            exec(compile(tree, sec.notebook, "exec"), ns)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), sec.notebook, "eval"), ns)
                if value is not None:
                    outputs.append(value if isinstance(value, str) else str(value))
    return outputs


#: Keys of a parameters file (township or key project) that name files, resolved against it.
_PATH_KEYS = ("workbook", "output_dir", "project_forms", "survey", "previous")


def portable(params_path: Path) -> dict:
    """A parameters file's content with every relative path in it made absolute, so that a
    copy written anywhere (a test's tmp folder) reads the same inputs."""
    import yaml

    params_path = Path(params_path)
    raw = yaml.safe_load(params_path.read_text(encoding="utf-8"))

    def absolute(value):
        p = Path(value).expanduser()
        return str(p if p.is_absolute() else (params_path.parent / p).resolve())

    for key in _PATH_KEYS:
        if isinstance(raw.get(key), str):
            raw[key] = absolute(raw[key])
    for entry in raw.get("assessors") or []:
        if isinstance(entry, dict) and isinstance(entry.get("path"), str):
            entry["path"] = absolute(entry["path"])
        elif isinstance(entry, str):
            raw["assessors"][raw["assessors"].index(entry)] = absolute(entry)
    return raw


def params_for(workbook, tmp_path, **changes):
    """A copy of the example's parameters file reading ``workbook``, writing under ``tmp_path``."""
    import yaml

    raw = portable(EXAMPLE_PARAMS)
    raw.update({"workbook": str(workbook), "output_dir": str(Path(tmp_path) / "reports"), **changes})
    path = Path(tmp_path) / "params.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path
