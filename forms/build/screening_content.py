"""The content of the screening form, as rows of the XLSForm ``survey``/``choices`` sheets.

Names follow ``FORM-SPEC.md`` (a contract); labels may be improved freely. The
classification rules (FORM-SPEC §7) are ``calculate`` rows at the end, with the county
switches first, so that a county can refine its criteria in Excel.
"""

from __future__ import annotations

Row = dict[str, str]

SETTINGS: Row = {
    "form_title": "农村留守儿童和困境儿童摸底排查表",
    "form_id": "child_screening",
    "version": "2026.2",
    "default_language": "zh",
}

REQ_ZH = "此项为必填项，请填写。"
REQ_EN = "This question is required. Please answer it."
# Fields whose value carries over from the previous visit of the same child.
LAST_SAVED = "${last-saved#%s}"


def q(type_: str, name: str, zh: str, en: str, **kw: str) -> Row:
    """One survey row; ``required='yes'`` adds the standard bilingual message."""
    row: Row = {"type": type_, "name": name, "label::zh": zh, "label::en": en}
    if kw.pop("prefill", ""):
        row["default"] = LAST_SAVED % name
    for key, value in kw.items():
        row[key.replace("__", "::")] = value
    if row.get("required") == "yes":
        row.setdefault("required_message::zh", REQ_ZH)
        row.setdefault("required_message::en", REQ_EN)
    return row


def begin(name: str, zh: str, en: str, kind: str = "group", **kw: str) -> Row:
    return q(f"begin {kind}", name, zh, en, **kw)


def end(name: str, kind: str = "group") -> Row:
    return {"type": f"end {kind}", "name": name}


def calc(name: str, zh: str, en: str, calculation: str) -> Row:
    return {
        "type": "calculate",
        "name": name,
        "label::zh": zh,
        "label::en": en,
        "calculation": calculation,
    }


def yn(expr: str) -> str:
    """A calculation giving 'yes' when ``expr`` holds, else 'no' (never empty)."""
    return f"if({expr}, 'yes', 'no')"


ENROLLED = ("kindergarten", "primary", "junior", "senior", "vocational", "special_school")
RELEVANT_ENROLLED = " or ".join(f"${{school_status}} = '{s}'" for s in ENROLLED)
Q_SET = (
    "severe_disability",
    "severe_illness",
    "imprisoned",
    "compulsory_treatment",
    "lost_contact",
    "guardianship_revoked",
    "deported",
)
D_SET = ("deceased", "missing")
SAFETY_SIGNS = ("abuse", "abandonment", "no_carer", "injury", "infringement", "missing_child")
NOT_NONE = "not(selected(., 'none') and count-selected(.) > 1)"
NOT_NONE_ZH = "“无”不能与其他选项同时选择。"
NOT_NONE_EN = "'None' cannot be combined with other choices."
NOT_SELF = "${carer_type} != 'self'"


def _status_in(parent: str, values: tuple[str, ...]) -> str:
    return " or ".join(f"${{{parent}_status}} = '{v}'" for v in values)


