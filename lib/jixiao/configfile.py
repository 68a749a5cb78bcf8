"""Configuration files (YAML validated by a pydantic model): read once, errors in Chinese.

Scoring schemes, recommendations and other configuration a user may edit go through
:func:`load_yaml_model`, so every such file fails the same way: a :class:`ConfigError`
naming the file and each offending field.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, get_args

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from jixiao.exceptions import ConfigError

M = TypeVar("M", bound=BaseModel)


def field_name(loc: tuple) -> str:
    """``weights.预算执行率`` from a pydantic error location."""
    return ".".join(str(p) for p in loc if p != "[key]") or "（整个文件）"


def chinese_error(error: ErrorDetails) -> str:
    """A Chinese sentence for one pydantic error; our own validators already speak Chinese."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    messages = {
        "extra_forbidden": "未知字段（拼写错误？）",
        "missing": "缺少必填字段",
        "literal_error": f"取值“{error.get('input')}”无效，应为 {ctx.get('expected', '')}",
        "float_parsing": f"应为数字，实为“{error.get('input')}”",
        "float_type": f"应为数字，实为“{error.get('input')}”",
        "string_type": "应为文字",
        "dict_type": "应为键值结构",
        "tuple_type": "应为列表",
        "too_short": "元素个数不足",
        "too_long": "元素过多",
        "greater_than": f"应大于 {ctx.get('gt')}",
        "greater_than_equal": f"应不小于 {ctx.get('ge')}",
        "less_than_equal": f"应不大于 {ctx.get('le')}",
        "string_too_short": "不能为空",
        "string_too_long": f"过长（至多 {ctx.get('max_length')} 个字符）",
        "string_pattern_mismatch": "格式不符合要求",
        "int_parsing": f"应为整数，实为“{error.get('input')}”",
        "int_type": f"应为整数，实为“{error.get('input')}”",
        "int_from_float": f"应为整数，实为“{error.get('input')}”",
        "bool_parsing": f"应为 true 或 false，实为“{error.get('input')}”",
        "list_type": "应为列表",
    }
    return messages.get(kind, f"取值无效（{error['msg']}）")


class YAMLFileError(Exception):
    """A YAML file that cannot be used as a mapping: missing, unreadable, not YAML, not a
    mapping. ``found`` and ``message`` (Chinese) say which; each caller wraps it in its
    own error (:class:`ConfigError`, :class:`~jixiao.exceptions.ParametersError`)."""

    def __init__(self, found: str, message: str, expected: str | None = None):
        super().__init__(message)
        self.found = found
        self.message = message
        #: What the file should have been, when more precise than "a YAML mapping".
        self.expected = expected


