"""Error codes of the ledger import (台账导入): the reasons a row is refused, and the
file-level failures. Row reasons carry ``{value}`` and the other placeholders of their
text; the report prints them in Chinese and English."""

from surveyapp.errors import Detail, ErrorCode


class LedgerInCode(ErrorCode):
    LEDIN_001 = Detail(
        "id_check_digit",
        "The ID number {value} has a wrong check digit: with these first 17 characters the "
        "last one must be {expected}. Check the number against the child's hukou booklet.",
        "身份证号码 {value} 的校验码不对：按前17位，最后一位应为 {expected}。"
        "请对照户口簿核对号码。",
    )
    LEDIN_002 = Detail(
        "id_stored_as_number",
        "The ID number was stored by Excel as a number ({value}): its last digits are lost "
        "and cannot be recovered. Format the column as text in the spreadsheet and type the "
        "number again.",
        "身份证号码被 Excel 存成了数字（{value}），后几位已丢失，无法恢复。"
        "请在表格中把该列设为“文本”格式后重新录入号码。",
    )
    LEDIN_003 = Detail(
        "id_invalid",
        "'{value}' is not a valid 18-character resident ID number ({reason}).",
        "“{value}”不是有效的18位居民身份证号码（{reason}）。",
    )
    LEDIN_004 = Detail(
        "unknown_village",
        "'{value}' is not a village (村/居) of this county's form. Use the village name or its "
        "12-digit code as the form lists it.",
        "“{value}”不是本县表单中的村（居）。请填写表单中列出的村名或12位区划代码。",
    )
    LEDIN_005 = Detail(
        "unknown_township",
        "'{value}' is not a township (乡镇/街道) of this county's form.",
        "“{value}”不是本县表单中的乡镇（街道）。",
    )
    LEDIN_006 = Detail(
        "not_a_date",
        "'{value}' is not a date. Write it as 2015-03-04, 2015/3/4, 2015.3.4 or 2015年3月4日.",
        "“{value}”不是日期。请写成 2015-03-04、2015/3/4、2015.3.4 或 2015年3月4日。",
    )
    LEDIN_007 = Detail(
        "not_in_list",
        "'{value}' is not one of the answers of {field}. Allowed: {known}. Add the value to "
        "the mapping file's \"values\" if it means one of them.",
        "“{value}”不是“{field}”的可选答案。可选：{known}。"
        "如它表示其中之一，请在对照文件的 \"values\" 中加上。",
    )
    LEDIN_008 = Detail(
        "required_empty",
        "{field} is required and is empty in this row.",
        "“{field}”为必填项，本行为空。",
    )
    LEDIN_009 = Detail(
        "form_rule",
        "The form does not accept this answer of {field}: {message}",
        "表单不接受“{field}”的这个答案：{message}",
    )
    LEDIN_010 = Detail(
        "not_a_number",
        "'{value}' is not a whole number.",
        "“{value}”不是整数。",
    )
    LEDIN_011 = Detail(
        "duplicate_in_file",
        "Possible duplicate of row {other} of this file (same {key}); not imported. Review "
        "both rows.",
        "可能与本文件第 {other} 行重复（{key}相同），未导入。请核对这两行。",
    )
    LEDIN_012 = Detail(
        "duplicate_on_file",
        "Possible duplicate of a child already on file (record {record}, same {key}); not "
        "imported. Review the child's file.",
        "可能与已建档儿童重复（档案 {record}，{key}相同），未导入。请核对该儿童档案。",
    )
    LEDIN_013 = Detail(
        "derived_differs",
        "The spreadsheet says '{value}'; the form computes '{computed}' from the answers of "
        "this row. The form's value is kept; check the row.",
        "表格中为“{value}”，表单根据本行答案算出“{computed}”。以表单结果为准，请核对本行。",
    )
    LEDIN_020 = Detail(
        "no_header",
        "No header row was found in {path}: none of its first {rows} rows holds at least "
        "two column headers of the 台账 or of the mapping file. Write a mapping file with "
        "--write-template, fill in the headers, and import with --mapping.",
        "在 {path} 中找不到表头：前 {rows} 行中没有一行包含至少两个台账或对照文件的列名。"
        "请用 --write-template 生成对照文件，填好列名后用 --mapping 导入。",
    )
    LEDIN_021 = Detail(
        "unknown_format",
        "{path} is not an .xlsx or .csv file. Save the ledger from Excel as .xlsx or .csv "
        "and import that file.",
        "{path} 不是 .xlsx 或 .csv 文件。请在 Excel 中将台账另存为 .xlsx 或 .csv 后再导入。",
    )
    LEDIN_022 = Detail(
        "bad_mapping",
        "The mapping file {path} is not valid: {reason}. Write a fresh one with "
        "--write-template and edit it.",
        "对照文件 {path} 无效：{reason}。请用 --write-template 重新生成后再编辑。",
    )
    LEDIN_023 = Detail(
        "unreadable",
        "Could not read {path} as a spreadsheet: {reason}. Open it in Excel or WPS, save it "
        "again as .xlsx (without a password) and import that copy.",
        "无法将 {path} 作为表格读取：{reason}。请用 Excel 或 WPS 打开，"
        "另存为不设密码的 .xlsx 后再导入。",
    )
    LEDIN_024 = Detail(
        "rows_refused",
        "{refused} of the {rows} rows of {path} were refused, so nothing was imported. The "
        "report lists each row with the column and the reason: correct them and import "
        "again, or import the valid rows only.",
        "{path} 共 {rows} 行，其中 {refused} 行未通过检查，因此未导入任何数据。"
        "报告列出了每一行的列名和原因：请改正后重新导入，或只导入通过检查的行。",
    )
    LEDIN_025 = Detail(
        "report_format",
        "The report {path} must end in .xlsx, .csv or .json.",
        "报告文件 {path} 的扩展名必须是 .xlsx、.csv 或 .json。",
    )
    LEDIN_026 = Detail(
        "password_needed",
        "{path} is password-protected. Give its password (the one set when it was "
        "exported) to import it.",
        "{path} 设有密码。请输入该文件的密码（导出时设置的密码）后再导入。",
    )
    LEDIN_027 = Detail(
        "out_of_area",
        "The village {value} is outside this workspace's area ({scope}): its batches could "
        "not carry this child. Import the row on a device of that village, township or the "
        "county.",
        "村（居）{value} 不在本工作区的范围（{scope}）内，本机的数据包不能上报该儿童。"
        "请在该村、乡镇或县级的设备上导入这一行。",
    )
    LEDIN_028 = Detail(
        "exit_refused",
        "The exit on this row cannot be true: {message}",
        "本行的退出信息不成立：{message}",
    )
    LEDIN_029 = Detail(
        "check_stopped",
        "The check of the rows of {path} stopped before the end ({reason}), so nothing "
        "was imported. Import the file again; if it stops again, close other programs to "
        "free memory.",
        "检查 {path} 的各行时中途停止（{reason}），因此未导入任何数据。请重新导入；"
        "如果再次停止，请关闭其他程序以释放内存。",
    )