def _parent(p: str, zh: str, en: str) -> list[Row]:
    away = f"${{{p}_status}} = 'away_in_province' or ${{{p}_status}} = 'away_out_province'"
    return [
        begin(p, zh, en),
        q("text", f"{p}_name", f"{zh}姓名", f"{en}'s name", prefill="yes"),
        q(
            "text",
            f"{p}_id_number",
            f"{zh}身份证号",
            f"{en}'s ID number",
            hint__zh="选填；填写时须为有效的18位公民身份号码。",
            hint__en="Optional; when given it must be a valid 18-character ID number.",
            constraint="id-valid(.)",
            constraint_message__zh="身份证号无效：请核对位数、出生日期和末位校验码。",
            constraint_message__en="Invalid ID number: check the length, the birth date "
            "and the last (check) character.",
            prefill="yes",
        ),
        q(
            "select_one parent_status",
            f"{p}_status",
            f"{zh}状况",
            f"{en}'s situation",
            required="yes",
            appearance="minimal",
        ),
        q(
            "text",
            f"{p}_away_place",
            f"{zh}外出务工地点",
            f"Where the {en.lower()} works",
            hint__zh="写明省和市，如：广东省东莞市。",
            hint__en="Province and city, e.g. 广东省东莞市.",
            relevant=away,
        ),
        q(
            "integer",
            f"{p}_away_months",
            f"{zh}已外出月数",
            f"Months the {en.lower()} has been away",
            hint__zh="连续外出务工的月数。",
            hint__en="Consecutive months working away from home.",
            relevant=away,
            required="yes",
            constraint=". >= 0 and . <= 600",
            constraint_message__zh="月数应在0到600之间。",
            constraint_message__en="Months must be between 0 and 600.",
        ),
        q(
            "text",
            f"{p}_phone",
            f"{zh}联系电话",
            f"{en}'s phone",
            constraint="phone-valid(.)",
            constraint_message__zh="电话号码无效：手机为11位，固话为区号加号码。",
            constraint_message__en="Invalid phone number: a mobile has 11 digits, a landline "
            "an area code and a number.",
            prefill="yes",
        ),
        end(p),
    ]


def _parent_calcs(p: str, en: str) -> list[Row]:
    zh = "父亲" if p == "father" else "母亲"
    return [
        calc(
            f"{p}_away",
            f"{zh}外出务工（达到月数）",
            f"{en} away working (long enough)",
            yn(
                f"(${{{p}_status}} = 'away_in_province' or ${{{p}_status}} = 'away_out_province')"
                f" and ${{{p}_away_months}} != ''"
                f" and ${{{p}_away_months}} >= ${{lb_min_away_months}}"
            ),
        ),
        calc(
            f"{p}_in_q",
            f"{zh}属于重残、重病、服刑等情形",
            f"{en} in the qualifying group Q",
            yn(_status_in(p, Q_SET)),
        ),
        calc(
            f"{p}_gone",
            f"{zh}死亡或宣告失踪",
            f"{en} dead or declared missing",
            yn(_status_in(p, D_SET)),
        ),
        calc(
            f"{p}_incapable",
            f"{zh}无监护能力",
            f"{en} without guardianship capacity",
            yn(f"${{{p}_in_q}} = 'yes' or ${{{p}_gone}} = 'yes'"),
        ),
    ]


SURVEY_SECTION = [
    begin("survey_info", "一、基本信息", "1. Survey"),
    q(
        "date",
        "survey_date",
        "排查日期",
        "Survey date",
        required="yes",
        default="today()",
        constraint=". <= today()",
        constraint_message__zh="排查日期不能晚于今天。",
        constraint_message__en="The survey date cannot be in the future.",
    ),
    q(
        "select_one township",
        "township_code",
        "乡镇（街道）",
        "Township",
        required="yes",
        appearance="minimal",
        prefill="yes",
    ),
    q(
        "select_one village",
        "village_code",
        "村（居）",
        "Village",
        required="yes",
        appearance="minimal",
        choice_filter="township=${township_code}",
        prefill="yes",
        hint__zh="先选择乡镇，再选择村（居）。",
        hint__en="Choose the township first.",
    ),
    q(
        "select_one residence",
        "residence_type",
        "居住地类型",
        "Place of residence",
        required="yes",
        prefill="yes",
    ),
    q("text", "surveyor_name", "排查人", "Surveyor", required="yes", prefill="yes"),
    end("survey_info"),
]

