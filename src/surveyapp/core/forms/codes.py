"""Error codes of the forms engine: broken forms (FORM_0xx) and answer checks (FORM_1xx).

Every form error carries ``sheet``, ``row`` (the 1-based spreadsheet row) and ``column``
(a column letter, or a header name) in its context, so the message can point the form
author at the cell to fix.
"""

from surveyapp.errors import Detail, ErrorCode

_AT_EN = "Sheet '{sheet}', row {row}, column {column}: "
_AT_ZH = "工作表“{sheet}”第 {row} 行 {column} 列："


class FormCode(ErrorCode):
    FORM_001 = Detail(
        "unreadable_form",
        "The form file {path} cannot be read ({reason}). Check that it is an .xlsx "
        "workbook saved by Excel or WPS, then try again.",
        "无法读取表单文件 {path}（{reason}）。请确认它是用 Excel 或 WPS 保存的 .xlsx 文件后重试。",
    )
    FORM_002 = Detail(
        "missing_survey_sheet",
        "The form {path} has no 'survey' sheet. Add a sheet named survey with the questions.",
        "表单 {path} 缺少名为“survey”的工作表。请添加 survey 工作表并填写题目。",
    )
    FORM_003 = Detail(
        "unknown_type",
        _AT_EN + "the question type '{type}' is not known. Use one of the types listed "
        "in docs/forms.md (for example text, integer, select_one LIST).",
        _AT_ZH + "题型“{type}”无法识别。请使用 docs/forms.md 中列出的题型（如 text、integer、"
        "select_one 列表名）。",
    )
    FORM_004 = Detail(
        "missing_name",
        _AT_EN + "this row has no name. Every question needs a unique name.",
        _AT_ZH + "该行缺少名称（name）。每道题都需要一个唯一的名称。",
    )
    FORM_005 = Detail(
        "duplicate_name",
        _AT_EN + "the name '{name}' is already used on row {first_row}. Give each "
        "question its own name.",
        _AT_ZH + "名称“{name}”已在第 {first_row} 行使用。每道题的名称必须不同。",
    )
    FORM_006 = Detail(
        "missing_choice_list",
        _AT_EN + "the choice list '{list_name}' is not on the choices sheet. Add it there "
        "or correct the list name.",
        _AT_ZH + "选项列表“{list_name}”在 choices 工作表中不存在。请添加该列表或更正列表名。",
    )
    FORM_007 = Detail(
        "duplicate_choice",
        _AT_EN + "the choice '{name}' appears twice in the list '{list_name}'. Give each "
        "choice in a list its own name.",
        _AT_ZH + "选项“{name}”在列表“{list_name}”中出现了两次。同一列表中的选项名称必须不同。",
    )
    FORM_008 = Detail(
        "unmatched_group",
        _AT_EN + "'{kind}' has no matching partner. Every 'begin group' needs an "
        "'end group' (and every 'begin repeat' an 'end repeat').",
        _AT_ZH + "“{kind}”没有与之配对的行。每个 begin group 都需要 end group"
        "（begin repeat 需要 end repeat）。",
    )
    FORM_009 = Detail(
        "bad_expression",
        _AT_EN + "the expression '{expression}' cannot be read at character {position}: "
        "{reason}. Check quotes, brackets and operators.",
        _AT_ZH + "表达式“{expression}”在第 {position} 个字符处无法识别：{reason}。请检查引号、"
        "括号和运算符。",
    )
    FORM_010 = Detail(
        "unknown_function",
        _AT_EN + "the function '{function}()' is not known. See docs/forms.md for the "
        "functions you can use.",
        _AT_ZH + "函数“{function}()”无法识别。可用的函数见 docs/forms.md。",
    )
    FORM_011 = Detail(
        "missing_reference",
        _AT_EN + "'${{{name}}}' refers to a question that does not exist. Correct the "
        "name or add the question.",
        _AT_ZH + "“${{{name}}}”引用的题目不存在。请更正名称或添加该题目。",
    )
    FORM_012 = Detail(
        "cycle",
        _AT_EN + "these calculations depend on each other in a circle: {names}. Break "
        "the circle so that each one can be worked out.",
        _AT_ZH + "以下计算互相依赖、形成循环：{names}。请修改其中之一以打破循环。",
    )
    FORM_013 = Detail(
        "wrong_arity",
        _AT_EN + "the function '{function}()' takes {expected} argument(s), not {got}.",
        _AT_ZH + "函数“{function}()”需要 {expected} 个参数，而不是 {got} 个。",
    )
    FORM_014 = Detail(
        "nested_repeat",
        _AT_EN + "the repeat '{name}' is inside another repeat. Repeats inside repeats are "
        "not supported (not planned); use a separate form instead.",
        _AT_ZH + "重复组“{name}”位于另一个重复组内。不支持嵌套重复组（不在计划中），"
        "请改用单独的表单。",
    )
    FORM_016 = Detail(
        "unsupported_path",
        _AT_EN + "'{path}' is a path, which is not supported here. Refer to questions as "
        "${{name}}.",
        _AT_ZH + "“{path}”是路径写法，此处不支持。请用 ${{题目名称}} 引用题目。",
    )
    FORM_017 = Detail(
        "missing_list_name",
        _AT_EN + "the type '{type}' needs a choice list name after it, for example "
        "'select_one yes_no'.",
        _AT_ZH + "题型“{type}”后面需要写选项列表名，例如“select_one yes_no”。",
    )
    FORM_018 = Detail(
        "bad_name",
        _AT_EN + "the name '{name}' is not allowed. Use letters, digits and '_' only, "
        "starting with a letter or '_'.",
        _AT_ZH + "名称“{name}”不合规。只能使用字母、数字和下划线，并以字母或下划线开头。",
    )
    FORM_019 = Detail(
        "choice_name_with_space",
        _AT_EN + "the choice '{name}' of list '{list_name}' contains a space, but the list "
        "is used by a select_multiple question, whose answers are separated by spaces. "
        "Use '_' instead of the space.",
        _AT_ZH + "列表“{list_name}”中的选项名称“{name}”含有空格，而该列表用于多选题"
        "（多选答案以空格分隔）。请用下划线代替空格。",
    )
    FORM_020 = Detail(
        "missing_calculation",
        _AT_EN + "the calculate '{name}' has no calculation. Write the formula in the "
        "calculation column.",
        _AT_ZH + "计算项“{name}”缺少计算公式。请在 calculation 列填写公式。",
    )
    # --- answers (shown next to the question while filling in) --------------------------
    FORM_101 = Detail(
        "required",
        "This question is required. Please answer it.",
        "此项为必填项，请填写。",
    )
    FORM_102 = Detail(
        "constraint",
        "This answer is not valid. Please check it.",
        "该答案不符合要求，请检查。",
    )
    FORM_103 = Detail(
        "not_integer",
        "Enter a whole number (for example 12).",
        "请输入整数（如 12）。",
    )
    FORM_104 = Detail(
        "not_decimal",
        "Enter a number (for example 3.5).",
        "请输入数字（如 3.5）。",
    )
    FORM_105 = Detail(
        "not_date",
        "Enter a date as year-month-day (for example 2026-07-01).",
        "请按“年-月-日”格式输入日期（如 2026-07-01）。",
    )
    FORM_106 = Detail(
        "not_a_choice",
        "'{value}' is not one of the choices. Choose from the list.",
        "“{value}”不是可选的选项。请从列表中选择。",
    )
    FORM_201 = Detail(
        "unknown_path",
        "The form has no question '{path}'.",
        "表单中没有题目“{path}”。",
    )
    FORM_202 = Detail(
        "bad_answers",
        "The answers for '{path}' have the wrong shape: {reason}.",
        "“{path}”的答案格式不正确：{reason}。",
    )
    FORM_107 = Detail(
        "filtered_out",
        "'{value}' is not one of the choices the earlier answers allow (for example a "
        "village outside the chosen township). Choose from the list.",
        "“{value}”不在前面答案所允许的选项中（例如所选村不属于所选乡镇）。请从列表中选择。",
    )
    # --- real-world XLSForms (issue 19) ---------------------------------------------------
    FORM_021 = Detail(
        "attachment_question",
        _AT_EN + "the question type '{type}' asks for a photo, recording, video or file. "
        "Attachments are not supported yet (planned). Leave the question out, or use a "
        "text question for now.",
        _AT_ZH + "题型“{type}”需要拍照、录音、录像或上传文件。暂不支持附件（已列入计划）。"
        "请删去该题，或暂时改用文本题。",
    )
    FORM_022 = Detail(
        "unsupported_feature",
        _AT_EN + "'{feature}' is an XLSForm feature that is not supported (not planned). "
        "See 'What is refused' in docs/forms.md for what to use instead.",
        _AT_ZH + "“{feature}”是本系统不支持的 XLSForm 功能（不在计划中）。替代做法见 "
        "docs/forms.md 的“What is refused”一节。",
    )
    FORM_023 = Detail(
        "missing_file",
        _AT_EN + "the file '{file}' is not in the folder of the form. Put it next to the "
        "form (same folder) and check the spelling of its name.",
        _AT_ZH + "表单所在文件夹中没有文件“{file}”。请把它放在表单旁边（同一文件夹），"
        "并检查文件名拼写。",
    )
    FORM_024 = Detail(
        "bad_file",
        _AT_EN + "the file '{file}' cannot be read ({reason}). Save it as UTF-8 CSV with "
        "a header row that has the columns name and label.",
        _AT_ZH + "无法读取文件“{file}”（{reason}）。请另存为 UTF-8 编码的 CSV，首行为列名，"
        "包含 name 和 label 两列。",
    )
    FORM_025 = Detail(
        "curly_quotes",
        _AT_EN + "the expression '{expression}' has curly quotes (‘ ’ or “ ”), which Excel "
        "or WPS put in by autocorrect. Use straight quotes: {fixed}",
        _AT_ZH + "表达式“{expression}”中有弯引号（‘ ’ 或 “ ”），这是 Excel 或 WPS "
        "自动更正造成的。请改用直引号：{fixed}",
    )
    FORM_026 = Detail(
        "unsupported_function",
        _AT_EN + "the function '{function}()' is part of ODK forms but is not supported "
        "here (not planned). Refer to questions as ${{name}}; see docs/forms.md.",
        _AT_ZH + "函数“{function}()”属于 ODK 表单，但本系统不支持（不在计划中）。"
        "请用 ${{题目名称}} 引用题目；详见 docs/forms.md。",
    )
    FORM_027 = Detail(
        "bad_type_suffix",
        _AT_EN + "the type '{type}' has '{extra}' after the list name. Only 'or_other' "
        "may follow it.",
        _AT_ZH + "题型“{type}”的列表名后面多了“{extra}”。列表名后只能跟 or_other。",
    )
    FORM_028 = Detail(
        "planned_feature",
        _AT_EN + "'{feature}' is not supported yet (planned). See 'What is refused' in "
        "docs/forms.md for what to use until then.",
        _AT_ZH + "暂不支持“{feature}”（已列入计划）。在此之前的替代做法见 docs/forms.md 的"
        "“What is refused”一节。",
    )
    FORM_108 = Detail(
        "not_time",
        "Enter a time as hours:minutes (for example 14:30).",
        "请按“时:分”格式输入时间（如 14:30）。",
    )
    FORM_109 = Detail(
        "not_datetime",
        "Enter a date and time (for example 2026-07-01 14:30).",
        "请输入日期和时间（如 2026-07-01 14:30）。",
    )
    FORM_110 = Detail(
        "not_location",
        "Enter a location as latitude longitude, optionally altitude and accuracy in "
        "metres (for example 30.5728 104.0668 500 10); several points are separated by ';'.",
        "请按“纬度 经度”输入位置，可再加海拔和精度（米），如 30.5728 104.0668 500 10；"
        "多个点之间用“;”分隔。",
    )
    FORM_111 = Detail(
        "out_of_range",
        "Enter a number from {start} to {end} in steps of {step}.",
        "请输入 {start} 到 {end} 之间的数，步长为 {step}。",
    )
