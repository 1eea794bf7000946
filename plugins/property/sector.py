"""What the property-management sector declares (seed 001 L64–L80 "C1", L834–L920 "C14";
seed 000 L347–L369)."""

from __future__ import annotations

from core.plugin_api import AppliesTo, Category, Choice, DepartmentSeed, Ground, IntakeField, Names, RoleSeed

__all__ = ["CATEGORIES", "CHANNELS", "DEPARTMENTS", "GROUNDS", "INTAKE_FIELDS", "ROLES"]


def _cat(code: str, zh: str, en: str, source: str, *children: Category, severity: str = "normal") -> Category:
    return Category(code=code, names=Names(zh, en), children=list(children), source=source, default_severity=severity)  # type: ignore[arg-type]


CATEGORIES = [
    _cat(
        "repair",
        "报修",
        "Repairs",
        "seed 001 L76, L860",
        _cat("repair.own_unit", "自用部位、自用设施设备(有偿)", "Owner's own unit (paid)", "seed 001 L862"),
        _cat("repair.shared", "共用设施设备", "Shared facilities", "seed 001 L864"),
        _cat("repair.owner_liable", "已过保修期或业主方造成", "Out of warranty or owner-caused", "seed 001 L866"),
        _cat("repair.developer_defect", "开发商遗留房产质量问题", "Developer's defect", "seed 001 L868"),
        _cat("repair.emergency", "急修抢修", "Emergency repair", "seed 001 L870", severity="high"),
    ),
    _cat(
        "dispute",
        "报修引发的投诉",
        "Disputes arising from repairs",
        "seed 001 L912",
        _cat("dispute.warranty", "保修责任认定分歧", "Warranty responsibility", "seed 001 L912, L916"),
        _cat("dispute.compensation", "损失赔付要求", "Compensation claim", "seed 001 L912, L918–L920"),
        _cat("dispute.quality", "维修质量不满意", "Repair quality", "seed 001 L912, L920"),
    ),
    _cat("service", "其他方面的投诉", "Other complaints", "seed 001 L76; seed 000 L350"),
]

REPAIRS = AppliesTo(categories=["repair"])

INTAKE_FIELDS = [
    IntakeField(name="unit_number", names=Names("房号", "Unit number"), required_when=REPAIRS, source="seed 001 L860"),
    IntakeField(
        name="repair_item", names=Names("报修项目", "Repair item"), required_when=REPAIRS, source="seed 001 L860"
    ),
    IntakeField(
        name="repair_size",
        names=Names("维修规模", "Size of the repair"),
        type="choice",
        source="seed 001 L878",
        choices=[
            Choice(code="minor", names=Names("零修、小项、急修", "Minor or urgent")),
            Choice(code="general", names=Names("一般维修", "General")),
            Choice(code="large", names=Names("大项、外来特约、需异地采购", "Large, external or parts from elsewhere")),
        ],
    ),
    IntakeField(
        name="appointment", names=Names("约定上门时间", "Agreed visit time"), type="datetime", source="seed 001 L862"
    ),
    IntakeField(
        name="widespread", names=Names("普遍性投诉", "Affects many owners"), type="bool", source="seed 001 L76"
    ),
    IntakeField(
        name="compensation_amount",
        names=Names("赔付要求金额(元)", "Compensation claimed (CNY)"),
        type="int",
        source="seed 001 L918–L920",
    ),
]

GROUNDS = [
    Ground(
        code="P1",
        names=Names("非管理处职责或非管理原因", "Not the management office's duty or doing"),
        needs_target=True,
        source="seed 001 L72",
    ),
]


def _dept(code: str, zh: str, en: str, source: str) -> DepartmentSeed:
    return DepartmentSeed(code=code, names=Names(zh, en), source=source)


DEPARTMENTS = [
    _dept("cs_centre", "管理处客户服务中心", "Customer service centre", "seed 001 L848; seed 000 L348"),
    _dept("management_office", "管理处", "Management office", "seed 001 L848, L916; seed 000 L350"),
    _dept("maintenance", "管理处工程维修组", "Maintenance team", "seed 001 L854"),
    _dept("engineering", "公司工程维修部(维修中心)", "Engineering department", "seed 001 L856"),
    _dept("company_cs", "公司客户服务部", "Company customer service", "seed 001 L850, L906"),
    _dept("supervision_centre", "公司投诉处理监督中心", "Complaint supervision centre", "seed 001 L852"),
]

ROLES = [
    RoleSeed(code="office_director", names=Names("管理处主任", "Office director"), source="seed 001 L848, L916"),
    RoleSeed(code="property_supervisor", names=Names("管理处物业主管", "Property supervisor"), source="seed 001 L72"),
    RoleSeed(code="maintenance_supervisor", names=Names("维修主管", "Maintenance supervisor"), source="seed 001 L854"),
    RoleSeed(
        code="engineering_manager", names=Names("工程维修部经理", "Engineering manager"), source="seed 001 L856, L908"
    ),
    RoleSeed(
        code="company_cs_manager",
        names=Names("客户服务部经理", "Customer service manager"),
        source="seed 001 L850, L920",
    ),
    RoleSeed(code="general_manager", names=Names("公司总经理", "General manager"), source="seed 001 L852, L920"),
    RoleSeed(code="manager", names=Names("经理", "Manager"), source="seed 000 L366"),
    RoleSeed(code="area_officer", names=Names("片区管理员", "Area officer"), source="seed 001 L900"),
    RoleSeed(code="notice_board", names=Names("项目公告栏", "Estate notice board"), source="seed 001 L76"),
]

CHANNELS = ["phone", "hotline", "visit", "letter", "email"]
"""Phone, visits, letters and other forms, 24 hours a day (seed 001 L72, L76; seed 000 L355)."""
