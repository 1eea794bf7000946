"""What the petition sector declares: categories, intake fields, refusal grounds, departments.

Sources: seed 004 (city petition bureau reception rules, Traditional characters), seed 000
(reception rules), seed 002 (township / unit rules). The seeds name no subject areas for
petitions, so the category tree is a configurable default; everything else cites its line.
"""

from __future__ import annotations

from core.plugin_api import Category, Choice, DepartmentSeed, Ground, IntakeField, Names, RoleSeed

__all__ = ["CATEGORIES", "CHANNELS", "DEPARTMENTS", "GROUNDS", "INTAKE_FIELDS", "ROLES", "SPECIAL_PERSONS"]

CFG = "default [CFG]: seeds name no subject areas; routed 归口 by subject (seed 004 L59)"


def _cat(code: str, zh: str, en: str, *children: Category, source: str = CFG) -> Category:
    return Category(code=code, names=Names(zh, en), children=list(children), source=source)


CATEGORIES = [
    _cat(
        "land_housing",
        "土地房屋",
        "Land and housing",
        _cat("land_housing.expropriation", "征地拆迁", "Land expropriation and demolition"),
        _cat("land_housing.housing", "住房保障与物业", "Housing and property"),
    ),
    _cat(
        "labour",
        "劳动和社会保障",
        "Labour and social security",
        _cat("labour.wages", "拖欠工资", "Unpaid wages"),
        _cat("labour.social_insurance", "社会保险", "Social insurance"),
    ),
    _cat("urban", "城乡建设与管理", "Urban construction and management"),
    _cat("environment", "生态环境", "Environment"),
    _cat("public_order", "治安与政法", "Public order and policing"),
    _cat("health", "医疗卫生", "Health"),
    _cat("education", "教育", "Education"),
    _cat("civil_affairs", "民政", "Civil affairs"),
    _cat("rural", "农业农村", "Agriculture and rural affairs"),
    _cat(
        "accusation",
        "检举控告",
        "Accusations and reports of misconduct",
        source="seed 002 L139 (揭发和控告); seed 003 L32",
    ),
    _cat(
        "law_litigation",
        "涉法涉诉",
        "Matters for courts, procuratorates or legal routes",
        source="seed 004 L13 (items 1–2)",
    ),
    _cat("other", "其他", "Other"),
]

YES_NO = "bool"

SPECIAL_PERSONS = {
    "foreigner": (Names("外国籍、无国籍人士", "Foreign or stateless person"), "seed 004 L51"),
    "hk_macau_taiwan": (Names("港澳台同胞", "Hong Kong, Macau or Taiwan resident"), "seed 004 L51"),
    "overseas_chinese": (Names("华侨", "Overseas Chinese"), "seed 004 L51"),
    "art20_breach": (Names("违反《信访条例》第二十条", "Breach of Art. 20 of the Regulations"), "seed 004 L117"),
    "mentally_ill": (Names("精神病人", "Person with a mental illness"), "seed 004 L119"),
    "infectious_disease": (Names("恶性传染病患者", "Person with a serious infectious disease"), "seed 004 L121"),
    "medical_emergency": (Names("需要急救", "Needs emergency care"), "seed 004 L123"),
    "disruption_after_decision": (Names("依规处理后无理取闹", "Disruption after a lawful decision"), "seed 004 L127"),
}


def _field(
    name: str,
    zh: str,
    en: str,
    type_: str = "string",
    *,
    source: str,
    required: bool = False,
    choices: list[Choice] | None = None,
) -> IntakeField:
    return IntakeField(
        name=name,
        names=Names(zh, en),
        type=type_,
        required=required,  # type: ignore[arg-type]
        choices=choices or [],
        source=source,
    )


def _choices(**items: tuple[str, str]) -> list[Choice]:
    return [Choice(code=code, names=Names(zh, en)) for code, (zh, en) in items.items()]