CHILD_SECTION = [
    begin("child", "二、儿童基本情况", "2. The child"),
    q(
        "text",
        "child_name",
        "儿童姓名",
        "Child's name",
        required="yes",
        prefill="yes",
        constraint="string-length(.) >= 2 and string-length(.) <= 30",
        constraint_message__zh="姓名应为2到30个字。",
        constraint_message__en="The name must be 2 to 30 characters long.",
    ),
    q("select_one sex", "sex", "性别", "Sex", required="yes", prefill="yes"),
    q(
        "select_one ethnicity",
        "ethnicity",
        "民族",
        "Ethnic group",
        appearance="minimal",
        prefill="yes",
    ),
    q(
        "select_one yes_no",
        "has_id_number",
        "是否有身份证号",
        "Has an ID number",
        required="yes",
        prefill="yes",
    ),
    q(
        "text",
        "id_number",
        "公民身份号码",
        "Resident ID number",
        relevant="${has_id_number} = 'yes'",
        required="yes",
        prefill="yes",
        hint__zh="18位，末位可能是X。",
        hint__en="18 characters; the last may be X.",
        constraint="id-valid(.)",
        constraint_message__zh="身份证号无效：请核对位数、出生日期和末位校验码。",
        constraint_message__en="Invalid ID number: check the length, the birth date "
        "and the last (check) character.",
    ),
    q(
        "note",
        "sex_check_note",
        "⚠ 所选性别与身份证号不一致，请核对。",
        "⚠ The sex chosen does not match the ID number. Please check.",
        relevant="${has_id_number} = 'yes' and ${sex} != '' and id-sex(${id_number}) != ''"
        " and id-sex(${id_number}) != ${sex}",
    ),
    q(
        "select_one no_id_reason",
        "no_id_reason",
        "无身份证号原因",
        "Why there is no ID number",
        relevant="${has_id_number} = 'no'",
        prefill="yes",
    ),
    q(
        "date",
        "birth_date",
        "出生日期",
        "Date of birth",
        required="yes",
        prefill="yes",
        hint__zh="有身份证号时，须与号码中的出生日期一致。",
        hint__en="With an ID number, it must match the date in the number.",
        constraint=". <= today() and (${survey_date} = '' or . <= ${survey_date})"
        " and (${has_id_number} != 'yes' or id-birthdate(${id_number}) = ''"
        " or format-date(., '%Y-%m-%d') = id-birthdate(${id_number}))",
        constraint_message__zh="出生日期不能晚于今天或排查日期，且须与身份证号中的出生日期一致。",
        constraint_message__en="The date of birth cannot be after today or the survey date, "
        "and must match "
        "the ID number.",
    ),
    calc(
        "age_years",
        "年龄（周岁）",
        "Age (whole years)",
        "if(${birth_date} = '' or ${survey_date} = '', '', "
        "int((number(format-date(${survey_date}, '%Y%m%d')) - "
        "number(format-date(${birth_date}, '%Y%m%d'))) div 10000))",
    ),
    q(
        "note",
        "age_note",
        "⚠ 该儿童已满18周岁，一般不再纳入排查。",
        "⚠ This child is 18 or older and normally out of scope.",
        relevant="${age_years} != '' and ${age_years} >= 18",
    ),
    q(
        "select_one yes_no",
        "hukou_registered",
        "是否登记户口",
        "Household registration (hukou)",
        prefill="yes",
    ),
    q(
        "select_one yes_no",
        "hukou_rural",
        "是否农村户籍",
        "Rural hukou",
        required="yes",
        prefill="yes",
        hint__zh="留守儿童按农村户籍统计。",
        hint__en="Left-behind children are counted by rural hukou.",
    ),
    q("text", "hukou_place", "户籍所在地", "Place of hukou registration", prefill="yes"),
    q("text", "current_address", "现居住地址", "Current address", prefill="yes"),
    q("select_one hukou", "hukou_type", "户籍类型", "Hukou type", prefill="yes"),
    q("select_one school_status", "school_status", "就学状况", "Schooling", appearance="minimal"),
    q("text", "school_name", "就读学校", "School", relevant=RELEVANT_ENROLLED),
    q(
        "select_one yes_no",
        "boarding",
        "是否学校寄宿",
        "Boards at school",
        relevant=RELEVANT_ENROLLED,
    ),
    q("select_one health", "health_status", "健康状况", "Health", required="yes"),
    q(
        "select_multiple disability_type",
        "disability_type",
        "残疾类别",
        "Type of disability",
        relevant="${health_status} = 'disabled'",
    ),
    q(
        "select_one disability_grade",
        "disability_grade",
        "残疾等级",
        "Disability grade",
        relevant="${health_status} = 'disabled'",
        hint__zh="重残：一、二级残疾，或三、四级智力、精神残疾。",
        hint__en="Severe (重残): grade 1–2 of any type, or grade 3–4 intellectual or mental.",
    ),
    q(
        "select_one yes_no",
        "has_disability_cert",
        "是否持有残疾人证",
        "Holds a disability certificate",
        relevant="${health_status} = 'disabled'",
    ),
    end("child"),
]

