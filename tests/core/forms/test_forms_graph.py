"""The dependency graph: a change re-evaluates only what depends on it, in order."""

from __future__ import annotations

from formtest import survey

from surveyapp.core.forms import FormSession, parse_markdown

MD = survey(
    "| type | name | label | calculation | relevant | constraint |",
    "| integer | a | A | | | |",
    "| integer | b | B | | | |",
    "| calculate | a2 | | ${a} * 2 | | |",
    "| calculate | a4 | | ${a2} * 2 | | |",
    "| calculate | b2 | | ${b} * 2 | | |",
    "| text | only_if_a | X | | ${a4} > 10 | |",
    "| integer | c | C | | | . > ${a} |",
)


def nodes(s: FormSession) -> set[tuple[str, str]]:
    return {(kind, name) for kind, name, _idx in s.evaluated}


def test_change__only_dependents_re_evaluated():
    s = FormSession(parse_markdown(MD))
    s.set("a", 1)
    assert nodes(s) == {
        ("val", "a"),
        ("err", "a"),
        ("val", "a2"),
        ("val", "a4"),
        ("rel", "only_if_a"),
        ("err", "c"),
    }
    s.set("b", 1)
    assert nodes(s) == {("val", "b"), ("err", "b"), ("val", "b2")}


def test_change__topological_order():
    s = FormSession(parse_markdown(MD))
    s.set("a", 3)
    order = [(k, n) for k, n, _ in s.evaluated]
    assert order.index(("val", "a2")) < order.index(("val", "a4"))
    assert order.index(("val", "a4")) < order.index(("rel", "only_if_a"))
    assert s.is_relevant("only_if_a")


def test_unchanged_result__stops_propagation():
    s = FormSession(parse_markdown(MD), {"a": 1})
    s.set("a", 1)  # the same value again
    assert nodes(s) == {("val", "a"), ("err", "a")}


def test_changed_paths__reported_for_refresh():
    s = FormSession(parse_markdown(MD), {"a": 1, "c": 5})
    changed = s.set("a", 6)
    assert changed == {"a", "a2", "a4", "only_if_a", "c"}  # c's constraint now fails
    assert s.error("c") is not None


def test_topological_order__covers_every_node_once():
    form = parse_markdown(MD)
    order = form.program.order
    assert len(order) == len(set(order))
    rank = form.program.rank
    for source, targets in form.program.dependents.items():
        assert all(rank[source] < rank[t] for t in targets)
