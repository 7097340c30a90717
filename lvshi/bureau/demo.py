"""Lawyer administration's demo data (``make run``): the registry of the
Guangzhou and Shenzhen firms (lawyers, interns, staff), an application at
each step, a complaint decided with a penalty, a quarter's reports with one
missing, a registered case with its letter (code ``DEMOLETTER26``). Made
through the services, as the people of the demo would; what exists is left
alone."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from lvshi.accounts.identity import check_char, credit_check_char
from lvshi.accounts.models import User
from lvshi.core.actor import Actor
from lvshi.orgs.models import FIRM_KINDS, Organisation

from .models import (
    Application,
    CaseRecord,
    Complaint,
    Firm,
    FirmForm,
    Intern,
    Lawyer,
    LawyerKind,
    LawyerStatus,
    Letter,
    Report,
    Staff,
)
from .models.reports import ITEM_KEYS
from .services import applications, cases, discipline, reports

# Credit codes (the check character is computed).
FIRM_CODES = {"gd_firm": "31440000MD0123456", "gz_firm": "31440000MD0765432", "sz_firm": "31440300MD0345678"}
LETTER_CODE = "DEMOLETTER26"
PERIOD = "2026-Q3"
# Lawyers on the registry without an account: (firm, name, licence number, kind).
REGISTRY_ONLY = (
    ("gd_firm", "赵刚", "14401201610000011", LawyerKind.FULL_TIME),
    ("gd_firm", "孙悦", "14401201720000012", LawyerKind.PART_TIME),
    ("gz_firm", "周强", "14401201510000013", LawyerKind.FULL_TIME),
    ("sz_firm", "吴芳", "14403201910000014", LawyerKind.FULL_TIME),
    ("sz_firm", "郑凯", "14403202010000015", LawyerKind.FULL_TIME),
)


def _id(first17: str) -> str:
    return first17 + check_char(first17)


def _registry(orgs: dict[str, Organisation], users: dict[str, User]) -> int:
    made = 0
    for key, base in FIRM_CODES.items():
        org = orgs.get(key)
        if org is None:
            continue
        _firm, created = Firm.objects.get_or_create(
            organisation=org,
            defaults={
                "credit_code": base + credit_check_char(base),
                "form": FirmForm.PARTNERSHIP,
                "head": "",
                "founded_on": date(2010, 3, 1),
            },
        )
        made += created
    for user in users.values():
        membership = user.memberships.filter(organisation__kind__in=FIRM_KINDS, role="lawyer").first()
        if not user.licence_no or membership is None or Lawyer.objects.filter(licence_no=user.licence_no).exists():
            continue
        lawyer = Lawyer(
            licence_no=user.licence_no,
            name=user.name,
            kind=LawyerKind.FULL_TIME,
            status=LawyerStatus.PRACTISING,
            organisation=membership.organisation,
            mobile=user.mobile,
            first_licensed_on=date(int(user.licence_no[5:9]), 7, 1),
        )
        lawyer.set_id_number(user.id_number)
        lawyer.save()
        made += 1
    for n, (key, name, number, kind) in enumerate(REGISTRY_ONLY):
        if key not in orgs or Lawyer.objects.filter(licence_no=number).exists():
            continue
        lawyer = Lawyer(
            licence_no=number,
            name=name,
            kind=kind,
            status=LawyerStatus.PRACTISING,
            organisation=orgs[key],
            first_licensed_on=date(int(number[5:9]), 6, 1),
        )
        lawyer.set_id_number(_id(f"4401061985{n + 1:02d}0102{n}"))
        lawyer.save()
        made += 1
    for n, key in enumerate(("gd_firm", "gz_firm", "sz_firm")):
        org = orgs.get(key)
        if org is None or Intern.objects.filter(organisation=org).exists():
            continue
        supervisor = Lawyer.objects.filter(organisation=org).order_by("licence_no").first()
        intern = Intern(
            organisation=org,
            name=("冯晓", "陆遥", "韩梅")[n],
            supervisor=supervisor,
            certificate_no=f"粤实2026{n + 1:04d}",
            start=date(2026, 3, 1),
            end=date(2027, 2, 28),
        )
        intern.set_id_number(_id(f"4401061999{n + 1:02d}0203{n}"))
        intern.save()
        staff = Staff(organisation=org, name=("马丽", "杨帆", "许诺")[n], position="行政主管", start=date(2020, 1, 6))
        staff.set_id_number(_id(f"4401061990{n + 1:02d}0304{n}"))
        staff.save()
        made += 2
    return made


def _applications(orgs: dict[str, Organisation], users: dict[str, User]) -> int:
    firm, admin = orgs["gd_firm"], Actor(users["firmadmin"])
    city, province = Actor(users["bureau"]), Actor(users["province"])
    if Application.objects.filter(organisation=firm).exists():
        return 0
    year = timezone.localdate().year
    people = list(Lawyer.objects.filter(organisation=firm).order_by("licence_no"))

    def change(lawyer: Lawyer, data: dict[str, Any]) -> Application:
        return applications.application_create(
            actor=admin, organisation=firm, business_type="licence_change", data=data, lawyer_id=lawyer.pk
        )

    submitted = applications.application_create(
        actor=admin,
        organisation=firm,
        business_type="inspection",
        data={"summary": "本所全年运行正常，无违法违规情况。"},
        year=year - 1,
    )
    applications.application_submit(application=submitted, actor=admin)
    received = change(people[0], {"kind": "part_time", "reason": "本人申请转为兼职律师"})
    applications.application_submit(application=received, actor=admin)
    applications.application_receive(application=received, actor=city, originals=True)
    returned = change(people[1], {"kind": "legal_aid", "reason": "转为法律援助律师"})
    applications.application_submit(application=returned, actor=admin)
    applications.application_receive(application=returned, actor=city, originals=False)
    applications.application_return(
        application=returned, actor=city, code="originals", reason="纸质申请材料未报送，请补交后重新提交"
    )
    forwarded = change(people[2], {"kind": "part_time", "reason": "兼任高校教师"})
    applications.application_submit(application=forwarded, actor=admin)
    applications.application_receive(application=forwarded, actor=city, originals=True)
    applications.application_forward(application=forwarded, actor=city, opinion="符合条件，同意报送省厅审核")
    approved = applications.application_create(
        actor=admin,
        organisation=firm,
        business_type="licence_issue",
        data={
            "name": "秦朗",
            "gender": "m",
            "id_number": _id("44010619950815004"),
            "mobile": "13800000050",
            "kind": "full_time",
            "intern_certificate": "粤实20250009",
        },
    )
    applications.application_submit(application=approved, actor=admin)
    applications.application_receive(application=approved, actor=city, originals=True)
    applications.application_forward(application=approved, actor=city, opinion="实习期满考核合格，同意报送")
    applications.application_receive(application=approved, actor=province, originals=True)
    applications.application_approve(application=approved, actor=province, opinion="准予执业")
    return 5


def _discipline(orgs: dict[str, Organisation], users: dict[str, User]) -> int:
    if Complaint.objects.exists():
        return 0
    city = Actor(users["bureau"])
    target = Lawyer.objects.get(licence_no=REGISTRY_ONLY[2][2])
    today = timezone.localdate()
    complaint = discipline.complaint_register(
        actor=city,
        body=orgs["gz_bureau"],
        data={
            "complainant": "刘某",
            "complainant_phone": "13900000000",
            "lawyer": target.pk,
            "facts": "律师收取代理费后两次未按时出庭，亦未告知委托人。",
            "first_opinion": "立案调查，约谈律师",
            "received_on": today - timedelta(days=40),
        },
    )
    discipline.complaint_step(complaint=complaint, actor=city, text="约谈周强律师并调取委托合同、收费凭证")
    discipline.complaint_decide(
        complaint=complaint,
        actor=city,
        penalty={
            "kind": "warning",
            "decision_no": "穗司罚决〔2026〕12号",
            "reason": "未尽勤勉尽责义务，多次未按时出庭",
            "decided_on": today - timedelta(days=5),
            "public_until": today + timedelta(days=360),
        },
    )
    return 1


def _reports(orgs: dict[str, Organisation], users: dict[str, User]) -> int:
    if Report.objects.filter(period=PERIOD).exists():
        return 0
    admin, city = Actor(users["firmadmin"]), Actor(users["bureau"])
    values = dict(zip(ITEM_KEYS, (8, 36, 2, 15, 120, 4, 1_860_000, 5, 1, 3), strict=True))
    report = reports.report_save(actor=admin, organisation=orgs["gd_firm"], period=PERIOD, values=values)
    reports.report_submit(report=report, actor=admin)
    reports.report_accept(report=report, actor=city)
    # 广州某某律师事务所 has not filed its report: it stands out as missing on the bureau's sums.
    reports.sum_send(body=orgs["gz_bureau"], actor=city, period=PERIOD)
    return 1


def _case_and_letter(orgs: dict[str, Organisation], users: dict[str, User]) -> int:
    if Letter.objects.filter(code=LETTER_CODE).exists():
        return 0
    admin = Actor(users["firmadmin"])
    lawyer = Lawyer.objects.get(licence_no=users["lawyer1"].licence_no)
    case = CaseRecord.objects.filter(organisation=orgs["gd_firm"], matter="李某涉嫌合同诈骗案").first()
    if case is None:
        case = cases.case_register(
            actor=admin,
            organisation=orgs["gd_firm"],
            data={
                "lawyer": lawyer.pk,
                "client": "李某",
                "matter_type": "criminal",
                "matter": "李某涉嫌合同诈骗案",
                "venue": "广州市第一看守所",
                "taken_on": timezone.localdate() - timedelta(days=10),
                "fee": "50000",
            },
        )
    letter = cases.letter_issue(case=case, actor=admin, kind="meeting", recipient="广州市第一看守所", days=90)
    Letter.objects.filter(pk=letter.pk).update(code=LETTER_CODE)
    return 2


def seed_bureau(orgs: dict[str, Organisation], users: dict[str, User]) -> int:
    made = _registry(orgs, users)
    needed = {"gd_firm", "gz_bureau", "gd_justice"} <= orgs.keys() and {
        "firmadmin",
        "bureau",
        "province",
    } <= users.keys()
    if needed:
        made += _applications(orgs, users)
        made += _discipline(orgs, users)
        made += _reports(orgs, users)
        made += _case_and_letter(orgs, users)
    return made
