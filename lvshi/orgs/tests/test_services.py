import pytest
from django.contrib.auth import get_user_model

from lvshi.audit.models import AuditEvent
from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError, PermissionDenied
from lvshi.orgs import scope, services
from lvshi.orgs.activation import activation_tokens
from lvshi.orgs.models import Membership, Organisation, OrgKind, Role
from tests.factories import make_id_number

User = get_user_model()


def _org_kwargs(**extra):
    return {"name": "上海市第三看守所", "kind": OrgKind.DETENTION_CENTRE, "region_code": "310000",
            "region_name": "上海市", **extra}  # fmt: skip


# --- organisation_create ----------------------------------------------------------


def test_platform_admin_creates_a_top_level_body_and_it_is_audited(world):
    org = services.organisation_create(
        actor=Actor(world.admin), parent=None, **_org_kwargs(name="广东省司法厅", kind=OrgKind.JUSTICE_BUREAU)
    )
    assert org.parent is None and org.path == f"/{org.pk}/"
    event = AuditEvent.objects.get(action="orgs.organisation_create")
    assert event.actor == world.admin and event.organisation == org and event.after["name"] == "广东省司法厅"


def test_org_admin_may_not_create_a_top_level_body(world, make_admin):
    admin = make_admin("authority")
    with pytest.raises(PermissionDenied):
        services.organisation_create(actor=Actor(admin), parent=None, **_org_kwargs())
    assert not Organisation.objects.filter(name="上海市第三看守所").exists()


def test_org_admin_creates_a_child_of_their_organisation(world, make_admin):
    admin = make_admin("authority")
    org = services.organisation_create(actor=Actor(admin), parent=world.authority, **_org_kwargs())
    assert org.parent == world.authority and org.is_within(world.authority)


def test_org_admin_may_not_create_a_child_elsewhere(world, make_admin):
    admin = make_admin("centre")
    with pytest.raises(PermissionDenied):
        services.organisation_create(actor=Actor(admin), parent=world.authority, **_org_kwargs())


def test_a_kind_that_does_not_belong_under_the_parent_is_refused(world, make_admin):
    admin = make_admin("authority")
    with pytest.raises(DomainError) as exc:
        services.organisation_create(actor=Actor(admin), parent=world.authority, **_org_kwargs(kind=OrgKind.COURT))
    assert exc.value.code == "kind_not_allowed" and "kind" in exc.value.details


def test_a_duplicate_name_under_the_same_parent_is_refused(world):
    with pytest.raises(Conflict) as exc:
        services.organisation_create(
            actor=Actor(world.admin), parent=world.authority, **_org_kwargs(name="上海市第一看守所")
        )
    assert exc.value.code == "name_taken"


def test_a_bad_region_code_is_refused_with_the_field_named(world):
    with pytest.raises(DomainError) as exc:
        services.organisation_create(actor=Actor(world.admin), parent=world.authority, **_org_kwargs(region_code="31"))
    assert exc.value.code == "invalid_input" and "region_code" in exc.value.details
    assert not Organisation.objects.filter(name="上海市第三看守所").exists()


# --- staff accounts -----------------------------------------------------------------


def test_staff_account_create_makes_an_account_without_password_and_a_membership(
    world, make_admin, django_capture_on_commit_callbacks
):
    from lvshi.notify.sms import outbox

    admin = make_admin("authority")
    id_number = make_id_number()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.staff_account_create(
            actor=Actor(admin),
            organisation=world.centre,
            id_number=id_number.lower(),
            name="新民警",
            mobile="13912345678",
            role=Role.OFFICER,
        )
    assert result.created
    [sms] = outbox
    assert sms.to == "13912345678" and "上海市第一看守所" in sms.body and "/orgs/activate/" in sms.body
    user = User.objects.by_id_number(id_number).get()
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == Role.OFFICER
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"orgs.staff_account_create", "orgs.membership_add"} <= actions


def test_an_existing_account_gets_the_membership_not_a_second_account(world, make_admin):
    admin = make_admin("authority")
    result = services.staff_account_create(
        actor=Actor(admin),
        organisation=world.centre,
        id_number=world.other_officer.id_number,
        name="钱警官",
        mobile="13912345678",
        role=Role.AUDITOR,
    )
    assert not result.created and result.user == world.other_officer
    assert world.other_officer.memberships.count() == 2
    from lvshi.notify.models import Delivery

    assert not Delivery.objects.exists()  # an account with a password needs no activation text


def test_an_existing_account_with_another_name_is_refused(world, make_admin):
    admin = make_admin("authority")
    with pytest.raises(Conflict) as exc:
        services.staff_account_create(
            actor=Actor(admin),
            organisation=world.centre,
            id_number=world.other_officer.id_number,
            name="别人",
            mobile="13912345678",
            role=Role.OFFICER,
        )
    assert exc.value.code == "name_mismatch"
    assert world.other_officer.memberships.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("id_number", "310101198506120000", "invalid_input"),
        ("mobile", "12345", "invalid_input"),
        ("role", Role.JUDGE, "role_not_allowed"),
        ("role", Role.LAWYER, "role_not_allowed"),
    ],
)
def test_staff_account_create_refuses_bad_input_and_changes_nothing(world, make_admin, field, value, code):
    admin = make_admin("authority")
    data = {"id_number": make_id_number(), "name": "新民警", "mobile": "13912345678", "role": Role.OFFICER}
    data[field] = value
    users = User.objects.count()
    with pytest.raises(DomainError) as exc:
        services.staff_account_create(actor=Actor(admin), organisation=world.centre, **data)
    assert exc.value.code == code
    assert User.objects.count() == users
    assert not AuditEvent.objects.exists()


