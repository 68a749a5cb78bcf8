"""A form's scores recomputed under a scheme: execution rate, every indicator, the total.

The rules are the scoring engine's (:mod:`jixiao.analysis.scoring.rules`): the execution
score is points × 全年执行数 ÷ 全年预算数, at most the points; an indicator scores by its
target's comparator (≥, ≤, =) or, for a 定性 target, by the grade of its actual in the
scheme's band. What this module adds is reading a form's actuals as people write them:

- a qualitative actual in the form's words (“达成预期指标”, “效果明显”, “有效改善”,
  “基本达成”) is graded through ``grades`` in ``config/forms.yaml`` (then through the
  engine's own grade words); an actual that repeats its qualitative target word for word
  takes ``same_as_target`` (达成). The original words are kept;
- a numeric actual with a qualifier (“3日内”, “≥96%”, “95%以上”) is read as its number,
  with its unit (“148.6万元”, “3日”, ``unit_synonyms`` making 天 and 日 one unit);
- a quantitative target with a qualitative actual (“≥30个” / “达成预期指标”) is graded as
  定性, and the result says so.

Each indicator is scored with the points the form gives it (so its stated 得分 can be
checked on its own); the total uses the scheme's weights: each scheme level's computed
score is scaled from the points the form gives the level to the scheme's weight. A scheme
level without indicators follows the scheme's ``absent_levels``: ``redistribute`` (its
points go to the levels present, in proportion) or ``forfeit`` (lost); the score says
which was applied (:attr:`FormScore.absent_rule`).

A qualitative grade is a band of the points (达成 100 %–80 % nationally): the scheme's
``position`` picks the computed score, and any stated score inside the band is within the
scheme (:attr:`IndicatorResult.low` / ``high``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from jixiao.analysis.scoring.rules import canonical_grade, is_missing, score_execution, score_indicator
from jixiao.analysis.scoring.scheme import EXECUTION, Scheme, ScoringError, grade, load_scheme
from jixiao.analysis.scoring.targets import QUALITATIVE, Target, TargetParseError, parse_target
from jixiao.forms.model import FormIndicator, ProjectForm
from jixiao.forms.read import FormsConfig, _label, forms_config
from jixiao.rounding import ratio_interval
from jixiao.values import plain


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator of a form, scored.

    Attributes
    ----------
    indicator : FormIndicator
    level : str or None
        The scheme level it counts towards (``None`` when its 一级指标 is not in the scheme).
    points, stated : float or None
        分值 and 得分 as the form states them.
    computed : float or None
        The score of its target and actual with its stated points; ``None`` when it cannot
        be scored (``problem`` says why).
    low, high : float or None
        The scores the scheme allows: the grade's band for a qualitative result, the
        computed score for a quantitative one.
    grade : str or None
        达成 / 部分达成 / 未达成 for a qualitative result.
    reading : str
        How the actual was read, in Chinese (“3日内”按3日计 …); ``""`` when as written.
    rule : str
        The scoring rule applied.
    problem : str or None
        Why it could not be scored.
    """

    indicator: FormIndicator
    level: str | None
    points: float | None
    stated: float | None
    computed: float | None
    low: float | None = None
    high: float | None = None
    grade: str | None = None
    reading: str = ""
    rule: str = ""
    problem: str | None = None

    @property
    def name(self) -> str:
        return self.indicator.name


@dataclass(frozen=True)
class FormScore:
    """A form's stated scores and the scheme's.

    Attributes
    ----------
    form : ProjectForm
    scheme : Scheme
    rate_stated, rate_computed : float or None
        执行率 in percentage points: as stated, and 全年执行数 ÷ 全年预算数 of the total row.
    execution_points : float or None
        The 分值 of the execution rate the form states (the scheme's when blank).
    execution_stated, execution_computed : float or None
        The execution 得分: as stated, and by the scheme's rule with ``execution_points``.
    execution_low, execution_high : float or None
        The computed score's range when the amounts were rounded as printed.
    indicators : tuple of IndicatorResult
    absent_levels : tuple of str
        Scheme levels with no indicator on the form.
    absent_rule : str or None
        ``redistribute`` or ``forfeit`` (the scheme's ``absent_levels``) when a level is
        absent, else ``None``.
    level_points : dict of str to float
        Points the form gives each scheme level (Σ 分值 of its indicators).
    level_targets : dict of str to float
        The points each present level carries in the total under the scheme (its weight,
        plus a share of the absent levels' under ``redistribute``).
    total_stated, total_computed : float or None
        总分 as stated, and execution (scheme points) + Σ level scores scaled to
        ``level_targets``; ``None`` when something cannot be scored.
    total_low, total_high : float or None
        The range the scheme allows (qualitative bands, rounding of the amounts).
    grade : str or None
        The scheme's grade of ``total_computed``.
    notes : tuple of str
        Chinese notes: absent levels, weights that differ from the scheme.
    """

    form: ProjectForm
    scheme: Scheme
    rate_stated: float | None
    rate_computed: float | None
    execution_points: float | None
    execution_stated: float | None
    execution_computed: float | None
    execution_low: float | None
    execution_high: float | None
    indicators: tuple[IndicatorResult, ...]
    absent_levels: tuple[str, ...] = ()
    absent_rule: str | None = None
    level_points: dict[str, float] = field(default_factory=dict)
    level_targets: dict[str, float] = field(default_factory=dict)
    total_stated: float | None = None
    total_computed: float | None = None
    total_low: float | None = None
    total_high: float | None = None
    grade: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def weights_differ(self) -> bool:
        """The form gives its levels (or the execution rate) other points than the scheme
        (after the absent-level rule): the computed total rescales them."""
        if self.execution_points is not None and not math.isclose(
            self.execution_points, self.scheme.execution_points, abs_tol=1e-9
        ):
            return True
        return any(
            not math.isclose(self.level_points.get(lv, 0.0), t, abs_tol=1e-6) for lv, t in self.level_targets.items()
        )


