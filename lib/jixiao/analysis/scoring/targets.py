"""Indicator targets (年度指标值) as people write them: ``≥50个``, ``不低于4次``, ``10%以下``.

A target is read into a :class:`Target`: a comparator, a number, a unit and the text as
written. The grammar is deliberately narrow, so that a target the engine cannot read is
reported (:class:`TargetParseError`) instead of being scored as something it is not.

Grammar of a quantitative target, after normalisation
-----------------------------------------------------
``[prefix] number [unit] [suffix]``, where

- normalisation turns full-width characters into ASCII (``≥５０个`` → ``≥50个``, ``＝8``
  → ``=8``, ``％`` → ``%``), removes all whitespace and thousands separators
  (``1,173人`` → ``1173人``; a comma counts as a separator only before exactly three digits);
- *prefix* is a comparator symbol or word: ``≥ >= ≧ > 不低于 不少于 不小于 至少 大于等于 …``
  (≥), ``≤ <= ≦ < 不超过 不高于 低于 少于 至多 …`` (≤), ``= == 等于`` (=); an optional
  ``达到`` may follow a word (``至少达到85%``);
- *number* is a decimal number, or a simple Chinese numeral (``三``, ``十二``, ``两百``)
  when a comparator word or suffix makes clear that it is a count (``不少于三件``);
- *unit* is what follows the number: no digits, no comparator symbols, at most
  10 characters; ``%`` stands alone (``100%完成`` is rejected); ``百分比`` means ``%``;
- *suffix* is ``以上`` / ``及以上`` (≥) or ``以下`` / ``及以下`` / ``以内`` / ``之内`` /
  ``内`` (≤): ``2天以内`` and ``30日内`` are ≤.

Strict comparators are read as their inclusive forms (``>`` and ``高于`` as ≥, ``<`` and
``低于`` as ≤): targets are scored by ratios in which the boundary carries no weight, and
performance tables use ``低于10%`` to mean "at most 10 %". Percentages stay in percentage
points (``85%`` → 85.0 with unit ``%``). A number without a comparator is ``=``, unless a
``direction`` is given.

What counts as qualitative (定性)
---------------------------------
A text is qualitative when, after normalisation, it contains **no Arabic digit**, **no
comparator symbol** (``<>=≥≤≧≦``), **at least one CJK ideograph**, and is not a bare
comparator word (``不低于`` alone). ``有效改善``, ``达成预期指标``, ``明显提升``, ``较好``
and ``不低于上年水平`` are qualitative; ``≥abc个``, ``abc``, ``≥`` and ``2023年12月31日前``
are not (the last is a deadline, which the engine does not score: give it direction
``定性`` and grade it).
An explicit direction ``定性`` makes any non-empty text the description of a qualitative
target.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeGuard

import yaml

from jixiao.exceptions import JixiaoError
from jixiao.paths import config_file

#: The four comparators, in the spelling used everywhere in jixiao.
GE, LE, EQ, QUALITATIVE = "≥", "≤", "=", "定性"
COMPARATORS = (GE, LE, EQ, QUALITATIVE)

# Longest first, so that "不低于" is not read as "低于" and ">=" not as ">".
_PREFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        [
            *(
                (w, GE)
                for w in (
                    ">=",
                    "=>",
                    "≥",
                    "≧",
                    "⩾",
                    ">",
                    "大于等于",
                    "大于或等于",
                    "不低于",
                    "不少于",
                    "不小于",
                    "不得低于",
                    "不得少于",
                    "至少",
                    "高于",
                    "大于",
                    "多于",
                    "超过",
                )
            ),
            *(
                (w, LE)
                for w in (
                    "<=",
                    "=<",
                    "≤",
                    "≦",
                    "⩽",
                    "<",
                    "小于等于",
                    "小于或等于",
                    "不超过",
                    "不高于",
                    "不大于",
                    "不多于",
                    "不得超过",
                    "不得高于",
                    "至多",
                    "最多",
                    "低于",
                    "少于",
                    "小于",
                )
            ),
            *((w, EQ) for w in ("==", "=", "等于")),
        ],
        key=lambda p: -len(p[0]),
    )
)
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("及以上", GE),
    ("或以上", GE),
    ("以上", GE),
    ("及以下", LE),
    ("或以下", LE),
    ("以下", LE),
    ("以内", LE),
    ("之内", LE),
    ("内", LE),
)
_COMPARATOR_WORDS = frozenset(w for w, _ in _PREFIXES) | frozenset(w for w, _ in _SUFFIXES)
_OPERATOR_CHARS = set("<>=≥≤≧≦⩾⩽")

_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
# 万 is left out on purpose: in "五万元" it belongs to the unit 万元, the way amounts are kept.
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_UNIT_ALIASES = {"百分比": "%", "百分之": "%"}
_MAX_UNIT_LEN = 10


class TargetParseError(JixiaoError, ValueError):
    """A target text that is neither a number with a comparator nor qualitative text.

    Attributes
    ----------
    text : str
        The target exactly as given.
    reason : str
        Why it was rejected, in Chinese.
    """

    exit_code = 2

    def __init__(self, text: object, reason: str):
        self.text = "" if text is None else str(text)
        self.reason = reason
        super().__init__(f"无法识别的目标值“{self.text}”：{reason}")


@dataclass(frozen=True)
class Target:
    """One indicator target.

    Attributes
    ----------
    comparator : str
        ``"≥"``, ``"≤"``, ``"="`` or ``"定性"``.
    value : float or None
        The number (percentage points for ``%``); ``None`` for a qualitative target.
    unit : str
        Unit as written (``个``, ``%``, ``万元``), ``""`` when none.
    text : str
        The target as given, for display and for tracing back to the source.
    """

    comparator: str
    value: float | None
    unit: str
    text: str

    @property
    def is_qualitative(self) -> bool:
        """True for a 定性 target."""
        return self.comparator == QUALITATIVE


def _normalize(text: str) -> str:
    """Full-width to ASCII, drop all whitespace and thousands separators.

    Not ``cells.normalize_text``: NFKC would also turn ``m²`` and ``㎡`` into ``m2``,
    putting a digit into the unit. Only the full-width ASCII block is folded here.
    """
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:  # the full-width ASCII block maps 1:1 onto ASCII
            ch = chr(code - 0xFEE0)
        if not ch.isspace():
            out.append(ch)
    return _THOUSANDS.sub("", "".join(out))


def parse_target(text: str | float | int | None, direction: str | None = None) -> Target:
    """Read a target as written in a performance table.

    Parameters
    ----------
    text : str, int or float
        ``"≥50个"``, ``"不低于4次"``, ``"10%以下"``, ``"有效改善"``, ``8`` …
    direction : str, optional
        The 指标方向 column (``"≥"``, ``"≤"``, ``"="``, ``"定性"`` or an alias from
        ``config/enums.yaml`` such as ``正向``). Used when the text has no comparator;
        a comparator in the text that contradicts it is an error, since one of the two
        is wrong and the engine cannot tell which.

    Returns
    -------
    Target

    Raises
    ------
    TargetParseError
        Empty text, a comparator without a number, a number with stray text, two
        comparators, a text/direction contradiction, or an unknown direction.

    Examples
    --------
    >>> parse_target("≥５０个")
    Target(comparator='≥', value=50.0, unit='个', text='≥５０个')
    >>> parse_target("2天以内").comparator
    '≤'
    >>> parse_target("有效改善").value is None
    True
    """
    given = _canonical_direction(text, direction)
    original, norm = _as_text(text)
    if not norm:
        raise TargetParseError(original, "目标值为空")
    if given == QUALITATIVE:
        return Target(QUALITATIVE, None, "", original)

    # A number cell (8, 0.95) needs no parsing, and must not be re-read from its repr.
    parsed = (None, float(text), "") if _is_number(text) else _parse_quantity(original, norm)
    if parsed is None:
        if _is_qualitative(norm):
            if given is not None:
                raise TargetParseError(original, f"指标方向为“{given}”，但目标值不含数字")
            return Target(QUALITATIVE, None, "", original)
        raise TargetParseError(original, "既不是“比较符+数字+单位”，也不是定性描述")

    comparator, value, unit = parsed
    if comparator is None:
        comparator = given or EQ
    elif given is not None and given != comparator:
        raise TargetParseError(original, f"目标值的“{comparator}”与指标方向“{given}”矛盾")
    return Target(comparator, value, unit, original)


def parse_value(value: str | float | int) -> tuple[float, str]:
    """Read an actual value (实际完成值): a number with an optional unit, no comparator.

    Parameters
    ----------
    value : str, int or float
        ``4``, ``"4次"``, ``"95%"``, ``"1,173人"``.

    Returns
    -------
    (number, unit) : tuple of float and str

    Raises
    ------
    TargetParseError
        When the text is not a plain number with a unit.
    """
    original, norm = _as_text(value)
    if _is_number(value) and norm:
        return float(value), ""
    parsed = _parse_quantity(original, norm) if norm else None
    if parsed is None or parsed[0] is not None:
        raise TargetParseError(original, "实际值应为数字（可带单位），不含比较符")
    return parsed[1], parsed[2]


# ---------------------------------------------------------------------------------------


def _as_text(text: object) -> tuple[str, str]:
    """(original text, normalised text); numbers become their plain decimal form."""
    if text is None:
        return "", ""
    if isinstance(text, bool):  # bool is an int subclass; True is no target
        raise TargetParseError(str(text), "目标值不能是布尔值")
    if isinstance(text, (int, float)):
        if isinstance(text, float) and not math.isfinite(text):
            # NaN is how pandas spells an empty cell
            return ("" if math.isnan(text) else str(text)), ""
        return str(text), str(text)
    original = str(text)
    return original, _normalize(original)


def _is_number(x: object) -> TypeGuard[int | float]:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _canonical_direction(text: object, direction: str | None) -> str | None:
    if direction is None:
        return None
    if isinstance(direction, float) and math.isnan(direction):
        return None
    key = _normalize(str(direction))
    if not key:
        return None
    canon = _direction_aliases().get(key)
    if canon is None:
        raise TargetParseError(text, f"未知的指标方向“{direction}”（应为 ≥、≤、= 或 定性）")
    return canon


@lru_cache(maxsize=1)
def _direction_aliases() -> dict[str, str]:
    # The enumerated-column vocabulary lives in config/enums.yaml; the 指标方向 column is
    # one such column, so its aliases (正向, 反向, 定性指标 …) are read from there rather
    # than copied here.
    path = config_file("enums.yaml")
    aliases = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("aliases", {})
    table = {c: c for c in COMPARATORS}
    for canon in COMPARATORS:
        for alias in aliases.get(canon, []):
            table[_normalize(str(alias))] = canon
    return table


def _parse_quantity(original: str, s: str) -> tuple[str | None, float, str] | None:
    """Split ``[prefix] number [unit] [suffix]``; ``None`` when there is no number at all."""
    comparator: str | None = None
    rest = s
    for word, comp in _PREFIXES:
        if rest.startswith(word):
            comparator, rest = comp, rest[len(word) :]
            if _CJK.match(word) and rest.startswith("达到"):  # 至少达到85%
                rest = rest[2:]
            break

    suffix_comp: str | None = None
    for word, comp in _SUFFIXES:
        if rest.endswith(word):
            suffix_comp, rest = comp, rest[: -len(word)]
            break

    m = _NUMBER.match(rest)
    if m:
        value = float(m.group())
    else:
        m = _CN_NUMBER.match(rest)
        # Chinese numerals only next to a comparator: alone, "十分满意" is prose, not 10.
        cn = _cn_int(m.group()) if m and (comparator or suffix_comp) else None
        if cn is None:
            # No number where one belongs. Prose stays prose even with a comparator word in
            # it ("不低于上年水平"); otherwise a comparator or a digit promised a number.
            if comparator or suffix_comp:
                if _is_qualitative(s):
                    return None
                raise TargetParseError(original, "比较符后应为数字")
            if _has_digit(s):
                raise TargetParseError(original, "数字前有多余内容")
            return None
        assert m is not None  # cn is only computed from a match
        value = float(cn)

    unit = rest[m.end() :]
    if _has_digit(unit) or _OPERATOR_CHARS & set(unit):
        raise TargetParseError(original, f"数字后有多余内容“{unit}”")
    unit = _UNIT_ALIASES.get(unit, unit)
    if unit.startswith("%") and unit != "%":
        raise TargetParseError(original, f"百分号后有多余内容“{unit[1:]}”")
    if len(unit) > _MAX_UNIT_LEN:
        raise TargetParseError(original, f"单位“{unit}”过长，可能混入了说明文字")

    if comparator and suffix_comp and comparator != suffix_comp:
        raise TargetParseError(original, "前后比较符矛盾")
    return comparator or suffix_comp, value, unit


def _cn_int(s: str) -> int | None:
    """Simple Chinese numerals up to 九千九百九十九; ``None`` if not one."""
    total, digit = 0, None
    last_unit = 10_000
    for ch in s:
        if ch in _CN_DIGITS:
            if digit is not None and digit != 0:
                return None  # "一二" is not a numeral
            digit = _CN_DIGITS[ch]
        else:
            unit = _CN_UNITS[ch]
            if unit >= last_unit:
                return None  # "十百"
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    return total + (digit or 0)


def _has_digit(s: str) -> bool:
    # ASCII digits only: str.isdigit() is also true of ² in "m²"
    return any("0" <= c <= "9" for c in s)


def _is_qualitative(s: str) -> bool:
    """The documented rule: no digit, no comparator symbol, some CJK, not a bare comparator."""
    return bool(_CJK.search(s)) and not _has_digit(s) and not (_OPERATOR_CHARS & set(s)) and s not in _COMPARATOR_WORDS
