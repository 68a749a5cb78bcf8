"""``config/forms.yaml``: validated like every configuration file."""

from __future__ import annotations

import pytest
import yaml

from jixiao.configfile import load_yaml_model
from jixiao.exceptions import ConfigError
from jixiao.forms import FormsConfig, forms_config
from jixiao.paths import config_file


def test_the_shipped_config_loads():
    cfg = forms_config()
    assert cfg.grade_words["有效改善"] == "达成" and cfg.grade_words["基本达成"] == "部分达成"
    assert cfg.same_as_target == "达成" and cfg.limits.max_rows == 400


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        (lambda d: d.update(colour="red"), "colour", "未知字段"),
        (
            lambda d: d["grades"].update(优秀=["很好"]),
            "（整个文件）",
            "grades 与 same_as_target 的等级应为 达成、部分达成、未达成",
        ),
        (lambda d: d["grades"]["未达成"].append("有效改善"), "（整个文件）", "“有效改善”同时列在“达成”和“未达成”下"),
        (lambda d: d["fund_rows"].pop("other"), "（整个文件）", "fund_rows 应恰为 total、fiscal、carryover、other"),
    ],
)
def test_a_broken_config_names_the_field(tmp_path, change, field, says):
    data = yaml.safe_load(config_file("forms.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "forms.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_yaml_model(path, FormsConfig, "自评表配置文件", "labels …")
    assert exc.value.fields == [field] and says in str(exc.value)
