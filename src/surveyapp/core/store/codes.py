"""Error codes of the encrypted workspace (store, users, keys, recovery, audit)."""

from __future__ import annotations

from surveyapp.errors import Detail, ErrorCode


class StoreCode(ErrorCode):
    STORE_001 = Detail(
        "wrong_password",
        "The user name or password for {path} is wrong. Check the keyboard layout and "
        "Caps Lock, then try again. If the password is forgotten, ask the county for a "
        "password reset.",
        "工作区 {path} 的用户名或密码不正确。请检查输入法和大小写后重试。"
        "如果忘记密码，请向县民政局申请重置密码。",
    )
    STORE_002 = Detail(
        "locked_out",
        "Too many wrong passwords for user {user}. Wait {wait_seconds} seconds, then try "
        "again.",
        "用户 {user} 连续输错密码次数过多。请等待 {wait_seconds} 秒后再试。",
    )
    STORE_003 = Detail(
        "not_a_workspace",
        "The file {path} cannot be opened: it is damaged or is not a surveyapp workspace. "
        "Open a backup copy, or ask the county for help.",
        "无法打开文件 {path}：文件已损坏，或不是本软件的工作区。请打开备份，或联系县民政局。",
    )
    STORE_004 = Detail(
        "newer_schema",
        "The workspace {path} was made by a newer version of surveyapp (data version "
        "{found}; this version reads up to {supported}). It was not changed. Install the "
        "newer version to open it.",
        "工作区 {path} 由更新版本的软件创建（数据版本 {found}，本版本最高支持 {supported}）。"
        "文件未作任何改动。请安装新版本后再打开。",
    )
    STORE_005 = Detail(
        "missing_keys",
        "The key file {path} next to the workspace is missing or damaged, so the "
        "workspace cannot be unlocked. Copy the workspace together with its key file "
        "(.keys.json).",
        "工作区旁的密钥文件 {path} 缺失或已损坏，无法解锁。复制工作区时请连同密钥文件"
        "（.keys.json）一起复制。",
    )
    STORE_006 = Detail(
        "exists",
        "A workspace already exists at {path}. Choose another file name.",
        "{path} 处已有工作区。请换一个文件名。",
    )
    STORE_007 = Detail(
        "user_exists",
        "The user {user} already exists in this workspace. Choose another user name.",
        "本工作区已有用户 {user}。请换一个用户名。",
    )
    STORE_008 = Detail(
        "weak_password",
        "The password is too short: use at least {minimum} characters.",
        "密码太短：请至少使用 {minimum} 个字符。",
    )
    STORE_009 = Detail(
        "no_recovery",
        "This workspace was created without the county's recovery key, so its password "
        "cannot be reset. Another user of this workspace can add a new user.",
        "本工作区创建时未登记县级恢复密钥，无法重置密码。请由本工作区的其他用户为您新增用户。",
    )
    STORE_010 = Detail(
        "bad_recovery_file",
        "The recovery file {path} is damaged or belongs to another workspace or user "
        "({reason}). Ask the county for a new one.",
        "恢复文件 {path} 已损坏，或属于其他工作区或用户（{reason}）。请向县民政局重新申请。",
    )
    STORE_011 = Detail(
        "wrong_recovery_key",
        "The county recovery key does not open this request. Use the recovery key of the "
        "county that enrolled the workspace.",
        "县级恢复密钥无法打开该申请。请使用为该工作区登记的县级恢复密钥。",
    )
    STORE_012 = Detail(
        "unknown_record",
        "There is no child record {record_id} in this workspace.",
        "本工作区中没有儿童档案 {record_id}。",
    )
    STORE_013 = Detail(
        "bad_value",
        "The value of {field} cannot be saved: {reason}.",
        "字段 {field} 的值无法保存：{reason}。",
    )
    STORE_014 = Detail(
        "bad_revision",
        "A record revision is damaged (its content does not match its id {revision}). "
        "Nothing was imported.",
        "某条记录版本已损坏（内容与编号 {revision} 不符）。未导入任何内容。",
    )
    STORE_015 = Detail(
        "bad_exit_reason",
        "The exit reason {reason} is not known. Use one of: {allowed}.",
        "退出原因 {reason} 无效。请使用以下之一：{allowed}。",
    )
    STORE_016 = Detail(
        "audit_detail_personal",
        "The audit entry {action} was given a detail {key} that is not allowed (the audit "
        "log holds no answers or personal data).",
        "审计记录 {action} 含有不允许的字段 {key}（审计日志不得记录答案或个人信息）。",
    )
    STORE_017 = Detail(
        "workspace_closed",
        "The workspace is closed. Open it again.",
        "工作区已关闭。请重新打开。",
    )
    STORE_018 = Detail(
        "disk_error",
        "Could not write the workspace {path}: {reason}. The last save was not kept; "
        "the data saved before is safe. Free some disk space or check the drive, then "
        "try again.",
        "无法写入工作区 {path}：{reason}。本次保存未完成，之前保存的数据不受影响。"
        "请清理磁盘空间或检查磁盘后重试。",
    )
    STORE_019 = Detail(
        "busy",
        "The workspace {path} is in use by another window or program. Close it there, "
        "then try again.",
        "工作区 {path} 正被其他窗口或程序使用。请先在那里关闭，再重试。",
    )
    STORE_020 = Detail(
        "reset_used",
        "The password reset file {path} was already used on {used_at}. A reset file works "
        "once only. Ask the county for a new one if you need it.",
        "重置文件 {path} 已于 {used_at} 使用过。每个重置文件只能使用一次。如仍需重置，"
        "请向县民政局重新申请。",
    )
    STORE_021 = Detail(
        "bad_exit_date",
        "The exit date {date} of record {record_id} cannot be used: {reason}. Nothing was "
        "changed. Enter the real date the child left the list (YYYY-MM-DD).",
        "档案 {record_id} 的退出日期 {date} 无效：{reason}。未做更改。请填写儿童实际退出名单"
        "的日期（年-月-日）。",
    )
    STORE_022 = Detail(
        "already_exited",
        "Record {record_id} already left the list on {date} ({reason}). It cannot leave "
        "it again; a new visit puts the child back on the list.",
        "档案 {record_id} 已于 {date} 退出名单（{reason}），不能再次退出；再次走访录入后即"
        "重新列入名单。",
    )
    STORE_023 = Detail(
        "not_aged_out",
        "Record {record_id} cannot leave the list as aged out: the child is {age} on "
        "{date} and leaves only at {limit}. Choose another reason, or wait until then.",
        "档案 {record_id} 不能以“年满{limit}周岁”退出：该儿童在 {date} 时为 {age} 周岁。"
        "请选择其他原因，或待其年满{limit}周岁后再办理。",
    )
    STORE_030 = Detail(
        "wrong_thread",
        "Internal error: the workspace connection of one thread was used from another "
        "({what}). Nothing was saved by this step; what was saved before is safe. The "
        "details are in the log file; please give it to technical support.",
        "内部错误：一个线程的工作区连接被另一个线程使用（{what}）。此步骤未保存任何内容，"
        "之前保存的数据不受影响。详情已写入日志文件，请交给技术支持。",
    )
