"""What the hospital sector declares: categories, intake fields, grounds, departments, roles.

Sources: seed 000 L73–L85 (maternity hospital), L143–L164 (patient complaints); seed 001
L28–L58 (dispute rule, table "B"), L260–L474 (dispute procedure; complaint rule "C6"),
L526–L574 (outpatient and nursing), L712–L730 (price), L922–L958 (conduct office).
"""

from __future__ import annotations

from core.plugin_api import Category, Choice, DepartmentSeed, Ground, IntakeField, Names, RoleSeed

__all__ = ["C6_DEPARTMENTS", "CATEGORIES", "CHANNELS", "DEPARTMENTS", "GROUNDS", "INTAKE_FIELDS", "ROLES"]


def _cat(code: str, zh: str, en: str, source: str, *children: Category) -> Category:
    return Category(code=code, names=Names(zh, en), children=list(children), source=source)


CATEGORIES = [
    _cat(
        "medical",
        "医疗质量与医疗纠纷",
        "Medical quality and disputes",
        "seed 001 L32, L398",
        _cat("medical.outpatient", "门诊医疗纠纷", "Outpatient dispute", "seed 001 L34"),
        _cat("medical.clinical", "医疗方面", "Clinical care", "seed 001 L36"),
        _cat("medical.pharmacy", "医药方面", "Medicines", "seed 001 L40"),
        _cat("medical.equipment", "设备及医用材料", "Equipment and medical materials", "seed 001 L42"),
        _cat("medical.accident", "医疗事故", "Medical accident", "seed 000 L153"),
    ),
    _cat("nursing", "护理质量与护理纠纷", "Nursing quality and disputes", "seed 001 L38, L400, L544–L574"),
    _cat(
        "conduct",
        "医德医风(行风)",
        "Professional conduct",
        "seed 000 L154; seed 001 L392, L926–L942",
        _cat("conduct.red_envelope", "红包、回扣", "Red envelopes and kickbacks", "seed 001 L534"),
        _cat("conduct.improper_gain", "吃、拿、卡、要等不廉洁行为", "Improper gain", "seed 001 L940"),
    ),
    _cat("service", "一般服务问题", "General service", "seed 001 L530"),
    _cat("price", "医疗收费与物价", "Charges and prices", "seed 001 L402, L712–L730"),
    _cat("privacy", "患者隐私", "Patient privacy", "seed 000 L155"),
    _cat(
        "staff",
        "职工纪律",
        "Staff discipline",
        "seed 001 L394–L396",
        _cat("staff.labour_discipline", "劳动纪律", "Labour discipline", "seed 001 L394"),
        _cat("staff.violation", "违规违纪", "Violations of rules", "seed 001 L396"),
    ),
    _cat("admin", "行政事务与管理", "Administration", "seed 001 L390"),
    _cat("security", "医院安全", "Hospital security", "seed 001 L404"),
    _cat("logistics", "后勤保障", "Logistics", "seed 001 L406"),
    _cat("equipment_management", "设备管理", "Equipment management", "seed 001 L408"),
    _cat("infection", "院内感染", "Hospital infection", "seed 001 L410"),
    _cat("drugs", "药品质量、价格及药事管理", "Drug quality, prices and pharmacy", "seed 001 L412"),
]

INTAKE_FIELDS = [
    IntakeField(
        name="complainant_role",
        names=Names("投诉人身份", "Complainant's standing"),
        type="choice",
        required=True,
        source="seed 001 L420",
        choices=[
            Choice(code="patient", names=Names("患者", "Patient")),
            Choice(code="agent", names=Names("合法代理人(家属)", "Lawful agent or family")),
            Choice(code="employee", names=Names("本院职工", "Employee")),
            Choice(code="other", names=Names("其他", "Other")),
        ],
    ),
    IntakeField(
        name="respondent", names=Names("被投诉对象", "Person or unit complained about"), source="seed 001 L422"
    ),
    IntakeField(name="demands", names=Names("具体要求", "Specific demands"), source="seed 001 L422; seed 003 L209"),
    IntakeField(
        name="sex",
        names=Names("性别", "Sex"),
        type="choice",
        source="seed 003 L209",
        choices=[Choice(code="female", names=Names("女", "Female")), Choice(code="male", names=Names("男", "Male"))],
    ),
    IntakeField(
        name="transcript_signed",
        names=Names("口诉笔录已签字", "Oral complaint transcript signed"),
        type="bool",
        source="seed 001 L424",
    ),
    IntakeField(
        name="departments_involved",
        names=Names("涉及科室", "Departments involved"),
        type="list",
        source="seed 001 L44, L434, L950",
    ),
    IntakeField(
        name="seal_requested",
        names=Names("要求封存病历或实物", "Sealing of records or items requested"),
        type="bool",
        source="seed 001 L322–L324, L348",
    ),
    IntakeField(
        name="special_person",
        names=Names("特殊情况", "Special circumstances"),
        type="choice",
        source="seed 001 L446",
        choices=[Choice(code="vexatious", names=Names("无理取闹、捏造事实", "Vexatious or fabricated"))],
    ),
]

