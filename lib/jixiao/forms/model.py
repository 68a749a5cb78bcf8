"""What one official 项目支出绩效自评表 holds, as read from (or written to) its sheet.

The form is the national one (财预〔2020〕10号, 附件); provinces keep its layout and change
the weights. Every figure keeps the cell it came from (``cells``: field → ``"D7"``), so a
check can name it; amounts are in 万元 (a form stated in 元 is converted by the reader, and
``amount_unit`` says what the form said).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: The funding rows, in the form's order: key → the label's words (without “其中：”).
FUND_ROWS: dict[str, str] = {
    "total": "年度资金总额",
    "fiscal": "本年财政拨款",
    "carryover": "上年结转资金",
    "other": "其他资金",
}
#: The funding columns: key → header words.
FUND_COLUMNS: dict[str, str] = {
    "initial": "年初预算数",
    "budget": "全年预算数",
    "executed": "全年执行数",
}


@dataclass
class FundRow:
    """One row of the 项目资金 block (年度资金总额 or one of its 其中 rows).

    ``points``, ``rate`` and ``score`` (分值, 执行率 in percentage points, 得分) are stated
    on the 年度资金总额 row only; ``None`` when blank.
    """

    key: str
    label: str
    initial: float | None = None
    budget: float | None = None
    executed: float | None = None
    points: float | None = None
    rate: float | None = None
    score: float | None = None
    row: int | None = None
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class FormIndicator:
    """One 三级指标 row of the 绩效指标 block.

    ``target`` and ``actual`` are the texts as written (“≥30个”, “3日内”, “达成预期指标”);
    ``level1_points`` is the points in the 一级指标 label (“产出指标（50分）” → 50), ``None``
    when the label states none.
    """

    level1: str
    level2: str
    name: str
    target: str | None
    actual: str | None
    points: float | None
    score: float | None
    note: str | None = None
    level1_points: float | None = None
    row: int | None = None
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class ProjectForm:
    """One filled 项目支出绩效自评表.

    Attributes
    ----------
    path : Path or None
        The file it was read from (``None`` for a form built in memory).
    sheet : str
        The sheet's name.
    project : str
        项目名称.
    year : int or None
        The year in the title (“（2023年度）”).
    department, implementer : str or None
        主管部门, 实施单位.
    funds : dict of str to FundRow
        By :data:`FUND_ROWS` key; a row the form leaves out is absent.
    goal_expected, goal_actual : str or None
        年度总体目标: 预期目标 and 实际完成情况, as written.
    indicators : list of FormIndicator
    total_score : float or None
        The stated 总分.
    amount_unit : str
        “万元” or “元”, as the form states its amounts (figures here are in 万元).
    sample : str or None
        The form's 示例数据 note, when it has one.
    cells : dict of str to str
        Where the form's single fields are (``project``, ``total_score``, ``goal_expected`` …).
    title : str or None
        The title as written (“项目支出绩效自评表”).
    total_points : float or None
        The 分值 stated on the 总分 row (100 on the national form).
    """

    path: Path | None
    sheet: str
    project: str
    year: int | None = None
    department: str | None = None
    implementer: str | None = None
    funds: dict[str, FundRow] = field(default_factory=dict)
    goal_expected: str | None = None
    goal_actual: str | None = None
    indicators: list[FormIndicator] = field(default_factory=list)
    total_score: float | None = None
    amount_unit: str = "万元"
    #: A note on the form saying its figures are illustrative (“示例数据：……”): printed with
    #: the form wherever it is shown, so that made-up figures never pass for a unit's.
    sample: str | None = None
    cells: dict[str, str] = field(default_factory=dict)
    title: str | None = None
    total_points: float | None = None

    @property
    def amount_digits(self) -> int:
        """Decimals the amounts were written to, in 万元: 2 for a form in 万元, 6 for one in
        元 (0.01 元 = 0.000001 万元), so tolerances follow the form's own rounding."""
        return 6 if self.amount_unit == "元" else 2

    def where(self, cell: str | None) -> str:
        """``file!cell`` as findings and errors name it (``道路.xlsx 自评表!D7``)."""
        name = self.path.name if self.path else "（表单）"
        return f"{name} {self.sheet}!{cell}" if cell else f"{name} {self.sheet}"
