"""V1 registration: page and API, registry check, duplicates, audit."""

import json

import pytest
from captcha.conf import settings as captcha_settings
from django.urls import reverse

from lvshi.accounts.identity import check_char
from lvshi.accounts.models import LicenceStatus, User
from lvshi.audit.models import AuditEvent
from lvshi.bureau.models import LawyerStatus
from lvshi.bureau.tests.factories import make_lawyer
from lvshi.notify import sms
from lvshi.notify.models import Notification
from lvshi.orgs.models import Membership, Organisation, OrgKind, Role
from tests.factories import OrganisationFactory, make_id_number, make_licence_no, make_mobile

PASSWORD = "Qiang#Mima2026"
API_URL = "/api/v1/accounts/register"


@pytest.fixture(autouse=True)
def captcha_passes(monkeypatch):
    """The image captcha accepts "PASSED" (django-simple-captcha's test mode)."""
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)


def id_number_ending_in_x() -> str:
    for sequence in range(1000):
        first17 = f"11010519800101{sequence:03d}"
        if check_char(first17) == "X":
            return first17 + "X"
    raise AssertionError("no sequence gives X")


def form_data(firm, **overrides):
    data = {
        "id_number": make_id_number(),
        "name": "张三",
        "mobile": make_mobile(),
        "licence_no": make_licence_no(),
        "firm": firm.pk,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "captcha_0": "key",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return data


def api_data(firm, **overrides):
    data = {
        "id_number": make_id_number(),
        "name": "张三",
        "mobile": make_mobile(),
        "licence_no": make_licence_no(),
        "firm_id": firm.pk,
        "password": PASSWORD,
        "captcha_key": "key",
        "captcha_value": "PASSED",
    }
    data.update(overrides)
    return data


def post_api(client, data, **extra):
    return client.post(API_URL, data=json.dumps(data), content_type="application/json", **extra)


def registry(licence_no, name="张三", status=LawyerStatus.PRACTISING):
    firm = Organisation.objects.get(name="上海甲律师事务所")
    return make_lawyer(firm, name, licence_no=licence_no, status=status)


# --- the page ---------------------------------------------------------------------------


def test_page_lists_only_firms_and_has_a_captcha(client, world, django_assert_max_num_queries):
    aid = OrganisationFactory(name="上海市法律援助中心", kind=OrgKind.LEGAL_AID, parent=world.sh_bureau)
    closed = OrganisationFactory(name="已注销律师事务所", kind=OrgKind.LAW_FIRM, is_active=False)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("accounts:register"))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.firm.name in html and aid.name in html and world.other_firm.name in html
    assert world.court.name not in html and world.centre.name not in html and closed.name not in html
    assert 'name="captcha_1"' in html


def test_verified_registration_through_the_page(client, world, django_capture_on_commit_callbacks):
    data = form_data(world.firm, mobile="13912340001")
    registry(data["licence_no"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")

    user = User.objects.by_id_number(data["id_number"]).get()
    assert user.name == "张三"
    assert user.licence_no == data["licence_no"]
    assert user.licence_status == LicenceStatus.VERIFIED
    assert user.licence_verified_at is not None
    assert user.check_password(PASSWORD)
    assert Membership.objects.filter(user=user, organisation=world.firm, role=Role.LAWYER, is_active=True).exists()

    # The ID number is stored encrypted and shown masked.
    assert data["id_number"] not in user.id_number_encrypted
    assert user.id_number == data["id_number"]
    assert user.id_number_masked == data["id_number"][:4] + "*" * 10 + data["id_number"][-4:]

    event = AuditEvent.objects.get(action="accounts.register")
    assert event.actor_id == user.pk and event.organisation_id == world.firm.pk
    assert data["id_number"] not in json.dumps(event.after, ensure_ascii=False)
    assert PASSWORD not in json.dumps(event.after, ensure_ascii=False)

    assert Notification.objects.filter(user=user, kind="welcome").exists()
    assert [m.to for m in sms.outbox] == ["13912340001"]
    assert "张三" in sms.outbox[0].body

    # Signed in: the profile shows the masked ID number, never the full one.
    page = client.get(reverse("accounts:profile")).content.decode()
    assert user.id_number_masked in page
    assert data["id_number"] not in page


@pytest.mark.parametrize(
    ("record", "why"),
    [
        (None, "unknown licence"),
        ({"name": "李四"}, "another name"),
        ({"status": LawyerStatus.SUSPENDED}, "suspended licence"),
    ],
)
def test_registration_waits_for_the_bureau_unless_the_registry_agrees(client, world, record, why):
    data = form_data(world.firm)
    if record is not None:
        registry(data["licence_no"], **record)
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 302, why
    user = User.objects.by_id_number(data["id_number"]).get()
    assert user.licence_status == LicenceStatus.PENDING, why
    assert user.licence_verified_at is None
    assert "主管司法局核验" in client.get(reverse("accounts:profile")).content.decode()


def test_duplicate_id_number_with_lower_case_x_is_refused(client, world):
    id_number = id_number_ending_in_x()
    first = client.post(reverse("accounts:register"), form_data(world.firm, id_number=id_number))
    assert first.status_code == 302
    client.logout()

    response = client.post(reverse("accounts:register"), form_data(world.firm, id_number=id_number.lower()))
    assert response.status_code == 400
    assert "该身份证号码已注册，请直接登录或找回密码。" in response.content.decode()
    assert User.objects.by_id_number(id_number).count() == 1
    assert AuditEvent.objects.filter(action="accounts.register").count() == 1


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("310101850612001", "不支持15位旧身份证号码"),
        ("３１０１０１１９８５０６１２００１Ｘ", "全角字符"),
        ("310101198506120019", "校验位不正确"),
        ("310101208506120017", "出生日期"),
    ],
)
def test_bad_id_numbers_are_refused_with_the_reason(client, world, id_number, message):
    response = client.post(reverse("accounts:register"), form_data(world.firm, id_number=id_number))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(name="张三").exists()


