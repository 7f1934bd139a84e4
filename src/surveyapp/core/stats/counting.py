"""Counting children for the county's statistics: pure, one streaming pass over rows.

``compute_stats(rows, *, labels, county_name, now=None, round_of=half_year, visits=None)
-> Stats``.
Exited children are left out of every table except coverage. Ages and the age-bound
categories are the rows' own: the operations layer re-evaluates them as of the report's
date first (``surveyapp.core.forms.asof``). Tables whose columns overlap say so in their
``note``. Tables (keys):

- ``category_by_township`` / ``category_by_village``: 留守, 困境 and each 困境 kind,
  孤儿, 事实无人抚养, both 留守 and 困境, 强制报告;
- ``risk_by_township``, ``sex_by_township`` (with 未填), ``age_by_township`` (0–5, 6–11,
  12–15, 16–17, 18 and over, 年龄不详), ``school_by_township`` (the form's school statuses,
  with 未填): one column per child, so each row adds up to the township's children;
- ``safety_net_by_township``: enrolled in each safety net; ``gaps_by_township``: in need
  but not enrolled (the gap the county must close; rules in ``GAP_RULES``);
- ``coverage_by_township``: villages on file, villages that reported, children,
  households visited (distinct ``household_id``, else distinct address per village);
- ``trend_by_round``: children screened, 留守, 困境 and high risk per screening round
  (``round_of`` maps a date to a round label). With ``visits`` (every visit's submission
  with its ``record_id``), a child counts once in each round it was visited, classified
  as at its last visit of that round; without, each child counts in the round of its
  last visit only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from surveyapp.core.ledger.columns import to_date, to_int
from surveyapp.core.ledger.labels import FormLabels
from surveyapp.core.ledger.safetynet import SAFETY_NET_GAPS, enrolled
from surveyapp.core.stats.model import CountTable, Stats

Row = Mapping[str, Any]
TOTAL = ("", "合计")

CATEGORY_COLUMNS = (
    ("total", "儿童总数"), ("left_behind", "留守儿童"), ("in_difficulty", "困境儿童"),
    ("both", "既留守又困境"), ("poverty", "困境·贫困"), ("disability", "困境·残疾"),
    ("guardianship", "困境·监护缺失"), ("orphan", "孤儿"), ("unsupported", "事实无人抚养"),
    ("urgent", "强制报告"),
)
RISK_COLUMNS = (("high", "高风险"), ("medium", "中风险"), ("low", "低风险"))
SEX_COLUMNS = (("male", "男"), ("female", "女"), ("", "未填"))
AGE_BANDS = ((0, 5, "0–5岁"), (6, 11, "6–11岁"), (12, 15, "12–15岁"), (16, 17, "16–17岁"),
             (18, 10_000, "18岁及以上"))
AGE_UNKNOWN = "年龄不详"
AGE_COLUMNS = (*((label, label) for _, _, label in AGE_BANDS), (AGE_UNKNOWN, AGE_UNKNOWN))
NOTE_OVERLAP = "一名儿童可同时计入多列，各列不相加；儿童总数列为合计。"
NOTE_MULTI = "一名儿童可计入多列，各列不相加，与在册儿童数不相等。"
NOTE_COVERAGE = "村数、户数不是儿童数；在册儿童列之和为儿童总数。"
NOTE_TREND = "各轮计该轮走访的儿童（一名儿童可在多轮出现），不与在册儿童数相加。"
SAFETY_NETS = (
    ("family_dibao", "低保"), ("family_tekun", "特困供养"), ("orphan_allowance", "孤儿生活费"),
    ("unsupported_allowance", "事实无人抚养补贴"), ("disability_subsidies", "残疾人两项补贴"),
    ("medical_insurance", "城乡居民医保"), ("medical_assistance", "医疗救助"),
    ("temp_assistance", "临时救助"), ("housing_assistance", "住房救助"),
    ("education_aid", "教育资助"),
)
COVERAGE_COLUMNS = (
    ("villages", "村（居）总数"), ("reported", "已报送村数"), ("not_reported", "未报送村数"),
    ("children", "在册儿童"), ("households", "走访户数"),
)
TREND_COLUMNS = (
    ("screened", "排查儿童"), ("left_behind", "留守儿童"), ("in_difficulty", "困境儿童"),
    ("high", "高风险"),
)


def _yes(row: Row, key: str) -> bool:
    return row.get(key) == "yes"


def _any(row: Row, key: str, *values: str) -> bool:
    return bool(set(str(row.get(key) or "").split()) & set(values))


def _in_school(row: Row) -> bool:
    return _any(row, "school_status", "primary", "junior", "senior", "vocational",
                "special_school", "kindergarten")


#: Gap rules: (column key, label, "in need" test, enrolled field).
GAP_RULES: tuple[tuple[str, str, Callable[[Row], bool], str], ...] = (
    *SAFETY_NET_GAPS,  # the same rules as the 应保未保 list (core/ledger/safetynet.py)
    ("medical", "重病残疾未获医疗救助",
     lambda r: _any(r, "health_status", "serious_illness", "disabled"), "medical_assistance"),
    ("education", "困境在学未获教育资助",
     lambda r: _yes(r, "is_in_difficulty") and _in_school(r), "education_aid"),
)


def _enrolled(row: Row, field: str) -> bool:
    return enrolled(row, field)


def half_year(day: date) -> str:
    """The screening round of a date: ``2026年上半年`` or ``2026年下半年``."""
    return f"{day.year}年{'上' if day.month <= 6 else '下'}半年"


def age_band(age: int | None) -> str:
    """The age-band label of an age in whole years (年龄不详 when unknown or negative)."""
    if age is None:
        return AGE_UNKNOWN
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return AGE_UNKNOWN


def _categories(row: Row) -> list[str]:
    keys = ["total"]
    lb, dk = _yes(row, "is_left_behind"), _yes(row, "is_in_difficulty")
    keys += [k for k, flag in (("left_behind", lb), ("in_difficulty", dk), ("both", lb and dk))
             if flag]
    for key, field in (("poverty", "dk_poverty"), ("disability", "dk_disability"),
                       ("guardianship", "dk_guardianship"), ("orphan", "is_orphan"),
                       ("unsupported", "is_unsupported"), ("urgent", "urgent_report")):
        if _yes(row, field):
            keys.append(key)
    return keys


def compute_stats(
    rows: Iterable[Row],
    *,
    labels: FormLabels,
    county_name: str,
    now: datetime | None = None,
    round_of: Callable[[date], str] = half_year,
    visits: Iterable[Row] | None = None,
) -> Stats:
    """Count ``rows`` (child rows, read once) into every statistics table.

    :param rows: child rows as for the ledger.
    :param labels: choice labels; its village list defines coverage (every village).
    :param county_name: for titles.
    :param now: the time stamp of the counts.
    :param round_of: maps a survey date to a screening-round label.
    :param visits: visit submissions (with ``record_id``) for the trend; see above.
    """
    town: dict[str, Counter[str]] = defaultdict(Counter)
    village: dict[str, Counter[str]] = defaultdict(Counter)
    trend: dict[str, Counter[str]] = defaultdict(Counter)
    households: dict[str, set[str]] = defaultdict(set)
    reported: set[str] = set()
    names: dict[str, str] = {}
    children = exited = 0
    known_schools = set(labels.choices.get("school_status", {}))
    for row in rows:
        t_code, v_code = str(row.get("township_code") or ""), str(row.get("village_code") or "")
        if row.get("township_name"):
            names[t_code] = str(row["township_name"])
        if row.get("village_name"):
            names[v_code] = str(row["village_name"])
        reported.add(v_code)
        if (row.get("status") or "active") != "active":
            exited += 1
            continue
        children += 1
        households[v_code].add(str(row.get("household_id") or row.get("current_address") or
                                   row.get("record_id") or children))
        counts = town[t_code]
        for key in _categories(row):
            counts[key] += 1
            village[v_code][key] += 1
        counts[f"risk:{row.get('risk_level') or 'low'}"] += 1
        sex = row.get("sex") or ""
        counts[f"sex:{sex if sex in ('male', 'female') else ''}"] += 1
        counts[f"age:{age_band(to_int(row.get('age_years')))}"] += 1
        school = str(row.get("school_status") or "")
        counts[f"school:{school if school in known_schools else ''}"] += 1
        for field, _ in SAFETY_NETS:
            if _yes(row, field):
                counts[f"net:{field}"] += 1
        for key, _, in_need, field in GAP_RULES:
            if in_need(row) and not _enrolled(row, field):
                counts[f"gap:{key}"] += 1
        if visits is None:
            _tally(trend, round_of, row)
    if visits is not None:
        _trend_from_visits(trend, round_of, visits)
    every_village = labels.villages()
    towns = _township_keys(labels, town, every_village, names)
    tables = _tables(labels, town, village, trend, households, reported, every_village,
                     towns, names)
    return Stats(county_name=county_name, generated=now or datetime.now(), children=children,
                 exited=exited, tables=tables)


def _tally(trend: dict[str, Counter[str]], round_of: Callable[[date], str], row: Row) -> None:
    day = to_date(row.get("survey_date") or row.get("last_visit_date"))
    if day is None:
        return
    tally = trend[round_of(day)]
    tally["screened"] += 1
    tally["left_behind"] += _yes(row, "is_left_behind")
    tally["in_difficulty"] += _yes(row, "is_in_difficulty")
    tally["high"] += row.get("risk_level") == "high"


def _trend_from_visits(trend: dict[str, Counter[str]], round_of: Callable[[date], str],
                       visits: Iterable[Row]) -> None:
    last: dict[tuple[str, str], tuple[date, tuple[bool, bool, bool]]] = {}
    for visit in visits:
        day = to_date(visit.get("survey_date"))
        if day is None:
            continue
        key = (round_of(day), str(visit.get("record_id") or id(visit)))
        flags = (_yes(visit, "is_left_behind"), _yes(visit, "is_in_difficulty"),
                 visit.get("risk_level") == "high")
        if key not in last or last[key][0] <= day:
            last[key] = (day, flags)
    for (label, _), (_, (lb, dk, high)) in last.items():
        tally = trend[label]
        tally["screened"] += 1
        tally["left_behind"] += lb
        tally["in_difficulty"] += dk
        tally["high"] += high


def _township_keys(labels: FormLabels, town: Mapping[str, Any],
                   villages: Mapping[str, tuple[str, str]],
                   names: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    codes = sorted(set(town) | {parent for _, parent in villages.values()})
    return tuple((c, names.get(c) or labels.label("township_code", c)) for c in codes if c)


def _table(key: str, title: str, header: str, rows: tuple[tuple[str, str], ...],
           columns: tuple[tuple[str, str], ...], source: Mapping[str, Counter[str]],
           prefix: str = "", note: str = "") -> CountTable:
    values = {(r, c): source[r][prefix + c] for r, _ in rows for c, _ in columns
              if r in source and source[r][prefix + c]}
    return CountTable(key, title, header, rows, columns, values, note)


def _tables(labels: FormLabels, town: Mapping[str, Counter[str]],
            village: Mapping[str, Counter[str]], trend: Mapping[str, Counter[str]],
            households: Mapping[str, set[str]], reported: set[str],
            every_village: Mapping[str, tuple[str, str]], towns: tuple[tuple[str, str], ...],
            names: Mapping[str, str]) -> dict[str, CountTable]:
    head = "乡镇（街道）"
    school = (*labels.choices.get("school_status", {}).items(), ("", "未填"))
    v_codes = sorted(set(every_village) | {v for v in village if v})
    v_rows = tuple((v, names.get(v) or every_village.get(v, (v, ""))[0]) for v in v_codes)
    coverage: dict[str, Counter[str]] = defaultdict(Counter)
    for v in v_codes:
        parent = every_village.get(v, ("", v[:9]))[1]
        coverage[parent]["villages"] += 1
        coverage[parent]["reported" if v in reported else "not_reported"] += 1
        coverage[parent]["children"] += village.get(v, Counter())["total"]
        coverage[parent]["households"] += len(households.get(v, ()))
    gaps = tuple((k, label) for k, label, _, _ in GAP_RULES)
    rounds = tuple((r, r) for r in sorted(trend))
    return {
        t.key: t for t in (
            _table("category_by_township", "分乡镇儿童类别统计", head, towns,
                   CATEGORY_COLUMNS, town, note=NOTE_OVERLAP),
            _table("category_by_village", "分村（居）儿童类别统计", "村（居）", v_rows,
                   CATEGORY_COLUMNS, village, note=NOTE_OVERLAP),
            _table("risk_by_township", "分乡镇风险等级统计", head, towns, RISK_COLUMNS, town,
                   "risk:"),
            _table("sex_by_township", "分乡镇性别统计", head, towns, SEX_COLUMNS, town, "sex:"),
            _table("age_by_township", "分乡镇年龄段统计", head, towns, AGE_COLUMNS, town,
                   "age:"),
            _table("school_by_township", "分乡镇就学状况统计", head, towns, school, town,
                   "school:"),
            _table("safety_net_by_township", "分乡镇保障政策落实统计", head, towns,
                   SAFETY_NETS, town, "net:", NOTE_MULTI),
            _table("gaps_by_township", "应保未保（需求未落实）统计", head, towns, gaps, town,
                   "gap:", NOTE_MULTI),
            _table("coverage_by_township", "排查覆盖情况", head, towns, COVERAGE_COLUMNS,
                   coverage, note=NOTE_COVERAGE),
            _table("trend_by_round", "各轮排查趋势", "排查轮次", rounds, TREND_COLUMNS, trend,
                   note=NOTE_TREND),
        )
    }
