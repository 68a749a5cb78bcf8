"""Write the key-project example's illustrative survey export and assessors' sheets (示例数据).

examples/nanhuqu-road-2023/ gains, for the 重点评价 of 东史端镇南胡渠村道路改造工程:

- ``示例数据-满意度调查.xlsx`` — a respondent-level questionnaire export as 问卷星 writes it
  (序号, 提交答卷时间, 所用时间, 来源, 来源详情, 来自IP, then one column per question headed
  ``1、…``): 320 respondents, five satisfaction questions (one a 1–5 量表题 exported as
  numbers), a free-text 意见建议 column, a few skipped questions and two answers that are
  not options. Drawn from a seeded RNG with the distribution :data:`ANSWER_P`.
- ``示例数据-评价人员甲.xlsx``, ``示例数据-评价人员乙.xlsx`` — two assessors' score sheets for
  the example's indicators (``transcription/indicators.yaml``): for each indicator scored
  评分 (服务对象满意度 is scored from the survey: listed without a score), 甲 gives the workbook's score − d and 乙 its score + d (:data:`SPREAD`), so their mean
  is the workbook's score and the report's 97.9 is unchanged; 绩效指标明确性 differs by half
  its points, so the review shows the spread finding.

None of it is real: the seed report has no survey and no assessor-level scores. Every file
says 示例数据 in its name, its sheet name and a note row; so does the example's README.
The files are reproducible byte for byte (seeded RNG, fixed timestamps in the package).

Run from the repository root: ``.venv/bin/python scripts/make_example_survey.py``.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sys
import zipfile
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "examples" / "nanhuqu-road-2023"
INDICATORS = FOLDER / "transcription" / "indicators.yaml"
SURVEY = FOLDER / "示例数据-满意度调查.xlsx"
ASSESSORS = {"评价人员甲": FOLDER / "示例数据-评价人员甲.xlsx", "评价人员乙": FOLDER / "示例数据-评价人员乙.xlsx"}

SEED = 20231106
RESPONDENTS = 320
#: When the illustrative survey took place (the answers' submission times lie in it).
START = dt.datetime(2023, 11, 6, 8, 30)
DAYS = 5
FIXED_TIME = (2023, 11, 20, 0, 0, 0)  # every zip member's timestamp and the file's modified date

SURVEY_NOTE = (
    "示例数据：本问卷导出文件为演示用的示例数据，由 scripts/make_example_survey.py 以固定随机种子生成，"
    "不是南胡渠村道路改造工程的实际调查结果（原报告未提供满意度调查）。"
)
ASSESSOR_NOTE = (
    "注：本评分表为示例数据，由 scripts/make_example_survey.py 按“评价指标”表的示例得分生成"
    "（两位评价人员评分的平均值等于该表得分），不是原评价的实际评分。"
)

#: The questions, as 问卷星 heads them; the fourth is a 量表题 exported as 1–5.
QUESTIONS = (
    "1、您对道路改造后路面的平整、坚固程度是否满意",
    "2、您对道路改造后出行的便利程度是否满意",
    "3、您对施工期间的组织管理（围挡、噪声、扬尘、交通疏导）是否满意",
    "4、请为道路排水及路肩等附属设施打分（1～5分，5分为非常满意）",
    "5、总体而言，您对本项目是否满意",
)
FREE_TEXT = "6、您对本项目还有什么意见和建议"
#: The answer distribution of each question (best first).
ANSWER_P = {"非常满意": 0.56, "满意": 0.29, "基本满意": 0.09, "一般": 0.04, "不满意": 0.015, "非常不满意": 0.005}
NUMERIC = {"非常满意": 5, "满意": 4, "基本满意": 4, "一般": 3, "不满意": 2, "非常不满意": 1}
SKIP_P = 0.01  # a question left unanswered (问卷星 writes "(跳过)")
#: Two answers that are not options (a respondent typed them into an 其他 field): row, question, text.
STRAY = ((37, 2, "说不清"), (208, 0, "还行吧"))
COMMENTS = (
    "希望加装路灯",
    "建议在村口增设减速带",
    "路面很好，感谢政府",
    "排水沟有的地方不通畅",
    "希望后期加强养护",
    "道路两侧可以种些树",
)
SOURCES = (("手机提交", "微信"), ("手机提交", "直接访问"), ("链接", "直接访问"))

#: 评价人员甲 gives the workbook's score − d, 评价人员乙 the score + d (by indicator name).
SPREAD = {"绩效指标明确性": 0.5, "制度执行有效性": 0.2, "可持续影响": 0.5}


def _answers(rng: random.Random) -> list[str]:
    options, weights = zip(*ANSWER_P.items())
    return rng.choices(options, weights=weights, k=RESPONDENTS)


def _ip(rng: random.Random) -> str:
    """An address of the documentation ranges (RFC 5737): never a real respondent's."""
    net = rng.choice(("192.0.2", "198.51.100", "203.0.113"))
    return f"{net}.{rng.randint(1, 254)}(河北-保定)"