GROUNDS = [
    Ground(
        code="H1",
        names=Names(
            "投诉人不是权益直接受到侵害的患者、合法代理人或职工",
            "Not a directly harmed patient, lawful agent or employee",
        ),
        source="seed 001 L420",
    ),
    Ground(
        code="H2",
        names=Names(
            "补正后仍无明确的投诉对象、事实根据和具体要求",
            "Still no clear respondent, facts or demands after being asked",
        ),
        source="seed 001 L422, L432",
    ),
    Ground(
        code="H3",
        names=Names("不属于医院职责范围", "Outside the hospital's remit"),
        needs_target=True,
        source="seed 000 L156; seed 003 L224",
    ),
]


def _dept(code: str, zh: str, en: str, source: str) -> DepartmentSeed:
    return DepartmentSeed(code=code, names=Names(zh, en), source=source)


DEPARTMENTS = [  # routing table B (seed 001 L32–L44) plus the conduct office (seed 000 L154)
    _dept("medical_affairs", "医务科", "Medical affairs office", "seed 001 L34, L44, L274"),
    _dept("outpatient", "门诊部", "Outpatient department", "seed 001 L34, L530"),
    _dept("inpatient", "住院部", "Inpatient department", "seed 001 L36"),
    _dept("nursing", "护理部", "Nursing department", "seed 001 L38, L544"),
    _dept("pharmacy", "药剂科", "Pharmacy", "seed 001 L40"),
    _dept("procurement", "采购部", "Procurement department", "seed 001 L42"),
    _dept("supervision", "监察室", "Supervision office", "seed 000 L154; seed 001 L530"),
]

C6_DEPARTMENTS = [  # routing table C6 (seed 001 L386–L416)
    _dept("hospital_office", "院办公室", "Hospital office", "seed 001 L386, L390"),
    _dept("party_office", "党委办公室", "Party committee office", "seed 001 L386, L392"),
    _dept("hr", "人事处", "Human resources", "seed 001 L394"),
    _dept("audit", "监审处", "Audit and supervision", "seed 001 L396"),
    _dept("medical_education", "医教处", "Medical and education division", "seed 001 L398"),
    _dept("nursing", "护理部", "Nursing department", "seed 001 L400"),
    _dept("finance", "财务处", "Finance division", "seed 001 L402"),
    _dept("security", "保卫处", "Security division", "seed 001 L404"),
    _dept("general_affairs", "总务处", "General affairs", "seed 001 L406"),
    _dept("equipment", "设备处", "Equipment division", "seed 001 L408"),
    _dept("infection_control", "感染管理科", "Infection control", "seed 001 L410"),
    _dept("pharmacy", "药剂科", "Pharmacy", "seed 001 L412"),
]

ROLES = [
    RoleSeed(
        code="first_responsible", names=Names("首问(首诉)负责人", "First-contact owner"), source="seed 000 L77–L79"
    ),
    RoleSeed(code="medical_affairs_head", names=Names("医务科科长", "Head of medical affairs"), source="seed 001 L280"),
    RoleSeed(code="duty_leader", names=Names("院总值班", "Hospital duty leader"), source="seed 001 L384"),
    RoleSeed(code="hospital_leader", names=Names("院领导", "Hospital leadership"), source="seed 000 L83; seed 001 L46"),
    RoleSeed(code="president", names=Names("院长", "President"), source="default [CFG]: spec S5 level 2"),
    RoleSeed(code="nursing_director", names=Names("护理部主任", "Director of nursing"), source="seed 001 L544, L560"),
    RoleSeed(code="legal_adviser", names=Names("法律顾问", "Legal adviser"), source="seed 001 L440"),
    RoleSeed(code="police", names=Names("公安部门", "Police"), source="seed 001 L446"),
    RoleSeed(code="conduct_office", names=Names("纠风办", "Conduct rectification office"), source="seed 000 L85"),
]

CHANNELS = ["visit", "phone", "hotline", "letter", "email", "web"]
"""Office visits, the supervision phone and 24-hour duty desk, boxes and opinion books (entered
as letters), e-mail and the website (seed 001 L382–L384; seed 003 L112, L204)."""