def test_licence_number_is_unique_among_users(client, world):
    data = form_data(world.firm, licence_no=world.lawyer.licence_no)
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 400
    assert "该执业证号已被其他账号使用" in response.content.decode()
    assert not User.objects.by_id_number(data["id_number"]).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"captcha_1": "WRONG"}, "图片验证码不正确"),
        ({"password2": "Other#Mima2026"}, "两次输入的密码不一致"),
        ({"password1": "abc", "password2": "abc"}, "密码太短"),
        ({"mobile": "12345"}, "请输入11位中国大陆手机号码"),
        ({"licence_no": "123"}, "执业证号应为17位数字"),
        ({"name": ""}, "请输入姓名"),
    ],
)
def test_bad_input_changes_nothing(client, world, overrides, message):
    data = form_data(world.firm, **overrides)
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.by_id_number(data["id_number"]).exists()
    assert not AuditEvent.objects.filter(action="accounts.register").exists()


def test_only_firms_can_be_chosen(client, world):
    data = form_data(world.court)
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 400
    assert "所选执业机构不存在或已停用" in response.content.decode()
    assert not User.objects.by_id_number(data["id_number"]).exists()


def test_password_may_not_contain_the_id_number_being_registered(client, world):
    id_number = make_id_number()
    password = f"Ab#{id_number[6:14]}"
    data = form_data(world.firm, id_number=id_number, password1=password, password2=password)
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 400
    assert "密码不能包含身份证号码或其中的连续6位" in response.content.decode()


# --- the API -------------------------------------------------------------------------------


def test_api_registration(client, world):
    data = api_data(world.firm)
    registry(data["licence_no"])
    response = post_api(client, data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["licence_status"] == "verified"
    assert body["firm"]["id"] == world.firm.pk
    assert body["id_number_masked"].count("*") == 10
    assert data["id_number"] not in response.content.decode()
    user = User.objects.by_id_number(data["id_number"]).get()
    assert Membership.objects.filter(user=user, organisation=world.firm, role=Role.LAWYER).exists()


def test_api_registration_pending_without_a_registry_record(client, world):
    response = post_api(client, api_data(world.firm))
    assert response.status_code == 201
    assert response.json()["licence_status"] == "pending"


def test_api_lists_the_firms_to_choose_from(client, world):
    response = client.get("/api/v1/accounts/firms")
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()}
    assert {world.firm.pk, world.other_firm.pk} <= ids
    assert world.court.pk not in ids


def test_api_duplicate_id_number_answers_409(client, world):
    id_number = id_number_ending_in_x()
    assert post_api(client, api_data(world.firm, id_number=id_number)).status_code == 201
    response = post_api(client, api_data(world.firm, id_number=id_number.lower()))
    assert response.status_code == 409
    assert response.json()["code"] == "id_number_taken"
    assert response.json()["message"] == "该身份证号码已注册，请直接登录或找回密码。"


@pytest.mark.parametrize(
    ("overrides", "status", "code"),
    [
        ({"captcha_value": "WRONG"}, 400, "captcha_invalid"),
        ({"id_number": "310101850612001"}, 400, "invalid_id_number"),
        ({"firm_id": 999999}, 400, "invalid_firm"),
        ({"password": "password"}, 400, "weak_password"),
        ({"mobile": "1"}, 400, "invalid_mobile"),
    ],
)
def test_api_bad_input_changes_nothing(client, world, overrides, status, code):
    data = api_data(world.firm, **overrides)
    response = post_api(client, data)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert not User.objects.filter(name="张三").exists()


def test_api_court_is_not_a_firm(client, world):
    response = post_api(client, api_data(world.court))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_firm"


def test_api_missing_fields_answer_422(client, world):
    response = post_api(client, {"id_number": make_id_number()})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


# --- concurrency -------------------------------------------------------------------------------


@pytest.mark.postgres
def test_simultaneous_registrations_of_one_id_number_make_one_account(transactional_db):
    import threading

    from django.db import connection

    from lvshi.accounts.services import lawyer_register
    from lvshi.core.errors import DomainError

    firm = OrganisationFactory(name="并发律师事务所", kind=OrgKind.LAW_FIRM)
    id_number = make_id_number()
    threads_n = 8
    barrier = threading.Barrier(threads_n)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            lawyer_register(
                id_number=id_number,
                name="张三",
                mobile=make_mobile(),
                licence_no=make_licence_no(),
                firm=firm,
                password=PASSWORD,
                ip="127.0.0.1",
            )
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # noqa: BLE001 — a crash is what this test looks for
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["id_number_taken"] * (threads_n - 1) + ["ok"]
    assert User.objects.by_id_number(id_number).count() == 1
