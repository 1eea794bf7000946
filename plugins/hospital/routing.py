"""Hospital routing tables "B" and "C6" and the multi-department rule.

The two seed tables disagree (spec §3.2): B routes disputes by kind to clinical units with
医务科 leading multi-department cases; C6 routes every complaint to a functional division,
with the first-named division leading. Rows cite their seed line in ``source``.
"""

from __future__ import annotations

from core.plugin_api import CaseView, Route, RouteEntry, lookup_by_category
from plugins.hospital.config import HospitalConfig

__all__ = ["FALLBACK", "TABLES", "route"]


def _row(lead: str, source: str, *cooperating: str) -> RouteEntry:
    return RouteEntry(lead=lead, cooperating=list(cooperating), source=source)


TABLE_B: dict[str, RouteEntry] = {
    "medical": _row("medical_affairs", "seed 001 L44"),
    "medical.outpatient": _row("medical_affairs", "seed 001 L34", "outpatient"),
    "medical.clinical": _row("inpatient", "seed 001 L36"),
    "nursing": _row("nursing", "seed 001 L38"),
    "medical.pharmacy": _row("pharmacy", "seed 001 L40"),
    "medical.equipment": _row("procurement", "seed 001 L42"),
    "medical.accident": _row("medical_affairs", "seed 000 L153", "nursing"),
    "conduct": _row("supervision", "seed 000 L154; seed 001 L530"),
    "service": _row("outpatient", "seed 001 L530"),
}

TABLE_C6: dict[str, RouteEntry] = {
    "admin": _row("hospital_office", "seed 001 L390"),
    "conduct": _row("party_office", "seed 001 L392"),
    "staff.labour_discipline": _row("hr", "seed 001 L394"),
    "staff.violation": _row("audit", "seed 001 L396"),
    "staff": _row("hr", "seed 001 L394"),
    "medical": _row("medical_education", "seed 001 L398"),
    "nursing": _row("nursing", "seed 001 L400"),
    "price": _row("finance", "seed 001 L402"),
    "security": _row("security", "seed 001 L404"),
    "logistics": _row("general_affairs", "seed 001 L406"),
    "equipment_management": _row("equipment", "seed 001 L408"),
    "medical.equipment": _row("equipment", "seed 001 L408"),
    "infection": _row("infection_control", "seed 001 L410"),
    "drugs": _row("pharmacy", "seed 001 L412"),
    "medical.pharmacy": _row("pharmacy", "seed 001 L412"),
}

TABLES = {"B": TABLE_B, "C6": TABLE_C6}

FALLBACK = {
    "B": _row("medical_affairs", "default [CFG]: no row in table B; 医务科 hosts the dispute office (seed 001 L274)"),
    "C6": _row("hospital_office", "seed 001 L386, L416 (院办 receives and coordinates the rest)"),
}

MULTI_LEAD = {"B": "medical_affairs"}
"""B: 医务科 leads a multi-department dispute (seed 001 L44). C6: the first-named division
leads and the others cooperate unconditionally (seed 001 L434)."""


def route(config: HospitalConfig, case: CaseView) -> Route:
    table_key = config.routing.table
    entry = lookup_by_category(config.routing.overrides, case.category) or lookup_by_category(
        TABLES[table_key], case.category
    )
    entry = entry or FALLBACK[table_key]
    involved = [d for d in case.extra.get("departments_involved") or [] if isinstance(d, str) and d]
    if len(set(involved)) >= 2:
        lead = MULTI_LEAD.get(table_key, involved[0])
        source = "seed 001 L44" if table_key == "B" else "seed 001 L434"
        cooperating = [d for d in dict.fromkeys([*involved, entry.lead]) if d != lead]
        return Route(lead=lead, cooperating=cooperating, reason=f"multi-department, table {table_key} ({source})")
    cooperating = [c for c in entry.cooperating if c != entry.lead]
    return Route(
        lead=entry.lead, cooperating=cooperating, reason=f"table {table_key}: {case.category} ({entry.source})"
    )