PARENTS_SECTION = [
    begin("parents", "三、父母情况", "3. Parents"),
    *_parent("father", "父亲", "Father"),
    *_parent("mother", "母亲", "Mother"),
    q(
        "select_one contact_freq",
        "contact_frequency",
        "父母与儿童联系频率",
        "How often the parents contact the child",
    ),
    end("parents"),
    begin(
        "siblings",
        "兄弟姐妹",
        "Siblings",
        kind="repeat",
        hint__zh="家庭中的其他子女，每人一条。",
        hint__en="The family's other children, one entry each.",
    ),
    q("text", "sibling_name", "姓名", "Name", required="yes"),
    q("select_one sex", "sibling_sex", "性别", "Sex"),
    q(
        "integer",
        "sibling_birth_year",
        "出生年份",
        "Year of birth",
        constraint=". >= 1950 and . <= int(format-date(today(), '%Y'))",
        constraint_message__zh="请填写1950年至今年之间的四位年份。",
        constraint_message__en="Enter a four-digit year between 1950 and this year.",
    ),
    q("select_one yes_no", "sibling_lives_with", "是否与该儿童同住", "Lives with the child"),
    end("siblings", kind="repeat"),
    calc("sibling_count", "兄弟姐妹人数", "Number of siblings", "count(${siblings})"),
]

CARE_SECTION = [
    begin("care", "四、监护与照料情况", "4. Guardianship and care"),
    q(
        "select_one carer",
        "carer_type",
        "实际照料人",
        "Who actually cares for the child",
        required="yes",
        prefill="yes",
    ),
    q("text", "carer_name", "照料人姓名", "Carer's name", relevant=NOT_SELF, prefill="yes"),
    q(
        "text",
        "carer_relation",
        "照料人与儿童关系",
        "Carer's relation to the child",
        relevant=NOT_SELF,
        prefill="yes",
        hint__zh="如：祖父、外祖母、姑姑。",
        hint__en="E.g. grandfather, maternal grandmother, aunt.",
    ),
    q(
        "integer",
        "carer_age",
        "照料人年龄",
        "Carer's age",
        relevant=NOT_SELF,
        constraint=". >= 10 and . <= 110",
        constraint_message__zh="年龄应在10到110岁之间。",
        constraint_message__en="The age must be between 10 and 110.",
    ),
    q(
        "select_one carer_health",
        "carer_health",
        "照料人健康状况",
        "Carer's health",
        relevant=NOT_SELF,
        required="yes",
    ),
    q(
        "text",
        "carer_phone",
        "照料人联系电话",
        "Carer's phone",
        relevant=NOT_SELF,
        prefill="yes",
        constraint="phone-valid(.)",
        constraint_message__zh="电话号码无效：手机为11位，固话为区号加号码。",
        constraint_message__en="Invalid phone number: a mobile has 11 digits, a landline "
        "an area code and a number.",
    ),
    q(
        "text",
        "carer_id_number",
        "照料人身份证号",
        "Carer's ID number",
        relevant=NOT_SELF,
        prefill="yes",
        constraint="id-valid(.)",
        constraint_message__zh="身份证号无效：请核对位数、出生日期和末位校验码。",
        constraint_message__en="Invalid ID number: check the length, the birth date "
        "and the last (check) character.",
    ),
    q(
        "select_one yes_no",
        "entrusted_guardian",
        "有无委托监护人",
        "Has an entrusted guardian",
        relevant="${father_status} != '' and ${mother_status} != ''"
        " and ${father_status} != 'at_home' and ${mother_status} != 'at_home'",
    ),
    q(
        "select_one yes_no",
        "entrusted_agreement",
        "是否签订委托照护协议",
        "A written care agreement was signed",
        relevant="${carer_type} != '' and ${carer_type} != 'parent' and ${carer_type} != 'self'",
    ),
    q(
        "select_one guard_assess",
        "guardianship_assessment",
        "监护情况评估",
        "Assessment of guardianship",
        hint__zh="“差”：无人监护、一方外出另一方无监护能力，或照料人无力监护。",
        hint__en="Poor: no guardian, one parent away and the other incapable, "
        "or a carer unable to guard.",
    ),
    end("care"),
]

