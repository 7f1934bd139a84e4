"""Builders of hostile files for the hardening tests (real xlsx, real zip archives)."""

from __future__ import annotations

import random
import re
import string
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from openpyxl import Workbook

# Ten levels of ten: 10**9 "lol"s if an XML parser expanded the entities.
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 2 else b"&lol;") * 10)
        for i in range(2, 11)
    )
    + b"]>"
)


def small_form(path: Path, label: str = "Q1") -> Path:
    """A tiny valid XLSForm written by openpyxl."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "survey"
    ws.append(["type", "name", "label"])
    ws.append(["text", "q1", label])
    settings = wb.create_sheet("settings")
    settings.append(["form_id", "version"])
    settings.append(["hardening", "1"])
    wb.save(path)
    return path


def rewrite(
    src: Path, dst: Path, replace: dict[str, Callable[[bytes], bytes]] | None = None,
    extra: Iterable[tuple[str, bytes]] = (),
) -> Path:
    """Copy the archive ``src`` to ``dst``, changing members and adding ``extra`` ones."""
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename in replace:
                data = replace[info.filename](data)
            zout.writestr(info.filename, data)
        for name, data in extra:
            zout.writestr(name, data)
    return dst


SHEET = "xl/worksheets/sheet1.xml"


def zip_bomb(src: Path, dst: Path, unpacked_mb: int = 100) -> Path:
    """The survey sheet replaced by ``unpacked_mb`` MB of rows that deflate ~1000:1."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != SHEET:
                zout.writestr(info.filename, zin.read(info.filename))
                continue
            head, _, _ = zin.read(SHEET).partition(b"<sheetData>")
            # Without a <dimension>, openpyxl's read-only mode reads every row there is.
            head = re.sub(rb"<dimension [^>]*/>", b"", head)
            row = b'<row><c t="inlineStr"><is><t>text</t></is></c></row>' * 1000
            with zout.open(SHEET, "w", force_zip64=True) as out:
                out.write(head + b"<sheetData>")
                written = 0
                while written < unpacked_mb * 1024 * 1024:
                    out.write(row)
                    written += len(row)
                out.write(b"</sheetData></worksheet>")
    return dst


def billion_laughs(src: Path, dst: Path, member: str = SHEET) -> Path:
    def poison(data: bytes) -> bytes:
        if data.startswith(b"<?xml"):
            data = data.split(b"?>", 1)[1]
        return LAUGHS + data.replace(b">Q1<", b">&lol10;<")

    return rewrite(src, dst, {member: poison})


def big_cell(src: Path, dst: Path, chars: int = 10 * 1024 * 1024) -> Path:
    """The label cell holds ``chars`` random letters (so it does not compress away); written
    into the XML directly, as openpyxl itself would cut it at 32,767 characters."""
    rng = random.Random(7)
    text = "".join(rng.choices(string.ascii_letters, k=chars)).encode()
    return rewrite(src, dst, {SHEET: lambda d: d.replace(b">Q1<", b">" + text + b"<")})


def invalid_utf8(src: Path, dst: Path) -> Path:
    return rewrite(src, dst, {SHEET: lambda d: d.replace(b">Q1<", b">\xff\xfe\xc3(<")})


def dotdot_member(src: Path, dst: Path) -> Path:
    return rewrite(src, dst, extra=[("../../outside.txt", b"x"), ("xl/../../evil.xml", b"<a/>")])