def test_staff_account_create_outside_scope_is_refused(world, make_admin):
    admin = make_admin("centre")
    with pytest.raises(PermissionDenied):
        services.staff_account_create(
            actor=Actor(admin),
            organisation=world.other_centre,
            id_number=make_id_number(),
            name="新民警",
            mobile="13912345678",
            role=Role.OFFICER,
        )


def test_activation_sets_the_password_once(world, make_admin):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    admin = make_admin("authority")
    result = services.staff_account_create(
        actor=Actor(admin),
        organisation=world.centre,
        id_number=make_id_number(),
        name="新民警",
        mobile="13912345678",
        role=Role.OFFICER,
    )
    uid = urlsafe_base64_encode(force_bytes(result.user.pk))
    token = activation_tokens.make_token(result.user)
    with pytest.raises(DomainError) as exc:
        services.staff_account_activate(uidb64=uid, token=token, password="short")
    assert exc.value.code == "weak_password"
    user = services.staff_account_activate(uidb64=uid, token=token, password="Xin@min2026jing")
    assert user.check_password("Xin@min2026jing")
    with pytest.raises(DomainError) as exc:
        services.staff_account_activate(uidb64=uid, token=token, password="Other@2026pass")
    assert exc.value.code == "activation_invalid"


# --- memberships ------------------------------------------------------------------------


def test_change_role_records_before_and_after(world, make_admin):
    admin = make_admin("authority")
    membership = world.officer.memberships.get()
    services.membership_change_role(actor=Actor(admin), membership=membership, role=Role.AUDITOR, title="审计员")
    membership.refresh_from_db()
    assert membership.role == Role.AUDITOR
    event = AuditEvent.objects.get(action="orgs.membership_change_role")
    assert event.before["role"] == Role.OFFICER and event.after["role"] == Role.AUDITOR


def test_admins_do_not_change_their_own_membership(world, make_admin):
    admin = make_admin("authority")
    own = admin.memberships.get()
    with pytest.raises(PermissionDenied) as exc:
        services.membership_set_active(actor=Actor(admin), membership=own, active=False)
    assert exc.value.code == "own_membership"
    own.refresh_from_db()
    assert own.is_active


def test_deactivated_member_loses_the_role_and_can_be_restored(world, make_admin):
    admin = make_admin("authority")
    membership = world.officer.memberships.get()
    services.membership_set_active(actor=Actor(admin), membership=membership, active=False)
    officer = User.objects.get(pk=world.officer.pk)
    assert not scope.has_role(officer, Role.OFFICER)
    with pytest.raises(Conflict):
        services.membership_set_active(actor=Actor(admin), membership=membership, active=False)
    services.membership_set_active(actor=Actor(admin), membership=membership, active=True)
    assert scope.has_role(User.objects.get(pk=world.officer.pk), Role.OFFICER)


def test_membership_changes_outside_scope_are_refused(world, make_admin):
    admin = make_admin("centre")
    membership = world.other_officer.memberships.get()
    with pytest.raises(PermissionDenied):
        services.membership_change_role(actor=Actor(admin), membership=membership, role=Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        services.membership_set_active(actor=Actor(admin), membership=membership, active=False)


def test_adding_an_active_member_twice_is_a_conflict(world, make_admin):
    admin = make_admin("authority")
    with pytest.raises(Conflict) as exc:
        services.membership_add(actor=Actor(admin), organisation=world.centre, user=world.officer, role=Role.OFFICER)
    assert exc.value.code == "already_member"


def test_reissue_only_for_accounts_without_a_password(world, make_admin):
    admin = make_admin("authority")
    with pytest.raises(Conflict):
        services.staff_activation_reissue(actor=Actor(admin), membership=world.officer.memberships.get())
    result = services.staff_account_create(
        actor=Actor(admin),
        organisation=world.centre,
        id_number=make_id_number(),
        name="新民警",
        mobile="13912345678",
        role=Role.OFFICER,
    )
    assert services.staff_activation_reissue(actor=Actor(admin), membership=result.membership) == result.user


def test_organisation_update_changes_details_and_audits_the_difference(world, make_admin):
    admin = make_admin("authority")
    services.organisation_update(actor=Actor(admin), organisation=world.centre, phone="021-12345678", address="某路1号")
    world.centre.refresh_from_db()
    assert world.centre.phone == "021-12345678"
    event = AuditEvent.objects.get(action="orgs.organisation_update")
    assert event.before == {"phone": "", "address": ""}
    assert event.after == {"phone": "021-12345678", "address": "某路1号"}


def test_organisation_update_refuses_a_taken_name_a_bad_code_and_other_scopes(world, make_admin):
    admin = make_admin("centre")
    with pytest.raises(Conflict):
        services.organisation_update(actor=Actor(admin), organisation=world.centre, name="上海市第二看守所")
    with pytest.raises(DomainError) as exc:
        services.organisation_update(actor=Actor(admin), organisation=world.centre, region_code="abc")
    assert "region_code" in exc.value.details
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=Actor(admin), organisation=world.other_centre, phone="1")
    with pytest.raises(DomainError):
        services.organisation_update(actor=Actor(admin), organisation=world.centre, kind=OrgKind.COURT)
    world.centre.refresh_from_db()
    assert world.centre.name == "上海市第一看守所" and world.centre.kind == OrgKind.DETENTION_CENTRE
    assert not AuditEvent.objects.filter(action="orgs.organisation_update").exists()
