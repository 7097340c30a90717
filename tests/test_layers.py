"""The import layers (docs/architecture.md): ``core`` imports no app; the
foundation apps import no domain app; a domain app imports another domain
app only through its public ``services``/``selectors``. Read from the source
(every import, at module level or inside a function), tests and migrations
left out. No app's modules import each other in a cycle, counting imports
inside functions too (an import hidden in a function to dodge a cycle is
still one). ``test_a_broken_rule_is_caught`` and
``test_a_cycle_is_caught`` show the checks failing."""

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


def _module_of(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["lvshi", *parts])


def _is_module(name: str, root: Path) -> bool:
    where = root.joinpath(*name.split(".")[1:])
    return where.with_suffix(".py").exists() or (where / "__init__.py").exists()


def _type_checking_only(tree: ast.AST) -> set[int]:
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            hidden |= {id(n) for sub in node.body for n in ast.walk(sub)}
    return hidden


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """{module: modules of the same app it imports}. ``from package import
    name`` is an edge to the submodule *name* when there is one, else to
    the package; imports only for type checking are left out."""
    graph: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        me = _module_of(path, root)
        package = me if path.name == "__init__.py" else me.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        hidden = _type_checking_only(tree)
        targets: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in hidden:
                continue
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    module = ".".join([*base, node.module] if node.module else base)
                else:
                    module = node.module or ""
                for alias in node.names:
                    full = f"{module}.{alias.name}"
                    targets.add(full if _is_module(full, root) else module)
        app = me.split(".")[:2]
        graph[me] = {t for t in targets if t.split(".")[:2] == app and t != me}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_app_imports_itself_in_a_cycle():
    assert cycles(import_graph()) == []


def test_a_cycle_is_caught(tmp_path):
    app = tmp_path / "visits"
    (app / "services").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "services" / "__init__.py").write_text("from .booking import booking_create\n")
    (app / "services" / "booking.py").write_text("from ..checkin import release\n")
    (app / "checkin.py").write_text("def f():\n    from .services.booking import booking_create\n")
    (app / "typing_only.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import checkin\n"
    )
    found = cycles(import_graph(tmp_path))
    assert found == [["lvshi.visits.checkin", "lvshi.visits.services.booking"]]


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


MAX_LINES = 500


def long_files(root: Path = ROOT) -> list[str]:
    """Source files over MAX_LINES lines (tests and migrations aside): split
    them by area, as visits/services and visits/selectors are."""
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            found.append(f"{rel.as_posix()}: {lines} lines")
    return found


def test_no_source_file_is_over_500_lines():
    assert long_files() == []


def test_a_long_file_is_caught(tmp_path):
    (tmp_path / "visits").mkdir()
    (tmp_path / "visits" / "big.py").write_text("x = 1\n" * (MAX_LINES + 1))
    assert long_files(tmp_path) == [f"visits/big.py: {MAX_LINES + 1} lines"]
