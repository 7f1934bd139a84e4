"""Issue 24: who saw which child. As county user ``li``, every read and export writes one
audit entry with the right subject and no personal data, and ``audit list`` reads it back
with its filters; ``audit verify`` catches a cut or rewritten chain made straight in SQL
with the SQLCipher key, as a workspace user could."""

from __future__ import annotations

import json

import pytest

from surveyapp.cli.main import main
from surveyapp.core.ledger.sample import sample_rows
from surveyapp.core.store import Workspace, keys
from surveyapp.core.store.canonical import canonical_json
from surveyapp.core.store.connection import connect

PW = "county-pass-2026"
LI_PW = "li-password-2026"


@pytest.fixture
def county(tmp_path, monkeypatch):
    path = tmp_path / "county.sdb"
    rows = list(sample_rows(12, seed=5))
    with Workspace.create(path, role="county", org_code="522422", org_name="大方县",
                          user="wang", password=PW, work_factor=10) as ws:
        ids = []
        for row in rows:
            values = {k: v for k, v in row.items()
                      if k not in ("record_id", "status", "follow_up_due", "last_visit_date")}
            ids.append(ws.save_visit(None, values, form_id="child_screening",
                                     form_version="2026.1").child_id)
        ws.add_user("li", LI_PW, work_factor=10)
    monkeypatch.setenv("SURVEYAPP_PASSWORD", LI_PW)
    return path, rows, ids


def _audit(capsys, path, *filters):
    capsys.readouterr()
    assert main(["audit", "list", str(path), "--user", "li", "--json", *filters]) == 0
    return json.loads(capsys.readouterr().out)


def test_each_read_and_export__one_entry_with_subject_no_personal_data(county, tmp_path,
                                                                        capsys):
    path, rows, ids = county
    child = ids[3]
    idn = next(r["id_number"] for r in rows if r.get("id_number"))
    out = tmp_path / "out"
    out.mkdir()
    steps = [
        ["children", "show", str(path), "--user", "li", child],
        ["children", "list", str(path), "--user", "li", "--search", idn[:10]],
        ["children", "list", str(path), "--user", "li", "--search", "zz"],  # by name: not logged
        ["ledger", "export", "--workspace", str(path), "--user", "li", str(out / "台账.xlsx")],
        ["ledger", "export", "--workspace", str(path), "--user", "li", "--mask",
         "--township", "522422102", str(out / "masked.xlsx")],
        ["stats", "--workspace", str(path), "--user", "li", "--xlsx", str(out / "stats.xlsx")],
        ["export", "department", "--preset", "police", "--workspace", str(path),
         "--user", "li", "--reveal", str(out / "police.xlsx")],
        ["export", "department", "--preset", "health", "--workspace", str(path),
         "--user", "li", str(out / "health.xlsx")],
    ]
    for argv in steps:
        assert main(argv) == 0, argv
    # One reveal refused: volunteers never get full numbers.
    assert main(["export", "department", "--preset", "volunteers", "--workspace", str(path),
                 "--user", "li", "--reveal", str(out / "vol.xlsx")]) == 1
    assert "LEDGER_003" in capsys.readouterr().err

    entries = _audit(capsys, path, "--user-filter", "li")
    mine = [e for e in entries if e["action"] in ("read", "export")]
    got = [(e["action"], e["details"].get("what"), e["details"].get("list")) for e in mine]
    assert got == [("read", "child", None), ("read", "search", None),
                   ("export", "ledger", None), ("export", "ledger", None),
                   ("export", "stats", None), ("export", "department", "police"),
                   ("export", "department", "health"), ("read", "reveal", "volunteers")]
    show, search, ledger, masked, stats, police, health, refused = mine
    assert show["subject"] == {"record": child, "what": "child"}
    same = sum(1 for r in rows if str(r.get("id_number") or "").startswith(idn[:10]))
    assert search["details"]["count"] == same and search["details"]["chars"] == 10
    assert ledger["details"]["count"] == len(rows) and ledger["details"]["masked"] is False
    assert ledger["details"]["file"] == "台账.xlsx"
    assert masked["details"]["masked"] is True
    assert masked["details"]["scope"] == "township=522422102"
    assert stats["details"]["file"] == "stats.xlsx"
    assert police["details"]["revealed"] is True and police["subject"]["list"] == "police"
    assert health["details"]["revealed"] is False
    assert refused["details"]["refused"] is True and refused["details"]["list"] == "volunteers"
    assert refused["details"]["reason"] == "LEDGER_003"
    for e in entries:
        assert set(e) >= {"seq", "time", "user", "device", "action", "subject"}
        assert e["user"] == "li" and e["device"]
    # The log holds record ids and counts, never a name, an ID number or a search text.
    with Workspace.open(path, "wang", PW) as ws:
        raw = b"".join(canonical_json(dict(e.details)) for e in ws.audit_entries())
    for row in rows:
        for key in ("child_name", "id_number", "guardian_phone"):
            if row.get(key):
                assert str(row[key]).encode() not in raw
    assert idn[:10].encode() not in raw


