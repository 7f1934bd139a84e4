"""Error codes of batch files (docs/batch-format.md §6) and their distinct exceptions."""

from __future__ import annotations

from typing import Any

from surveyapp.errors import Detail, ErrorCode, SurveyError


class BatchCode(ErrorCode):
    BATCH_001 = Detail(
        "not_a_batch",
        "The file {path} is not a surveyapp batch or its container is damaged ({reason}). "
        "Check that you chose the right file; otherwise copy it again from its source.",
        "文件 {path} 不是本软件的数据包，或其结构已损坏（{reason}）。请确认选择了正确的文件，"
        "否则请从来源处重新复制。",
    )
    BATCH_002 = Detail(
        "unsupported_version",
        "The batch {path} was written by a newer version of surveyapp ({version}). Update "
        "surveyapp on this computer, then import it again.",
        "数据包 {path} 由更新版本的软件生成（{version}）。请先升级本机软件，再重新导入。",
    )
    BATCH_003 = Detail(
        "signature_failure",
        "The batch {path} was changed after the device {device} signed it. Do not use it; "
        "ask the sender to export it again.",
        "数据包 {path} 在设备 {device} 签名后被改动过。请勿使用，并请发送方重新导出。",
    )
    BATCH_004 = Detail(
        "unknown_signer",
        "The batch {path} comes from a device ({device}, {org}) that this office does not "
        "know. At a township: ask the county for the trust update of this township, the "
        "file {scope}_trust_update.json (the county writes it when it enrolls the device, "
        "or with Tools → Trust update), import it with Tools → Import enrollment/trust "
        "update (surveyapp trust apply), then import the batch again. At the county: enroll "
        "the device first.",
        "数据包 {path} 来自本单位不认识的设备（{device}，{org}）。乡镇：请向县里索取本乡镇的"
        "信任更新文件 {scope}_trust_update.json（县里登记该设备时会同时写出，也可用“工具 → "
        "发放信任更新/调查表”生成），用“工具 → 导入登记文件/信任更新……”（surveyapp trust "
        "apply）导入后再重新导入数据包。县里：请先登记该设备。",
    )
    BATCH_005 = Detail(
        "revoked_signer",
        "The batch {path} comes from the device {device} ({org}), which the county has "
        "revoked. Its data is not accepted; contact the county.",
        "数据包 {path} 来自已被县里注销的设备 {device}（{org}），数据不予接收。请联系县民政局。",
    )
    BATCH_006 = Detail(
        "out_of_scope",
        "The batch {path} comes from {org}, which is not under this office ({scope}). It "
        "was sent to the wrong office; nothing was imported.",
        "数据包 {path} 来自 {org}，不属于本单位（{scope}）的管辖范围，可能发错了单位。"
        "未导入任何内容。",
    )
    BATCH_007 = Detail(
        "decryption_failure",
        "The batch {path} was not encrypted for this office, or its encrypted part is "
        "damaged ({reason}). Ask the sender to export it for this office.",
        "数据包 {path} 不是为本单位加密的，或其加密部分已损坏（{reason}）。"
        "请发送方为本单位重新导出。",
    )
    BATCH_008 = Detail(
        "truncated",
        "The batch {path} is incomplete ({reason}): it was cut short while copying. Copy "
        "it again from its source.",
        "数据包 {path} 不完整（{reason}），可能在复制时中断。请从来源处重新复制。",
    )
    BATCH_009 = Detail(
        "payload_mismatch",
        "The data in batch {path} does not match its signed summary: it was changed "
        "after export. Do not use it; ask the sender to export it again.",
        "数据包 {path} 中的数据与其签名摘要不符，导出后被改动过。请勿使用，并请发送方重新导出。",
    )
    BATCH_010 = Detail(
        "bad_payload",
        "The batch {path} holds damaged data ({reason}). Nothing was imported; ask the "
        "sender to export it again.",
        "数据包 {path} 中的数据已损坏（{reason}）。未导入任何内容，请发送方重新导出。",
    )
    BATCH_011 = Detail(
        "not_enrolled",
        "This workspace has no enrolled device key yet. Ask the county to enroll this "
        "device (surveyapp trust enroll-request), then try again.",
        "本工作区尚未登记设备密钥。请先向县里申请登记本设备（surveyapp trust enroll-request），"
        "然后重试。",
    )
    BATCH_012 = Detail(
        "cancelled",
        "The batch operation was cancelled. Nothing was changed.",
        "数据包操作已取消，未做任何更改。",
    )
    BATCH_013 = Detail(
        "down_file_for_another_village",
        "The down file {path} is for the village {village}, not for this village ({own}). "
        "Nothing was imported. Give it to the village {village}, and ask the township for "
        "the file made for {own}.",
        "下发文件 {path} 是发给村 {village} 的，不是本村（{own}）的，未导入任何内容。请把它"
        "交给村 {village}，并向乡镇索取发给本村 {own} 的下发文件。",
    )
    BATCH_014 = Detail(
        "not_authorized",
        "The batch {path} from the device {device} ({org}) holds a revision that device may "
        "not write: record {record}, {reason}. The whole batch was refused and nothing was "
        "imported. A device may only write records of its own unit in its own name; tell "
        "the county.",
        "数据包 {path} 来自设备 {device}（{org}），其中有该设备无权写入的修改：记录 {record}，"
        "{reason}。整个数据包被拒收，未导入任何内容。设备只能以自己的名义写入本单位的记录，"
        "请报告县里。",
    )


class BatchError(SurveyError):
    """Base of the batch rejections (each rule of the spec has its own subclass)."""

    code_for: BatchCode = BatchCode.BATCH_001

    def __init__(self, /, **context: Any) -> None:
        context.setdefault("path", "?")
        super().__init__(type(self).code_for, **context)


class HeaderError(BatchError):
    code_for = BatchCode.BATCH_001


class UnsupportedVersion(BatchError):
    code_for = BatchCode.BATCH_002


class SignatureFailure(BatchError):
    code_for = BatchCode.BATCH_003


class UnknownSigner(BatchError):
    code_for = BatchCode.BATCH_004


class RevokedSigner(BatchError):
    code_for = BatchCode.BATCH_005


class OutOfScope(BatchError):
    code_for = BatchCode.BATCH_006


class DecryptionFailure(BatchError):
    code_for = BatchCode.BATCH_007


class Truncated(BatchError):
    code_for = BatchCode.BATCH_008


class PayloadMismatch(BatchError):
    code_for = BatchCode.BATCH_009


class BadPayload(BatchError):
    code_for = BatchCode.BATCH_010


class NotThisVillage(BatchError):
    code_for = BatchCode.BATCH_013


class Unauthorized(BatchError):
    """A revision its signer may not write (rule 11, core/batch/authorize.py)."""

    code_for = BatchCode.BATCH_014