def survey_rows(seed: int = SEED) -> list[list]:
    rng = random.Random(seed)
    columns = [_answers(rng) for _ in QUESTIONS]
    rows = []
    t = START
    for i in range(RESPONDENTS):
        t += dt.timedelta(seconds=rng.randint(60, DAYS * 24 * 3600 // RESPONDENTS * 2 - 60))
        source, detail = rng.choice(SOURCES)
        row: list = [i + 1, t.strftime("%Y/%m/%d %H:%M:%S"), f"{rng.randint(40, 400)}秒", source, detail, _ip(rng)]
        for q, col in enumerate(columns):
            a = col[i]
            if rng.random() < SKIP_P:
                row.append("(跳过)")
            elif q == 3:
                row.append(NUMERIC[a])
            else:
                row.append(a)
        row.append(rng.choice(COMMENTS) if rng.random() < 0.08 else "(跳过)")
        rows.append(row)
    for r, q, stray in STRAY:
        rows[r - 1][6 + q] = stray
    return rows


def _reproducible(path: Path) -> None:
    """Fixed timestamps in the package (zip members, docProps modified) so reruns are identical."""
    with zipfile.ZipFile(path) as zf:
        members = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*FIXED_TIME)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            if name == "docProps/core.xml":
                text = re.sub(
                    r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rf"\g<1>{stamp}\g<2>", data.decode()
                )
                data = text.encode()
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)


def write_survey(path: Path = SURVEY) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "示例数据-答卷"
    ws.append([SURVEY_NOTE])
    ws["A1"].font = Font(bold=True, color="C00000")
    ws.append(["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", *QUESTIONS, FREE_TEXT])
    for row in survey_rows():
        ws.append(row)
    wb.save(path)
    _reproducible(path)
    return path


def assessor_scores(indicators: list[dict]) -> dict[str, list[tuple[dict, float | None, str | None]]]:
    """Each assessor's (indicator, score, reason); the two scores' mean is the workbook's.

    An indicator scored from data is listed with no score (the data score it).
    """
    out: dict[str, list[tuple[dict, float | None, str | None]]] = {name: [] for name in ASSESSORS}
    for ind in indicators:
        if ind.get("计分方式", "评分") != "评分":
            # scored from data (服务对象满意度 from the survey): listed, not scored by assessors
            for name in ASSESSORS:
                out[name].append((ind, None, None))
            continue
        w, s = float(ind["分值"]), float(ind["得分"])
        d = SPREAD.get(ind["三级指标"], 0.0)
        for name, sign in zip(ASSESSORS, (-1, 1)):
            score = round(s + sign * d, 4)
            if not 0 <= score <= w:
                sys.exit(f"{ind['三级指标']}：{name}的示例得分 {score} 超出 0～{w}，请调整 SPREAD")
            reason = None
            if score < w:
                base = ind.get("扣分原因") or "（示例）部分资料不够完整"
                deducted = f"{w - score:g}"
                reason = re.sub(r"扣[\d.]+分", f"扣{deducted}分", base) if "扣" in base else f"{base}，扣{deducted}分。"
            out[name].append((ind, score, reason))
    return out


def write_assessors() -> list[Path]:
    rows = yaml.safe_load(INDICATORS.read_text(encoding="utf-8"))["评价指标"]
    indicators = [r for r in rows if r.get("序号") is not None]  # not the 合计 row
    written = []
    for name, rows in assessor_scores(indicators).items():
        wb = Workbook()
        ws = wb.active
        ws.title = "示例数据-评分"
        ws.append([f"{name}评分表（示例数据）：东史端镇南胡渠村道路改造工程绩效评价"])
        ws["A1"].font = Font(bold=True, color="C00000")
        ws.append(["序号", "一级指标", "二级指标", "三级指标", "分值", "得分", "扣分理由"])
        for ind, score, reason in rows:
            ws.append([ind["序号"], ind["一级指标"], ind.get("二级指标"), ind["三级指标"], ind["分值"], score, reason])
        ws.append([])
        ws.append([ASSESSOR_NOTE])
        ws.cell(ws.max_row, 1).font = Font(color="C00000")
        for col, width in zip("ABCDEFG", (6, 8, 12, 18, 6, 6, 60)):
            ws.column_dimensions[col].width = width
        path = ASSESSORS[name]
        wb.save(path)
        _reproducible(path)
        written.append(path)
    return written


def main() -> None:
    for path in (write_survey(), *write_assessors()):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
