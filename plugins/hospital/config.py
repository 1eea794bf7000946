"""The hospital plugin's tenant config.

The seed documents disagree on routing and on time limits (spec §3.2, §6): the default routing
table is "B" (seed 001 L32–L44); the complaint rule "C6" (seed 001 L386–L416) is the
alternative (``routing.table = "C6"``, also offered as the ``C6`` preset with its departments).
Each time limit keeps its own document's number and can be switched off with ``null``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, Struct, field

from core.plugin_api import CategoryOverrides, RouteEntry

__all__ = ["HospitalConfig", "HospitalDeadlines", "HospitalRouting"]

Positive = Annotated[int, Meta(ge=1)]


class HospitalRouting(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    table: Literal["B", "C6"] = "B"
    """B: seed 001 L32–L44 (with seed 000 L153–L154, seed 001 L530); C6: seed 001 L386–L416."""
    overrides: dict[str, RouteEntry] = {}
    """Category → route rows replacing the table's (longest category prefix wins)."""


class HospitalDeadlines(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    acceptance_days: Positive = 7
    """Decide on acceptance and tell the complainant within 7 days (seed 001 L430)."""
    pause_mode: Literal["continue", "restart"] = "continue"
    """[CFG] After missing materials arrive the acceptance clock continues or restarts (seed 001 L432)."""
    reply_days: Positive = 30
    """Written reply within 30 days of acceptance (seed 001 L442)."""
    reply_complex_max_days: Positive = 60
    """Complex cases at most 60 days, the reason told (seed 001 L442)."""
    outpatient_reply_days: Positive | None = 3
    """Outpatient desk: answer within 3 days (seed 001 L538)."""
    outpatient_complex_days: Positive | None = 7
    """… complex problems within a week (seed 001 L538)."""
    conduct_written_working_days: Positive | None = 2
    """Conduct office: written complaints within 2 WD (seed 001 L950)."""
    conduct_complex_working_days: Positive | None = 5
    """… complex or ≥2 departments within 5 WD (seed 001 L950)."""
    conduct_warn_working_hours: Positive | None = 4
    """[CFG] Warn this many working hours before a conduct-office reply is due (spec S4)."""
    dispute_initial_days: Positive | None = 7
    """Dispute: first answer within a week (seed 001 L360)."""
    dispute_major_days: Positive | None = 30
    """Major dispute: first answer within 30 days (seed 001 L362)."""
    major_report_hours: Positive = 12
    """Report a major dispute to the health authority within 12 hours (seed 001 L370)."""
    statutory_2019: bool = False
    """[EXT] Also run the limits of the 2019 《医疗机构投诉管理办法》 (not in the seeds; verify
    against the official text): complex cases and multi-department cases, from receipt."""
    statutory_complex_working_days: Positive = 5
    """[EXT] 2019 办法: complex cases within 5 WD."""
    statutory_multi_department_working_days: Positive = 10
    """[EXT] 2019 办法: cases involving several departments within 10 WD."""


class HospitalConfig(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    routing: HospitalRouting = field(default_factory=HospitalRouting)
    deadlines: HospitalDeadlines = field(default_factory=HospitalDeadlines)
    receptions_before_medical_affairs: Annotated[int, Meta(ge=2)] = 3
    """A department receives a dispute at least 3 times before handing it to 医务科 (seed 001 L366)."""
    auto_accept: bool = True
    """[CFG] Accept automatically when the conditions of seed 001 L420–L424 hold."""
    first_contact_ownership: bool = True
    """The first person contacted stays responsible and hears of every milestone (seed 000 L77–L79)."""
    categories: CategoryOverrides = field(default_factory=CategoryOverrides)