YES_NO_SUPPORT = [
    ("family_dibao", "是否纳入低保", "Family receives minimum living allowance (dibao)"),
    ("family_tekun", "是否纳入特困人员救助供养", "Family receives extreme-poverty support (tekun)"),
    ("orphan_allowance", "是否领取孤儿基本生活费", "Receives the orphan allowance"),
    (
        "unsupported_allowance",
        "是否领取事实无人抚养儿童生活补贴",
        "Receives the allowance for de-facto unsupported children",
    ),
    ("disability_subsidies", "是否享受残疾人两项补贴", "Receives the two disability subsidies"),
    ("medical_insurance", "是否参加城乡居民医保", "Enrolled in residents' medical insurance"),
    ("medical_assistance", "是否享受医疗救助", "Receives medical assistance"),
    ("temp_assistance", "是否享受临时救助", "Receives temporary assistance"),
    ("housing_assistance", "是否享受住房救助", "Receives housing assistance"),
    ("education_aid", "是否享受教育资助", "Receives education aid"),
    (
        "family_poverty_monitored",
        "是否为防返贫监测对象",
        "Family monitored against falling back into poverty",
    ),
]

SUPPORT_SECTION = [
    begin("support", "五、保障情况", "5. Family support and safety nets"),
    *(q("select_one yes_no", n, zh, en) for n, zh, en in YES_NO_SUPPORT),
    q(
        "select_multiple difficulty",
        "family_difficulty",
        "家庭主要困难",
        "The family's main difficulties",
        constraint=NOT_NONE,
        constraint_message__zh=NOT_NONE_ZH,
        constraint_message__en=NOT_NONE_EN,
    ),
    q("select_multiple income", "income_source", "家庭经济来源", "The family's income"),
    end("support"),
]

RISK_SECTION = [
    begin("risks", "六、风险与需求", "6. Risks and needs"),
    q(
        "select_multiple risk_sign",
        "risk_signs",
        "风险情形",
        "Signs of risk",
        constraint=NOT_NONE,
        constraint_message__zh=NOT_NONE_ZH,
        constraint_message__en=NOT_NONE_EN,
        hint__zh="发现遭受虐待、被遗弃、无人照料等情形的，须立即强制报告。",
        hint__en="Abuse, abandonment, no carer and similar signs must be reported at once.",
    ),
    q(
        "note",
        "urgent_note",
        "⚠ 强制报告：请立即向公安机关报告，并同时报告乡镇（街道）和县级民政部门。",
        "⚠ Mandatory report: report to the police now, and tell the township and the "
        "county civil affairs bureau at once.",
        relevant="${urgent_report} = 'yes'",
    ),
    q(
        "select_multiple need",
        "needs",
        "帮扶需求",
        "Needs",
        constraint=NOT_NONE,
        constraint_message__zh=NOT_NONE_ZH,
        constraint_message__en=NOT_NONE_EN,
    ),
    q("text", "remarks", "备注", "Remarks"),
    q(
        "select_one yes_no",
        "consent",
        "监护人知情同意",
        "Guardian informed and consents",
        required="yes",
        hint__zh="已告知监护人收集信息的目的和用途（不满14周岁儿童须经监护人同意）。",
        hint__en="The guardian was told why the data is collected (required for children "
        "under 14).",
    ),
    end("risks"),
]

