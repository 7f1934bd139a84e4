"""Error codes of the review operations (township and county)."""

from surveyapp.errors import Detail, ErrorCode


class ReviewCode(ErrorCode):
    REVIEW_001 = Detail(
        "not_in_conflict",
        "Record {record} has no conflict with that version. Refresh the review list.",
        "记录 {record} 没有与该版本的冲突。请刷新审核列表。",
    )
    REVIEW_002 = Detail(
        "bad_decision",
        "'{decision}' is not a duplicate decision; choose one of {allowed} for two "
        "different records.",
        "“{decision}”不是有效的重复记录处理方式；请对两条不同的记录选择 {allowed} 之一。",
    )
    REVIEW_003 = Detail(
        "unknown_child",
        "No child record {record} is on file here.",
        "本地没有儿童档案 {record}。",
    )
    REVIEW_004 = Detail(
        "conflict_first",
        "Record {record} has unresolved versions. Resolve the conflict before returning it.",
        "记录 {record} 存在未处理的冲突版本。请先处理冲突，再退回村里。",
    )
    REVIEW_005 = Detail(
        "bad_survivor",
        "The surviving file of a link must be one of the two records ({a}, {b}); the field "
        "'{field}' names {record}. Choose one of the two.",
        "关联后保留的档案必须是两条记录（{a}、{b}）之一；字段“{field}”指定的是 {record}。"
        "请在两条记录中选择。",
    )


class ChildCode(ErrorCode):
    CHILD_001 = Detail(
        "answers_incomplete",
        "The answers in {path} cannot be saved: {count} question(s) need attention "
        "({first}). Nothing was saved. Correct the answers file and try again.",
        "{path} 中的答案不能保存：有 {count} 个问题需要处理（{first}）。未保存任何内容。"
        "请修改答案文件后重试。",
    )
    CHILD_002 = Detail(
        "answers_not_object",
        "The answers file {path} must hold one JSON object (question name → value).",
        "答案文件 {path} 必须是一个 JSON 对象（问题名 → 答案）。",
    )
    CHILD_003 = Detail(
        "id_on_file",
        "A child with ID number {id_number} is already on file here: {name}, {village} "
        "(record {record}). Save a follow-up visit to that file instead (--child {record}), "
        "or, if this really is another child, save again with --new-anyway.",
        "本地已有公民身份号码为 {id_number} 的儿童档案：{name}，{village}（记录 {record}）。"
        "请改为在该档案上录入走访（--child {record}）；如确为另一名儿童，请加 --new-anyway "
        "重新保存。",
    )
    CHILD_004 = Detail(
        "carried_answers_refused",
        "The form changed since this child's last visit ({last} → {form}): {count} earlier "
        "answer(s) are no longer accepted ({first}). Nothing was saved. Answer these "
        "questions again in {path}.",
        "自该儿童上次走访以来表单已更新（{last} → {form}）：有 {count} 个原有答案不再符合"
        "新表单（{first}）。未保存任何内容。请在 {path} 中重新填写这些问题。",
    )


class ImportCode(ErrorCode):
    IMPORT_001 = Detail(
        "imported_receipt_not_written",
        "The batch {sequence} of {device} WAS imported ({inserted} new revisions), but its "
        "receipt could not be written to {path}: {reason}. Do not import it elsewhere; to "
        "write the receipt, import the same file again with a folder that exists "
        "(nothing is imported twice).",
        "设备 {device} 的第 {sequence} 号数据包已经导入（新增 {inserted} 条记录版本），"
        "但回执无法写入 {path}：{reason}。无需再次导入数据；如需回执，请指定一个存在的文件夹"
        "重新导入同一文件（不会重复导入）。",
    )
    IMPORT_002 = Detail(
        "import_worker_stopped",
        "The second process checking the revisions of {path} stopped before the end "
        "({reason}), so nothing was imported. Import the files again; if it stops again, "
        "close other programs to free memory.",
        "检查 {path} 中各条记录版本的第二个进程中途停止（{reason}），因此未导入任何数据。"
        "请重新导入；如果再次停止，请关闭其他程序以释放内存。",
    )


class AuditCode(ErrorCode):
    AUDIT_001 = Detail(
        "audit_chain_broken",
        "The audit log of {path} is broken at entry {seq} ({reason}): an entry was edited, "
        "deleted or re-hashed outside the app. Keep the file as it is and report it to the "
        "county office.",
        "工作区 {path} 的审计日志在第 {seq} 条处断开（{reason}）：有记录在本软件之外被修改、"
        "删除或重算。请保持文件原样，并报告县民政局。",
    )
    AUDIT_002 = Detail(
        "audit_tail_cut",
        "The audit log of {path} ends at entry {last}, but it held entry {anchor} when the "
        "app last closed it: entries from {seq} on were removed outside the app. Keep the "
        "file as it is and report it to the county office.",
        "工作区 {path} 的审计日志只到第 {last} 条，但本软件上次关闭时已有第 {anchor} 条："
        "从第 {seq} 条起的记录在本软件之外被删除。请保持文件原样，并报告县民政局。",
    )
    AUDIT_003 = Detail(
        "audit_chain_rewritten",
        "The audit log of {path} was rewritten outside the app: entry {seq} is not the one "
        "recorded when the app last closed it. Keep the file as it is and report it to the "
        "county office.",
        "工作区 {path} 的审计日志在本软件之外被改写：第 {seq} 条与本软件上次关闭时记录的不一致。"
        "请保持文件原样，并报告县民政局。",
    )
    AUDIT_004 = Detail(
        "device_audit_gap",
        "The audit log that device {device} ({org}) sent in batch {sequence} does not "
        "continue the one received before: entry {seq} is missing or changed ({reason}). "
        "The records were imported; ask the unit why its audit log changed.",
        "设备 {device}（{org}）在第 {sequence} 批中发来的审计日志与之前收到的不连续：第 {seq} "
        "条缺失或被改动（{reason}）。记录已导入；请向该单位核实审计日志为何改变。",
    )
    AUDIT_005 = Detail(
        "device_audit_broken",
        "The audit log that device {device} ({org}) sent in batch {sequence} is broken at "
        "entry {seq} ({reason}). The records were imported; ask the unit why its audit log "
        "was changed.",
        "设备 {device}（{org}）在第 {sequence} 批中发来的审计日志在第 {seq} 条处断开（{reason}）。"
        "记录已导入；请向该单位核实审计日志为何被改动。",
    )
    AUDIT_006 = Detail(
        "bad_audit_filter",
        "The filter {name}={value} is not valid: {reason}.",
        "筛选条件 {name}={value} 无效：{reason}。",
    )
    AUDIT_007 = Detail(
        "retention_not_county",
        "Only the county office sets how long an exited child's file is kept; this "
        "workspace belongs to a {role}. The county's setting applies.",
        "只有县级单位可以设置退出儿童档案的保存期限；本工作区属于{role}级。以县级设置为准。",
    )
    AUDIT_008 = Detail(
        "bad_retention_days",
        "The retention period {days} is not valid: give a whole number of days from 30 to "
        "3650.",
        "保存期限 {days} 无效：请填写 30 至 3650 之间的整数天数。",
    )