INTAKE_FIELDS = [
    # 登记项目 (seed 004 L27). 来访时间 = received_at, 来访人基本情况 and 通信地址或方式 =
    # complainant, 人数 = group_size, 事由 = subject; the rest are sector fields:
    _field("demands", "具体诉求", "Specific demands", source="seed 004 L27", required=True),
    _field(
        "has_prior_opinion",
        "有无信访事项处理意见",
        "Has a handling opinion already been given",
        YES_NO,
        source="seed 004 L27",
        required=True,
    ),
    _field("first_visit", "是否初访", "First visit on this matter", YES_NO, source="seed 004 L27", required=True),
    _field(
        "other_channel",
        "是否通过其他方式反映过同一事项",
        "Raised the same matter through another channel",
        YES_NO,
        source="seed 004 L27",
        required=True,
    ),
    _field(
        "petition_type",
        "信访类型",
        "Kind of petition",
        "choice",
        source="seed 004 L11; seed 000 L56",
        choices=_choices(
            report=("反映情况", "Report of a situation"),
            suggestion=("建议意见", "Suggestion"),
            complaint_request=("投诉请求", "Complaint request"),
            consultation=("咨询", "Consultation"),
            help=("求助", "Request for help"),
        ),
    ),
    _field("territory", "属地(县、区)", "Home county or district", source="seed 004 L19, L57"),
    _field("county_body", "县级有权处理机关", "Competent county body", source="seed 004 L57"),
    # 接谈 record (seed 004 L41)
    _field("skip_level", "是否越级访", "Skip-level visit", YES_NO, source="seed 004 L41"),
    _field("skip_level_reason", "越级访原因", "Why the visit skipped a level", source="seed 004 L41"),
    _field("extreme_conduct", "异常、过激言行", "Abnormal or aggressive conduct", source="seed 004 L41"),
    # 不予受理 / 不再受理 facts (seed 004 L13, L15)
    _field(
        "legal_route",
        "已经或应当通过的法定途径",
        "Legal route taken or due",
        "choice",
        source="seed 004 L13",
        choices=_choices(
            none=("无", "None"),
            litigation=("诉讼", "Litigation"),
            arbitration=("仲裁", "Arbitration"),
            administrative_reconsideration=("行政复议", "Administrative reconsideration"),
        ),
    ),
    _field("handled_by", "已受理或正在办理的有权机关", "Competent body already handling it", source="seed 004 L13"),
    _field(
        "review_status",
        "办理、复查、复核进程",
        "Stage of handling and review",
        "choice",
        source="seed 004 L15",
        choices=_choices(
            none=("尚未处理", "Not handled yet"),
            opinion_received=("已收到处理或复查意见", "Handling or review opinion received"),
            review_concluded=("已复核终结", "Re-review concluded"),
        ),
    ),
    _field(
        "opinion_received_on", "收到处理(复查)意见日期", "Date the opinion was received", "date", source="seed 004 L15"
    ),
    _field(
        "late_reason", "逾期提出复查、复核的正当理由", "Good reason for a late review request", source="seed 004 L15"
    ),
    # 交办 conditions (seed 004 L61), recorded by staff
    _field("leader_instruction", "领导批示", "Leader's written instruction", YES_NO, source="seed 004 L61 (1)"),
    _field(
        "should_have_been_solved",
        "应该解决而未解决",
        "Should have been solved but was not",
        YES_NO,
        source="seed 004 L61 (2)",
    ),
    _field(
        "mass_incident_risk",
        "可能引发群体性或异常访",
        "May cause mass or abnormal visits",
        YES_NO,
        source="seed 004 L61 (3)",
    ),
    _field(
        "county_opinion_improper",
        "处理意见明显不当",
        "The local opinion is clearly wrong",
        YES_NO,
        source="seed 004 L61 (4)",
    ),
    _field(
        "feedback_required", "需要反馈办理结果", "Feedback on the result is required", YES_NO, source="seed 004 L61 (5)"
    ),
    _field("many_demands", "诉求事项较多", "Many demands in one visit", YES_NO, source="seed 004 L57"),
    _field(
        "special_person",
        "特殊情况",
        "Special circumstances",
        "choice",
        source="seed 004 L51, L117–L127",
        choices=[Choice(code=k, names=v[0]) for k, v in SPECIAL_PERSONS.items()],
    ),
]

