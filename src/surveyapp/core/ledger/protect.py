"""Password-protected .xlsx files (encrypted OOXML, ECMA-376 Agile): the one module that
imports msoffcrypto-tool.

Excel, WPS and LibreOffice open these files after asking for the password. The whole
file passes through memory once while it is encrypted (msoffcrypto's encrypter works on
a buffer); a 100,000-row ledger is a few tens of megabytes.
"""

from __future__ import annotations

import io
from pathlib import Path

import msoffcrypto
from msoffcrypto.exceptions import DecryptionError, EncryptionError, FileFormatError
from msoffcrypto.format.ooxml import OOXMLFile

from surveyapp.core.ledger.codes import LedgerCode
from surveyapp.errors import SurveyError

MIN_PASSWORD_LENGTH = 6


def check_password(password: str, path: str | Path) -> None:
    """Refuse an empty or short export password.

    :raises SurveyError: LEDGER_004.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise SurveyError(
            LedgerCode.LEDGER_004, path=str(path), min_length=MIN_PASSWORD_LENGTH
        )


def encrypt_file(source: Path, target: Path, password: str) -> None:
    """Write ``source`` (a plain .xlsx) to ``target`` encrypted under ``password``.

    :raises SurveyError: LEDGER_004 for a short password; LEDGER_005 when encryption fails.
    """
    check_password(password, target)
    try:
        with source.open("rb") as plain, target.open("wb") as out:
            OOXMLFile(plain).encrypt(password, out)
    except (EncryptionError, FileFormatError, ValueError) as err:
        raise SurveyError(LedgerCode.LEDGER_005, path=str(target), reason=str(err)) from err


def decrypt_bytes(source: Path, password: str) -> bytes:
    """The plain .xlsx bytes of an encrypted file.

    :raises SurveyError: LEDGER_006 for a wrong password or a damaged file.
    """
    try:
        with source.open("rb") as fh:
            office = msoffcrypto.OfficeFile(fh)
            office.load_key(password=password)
            out = io.BytesIO()
            office.decrypt(out)
    except (DecryptionError, FileFormatError, ValueError) as err:
        raise SurveyError(LedgerCode.LEDGER_006, path=str(source)) from err
    return out.getvalue()
