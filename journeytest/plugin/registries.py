"""The Registry a scenario file gets under pytest: built-ins, plugins, and the conftest modules above the file."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from ..registry import Registry, built_in


def conftest_modules(config: pytest.Config, path: Path) -> list[ModuleType]:
    """The conftest modules pytest loaded whose folder holds `path`, outermost first."""
    found = []
    for plugin in config.pluginmanager.get_plugins():
        file = getattr(plugin, "__file__", None)
        if isinstance(plugin, ModuleType) and file and Path(file).name == "conftest.py":
            folder = Path(file).resolve().parent
            if folder == path.resolve().parent or folder in path.resolve().parents:
                found.append(plugin)
    return sorted(found, key=lambda module: len(Path(str(module.__file__)).parts))


_BUILT: dict[tuple[str, ...], Registry] = {}


def registry_for(config: pytest.Config, path: Path) -> Registry:
    modules = conftest_modules(config, path)
    if not modules:
        return built_in()
    key = tuple(str(module.__file__) for module in modules)
    if key not in _BUILT:
        _BUILT[key] = built_in().including(modules)
    return _BUILT[key]
