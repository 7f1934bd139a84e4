"""One ledger row → the answers of a first visit, checked by the form like Finalize.

``RowChecker(form, layout, labels, existing=...)`` reads the mapped cells of a row
(``values``), fills what a 台账 does not hold (``FILLS``, recorded in the outcome), runs
the form engine (required, constraints, the ID check of ``id-valid()``), looks for
possible duplicates in the file and among the children on file, and compares the columns
the form calculates (留守儿童, 风险等级…) with what it computes from the row.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from hashlib import blake2b
from typing import Any, Literal

from surveyapp.core.forms.asof import AsOf, age_on
from surveyapp.core.forms.codes import FormCode
from surveyapp.core.forms.model import Form, Question, text_in
from surveyapp.core.forms.session import FormSession
from surveyapp.core.ledger.columns import EXIT_LABELS as SHOWN_EXITS
from surveyapp.core.ledger.columns import CellMaker
from surveyapp.core.ledger.labels import STATUS_LABELS, FormLabels
from surveyapp.core.ledgerin import values as cellv
from surveyapp.core.ledgerin.codes import LedgerInCode
from surveyapp.core.ledgerin.layout import Layout, Target, norm_value
from surveyapp.core.store.records import check_exit
from surveyapp.errors import SurveyError

Severity = Literal["error", "duplicate", "warning"]
Status = Literal["ok", "refused", "duplicate"]
Text = str | Mapping[str, str]

EXIT_REASONS = ("aged_out", "parents_returned", "moved_away", "died", "other")
EXIT_LABELS = {"超龄": "aged_out", "年满18周岁": "aged_out", "满18周岁": "aged_out",
               "父母返乡": "parents_returned", "父母返回": "parents_returned",
               "迁出": "moved_away", "户籍迁出": "moved_away", "死亡": "died",
               "其他": "other"}
_YES_NO = {"是": "yes", "否": "no", "有": "yes", "y": "yes", "n": "no", "√": "yes",
           "✓": "yes", "×": "no", "yes": "yes", "no": "no"}
_SPLIT = re.compile(r"[、，,;；/\s]+")
_TAIL = re.compile(r"^(.*)[（(]([^（()）]*)[)）]$")


def where(sheet: str, row: int) -> int | str:
    """``row``, or ``sheet S, row N`` for a row of one of several sheets."""
    return f"sheet {sheet}, row {row}" if sheet else row


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a row (or one of its cells) is refused, a duplicate, or worth a look.

    :param row: the spreadsheet row number (1 is the first row).
    :param sheet: the sheet the row is on, when the import reads more than one ("").
    :param column: the header of the column ("" for a value the import filled).
    :param field: the form question.
    :param value: the cell as the spreadsheet shows it.
    :param code: the reason's code; its texts are in both languages.
    :param context: the reason's placeholders; a ``{"zh":…, "en":…}`` value is per language.
    """

    row: int
    column: str
    field: str
    value: str
    code: LedgerInCode
    context: Mapping[str, Any]
    severity: Severity = "error"
    sheet: str = ""

    @property
    def where(self) -> int | str:
        """The row number, or ``sheet S, row N`` when the import reads several sheets."""
        return where(self.sheet, self.row)

    def reason(self, lang: str = "zh") -> str:
        ctx = {k: (v.get(lang) or v.get("en", "")) if isinstance(v, Mapping) else v
               for k, v in self.context.items()}
        return self.code.text(lang, **ctx)

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, **({"sheet": self.sheet} if self.sheet else {}),
                "column": self.column, "field": self.field,
                "value": self.value, "code": self.code.name, "severity": self.severity,
                "reason_zh": self.reason("zh"), "reason_en": self.reason("en")}


@dataclass(frozen=True, slots=True)
class Exit:
    reason: str
    date: str


@dataclass(slots=True)
class Outcome:
    """What became of one row: the submission to save, or why not."""

    row: int
    status: Status = "ok"
    sheet: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    filled: tuple[str, ...] = ()
    exit: Exit | None = None

    @property
    def where(self) -> int | str:
        """The row number, or ``sheet S, row N`` when the import reads several sheets."""
        return where(self.sheet, self.row)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


