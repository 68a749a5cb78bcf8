"""What the key-project tests share besides fixtures (those are in ``conftest.py``).

The crafted workbooks are written with the key-project template writer from data, so a
case reads as the sheet an assessor would fill in. Importable from the tests of this folder
(pytest puts the folder on ``sys.path``).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from jixiao import cli
from jixiao.keyproject import write_key_project_template

from support import ROOT

EXAMPLE_DIR = ROOT / "examples" / "nanhuqu-road-2023"
EXAMPLE_XLSX = EXAMPLE_DIR / "nanhuqu-road-2023.xlsx"
EXAMPLE_PARAMS = ROOT / "params" / "nanhuqu-road-2023.yaml"
TOWNSHIP_PARAMS = ROOT / "params" / "dongshiduan-2023.yaml"
NOTEBOOKS = ROOT / "notebooks" / "key_project"

# Columns of 评价指标 (the template writes the header in row 2, data from row 3).
COL = {"分值": "E", "计分方式": "H", "数据项": "I", "目标值": "J", "实际值": "K", "得分": "M", "扣分原因": "N"}


def run_cli(argv, capsys):
    code = cli.main([str(a) for a in argv])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


# -- a crafted project: every scoring method once ----------------------------------------


def ind(no, level1, name, weight, method="评分", **more) -> dict:
    row = {
        "序号": no,
        "一级指标": level1,
        "二级指标": more.pop("level2", None),
        "三级指标": name,
        "分值": weight,
        "计分方式": method,
    }
    row.update(more)
    return row


def good_data() -> dict:
    """A valid workbook: weights 100, 产出 35 + 效益 25 = 60 (the boundary), total 93.74."""
    return {
        "项目概况": {
            "项目名称": "测试村道路工程",
            "所属单位": "测试镇人民政府",
            "评价年度": 2024,
            "所述综合得分": 93.74,
            "所述评价等级": "优",
        },
        "资金来源": [
            {"资金来源": "省级补助", "预算金额": 80, "到位金额": 76, "实际支出": 72},
            {"资金来源": "县级配套", "预算金额": 20, "到位金额": 19, "实际支出": 18},
            {"资金来源": "合计", "预算金额": 100, "到位金额": 95, "实际支出": 90},
        ],
        "工程量": [
            {"序号": 1, "建设内容": "路面", "计量单位": "m2", "计划数量": 100, "实际完成数量": 90, "验收合格数量": 90},
            {"序号": 2, "建设内容": "路肩", "计量单位": "m2", "计划数量": 50, "实际完成数量": 60, "验收合格数量": 57},
        ],
        "满意度调查": [
            {"调查对象": "村民", "选项": "满意", "人数": 40},
            {"调查对象": "村民", "选项": "基本满意", "人数": 10},
            {"调查对象": "村民", "选项": "不满意", "人数": 0},
        ],
        "评价指标": [
            ind(1, "决策", "立项依据充分性", 10, 得分=10),
            ind(2, "决策", "绩效目标合理性", 10, 得分=8, 扣分原因="目标未细化"),
            ind(3, "过程", "资金到位率", 5, "资金到位率"),  # 95 ÷ 100 → 4.75
            ind(4, "过程", "预算执行率", 5, "预算执行率", 目标值="100%"),  # 90 ÷ 95 → 4.7368 → 4.74
            ind(5, "过程", "管理制度健全性", 10, 得分=10),
            ind(6, "产出", "实际完成率", 10, "实际完成率"),  # mean(90%, 100% capped) → 9.5
            ind(7, "产出", "质量达标率", 10, "质量达标率"),  # mean(100%, 95%) → 9.75
            ind(8, "产出", "路面完成率", 5, "实际完成率", 数据项="路面"),  # 90% → 4.5
            ind(9, "产出", "完成及时性", 5, "反向比率", 目标值=90, 实际值=100, 计量单位="天"),  # 5 × 90/100 → 4.5
            ind(10, "产出", "成本节约率", 5, "反向比率", 目标值=100, 实际值=90, 计量单位="万元"),  # under → 5
            ind(11, "效益", "受益人口", 10, "正向比率", 目标值=1000, 实际值=800, 计量单位="人"),  # 80% → 8
            ind(12, "效益", "服务对象满意度", 15, "满意度", 目标值="90%"),  # (40 + 0.6×10)/50 = 92% ≥ 90% → 15
        ],
        "存在问题": [{"序号": 1, "问题": "目标未细化"}],
        "意见建议": [{"序号": 1, "建议": "细化绩效目标", "对应问题": 1}],
    }


EXPECTED = {1: 10, 2: 8, 3: 4.75, 4: 4.74, 5: 10, 6: 9.5, 7: 9.75, 8: 4.5, 9: 4.5, 10: 5, 11: 8, 12: 15}
EXPECTED_RATES = {3: 95.0, 4: 90 / 95 * 100, 6: 95.0, 7: 97.5, 8: 90.0, 9: 100 / 90 * 100, 10: 90.0, 11: 80.0, 12: 92.0}


def write(tmp_path: Path, data: dict, name: str = "kp.xlsx") -> Path:
    return write_key_project_template(tmp_path / name, data)


def params_file(tmp_path: Path, workbook: Path, *, year=2024, name=None, out=None, **more) -> Path:
    raw = {
        "kind": "key-project",
        "township": "ceshi",
        "year": year,
        "project": "road",
        "workbook": str(workbook),
        "output_dir": str(out or tmp_path / "reports"),
        **more,
    }
    if name:
        raw["name"] = name
    p = tmp_path / "kp.yaml"
    p.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return p


def township_setup(tmp_path: Path):
    """Copies of the township and example key-project parameters in one folder, outputs in tmp."""
    folder = tmp_path / "params"
    folder.mkdir()
    out = tmp_path / "reports"
    t = yaml.safe_load(TOWNSHIP_PARAMS.read_text(encoding="utf-8"))
    t["workbook"] = str((TOWNSHIP_PARAMS.parent / t["workbook"]).resolve())
    t["output_dir"] = str(out)
    (folder / "dongshiduan-2023.yaml").write_text(yaml.safe_dump(t, allow_unicode=True), encoding="utf-8")
    k = yaml.safe_load(EXAMPLE_PARAMS.read_text(encoding="utf-8"))
    k["workbook"] = str(EXAMPLE_XLSX)
    # the example's other inputs (survey, assessors' sheets), relative to params/ as well
    if k.get("survey"):
        k["survey"] = str((EXAMPLE_PARAMS.parent / k["survey"]).resolve())
    for entry in k.get("assessors") or []:
        entry["path"] = str((EXAMPLE_PARAMS.parent / entry["path"]).resolve())
    k["output_dir"] = str(out)
    (folder / "nanhuqu-road-2023.yaml").write_text(yaml.safe_dump(k, allow_unicode=True), encoding="utf-8")
    other = dict(k, year=2022, project="other")
    (folder / "other-2022.yaml").write_text(yaml.safe_dump(other, allow_unicode=True), encoding="utf-8")
    (folder / "notes.yaml").write_text("just: notes\n", encoding="utf-8")
    from jixiao.params import load_params

    return load_params(folder / "dongshiduan-2023.yaml"), folder / "nanhuqu-road-2023.yaml"


# -- the report's sections, in this process ----------------------------------------------


def render_sections(params_path: Path) -> tuple[str, list[str]]:
    """Run the key-project notebooks' code cells here, without a kernel, as the report does
    (:func:`support.run_sections`).

    Returns the report body's HTML (each cell's displayed value, in order) and the review
    remarks the blocks carry (:attr:`jixiao.report.context.Block.review`).
    """
    from support import run_sections

    blocks = run_sections(params_path, "key-project")
    return "".join(blocks), [r for b in blocks for r in getattr(b, "review", ())]


def headings(page: str, level: int) -> list[str]:
    """The text of every ``<hN>`` of a page, in order."""
    import html as htmllib
    import re

    return [
        htmllib.unescape(re.sub(r"<[^>]+>", "", inner)).strip()
        for inner in re.findall(rf"<h{level}\b[^>]*>(.*?)</h{level}>", page, re.S)
    ]
