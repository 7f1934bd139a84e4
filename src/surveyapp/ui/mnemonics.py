"""Alt+letter mnemonics for every menu item and every dialog field, in both languages.

Chinese texts get the letter in the Chinese style, after the text: ``新建儿童档案(&N)``,
``导出数据包(&E)……``; English texts get it on a letter of a word: ``&New child``. A text that
has a mnemonic already keeps it. Letters are unique within a menu and within a dialog.

- ``menu_mnemonics(menu, preferred)``: every item of ``menu`` and of its submenus.
- ``dialog_mnemonics(dialog, preferred)``: every label with a buddy, and every button, check
  box and radio button of the dialog.
- ``install_dialog_mnemonics(app)``: does ``dialog_mnemonics`` for each dialog as it is shown
  (the app's own dialogs and Qt's message boxes alike).

``preferred`` maps an object name (of the action, the button, or the label's buddy) to its
letter; otherwise the letter of the shortcut (Ctrl+N → N), then a letter of the text, then
the first free letter is taken.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QWidget,
)

_HAS = re.compile(r"&(?!&)")
_SUFFIX = re.compile(r"(……|…|\.\.\.|：|:)$")
_LETTERS = string.ascii_uppercase
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
# Letters of the common dialog fields, by object name (the field's, or the button's).
FIELD_LETTERS = {
    "user": "U",
    "password": "P",
    "password2": "A",
    "role": "R",
    "orgCode": "C",
    "orgName": "N",
    "path": "L",
    "browse": "O",
    "loginButton": "L",
    "forgotPassword": "F",
    "choiceCreate": "W",
    "choiceEnroll": "E",
    "choiceDemo": "D",
    "exitReason": "R",
    "exitNote": "N",
}


def has_mnemonic(text: str) -> bool:
    return bool(_HAS.search(text.replace("&&", "")))


def mnemonic_of(text: str) -> str:
    """The letter after the single ``&`` of ``text`` (upper case), or ``""``."""
    m = re.search(r"&([^&])", text.replace("&&", ""))
    return m[1].upper() if m else ""


def with_mnemonic(text: str, letter: str) -> str:
    """``text`` with ``letter`` as its mnemonic, in the text's own style."""
    letter = letter.upper()
    if not text or has_mnemonic(text):
        return text
    if not _CJK.search(text):  # English style: the letter inside a word
        i = text.upper().find(letter)
        if i >= 0:
            return f"{text[:i]}&{text[i:]}"
    m = _SUFFIX.search(text)
    cut = m.start() if m else len(text)
    return f"{text[:cut]}(&{letter}){text[cut:]}"


def _candidates(text: str, name: str, shortcut: str, preferred: Mapping[str, str]) -> list[str]:
    out: list[str] = []
    english = not _CJK.search(text)
    key = shortcut.rsplit("+", 1)[-1] if shortcut else ""
    for letter in (preferred.get(name, "") if name else "", key):
        # An English text takes a letter it contains ("Close &tab", not "Close tab(&W)").
        if len(letter) == 1 and letter.isalpha() and (
            not english or letter.upper() in text.upper()
        ):
            out.append(letter.upper())
    if english:
        words = re.findall(r"[A-Za-z]+", text)
        out.extend(w[0].upper() for w in words)
        out.extend(c.upper() for c in text if c.isalpha())
    else:
        out.extend(c.upper() for c in text if c.isascii() and c.isalpha())
    out.extend(_LETTERS)
    return out


def _pick(candidates: Iterable[str], used: set[str]) -> str:
    for c in candidates:
        if c in _LETTERS and c not in used:
            used.add(c)
            return c
    return ""


def menu_mnemonics(menu: QMenu, preferred: Mapping[str, str] | None = None) -> None:
    """Give each item of ``menu`` (and, recursively, of its submenus) a unique mnemonic."""
    preferred = preferred or {}
    actions = [a for a in menu.actions() if not a.isSeparator() and a.text()]
    used = {mnemonic_of(a.text()) for a in actions} - {""}
    for action in actions:
        if not has_mnemonic(action.text()):
            shortcut = action.shortcut().toString() if not action.shortcut().isEmpty() else ""
            letter = _pick(_candidates(action.text(), action.objectName(), shortcut,
                                       preferred), used)
            if letter:
                icon_text = action.iconText()  # the toolbar keeps the plain text
                action.setText(with_mnemonic(action.text(), letter))
                action.setIconText(icon_text)
        sub = action.menu()
        if isinstance(sub, QMenu):
            menu_mnemonics(sub, preferred)


def _fields(dialog: QWidget) -> list[tuple[QLabel | QAbstractButton, str]]:
    """(widget whose text carries the mnemonic, the object name to look up) in tab order."""
    out: list[tuple[QLabel | QAbstractButton, str]] = []
    for label in dialog.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None and label.text() and not label.text().startswith("<"):
            out.append((label, buddy.objectName() or label.objectName()))
    for button in dialog.findChildren(QAbstractButton):
        box = button.parent()
        standard = isinstance(box, QDialogButtonBox) and (
            box.standardButton(button) != QDialogButtonBox.StandardButton.NoButton
        )
        if button.text() and not standard:  # OK / Cancel: Enter and Esc
            out.append((button, button.objectName()))
    return out


def dialog_mnemonics(dialog: QWidget, preferred: Mapping[str, str] | None = None) -> None:
    """Give each field label (a label with a buddy) and button of ``dialog`` a mnemonic."""
    preferred = {**FIELD_LETTERS, **(preferred or {})}
    fields = _fields(dialog)
    boxes = [b for box in dialog.findChildren(QDialogButtonBox) for b in box.buttons()]
    used = {mnemonic_of(w.text()) for w, _n in fields} | {mnemonic_of(b.text()) for b in boxes}
    used.discard("")
    todo = [(w, n) for w, n in fields if not has_mnemonic(w.text())]
    for widget, name in list(todo):  # first the fields with a letter of their own
        letter = preferred.get(name, "").upper()
        fits = bool(_CJK.search(widget.text())) or letter in widget.text().upper()
        if letter and fits and letter not in used:
            used.add(letter)
            widget.setText(with_mnemonic(widget.text(), letter))
            todo.remove((widget, name))
    for widget, name in todo:
        letter = _pick(_candidates(widget.text(), name, "", preferred), used)
        if letter:
            widget.setText(with_mnemonic(widget.text(), letter))


class _DialogWatch(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(obj, QDialog):
            dialog_mnemonics(obj)
        return False


def install_dialog_mnemonics(app: QApplication) -> None:
    """Mnemonics on every dialog when it is shown (once per app)."""
    if app.property("dialogMnemonics"):
        return
    watch = _DialogWatch(app)
    app.installEventFilter(watch)
    app.setProperty("dialogMnemonics", True)


def action_texts(menu: QMenu) -> list[tuple[QAction, str]]:
    """Every action of ``menu`` and its submenus with its text (for tests and checks)."""
    out: list[tuple[QAction, str]] = []
    for action in menu.actions():
        if action.isSeparator():
            continue
        out.append((action, action.text()))
        sub = action.menu()
        if isinstance(sub, QMenu):
            out.extend(action_texts(sub))
    return out
