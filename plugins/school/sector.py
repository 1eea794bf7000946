"""What the school and kindergarten sector declares (seed 003 L2–L25, L43–L58, L147–L164;
seed 001 L110–L158 kindergarten food safety; seed 004 L139–L149 school visitors)."""

from __future__ import annotations

from core.plugin_api import AppliesTo, Category, DepartmentSeed, IntakeField, Names, RoleSeed

__all__ = ["CATEGORIES", "CFG", "CHANNELS", "DEPARTMENTS", "INTAKE_FIELDS", "KINDERGARTEN", "ROLES"]

CFG = "default [CFG]: seeds silent"


def _cat(code: str, zh: str, en: str, source: str, severity: str = "normal") -> Category:
    return Category(code=code, names=Names(zh, en), source=source, default_severity=severity)  # type: ignore[arg-type]


CATEGORIES = [
    _cat("teaching", "教学内容与方法", "Teaching content and methods", "seed 003 L46"),
    _cat("activities", "学生活动安排", "Student activities", "seed 003 L46"),
    _cat("campus_order", "校园秩序", "Campus order", "seed 003 L46"),
    _cat("hygiene", "卫生环境", "Hygiene and environment", "seed 003 L46"),
    _cat("management", "幼儿园管理", "Kindergarten management", "seed 003 L148"),
    _cat("education_quality", "教育质量", "Quality of education", "seed 003 L148"),
    _cat("safety", "安全问题", "Safety", "seed 003 L148", "high"),
    _cat("food_safety", "食品安全", "Food safety", "seed 001 L136, L158", "high"),
]

KINDERGARTEN = ["management", "education_quality", "safety", "food_safety"]
"""The kindergarten categories (seed 003 L148; food safety seed 001 L110–L158 is a kindergarten rule)."""

INTAKE_FIELDS = [
    IntakeField(
        name="child_name",
        names=Names("幼儿(学生)姓名", "Child's name"),
        required_when=AppliesTo(categories=KINDERGARTEN),
        source="seed 003 L153",
    ),
    IntakeField(name="class_name", names=Names("班级", "Class"), source=CFG),
    IntakeField(
        name="poisoned_count", names=Names("中毒人数", "People poisoned"), type="int", source="seed 001 L154–L156"
    ),
    IntakeField(name="deaths", names=Names("死亡人数", "Deaths"), type="int", source="seed 001 L154–L156"),
]

DEPARTMENTS = [
    DepartmentSeed(
        code="complaints_office", names=Names("信访投诉处理部门", "Complaints office"), source="seed 003 L51, L151"
    ),
    DepartmentSeed(
        code="investigation_group", names=Names("信访调查组", "Investigation group"), source="seed 003 L154"
    ),
    DepartmentSeed(code="academic_affairs", names=Names("教务处", "Academic affairs"), source=CFG),
    DepartmentSeed(code="student_affairs", names=Names("学生处(德育处)", "Student affairs"), source=CFG),
    DepartmentSeed(code="general_affairs", names=Names("总务处(后勤)", "General affairs"), source=CFG),
    DepartmentSeed(code="security", names=Names("保卫科", "Security office"), source="seed 004 L145"),
]

ROLES = [
    RoleSeed(code="principal", names=Names("校长(园长)", "Principal"), source=CFG),
    RoleSeed(
        code="education_authority",
        names=Names("当地有关部门(教育、市场监管)", "Local authorities"),
        source="seed 001 L158",
    ),
    RoleSeed(code="police", names=Names("公安部门", "Police"), source="seed 004 L149"),
]

CHANNELS = ["web", "phone", "letter", "email", "visit"]
"""Web, phone, written (seed 003 L12); letters, e-mail, phone, in person (seed 003 L47, L152)."""