# --------------------------------------------------------------------------- actuals


def grade_of(actual: str, target: str | None = None, cfg: FormsConfig | None = None) -> str | None:
    """The grade (达成 / 部分达成 / 未达成) of a qualitative actual, or ``None``.

    ``config/forms.yaml`` ``grades`` first (exact words, folded), then an actual repeating
    its qualitative target (``same_as_target``), then the scoring rules' grade words.
    """
    cfg = cfg or forms_config()
    key = _label(actual).rstrip("。.")
    found = cfg.grade_words.get(key)
    if found is not None:
        return found
    if target is not None and cfg.same_as_target and key == _label(target).rstrip("。."):
        return cfg.same_as_target
    try:
        return canonical_grade(actual)
    except ScoringError:
        return None


def _same_unit(u: str, cfg: FormsConfig) -> str:
    return cfg.unit_synonyms.get(u, u)


def score_form_indicator(ind: FormIndicator, scheme: Scheme, cfg: FormsConfig | None = None) -> IndicatorResult:
    """Score one indicator of a form with its stated points (see the module's rules)."""
    cfg = cfg or forms_config()
    try:
        level: str | None = scheme.level_of(ind.level1)
    except ScoringError:
        level = None

    def unscorable(why: str, reading: str = "") -> IndicatorResult:
        return IndicatorResult(ind, level, ind.points, ind.score, None, reading=reading, problem=why)

    if level is None:
        known = "、".join([*scheme.levels, *scheme.level_aliases])
        return unscorable(f"一级指标“{ind.level1}”不在评分方案“{scheme.name}”中（可用：{known}）")
    if ind.points is None:
        return unscorable("分值未填写")
    if ind.target is None:
        return unscorable("年度指标值未填写")
    try:
        t = parse_target(ind.target)
    except TargetParseError as exc:
        return unscorable(f"年度指标值无法识别：{exc.reason}")
    actual = ind.actual
    if is_missing(actual):
        res = score_indicator(t, None, ind.points, scheme)
        return IndicatorResult(
            ind,
            level,
            ind.points,
            ind.score,
            res.score,
            res.score,
            res.score,
            rule=res.rule,
            reading="实际完成值未填写",
        )
    assert actual is not None
    reading = ""
    if t.is_qualitative:
        g = grade_of(actual, ind.target, cfg)
        if g is None:
            return unscorable(f"定性指标的实际完成值“{actual}”无法对应到 达成、部分达成 或 未达成")
        if g != actual.strip():
            reading = f"“{actual}”按“{g}”计"
        return _qualitative(ind, level, t, g, scheme, reading)
    # a number, possibly with a unit and a qualifier (3日内, ≥96%, 95%以上)
    try:
        a = parse_target(actual)
    except TargetParseError as exc:
        return unscorable(f"实际完成值“{actual}”无法识别：{exc.reason}")
    if a.is_qualitative:
        g = grade_of(actual, None, cfg)
        if g is None:
            return unscorable(f"年度指标值为“{t.text}”，实际完成值“{actual}”既不是数字也不是 达成、部分达成 或 未达成")
        reading = f"实际完成值为定性表述，“{actual}”按“{g}”以定性规则计分"
        return _qualitative(ind, level, replace(t, comparator=QUALITATIVE, value=None), g, scheme, reading)
    assert a.value is not None
    tu, au = _same_unit(t.unit, cfg), _same_unit(a.unit, cfg)
    if tu and au and tu != au:
        return unscorable(f"实际完成值“{actual}”的单位与年度指标值“{t.text}”的单位不一致")
    if a.comparator != "=" or _label(actual) != _label(plain(a.value, 6) + a.unit):
        reading = f"“{actual}”按{plain(a.value, 6)}{a.unit}计"
    try:
        res = score_indicator(replace(t, unit=tu), a.value, ind.points, scheme)
    except (ScoringError, TargetParseError) as exc:
        return unscorable(str(exc), reading)
    return IndicatorResult(
        ind, level, ind.points, ind.score, res.score, res.score, res.score, reading=reading, rule=res.rule
    )


