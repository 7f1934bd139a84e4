"""Error codes of receipts (the importing tier's signed acknowledgement of a batch)."""

from surveyapp.errors import Detail, ErrorCode


class ReceiptCode(ErrorCode):
    RECEIPT_001 = Detail(
        "bad_receipt",
        "The file {path} is not a surveyapp receipt or it is damaged ({reason}). Check that "
        "you chose the receipt file; otherwise ask for it again.",
        "文件 {path} 不是本软件的回执，或已损坏（{reason}）。请确认选择的是回执文件，"
        "否则请重新索取。",
    )
    RECEIPT_002 = Detail(
        "other_device",
        "The receipt {path} is for the device {device}, not for this computer. Import it on "
        "the computer that sent that batch.",
        "回执 {path} 是发给设备 {device} 的，不是本机的。请在发送该数据包的电脑上导入。",
    )
    RECEIPT_003 = Detail(
        "unknown_receiver",
        "The receipt {path} says it comes from {receiver}, but this computer cannot check "
        "that signature (unknown signer or changed file). Nothing was changed; ask the county.",
        "回执 {path} 自称来自 {receiver}，但本机无法核实其签名（签发方未知或文件被改动），"
        "未做任何更改。请联系县民政局。",
    )
    RECEIPT_004 = Detail(
        "not_imported",
        "The batch {path} has not been imported into this workspace, so no receipt can be "
        "written for it. Import the batch first.",
        "数据包 {path} 尚未导入本工作区，无法出具回执。请先导入该数据包。",
    )
    RECEIPT_005 = Detail(
        "no_signing_key",
        "This workspace has no signing key, so it cannot sign receipts. Set up the county "
        "authority or accept the enrollment first.",
        "本工作区没有签名密钥，无法签发回执。请先建立县级授权或导入登记文件。",
    )
