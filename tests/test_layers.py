"""The import layers (docs/architecture.md): ``core`` imports no app; the
foundation apps import no domain app; a domain app imports another domain
app only through its public ``services``/``selectors``. Read from the source
(every import, at module level or inside a function), tests and migrations
left out. ``test_a_broken_rule_is_caught`` shows the check failing."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "lvshi"
FOUNDATION = {"accounts", "orgs", "audit", "notify", "calendar", "site"}
DOMAIN = {"visits", "courts", "laws", "bureau"}
PUBLIC = {"services", "selectors"}


def _imports(path: Path, root: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(["lvshi", *path.relative_to(root).with_suffix("").parts[:-1]])
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _app_of(module: str) -> tuple[str, str] | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "lvshi":
        return None
    return parts[1], parts[2] if len(parts) > 2 else ""


def violations(root: Path = ROOT) -> list[str]:
    problems = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if "tests" in rel.parts or "migrations" in rel.parts or len(rel.parts) < 2:
            continue
        app = rel.parts[0]
        seen: set[int] = set()
        for line, module in _imports(path, root):
            target = _app_of(module)
            if target is None or target[0] == app:
                continue
            other, part = target
            if line in seen:
                continue
            where = f"{rel}:{line} imports {module}"
            if app == "core" and (other in FOUNDATION or other in DOMAIN):
                problems.append(f"{where}: core imports no app")
            elif app in FOUNDATION and other in DOMAIN:
                problems.append(f"{where}: a foundation app imports no domain app")
            elif app in DOMAIN and other in DOMAIN and part not in PUBLIC:
                problems.append(f"{where}: only another domain app's services and selectors are public")
            else:
                continue
            seen.add(line)
    return problems


def test_the_import_layers_hold():
    assert not violations()


def test_a_broken_rule_is_caught(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "bad.py").write_text("from lvshi.visits import models\n")
    (tmp_path / "notify").mkdir()
    (tmp_path / "notify" / "bad.py").write_text("def f():\n    from lvshi.visits.services import booking_create\n")
    (tmp_path / "courts").mkdir()
    (tmp_path / "courts" / "bad.py").write_text("from lvshi.visits.models import Booking\n")
    found = {problem.split(":", 1)[0]: problem for problem in violations(tmp_path)}
    assert set(found) == {"core/bad.py", "notify/bad.py", "courts/bad.py"}
    assert "core imports no app" in found["core/bad.py"]
    assert "foundation app imports no domain app" in found["notify/bad.py"]
    assert "services and selectors are public" in found["courts/bad.py"]
