"""The ``jixiao check`` command: findings as JSON or a table, exit codes."""

from __future__ import annotations

import json

from support import EXAMPLE_PARAMS


def test_cli_check_json(capsys):
    from jixiao.cli import main

    code = main(["check", str(EXAMPLE_PARAMS), "--format", "json"])
    captured = capsys.readouterr()
    assert code == 1
    data = json.loads(captured.out)
    assert {"id", "severity", "message", "stated", "computed", "difference", "tolerance", "cells"} <= set(data[0])
    by_id = {}
    for d in data:
        by_id.setdefault(d["id"], []).append(d)
    assert by_id["assessment.total"][0]["severity"] == "error"
    assert by_id["projects.not_achieved"][0]["severity"] == "error"
    assert by_id["financial.cash_ratio"][0]["severity"] == "info"
    assert by_id["financial.current_ratio"][0]["severity"] == "info"
    assert by_id["fixed_assets.added_equals_stock"][0]["severity"] == "warning"
    assert by_id["assets.cip_date"][0]["severity"] == "warning"
    assert by_id["three_public.classification"][0]["severity"] == "warning"
    assert "2 个错误" in captured.err


def test_cli_check_table(capsys):
    from jixiao.cli import main

    code = main(["check", str(EXAMPLE_PARAMS)])
    out = capsys.readouterr().out
    assert code == 1
    assert "错误" in out and "通过" in out and "assessment.total" in out
    assert "错误 2" in out


def test_cli_check_exits_0_without_errors(example_copy, capsys):
    from openpyxl import load_workbook

    from jixiao.cli import main

    # Fix the two errors in a copy of the workbook: the 合计 rows and the project statuses.
    wb = load_workbook(example_copy)
    ws = wb["考核得分"]
    ws["D11"] = 89
    wb["填报数据"]["B3"] = 89
    wb["填报数据"]["B4"] = None  # 换算得分 no longer 98.91
    ws = wb["项目"]
    for row in (6, 7, 13, 24):
        ws[f"H{row}"] = "未完成"
    wb.save(example_copy)
    code = main(["check", str(example_copy), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert not [d for d in data if d["severity"] == "error"]


def test_cli_check_rejects_unknown_format(capsys):
    from jixiao.cli import main

    assert main(["check", str(EXAMPLE_PARAMS), "--format", "xml"]) == 2
