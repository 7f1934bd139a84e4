"""Error codes of enrollment, revocation and the trust store."""

from __future__ import annotations

from surveyapp.errors import Detail, ErrorCode


class TrustCode(ErrorCode):
    TRUST_001 = Detail(
        "bad_trust_file",
        "The file {path} is not a valid surveyapp {kind} file ({reason}). Check that you "
        "chose the right file; otherwise ask the sender for a new copy.",
        "文件 {path} 不是有效的{kind}文件（{reason}）。请确认选择了正确的文件，否则请向发送方"
        "索取新的副本。",
    )
    TRUST_002 = Detail(
        "bad_trust_signature",
        "The {kind} file {path} was not signed by the expected key, or was changed after "
        "signing. Do not use it; ask the county for a new copy.",
        "{kind}文件 {path} 不是由预期的密钥签名的，或签名后被改动过。请勿使用，并向县里索取"
        "新的副本。",
    )
    TRUST_003 = Detail(
        "authority_exists",
        "This county workspace already has its keys. They are kept; nothing was changed.",
        "本县工作区已经创建过密钥，已保留原密钥，未做更改。",
    )
    TRUST_004 = Detail(
        "not_county",
        "Only the county workspace can do this ({action}); this workspace is a {role}.",
        "只有县级工作区可以执行此操作（{action}）；本工作区的级别是：{role}。",
    )
    TRUST_005 = Detail(
        "no_authority",
        "The county keys have not been created yet. Run 'surveyapp trust init-county' in "
        "the county workspace first.",
        "尚未创建县级密钥。请先在县级工作区运行“surveyapp trust init-county”。",
    )
    TRUST_006 = Detail(
        "request_out_of_scope",
        "The device of {org} ({role}) does not belong to this county ({county}), or its "
        "role does not match its code. It was not enrolled.",
        "{org}（{role}）的设备不属于本县（{county}），或其级别与代码不符，未予登记。",
    )
    TRUST_007 = Detail(
        "not_for_this_device",
        "The enrollment file {path} was made for another device ({device}). Use the file "
        "made from this device's own request.",
        "登记文件 {path} 是为另一台设备（{device}）制作的。请使用根据本设备申请制作的文件。",
    )
    TRUST_008 = Detail(
        "not_enrolled",
        "This device is not enrolled yet. Send the enrollment request to the county and "
        "accept the enrollment file it returns.",
        "本设备尚未登记。请把登记申请交给县里，并导入县里返回的登记文件。",
    )
    TRUST_009 = Detail(
        "unknown_device",
        "No enrolled device has the id {device}. Check the id in the device list.",
        "没有编号为 {device} 的已登记设备。请核对设备列表中的编号。",
    )
    TRUST_010 = Detail(
        "stale_update",
        "The trust update {path} is older than the one already applied (number {serial} "
        "≤ {current}). Nothing was changed.",
        "信任更新文件 {path} 比已应用的更旧（编号 {serial} ≤ {current}），未做更改。",
    )
    TRUST_011 = Detail(
        "receipt_for_another_device",
        "The receipt {path} confirms a batch of another device ({device}), not of this one. "
        "Import it on the computer that sent that batch.",
        "回执 {path} 确认的是另一台设备（{device}）的数据包，不是本机的。请在发送该数据包的"
        "电脑上导入。",
    )
    TRUST_012 = Detail(
        "receipt_unknown_batch",
        "The receipt {path} confirms batch number {sequence}, which this device did not "
        "write (or wrote differently). Nothing was changed; check that the receipt belongs "
        "to this workspace.",
        "回执 {path} 确认的是第 {sequence} 个数据包，但本机没有导出过这个数据包（或内容不同）。"
        "未做任何更改；请确认该回执属于本工作区。",
    )
    TRUST_013 = Detail(
        "identity_file_exists",
        "The file {path} exists already. A secret key is never written over another file: "
        "choose a new file name.",
        "文件 {path} 已存在。密钥不会覆盖其他文件，请换一个文件名。",
    )
    TRUST_014 = Detail(
        "update_for_other_unit",
        "The trust file {path} was made for {for_org}, not for this workspace ({org}). "
        "Nothing was changed. Ask the county for the file made for {org}.",
        "信任文件 {path} 是为 {for_org} 制作的，不是本工作区（{org}）的。未做任何更改。"
        "请向县里索取为 {org} 制作的文件。",
    )
    TRUST_015 = Detail(
        "device_revoked",
        "This device ({device}, {org}) was revoked on {at} by {by}. A revoked device or key "
        "is never enrolled again; nothing was changed. Only the county can re-admit it, "
        "with 'surveyapp trust readmit' and a reason, which is audited.",
        "该设备（{device}，{org}）已于 {at} 由 {by} 停用。已停用的设备或密钥不能再次登记，"
        "未做任何更改。只有县里可以用“surveyapp trust readmit”并写明理由重新接纳它，"
        "该操作会记入审计日志。",
    )
    TRUST_016 = Detail(
        "county_key_differs",
        "This workspace already trusts the key of county {org} with the code {known}; the "
        "file {path} carries a different county key (code {other}). It was not accepted "
        "and the trusted key was kept. Call the county and compare the key code on paper or "
        "by phone; a file with another code may be forged.",
        "本工作区已信任 {org} 县的密钥，核对码为 {known}；文件 {path} 中是另一个县级密钥"
        "（核对码 {other}），未予接受，原密钥保留不变。请打电话或对照县里的书面通知核对"
        "密钥核对码；核对码不同的文件可能是伪造的。",
    )
    TRUST_017 = Detail(
        "fingerprint_mismatch",
        "The county key in {path} has the code {actual}, not {expected} as the county gave "
        "it. Nothing was changed. Do not use this file; call the county.",
        "文件 {path} 中县级密钥的核对码是 {actual}，与县里提供的 {expected} 不符，"
        "未做任何更改。请勿使用该文件，并与县里联系。",
    )
    TRUST_018 = Detail(
        "readmit_refused",
        "The device {device} is not revoked: there is nothing to re-admit. Nothing was "
        "changed.",
        "设备 {device} 没有被停用，无需重新接纳，未做任何更改。",
    )
    TRUST_019 = Detail(
        "form_not_successor",
        "The file {path} carries the form {new}, but this workspace already uses {current}. "
        "A form update must keep the form id and have a newer version; nothing was "
        "changed. Ask the county for the current form.",
        "文件 {path} 携带的表单为 {new}，而本工作区已在使用 {current}。表单更新必须保持表单"
        "编号不变且版本更新，未做更改。请向县里索取当前表单。",
    )
    TRUST_020 = Detail(
        "readmit_no_reason",
        "Re-admitting the device {device} needs a reason (it is kept in the audit log). "
        "Nothing was changed; say why the device may be trusted again.",
        "重新接纳设备 {device} 须写明理由（记入审计日志），未做任何更改。请写明为什么可以再次信任"
        "这台设备。",
    )
