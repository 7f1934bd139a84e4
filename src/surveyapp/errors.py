"""The error catalogue: every expected failure has a code and an English and a Chinese text.

Each area declares its own codes as a subclass of :class:`ErrorCode` in its own
``codes.py`` (an Enum with no members may be subclassed), so that areas never edit
one shared file. ``all_codes()`` walks every subclass; a test checks that each code
has both texts with the same placeholders.

Messages say what happened, where, and what to do. A placeholder missing from the
context renders as "unknown"/"未知" instead of raising (pyxform's formatter does the same).
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from enum import Enum
from typing import Any, NamedTuple

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


class Detail(NamedTuple):
    name: str
    en: str
    zh: str


class _Default(dict[str, Any]):
    def __init__(self, ctx: Mapping[str, Any], missing: str) -> None:
        super().__init__(ctx)
        self._missing = missing

    def __missing__(self, key: str) -> str:
        return self._missing


class ErrorCode(Enum):
    """Base of every error-code enum. Member values are :class:`Detail`."""

    @property
    def detail(self) -> Detail:
        value = self.value
        if not isinstance(value, Detail):  # pragma: no cover - a catalogue typo
            raise TypeError(f"{self.name} is not a Detail")
        return value

    def text(self, lang: str = DEFAULT_LANG, **context: Any) -> str:
        template = self.detail.zh if lang == "zh" else self.detail.en
        missing = "未知" if lang == "zh" else "unknown"
        return string.Formatter().vformat(template, (), _Default(context, missing))


class SurveyError(Exception):
    """An expected failure: shown to the user as a plain message, never as a traceback.

    :param code: the catalogue entry.
    :param context: values for the message placeholders, plus optional location
        keys (``sheet``, ``row``, ``column``, ``path``) that callers may read.
    """

    def __init__(self, code: ErrorCode, /, **context: Any) -> None:
        self.code = code
        self.context = context
        super().__init__(f"{code.name}: {code.text('en', **context)}")

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return self.code.text(lang, **self.context)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code.name}
        for key in ("sheet", "row", "column", "path"):
            if key in self.context:
                out[key] = self.context[key]
        out["message_zh"] = self.message("zh")
        out["message_en"] = self.message("en")
        return out


class CommonCode(ErrorCode):
    """Failures shared by every area (files, disks, input)."""

    IO_001 = Detail(
        "disk_full",
        "The disk is full while writing {path}. Nothing was changed. Free some space "
        "or choose another drive, then try again.",
        "写入 {path} 时磁盘已满。已有数据未受影响。请清理空间或换一个磁盘后重试。",
    )
    IO_002 = Detail(
        "file_not_found",
        "The file {path} does not exist. Check the path and try again.",
        "文件 {path} 不存在。请检查路径后重试。",
    )
    IO_003 = Detail(
        "write_failed",
        "Could not write {path}: {reason}. Nothing was changed.",
        "无法写入 {path}：{reason}。已有数据未受影响。",
    )
    IO_004 = Detail(
        "read_failed",
        "Could not read {path}: {reason}.",
        "无法读取 {path}：{reason}。",
    )
    INPUT_001 = Detail(
        "bad_json",
        "The file {path} is not valid JSON ({reason}). Check its contents.",
        "文件 {path} 不是有效的 JSON（{reason}）。请检查文件内容。",
    )
    INPUT_002 = Detail(
        "too_large",
        "The input {path} is too large ({size} bytes; the limit is {limit}).",
        "输入 {path} 过大（{size} 字节，上限为 {limit}）。",
    )
    INPUT_003 = Detail(
        "no_batch_files",
        "No batch files (*.batch.zip, *.relay.zip) were found in {path}. Choose the folder "
        "on the USB stick that holds them.",
        "在 {path} 中没有找到数据包文件（*.batch.zip、*.relay.zip）。"
        "请选择U盘上存放数据包的文件夹。",
    )
    INPUT_004 = Detail(
        "passwords_differ",
        "The two passwords you typed are different. Type the new password twice, the same "
        "both times.",
        "两次输入的密码不一致。请把新密码输入两次，两次要相同。",
    )
    CANCELLED = Detail(
        "cancelled",
        "The operation was cancelled. Nothing was changed.",
        "操作已取消。已有数据未受影响。",
    )
    INPUT_005 = Detail(
        "not_a_regular_file",
        "{path} is not an ordinary file (it is a folder, a device or a pipe), so it was not "
        "read. Nothing was changed. Choose the file itself, for example on the USB stick.",
        "{path} 不是普通文件（而是文件夹、设备或管道），未读取。已有数据未受影响。"
        "请选择文件本身，例如U盘上的文件。",
    )


def all_codes() -> Iterator[ErrorCode]:
    """Every code of every catalogue (imports the known catalogue modules first)."""
    import importlib
    import pkgutil

    import surveyapp

    for mod in pkgutil.walk_packages(surveyapp.__path__, "surveyapp."):
        if mod.name.endswith(".codes"):
            importlib.import_module(mod.name)

    def walk(cls: type[ErrorCode]) -> Iterator[ErrorCode]:
        yield from cls
        for sub in cls.__subclasses__():
            yield from walk(sub)

    yield from walk(ErrorCode)
