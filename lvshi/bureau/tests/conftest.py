import pytest

from conftest import PASSWORD


class Guangdong:
    """A province with two cities: the bodies, firms and people of lawyer administration."""

    def __init__(self):
        from lvshi.orgs.models import OrgKind, Role
        from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

        from .factories import make_firm, make_lawyer

        org = OrganisationFactory
        self.province = org(
            name="广东省司法厅", kind=OrgKind.JUSTICE_BUREAU, region_code="440000", region_name="广东省"
        )
        self.province_bar = org(
            name="广东省律师协会",
            kind=OrgKind.BAR_ASSOCIATION,
            parent=self.province,
            region_code="440000",
            region_name="广东省",
        )
        self.gz = org(
            name="广州市司法局",
            kind=OrgKind.JUSTICE_BUREAU,
            parent=self.province,
            region_code="440100",
            region_name="广州市",
        )
        self.gz_bar = org(
            name="广州市律师协会",
            kind=OrgKind.BAR_ASSOCIATION,
            parent=self.gz,
            region_code="440100",
            region_name="广州市",
        )
        self.sz = org(
            name="深圳市司法局",
            kind=OrgKind.JUSTICE_BUREAU,
            parent=self.province,
            region_code="440300",
            region_name="深圳市",
        )
        self.gz_firm_org = org(
            name="广州甲律师事务所", kind=OrgKind.LAW_FIRM, parent=self.gz, region_code="440100", region_name="广州市"
        )
        self.gz_other_org = org(
            name="广州乙律师事务所", kind=OrgKind.LAW_FIRM, parent=self.gz, region_code="440100", region_name="广州市"
        )
        self.sz_firm_org = org(
            name="深圳丙律师事务所", kind=OrgKind.LAW_FIRM, parent=self.sz, region_code="440300", region_name="深圳市"
        )
        self.gz_firm = make_firm(self.gz_firm_org)
        self.gz_other = make_firm(self.gz_other_org)
        self.sz_firm = make_firm(self.sz_firm_org)

        def person(name, organisation, role):
            user = UserFactory(name=name, password=PASSWORD)
            MembershipFactory(user=user, organisation=organisation, role=role)
            return user

        self.firm_admin = person("林管理", self.gz_firm_org, Role.FIRM_ADMIN)
        self.other_firm_admin = person("罗管理", self.gz_other_org, Role.FIRM_ADMIN)
        self.sz_firm_admin = person("邓管理", self.sz_firm_org, Role.FIRM_ADMIN)
        self.gz_clerk = person("郑科员", self.gz, Role.BUREAU_CLERK)
        self.gz_auditor = person("冯审计", self.gz, Role.AUDITOR)
        self.province_clerk = person("黄处长", self.province, Role.BUREAU_CLERK)
        self.sz_clerk = person("邓科员", self.sz, Role.BUREAU_CLERK)
        self.gz_bar_staff = person("何干事", self.gz_bar, Role.BAR_STAFF)
        self.province_bar_staff = person("梁干事", self.province_bar, Role.BAR_STAFF)
        self.lawyer = make_lawyer(self.gz_firm_org, "张明")
        self.lawyer2 = make_lawyer(self.gz_firm_org, "李华")
        self.sz_lawyer = make_lawyer(self.sz_firm_org, "陈静")


@pytest.fixture
def gd(db):
    return Guangdong()
