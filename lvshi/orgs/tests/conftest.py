import pytest

from conftest import PASSWORD
from lvshi.orgs.models import Role
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def make_admin(world):
    """``make_admin("authority")`` → a new org admin of ``world.authority``."""

    def _make(org_attr: str, role: str = Role.ORG_ADMIN):
        user = UserFactory(name=f"{org_attr}管理员", password=PASSWORD)
        MembershipFactory(user=user, organisation=getattr(world, org_attr), role=role)
        return user

    return _make
