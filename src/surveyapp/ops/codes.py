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
