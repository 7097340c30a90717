"""Every use case checks its actor itself, so that a service called from a
new view or API operation cannot skip the permission (docs/architecture.md).

A public service function taking ``actor`` must check it in its own body:
``permissions.require``/``scope.can``/``scope.require``, a declared
workflow's ``apply`` (which checks the transition's permission), or the
owner test of the lawyer's own objects. ``test_a_service_without_a_check_is_caught``
shows the test failing."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "lvshi"

# How a body checks its actor.
CHECKS = (
    "permissions.require(",
    "scope.require(",
    "scope.can(",
    "require(actor.user",
    ".apply(",
    "_move(",
    "_own(",
    "lawyer_id != ",
    "has_role(",
)
# Infrastructure that records or prunes, the demo/import helper that records
# a verified binding directly (none reachable from a page), and the
# activation of a new account, whose check is the one-time link's token.
EXEMPT = {
    "orgs/services.py:staff_account_activate",
    "audit/services.py:audit_record",
    "audit/services.py:audit_prune",
    "visits/bindings/centre.py:binding_create",
}


def unchecked(root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        if "services" not in rel.parts and rel.name != "services.py" and "bindings" not in rel.parts:
            continue
        source = path.read_text(encoding="utf-8")
        for node in ast.parse(source).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            if not any(a.arg == "actor" for a in node.args.kwonlyargs):
                continue
            key = f"{rel.as_posix()}:{node.name}"
            body = ast.get_source_segment(source, node) or ""
            if key not in EXEMPT and not any(check in body for check in CHECKS):
                found.append(key)
    return found


def test_every_use_case_checks_its_actor():
    assert unchecked() == []


def test_a_service_without_a_check_is_caught(tmp_path):
    (tmp_path / "visits" / "services").mkdir(parents=True)
    (tmp_path / "visits" / "services" / "rooms.py").write_text(
        "def room_open(*, actor, room):\n    room.save()\n\n"
        "def room_close(*, actor, room):\n    permissions.require(actor.user, 'visits.manage_centre', room)\n"
    )
    assert unchecked(tmp_path) == ["visits/services/rooms.py:room_open"]


def direct_loads(root: Path = ROOT) -> list[str]:
    """Pages and API operations that load an object past their app's
    ``access.py`` (``scope.get_or_404`` called directly)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if "tests" in rel.parts or rel.name in ("access.py", "scope.py"):
            continue
        if not ("views" in rel.parts or "api" in rel.parts or rel.name in ("views.py", "api.py")):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "get_or_404(" in line and "access." not in line and not line.lstrip().startswith(("#", "def ")):
                found.append(f"{rel.as_posix()}:{number}")
    return found


def test_objects_are_loaded_only_through_the_apps_access_modules():
    assert direct_loads() == []


def test_a_direct_load_is_caught(tmp_path):
    (tmp_path / "visits" / "views").mkdir(parents=True)
    (tmp_path / "visits" / "views" / "rooms.py").write_text(
        "def room(request, pk):\n    return scope.get_or_404(request.user, 'visits.manage_centre', Room, pk=pk)\n"
        "def other(request, pk):\n    return access.room_or_404(request.user, pk)\n"
    )
    assert direct_loads(tmp_path) == ["visits/views/rooms.py:2"]