GROUNDS = [
    Ground(
        code="NR1",
        names=Names(
            "属于人大、法院、检察院职权范围", "Within the powers of a people's congress, court or procuratorate"
        ),
        needs_target=True,
        source="seed 004 L13 (1), L31",
    ),
    Ground(
        code="NR2",
        names=Names(
            "已经或者依法应当通过诉讼、仲裁、行政复议等法定途径解决",
            "Already or lawfully due to be resolved by litigation, arbitration or administrative reconsideration",
        ),
        needs_target=True,
        source="seed 004 L13 (2), L31",
    ),
    Ground(
        code="NR3",
        names=Names("有权处理的党政机关已经受理或正在办理", "Already accepted or being handled by the competent body"),
        source="seed 004 L13 (3)",
    ),
    Ground(code="NR4", names=Names("无实质性内容", "No substance"), source="seed 004 L13 (4)"),
    Ground(
        code="NR5",
        names=Names("不属于市委、市政府职权范围", "Outside the powers of the city government"),
        source="seed 004 L13 (5)",
    ),
    Ground(
        code="NA1",
        names=Names("有权处理的党政机关已经复核终结", "Re-review by the competent body is concluded"),
        kind="no_longer_accepted",
        source="seed 004 L15 (1)",
    ),
    Ground(
        code="NA2",
        names=Names(
            "无正当理由未在法定期限内提出复查、复核请求",
            "Review not requested within the statutory period without good reason",
        ),
        kind="no_longer_accepted",
        source="seed 004 L15 (2)",
    ),
]


def _dept(code: str, zh: str, en: str, source: str = CFG) -> DepartmentSeed:
    return DepartmentSeed(code=code, names=Names(zh, en), source=source)


DEPARTMENTS = [
    _dept("reception", "来访接待室", "Visitor reception office", "seed 004 L49, L67"),
    _dept("supervision", "督查处", "Supervision division", "seed 004 L73"),
    _dept("county_a_petition_office", "甲县信访工作机构", "County A petition office", "seed 004 L57 (names [CFG])"),
    _dept("county_b_petition_office", "乙区信访工作机构", "District B petition office", "seed 004 L57 (names [CFG])"),
    _dept("natural_resources", "市自然资源和规划局", "Natural resources bureau"),
    _dept("housing", "市住房和城乡建设局", "Housing and construction bureau"),
    _dept("hrss", "市人力资源和社会保障局", "Human resources and social security bureau"),
    _dept("urban_management", "市城市管理局", "Urban management bureau"),
    _dept("ecology", "市生态环境局", "Ecology and environment bureau"),
    _dept("public_security", "市公安局", "Public security bureau", "seed 004 L119, L127"),
    _dept("health", "市卫生健康局", "Health bureau", "seed 004 L121"),
    _dept("education", "市教育局", "Education bureau"),
    _dept("civil_affairs", "市民政局", "Civil affairs bureau"),
    _dept("agriculture", "市农业农村局", "Agriculture and rural affairs bureau"),
    _dept("discipline", "市纪委监委", "Discipline inspection and supervision commission"),
]

ROLES = [
    RoleSeed(code="duty_leader", names=Names("值班领导", "Duty leader"), source="seed 004 L123, L127"),
    RoleSeed(code="room_leader", names=Names("接待室领导", "Reception office leader"), source="seed 004 L125"),
    RoleSeed(code="bureau_leader", names=Names("局领导", "Bureau leader"), source="seed 004 L51, L53, L125"),
    RoleSeed(code="bureau_head", names=Names("局主要领导", "Head of the bureau"), source="seed 004 L127"),
    RoleSeed(code="supervision_office", names=Names("督查处", "Supervision division"), source="seed 004 L73"),
    RoleSeed(
        code="home_county_duty_office",
        names=Names("来访人所在县区值班室", "Home county duty office"),
        source="seed 004 L125",
    ),
    RoleSeed(code="police", names=Names("公安机关", "Police"), source="seed 004 L117, L119, L127"),
    RoleSeed(code="guardian", names=Names("监护人或所在单位", "Guardian or home unit"), source="seed 004 L119"),
    RoleSeed(code="health_bureau", names=Names("市卫生局", "Health bureau"), source="seed 004 L121"),
    RoleSeed(code="emergency_120", names=Names("120急救中心", "Emergency service 120"), source="seed 004 L123"),
]

CHANNELS = ["visit", "letter", "phone", "email", "web", "hotline", "transfer-in"]
"""Walk-in (000 L5), letters and post-visit letters (004 L97), phone, e-mail, web
(000 L306; 002 L85), and cases assigned from above (000 L195)."""
