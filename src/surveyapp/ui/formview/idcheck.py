"""The ID number field as you type: check digit, then fill or cross-check birth date and sex.

Uses ``surveyapp.core.ids.parse_resident_id``. For the child's own ``id_number`` an empty
``birth_date``/``sex`` is filled from the number; when they were already entered and
disagree, the row shows a warning (the form's own constraint also blocks finalize).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from surveyapp.core.ids import parse_resident_id
from surveyapp.errors import SurveyError
from surveyapp.ui.errordialogs import error_text


def check_id_number(view: Any, row: Any, value: str) -> None:
    """Update ``row``'s status for ``value``; auto-fill or cross-check when it is valid."""
    text = value.strip().upper()
    if not text:
        row.set_status("")
        return
    if len(text) < 18:
        row.set_status(
            QCoreApplication.translate("IdCheck", "已输入 {0}/18 位").format(len(text)), ok=False
        )
        return
    try:
        rid = parse_resident_id(text)
    except SurveyError as err:
        row.set_status("")
        row.set_message(error_text(err))
        return
    row.set_message("")
    if row.spec.name != "id_number" or row.spec.repeat:
        row.set_status(QCoreApplication.translate("IdCheck", "✓ 号码校验通过"))
        return
    birth = rid.birth_date.isoformat()
    notes = [QCoreApplication.translate("IdCheck", "✓ 号码校验通过")]
    problems = []
    current_birth = str(view.session.value("birth_date") or "")
    current_sex = str(view.session.value("sex") or "")
    if "birth_date" in view.rows and not current_birth:
        view.set_answer("birth_date", birth)
        notes.append(QCoreApplication.translate("IdCheck", "已填入出生日期 {0}").format(birth))
    elif current_birth and current_birth != birth:
        problems.append(
            QCoreApplication.translate("IdCheck", "出生日期（{0}）与身份证号（{1}）不一致").format(
                current_birth, birth
            )
        )
    if "sex" in view.rows and not current_sex:
        view.set_answer("sex", rid.sex)
        notes.append(QCoreApplication.translate("IdCheck", "已填入性别"))
    elif current_sex and current_sex != rid.sex:
        problems.append(QCoreApplication.translate("IdCheck", "性别与身份证号不一致"))
    same = _on_file(view, text)
    if same is not None:
        problems.append(QCoreApplication.translate(
            "IdCheck", "本地已有此身份证号的档案：{0}（{1}），保存时可改为在该档案上录入走访"
        ).format(same.child_name, view.backend.village_name(same.village_code)))
    if problems:
        row.set_status(
            "；".join(problems) + QCoreApplication.translate("IdCheck", "，请核对。"), ok=False
        )
    else:
        row.set_status("，".join(notes))


def _on_file(view: Any, id_number: str) -> Any:
    """A child file already carrying this ID number (for a new child only), or None."""
    finder = getattr(view.backend, "same_id_on_file", None)
    if view.record_id is not None or finder is None:
        return None
    try:
        found = finder(id_number)
    except SurveyError:
        return None
    return found[0] if found else None
