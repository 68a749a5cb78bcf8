"""Scoring schemes and grades (jixiao.analysis.scoring.scheme): shipped files, bad files, grade bands."""

from __future__ import annotations

import os

import pytest
import yaml

from jixiao.analysis.scoring import (
    DEFAULT_GRADE_BANDS,
    SCHEMES_DIR,
    available_schemes,
    grade,
    load_scheme,
)
from jixiao.exceptions import ConfigError

NATIONAL = load_scheme("national")
REGIONAL = load_scheme("regional")


# --------------------------------------------------------------------------- shipped schemes


def test_shipped_schemes():
    assert available_schemes() == ["national", "regional"]
    assert NATIONAL.weights == {"预算执行率": 10, "产出指标": 50, "效益指标": 30, "满意度指标": 10}
    assert NATIONAL.negative_rule == "linear"
    assert NATIONAL.qualitative.bands == {"达成": (1.0, 0.8), "部分达成": (0.8, 0.6), "未达成": (0.6, 0.0)}
    assert REGIONAL.weights == {"预算执行率": 20, "绩效指标": 80}
    assert REGIONAL.negative_rule == "ratio"
    assert REGIONAL.qualitative.bands == {"达成": (1.0, 0.8), "部分达成": (0.8, 0.5), "未达成": (0.5, 0.0)}
    for s in (NATIONAL, REGIONAL):
        assert s.overshoot is None and s.execution_cap == ()
        assert s.grade_bands == DEFAULT_GRADE_BANDS
        assert s.title and s.source
    assert NATIONAL.level_of("成本指标") == "产出指标"
    assert REGIONAL.level_of("满意度指标") == "绩效指标"
    assert "财预〔2020〕10号" in NATIONAL.source


def test_load_scheme_by_path_and_instance(tmp_path):
    assert load_scheme(NATIONAL) is NATIONAL
    path = tmp_path / "mine.yaml"
    path.write_text((SCHEMES_DIR / "regional.yaml").read_text("utf-8"), "utf-8")
    assert load_scheme(path).weights == REGIONAL.weights
    assert load_scheme(str(path)).name == "regional"


# --------------------------------------------------------------------------- invalid scheme files


def write_scheme(tmp_path, **changes):
    data = yaml.safe_load((SCHEMES_DIR / "national.yaml").read_text("utf-8"))
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    path = tmp_path / "bad-scheme.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"weights": {"预算执行率": 10, "产出指标": 50, "效益指标": 30}}, "weights", "合计应为 100，实为 90"),
        ({"weights": {"产出指标": 60, "效益指标": 30, "满意度指标": 10}}, "weights", "预算执行率"),
        (
            {"qualitative": {"bands": {"达成": [1.0, 0.8], "部分达成": [0.9, 0.6], "未达成": [0.6, 0]}}},
            "qualitative.bands",
            "高于",
        ),
        (
            {"qualitative": {"bands": {"达成": [0.8, 1.0], "部分达成": [0.8, 0.6], "未达成": [0.6, 0]}}},
            "qualitative.bands",
            "上限",
        ),
        ({"qualitative": {"bands": {"达成": [1.0, 0.8], "部分达成": [0.8, 0.6]}}}, "qualitative.bands", "未达成"),
        (
            {
                "qualitative": {
                    "position": "highest",
                    "bands": {"达成": [1, 0.8], "部分达成": [0.8, 0.6], "未达成": [0.6, 0]},
                }
            },
            "qualitative.position",
            "highest",
        ),
        ({"negative_rule": "quadratic"}, "negative_rule", "quadratic"),
        ({"negative_rule": None}, "negative_rule", "缺少必填字段"),
        ({"negativ_rule": "ratio"}, "negativ_rule", "未知字段"),
        ({"overshoot": {"excess_pct": 30, "deduct": 0.1, "extra": 1}}, "overshoot.extra", "未知字段"),
        ({"overshoot": {"excess_pct": 30, "deduct": 2}}, "overshoot.deduct", "不大于 1"),
        ({"execution_cap": [{"rate_at_least": 80, "rate_below": 70, "max_total": 89}]}, "execution_cap.0", "应小于"),
        (
            {"execution_cap": [{"rate_below": 80, "max_total": 89}, {"rate_at_least": 70, "max_total": 95}]},
            "execution_cap",
            "重叠",
        ),
        ({"grades": [{"grade": "优", "min": 80}, {"grade": "良", "min": 90}]}, "grades", "从高到低"),
        ({"level_aliases": {"成本指标": "过程指标"}}, "level_aliases.成本指标", "过程指标"),
        ({"weights": {"预算执行率": "十", "产出指标": 50}}, "weights.预算执行率", "应为数字"),
    ],
)
def test_invalid_scheme_names_file_and_field(tmp_path, changes, field, fragment):
    path = write_scheme(tmp_path, **changes)
    with pytest.raises(ConfigError) as exc:
        load_scheme(path)
    message = str(exc.value)
    assert "bad-scheme.yaml" in message
    assert field in message
    assert fragment in message


def test_unreadable_scheme_files(tmp_path):
    with pytest.raises(ConfigError, match="provincial"):
        load_scheme("provincial")
    with pytest.raises(ConfigError, match="不存在"):
        load_scheme(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("weights: [1, 2\n", "utf-8")
    with pytest.raises(ConfigError, match="broken.yaml.*YAML"):
        load_scheme(broken)
    listing = tmp_path / "list.yaml"
    listing.write_text("- 1\n- 2\n", "utf-8")
    with pytest.raises(ConfigError, match="键值结构"):
        load_scheme(listing)


def test_edited_scheme_file_is_read_again(tmp_path):
    path = write_scheme(tmp_path)
    assert load_scheme(path).negative_rule == "linear"
    text = path.read_text("utf-8").replace("negative_rule: linear", "negative_rule: ratio")
    path.write_text(text, "utf-8")
    st_ = path.stat()
    os.utime(path, ns=(st_.st_atime_ns, st_.st_mtime_ns + 1_000_000))
    assert load_scheme(path).negative_rule == "ratio"


# --------------------------------------------------------------------------- grades


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (100, "优"),
        (90, "优"),
        (89.99, "良"),
        (80, "良"),
        (79.99, "中"),
        (60, "中"),
        (59.99, "差"),
        (0, "差"),
        (-3, "差"),
        (89.995, "优"),
        (89.994, "良"),
        (None, None),
    ],
)
def test_grade_band_edges(score, expected):
    # 89.995 is printed 90.00 and graded as printed
    assert grade(score) == expected


def test_grade_full_precision_and_custom_bands():
    assert grade(89.995, digits=None) == "良"
    assert grade(0.1 + 0.2 + 89.7) == "优"  # 90.00000000000001 or 89.99999… alike
    assert grade(75, {"合格": 70, "不合格": 0}) == "合格"
    assert grade(75, NATIONAL) == "中"
