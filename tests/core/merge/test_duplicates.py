"""DUP-1 same ID number; DUP-2 same person moved between villages; DUP-3 same name, birth
date and guardian; DUP-4 decided pairs are not proposed again; nothing is merged."""

from surveyapp.core.merge.duplicates import ChildKey, DuplicateKind, find_candidates

V1 = "522422101201"
ID = "52242220150308123X"


def _k(rid, name="王小明", pinyin="wxm", birth="2015-03-08", idn="", guardian="李芳", village=V1):
    return ChildKey(rid, name, pinyin, birth, idn, guardian, village)


def test_same_id_same_village__same_id():  # DUP-1
    c = find_candidates([_k("a", idn=ID), _k("b", name="王晓明", idn=ID.lower())])
    assert [(x.kind, x.a, x.b) for x in c] == [(DuplicateKind.SAME_ID, "a", "b")]
    assert c[0].evidence["name"] == ("王小明", "王晓明")


def test_same_person_two_villages__moved():  # DUP-2
    c = find_candidates([_k("a"), _k("b", village="522422102203", guardian="")])
    assert [x.kind for x in c] == [DuplicateKind.MOVED]


def test_same_name_birth_guardian__same_person():  # DUP-3
    c = find_candidates([_k("a"), _k("b", name="王晓明")])  # pinyin agrees, characters differ
    assert [x.kind for x in c] == [DuplicateKind.SAME_PERSON]


def test_different_guardian_same_village__not_proposed():  # DUP-3
    assert find_candidates([_k("a"), _k("b", guardian="张红")]) == []


def test_decided_pair__not_proposed_again():  # DUP-4
    assert find_candidates([_k("a"), _k("b")], decided=[frozenset({"a", "b"})]) == []


def test_empty_id_numbers__not_matched():  # DUP-1
    assert find_candidates([_k("a", name="甲", pinyin="j"), _k("b", name="乙", pinyin="y")]) == []
