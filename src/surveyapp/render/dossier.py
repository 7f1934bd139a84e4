"""The per-child dossier PDF (一人一档): every answer of the child's file, by section,
with the classification, the visit history and signature lines, on A4 for the paper file.

``dossier_html(row, labels, *, history=(), county_name="", now=None) -> str`` builds the
page; ``write_dossier_pdf(row, path, ...)`` lays it out with ``QTextDocument`` onto a
``QPdfWriter`` (Noto Sans CJK), written to a temporary file and renamed;
``write_village_dossiers(rows, folder, ...)`` writes one PDF per child with progress and
cancel.

The labels are those of the form version the child's revision was saved under
(``surveyapp.ops.forms.FormResolver``: the callers pass ``labels``, or ``labels_for`` per
row); ``saved_under`` names that version, and the page says which form's labels it shows
when that version is not held and another form's labels stand in.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from surveyapp.core.ledger.files import atomic_output, check_cancel
from surveyapp.core.ledger.labels import FormLabels, Section
from surveyapp.core.ledger.masking import mask_id, mask_phone
from surveyapp.render.app import ensure_gui_app

Row = Mapping[str, Any]
LabelsFor = Callable[[Row], tuple[FormLabels, str]]
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
FONT_FAMILY = "Noto Sans CJK SC"
RISK_COLOURS = {"high": "#C0504D", "medium": "#E36C09", "low": "#4F8A3C"}
TABLE = "<table class='grid' width='100%' cellspacing='0' cellpadding='3'>"
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')

CSS = """
body { font-family: 'Noto Sans CJK SC'; font-size: 9.5pt; }
h1 { font-size: 16pt; text-align: center; margin: 0; }
h2 { font-size: 11pt; background: #DDEBF7; padding: 3px; margin-top: 10px; }
table.grid { border-collapse: collapse; width: 100%; }
table.grid td { border: 1px solid #999; padding: 3px; }
td.k { background: #F2F2F2; width: 16%; }
td.v { width: 34%; }
p.meta { color: #444; font-size: 8.5pt; }
"""


def _fmt(labels: FormLabels, name: str, value: Any, mask: bool) -> str:
    if value is None or value == "":
        return ""
    if mask and name.endswith("id_number"):
        return mask_id(str(value))
    if mask and name.endswith("phone"):
        return mask_phone(str(value))
    return labels.label(name, value)


def _pairs_table(pairs: Sequence[tuple[str, str]]) -> str:
    cells = []
    for index in range(0, len(pairs), 2):
        chunk = list(pairs[index:index + 2])
        row = "".join(
            f"<td class='k' width='20%'>{html.escape(k)}</td><td width='30%'>{html.escape(v)}</td>"
            for k, v in chunk
        )
        if len(chunk) == 1:
            row += "<td class='k' width='20%'></td><td width='30%'></td>"
        cells.append(f"<tr>{row}</tr>")
    return f"{TABLE}{''.join(cells)}</table>"


def _repeat_table(section: Section, items: Any, labels: FormLabels, mask: bool) -> str:
    if not isinstance(items, list) or not items:
        return "<p>（无）</p>"
    head = "".join(f"<td class='k'>{html.escape(label)}</td>" for _, label in section.questions)
    body = "".join(
        "<tr>" + "".join(
            f"<td>{html.escape(_fmt(labels, q, item.get(q), mask))}</td>"
            for q, _ in section.questions
        ) + "</tr>"
        for item in items if isinstance(item, Mapping)
    )
    return f"{TABLE}<tr>{head}</tr>{body}</table>"


def _merged_sections(sections: Sequence[Section]) -> list[Section]:
    """Attach loose top-level questions to the section before them."""
    out: list[Section] = []
    for section in sections:
        loose = len(section.questions) == 1 and section.questions[0][0] == section.name
        if loose and out:
            last = out[-1] if not out[-1].repeat else out[-2] if len(out) > 1 else out[-1]
            index = out.index(last)
            out[index] = Section(last.name, last.label, last.questions + section.questions)
        else:
            out.append(section)
    return out


def dossier_html(
    row: Row,
    labels: FormLabels,
    *,
    history: Iterable[tuple[str, str]] = (),
    county_name: str = "",
    now: datetime | None = None,
    mask: bool = False,
    saved_under: str = "",
) -> str:
    """The dossier page of one child as HTML (the subset ``QTextDocument`` renders).

    :param row: the child's answers and metadata (as for the ledger).
    :param labels: form labels and sections (``FormLabels.from_form``).
    :param history: ``(date, text)`` lines of visits and status changes, oldest first.
    :param county_name: shown in the title.
    :param now: the print time.
    :param mask: mask ID and phone numbers.
    :param saved_under: ``form_id@version`` the child's revision was saved under; when
        ``labels`` are of another form (that version is not held), the page says so.
    """
    name = str(row.get("child_name") or "")
    place = "".join(
        str(row.get(f"{k}_name") or labels.label(f"{k}_code", row.get(f"{k}_code")))
        for k in ("township", "village")
    )
    risk = str(row.get("risk_level") or "")
    badge = (f"<span style='color:{RISK_COLOURS.get(risk, '#333')}; font-weight:bold'>"
             f"风险等级：{html.escape(labels.label('risk_level', risk) or '未评估')}</span>")
    urgent = ("　<span style='color:#C0504D; font-weight:bold'>⚠ 强制报告</span>"
              if row.get("urgent_report") == "yes" else "")
    parts = [
        f"<html><head><style>{CSS}</style></head><body>",
        f"<h1>{html.escape(county_name)}农村留守儿童和困境儿童档案</h1>",
        "<p style='text-align:center'>（一人一档）</p>",
        f"<p><b style='font-size:13pt'>{html.escape(name)}</b>　"
        f"{html.escape(place)}　{html.escape(str(row.get('category_label') or ''))}</p>",
        f"<p>{badge}{urgent}　下次走访：{html.escape(str(row.get('follow_up_due') or ''))}</p>",
    ]
    for section in _merged_sections(labels.sections):
        parts.append(f"<h2>{html.escape(section.label)}</h2>")
        if section.repeat:
            parts.append(_repeat_table(section, row.get(section.name), labels, mask))
            continue
        pairs = [(label, _fmt(labels, q, row.get(q), mask)) for q, label in section.questions
                 if row.get(q) not in (None, "")]
        parts.append(_pairs_table(pairs) if pairs else "<p>（未填写）</p>")
    lines = list(history)
    parts.append("<h2>走访与状态记录</h2>")
    if lines:
        parts.append(TABLE + "".join(
            f"<tr><td class='k'>{html.escape(d)}</td><td>{html.escape(t)}</td></tr>"
            for d, t in lines) + "</table>")
    else:
        parts.append("<p>（无）</p>")
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    parts.append(f"<p class='meta'>{html.escape(_form_line(labels, saved_under))}</p>")
    parts.append(
        "<p style='margin-top:24px'>排查人签字：＿＿＿＿＿＿　　儿童主任签字：＿＿＿＿＿＿"
        "　　日期：＿＿＿＿年＿＿月＿＿日</p>"
        f"<p class='meta'>档案编号：{html.escape(str(row.get('record_id') or ''))}　"
        f"打印时间：{stamp}　本档案含儿童个人信息，请妥善保管。</p></body></html>"
    )
    return "".join(parts)


def _form_line(labels: FormLabels, saved_under: str) -> str:
    used = labels.form
    if not saved_under or saved_under == used:
        return f"表单版本：{used or saved_under}" if used or saved_under else ""
    return (f"表单版本：{saved_under}（本机没有此版本的表单，"
            f"题目和选项按 {used or '随软件安装的表单'} 显示）")


def _print_html(page: str, path: Path, title: str) -> None:
    ensure_gui_app()
    writer = QPdfWriter(str(path))
    writer.setPageLayout(QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
        QMarginsF(15, 12, 15, 12), QPageLayout.Unit.Millimeter,
    ))
    writer.setResolution(300)
    writer.setTitle(title)
    writer.setCreator("surveyapp")
    doc = QTextDocument()
    doc.setDefaultFont(QFont(FONT_FAMILY, 10))
    doc.setHtml(page)
    doc.print_(writer)
    del writer


def write_dossier_pdf(
    row: Row,
    path: str | Path,
    *,
    labels: FormLabels | None = None,
    history: Iterable[tuple[str, str]] = (),
    county_name: str = "",
    mask: bool = False,
    overwrite: bool = True,
    now: datetime | None = None,
    saved_under: str = "",
) -> Path:
    """Write one child's dossier PDF.

    :param row: the child's answers and metadata.
    :param path: the PDF to write (temporary file, then renamed).
    :param labels: form labels (default: the shipped screening form).
    :param history: ``(date, text)`` lines of visits and status changes.
    :param county_name: for the title.
    :param mask: mask ID and phone numbers.
    :param overwrite: replace an existing file (the UI asks first).
    :param saved_under: the form version of the child's revision (see
        :func:`dossier_html`).
    :raises SurveyError: LEDGER_001 when the file exists and ``overwrite`` is false;
        IO_001/IO_003 on disk errors.
    """
    labels = labels or _default_labels()
    page = dossier_html(row, labels, history=history, county_name=county_name, now=now,
                        mask=mask, saved_under=saved_under)
    target = Path(path)
    with atomic_output(target, overwrite=overwrite) as tmp:
        _print_html(page, tmp, f"{row.get('child_name') or ''} 儿童档案")
    return target


def dossier_filename(row: Row, index: int) -> str:
    """A safe file name: ``001_箐口村_张三.pdf``."""
    village = str(row.get("village_name") or row.get("village_code") or "")
    name = str(row.get("child_name") or row.get("record_id") or "child")
    return _UNSAFE.sub("_", f"{index:03d}_{village}_{name}") + ".pdf"


def write_village_dossiers(
    rows: Iterable[Row],
    folder: str | Path,
    *,
    labels: FormLabels | None = None,
    labels_for: LabelsFor | None = None,
    total: int = 0,
    county_name: str = "",
    mask: bool = False,
    overwrite: bool = False,
    progress: Progress | None = None,
    cancel: Cancelled | None = None,
) -> list[Path]:
    """Write one dossier PDF per child of ``rows`` (e.g. one village) into ``folder``.

    :param rows: child rows.
    :param folder: created when missing.
    :param labels: one set of labels for every child (default: the shipped form's).
    :param labels_for: per row, ``(labels, saved_under)``: the labels of the form version
        the child's revision names (``ops.forms.FormResolver``) and that version.
    :param total: expected count for ``progress``.
    :param progress: ``progress(done, total)`` after each child.
    :param cancel: polled before each child; PDFs already written stay.
    :raises SurveyError: CANCELLED; LEDGER_001 for an existing file without overwrite.
    """
    fixed = None if labels_for is not None else labels or _default_labels()
    out_dir = Path(folder)
    written: list[Path] = []
    for index, row in enumerate(rows, 1):
        check_cancel(cancel)
        shown, saved_under = (fixed, "") if labels_for is None else labels_for(row)
        written.append(write_dossier_pdf(
            row, out_dir / dossier_filename(row, index), labels=shown,
            county_name=county_name, mask=mask, overwrite=overwrite, saved_under=saved_under,
        ))
        if progress is not None:
            progress(index, max(total, index))
    return written


def _default_labels() -> FormLabels:
    from surveyapp.paths import FORM_PATH

    return FormLabels.from_form(FORM_PATH)