def _qualitative(ind: FormIndicator, level: str, t: Target, g: str, scheme: Scheme, reading: str) -> IndicatorResult:
    assert ind.points is not None
    res = score_indicator(t, g, ind.points, scheme)
    high, low = scheme.qualitative.bands[g]  # type: ignore[index]  # g is one of GRADES
    return IndicatorResult(
        ind,
        level,
        ind.points,
        ind.score,
        res.score,
        ind.points * low,
        ind.points * high,
        grade=g,
        reading=reading,
        rule=res.rule,
    )


# --------------------------------------------------------------------------- the form


def score_form(form: ProjectForm, scheme: Scheme | str = "national") -> FormScore:
    """The form's scores recomputed under ``scheme``.

    Parameters
    ----------
    form : ProjectForm
    scheme : Scheme or str
        A loaded scheme, a shipped scheme's name or a scheme file's path.

    Returns
    -------
    FormScore
    """
    scheme = load_scheme(scheme)
    cfg = forms_config()
    total = form.funds.get("total")
    budget = total.budget if total else None
    executed = total.executed if total else None
    points = total.points if total and total.points is not None else None
    rate = None if not budget or executed is None else executed / budget * 100
    ex_points = points if points is not None else scheme.execution_points
    ex = score_execution(budget, executed, ex_points, scheme)
    ex_lo = ex_hi = None
    ex_scheme = None  # the execution score with the scheme's points, for the total
    if ex.score is not None and budget and executed is not None:
        lo, hi = ratio_interval(executed, budget, form.amount_digits)
        ex_lo, ex_hi = ex_points * _clamp(lo), ex_points * _clamp(hi)
        ex_scheme = score_execution(budget, executed, scheme.execution_points, scheme).score

    results = tuple(score_form_indicator(i, scheme, cfg) for i in form.indicators)
    level_points: dict[str, float] = {}
    for r in results:
        if r.level is not None and r.points is not None:
            level_points[r.level] = level_points.get(r.level, 0.0) + r.points
    present = [lv for lv in scheme.levels if any(r.level == lv for r in results)]
    absent = tuple(lv for lv, w in scheme.levels.items() if lv not in present and w > 0)
    targets = {lv: scheme.levels[lv] for lv in present}
    notes: list[str] = []
    rule = None
    if absent and present:
        rule = scheme.absent_levels
        pool = sum(scheme.levels[lv] for lv in absent)
        names = "、".join(absent)
        base = sum(targets.values())
        if rule == "redistribute" and base > 0:
            for lv in present:
                targets[lv] += pool * scheme.levels[lv] / base
            notes.append(
                f"{names}无指标：按评分方案（absent_levels: redistribute），其{plain(pool)}分按比例分配至"
                + "、".join(lv for lv in scheme.levels if lv in present)
            )
        else:
            notes.append(f"{names}无指标：按评分方案（absent_levels: forfeit），其{plain(pool)}分不得分")

    total_c = total_lo = total_hi = None
    scorable = bool(results) and all(r.computed is not None for r in results) and ex_scheme is not None
    if scorable and all(level_points.get(lv, 0) > 0 for lv in present):
        assert ex_scheme is not None and ex_lo is not None and ex_hi is not None
        factor = {lv: targets[lv] / level_points[lv] for lv in present}
        ex_scale = scheme.execution_points / ex_points if ex_points else 1.0
        total_c = ex_scheme + sum(factor[r.level] * r.computed for r in results if r.level and r.computed is not None)
        total_lo = ex_lo * ex_scale + sum(factor[r.level] * r.low for r in results if r.level and r.low is not None)
        total_hi = ex_hi * ex_scale + sum(factor[r.level] * r.high for r in results if r.level and r.high is not None)
    score = FormScore(
        form=form,
        scheme=scheme,
        rate_stated=total.rate if total else None,
        rate_computed=rate,
        execution_points=ex_points,
        execution_stated=total.score if total else None,
        execution_computed=ex.score,
        execution_low=ex_lo,
        execution_high=ex_hi,
        indicators=results,
        absent_levels=absent if present else (),
        absent_rule=rule,
        level_points=level_points,
        level_targets=targets,
        total_stated=form.total_score,
        total_computed=total_c,
        total_low=total_lo,
        total_high=total_hi,
        grade=grade(total_c, scheme.grade_bands),
    )
    if score.weights_differ:
        parts = [f"{EXECUTION}{plain(scheme.execution_points)}分"] + [
            f"{lv}{plain(targets[lv])}分" for lv in scheme.levels if lv in targets
        ]
        notes.append(f"表内分值与评分方案“{scheme.name}”不同，计算总分按方案分值折算（{'，'.join(parts)}）")
    return replace(score, notes=tuple(notes))


def _clamp(x: float) -> float:
    return min(max(x, 0.0), 1.0)
