"""The checks and explorers a run knows, as one value built the same way by `pytest` and `journeytest validate`.

They come from the built-in modules, from installed plugins (modules listed under
the `journeytest.checks` entry point group) and from conftest.py files: under pytest,
the conftest modules pytest loaded for the scenario file's folder and its parents;
under `journeytest validate`, the conftest.py files of the same folders, imported the
way pytest imports them. A check's options are its own plus those of the explorers it
asks for, so a file can set `checks: {cancel_discoverable: {max_clicks: 3}}`.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

from .checks import BUILT_IN_MODULES as BUILT_IN_CHECKS
from .checks.base import CheckSpec
from .checks.base import spec_of as check_spec
from .errors import RegistryError
from .explore import BUILT_IN_MODULES as BUILT_IN_EXPLORERS
from .explore.base import ExplorerSpec
from .explore.base import spec_of as explorer_spec
from .scenario import Scenario

ENTRY_POINT_GROUP = "journeytest.checks"
ROOT_MARKERS = ("pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg", ".git")


@dataclass(frozen=True)
class Exploration:
    """One explorer a file needs: its options (from the checks that ask for it) and the journey it runs after."""

    spec: ExplorerSpec
    options: dict[str, Any]
    after: str | None
    asked_by: tuple[str, ...]
    each: bool = False  # one of several runs, each right after its own journey: the findings are lists that add up


@dataclass(frozen=True)
class Registry:
    checks: Mapping[str, CheckSpec] = field(default_factory=dict)
    explorers: Mapping[str, ExplorerSpec] = field(default_factory=dict)

    @classmethod
    def from_modules(cls, modules: Iterable[ModuleType]) -> Registry:
        return cls().including(modules)

    def including(self, modules: Iterable[ModuleType]) -> Registry:
        """This registry plus the checks and explorers declared in `modules` (a later one of the same name wins)."""
        checks, explorers = dict(self.checks), dict(self.explorers)
        declared_checks: dict[str, CheckSpec] = {}
        for module in modules:
            for value in vars(module).values():
                if (spec := check_spec(value)) is not None:
                    declared_checks[spec.name] = spec
                elif (found := explorer_spec(value)) is not None:
                    explorers[found.name] = found
        checks.update(declared_checks)
        return Registry({name: _with_explorer_options(spec, explorers) for name, spec in checks.items()}, explorers)

    def applicable(self, scenario: Scenario) -> list[tuple[CheckSpec, dict[str, Any]]]:
        """The checks this file gets, with their options (defaults, then the file's), in registry order."""
        if scenario.checks_off:
            return []
        chosen = []
        for name, spec in self.checks.items():
            configured = scenario.checks.get(name, {})
            if configured is None:
                continue
            options = {**spec.defaults, **configured}
            if spec.applies_to(scenario, options):
                chosen.append((spec, options))
        return chosen

    def explorations(self, scenario: Scenario, checks: list[tuple[CheckSpec, dict[str, Any]]]) -> list[Exploration]:
        """The explorers these checks ask for, in registry order, each with the journey it runs after."""
        asking: dict[str, dict[str, dict[str, Any]]] = {}
        for spec, options in checks:
            for name in spec.explores:
                if name not in self.explorers:
                    raise RegistryError(
                        f"check '{spec.name}' asks for the explorer '{name}', which is not registered "
                        f"(explorers: {', '.join(self.explorers) or 'none'})"
                    )
                asking.setdefault(name, {})[spec.name] = options
        found = []
        for name, explorer in self.explorers.items():
            if name not in asking:
                continue
            after = explorer.after(scenario) if explorer.after is not None else None
            options, asked_by = explorer.options_from(asking[name]), tuple(asking[name])
            if isinstance(after, tuple):
                found += [
                    Exploration(explorer, options, j, asked_by, each=True) for j in after if j in scenario.journeys
                ]
            else:
                found.append(Exploration(explorer, options, after if after in scenario.journeys else None, asked_by))
        return found


def _with_explorer_options(spec: CheckSpec, explorers: Mapping[str, ExplorerSpec]) -> CheckSpec:
    """A check's options include those of the explorers it asks for (its own defaults win)."""
    explored = [explorers[name] for name in spec.explores if name in explorers]
    if not explored:
        return spec
    defaults = {key: value for e in explored for key, value in e.defaults.items()} | spec.defaults
    choices = {key: value for e in explored for key, value in e.choices.items()} | spec.choices
    return replace(spec, defaults=defaults, choices=choices)


@lru_cache(maxsize=1)
def built_in() -> Registry:
    """Built-in checks and explorers, then those of installed plugins (read once per process)."""
    modules = [importlib.import_module(name) for name in (*BUILT_IN_CHECKS, *BUILT_IN_EXPLORERS)]
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry.load()
        except Exception as error:  # noqa: BLE001 - a broken plugin is named, never a traceback
            raise RegistryError(
                f"the installed plugin '{entry.name}' ({entry.value}) of the {ENTRY_POINT_GROUP} entry "
                f"points cannot be loaded: {type(error).__name__}: {error}"
            ) from None
        modules.append(loaded if isinstance(loaded, ModuleType) else importlib.import_module(entry.module))
    return Registry.from_modules(modules)


def conftest_files(path: Path) -> list[Path]:
    """The conftest.py files pytest would load for a scenario file: its folder and each parent up to the root
    folder (the nearest with pytest.ini, pyproject.toml, tox.ini, setup.cfg or .git), outermost first."""
    folder = path.resolve().parent if path.suffix else path.resolve()
    found: list[Path] = []
    for candidate in [folder, *folder.parents]:
        if (candidate / "conftest.py").is_file():
            found.append(candidate / "conftest.py")
        if any((candidate / marker).exists() for marker in ROOT_MARKERS):
            break
    return list(reversed(found))


def for_paths(paths: Iterable[Path]) -> Registry:
    """What `journeytest validate` knows for these files: built-ins, plugins, and their conftest.py files."""
    conftests = dict.fromkeys(conftest for path in paths for conftest in conftest_files(Path(path)))
    return built_in().including(import_conftest(conftest) for conftest in conftests)


@lru_cache(maxsize=64)
def import_conftest(path: Path) -> ModuleType:
    """Import a conftest.py the way pytest does by default (its folder, or its package's root, first on sys.path)."""
    root = path.parent
    while (root / "__init__.py").is_file():
        root = root.parent
    name = ".".join(path.parent.relative_to(root).parts + ("conftest",)) if root != path.parent else "conftest"
    module_name = f"_journeytest_conftest_{abs(hash(path))}" if name == "conftest" else name
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise RegistryError(f"{path} cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # noqa: BLE001 - a broken conftest is named, never a traceback
        del sys.modules[module_name]
        raise RegistryError(f"{path} cannot be imported: {type(error).__name__}: {error}") from None
    return module
