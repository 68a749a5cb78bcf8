"""Indicator targets as people write them (jixiao.analysis.scoring.targets)."""

from __future__ import annotations

import pytest

from jixiao.analysis.scoring.targets import Target, TargetParseError, parse_target, parse_value
from jixiao.exceptions import JixiaoError


@pytest.mark.parametrize(
    ("text", "comparator", "value", "unit"),
    [
        # symbols, ASCII and the JIS-style ≧ ≦ that Chinese input methods produce
        ("≥50个", "≥", 50.0, "个"),
        (">=50个", "≥", 50.0, "个"),
        ("≧90%", "≥", 90.0, "%"),
        ("≦90万元", "≤", 90.0, "万元"),
        ("≤90万元", "≤", 90.0, "万元"),
        ("=8个", "=", 8.0, "个"),
        # a plain number means "="
        ("100%", "=", 100.0, "%"),
        ("8", "=", 8.0, ""),
        (8, "=", 8.0, ""),
        (8.5, "=", 8.5, ""),
        # words before the number …
        ("不低于4次", "≥", 4.0, "次"),
        ("不少于3件", "≥", 3.0, "件"),
        ("至少2次", "≥", 2.0, "次"),
        ("至少达到85%", "≥", 85.0, "%"),  # the seed's wording
        ("低于10%", "≤", 10.0, "%"),
        ("不超过5万元", "≤", 5.0, "万元"),
        # … and after it
        ("2件以上", "≥", 2.0, "件"),
        ("10%以下", "≤", 10.0, "%"),
        ("2天以内", "≤", 2.0, "天"),
        # full width, spaces, thousands separators
        ("≥５０个", "≥", 50.0, "个"),
        ("＝8", "=", 8.0, ""),
        ("≥ 85 ％", "≥", 85.0, "%"),
        ("1,173人", "=", 1173.0, "人"),
        ("≥1，173人", "≥", 1173.0, "人"),
        # Chinese numerals next to a comparator; 百分比 as platforms export it
        ("不少于三件", "≥", 3.0, "件"),
        ("十二次以上", "≥", 12.0, "次"),
        ("≥100百分比", "≥", 100.0, "%"),
        ("-5%", "=", -5.0, "%"),
    ],
)
def test_quantitative_formats(text, comparator, value, unit):
    t = parse_target(text)
    assert (t.comparator, t.value, t.unit) == (comparator, value, unit)
    assert t.text == str(text)  # the original is kept, not the normalised form
    assert not t.is_qualitative


@pytest.mark.parametrize(
    "text", ["有效改善", "达成预期指标", "明显提升", "较好", "不低于上年水平", "十分满意", "规定时间内"]
)
def test_qualitative_texts(text):
    assert parse_target(text) == Target("定性", None, "", text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        None,
        float("nan"),  # nothing
        "≥",
        "不低于",
        "以上",  # a comparator without a number
        "≥abc个",
        ">=>=5",
        "≥上年",  # a comparator followed by something else
        "abc",
        "—",
        "N/A",  # neither number nor Chinese prose
        "100%完成",
        "1,17",
        "5个6",  # stray text around the number
        "≥5以下",  # two comparators that disagree
        "2023年12月31日前",  # a deadline: not a quantity
        "≥5个项目完成并通过验收工作",  # description mixed into the unit
    ],
)
def test_bad_targets_raise_with_text(text):
    with pytest.raises(TargetParseError) as exc:
        parse_target(text)
    expected = "" if text is None or text != text else text  # NaN != NaN
    assert exc.value.text == expected
    assert isinstance(exc.value, ValueError) and isinstance(exc.value, JixiaoError)
    assert f"“{expected}”" in str(exc.value)


def test_direction_applies_when_text_has_no_comparator():
    assert parse_target("90%", direction="≥") == Target("≥", 90.0, "%", "90%")
    assert parse_target(5, direction="≤") == Target("≤", 5.0, "", "5")
    assert parse_target("8", direction="=").comparator == "="
    # aliases from config/enums.yaml, full width included
    assert parse_target("90%", direction="正向").comparator == "≥"
    assert parse_target("3", direction="反向").comparator == "≤"
    assert parse_target("3", direction="＞＝").comparator == "≥"
    # blank direction = none given
    assert parse_target("3", direction="").comparator == "="
    assert parse_target("3", direction=float("nan")).comparator == "="


def test_direction_agreeing_with_text_is_fine():
    assert parse_target("≥5个", direction="≥").value == 5.0
    assert parse_target("2件以上", direction="正向").comparator == "≥"


def test_direction_qualitative_makes_any_text_a_description():
    t = parse_target("2023年12月31日前完成", direction="定性")
    assert t == Target("定性", None, "", "2023年12月31日前完成")


@pytest.mark.parametrize(
    ("text", "direction", "fragment"),
    [
        ("≥5", "≤", "矛盾"),
        ("10%以下", "≥", "矛盾"),
        ("有效改善", "≥", "不含数字"),
        ("5", "向上", "未知的指标方向"),
    ],
)
def test_direction_conflicts_raise(text, direction, fragment):
    with pytest.raises(TargetParseError) as exc:
        parse_target(text, direction=direction)
    assert exc.value.text == text
    assert fragment in str(exc.value)


def test_bool_is_not_a_target():
    with pytest.raises(TargetParseError):
        parse_target(True)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (4, (4.0, "")),
        ("4次", (4.0, "次")),
        ("95%", (95.0, "%")),
        ("1,173人", (1173.0, "人")),
        (0, (0.0, "")),
        ("０．５", (0.5, "")),
    ],
)
def test_parse_value(value, expected):
    assert parse_value(value) == expected


@pytest.mark.parametrize("value", ["≥4", "很多", "", "4次以上"])
def test_parse_value_rejects_comparators_and_prose(value):
    with pytest.raises(TargetParseError):
        parse_value(value)


def test_superscript_units_are_not_digits():
    # "²".isdigit() is True in Python; the unit must survive
    assert parse_target("≥500m²") == Target("≥", 500.0, "m²", "≥500m²")
    assert parse_target("≥500㎡").unit == "㎡"


def test_digits_after_prose_are_rejected():
    with pytest.raises(TargetParseError, match="数字前有多余内容"):
        parse_target("第3季度")