# Every 困境 category ends at minor_age_limit (FORM-SPEC §7); an unknown age does not.
MINOR = "(${age_years} = '' or ${age_years} < ${minor_age_limit}) and ("
ANY_SAFETY = " or ".join(f"selected(${{risk_signs}}, '{s}')" for s in SAFETY_SIGNS)
CLASSIFICATION_SECTION = [
    begin("classification", "七、分类结果（自动计算）", "7. Classification (computed)"),
    # County switches: a county edits these five rows to refine its criteria.
    calc(
        "lb_age_limit",
        "留守儿童年龄上限（县可调整）",
        "Left-behind age limit (county switch)",
        "16",
    ),
    calc(
        "minor_age_limit",
        "困境儿童和事实无人抚养儿童年龄上限",
        "Age limit for every difficulty category and de-facto unsupported",
        "18",
    ),
    calc(
        "lb_rural_only",
        "留守儿童仅限农村户籍（县可调整）",
        "Left-behind: rural hukou only (county switch)",
        "'yes'",
    ),
    calc(
        "lb_min_away_months",
        "外出务工最少月数（县可调整）",
        "Months away before a parent counts as away (county switch)",
        "6",
    ),
    calc(
        "dk_count_serious_illness",
        "重病计入残疾类困境（县可调整）",
        "Count serious illness as disability difficulty (county switch)",
        "'no'",
    ),
    *_parent_calcs("father", "Father"),
    *_parent_calcs("mother", "Mother"),
    calc("safety_risk", "存在侵害或无人照料情形", "Signs of harm or of no carer", yn(ANY_SAFETY)),
    calc(
        "is_left_behind",
        "农村留守儿童",
        "Rural left-behind child",
        yn(
            "${age_years} != '' and ${age_years} < ${lb_age_limit}"
            " and (${lb_rural_only} = 'no' or ${hukou_rural} = 'yes')"
            " and ((${father_away} = 'yes' and ${mother_away} = 'yes')"
            " or (${father_away} = 'yes' and ${mother_incapable} = 'yes')"
            " or (${mother_away} = 'yes' and ${father_incapable} = 'yes'))"
        ),
    ),
    calc("is_orphan", "孤儿", "Orphan", yn("${father_gone} = 'yes' and ${mother_gone} = 'yes'")),
    calc(
        "is_unsupported",
        "事实无人抚养儿童",
        "De-facto unsupported child",
        yn(
            "${age_years} != '' and ${age_years} < ${minor_age_limit}"
            " and ((${father_in_q} = 'yes' and ${mother_in_q} = 'yes')"
            " or (${father_in_q} = 'yes' and ${mother_gone} = 'yes')"
            " or (${father_gone} = 'yes' and ${mother_in_q} = 'yes'))"
        ),
    ),
    calc(
        "dk_poverty",
        "困境儿童（贫困）",
        "In difficulty: poverty",
        yn(
            MINOR + "${family_dibao} = 'yes' or ${family_tekun} = 'yes'"
            " or ((selected(${family_difficulty}, 'living')"
            " or selected(${family_difficulty}, 'medical')"
            " or selected(${family_difficulty}, 'schooling'))"
            " and ${family_poverty_monitored} = 'yes'))"
        ),
    ),
    calc(
        "dk_disability",
        "困境儿童（残疾）",
        "In difficulty: disability",
        yn(
            MINOR + "${health_status} = 'disabled' or (${health_status} = 'serious_illness'"
            " and ${dk_count_serious_illness} = 'yes'))"
        ),
    ),
    calc(
        "dk_guardianship",
        "困境儿童（监护缺失）",
        "In difficulty: guardianship",
        yn(
            MINOR + "${carer_type} = 'self' or ${carer_health} = 'incapable'"
            " or ${safety_risk} = 'yes' or ${is_unsupported} = 'yes' or (${is_orphan} = 'yes'"
            " and (${carer_type} = 'self' or ${carer_type} = 'friend_neighbor')))"
        ),
    ),
    calc(
        "is_in_difficulty",
        "困境儿童",
        "Child in difficulty",
        yn(
            "${age_years} != '' and ${age_years} < ${minor_age_limit}"
            " and (${dk_poverty} = 'yes' or ${dk_disability} = 'yes'"
            " or ${dk_guardianship} = 'yes')"
        ),
    ),
    calc(
        "urgent_report",
        "需强制报告",
        "Mandatory report",
        yn(
            "${safety_risk} = 'yes' or ${carer_health} = 'incapable'"
            " or (${carer_type} = 'self' and ${age_years} != '' and ${age_years} < 16)"
        ),
    ),
    calc(
        "risk_level",
        "风险等级",
        "Risk level",
        "if(${urgent_report} = 'yes', 'high', if(${is_in_difficulty} = 'yes'"
        " or (${is_left_behind} = 'yes' and (${carer_health} = 'poor'"
        " or ${carer_health} = 'incapable' or ${contact_frequency} = 'rarely'"
        " or ${contact_frequency} = 'never')) or ${school_status} = 'dropped_out',"
        " 'medium', 'low'))",
    ),
    calc(
        "risk_level_label",
        "风险等级（中文）",
        "Risk level (Chinese)",
        "if(${risk_level} = 'high', '高', if(${risk_level} = 'medium', '中', '低'))",
    ),
    calc(
        "dk_parts",
        "困境类别（中间值）",
        "Difficulty categories (working value)",
        "concat(if(${dk_poverty} = 'yes', '贫困、', ''),"
        " if(${dk_disability} = 'yes', '残疾、', ''),"
        " if(${dk_guardianship} = 'yes', '监护缺失、', ''))",
    ),
    calc(
        "category_parts",
        "类别（中间值）",
        "Categories (working value)",
        "concat(if(${is_left_behind} = 'yes', '留守儿童；', ''),"
        " if(${is_orphan} = 'yes', '孤儿；', ''),"
        " if(${is_unsupported} = 'yes', '事实无人抚养儿童；', ''),"
        " if(${is_in_difficulty} = 'yes', concat('困境儿童（',"
        " substr(${dk_parts}, 0, string-length(${dk_parts}) - 1), '）；'), ''),"
        " if(${urgent_report} = 'yes', '需强制报告；', ''))",
    ),
    calc(
        "category_label",
        "儿童类别",
        "Category",
        "if(${category_parts} = '', '无',"
        " substr(${category_parts}, 0, string-length(${category_parts}) - 1))",
    ),
    calc(
        "follow_up_days",
        "回访周期（天）",
        "Days until the next visit",
        "if(${risk_level} = 'high', 7, if(${risk_level} = 'medium', 30, 90))",
    ),
    q(
        "note",
        "classification_note",
        "分类结果：${category_label}；风险等级：${risk_level_label}；${follow_up_days}天内回访。",
        "Result: ${category_label}; risk ${risk_level}; next visit within ${follow_up_days} days.",
    ),
    end("classification"),
]

SURVEY: list[Row] = [
    *SURVEY_SECTION,
    *CHILD_SECTION,
    *PARENTS_SECTION,
    *CARE_SECTION,
    *SUPPORT_SECTION,
    *RISK_SECTION,
    *CLASSIFICATION_SECTION,
]
