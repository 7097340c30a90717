"""The administrative divisions: the committed list, its loading (new,
changed and dropped divisions) and the package's shape read into it."""

import pytest
from django.core.management import call_command

from lvshi.orgs import regions
from lvshi.orgs.models import Region


@pytest.fixture
def loaded(db):
    regions.load(Region, regions.read())


def test_the_list_holds_every_province_and_its_tree(loaded):
    provinces = Region.objects.filter(level=1)
    assert provinces.count() == 34 and Region.objects.count() > 3000
    tianhe = Region.objects.select_related("parent__parent").get(code="440106")
    assert (tianhe.name, tianhe.parent.name, tianhe.parent.parent.name) == ("天河区", "广州市", "广东省")
    # A municipality's districts sit under the municipality; a county-level city may sit under its province.
    assert Region.objects.get(code="500103").parent_id == "500000"
    assert Region.objects.get(code="419001").parent_id == "410000"
    assert all(len(r.code) == 6 and r.code.isdigit() for r in Region.objects.all())


def test_loading_again_changes_nothing_and_a_change_is_applied(loaded, tmp_path):
    divisions = regions.read()
    assert regions.load(Region, divisions).__dict__ == {"created": 0, "updated": 0, "retired": 0}
    renamed = [
        regions.Division(d.code, "新区名", d.kind, d.level, d.parent) if d.code == "440106" else d
        for d in divisions
        if d.code != "440111"
    ]
    added = regions.Division("440199", "测试新区", "市辖区", 3, "440100")
    report = regions.load(Region, [*renamed, added])
    assert (report.created, report.updated, report.retired) == (1, 1, 1)
    assert Region.objects.get(code="440106").name == "新区名"
    assert Region.objects.get(code="440111").active is False  # kept, not deleted


def test_the_package_shape_is_read_into_six_digit_codes():
    areas = [
        {
            "code": "44",
            "name": "广东省",
            "type": "省",
            "children": [
                {
                    "code": "4401",
                    "name": "广州市",
                    "type": "地级市",
                    "children": [
                        {"code": "440106", "name": "天河区", "type": "市辖区"},
                    ],
                },
            ],
        },
        {
            "code": "11",
            "name": "北京市",
            "type": "直辖市",
            "children": [{"code": "110101", "name": "东城区", "type": "市辖区"}],
        },
        {"code": "资料暂缺", "name": "台湾省", "type": "省"},
    ]
    got = {(d.code, d.level, d.parent) for d in regions.from_package(areas)}
    assert got == {
        ("440000", 1, None),
        ("440100", 2, "440000"),
        ("440106", 3, "440100"),
        ("110000", 1, None),
        ("110101", 3, "110000"),
        ("710000", 1, None),
    }


def test_the_command_loads_the_list(db, capsys):
    for level in (3, 2, 1):  # children first: a parent is protected
        Region.objects.filter(level=level).delete()
    call_command("update_regions")
    assert "new" in capsys.readouterr().out and Region.objects.filter(level=1).count() == 34
