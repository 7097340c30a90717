"""Two administrators add the same new person at the same moment."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connections

from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict
from lvshi.orgs import services
from lvshi.orgs.models import Membership, Role
from tests.factories import MembershipFactory, UserFactory, make_id_number


@pytest.mark.postgres
def test_the_same_person_added_twice_at_once_gets_one_account(transactional_db):
    from conftest import World

    world = World()
    admins = []
    for org in (world.centre, world.authority):
        admin = UserFactory(name="管理员")
        MembershipFactory(user=admin, organisation=org, role=Role.ORG_ADMIN)
        admins.append(admin)
    id_number = make_id_number()
    barrier = threading.Barrier(len(admins))
    outcomes: list[str] = []

    def add(admin, role):
        try:
            barrier.wait(timeout=10)
            services.staff_account_create(
                actor=Actor(admin),
                organisation=world.centre,
                id_number=id_number,
                name="新民警",
                mobile="13912345678",
                role=role,
            )
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=add, args=(admin, role))
        for admin, role in zip(admins, (Role.OFFICER, Role.AUDITOR), strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) in (["account_exists", "ok"], ["already_member", "ok"]), outcomes
    assert get_user_model().objects.by_id_number(id_number).count() == 1
    assert Membership.objects.filter(user__name="新民警", organisation=world.centre).count() == 1
