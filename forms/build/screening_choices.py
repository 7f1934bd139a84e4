"""The ``choices`` sheet of the screening form (names per FORM-SPEC.md: a contract)."""

from __future__ import annotations

from surveyapp.core.demo.county import TOWNSHIPS, VILLAGES

Row = dict[str, str]

# The 56 ethnic groups in GB 3304 order, with its two-digit codes, plus 97 and 98.
ETHNIC_GROUPS = [
    ("汉族", "Han"),
    ("蒙古族", "Mongol"),
    ("回族", "Hui"),
    ("藏族", "Tibetan"),
    ("维吾尔族", "Uyghur"),
    ("苗族", "Miao"),
    ("彝族", "Yi"),
    ("壮族", "Zhuang"),
    ("布依族", "Bouyei"),
    ("朝鲜族", "Korean"),
    ("满族", "Manchu"),
    ("侗族", "Dong"),
    ("瑶族", "Yao"),
    ("白族", "Bai"),
    ("土家族", "Tujia"),
    ("哈尼族", "Hani"),
    ("哈萨克族", "Kazakh"),
    ("傣族", "Dai"),
    ("黎族", "Li"),
    ("傈僳族", "Lisu"),
    ("佤族", "Va"),
    ("畲族", "She"),
    ("高山族", "Gaoshan"),
    ("拉祜族", "Lahu"),
    ("水族", "Sui"),
    ("东乡族", "Dongxiang"),
    ("纳西族", "Naxi"),
    ("景颇族", "Jingpo"),
    ("柯尔克孜族", "Kyrgyz"),
    ("土族", "Tu"),
    ("达斡尔族", "Daur"),
    ("仫佬族", "Mulao"),
    ("羌族", "Qiang"),
    ("布朗族", "Blang"),
    ("撒拉族", "Salar"),
    ("毛南族", "Maonan"),
    ("仡佬族", "Gelao"),
    ("锡伯族", "Xibe"),
    ("阿昌族", "Achang"),
    ("普米族", "Pumi"),
    ("塔吉克族", "Tajik"),
    ("怒族", "Nu"),
    ("乌孜别克族", "Uzbek"),
    ("俄罗斯族", "Russian"),
    ("鄂温克族", "Evenki"),
    ("德昂族", "De'ang"),
    ("保安族", "Bonan"),
    ("裕固族", "Yugur"),
    ("京族", "Gin"),
    ("塔塔尔族", "Tatar"),
    ("独龙族", "Derung"),
    ("鄂伦春族", "Oroqen"),
    ("赫哲族", "Hezhen"),
    ("门巴族", "Monba"),
    ("珞巴族", "Lhoba"),
    ("基诺族", "Jino"),
]
ETHNIC_OTHER = [
    ("97", "其他未识别民族", "Other unidentified group"),
    ("98", "外国血统中国籍人士", "Chinese citizen of foreign origin"),
]


def _list(list_name: str, items: list[tuple[str, str, str]]) -> list[Row]:
    return [
        {"list_name": list_name, "name": n, "label::zh": zh, "label::en": en} for n, zh, en in items
    ]


PARENT_STATUS = [
    ("at_home", "在家", "At home"),
    ("away_in_province", "省内外出务工", "Working away, in the province"),
    ("away_out_province", "省外外出务工", "Working away, out of the province"),
    ("deceased", "死亡", "Deceased"),
    ("missing", "失踪（人民法院宣告）", "Declared missing by a court"),
    (
        "lost_contact",
        "失联（失去联系且未履行抚养责任6个月以上，已向公安报案）",
        "Lost contact (no contact or support for 6+ months, reported to the police)",
    ),
    ("imprisoned", "服刑在押（6个月以上）", "Imprisoned or detained (6+ months)"),
    (
        "compulsory_treatment",
        "强制隔离戒毒或被执行其他限制人身自由的措施（6个月以上）",
        "Compulsory drug treatment or other restriction of liberty (6+ months)",
    ),
    ("severe_disability", "重残", "Severe disability"),
    ("severe_illness", "重病", "Severe illness"),
    ("guardianship_revoked", "被撤销监护资格", "Guardianship revoked by a court"),
    ("deported", "被遣送（驱逐）出境", "Deported"),
    (
        "left_family",
        "离家（弃养、改嫁等，未达失联）",
        "Left the family (abandoned, remarried…; not lost contact)",
    ),
    ("unknown", "不详", "Unknown"),
]

SCHOOL_STATUS = [
    ("preschool_age", "学龄前", "Pre-school age"),
    ("kindergarten", "幼儿园", "Kindergarten"),
    ("primary", "小学", "Primary school"),
    ("junior", "初中", "Junior secondary"),
    ("senior", "高中", "Senior secondary"),
    ("vocational", "中职", "Vocational school"),
    ("dropped_out", "辍学", "Dropped out"),
    ("never_enrolled", "未入学", "Never enrolled"),
    ("special_school", "特殊教育", "Special school"),
    ("working", "已就业", "Working"),
]


