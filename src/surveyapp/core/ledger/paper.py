"""How a list sits on paper: column widths that hold their values, page blocks, the 底数.

The 台账 and the department lists are printed, signed and filed, so their .xlsx is laid
out for paper (``xlsxout.write_paper``) at a fixed 100 % scale, never shrunk to fit:

- ``text_px(text, size)`` estimates a text's width in pixels (96 dpi) at ``size`` points,
  CJK-aware: a full-width character is one em, anything else 0.6 em (Latin digits are
  0.5 em in 宋体 and about 0.55 em in the Noto CJK fonts LibreOffice falls back to).
  ``col_px(width)`` is a column's width in pixels as Excel computes it; ``fits(text,
  width, size, wrap)`` says whether a value shows whole in a column: a wrapped value may
  break at any full-width character or space, so only its longest unbreakable run counts.
- ``paper_width(col)`` widens a column where its kind's values (an 18-digit ID number, a
  date, a phone number) would not fit at 10 pt; the tests check every written cell with
  ``fits``.
- ``page_blocks(columns, widths, page_px, repeat)`` splits the columns into page blocks
  along their header groups (基本信息 / 父母情况 / 监护照料 / 保障情况 / 类别与风险 /
  排查信息): each block, with the ``repeat`` leading columns (序号 … 姓名) printed again
  on its left, fits the page width; the sheet gets a vertical page break before each
  block, so a child's record reads across consecutive pages.
- ``spread(columns, widths, breaks, page_px, repeat)`` gives each block's spare width to
  its wrapping text columns, so that long values take fewer lines (and pages).
- ``Tally`` counts the 底数 of the summary sheet per township while the rows stream past.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from surveyapp.core.ledger.columns import Column

BODY_PT = 10
#: Points per line of wrapped 10 pt text (the Noto CJK fonts LibreOffice uses are tall).
LINE_PT = 15
#: Pixels a cell keeps free beside its text (LibreOffice and Excel indent about 2-3 px).
PADDING = 6
#: Printable width in pixels (96 dpi) of a landscape page with 0.4 in side margins, 3 %
#: kept free.
PAGE_PX: Mapping[int, int] = {8: int((420 / 25.4 - 0.8) * 96 * 0.97),  # A3
                              9: int((297 / 25.4 - 0.8) * 96 * 0.97)}  # A4
#: A value of each kind as wide as any real one (digits; ``X`` ends some ID numbers).
_WIDEST: Mapping[str, str] = {
    "id": "00000000000000000X", "date": "0000-00-00", "due": "0000-00-00",
    "phone": "0000-00000000", "seq": "000000", "int": "000",
}
#: Kinds whose cells do not wrap (numbers and dates must show whole on one line).
NO_WRAP = frozenset({"id", "date", "due", "phone", "seq", "int"})


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def text_px(text: str, size: float = BODY_PT) -> float:
    """The estimated width of ``text`` at ``size`` points, in pixels at 96 dpi."""
    em = size * 96 / 72
    return sum(em if _wide(ch) else 0.6 * em for ch in text)


def runs(text: str) -> list[str]:
    """The pieces a wrapped cell cannot break: runs of half-width characters between
    spaces and full-width characters, and each full-width character alone."""
    out: list[str] = []
    run = ""
    for ch in text:
        if ch.isspace() or _wide(ch):
            if run:
                out.append(run)
            run = ""
            if _wide(ch):
                out.append(ch)
        else:
            run += ch
    if run:
        out.append(run)
    return out


def col_px(width: float) -> int:
    """A column ``width`` (in characters of the default font) in pixels, as Excel has it."""
    return int(width * 7 + 5)


def print_px(width: float) -> float:
    """A column ``width`` in pixels as LibreOffice prints it: it measures the characters
    of a width in the digits of the workbook's default font (Calibri, replaced by the
    wider DejaVu Sans), about 1.35 times Excel's 7 pixels. Page blocks are packed with
    this, the wider of the two, and cell values checked against ``col_px``, the narrower.
    """
    return width * 9.5 + 6


def fits(text: str, width: float, size: float = BODY_PT, wrap: bool = True) -> bool:
    """Whether ``text`` shows whole in a column of ``width`` at ``size`` points."""
    pieces = runs(text) if wrap else [text]
    need = max((text_px(piece, size) for piece in pieces), default=0.0)
    return need + PADDING <= col_px(width)


def lines(text: str, width: float, size: float = BODY_PT) -> int:
    """How many lines ``text`` wraps to in a column of ``width`` (a greedy estimate)."""
    room = col_px(width) - PADDING
    if len(text) * size * 96 / 72 <= room:
        return 1
    count, used = 1, 0.0
    for piece in runs(text):
        need = text_px(piece, size)
        if used and used + need > room:
            count, used = count + 1, 0.0
        used += need
    return count


def paper_width(col: Column, size: float = BODY_PT) -> float:
    """``col.width``, widened where its kind's widest value would not fit (a free-text
    column of 10 characters or more may hold a phone number)."""
    sample = _WIDEST.get(col.kind)
    if sample is None and col.kind == "text" and col.width >= 10:
        sample = _WIDEST["phone"]
    if sample is None:
        return col.width
    need = (text_px(sample, size) + PADDING - 5) / 7
    return max(col.width, math.ceil(need * 2) / 2)


def page_blocks(
    columns: Sequence[Column], widths: Sequence[float], page_px: int, repeat: int
) -> list[int]:
    """The first column of each page block after the first (the vertical page breaks).

    Whole header groups are packed into a block while it fits ``page_px`` with the
    ``repeat`` leading columns; a group wider than a page is split between columns.
    """
    fixed = sum(print_px(w) for w in widths[:repeat])
    groups: list[list[int]] = []
    for index in range(repeat, len(columns)):
        if groups and columns[index].group == columns[groups[-1][-1]].group:
            groups[-1].append(index)
        else:
            groups.append([index])
    breaks: list[int] = []
    used = fixed
    for group in groups:
        size = sum(print_px(widths[i]) for i in group)
        if used + size <= page_px:
            used += size
            continue
        # The group starts a new block (unless the current one is empty), and is split
        # between its columns when it is wider than a page on its own.
        if used > fixed:
            breaks.append(group[0])
            used = fixed
        for i in group:
            need = print_px(widths[i])
            if used + need > page_px and used > fixed:
                breaks.append(i)
                used = fixed
            used += need
    return breaks


#: Kinds whose values wrap over lines and so gain from more width.
WRAPPING = frozenset({"text", "choice", "parent", "health", "difficulty", "gaps"})


def spread(
    columns: Sequence[Column], widths: Sequence[float], breaks: Sequence[int],
    page_px: float, repeat: int,
) -> list[float]:
    """``widths`` with each page block's spare width shared among its wrapping columns
    of 9 characters or more, in proportion to their width."""
    out = list(widths)
    fixed = sum(print_px(w) for w in widths[:repeat])
    starts = [repeat, *breaks]
    ends = [*breaks, len(columns)]
    for first, end in zip(starts, ends, strict=True):
        spare = page_px - fixed - sum(print_px(w) for w in widths[first:end])
        wide = [i for i in range(first, end)
                if columns[i].kind in WRAPPING and widths[i] >= 9]
        total = sum(widths[i] for i in wide)
        if spare <= 0 or not total:
            continue
        for i in wide:
            out[i] = widths[i] + int(spare * widths[i] / total / 9.5 * 2) / 2
    return out


#: The 底数 columns of the summary sheet: (header, row test).
def _yes(key: str) -> Any:
    return lambda row: row.get(key) == "yes"


SUMMARY_COUNTS: tuple[tuple[str, Any], ...] = (
    ("留守儿童", _yes("is_left_behind")),
    ("困境儿童", _yes("is_in_difficulty")),
    ("其中：既留守又困境", lambda r: r.get("is_left_behind") == r.get("is_in_difficulty") == "yes"),
    ("孤儿", _yes("is_orphan")),
    ("事实无人抚养", _yes("is_unsupported")),
    ("高风险", lambda row: row.get("risk_level") == "high"),
    ("强制报告", _yes("urgent_report")),
)
SUMMARY_HEADERS = ("乡镇（街道）", "村（居）数", "在册儿童", *(h for h, _ in SUMMARY_COUNTS),
                   "已退出")


@dataclass(slots=True)
class Tally:
    """The summary sheet's counts per township, gathered one row at a time.

    Exited children are counted once, under 已退出; the other columns count the children
    on file (在册).
    """

    names: dict[str, str] = field(default_factory=dict)
    villages: dict[str, set[str]] = field(default_factory=dict)
    counts: dict[str, list[int]] = field(default_factory=dict)

    def add(self, township: str, name: str, row: Mapping[str, Any]) -> None:
        """Count ``row`` under ``township`` (shown as ``name``)."""
        counts = self.counts.get(township)
        if counts is None:
            counts = self.counts[township] = [0] * (len(SUMMARY_COUNTS) + 2)
            self.names[township] = name
            self.villages[township] = set()
        self.villages[township].add(str(row.get("village_code") or ""))
        if (row.get("status") or "active") == "exited":
            counts[-1] += 1
            return
        counts[0] += 1
        for index, (_, test) in enumerate(SUMMARY_COUNTS, 1):
            if test(row):
                counts[index] += 1

    def table(self) -> list[list[str | int]]:
        """One row per township (by code), then the 合计 row."""
        out: list[list[str | int]] = []
        total = [0] * (len(SUMMARY_COUNTS) + 3)
        for code in sorted(self.counts):
            values = [len(self.villages[code]), *self.counts[code]]
            out.append([self.names[code], *values])
            total = [a + b for a, b in zip(total, values, strict=False)]
        out.append(["合计", *total[: len(SUMMARY_COUNTS) + 3]])
        return out
