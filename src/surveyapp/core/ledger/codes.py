"""Error codes for the ledger, department lists, CSV and password-protected exports."""

from surveyapp.errors import Detail, ErrorCode


class LedgerCode(ErrorCode):
    LEDGER_001 = Detail(
        "export_exists",
        "The file {path} already exists. Choose another name, or confirm that it may be "
        "replaced.",
        "文件 {path} 已存在。请换一个文件名，或确认覆盖原文件。",
    )
    LEDGER_002 = Detail(
        "unknown_preset",
        "There is no department list called '{preset}'. Choose one of: {known}.",
        "没有名为“{preset}”的部门名单。可选：{known}。",
    )
    LEDGER_003 = Detail(
        "reveal_not_allowed",
        "Your role ({role}) may not export full ID and phone numbers in the {preset} list. "
        "The list was not written; export it with masked numbers instead.",
        "您的角色（{role}）无权在“{preset}”名单中导出完整的身份证号和电话号码。"
        "名单未导出；请改为导出脱敏号码。",
    )
    LEDGER_004 = Detail(
        "password_too_short",
        "The password for the protected file {path} is too short. Enter a password of at "
        "least {min_length} characters.",
        "加密文件 {path} 的密码太短。请输入至少 {min_length} 位的密码。",
    )
    LEDGER_005 = Detail(
        "encrypt_failed",
        "Could not password-protect {path}: {reason}. Nothing was written.",
        "无法为 {path} 加密：{reason}。未写入任何文件。",
    )
    LEDGER_006 = Detail(
        "wrong_password",
        "The password for {path} is wrong, or the file is damaged. Check the password "
        "and try again.",
        "{path} 的密码错误，或文件已损坏。请核对密码后重试。",
    )
    LEDGER_008 = Detail(
        "unknown_filter",
        "'{value}' is not a known {what}. Use one of: {known}.",
        "“{value}”不是有效的{what}。可选：{known}。",
    )
    LEDGER_009 = Detail(
        "csv_password",
        "A CSV file cannot be password-protected ({path}). Export an .xlsx file to "
        "protect it with a password, or export the CSV without one.",
        "CSV 文件无法加密（{path}）。如需密码保护，请导出 .xlsx 文件；或不设密码导出 CSV。",
    )
    LEDGER_010 = Detail(
        "user_missing",
        "Give your user name with --user to open the workspace {path}.",
        "请用 --user 指定用户名以打开工作区 {path}。",
    )
    LEDGER_011 = Detail(
        "all_fields_needs_workspace",
        "--all-fields reads every form version a workspace has kept; it cannot read "
        "{path}. Give --workspace PATH --user NAME instead.",
        "--all-fields 需要读取工作区保存的各版本表单，不能用于 {path}。请改用 --workspace "
        "工作区文件 --user 用户名。",
    )