class YAMLAliasError(yaml.YAMLError):
    """A YAML alias (``*name``, ``<<: *name``) in a file that may come from anyone."""

    def __init__(self, alias: str, line: int):
        super().__init__(f"alias *{alias} on line {line}")
        self.alias = alias
        self.line = line


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases.

    Nine nested aliases of nine items each (the 429-byte "billion laughs") read as a small
    shared structure, but validating or quoting it (an error message shows the value)
    walks 9⁹ items and exhausts memory. Nothing jixiao reads needs aliases: refused at
    the first one, before anything is built.
    """

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YAMLAliasError(str(event.anchor), event.start_mark.line + 1)
        return super().compose_node(parent, index)


def safe_yaml(text: str):
    """``yaml.safe_load`` without aliases: the reader for YAML text from outside.

    Raises
    ------
    YAMLAliasError
        The text uses an alias (``*name``).
    yaml.YAMLError
        The text is not YAML.
    """
    loader = _NoAliasLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def read_mapping(path: str | os.PathLike) -> dict:
    """The YAML mapping in ``path``: the one reader of every YAML file a user gives jixiao.

    Aliases (``*name``) are refused (:func:`safe_yaml`).

    Raises
    ------
    YAMLFileError
        The file does not exist or cannot be read, is not YAML, uses an alias, or is not
        a mapping.
    """
    p = Path(path)
    if not p.is_file():
        raise YAMLFileError("", "不存在或无法读取")
    try:
        data = safe_yaml(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise YAMLFileError(type(exc).__name__, f"无法读取：{exc}") from None
    except YAMLAliasError as exc:
        raise YAMLFileError(
            f"第 {exc.line} 行的别名 *{exc.alias}",
            f"使用了 YAML 锚点与别名（&名称 / *名称，第 {exc.line} 行），jixiao 不接受别名"
            "（展开后可耗尽内存）：请把内容直接写出",
            "不含别名（*名称）的 YAML",
        ) from None
    except yaml.YAMLError as exc:
        raise YAMLFileError(type(exc).__name__, f"不是有效的 YAML：{exc}") from None
    if not isinstance(data, dict):
        raise YAMLFileError(type(data).__name__, "应为键值结构")
    return data


def known_keys(model: type[BaseModel], loc: tuple = ()) -> list[str]:
    """The keys a file may use at ``loc`` (a nested model's keys for ``("report", …)``),
    derived from ``model``; fields excluded from dumps (set by jixiao, not by the file) are
    not keys."""
    current: Any = model
    for part in loc[:-1]:
        field = current.model_fields.get(part) if isinstance(current, type) and issubclass(current, BaseModel) else None
        annotation = field.annotation if field else None
        candidates = [annotation, *get_args(annotation)] if annotation is not None else []
        nested = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
        if not nested:
            return []
        current = nested[0]
    return [name for name, f in current.model_fields.items() if not f.exclude]


def field_problems(exc: ValidationError, model: type[BaseModel], noun: str = "键") -> list[tuple[str, str, str, str]]:
    """Every pydantic error as ``(field, found, expected, message)``, in Chinese.

    The one translation of validation errors: an unknown key names the known ones
    (:func:`known_keys`), a missing key says so, any other says what the value should be
    (:func:`chinese_error`). ``noun`` is what the file calls a key (参数 in parameters files).
    """
    out = []
    for err in exc.errors():
        key = field_name(err["loc"])
        found = "" if err["type"] == "missing" else str(err.get("input", ""))
        if err["type"] == "extra_forbidden":
            out.append((key, found, "、".join(known_keys(model, err["loc"])), f"未知的{noun}“{key}”"))
        elif err["type"] == "missing":
            out.append((key, found, f"{noun}“{key}”", f"缺少{noun}“{key}”"))
        else:
            pattern = str((err.get("ctx") or {}).get("pattern", ""))
            out.append((key, found, pattern, f"{noun}“{key}”不正确：{chinese_error(err)}"))
    return out


def load_yaml_model(path: str | os.PathLike, model: type[M], what: str, shape: str, shown: str | None = None) -> M:
    """Read ``path`` and validate it with ``model``; cached by path and modification time.

    Parameters
    ----------
    path : path
        The YAML file.
    model : pydantic model class
        Its schema (``extra="forbid"`` so that a misspelt key is an error).
    what : str
        What the file is, in Chinese, for messages (评分方案文件, 建议配置文件 …).
    shape : str
        The top-level keys expected, for the message when the file is not a mapping.
    shown : str, optional
        How to name the file in messages (as the user gave it); ``path`` by default.

    Raises
    ------
    ConfigError
        With ``file`` and ``fields`` attributes; the message names every offending field.
    """
    p = Path(path)
    shown = shown or str(path)
    try:
        stamp = p.stat().st_mtime_ns
    except OSError:
        raise ConfigError(f"{what} {shown} 不存在或无法读取") from None
    # Cached: every township of a county reads the same files; an edited file is reread.
    return _load(str(p.resolve()), stamp, model, what, shape, shown)


@lru_cache(maxsize=64)
def _load(path: str, _stamp: int, model: type[M], what: str, shape: str, shown: str) -> M:
    try:
        data = read_mapping(path)
    except YAMLFileError as exc:
        shape_hint = f"（{shape}）" if exc.message == "应为键值结构" else ""
        raise ConfigError(f"{what} {shown} {exc.message}{shape_hint}") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        lines = [f"- {field_name(e['loc'])}：{chinese_error(e)}" for e in exc.errors()]
        err = ConfigError(f"{what} {shown} 无效：\n" + "\n".join(lines))
        err.file = shown
        err.fields = [field_name(e["loc"]) for e in exc.errors()]
        raise err from None
