"""Realistic sample data for previews and template tests.

A tenant admin editing the 不予受理告知书 must see a letter that reads like a real one, so the
samples are plausible values for *every* field of the context contract (not "foo"), in both
locales, adjusted per event where the event changes what is filled in (a ground for refusals,
an overdue clock for escalations). The unit tests render every built-in template with these
values under ``StrictUndefined``; a field added to the contract must get a sample here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.notices.context import NoticeContext

__all__ = ["sample_context"]

_NOT_ACCEPTED = {
    "zh-CN": dict(
        ground_code="NR2",
        ground_name="依法应当通过诉讼、仲裁、行政复议等法定途径解决的事项",
        legal_basis="《信访工作条例》第三十一条",
        target_body="东湖区人民法院",
        target_route="提起民事诉讼",
        reasons="你反映的房屋买卖合同纠纷属于平等民事主体之间的合同争议。",
        letter_number="东信不受字〔2026〕第12号",
    ),
    "en": dict(
        ground_code="NR2",
        ground_name="a matter to be resolved through litigation, arbitration or administrative reconsideration",
        legal_basis="Article 31 of the Regulations on Letters and Visits",
        target_body="Donghu District People's Court",
        target_route="filing a civil lawsuit",
        reasons="The dispute over the flat purchase contract is a contract dispute between private parties.",
        letter_number="DH-LV-NR-2026-012",
    ),
}

_NO_LONGER = {
    "zh-CN": dict(
        ground_code="NA1",
        ground_name="信访事项已经复核终结",
        legal_basis="《信访工作条例》第三十五条",
        reasons="该事项已于2025年11月20日经东湖市人民政府信访复核终结。",
        letter_number="东信不再字〔2026〕第3号",
    ),
    "en": dict(
        ground_code="NA1",
        ground_name="the matter has been concluded by a final re-review",
        legal_basis="Article 35 of the Regulations on Letters and Visits",
        reasons=(
            "The matter was concluded by the final re-review of Donghu City People's Government on 20 November 2025."
        ),
        letter_number="DH-LV-NA-2026-003",
    ),
}

_COMMON = {
    "zh-CN": dict(
        tenant_name="东湖区信访局",
        tenant_phone="0571-8888 1234",
        tenant_address="东湖区人民路1号行政中心3楼",
        tenant_hours="工作日 8:30–11:30、14:30–17:00（法定节假日除外）",
        recipient_name="张三",
        recipient_address="东湖区幸福路28号5幢2单元301室",
        subject="幸福路小区地下车库长期积水问题",
        category_name="城乡建设 / 物业管理",
        intake_channel="网上信访",
        pin_hint="查询密码为您登记时所留手机号码的后6位",
        complainant_name="张三",
        issuer="东湖区信访局",
        target_body="东湖区住房和城乡建设局",
        target_route=None,
        reasons="经现场核查，车库排水泵损坏且排水沟堵塞，是造成积水的直接原因。",
        result="区住建局已责成物业公司于2026年3月20日前更换排水泵并疏通排水沟，此后每月检查一次，检查记录在小区公告栏公示。",
        reply_text="感谢您对小区公共设施管理的关注。\n\n如再次出现积水，请拨打物业24小时值班电话 0571-8888 5678。",
        review_body="东湖区人民政府",
        review_window_days=30,
        lead_department="东湖区住房和城乡建设局",
        cooperating_departments=["幸福路街道办事处", "东湖区城市管理局"],
        assignee_name="李四",
        instructions="请于期限内查明情况、依法处理，并将办理结果书面报送我局，同时答复信访人。",
        source_body="东湖市12345政务服务便民热线",
        source_reference="12345-20260302-0458",
        contact_person="王五",
        contact_phone="0571-8888 2345",
        materials=["房屋所有权证或购房合同复印件", "车库积水现场照片", "此前与物业公司沟通的记录"],
        extension_reason="该事项涉及多个部门，需委托第三方对排水系统进行检测。",
        clock_name="办理期限",
        escalation_level="二级（分管领导督办）",
        reopen_reason="信访人对处理结果不满意，于法定期限内提出复查申请。",
    ),
    "en": dict(
        tenant_name="Donghu District Bureau of Letters and Visits",
        tenant_phone="+86 571 8888 1234",
        tenant_address="3F Administrative Centre, 1 Renmin Road, Donghu District",
        tenant_hours="Working days 8:30–11:30 and 14:30–17:00 (closed on public holidays)",
        recipient_name="Zhang San",
        recipient_address="Flat 301, Unit 2, Building 5, 28 Xingfu Road, Donghu District",
        subject="Persistent flooding of the underground car park at Xingfu Road estate",
        category_name="Urban development / property management",
        intake_channel="online petition",
        pin_hint="Your PIN is the last six digits of the mobile number you registered with",
        complainant_name="Zhang San",
        issuer="Donghu District Bureau of Letters and Visits",
        target_body="Donghu District Housing and Urban-Rural Development Bureau",
        target_route=None,
        reasons="An on-site inspection found a broken drainage pump and a blocked drain, which caused the flooding.",
        result=(
            "The Housing Bureau has ordered the property manager to replace the pump and clear the drain "
            "by 20 March 2026 and to inspect them monthly, posting the records on the estate notice board."
        ),
        reply_text=(
            "Thank you for your attention to the estate's shared facilities.\n\n"
            "Should the car park flood again, please call the property manager's 24-hour line on +86 571 8888 5678."
        ),
        review_body="Donghu District People's Government",
        review_window_days=30,
        lead_department="Donghu District Housing and Urban-Rural Development Bureau",
        cooperating_departments=["Xingfu Road Sub-district Office", "Donghu District Urban Management Bureau"],
        assignee_name="Li Si",
        instructions=(
            "Please establish the facts, handle the matter according to law, report the outcome to us "
            "in writing and answer the petitioner within the time limit."
        ),
        source_body="Donghu 12345 Government Service Hotline",
        source_reference="12345-20260302-0458",
        contact_person="Wang Wu",
        contact_phone="+86 571 8888 2345",
        materials=[
            "a copy of your property certificate or purchase contract",
            "photographs of the flooded car park",
            "records of earlier contacts with the property manager",
        ],
        extension_reason=(
            "The matter involves several departments and the drainage system must be surveyed by an independent firm."
        ),
        clock_name="handling deadline",
        escalation_level="Level 2 (deputy director in charge)",
        reopen_reason=(
            "The petitioner was not satisfied with the outcome and applied for a review within the time limit."
        ),
    ),
}


_SECTOR = {
    ("hospital", "zh-CN"): dict(
        tenant_name="东湖区人民医院",
        issuer="东湖区人民医院",
        tenant_phone="0571-8666 0000",
        tenant_address="东湖区健康路9号",
        subject="急诊候诊时间过长及护士服务态度问题",
        category_name="服务态度 / 候诊时间",
        intake_channel="现场投诉",
        lead_department="医务科",
        cooperating_departments=["护理部"],
        contact_person="赵医生",
        contact_phone="0571-8666 1234",
        reasons="经调阅3月1日晚急诊分诊记录和监控，当晚急诊量为平日的两倍，您的候诊时间约为95分钟；当班护士在解释等候原因时语气生硬。",
        result="医院已对当班护士进行批评教育，并自3月10日起在急诊高峰时段增派一名分诊护士、在候诊区显示实时等候人数。",
        reply_text="对您就诊时的不愉快经历，我们深表歉意。",
        review_rights="您也可以向东湖区卫生健康局反映（电话 0571-8555 0000）。",
        review_body=None,
    ),
    ("hospital", "en"): dict(
        tenant_name="Donghu District People's Hospital",
        issuer="Donghu District People's Hospital",
        tenant_phone="+86 571 8666 0000",
        tenant_address="9 Jiankang Road, Donghu District",
        subject="Long wait in the emergency department and a nurse's manner",
        intake_channel="in person",
        lead_department="Medical Affairs Office",
        cooperating_departments=["Nursing Department"],
        contact_person="Dr Zhao",
        contact_phone="+86 571 8666 1234",
        reasons=(
            "The triage records and video of the evening of 1 March show twice the usual number of emergency "
            "patients; you waited about 95 minutes, and the nurse on duty explained the delay curtly."
        ),
        result=(
            "The nurse has been counselled. From 10 March an extra triage nurse works at peak hours and the "
            "waiting area shows the number of patients waiting."
        ),
        reply_text="We are sorry that your visit was an unpleasant experience.",
        review_rights="You may also contact Donghu District Health Bureau on +86 571 8555 0000.",
        review_body=None,
    ),
    ("property", "zh-CN"): dict(
        tenant_name="东湖花园物业服务中心",
        issuer="东湖花园物业服务中心",
        tenant_phone="0571-8777 0000",
        tenant_address="东湖花园1幢架空层",
        tenant_hours="每日 8:00–20:00，24小时报修热线全天值守",
        subject="3幢2单元电梯停运",
        category_name="设备报修 / 电梯",
        intake_channel="客服热线",
        contact_person="维修主管陈工",
        contact_phone="138 0000 1234",
        time_limit_amount=3,
        time_limit_unit="working_days",
    ),
    ("property", "en"): dict(
        tenant_name="Donghu Garden Property Services",
        issuer="Donghu Garden Property Services",
        tenant_phone="+86 571 8777 0000",
        tenant_address="Ground floor, Building 1, Donghu Garden",
        tenant_hours="Daily 8:00–20:00; the repair hotline is staffed around the clock",
        subject="Lift out of service in Building 3, Unit 2",
        intake_channel="the service hotline",
        contact_person="Mr Chen (maintenance supervisor)",
        contact_phone="+86 138 0000 1234",
        time_limit_amount=3,
        time_limit_unit="working_days",
    ),
}


def sample_context(event: str, locale: str = "zh-CN", sector: str = "default") -> NoticeContext:
    """A filled-in context for previewing ``event`` in ``locale`` (unknown locales get English).

    ``sector`` swaps in a hospital's or a property manager's names and wording where the
    default petition-bureau sample would look odd in that sector's templates.
    """
    loc = "zh-CN" if locale.lower().startswith("zh") else "en"
    values: dict = dict(_COMMON[loc])
    values.update(
        case_number="DH-2026-000458",
        tracking_code="K7QM-3XRP",
        portal_url="https://xinfang.example.gov.cn/track",
        case_url="https://xinfang.example.gov.cn/console/cases/458",
        timezone="Asia/Shanghai",
        received_at=datetime(2026, 3, 2, 1, 15, tzinfo=UTC),  # 09:15 in Shanghai
        accepted_at=datetime(2026, 3, 4, 2, 0, tzinfo=UTC),
        issued_on=date(2026, 3, 4),
        due_at=datetime(2026, 5, 2, 16, 0, tzinfo=UTC),  # local midnight: shown as 24:00 of 2 May
        time_limit_amount=60,
        time_limit_unit="calendar_days",
        response_time_amount=2,
        response_time_unit="hours",
        materials_due_at=datetime(2026, 3, 16, 16, 0, tzinfo=UTC),
        previous_due_at=datetime(2026, 5, 2, 16, 0, tzinfo=UTC),
        survey_url="https://xinfang.example.gov.cn/survey/K7QM-3XRP",
        letter_number="东信字〔2026〕第458号" if loc == "zh-CN" else "DH-LV-2026-458",
    )
    if event == "registered":
        values.update(
            time_limit_amount=15,
            due_at=datetime(2026, 3, 17, 16, 0, tzinfo=UTC),
            issued_on=date(2026, 3, 2),
            accepted_at=None,
        )
    elif event == "not_accepted":
        values.update(_NOT_ACCEPTED[loc])
    elif event == "no_longer_accepted":
        values.update(_NO_LONGER[loc])
    elif event == "extended":
        values.update(due_at=datetime(2026, 6, 1, 16, 0, tzinfo=UTC), issued_on=date(2026, 4, 28))
    elif event == "escalated":
        values.update(
            overdue=True,
            due_at=datetime(2026, 3, 18, 16, 0, tzinfo=UTC),
            issued_on=date(2026, 3, 19),
            recipient_name=values["assignee_name"],
        )
    elif event == "materials_requested":
        values.update(due_at=datetime(2026, 3, 16, 16, 0, tzinfo=UTC))
    elif event in ("replied", "follow_up"):
        values.update(issued_on=date(2026, 3, 25))
    elif event == "reply_to_source":
        values.update(issued_on=date(2026, 3, 25), recipient_name=values["source_body"])
    elif event in ("assigned", "reopened"):
        values.update(recipient_name=values["lead_department"])
    elif event == "case_update":
        values.update(recipient_name=values["assignee_name"], event_name="已答复" if loc == "zh-CN" else "replied")
    elif event == "transferred_receiver":
        values.update(recipient_name=values["target_body"], recipient_address=None)
    values.update(_SECTOR.get((sector, loc), {}))
    if sector == "property" and event == "accepted":
        values.update(due_at=datetime(2026, 3, 9, 16, 0, tzinfo=UTC))
    return NoticeContext(**values)
