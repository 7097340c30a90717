"""Factories for the platform's core data. Domain apps add their own next to
their tests and build on these."""

import itertools
from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model

from lvshi.accounts.identity import check_char
from lvshi.orgs.models import Membership, Organisation, OrgKind

_serial = itertools.count(1)


def make_id_number(region: str = "310101", birth: str | None = None) -> str:
    """A valid 18-digit ID number, different on every call (the birth date
    moves on a day every 1000 calls unless one is given)."""
    n = next(_serial)
    born = birth or (date(1985, 6, 12) + timedelta(days=n // 1000)).strftime("%Y%m%d")
    first17 = f"{region}{born}{n % 1000:03d}"
    return first17 + check_char(first17)


def make_licence_no() -> str:
    return f"1310120{next(_serial):010d}"


def make_mobile() -> str:
    return f"139{next(_serial):08d}"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试机构{n}")
    kind = OrgKind.LAW_FIRM
    region_code = "310000"
    region_name = "上海市"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    name = factory.Sequence(lambda n: f"用户{n}")
    mobile = factory.LazyFunction(make_mobile)
    password = "Lvshi@2026pass"

    @classmethod
    def _create(cls, model_class, *args, id_number=None, password=None, **kwargs):
        return model_class.objects.create_user(id_number or make_id_number(), password, **kwargs)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "lawyer"
