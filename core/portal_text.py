"""The tracking portal's words, in both languages."""

from __future__ import annotations

PORTAL_TEXT: dict[str, dict[str, str]] = {
    "zh-CN": {
        "title": "投诉信访事项查询",
        "intro": "请输入登记时获得的查询码和密码。",
        "code": "查询码",
        "pin": "查询密码",
        "submit": "查询",
        "switch": "English",
        "status": "当前状态",
        "organisation": "受理单位",
        "subject": "事由",
        "received": "登记时间",
        "reply": "答复意见",
        "transferred": "已转送至",
        "ground": "不予受理理由",
        "history": "办理进程",
        "not_found": "没有找到与该查询码和密码相符的事项。",
        "too_many": "查询过于频繁，请稍后再试。",
        "error": "查询失败，请稍后再试。",
    },
    "en": {
        "title": "Track your complaint or petition",
        "intro": "Enter the tracking code and PIN you received when the case was registered.",
        "code": "Tracking code",
        "pin": "PIN",
        "submit": "Look up",
        "switch": "中文",
        "status": "Status",
        "organisation": "Organisation",
        "subject": "Subject",
        "received": "Registered",
        "reply": "Reply",
        "transferred": "Transferred to",
        "ground": "Ground for not accepting",
        "history": "Progress",
        "not_found": "No case matches this tracking code and PIN.",
        "too_many": "Too many look-ups; please wait a moment.",
        "error": "The look-up failed; please try again later.",
    },
}
