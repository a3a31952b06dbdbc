"""The package reads as the data flows: each stage imports only the stages before it, and nothing closes a cycle.

Parsed from the source (ast), so a lazy import inside a function counts as much as one at
the top; only imports under `if TYPE_CHECKING:` are left out, as they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[2] / "journeytest"

# The stages in data-flow order (README, "Layout"): a module may import its own stage and the ones before it.
ORDER = [
    "errors",
    "masked",
    "wording",
    "scenario",
    "settings",
    "record",
    "mail",
    "checks",
    "browser",
    "explore",
    "registry",
    "report",
    "demo",
    "plugin",
    "cli",
]
# Stages that must not need a browser or pytest: a check author and `journeytest validate` use them alone.
WITHOUT_BROWSER_OR_PYTEST = ["errors", "masked", "wording", "scenario", "settings", "record", "checks"]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    base = module.split(".") if is_package else module.split(".")[:-1]
    if node.level:
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    names = []
    for alias in node.names:
        candidate = f"{prefix}.{alias.name}"
        path = PACKAGE.parent / Path(*candidate.split("."))
        names.append(candidate if path.with_suffix(".py").exists() or (path / "__init__.py").exists() else prefix)
    return names


def _type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def imports_of(path: Path, *, top_level_only: bool = False) -> set[str]:
    """Every module this file imports when it runs (journeytest's own and third-party, by full name)."""
    module = module_name(path)
    found: set[str] = set()

    def visit(nodes: list[ast.stmt], in_function: bool) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and _type_checking(node):
                visit(node.orelse, in_function)
                continue
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                found.update(_resolve(module, path.name == "__init__.py", node))
            for field in ("body", "orelse", "finalbody", "handlers"):
                children = getattr(node, field, None)
                if isinstance(children, list):
                    is_function = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
                    if not (top_level_only and (in_function or is_function)):
                        visit(
                            [c for c in children if isinstance(c, ast.stmt | ast.ExceptHandler)],
                            in_function or is_function,
                        )
            if isinstance(node, ast.ExceptHandler):
                visit(node.body, in_function)

    visit(ast.parse(path.read_text(encoding="utf-8")).body, False)
    return found


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "journeytest"


def own(imported: set[str]) -> set[str]:
    return {name for name in imported if name in MODULES and name != "journeytest"}


def test_every_module_belongs_to_a_stage():
    assert {stage(m) for m in MODULES} - {"journeytest"} == set(ORDER)


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "journeytest"))
def test_no_module_imports_a_later_stage(module):
    here = ORDER.index(stage(module))
    later = sorted(name for name in own(imports_of(MODULES[module])) if ORDER.index(stage(name)) > here)
    assert not later, f"{module} ({stage(module)}) imports later stages: {later}"


def test_the_public_face_imports_only_the_errors_when_it_loads():
    """`import journeytest` (and so `journeytest --help`) must not load the browser, pytest or the registry."""
    assert own(imports_of(MODULES["journeytest"], top_level_only=True)) == {"journeytest.errors"}


def test_no_import_closes_a_cycle():
    graph = {m: own(imports_of(p)) for m, p in MODULES.items() if m != "journeytest"}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def walk(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt) :] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                walk(nxt, trail + [nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("stage_name", WITHOUT_BROWSER_OR_PYTEST)
def test_the_record_the_checks_and_the_scenario_need_neither_a_browser_nor_pytest(stage_name):
    """Followed through every import that runs when the stage loads, third-party ones included."""
    start = [m for m in MODULES if stage(m) == stage_name]
    seen, queue, banned = set(), list(start), []
    while queue:
        module = queue.pop()
        if module in seen:
            continue
        seen.add(module)
        imported = imports_of(MODULES[module], top_level_only=True)
        banned += [
            f"{module} imports {name}"
            for name in imported
            if name.split(".")[0] in ("pytest", "_pytest", "playwright", "xdist")
        ]
        queue += own(imported)
        parts = module.split(".")
        queue += [".".join(parts[:i]) for i in range(2, len(parts))]
    assert not banned
