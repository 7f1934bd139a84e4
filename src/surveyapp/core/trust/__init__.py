"""Trust: the county authority, device enrollment, revocation and signed updates.

- :mod:`.authority` (county): ``init_county``, ``enroll``, ``revoke``, ``readmit``,
  ``trust_update``, ``recovery_identity``, :class:`FormPackage`.
- :mod:`.device` (village/township): ``enroll_request``, ``accept_enrollment``,
  ``apply_update``, ``form_package``.
- :mod:`.keystore`: where keys and the device list live in the workspace; ``signers(ws)``,
  ``recipients(ws)``, ``signing_key(ws)``, ``age_identities(ws)`` for the batch code.
- :mod:`.receipts`: ``make_receipt``, ``read_receipt`` (signed "batch received" files).
- :mod:`.sealed`: the signed JSON file format of trust documents.
"""

from surveyapp.core.trust.authority import (
    FormPackage,
    enroll,
    init_county,
    readmit,
    recovery_identity,
    revoke,
    trust_update,
)
from surveyapp.core.trust.device import Applied, accept_enrollment, apply_update, enroll_request
from surveyapp.core.trust.keystore import CountyKeys, DeviceEntry

__all__ = [
    "Applied", "CountyKeys", "DeviceEntry", "FormPackage", "accept_enrollment",
    "apply_update", "enroll", "enroll_request", "init_county", "readmit",
    "recovery_identity", "revoke", "trust_update",
]
