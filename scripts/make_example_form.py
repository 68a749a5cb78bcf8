"""Write the bundled example's filled 项目支出绩效自评表 (examples/dongshiduan-2023/forms/).

One project of the seed report, 序号 25 “2022年度绿化占地土地流转金”, in the official
layout, written by jixiao's own writer (:func:`jixiao.forms.write.write_form_workbook`).

What the seed report gives is used as given (its 三、 table, and the transcription in
examples/dongshiduan-2023/transcription/projects.yaml): the project's name, the 527.35 万元
stated in its 绩效目标 and 实现情况 (全年预算数 and 全年执行数), the two texts (预期目标 and
实际完成情况) and the indicator 绿化占地补偿金 =527.35万元. Everything else is 示例数据,
listed in :data:`SAMPLE_NOTE` (printed on the sheet) and in the example's README: the
report states no 年初预算数, no funding source, no other indicator, no points or scores.
The scores are computed with the national scheme, so the form is consistent (its stated
scores are the ones jixiao computes).

Run from the repository root: ``.venv/bin/python scripts/make_example_form.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from jixiao.analysis.scoring import load_scheme, score_execution, score_indicator
from jixiao.forms.model import FUND_ROWS, FormIndicator, FundRow, ProjectForm
from jixiao.forms.write import write_form_workbook
from jixiao.rounding import round_half_up

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "examples" / "dongshiduan-2023" / "forms" / "project-25.xlsx"

UNIT = "保定市徐水区东史端镇人民政府"  # the seed's unit (its first line)
PROJECT = "2022年度绿化占地土地流转金"  # 三、 table, 序号 25
GOAL = "减少地下水开采，保护两侧生态环境；该绿化占地补偿金527.35万元；完成植树造林绿化占地流转金补助支付工作。"
RESULT = (
    "减少了地下水开采，保护了两侧生态环境；支付绿化占地补偿金527.35万元；完成了植树造林绿化占地流转金补助支付工作。"
)
AMOUNT = 527.35  # 绩效目标 “该绿化占地补偿金527.35万元”; 实现情况 “支付绿化占地补偿金527.35万元”

SAMPLE_NOTE = (
    "示例数据：报告只给出项目名称、预期目标、实际完成情况、全年预算数和全年执行数（527.35万元）"
    "及成本指标“绿化占地补偿金”；主管部门和实施单位按报告单位填写，年初预算数、资金来源（本年财政拨款）、"
    "其余各项指标及其指标值和实际完成值、各项分值和得分均为示例，报告未提供。"
)

#: (一级指标, 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, the grade scored for a
#: qualitative actual, 偏差原因分析及改进措施). Only 绿化占地补偿金 is the seed's.
INDICATORS = (
    ("产出指标", "数量指标", "补助支付工作完成率", "=100%", "100%", 10, None, None),
    ("产出指标", "时效指标", "补助资金支付及时性", "及时", "及时", 10, "达成", None),
    ("产出指标", "成本指标", "绿化占地补偿金", "=527.35万元", "527.35万元", 30, None, None),
    ("效益指标", "生态效益指标", "保护两侧生态环境", "效果明显", "达成预期指标", 30, "达成", None),
    (
        "满意度指标",
        "服务对象满意度指标",
        "占地农户满意度",
        "≥95%",
        "93%",
        10,
        None,
        "少数农户对流转金标准有不同意见；下一步加强政策宣传和解释工作（示例）",
    ),
)


def example_form() -> ProjectForm:
    """The example's form, scored with the national scheme (stated = computed)."""
    scheme = load_scheme("national")
    ex = score_execution(AMOUNT, AMOUNT, scheme=scheme)
    funds = {
        "total": FundRow(
            key="total",
            label=FUND_ROWS["total"],
            initial=AMOUNT,
            budget=AMOUNT,
            executed=AMOUNT,
            points=ex.points,
            rate=round_half_up(ex.rate),
            score=round_half_up(ex.score),
        ),
        "fiscal": FundRow(key="fiscal", label=FUND_ROWS["fiscal"], initial=AMOUNT, budget=AMOUNT, executed=AMOUNT),
    }
    level_points: dict[str, float] = {}
    for level1, *_, points, _grade, _note in INDICATORS:
        level_points[level1] = level_points.get(level1, 0) + points
    indicators = []
    for level1, level2, name, target, actual, points, grade, note in INDICATORS:
        result = score_indicator(target, grade or actual, points, scheme)
        indicators.append(
            FormIndicator(
                level1=level1,
                level2=level2,
                name=name,
                target=target,
                actual=actual,
                points=points,
                score=round_half_up(result.score),
                note=note,
                level1_points=level_points[level1],
            )
        )
    assert ex.score is not None
    total = ex.score + sum(i.score or 0 for i in indicators)
    return ProjectForm(
        path=None,
        sheet=PROJECT,
        project=PROJECT,
        year=2023,
        department=UNIT,
        implementer=UNIT,
        funds=funds,
        goal_expected=GOAL,
        goal_actual=RESULT,
        indicators=indicators,
        total_score=round_half_up(total),
    )


def main(out: Path = OUT) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    return write_form_workbook(out, [example_form()], label=SAMPLE_NOTE)


if __name__ == "__main__":
    path = main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