def choices() -> list[Row]:
    """Every choice row, list by list."""
    rows: list[Row] = []
    rows += _list("yes_no", [("yes", "是", "Yes"), ("no", "否", "No")])
    rows += [
        {"list_name": "township", "name": t.code, "label::zh": t.name, "label::en": t.name_en}
        for t in TOWNSHIPS
    ]
    rows += [
        {
            "list_name": "village",
            "name": v.code,
            "label::zh": v.name,
            "label::en": v.name_en,
            "township": v.parent or "",
        }
        for v in VILLAGES
    ]
    rows += _list("residence", [("rural", "农村", "Rural"), ("urban", "城镇", "Urban")])
    rows += _list("sex", [("male", "男", "Male"), ("female", "女", "Female")])
    rows += _list(
        "ethnicity", [(f"{i:02d}", zh, en) for i, (zh, en) in enumerate(ETHNIC_GROUPS, start=1)]
    )
    rows += _list("ethnicity", ETHNIC_OTHER)
    rows += _list(
        "no_id_reason",
        [
            ("not_registered", "未登记户口", "Hukou not registered"),
            ("newborn", "新生儿未办理", "Newborn, not yet issued"),
            ("other", "其他", "Other"),
        ],
    )
    rows += _list(
        "hukou",
        [
            ("agricultural", "农业", "Agricultural"),
            ("non_agricultural", "非农业", "Non-agricultural"),
            ("resident", "居民", "Resident (unified)"),
        ],
    )
    rows += _list("school_status", SCHOOL_STATUS)
    rows += _list(
        "health",
        [
            ("healthy", "健康", "Healthy"),
            ("ill", "患病", "Ill"),
            ("serious_illness", "重病", "Seriously ill"),
            ("disabled", "残疾", "Disabled"),
        ],
    )
    rows += _list(
        "disability_type",
        [
            ("visual", "视力", "Visual"),
            ("hearing", "听力", "Hearing"),
            ("speech", "言语", "Speech"),
            ("physical", "肢体", "Physical"),
            ("intellectual", "智力", "Intellectual"),
            ("mental", "精神", "Mental"),
            ("multiple", "多重", "Multiple"),
        ],
    )
    rows += _list(
        "disability_grade",
        [
            ("1", "一级", "Grade 1"),
            ("2", "二级", "Grade 2"),
            ("3", "三级", "Grade 3"),
            ("4", "四级", "Grade 4"),
        ],
    )
    rows += _list("parent_status", PARENT_STATUS)
    rows += _list(
        "contact_freq",
        [
            ("weekly", "每周", "Weekly"),
            ("monthly", "每月", "Monthly"),
            ("yearly", "每年", "Yearly"),
            ("rarely", "很少", "Rarely"),
            ("never", "从不", "Never"),
        ],
    )
    rows += _list(
        "carer",
        [
            ("parent", "父母", "Parent"),
            ("grandparent", "祖父母或外祖父母", "Grandparent"),
            ("other_relative", "其他亲属", "Other relative"),
            ("friend_neighbor", "亲友邻居", "Friend or neighbour"),
            ("institution", "机构", "Institution"),
            ("self", "无人照料（自我照料）", "Nobody (the child looks after themself)"),
        ],
    )
    rows += _list(
        "carer_health",
        [
            ("good", "良好", "Good"),
            ("fair", "一般", "Fair"),
            ("poor", "较差", "Poor"),
            ("incapable", "丧失照料能力", "Unable to care"),
        ],
    )
    rows += _list(
        "guard_assess", [("good", "较好", "Good"), ("fair", "一般", "Fair"), ("poor", "差", "Poor")]
    )
    rows += _list(
        "difficulty",
        [
            ("living", "生活", "Living costs"),
            ("medical", "就医", "Medical care"),
            ("schooling", "就学", "Schooling"),
            ("housing", "住房", "Housing"),
            ("none", "无", "None"),
        ],
    )
    rows += _list(
        "income",
        [
            ("wages", "打工", "Wages"),
            ("farming", "种养殖", "Farming"),
            ("government", "政府救助", "Government assistance"),
            ("relatives", "亲朋接济", "Help from relatives"),
            ("other", "其他", "Other"),
        ],
    )
    rows += _list(
        "risk_sign",
        [
            ("abuse", "遭受虐待", "Abuse"),
            ("abandonment", "被遗弃", "Abandonment"),
            ("no_carer", "无人照料", "No carer"),
            ("injury", "意外伤害", "Accidental injury"),
            ("infringement", "遭受不法侵害", "Unlawful infringement"),
            ("missing_child", "儿童失踪", "Missing child"),
            ("dropout_risk", "辍学风险", "Risk of dropping out"),
            ("psych_problem", "心理或行为问题", "Psychological or behavioural problems"),
            ("none", "无", "None"),
        ],
    )
    rows += _list(
        "need",
        [
            ("living", "生活救助", "Living assistance"),
            ("medical", "医疗救治", "Medical treatment"),
            ("rehab", "康复", "Rehabilitation"),
            ("education", "教育帮扶", "Education support"),
            ("psych", "心理关爱", "Psychological care"),
            ("guardian_guidance", "监护指导", "Guidance for the guardian"),
            ("legal", "法律援助", "Legal aid"),
            ("none", "无", "None"),
        ],
    )
    return rows


CHOICES = choices()
