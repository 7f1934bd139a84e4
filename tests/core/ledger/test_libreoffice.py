"""The ledger, the statistics workbook and a department list printed as a county office
would: converted to PDF by LibreOffice (``soffice --headless --convert-to pdf``), then
read back with poppler (``pdfinfo``, ``pdftotext -bbox``). CI installs both
(``scripts/test``: libreoffice-calc, poppler-utils, fonts-noto-cjk); missing, the test
fails rather than skips.

What is checked on paper: the page size (A3 landscape for the ledger, A4 landscape for
the list, one A4/A3 page per statistics sheet, so no chart is split), the sheet names,
the title and 序号 header on every ledger page (LibreOffice found no column it had to
push onto a page of its own), the county and export time in every page header, "第 N 页"
on every page, the signature lines once per sheet, and no text under 8 pt.
"""

import re
import shutil
import subprocess
from collections import defaultdict
from datetime import datetime

import openpyxl
import pytest

from surveyapp.core.ledger import export_department, export_ledger
from surveyapp.core.ledger.order import print_order
from surveyapp.core.stats import compute_stats
from surveyapp.core.stats.xlsx import SHEETS, export_stats_xlsx

pytestmark = [pytest.mark.slow, pytest.mark.interop]
NOW = datetime(2026, 11, 23, 9, 30)
A3_LANDSCAPE = (1190.55, 841.89)
A4_LANDSCAPE = (841.89, 595.3)
A3_PORTRAIT = (841.89, 1190.55)
#: A poppler word box is about 1.3 times the font size tall with the fonts LibreOffice
#: uses here (10 pt text measures 13.0 pt); 8 pt text would measure about 10.4 pt.
BOX_PER_PT = 1.3


def _tool(name):
    path = shutil.which(name)
    assert path, f"{name} is missing: scripts/test installs libreoffice-calc and poppler-utils"
    return path


def _pages(pdf):
    """Per page: its size in points and its words with their box heights."""
    info = subprocess.run([_tool("pdfinfo"), "-f", "1", "-l", "9999", str(pdf)],
                          check=True, capture_output=True, text=True).stdout
    sizes = [(float(w), float(h)) for w, h in
             re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    html = subprocess.run([_tool("pdftotext"), "-bbox", str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout
    words: dict[int, list[tuple[str, float]]] = defaultdict(list)
    page = 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        found = re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*)</word>', line)
        if found:
            words[page].append((found.group(3), float(found.group(2)) - float(found.group(1))))
    return sizes, [words[i + 1] for i in range(len(sizes))]


def _text(words):
    return "".join(w for w, _ in words)


def _same(size, wanted):
    return abs(size[0] - wanted[0]) < 1 and abs(size[1] - wanted[1]) < 1


@pytest.fixture(scope="module")
def printed(tmp_path_factory, rows, labels):
    folder = tmp_path_factory.mktemp("print")
    ordered = print_order(rows)
    files = {
        "ledger": export_ledger(ordered, folder / "ledger.xlsx", labels=labels,
                                county_name="大方县", now=NOW).path,
        "police": export_department(ordered, folder / "police.xlsx", "police", labels=labels,
                                    county_name="大方县", role="county", now=NOW).path,
        "stats": export_stats_xlsx(compute_stats(rows, labels=labels, county_name="大方县",
                                                 now=NOW), folder / "stats.xlsx"),
    }
    subprocess.run(
        [_tool("soffice"), f"-env:UserInstallation=file://{folder}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder), *map(str, files.values())],
        check=True, capture_output=True, timeout=600,
    )
    return {key: (path, _pages(path.with_suffix(".pdf"))) for key, path in files.items()}


def _min_box(pages):
    return min(h for words in pages for _, h in words)


def test_pdf_ledger__a3_landscape_title_header_blocks_signature_8pt(printed, rows):
    path, (sizes, pages) = printed["ledger"]
    townships = sorted({(r["township_code"], r["township_name"]) for r in rows})
    assert openpyxl.load_workbook(path).sheetnames == ["汇总", *(n for _, n in townships)]
    assert all(_same(s, A3_LANDSCAPE) for s in sizes)
    # The summary, then at least three page blocks per township (a wide A3 ledger of 44
    # columns at 10 pt cannot print in fewer).
    assert len(pages) >= 1 + 3 * len(townships)
    for number, words in enumerate(pages, 1):
        text = _text(words)
        assert "大方县" in text and "导出时间：2026-11-2309:30" in text, number
        assert f"第{number}页，共{len(pages)}页" in text, number
        if number > 1:
            assert re.search("大方县.+农村留守儿童和困境儿童信息台账", text), number
            assert "序号" in text and "姓名" in text, number
    signed = [i for i, words in enumerate(pages) if "审核人" in _text(words)]
    assert len(signed) == 1 + len(townships)
    assert "台账（汇总）" in _text(pages[0]) and "合计" in _text(pages[0])
    assert _min_box(pages) >= 8 * BOX_PER_PT - 0.2


def test_pdf_department_list__a4_landscape_every_page_titled_8pt(printed):
    path, (sizes, pages) = printed["police"]
    assert openpyxl.load_workbook(path).sheetnames == ["名单"]
    assert all(_same(s, A4_LANDSCAPE) for s in sizes)
    for number, words in enumerate(pages, 1):
        text = _text(words)
        assert "强制报告及紧急保护儿童名单" in text and "序号" in text, number
        assert f"第{number}页，共{len(pages)}页" in text, number
    assert sum("审核人" in _text(words) for words in pages) == 1
    assert "审核人" in _text(pages[-1])
    assert _min_box(pages) >= 8 * BOX_PER_PT - 0.2


def test_pdf_statistics__one_page_per_sheet_axes_named_8pt(printed):
    path, (sizes, pages) = printed["stats"]
    names = ["概况", *(name for name, _ in SHEETS.values())]
    assert openpyxl.load_workbook(path).sheetnames == names
    # One page per sheet: every table prints with its chart, no chart split.
    assert len(pages) == len(names)
    assert all(any(_same(s, p) for p in (A4_LANDSCAPE, A3_LANDSCAPE, A3_PORTRAIT))
               for s in sizes)
    coverage = _text(pages[names.index("排查覆盖")])
    assert "村（居）数" in coverage and "人数" not in coverage
    assert "儿童人数" in _text(pages[names.index("分乡镇类别")])
    assert _min_box(pages) >= 8 * BOX_PER_PT - 0.2
