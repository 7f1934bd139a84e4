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
