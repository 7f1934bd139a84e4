"""Error codes for identity numbers and division codes."""

from surveyapp.errors import Detail, ErrorCode


class IdCode(ErrorCode):
    ID_001 = Detail(
        "id_length",
        "The ID number must have 18 characters; this one has {length}.",
        "公民身份号码应为 18 位，当前为 {length} 位。",
    )
    ID_002 = Detail(
        "id_chars",
        "The ID number may contain only digits and a final X.",
        "公民身份号码只能由数字组成，最后一位可以是 X。",
    )
    ID_003 = Detail(
        "id_date",
        "The birth date inside the ID number ({date}) is not a real date.",
        "公民身份号码中的出生日期（{date}）不是有效日期。",
    )
    ID_004 = Detail(
        "id_check",
        "The check character of the ID number is wrong (expected {expected}). "
        "Check each digit against the ID card.",
        "公民身份号码校验位错误（应为 {expected}）。请对照身份证逐位核对。",
    )
    ID_005 = Detail(
        "admin_code",
        "'{code}' is not a valid division code: {reason}.",
        "“{code}”不是有效的行政区划代码：{reason}。",
    )
