"""Writes for organisations, memberships and the staff accounts that
administrators create. Every function checks the actor's permission,
validates its input, raises a domain error when a rule refuses, and records
an audit event in the same transaction as the change."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _

from lvshi.accounts.identity import normalize_id_number, normalize_mobile
from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError, NotFound, PermissionDenied

from . import scope
from .activation import activation_path, activation_tokens
from .models import Membership, Organisation, assignable_roles, child_kinds

ORG_FIELDS = ("name", "short_name", "kind", "region_code", "region_name", "address", "phone")


def _invalid(exc: ValidationError) -> DomainError:
    """Turn a model or field ValidationError into a domain error whose
    ``details`` carry the messages per field, for forms and the API."""
    if hasattr(exc, "error_dict"):
        details = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
    else:
        details = {"__all__": [str(m) for m in exc.messages]}
    first = next(iter(details.values()))[0]
    return DomainError("invalid_input", first, details=details)


def _org_snapshot(org: Organisation) -> dict:
    return {"parent_id": org.parent_id, **{f: getattr(org, f) for f in ORG_FIELDS}}


def _membership_snapshot(m: Membership) -> dict:
    return {"user_id": m.user_id, "organisation_id": m.organisation_id, "role": m.role, "title": m.title,
            "is_active": m.is_active}  # fmt: skip


def _field_error(field: str, exc: ValidationError) -> DomainError:
    messages = [str(m) for m in exc.messages]
    return DomainError("invalid_input", messages[0], details={field: messages})


# --- organisations ------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *,
    actor: Actor,
    parent: Organisation | None,
    name: str,
    kind: str,
    region_code: str,
    region_name: str,
    short_name: str = "",
    address: str = "",
    phone: str = "",
) -> Organisation:
    """Create a top-level body (platform administrators) or a child of
    *parent* (its administrators, or those of a body above it)."""
    if parent is None:
        scope.require(actor.user, "orgs.create_top_level")
    else:
        scope.require(actor.user, "orgs.create_child", parent)
        if not parent.is_active:
            raise Conflict("parent_inactive", _("上级机构已停用，不能在其下新增机构。"))
    name = (name or "").strip()
    if kind not in child_kinds(parent.kind if parent else None):
        raise DomainError(
            "kind_not_allowed",
            _("“%(parent)s”下不能设立这一类型的机构，请选择列表中的类型。") % {"parent": parent},
            details={"kind": [_("该上级机构下不能设立这一类型的机构。")]},
        )
    if Organisation.objects.filter(parent=parent, name=name).exists():
        raise Conflict(
            "name_taken",
            _("同一上级机构下已有名为“%(name)s”的机构，请换一个名称。") % {"name": name},
            details={"name": [_("同一上级机构下已有同名机构。")]},
        )
    org = Organisation(
        parent=parent,
        name=name,
        kind=kind,
        region_code=(region_code or "").strip(),
        region_name=(region_name or "").strip(),
        short_name=(short_name or "").strip(),
        address=(address or "").strip(),
        phone=(phone or "").strip(),
    )
    try:
        org.full_clean(exclude=["path"], validate_constraints=False)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError as exc:  # a concurrent request took the name
        raise Conflict("name_taken", _("同一上级机构下已有同名机构，请换一个名称。")) from exc
    audit_record(action="orgs.organisation_create", actor=actor, organisation=org, obj=org, after=_org_snapshot(org))
    return org


EDITABLE_FIELDS = ("name", "short_name", "region_code", "region_name", "address", "phone")


@transaction.atomic
def organisation_update(*, actor: Actor, organisation: Organisation, **changes: Any) -> Organisation:
    """Change an organisation's name and contact details. Its kind and its
    place in the tree stay as they are (they decide who may see what)."""
    scope.require(actor.user, "orgs.change_organisation", organisation)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError("invalid_input", _("不能修改这些字段：%(fields)s。") % {"fields": ", ".join(sorted(unknown))})
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = _org_snapshot(org)
    for field, value in changes.items():
        setattr(org, field, (value or "").strip())
    if (
        org.name != before["name"]
        and Organisation.objects.filter(parent_id=org.parent_id, name=org.name).exclude(pk=org.pk).exists()
    ):
        raise Conflict(
            "name_taken",
            _("同一上级机构下已有名为“%(name)s”的机构，请换一个名称。") % {"name": org.name},
            details={"name": [_("同一上级机构下已有同名机构。")]},
        )
    try:
        org.full_clean(exclude=["path"], validate_constraints=False)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    after = _org_snapshot(org)
    if after == before:
        return org
    try:
        with transaction.atomic():
            org.save(update_fields=[f for f in EDITABLE_FIELDS if before[f] != after[f]])
    except IntegrityError as exc:
        raise Conflict("name_taken", _("同一上级机构下已有同名机构，请换一个名称。")) from exc
    audit_record(
        action="orgs.organisation_update",
        actor=actor,
        organisation=org,
        obj=org,
        before={k: v for k, v in before.items() if before[k] != after[k]},
        after={k: v for k, v in after.items() if before[k] != after[k]},
    )
    return org


# --- memberships --------------------------------------------------------------


def _check_role(organisation: Organisation, role: str) -> None:
    if role not in assignable_roles(organisation.kind):
        raise DomainError(
            "role_not_allowed",
            _("“%(org)s”不能设置这个角色，请从列表中选择。") % {"org": organisation},
            details={"role": [_("该类型的机构不能设置此角色。")]},
        )


def _refuse_self(actor: Any, membership: Membership) -> None:
    """Administrators do not change their own membership, so that nobody
    locks themselves (or a whole body) out by mistake."""
    if membership.user_id == actor.pk and not scope.is_platform_admin(actor):
        raise PermissionDenied("own_membership", _("不能修改自己的角色或停用自己，请联系上级机构的管理员办理。"))


@transaction.atomic
def membership_add(*, actor: Actor, organisation: Organisation, user: Any, role: str, title: str = "") -> Membership:
    """Give *user* a role in *organisation*; a former (deactivated) member
    is reactivated with the new role."""
    scope.require(actor.user, "orgs.manage_members", organisation)
    _check_role(organisation, role)
    existing = Membership.objects.select_for_update().filter(user=user, organisation=organisation).first()
    before = None
    if existing is not None:
        if existing.is_active:
            raise Conflict(
                "already_member",
                _("%(name)s已是本机构成员（%(role)s）。如需调整角色，请在成员列表中修改。")
                % {"name": user.name, "role": existing.get_role_display()},
            )
        before = _membership_snapshot(existing)
        membership = existing
        membership.role, membership.title, membership.is_active = role, (title or "").strip(), True
    else:
        membership = Membership(
            user=user, organisation=organisation, role=role, title=(title or "").strip(), created_by=actor.user
        )
    try:
        membership.full_clean(validate_constraints=False)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        raise Conflict("already_member", _("此人已是本机构成员，请刷新页面后查看。")) from exc
    scope.forget(user)
    audit_record(
        action="orgs.membership_add",
        actor=actor,
        organisation=organisation,
        obj=membership,
        before=before,
        after=_membership_snapshot(membership),
    )
    return membership


def _locked(membership: Membership) -> Membership:
    return Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership.pk)


@transaction.atomic
def membership_change_role(*, actor: Actor, membership: Membership, role: str, title: str = "") -> Membership:
    scope.require(actor.user, "orgs.manage_members", membership)
    _refuse_self(actor.user, membership)
    membership = _locked(membership)
    if not membership.is_active:
        raise Conflict("membership_inactive", _("该成员已停用，请先恢复后再修改角色。"))
    _check_role(membership.organisation, role)
    before = _membership_snapshot(membership)
    membership.role, membership.title = role, (title or "").strip()
    try:
        membership.full_clean(validate_constraints=False)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    membership.save(update_fields=["role", "title"])
    scope.forget(membership.user)
    audit_record(
        action="orgs.membership_change_role",
        actor=actor,
        obj=membership,
        before=before,
        after=_membership_snapshot(membership),
    )
    return membership


@transaction.atomic
def membership_set_active(*, actor: Actor, membership: Membership, active: bool) -> Membership:
    """Deactivate (the person loses the role at once) or restore a member."""
    scope.require(actor.user, "orgs.manage_members", membership)
    _refuse_self(actor.user, membership)
    membership = _locked(membership)
    if membership.is_active == active:
        raise Conflict(
            "no_change",
            _("该成员已处于有效状态。") if active else _("该成员已停用，无需重复操作。"),
        )
    before = _membership_snapshot(membership)
    membership.is_active = active
    membership.save(update_fields=["is_active"])
    scope.forget(membership.user)
    audit_record(
        action="orgs.membership_activate" if active else "orgs.membership_deactivate",
        actor=actor,
        obj=membership,
        before=before,
        after=_membership_snapshot(membership),
    )
    return membership


# --- staff accounts -----------------------------------------------------------


@dataclass(frozen=True)
class StaffAccount:
    user: Any  # the account (accounts.User; orgs does not import accounts)
    membership: Membership
    created: bool  # True: a new account that still needs activation


@transaction.atomic
def staff_account_create(
    *,
    actor: Actor,
    organisation: Organisation,
    id_number: str,
    name: str,
    mobile: str,
    role: str,
    title: str = "",
    email: str = "",
) -> StaffAccount:
    """Create the account of a member of staff and give them *role*.

    One account per person: when the ID number already has an account (and
    the name matches), that account gets the membership instead. A new
    account has no password; the person sets one through a one-time
    activation link sent by SMS to their mobile.
    """
    scope.require(actor.user, "orgs.manage_members", organisation)
    _check_role(organisation, role)
    try:
        id_number = normalize_id_number(id_number)
    except ValidationError as exc:
        raise _field_error("id_number", exc) from exc
    try:
        mobile = normalize_mobile(mobile)
    except ValidationError as exc:
        raise _field_error("mobile", exc) from exc
    name = (name or "").strip()
    if not name:
        raise DomainError("invalid_input", _("请填写姓名。"), details={"name": [_("请填写姓名。")]})

    User = get_user_model()
    user = User.objects.by_id_number(id_number).select_for_update().first()
    created = user is None
    if user is not None and user.name != name:
        raise Conflict(
            "name_mismatch",
            _("该身份证号码已有账户，但姓名与您填写的不一致。请核对姓名和身份证号码后重试。"),
            details={"name": [_("姓名与该身份证号码的账户不一致。")]},
        )
    if created:
        user = User(name=name, mobile=mobile, email=(email or "").strip())
        user.set_id_number(id_number)
        user.set_unusable_password()
        try:
            user.full_clean(exclude=["password"], validate_constraints=False)
        except ValidationError as exc:
            raise _invalid(exc) from exc
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as exc:
            raise Conflict("account_exists", _("该身份证号码刚刚被注册，请刷新页面后重试。")) from exc
        audit_record(
            action="orgs.staff_account_create",
            actor=actor,
            organisation=organisation,
            obj=user,
            after={"name": user.name, "id_number": user.id_number_masked, "mobile": user.mobile},
        )
    membership = membership_add(actor=actor, organisation=organisation, user=user, role=role, title=title)
    if not user.has_usable_password():
        _send_activation(user, organisation, actor)
    return StaffAccount(user=user, membership=membership, created=created)


def _send_activation(user: Any, organisation: Organisation, actor: Actor) -> None:
    """Text the one-time activation link to the person's own mobile: the
    administrator never sees it, so cannot use it in their place."""
    from lvshi.notify.services import send_sms

    path = activation_path(user)
    link = f"{actor.origin}{path}"
    send_sms(
        mobile=user.mobile,
        template="staff_activation",
        context={"name": user.name, "org": organisation.name, "link": link},
        user=user,
    )


@transaction.atomic
def staff_account_activate(*, uidb64: str, token: str, password: str, actor: Actor | None = None) -> Any:
    """Set the first password of an account created by an administrator.
    The link works once: setting the password invalidates the token."""
    User = get_user_model()
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
        user = User.objects.select_for_update().get(pk=pk, is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist) as exc:
        raise NotFound("activation_invalid", _("激活链接无效或已失效，请联系本机构管理员重新发送。")) from exc
    if not activation_tokens.check_token(user, token):
        raise NotFound("activation_invalid", _("激活链接无效或已失效，请联系本机构管理员重新发送。"))
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(
            "weak_password", str(exc.messages[0]), details={"new_password1": [str(m) for m in exc.messages]}
        ) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    # Nobody is signed in yet: the person who opened the link acts.
    audit_record(action="orgs.staff_account_activate", actor=dataclasses.replace(actor or Actor(), user=user), obj=user)
    return user


@transaction.atomic
def staff_activation_reissue(*, actor: Actor, membership: Membership) -> Any:
    """Text a new activation link to a member who has never set a password
    (the old link was lost or has expired)."""
    scope.require(actor.user, "orgs.manage_members", membership)
    _refuse_self(actor.user, membership)
    user = get_user_model().objects.select_for_update().get(pk=membership.user_id)
    if user.has_usable_password():
        raise Conflict("already_activated", _("该账户已设置密码，无需激活。如忘记密码，请本人在登录页使用“找回密码”。"))
    _send_activation(user, membership.organisation, actor)
    audit_record(action="orgs.staff_activation_reissue", actor=actor, organisation=membership.organisation, obj=user)
    return user