def test_audit_list_filters__child_action_since(county, capsys):
    path, _rows, ids = county
    for rid in (ids[0], ids[1], ids[0]):
        assert main(["children", "show", str(path), "--user", "li", rid, "--json"]) == 0
    about = _audit(capsys, path, "--child", ids[0][:8], "--action", "read")
    assert [e["subject"]["record"] for e in about] == [ids[0], ids[0]]
    assert _audit(capsys, path, "--since", "2999-01-01") == []
    saves = _audit(capsys, path, "--action", "save", "--user-filter", "wang")
    assert len(saves) == len(ids)
    assert main(["audit", "list", str(path), "--user", "li", "--since", "yesterday"]) == 1
    assert "AUDIT_006" in capsys.readouterr().err
    assert main(["audit", "show", str(path), "--user", "li", str(about[0]["seq"])]) == 0
    assert f"record: {ids[0]}" in capsys.readouterr().out


def _raw(path):
    """The workspace as a user with the password holds it: the SQLCipher key itself."""
    return connect(path, keys.unlock(path, "li", LI_PW))


def _rehash_from(conn, start):
    """Re-hash the chain from ``start`` on, as someone who read docs/store.md would."""
    import hashlib

    prev = conn.one("SELECT hash FROM audit WHERE seq = ?", (start - 1,))[0]
    for seq, at, user, dev, action, details, _p, _h in conn.execute(
            "SELECT * FROM audit WHERE seq >= ? ORDER BY seq", (start,)):
        body = {"seq": seq, "at": at, "user": user, "device_id": dev, "action": action,
                "details": json.loads(details), "prev_hash": prev}
        digest = hashlib.sha256(canonical_json(body)).hexdigest()
        conn.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?",
                     (prev, digest, seq))
        prev = digest


def test_attack_tail_cut_in_sql__verify_fails_coded(county, capsys):
    path, _rows, ids = county
    assert main(["children", "show", str(path), "--user", "li", ids[2]]) == 0
    assert main(["audit", "verify", str(path), "--user", "li"]) == 0
    anchor = keys.read(path).audit_anchor
    assert anchor is not None
    conn = _raw(path)
    conn.execute("DELETE FROM audit WHERE seq > ?", (anchor[0] - 3,))  # who read the file
    conn.close()
    capsys.readouterr()
    assert main(["audit", "verify", str(path), "--user", "li", "--json"]) == 1
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["code"] == "AUDIT_002" and report["anchor"] == anchor[0]
    assert "AUDIT_002" in captured.err
    assert "被删除" in report["message_zh"] and "removed outside" in report["message_en"]
    # Opening and closing again does not launder the cut: the anchor stays.
    assert keys.read(path).audit_anchor == anchor
    assert main(["audit", "verify", str(path), "--user", "li"]) == 1


def test_attack_rewrite_in_sql__verify_fails_coded(county, capsys):
    path, _rows, ids = county
    assert main(["children", "show", str(path), "--user", "li", ids[2]]) == 0
    anchor = keys.read(path).audit_anchor
    conn = _raw(path)
    # Hide the read: turn it into an unlock and re-hash everything after it.
    [(seq,)] = conn.execute("SELECT seq FROM audit WHERE action = 'read'")
    conn.execute("UPDATE audit SET action = 'unlock', details = '{}' WHERE seq = ?", (seq,))
    _rehash_from(conn, seq)
    conn.close()
    capsys.readouterr()
    assert main(["audit", "verify", str(path), "--user", "li", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["code"] == "AUDIT_003" and report["broken"]["seq"] == anchor[0]
    assert report["message_zh"] and report["message_en"]


def test_edit_in_the_middle__verify_names_the_entry(county, capsys):
    path, _rows, _ids = county
    conn = _raw(path)
    conn.execute("UPDATE audit SET user = 'someone' WHERE seq = 3")
    conn.close()
    assert main(["audit", "verify", str(path), "--user", "li", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["code"] == "AUDIT_001" and report["broken"]["seq"] == 3
