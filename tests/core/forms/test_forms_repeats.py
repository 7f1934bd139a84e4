"""Repeats: instances, same-instance references, aggregates, position, submission."""

from __future__ import annotations

import pytest
from formtest import survey

from surveyapp.core.forms import FormSession, parse_markdown
from surveyapp.errors import SurveyError

MD = survey(
    "| type | name | label | calculation | constraint | required | default |",
    "| integer | limit | Limit | | | | 10 |",
    "| begin repeat | kids | Kids | | | | |",
    "| text | kname | Name | | | yes | |",
    "| integer | kage | Age | | . < ${limit} | | |",
    "| calculate | older | | ${kage} + 1 | | | |",
    "| calculate | pos | | position(..) | | | |",
    "| end repeat | | | | | | |",
    "| calculate | n | | count(${kids}) | | | |",
    "| calculate | total | | sum(${kage}) | | | |",
    "| calculate | names | | join(',', ${kname}) | | | |",
)


def session(kids=None):
    return FormSession(parse_markdown(MD), {"kids": kids} if kids is not None else None)


def test_answers_with_repeat__instances_and_aggregates():
    s = session([{"kname": "a", "kage": 3}, {"kname": "b", "kage": 5}])
    assert s.repeat_count("kids") == 2
    assert (s.value("n"), s.value("total"), s.value("names")) == ("2", "8", "a,b")
    assert s.value("kids[1]/older") == "6"  # same instance
    assert (s.value("kids[0]/pos"), s.value("kids[1]/pos")) == ("1", "2")


def test_add_repeat__index_and_count_update():
    s = session()
    assert s.value("n") == "0" and s.value("total") == "0"
    assert s.add_repeat("kids") == 0 and s.add_repeat("kids") == 1
    assert s.value("n") == "2"
    assert s.value("total") == "0"  # JavaRosa: sum() skips empty answers
    s.set("kids[0]/kage", 1)
    assert s.value("total") == "1"
    changed = s.set("kids[1]/kage", 4)
    assert {"kids[1]/kage", "kids[1]/older", "total"} <= changed
    assert "kids[0]/older" not in changed
    assert s.value("total") == "5"


def test_required_inside_repeat__error_per_instance():
    s = session([{"kname": "a"}, {}])
    assert s.errors("en") == {"kids[1]/kname": "This question is required. Please answer it."}


def test_outside_value_change__re_evaluates_every_instance():
    s = session([{"kname": "a", "kage": 5}, {"kname": "b", "kage": 8}])
    assert s.errors() == {}
    changed = s.set("limit", 6)
    assert "kids[1]/kage" in changed and "kids[0]/kage" not in changed
    assert list(s.errors()) == ["kids[1]/kage"]


def test_remove_repeat__later_instances_move_down():
    s = session([{"kname": "a", "kage": 1}, {"kname": "b", "kage": 2}, {"kname": "c", "kage": 3}])
    s.remove_repeat("kids", 0)
    assert s.repeat_count("kids") == 2
    assert s.value("kids[0]/kname") == "b" and s.value("kids[0]/pos") == "1"
    assert (s.value("n"), s.value("total"), s.value("names")) == ("2", "5", "b,c")
    with pytest.raises(SurveyError):
        s.value("kids[2]/kname")


def test_submission__repeat_is_list_of_dicts():
    s = session([{"kname": "a", "kage": 3}])
    sub = s.submission()
    assert sub["kids"] == [{"kname": "a", "kage": 3, "older": "4", "pos": "1"}]
    assert sub["n"] == "1" and sub["limit"] == 10


def test_bad_repeat_answers__form_202():
    with pytest.raises(SurveyError) as info:
        session("not a list")  # type: ignore[arg-type]
    assert info.value.code.name == "FORM_202"


def test_unknown_repeat__refused():
    s = session()
    with pytest.raises(SurveyError):
        s.add_repeat("limit")
    with pytest.raises(SurveyError):
        s.remove_repeat("kids", 0)


def test_repeat_relevance__children_follow():
    md = survey(
        "| type | name | label | relevant |",
        "| integer | n | N | |",
        "| begin repeat | r | R | ${n} > 0 |",
        "| text | x | X | |",
        "| end repeat | | | |",
    )
    s = FormSession(parse_markdown(md), {"n": 0, "r": [{"x": "a"}]})
    assert not s.is_relevant("r[0]/x")
    assert "r" not in s.submission()
    s.set("n", 1)
    assert s.is_relevant("r[0]/x") and s.submission()["r"] == [{"x": "a"}]


COUNTED = survey(
    "| type | name | label | repeat_count | calculation |",
    "| integer | how_many | N | | |",
    "| begin repeat | r | R | ${how_many} | |",
    "| text | x | X | | |",
    "| calculate | p | | | position(..) |",
    "| end repeat | | | | |",
    "| calculate | filled | | | count(${x}) |",
    "| calculate | joined | | | join('', ${p}) |",
)


def test_repeat_count__instances_follow_the_count():
    s = FormSession(parse_markdown(COUNTED), {"how_many": 2, "r": [{"x": "a"}]})
    assert s.repeat_count("r") == 2 and s.value("r[1]/p") == "2"
    assert s.value("joined") == "12"
    s.set("how_many", 3)
    assert s.repeat_count("r") == 3 and s.value("joined") == "123"
    s.set("r[2]/x", "c")
    s.set("how_many", 1)
    assert s.repeat_count("r") == 1 and s.value("joined") == "1"
    assert s.value("r[0]/x") == "a" and s.value("filled") == "1"
    s.set("how_many", "")
    assert s.repeat_count("r") == 0 and s.value("joined") == ""


def test_remove_repeat__aggregates_and_positions_update_incrementally():
    s = session([{"kname": "a", "kage": 1}, {"kname": "b", "kage": 2}, {"kname": "c", "kage": 3}])
    s.remove_repeat("kids", 1)
    assert (s.value("total"), s.value("names"), s.value("kids[1]/pos")) == ("4", "a,c", "2")
    fresh = session([{"kname": "a", "kage": 1}, {"kname": "c", "kage": 3}])
    assert s.submission() == fresh.submission() and s.errors() == fresh.errors()


def test_repeat_member_given_at_top_level__ignored():
    s = FormSession(parse_markdown(MD), {"kname": "stray", "kids": [{"kname": "a"}]})
    assert s.submission()["kids"][0]["kname"] == "a" and "kname" not in s.submission()
