"""Issue #18 item 3: a bug inside the manifest check is a bug, not a "not canonical" refusal;
a manifest that is not canonical JSON is still refused as such."""

from __future__ import annotations

import pytest

from surveyapp.core.batch import manifest as manifest_mod
from surveyapp.core.batch.codes import HeaderError
from surveyapp.core.batch.manifest import parse_manifest


def test_non_nfc_text__not_canonical() -> None:
    body = '{"batch_id":"e\u0301"}'.encode()  # "é" decomposed: not NFC
    with pytest.raises(HeaderError) as info:
        parse_manifest(body, path="x.batch.zip")
    assert "not canonical" in str(info.value.context.get("reason"))


def test_float__not_canonical() -> None:
    with pytest.raises(HeaderError) as info:
        parse_manifest(b'{"a":1.5}', path="x.batch.zip")
    assert "not canonical" in str(info.value.context.get("reason"))


def test_not_json__not_json() -> None:
    with pytest.raises(HeaderError) as info:
        parse_manifest(b"\xff{", path="x.batch.zip")
    assert info.value.context.get("reason") == "manifest is not JSON"


def test_bug_in_the_check__raised_not_disguised(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_obj: object) -> bytes:
        raise KeyError("a bug")

    monkeypatch.setattr(manifest_mod, "canonical_json", broken)
    with pytest.raises(KeyError):
        parse_manifest(b'{"a":1}', path="x.batch.zip")
