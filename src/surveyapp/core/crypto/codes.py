"""Error codes of the cryptographic layer (age files and minisign signatures)."""

from surveyapp.errors import Detail, ErrorCode


class CryptoCode(ErrorCode):
    CRYPTO_001 = Detail(
        "age_header",
        "The encrypted data is damaged or not in age format ({reason}).",
        "加密数据已损坏或不是 age 格式（{reason}）。",
    )
    CRYPTO_002 = Detail(
        "wrong_passphrase",
        "The password is wrong. Check the keyboard layout and Caps Lock, then try again.",
        "密码错误。请检查输入法和大小写锁定后重试。",
    )
    CRYPTO_003 = Detail(
        "no_identity",
        "This file was not encrypted for this office's key. It was meant for another "
        "recipient; ask the sender to export it again for you.",
        "该文件不是为本单位的密钥加密的，而是发给其他接收方的。请联系发送方重新为本单位导出。",
    )
    CRYPTO_004 = Detail(
        "age_truncated",
        "The encrypted data is cut short or was changed after it was written ({reason}). "
        "Copy the file again from its source.",
        "加密数据不完整或写入后被改动（{reason}）。请从来源处重新复制该文件。",
    )
    CRYPTO_005 = Detail(
        "bad_key",
        "The key '{key}' is not valid ({reason}).",
        "密钥“{key}”无效（{reason}）。",
    )
    CRYPTO_006 = Detail(
        "work_factor",
        "The password protection asks for too much work (2^{work_factor}); refusing it.",
        "该密码保护要求的计算量过大（2^{work_factor}），已拒绝。",
    )
    CRYPTO_007 = Detail(
        "minisign_format",
        "The signature or key is damaged or not in minisign format ({reason}). Copy the "
        "file again from its source.",
        "签名或密钥已损坏或不是 minisign 格式（{reason}）。请从来源处重新复制该文件。",
    )
    CRYPTO_008 = Detail(
        "minisign_key_id",
        "The file was signed with another key (key {key_id}) than the one expected "
        "({expected}). It comes from another device or office.",
        "该文件由另一个密钥（{key_id}）签名，而不是预期的密钥（{expected}），"
        "它来自其他设备或单位。",
    )
    CRYPTO_009 = Detail(
        "minisign_bad_signature",
        "The signature does not match: the file was changed after it was signed. Do not "
        "use it; ask the sender for a new copy.",
        "签名不匹配：文件在签名后被改动过。请勿使用，并向发送方索取新的副本。",
    )
