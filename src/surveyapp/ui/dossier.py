"""The per-child dossier PDF for the paper file.

Uses ``surveyapp.render.write_dossier_pdf`` (the ledger engineer's A4 layout with every
section, the classification, the history and signature lines) when present; otherwise
lays out the child file's own HTML with ``QTextDocument`` onto a ``QPdfWriter``. Either
way the PDF is written to a temporary file in the same folder, then renamed. The file
dialog has already asked before replacing an existing file.
"""

from __future__ import annotations

import html
import importlib.util
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from surveyapp.errors import CommonCode, SurveyError


def _render_module() -> Any:
    if importlib.util.find_spec("surveyapp.render") is None:
        return None
    import surveyapp.render as render

    return render if hasattr(render, "write_dossier_pdf") else None


def dossier_row(view: Any) -> dict[str, Any]:
    """The child's answers with the list's metadata, as the ledger and dossier expect."""
    from surveyapp.ui.models.children import field_of

    row: dict[str, Any] = dict(view.answers)
    for key in ("record_id", "status", "last_visit_date", "follow_up_due", "exit_reason"):
        row.setdefault(key, field_of(view.row, key))
    code = str(row.get("village_code", ""))
    row.setdefault("village_name", view.backend.village_name(code))
    return row


def dossier_labels(view: Any) -> tuple[Any, str]:
    """The labels of the form version the child's file was saved under (else the
    workspace's current form, else the shipped one) and that version's name."""
    forms = getattr(view.backend, "revision_forms", None)
    if forms is None:
        return None, ""
    return forms.record_labels(view.record_id)  # type: ignore[no-any-return]


def history_pairs(view: Any) -> list[tuple[str, str]]:
    """``(date, text)`` lines, oldest first, from the history list (newest first)."""
    pairs = []
    for i in reversed(range(view.history.count())):
        when, _, text = view.history.item(i).text().partition("  ")
        pairs.append((when, text.strip()))
    return pairs


def dossier_html(view: Any) -> str:
    history = "".join(
        f"<li>{html.escape(view.history.item(i).text())}</li>" for i in range(view.history.count())
    )
    return (
        "<html><body style='font-family: \"Noto Sans CJK SC\"; font-size: 10pt'>"
        f"<h2>{html.escape(view.tr('儿童档案（一人一档）'))}</h2>"
        f"<p>{view.header.text()}</p>"
        f"<p>{view.why.text()}</p>"
        f"{view.answers_html()}"
        f"<h3>{html.escape(view.tr('走访与状态记录'))}</h3><ul>{history}</ul>"
        "</body></html>"
    )


def write_dossier(view: Any, path: str) -> None:
    """Write the dossier of the child shown in ``view`` to ``path``.

    :raises SurveyError: IO_003 when the file cannot be written.
    """
    render = _render_module()
    if render is not None:
        labels, saved_under = dossier_labels(view)
        render.write_dossier_pdf(
            dossier_row(view),
            path,
            labels=labels,
            saved_under=saved_under,
            history=history_pairs(view),
            county_name=str(getattr(view.backend.ws, "org_name", "")),
            overwrite=True,
        )
        return
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    try:
        writer = QPdfWriter(str(tmp))
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(15, 15, 15, 15),
            )
        )
        writer.setResolution(150)
        writer.setTitle(view.title())
        doc = QTextDocument()
        doc.setDefaultFont(QFont("Noto Sans CJK SC", 10))
        doc.setHtml(dossier_html(view))
        doc.print_(writer)
        del writer
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise SurveyError(CommonCode.IO_003, path=path, reason="PDF")
        os.replace(tmp, target)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise SurveyError(CommonCode.IO_003, path=path, reason=err.strerror or str(err)) from err
