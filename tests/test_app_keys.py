"""Apps own their keys: each app declares the notification kinds it sends
in its ``notifications.py`` and its navigation entries, home counters and
home links in its ``nav.py``, both registered from its ``AppConfig.ready()``.
The foundation apps declare none of the domain apps' keys."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from django.apps import apps

from lvshi.notify.kinds import MESSAGE, all_kinds

ROOT = Path(__file__).resolve().parent.parent / "lvshi"
FOUNDATION = {"core", "accounts", "orgs", "audit", "notify", "calendar", "site"}
REGISTERS = {"register", "register_kind", "register_kinds"}


def _our_apps():
    return [c for c in apps.get_app_configs() if c.name.startswith("lvshi.")]


def _declared_kinds() -> dict[str, str]:
    owners: dict[str, str] = {}
    for config in _our_apps():
        try:
            module = importlib.import_module(f"{config.name}.notifications")
        except ModuleNotFoundError:
            continue
        for kind in module.KINDS:
            assert kind.key not in owners, f"{kind.key} is declared by {owners[kind.key]} and {config.label}"
            owners[kind.key] = config.label
    return owners


def test_every_registered_kind_is_declared_by_one_app():
    owners = _declared_kinds()
    registered = {k.key for k in all_kinds()} - {MESSAGE.key}
    assert registered <= set(owners), f"kinds registered outside an app's notifications.py: {registered - set(owners)}"
    assert set(owners) <= registered, "a declared kind is not registered from its app's ready()"


def test_foundation_apps_declare_no_domain_kinds():
    owners = _declared_kinds()
    for key, owner in owners.items():
        if key.startswith(("visit_", "booking_", "binding_")):
            assert owner == "visits", f"{key} belongs to visits, not {owner}"


def _calls_a_registry_at_import(path: Path) -> list[str]:
    """Registry calls made at module level (not inside a function)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in tree.body:
        for call in ast.walk(node) if not isinstance(node, (ast.FunctionDef, ast.ClassDef)) else ():
            if isinstance(call, ast.Call):
                func = call.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in REGISTERS:
                    found.append(f"{path.relative_to(ROOT.parent)}:{call.lineno}")
    return found


def test_no_module_registers_keys_as_a_side_effect_of_being_imported():
    offenders = []
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "kinds.py":
            continue
        offenders += _calls_a_registry_at_import(path)
    assert not offenders, "register from AppConfig.ready() (nav.py / notifications.py), not at import: " + ", ".join(
        offenders
    )


@pytest.mark.parametrize("label", sorted(FOUNDATION - {"core"}))
def test_foundation_nav_names_no_domain_url(label):
    path = ROOT / label / "nav.py"
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    assert "visits:" not in text and "courts:" not in text and "bureau:" not in text and "laws:" not in text
