"""journeytest's options on pytest's command line and in its ini files, read once into Settings."""

from __future__ import annotations

import os
from typing import Any

import pytest

from ..errors import SettingsError
from ..settings import BORROWED, OPTIONS, Settings

GROUP = ("journeytest", "journeytest (customer journeys from *.journey.yaml)")


def add_options(parser: pytest.Parser) -> None:
    """Every option of settings.OPTIONS as a command-line flag and an ini key."""
    group = parser.getgroup(*GROUP)
    for option in OPTIONS:
        help_text = option.help + (f" Env: {option.env}." if option.env else "") + f" Ini: {option.ini}."
        kwargs: dict[str, Any] = {"dest": f"journeytest_{option.field}", "default": None, "help": help_text}
        if option.kind == "flag":
            kwargs["action"] = "store_true"
        else:
            kwargs["metavar"] = option.metavar
            if option.kind == "paths":
                kwargs["action"] = "append"
            if option.kind == "int":
                kwargs["type"] = int
            if option.choices:
                kwargs["choices"] = list(option.choices)
        group.addoption(option.flag, **kwargs)
        ini_type = {"flag": "bool", "paths": "args"}.get(option.kind, "string")
        parser.addini(option.ini, help=option.help, type=ini_type, default=None)  # type: ignore[arg-type]


def read_settings(config: pytest.Config) -> Settings:
    """Settings from this config: command line, then JOURNEYTEST_* variables, then ini keys."""
    given: dict[str, Any] = {
        option.field: config.getoption(f"journeytest_{option.field}", default=None) for option in OPTIONS
    }
    for name, flag in BORROWED.items():
        given[name] = config.getoption(flag, default=None)
    ini = {option.ini: _ini(config, option.ini) for option in OPTIONS}
    try:
        return Settings.resolve(given, ini, os.environ)
    except SettingsError as error:
        raise pytest.UsageError(str(error)) from None


def _ini(config: pytest.Config, name: str) -> Any:
    try:
        return config.getini(name)
    except ValueError:
        return None
