"""The arrival board of a township or the county: what came in from each device and village.

``board(ws, villages) -> Board`` joins the enrolled devices (``core.trust``), the received
sequence numbers per device (``ops.batches.received``) and the import audit entries (the
date each batch arrived). Per device: unit, last sequence seen, the gaps, the last arrival
date; per village: devices, batches, last arrival; and the villages that sent nothing.
The review screen (``ui.review.arrivals``) and ``surveyapp batch arrivals`` show it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from surveyapp.core.forms.model import Form
from surveyapp.core.store import Workspace
from surveyapp.core.trust import keystore
from surveyapp.ops import batches


@dataclass(frozen=True, slots=True)
class DeviceArrivals:
    device_id: str
    org_code: str
    role: str
    revoked: bool
    last_sequence: int  # 0: nothing received
    gaps: tuple[int, ...]
    last_arrival: str  # UTC timestamp of the last import, "" when none


@dataclass(frozen=True, slots=True)
class VillageArrivals:
    village_code: str
    devices: int
    batches: int
    last_arrival: str


@dataclass(frozen=True, slots=True)
class Board:
    devices: tuple[DeviceArrivals, ...]
    villages: tuple[VillageArrivals, ...]

    @property
    def silent(self) -> list[str]:
        """Villages that sent nothing."""
        return [v.village_code for v in self.villages if v.batches == 0]


def _last_arrivals(ws: Workspace) -> dict[str, str]:
    last: dict[str, str] = {}
    for entry in ws.audit_entries():
        device = str(entry.details.get("device", "")) if entry.action == "import" else ""
        if device and entry.at > last.get(device, ""):
            last[device] = entry.at
    return last


def board(ws: Workspace, villages: Sequence[str]) -> Board:
    """The arrival board of ``ws`` for ``villages`` (the village codes in its area).

    A device known only from its batches (not enrolled here) is listed with an unknown unit.
    """
    enrolled = keystore.devices(ws)
    received = batches.received(ws)
    last = _last_arrivals(ws)
    devices = []
    for dev_id in sorted(set(enrolled) | set(received)):
        entry = enrolled.get(dev_id)
        # Only the devices that send here: below this unit, never itself (a township's own
        # laptop, the county's device in a township's trust store).
        if dev_id == ws.device_id or (entry is not None and (
                entry.org_code == ws.org_code or not entry.org_code.startswith(ws.org_code))):
            continue
        seqs = received.get(dev_id, [])
        have = set(seqs)
        gaps = tuple(s for s in range(1, max(have, default=0)) if s not in have)
        devices.append(DeviceArrivals(
            dev_id, entry.org_code if entry else "", entry.role if entry else "",
            bool(entry and entry.revoked), max(have, default=0), gaps, last.get(dev_id, "")))
    rows = []
    for code in villages:
        mine = [d for d in devices if d.org_code == code]
        sent = [d for d in mine if d.last_sequence]
        rows.append(VillageArrivals(code, len(mine), sum(len(received.get(d.device_id, []))
                                                         for d in sent),
                                    max((d.last_arrival for d in sent), default="")))
    return Board(tuple(devices), tuple(rows))


def area_villages(form: Form, org_code: str) -> list[str]:
    """The village codes of the form's ``village`` choice list that lie inside ``org_code``."""
    return [str(c.name) for c in form.choices.get("village", ())
            if str(c.name).startswith(org_code)]