class Known:
    """Children for the duplicate check: by ID number and by (name, birth date, village),
    each → what the match is reported as (a record id, or a row of the file).

    A key is kept as a 128-bit digest of its text (BLAKE2b), not as the texts, in an
    in-memory SQLite table (about 30 bytes an entry, where a Python dict of them takes
    about 125), so that the index of a 100,000-row file stays small; two different keys
    with the same digest are as unlikely as two revisions with the same id. Pickled as
    its entries (for the import's second process).
    """

    __slots__ = ("_db",)

    def __init__(self) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute("CREATE TABLE seen (key BLOB PRIMARY KEY, who) WITHOUT ROWID")

    def add(self, record: str | int, id_number: str, name: str, birth: str,
            village: str) -> None:
        keys: list[tuple[bytes, str | int]] = []
        if id_number:
            keys.append((_id_key(id_number.upper()), record))
        if name and birth:
            keys.append((_person_key(name, birth, village), record))
        self._db.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?)", keys)

    def by_id(self, id_number: str) -> str | int | None:
        """Who has this ID number (upper case), if anyone."""
        return self._find(_id_key(id_number))

    def by_person(self, name: str, birth: str, village: str) -> str | int | None:
        """Who has this name, birth date and village, if anyone."""
        return self._find(_person_key(name, birth, village))

    def _find(self, key: bytes) -> str | int | None:
        row = self._db.execute("SELECT who FROM seen WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def __getstate__(self) -> list[tuple[bytes, str | int]]:
        return list(self._db.execute("SELECT key, who FROM seen"))

    def __setstate__(self, state: list[tuple[bytes, str | int]]) -> None:
        self.__init__()  # type: ignore[misc]
        self._db.executemany("INSERT INTO seen VALUES (?, ?)", state)


def _id_key(id_number: str) -> bytes:
    return blake2b(f"i{id_number}".encode(), digest_size=16).digest()


def _person_key(name: str, birth: str, village: str) -> bytes:
    # Each text prefixed by its length: no two triples give the same text.
    text = f"p{len(name)}:{name}{len(birth)}:{birth}{len(village)}:{village}"
    return blake2b(text.encode(), digest_size=16).digest()


class RowChecker:
    """Checks rows one at a time (see the module docstring)."""

    def __init__(self, form: Form, layout: Layout, labels: FormLabels, *,
                 known: Known | None = None, today: dt.date | None = None,
                 scope: str = "") -> None:
        self.form, self.layout, self.labels = form, layout, labels
        self.scope = scope
        self._asof: AsOf | None = None
        self._exits = {norm_value(label): reason for table in SHOWN_EXITS.values()
                       for reason, label in table.items()}
        self.today = today or dt.date.today()
        self.known = known or Known()
        self.in_file = Known()
        self._sheets: list[str] = []  # the sheets named by in_file's rows
        self._sheet_index: dict[str, int] = {}
        self._tables: dict[str, dict[str, str]] = {}
        self._maker = CellMaker([], labels)
        self._headers = {t.field: t.header for t in layout.targets.values()
                         if t.kind != "derived"}
        villages = self._villages = labels.villages()
        self._village_codes = set(villages)
        self._village_names: dict[str, list[str]] = {}
        for code, (name, _town) in villages.items():
            self._village_names.setdefault(norm_value(name), []).append(code)
        towns = labels.choices.get(labels.lists.get("township_code", "township"), {})
        self._town_names = {norm_value(name): code for code, name in towns.items()}
        self._town_codes = set(towns)
        self._status = {norm_value(label): key for table in STATUS_LABELS.values()
                        for key, label in table.items() if key}

    # --- labels ----------------------------------------------------------------------------
    def field_text(self, name: str) -> dict[str, str]:
        node = self.form.nodes.get(name)
        label = node.label if isinstance(node, Question) else {}
        fallback = self.form.default_language
        return {"zh": text_in(label, "zh", fallback) or name,
                "en": text_in(label, "en", "") or name}

    def table(self, name: str) -> dict[str, str]:
        """Cell text (normalised) → choice name for a select question."""
        if name in self._tables:
            return self._tables[name]
        node = self.form.nodes.get(name)
        out: dict[str, str] = {}
        if isinstance(node, Question) and node.choices:
            items = self.form.choices.get(node.choices, ())
            names = {c.name for c in items}
            if names == {"yes", "no"}:
                out.update(_YES_NO)
            for c in items:
                out[norm_value(c.name)] = c.name
                for text in c.label.values():
                    if text:
                        out.setdefault(norm_value(text), c.name)
        out.update(self.layout.values.get(name, {}))
        self._tables[name] = out
        return out

    def _known(self, name: str) -> str:
        node = self.form.nodes.get(name)
        if isinstance(node, Question) and node.choices:
            items = self.form.choices.get(node.choices, ())
            return "、".join(text_in(c.label, "zh", self.form.default_language) or c.name
                            for c in items[:12])
        return ""

    # --- cells -----------------------------------------------------------------------------
    def choice(self, name: str, raw: Any) -> str:
        text = cellv.text(raw)
        if not text:
            return ""
        found = self.table(name).get(norm_value(text).lower()) or self.table(name).get(
            norm_value(text))
        if found is None:
            raise cellv.Refused(LedgerInCode.LEDIN_007, value=text,
                                field=self.field_text(name), known=self._known(name))
        return found

    def multi(self, name: str, raw: Any) -> str:
        text = cellv.text(raw)
        if not text:
            return ""
        whole = self.table(name).get(norm_value(text))
        if whole is not None:
            return whole
        return " ".join(self.choice(name, part) for part in _SPLIT.split(text) if part)

    def village(self, raw: Any, township: str) -> str:
        text = cellv.text(raw)
        if not text:
            return ""
        code = cellv.code_text(raw)
        if code in self._village_codes:
            return self._in_scope(code, text)
        codes = self._village_names.get(norm_value(text), [])
        if township:
            codes = [c for c in codes if self._villages[c][1] == township] or codes
        if len(codes) == 1:
            return self._in_scope(codes[0], text)
        raise cellv.Refused(LedgerInCode.LEDIN_004, value=text)

    def _in_scope(self, code: str, text: str) -> str:
        if self.scope and not code.startswith(self.scope):
            raise cellv.Refused(LedgerInCode.LEDIN_027, value=text, scope=self.scope)
        return code

    def township(self, raw: Any) -> str:
        text = cellv.text(raw)
        if not text:
            return ""
        code = cellv.code_text(raw)
        if code in self._town_codes:
            return code
        found = self._town_names.get(norm_value(text))
        if found is None:
            raise cellv.Refused(LedgerInCode.LEDIN_005, value=text)
        return found

    def _split_tail(self, name: str, text: str) -> tuple[str, str]:
        """``label（extra）`` → (choice name, extra); the whole text first (some labels
        hold brackets themselves)."""
        table = self.table(name)
        whole = table.get(norm_value(text))
        if whole is not None:
            return whole, ""
        match = _TAIL.match(text.strip())
        if match is not None:
            head = table.get(norm_value(match.group(1)))
            if head is not None:
                return head, match.group(2).strip()
        return self.choice(name, text), ""

    # --- one row ---------------------------------------------------------------------------
    def check(self, row: int, cells: Mapping[Target, Any], sheet: str = "") -> Outcome:
        """Check one row (of ``sheet`` when the import reads several sheets)."""
        out = self._check(Outcome(row, sheet=sheet), cells)
        if sheet:
            out.problems = [replace(p, sheet=sheet) for p in out.problems]
        return out

    def _check(self, out: Outcome, cells: Mapping[Target, Any]) -> Outcome:
        row = out.row
        answers: dict[str, Any] = {}
        derived: list[tuple[Target, Any]] = []
        bad: set[str] = set()
        status, exit_reason, exit_date = "active", "", ""
        ordered = sorted(cells.items(), key=lambda kv: kv[0].kind == "village")
        for target, raw in ordered:
            try:
                kind = target.kind
                if kind == "derived":
                    derived.append((target, raw))
                elif kind == "status":
                    text = cellv.text(raw)
                    status = self._status.get(norm_value(text), "active") if text else "active"
                elif kind == "exit_reason":
                    exit_reason = self._exit_reason(raw)
                elif target.field == "exit_date":
                    exit_date = cellv.to_date(raw)
                else:
                    self._read(target, raw, answers)
            except cellv.Refused as refused:
                bad.add(target.field)
                out.problems.append(Problem(row, target.header, target.field,
                                            cellv.shown(raw), refused.code, refused.context))
        for name, value in self.layout.defaults.items():
            if answers.get(name, "") == "" and name not in bad:
                answers[name] = value
        filled = self._fill(answers, derived)
        session = FormSession(self.form, answers, today=self.today)
        self._form_errors(out, session, answers, bad)
        if out.errors:
            out.status = "refused"
            out.answers = answers  # what could be read, for the preview; never saved
            return out
        submission = session.submission()
        out.answers, out.filled = submission, tuple(filled)
        if status == "exited":
            out.exit = Exit(exit_reason or "other",
                            exit_date or str(submission.get("survey_date", "")))
            survey = str(submission.get("survey_date", ""))
            try:
                check_exit("", submission, out.exit.reason, out.exit.date,
                           first_visit=survey, today=self.today)
            except SurveyError as err:
                out.problems.append(Problem(
                    row, self._headers.get("exit_date", ""), "exit_date", out.exit.date,
                    LedgerInCode.LEDIN_028,
                    {"message": {"zh": err.message("zh"), "en": err.message("en")}}))
                out.status, out.exit = "refused", None
                return out
        self._compare(out, derived, submission)
        self._duplicates(out, submission)
        return out

    def _read(self, target: Target, raw: Any, answers: dict[str, Any]) -> None:
        kind, name = target.kind, target.field
        if kind == "text":
            answers[name] = cellv.text(raw)
        elif kind == "choice":
            answers[name] = self.choice(name, raw)
        elif kind == "multi":
            answers[name] = self.multi(name, raw)
        elif kind == "date":
            answers[name] = cellv.to_date(raw)
        elif kind == "int":
            answers[name] = cellv.to_int(raw)
        elif kind == "id":
            answers[name] = cellv.id_number(raw)
        elif kind == "phone":
            answers[name] = cellv.phone(raw)
        elif kind == "township":
            answers[name] = self.township(raw)
        elif kind == "village":
            code = self.village(raw, str(answers.get("township_code", "")))
            answers[name] = code
            if code and not answers.get("township_code"):
                answers["township_code"] = self._villages[code][1]
        elif kind == "parent":
            text = cellv.text(raw)
            if text:
                answers[name], place = self._split_tail(name, text)
                if place:
                    answers[name.replace("_status", "_away_place")] = place
        elif kind == "health":
            self._health(name, raw, answers)

    def _health(self, name: str, raw: Any, answers: dict[str, Any]) -> None:
        text = cellv.text(raw)
        if not text:
            return
        answers[name], extra = self._split_tail(name, text)
        if not extra:
            return
        grades = self.table("disability_grade")
        kinds: list[str] = []
        for part in re.split(r"[，,]", extra):
            part = part.strip()
            if not part:
                continue
            grade = grades.get(norm_value(part))
            if grade is not None:
                answers["disability_grade"] = grade
            else:
                kinds.append(self.multi("disability_type", part))
        if kinds:
            answers["disability_type"] = " ".join(kinds)

    def _exit_reason(self, raw: Any) -> str:
        text = cellv.text(raw)
        if not text:
            return ""
        key = norm_value(text)
        if key in EXIT_REASONS:
            return key
        if key in self._exits:
            return self._exits[key]
        for label, reason in EXIT_LABELS.items():
            if key.startswith(label):
                return reason
        return "other"

    def _fill(self, answers: dict[str, Any], derived: list[tuple[Target, Any]]) -> list[str]:
        """Fill the required questions a 台账 does not hold (docs/cli.md, "import-ledger")."""
        said = {t.field: norm_value(cellv.text(raw)) for t, raw in derived}
        left_behind = said.get("is_left_behind", "").lower() in ("是", "yes", "y")
        # The ledger shows 留守儿童 as of its own day: for a child past the age limit by now,
        # 否 says nothing about the survey day, so a parent away counts as away then.
        limit = cellv.to_int(self.form_default("lb_age_limit")) or "16"
        age_now = age_on(answers.get("birth_date"), self.today)
        informative = age_now is not None and age_now < int(limit)
        not_left_behind = informative and not left_behind and bool(
            said.get("is_left_behind"))
        filled: list[str] = []

        def put(name: str, value: str) -> None:
            if name in self.form.nodes and answers.get(name, "") == "":
                answers[name] = value
                filled.append(name)

        has_id = "yes" if answers.get("id_number") else "no"
        put("has_id_number", has_id)
        if answers.get("has_id_number") == "no":
            put("no_id_reason", "other")
        # The statistical division code tells a 居委会 (001-199: urban) from a 村委会.
        village = str(answers.get("village_code", ""))
        urban = len(village) == 12 and village[9:].isdigit() and int(village[9:]) < 200
        put("residence_type", "urban" if urban else "rural")
        put("consent", "yes")
        hukou = answers.get("hukou_type", "")
        put("hukou_rural", "yes" if left_behind or hukou == "agricultural" or (
            not not_left_behind and hukou != "non_agricultural") else "no")
        for parent in ("father", "mother"):
            if str(answers.get(f"{parent}_status", "")).startswith("away"):
                put(f"{parent}_away_months", "0" if not_left_behind else "6")
        poverty = self._maker.difficulty({"dk_poverty": "yes"})
        if poverty and poverty in said.get("difficulty", "") and not (
                answers.get("family_dibao") == "yes" or answers.get("family_tekun") == "yes"):
            put("family_difficulty", "living")
            put("family_poverty_monitored", "yes")
        return filled

    def form_default(self, name: str) -> str:
        """A constant calculate of the form (``lb_age_limit`` is ``16``), else ""."""
        node = self.form.nodes.get(name)
        calc = getattr(node, "calculation", "") if isinstance(node, Question) else ""
        return calc if isinstance(calc, str) and calc.strip().isdigit() else ""

    def _form_errors(self, out: Outcome, session: FormSession, answers: Mapping[str, Any],
                     bad: set[str]) -> None:
        for (name, idx), state in session.err.items():
            if state is None or name in bad or idx is not None:
                continue
            code, _ctx = state
            header = self._headers.get(name, "")
            value = cellv.shown(answers.get(name))
            label = self.field_text(name)
            if code is FormCode.FORM_101:
                out.problems.append(Problem(out.row, header, name, value,
                                            LedgerInCode.LEDIN_008, {"field": label}))
                continue
            path = session.path_of(name, None)
            message = {"zh": session.error(path, "zh") or "", "en": session.error(path, "en")
                       or ""}
            if name.endswith("id_number") and value:
                try:
                    cellv.id_number(value)
                except cellv.Refused as refused:
                    out.problems.append(Problem(out.row, header, name, value, refused.code,
                                                refused.context))
                    continue
            out.problems.append(Problem(out.row, header, name, value, LedgerInCode.LEDIN_009,
                                        {"field": label, "message": message}))

    def _compare(self, out: Outcome, derived: Iterable[tuple[Target, Any]],
                 row: Mapping[str, Any]) -> None:
        if derived:
            # The ledger shows ages and categories as of its own day (ops.ledger.as_of_rows);
            # compared as of today, the day the import runs.
            if self._asof is None:
                self._asof = AsOf(self.form, self.today)
            row = self._asof.row(row)
        for target, raw in derived:
            said = cellv.text(raw)
            # Flags and categories only: an age may be shown as of another day than the
            # survey's (it follows from the birth and survey dates, which are imported).
            if not said or target.column is None or target.column.kind not in (
                    "choice", "difficulty"):
                continue
            computed = self._maker.cell(target.column, row, out.row)
            shown = cellv.shown(computed)
            if norm_value(shown) != norm_value(said):
                out.problems.append(Problem(
                    out.row, target.header, target.field, said, LedgerInCode.LEDIN_013,
                    {"value": said, "computed": shown}, "warning"))

    def _duplicates(self, out: Outcome, row: Mapping[str, Any]) -> None:
        id_number = str(row.get("id_number") or "").upper()
        person = (str(row.get("child_name") or ""), str(row.get("birth_date") or ""),
                  str(row.get("village_code") or ""))
        checks: list[tuple[str, str, str | int | None, str | int | None, dict[str, str],
                           str]] = []
        if id_number:
            checks.append((id_number, self._headers.get("id_number", ""),
                           self.known.by_id(id_number), self.in_file.by_id(id_number),
                           {"zh": "身份证号码", "en": "ID number"}, "id_number"))
        if person[0] and person[1]:
            checks.append((" ".join(person), self._headers.get("child_name", ""),
                           self.known.by_person(*person), self.in_file.by_person(*person),
                           {"zh": "姓名、出生日期和村", "en": "name, birth date and village"},
                           "child_name"))
        for shown, column, record, earlier, key, field_name in checks:
            if record is not None:
                out.problems.append(Problem(out.row, column, field_name, shown,
                                            LedgerInCode.LEDIN_012,
                                            {"record": str(record)[:8], "key": key},
                                            "duplicate"))
                out.status = "duplicate"
                return
            if earlier is not None:
                out.problems.append(Problem(out.row, column, field_name, shown,
                                            LedgerInCode.LEDIN_011,
                                            {"other": self._other(earlier), "key": key},
                                            "duplicate"))
                out.status = "duplicate"
                return
        self.in_file.add(self._place(out.sheet, out.row), id_number, *person)

    def _place(self, sheet: str, row: int) -> int:
        """A row of the file as a number (the sheet's index in ``_sheets`` above bit 32)."""
        if not sheet:
            return row
        index = self._sheet_index.get(sheet)
        if index is None:
            index = self._sheet_index[sheet] = len(self._sheets)
            self._sheets.append(sheet)
        return (index + 1) << 32 | row

    def _other(self, earlier: str | int) -> str | dict[str, str]:
        """An earlier row of the file as LEDIN_011 names it (with its sheet, if any)."""
        place = int(earlier)
        index, row = place >> 32, place & 0xFFFFFFFF
        if not index:
            return str(row)
        sheet = self._sheets[index - 1]
        return {"en": f"{row} of sheet {sheet}", "zh": f"{row}（“{sheet}”表）"}
