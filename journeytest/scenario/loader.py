"""Scenario file -> validated Scenario model.

Two passes, like Tavern: the JSON Schema catches shape errors (wrong keys,
wrong types), then our own pass catches what a schema cannot express
(journeys that need missing journeys, include cycles, unknown placeholders).
Every problem found is reported at once, each with file:line:column.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from faker.config import AVAILABLE_LOCALES
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from ..errors import Problem, ScenarioError, SourceLocation
from . import templating
from .durations import parse_duration
from .fragments import LOCATOR_KEYS
from .model import Journey, PersonaSpec, Scenario, Site, Step, Target
from .schema import STEP_ACTIONS, STEP_OPTIONS, build_schema
from .steps import ACTION_BY_NAME, Capture, strings_of, texts
from .yamlsource import LocatedDocument, PathKey, load_located

SCENARIO_SUFFIXES = (".journey.yaml", ".journey.yml")
BLOCK_LIBRARY_SUFFIXES = (".blocks.yaml", ".blocks.yml")
DEFAULT_STEP_TIMEOUT_S = 10.0

# ARIA roles Playwright's get_by_role understands (the common ones; a typo gets a suggestion).
ARIA_ROLES = (
    "alert",
    "alertdialog",
    "article",
    "banner",
    "button",
    "cell",
    "checkbox",
    "columnheader",
    "combobox",
    "complementary",
    "contentinfo",
    "dialog",
    "document",
    "form",
    "grid",
    "gridcell",
    "group",
    "heading",
    "img",
    "link",
    "list",
    "listbox",
    "listitem",
    "main",
    "menu",
    "menubar",
    "menuitem",
    "menuitemcheckbox",
    "menuitemradio",
    "navigation",
    "option",
    "paragraph",
    "progressbar",
    "radio",
    "radiogroup",
    "region",
    "row",
    "rowgroup",
    "rowheader",
    "search",
    "searchbox",
    "separator",
    "slider",
    "spinbutton",
    "status",
    "switch",
    "tab",
    "table",
    "tablist",
    "tabpanel",
    "textbox",
    "timer",
    "toolbar",
    "tooltip",
    "tree",
    "treeitem",
)


def is_scenario_file(path: str | Path) -> bool:
    return str(path).endswith(SCENARIO_SUFFIXES)


@dataclass(frozen=True)
class SiteOverrides:
    """Command-line and environment choices that beat what the file says (built by Settings)."""

    base_url: str | None = None
    site_env: str | None = None
    require_base_url: bool = True
    mail_in: str | None = None
    check_environment: bool = False  # a run or `validate`: environment variables the persona names must be set


class KnownCheck(Protocol):
    """What the loader needs to know of a registered check to validate a file's `checks:` (a CheckSpec is one)."""

    @property
    def defaults(self) -> Mapping[str, Any]: ...

    @property
    def choices(self) -> Mapping[str, tuple[Any, ...]]: ...

    @property
    def journey_options(self) -> tuple[str, ...]: ...


def find_scenario_files(paths: list[str]) -> list[Path]:
    """Scenario files named directly or found under folders, sorted."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and is_scenario_file(p))
        else:
            found.append(path)
    return found


# --------------------------------------------------------------------------- schema pass


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(build_schema())


@lru_cache(maxsize=1)
def _library_validator() -> Draft202012Validator:
    schema = build_schema()
    library = {
        "$schema": schema["$schema"],
        "type": "object",
        "required": ["blocks"],
        "additionalProperties": False,
        "properties": {"blocks": schema["properties"]["blocks"]},
        "$defs": schema["$defs"],
    }
    return Draft202012Validator(library)


def _type_only(error: ValidationError) -> bool:
    """True when a oneOf branch failed only because the value has another type."""
    if error.relative_path:
        return False
    if error.validator == "type":
        return True
    if error.validator in ("oneOf", "anyOf") and error.context:
        return all(_type_only(e) for e in error.context)
    return False


def _leaf_errors(error: ValidationError) -> list[ValidationError]:
    """Drill through oneOf/anyOf to the errors of the branch the author meant."""
    if error.validator not in ("oneOf", "anyOf") or not error.context:
        return [error]
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    meant = [errs for errs in branches.values() if not any(_type_only(e) for e in errs)]
    if len(meant) != 1:
        return [error]
    return [leaf for sub in meant[0] for leaf in _leaf_errors(sub)]


def _expected_types(schema: dict[str, Any]) -> str:
    names = {
        "string": "text",
        "number": "a number",
        "integer": "a whole number",
        "boolean": "true or false",
        "object": "a mapping (key: value lines)",
        "array": "a list ('- ' items)",
        "null": "nothing",
    }
    if "oneOf" in schema or "anyOf" in schema:
        parts = [_expected_types(s) for s in schema.get("oneOf", schema.get("anyOf", []))]
        return " or ".join(dict.fromkeys(p for p in parts if p))
    if "$ref" in schema:
        return (
            "a target (text, or a mapping such as 'role: button' with 'name: …')"
            if schema["$ref"].endswith("target")
            else "a mapping"
        )
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(names.get(k) or str(k) for k in kind)
    if "enum" in schema:
        return "one of " + ", ".join(map(str, schema["enum"]))
    return names.get(kind, "") if kind else ""


def _found(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    return f"{value!r}"


def describe_path(path: PathKey) -> str:
    """('journeys', 'signup', 'steps', 2, 'click') -> "journey 'signup', step 3, click"."""
    words: list[str] = []
    items = list(path)
    i = 0
    while i < len(items):
        part = items[i]
        if part in ("journeys", "blocks") and i + 1 < len(items):
            words.append(f"{'journey' if part == 'journeys' else 'block'} '{items[i + 1]}'")
            i += 2
            continue
        following = items[i + 1] if i + 1 < len(items) else None
        if part == "steps" and isinstance(following, int):
            words.append(f"step {following + 1}")
            i += 2
            continue
        words.append(f"item {part + 1}" if isinstance(part, int) else str(part))
        i += 1
    return ", ".join(words) if words else "the top level"


PATTERN_EXPLAINED = {
    "^https?://": "a URL starting with http:// or https://",
    r"^\d+(\.\d+)?\s*(ms|s|m)$": "a duration such as '500ms', '2s' or '1.5m'",
    "^[A-Za-z_][A-Za-z0-9_-]*$": "a name of letters, digits, '_' and '-' (no spaces)",
    "^[A-Za-z0-9_.-]+$": "a file name of letters, digits, '_', '.' and '-'",
    "^[a-z]{2}(_[A-Z]{2})?$": "a locale such as en_US or fi_FI",
    r"^(smtp|lmtp)://[^/:]+:\d+/?$": "a mail server such as smtp://127.0.0.1:2525 or lmtp://127.0.0.1:8024",
}


def _is_step_path(path: PathKey) -> bool:
    return len(path) == 4 and path[0] in ("journeys", "blocks") and path[2] == "steps" and isinstance(path[3], int)


def _explain(error: ValidationError, doc: LocatedDocument) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    where = describe_path(path)
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {}))
        for key in error.instance:
            if key in allowed:
                continue
            loc = doc.where(path + (key,))
            if _is_step_path(path):
                guess = difflib.get_close_matches(key, list(STEP_ACTIONS) + list(STEP_OPTIONS), n=1, cutoff=0.6)
                yield Problem(
                    loc,
                    f"unknown step '{key}' in {where}; expected one of: {', '.join(STEP_ACTIONS)}",
                    f"did you mean '{guess[0]}'?" if guess else None,
                )
            else:
                guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                yield Problem(
                    loc,
                    f"unknown key '{key}' in {where}; expected one of: {', '.join(allowed)}",
                    f"did you mean '{guess[0]}'?" if guess else None,
                )
        return
    if kind == "required" and isinstance(error.instance, dict):
        for key in error.validator_value:
            if key not in error.instance:
                yield Problem(doc.where(path), f"'{key}' is missing in {where}", _REQUIRED_HINTS.get(key))
        return
    loc = doc.where_value(path)
    if kind == "type" or (kind in ("oneOf", "anyOf") and _type_only_all(error)):
        expected = _expected_types(error.schema)
        hint = None
        if isinstance(error.instance, bool) and "text" in expected:
            hint = 'YAML reads unquoted yes/no/on/off/true/false as true or false: put the text in quotes, e.g. "Yes"'
        yield Problem(loc, f"{where}: found {_found(error.instance)}, expected {expected}", hint)
    elif kind == "enum":
        options = [str(v) for v in error.validator_value]
        guess = difflib.get_close_matches(str(error.instance), options, n=1)
        yield Problem(
            loc,
            f"{where}: found {_found(error.instance)}, expected one of: {', '.join(options)}",
            f"did you mean '{guess[0]}'?" if guess else None,
        )
    elif kind == "pattern":
        expected = PATTERN_EXPLAINED.get(error.validator_value, f"text matching {error.validator_value}")
        yield Problem(loc, f"{where}: found {_found(error.instance)}, expected {expected}")
    elif kind in ("minItems", "minProperties", "minLength"):
        yield Problem(loc, f"{where} is empty; expected at least one entry")
    elif kind == "maxProperties" and isinstance(error.instance, dict):
        yield Problem(
            loc,
            f"{where} takes exactly one of {', '.join(error.schema.get('properties', {}))}; "
            f"found {', '.join(error.instance)}",
            "split it into separate steps",
        )
    elif kind in ("minimum", "maximum"):
        yield Problem(
            loc,
            f"{where}: found {_found(error.instance)}, expected a value {'at least' if kind == 'minimum' else 'at most'} {error.validator_value}",
        )
    else:
        yield Problem(loc, f"{where}: {error.message}")


def _type_only_all(error: ValidationError) -> bool:
    return bool(error.context) and all(_type_only(e) for e in error.context)


_REQUIRED_HINTS = {
    "site": "add 'site:' with at least 'name:' and 'base_url:'",
    "journeys": "add 'journeys:' with at least one named journey",
    "steps": "add 'steps:' with a list of steps",
    "kind": "one of acquire, cancel, support, account, other",
    "value": "'fill' needs the text to type in 'value:'",
    "option": "'select' needs the option to choose in 'option:'",
}


def schema_problems(doc: LocatedDocument, validator: Draft202012Validator | None = None) -> list[Problem]:
    validator = validator or _validator()
    problems: dict[tuple[SourceLocation, str], Problem] = {}
    for error in validator.iter_errors(doc.data):
        for leaf in _leaf_errors(error):
            for problem in _explain(leaf, doc):
                problems.setdefault((problem.location, problem.message), problem)
    return list(problems.values())


# --------------------------------------------------------------------------- model pass


@dataclass
class _BlockDef:
    name: str
    params: tuple[str, ...]
    raw_steps: list[Any]
    doc: LocatedDocument
    path: PathKey


@dataclass
class _TargetReader:
    """The ArgReader a step's parser gets: targets read at paths below the step, problems kept by the builder."""

    builder: _Builder
    doc: LocatedDocument
    path: PathKey

    def target(self, raw: Any, *subpath: str | int) -> Target:
        return self.builder.target(raw, self.doc, self.path + subpath)

    def problem(self, message: str, *subpath: str | int, hint: str | None = None) -> None:
        path = self.path + subpath
        where = self.doc.where_value(path) if subpath else self.doc.where(path)
        self.builder.problem(where, f"{describe_path(path)}: {message}", hint)


class _Builder:
    def __init__(
        self, doc: LocatedDocument, overrides: SiteOverrides, known_checks: Mapping[str, KnownCheck] | None
    ) -> None:
        self.doc = doc
        self.overrides = overrides
        self.known_checks = known_checks
        self.problems: list[Problem] = []
        self.blocks: dict[str, _BlockDef] = {}

    def problem(self, loc: SourceLocation, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(loc, message, hint))

    # -- targets

    def target(self, raw: Any, doc: LocatedDocument, path: PathKey) -> Target:
        if isinstance(raw, str):
            return Target("text", (raw,))
        locators = [k for k in raw if k in LOCATOR_KEYS or k == "any"]
        if len(locators) != 1:
            found = f"found {' and '.join(locators)}" if locators else "found none"
            self.problem(
                doc.where(path),
                f"{describe_path(path)}: a target needs exactly one of {', '.join(LOCATOR_KEYS)} (or 'any'); {found}",
                "use 'any:' with a list to give alternatives",
            )
            return Target("text", ("?",))
        strategy = locators[0]
        within = self.target(raw["within"], doc, path + ("within",)) if "within" in raw else None
        if strategy == "any":
            alternatives = tuple(self.target(t, doc, path + ("any", i)) for i, t in enumerate(raw["any"]))
            return Target("any", alternatives=alternatives, nth=raw.get("nth"), within=within)
        if "name" in raw and strategy != "role":
            self.problem(
                doc.where(path + ("name",)),
                f"{describe_path(path)}: 'name' only goes with 'role'",
                f"write the wording as '{strategy}: …' alone, or use 'role: …' with 'name: …'",
            )
        if strategy == "role" and raw["role"] not in ARIA_ROLES:
            guess = difflib.get_close_matches(raw["role"], ARIA_ROLES, n=1)
            self.problem(
                doc.where_value(path + ("role",)),
                f"{describe_path(path)}: '{raw['role']}' is not an ARIA role",
                f"did you mean '{guess[0]}'?" if guess else "e.g. button, link, textbox, checkbox, heading",
            )
        return Target(
            strategy,
            texts(raw[strategy]),
            texts(raw.get("name")),
            bool(raw.get("exact", False)),
            raw.get("nth"),
            within,
        )

    # -- steps

    def steps(
        self,
        raw_steps: list[Any],
        doc: LocatedDocument,
        path: PathKey,
        params: dict[str, Any],
        declared: tuple[str, ...] | None,
        stack: tuple[tuple[str, SourceLocation], ...],
    ) -> list[Step]:
        result: list[Step] = []
        for index, raw in enumerate(raw_steps):
            step_path = path + (index,)
            loc = doc.where(step_path)
            actions = [k for k in raw if k in STEP_ACTIONS]
            if len(actions) != 1:
                if not actions:
                    self.problem(
                        loc, f"{describe_path(step_path)} has no action; expected one of: {', '.join(STEP_ACTIONS)}"
                    )
                else:
                    self.problem(
                        loc,
                        f"{describe_path(step_path)} does more than one thing ({' and '.join(actions)})",
                        "a step does one thing: split it into separate steps",
                    )
                continue
            action = actions[0]
            value = raw[action]
            self._check_placeholders(value, doc, step_path + (action,), declared)
            if action == "include":
                result += self._include(value, doc, step_path, params, stack)
                continue
            options = {
                "name": raw.get("name"),
                "timeout_s": parse_duration(raw["timeout"]) if "timeout" in raw else None,
                "counted": raw.get("count", True),
                "soft": raw.get("soft", False),
                "params": tuple(sorted(params.items())),
                "included_from": tuple(where for _, where in stack),
            }
            result.append(Step(action, self._step_args(action, value, doc, step_path + (action,)), loc, **options))
        return result

    def _step_args(self, action: str, value: Any, doc: LocatedDocument, path: PathKey) -> Any:
        parse = ACTION_BY_NAME[action].parse
        assert parse is not None  # include is expanded above
        return parse(value, _TargetReader(self, doc, path))

    def _include(
        self,
        value: Any,
        doc: LocatedDocument,
        step_path: PathKey,
        outer_params: dict[str, Any],
        stack: tuple[tuple[str, SourceLocation], ...],
    ) -> list[Step]:
        name = value if isinstance(value, str) else value["block"]
        given = {} if isinstance(value, str) else dict(value.get("with", {}))
        loc = doc.where(step_path)
        block = self.blocks.get(name)
        if block is None:
            guess = difflib.get_close_matches(name, list(self.blocks), n=1)
            known = ", ".join(self.blocks) or "none are defined"
            self.problem(
                loc,
                f"include: there is no block '{name}' (blocks here: {known})",
                f"did you mean '{guess[0]}'?"
                if guess
                else "define it under 'blocks:' or list its file under 'imports:'",
            )
            return []
        if name in [n for n, _ in stack]:
            chain = " -> ".join([n for n, _ in stack] + [name])
            self.problem(loc, f"include cycle: {chain}", "a block must not include itself, directly or through others")
            return []
        unknown = [k for k in given if k not in block.params]
        missing = [p for p in block.params if p not in given]
        if unknown:
            self.problem(
                loc,
                f"include '{name}': unknown parameter {', '.join(unknown)}; the block takes: {', '.join(block.params) or 'none'}",
            )
        if missing:
            self.problem(loc, f"include '{name}': parameter {', '.join(missing)} is missing", "give it under 'with:'")
        # Parameters may themselves use the includer's placeholders; they are filled in at run time.
        values = {
            k: (templating.render(str(v), {"params": outer_params}) if "{params." in str(v) else v)
            for k, v in given.items()
        }
        return self.steps(
            block.raw_steps, block.doc, block.path + ("steps",), values, block.params, stack + ((name, loc),)
        )

    def _check_placeholders(
        self, value: Any, doc: LocatedDocument, path: PathKey, declared: tuple[str, ...] | None
    ) -> None:
        if isinstance(value, str):
            for ref in templating.references(value):
                reason = templating.check_reference(ref, declared)
                if reason:
                    self.problem(doc.where_value(path), f"{describe_path(path)}: {reason}")
        elif isinstance(value, dict):
            for key, item in value.items():
                self._check_placeholders(item, doc, path + (key,), declared)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                self._check_placeholders(item, doc, path + (i,), declared)

    # -- whole file

    def collect_blocks(self, doc: LocatedDocument) -> None:
        for name, raw in (doc.data.get("blocks") or {}).items():
            if name in self.blocks:
                self.problem(
                    doc.where(("blocks", name)),
                    f"block '{name}' is defined twice (also at {self.blocks[name].doc.where(self.blocks[name].path)})",
                )
                continue
            self.blocks[name] = _BlockDef(name, tuple(raw.get("params", ())), raw["steps"], doc, ("blocks", name))

    def site(self) -> Site:
        raw = self.doc.data["site"]
        loc = self.doc.where(("site",))
        environments = dict(raw.get("environments", {}))
        base_url = raw.get("base_url")
        if self.overrides.site_env:
            if self.overrides.site_env in environments:
                base_url = environments[self.overrides.site_env]
            else:
                self.problem(
                    loc,
                    f"site '{raw['name']}' has no environment '{self.overrides.site_env}' "
                    f"(environments here: {', '.join(environments) or 'none'})",
                )
        base_url = self.overrides.base_url or base_url
        if not base_url and self.overrides.require_base_url:
            self.problem(
                loc,
                f"site '{raw['name']}' has no base URL; expected 'base_url: https://…' under 'site:'",
                "or pass --base-url URL, or set JOURNEYTEST_BASE_URL",
            )
        mail_in = self.overrides.mail_in or raw.get("mail_in")
        return Site(raw["name"], base_url.rstrip("/") if base_url else None, environments, loc, mail_in)

    def checks(self) -> tuple[dict[str, dict[str, Any] | None], bool]:
        raw = self.doc.data.get("checks", {})
        if raw is False:
            return {}, True
        known = self.known_checks
        chosen: dict[str, dict[str, Any] | None] = {}
        for name, options in raw.items():
            spec = known.get(name) if known is not None else None
            if known is not None and spec is None:
                guess = difflib.get_close_matches(name, list(known), n=1)
                self.problem(
                    self.doc.where(("checks", name)),
                    f"checks: there is no check '{name}'; known checks: {', '.join(sorted(known))}",
                    f"did you mean '{guess[0]}'?" if guess else None,
                )
                continue
            if options is False:
                chosen[name] = None
                continue
            options = {} if options is True else options
            if spec is not None:
                self._check_options(name, spec, options)
            chosen[name] = options
        return chosen, False

    def _check_options(self, name: str, spec: KnownCheck, options: dict[str, Any]) -> None:
        for key in options:
            if key not in spec.defaults:
                guess = difflib.get_close_matches(key, list(spec.defaults), n=1)
                self.problem(
                    self.doc.where(("checks", name, key)),
                    f"checks: {name} has no option '{key}'; its options: {', '.join(spec.defaults) or 'none'}",
                    f"did you mean '{guess[0]}'?" if guess else None,
                )
        for key, value in options.items():
            expected = _option_type(spec.defaults.get(key))
            if expected is not None and value is not None and not _is_a(value, expected[0]):
                self.problem(
                    self.doc.where_value(("checks", name, key)),
                    f"checks: {name}: {key} is {value!r}; expected {expected[1]} (default {spec.defaults[key]!r})",
                )
        for key, allowed in spec.choices.items():
            if key in options and options[key] not in allowed:
                guess = difflib.get_close_matches(str(options[key]), [str(a) for a in allowed], n=1)
                self.problem(
                    self.doc.where_value(("checks", name, key)),
                    f"checks: {name}: {key} is {options[key]!r}; expected one of {', '.join(map(str, allowed))}",
                    f"did you mean '{guess[0]}'?" if guess else None,
                )
        journeys = list(self.doc.data.get("journeys") or {})
        for key in spec.journey_options:  # options that name a journey of this file
            named = options.get(key)
            if named is not None and named not in journeys:
                guess = difflib.get_close_matches(str(named), journeys, n=1)
                self.problem(
                    self.doc.where_value(("checks", name, key)),
                    f"checks: {name}: {key} names '{named}', which is not a journey in this file "
                    f"(journeys here: {', '.join(journeys)})",
                    f"did you mean '{guess[0]}'?" if guess else None,
                )

    def journeys(self, step_timeout_s: float) -> dict[str, Journey]:
        raw_journeys: dict[str, Any] = self.doc.data["journeys"]
        journeys: dict[str, Journey] = {}
        for name, raw in raw_journeys.items():
            path = ("journeys", name)
            needs = raw.get("needs")
            if needs is not None and needs not in raw_journeys:
                guess = difflib.get_close_matches(needs, list(raw_journeys), n=1)
                self.problem(
                    self.doc.where_value(path + ("needs",)),
                    f"journey '{name}' needs '{needs}', which is not in this file (journeys here: {', '.join(raw_journeys)})",
                    f"did you mean '{guess[0]}'?" if guess else None,
                )
                needs = None
            steps = self.steps(raw["steps"], self.doc, path + ("steps",), {}, None, ())
            journeys[name] = Journey(
                name=name,
                kind=raw["kind"],
                steps=tuple(steps),
                location=self.doc.where(path),
                description=raw.get("description"),
                needs=needs,
                tags=tuple(raw.get("tags", ())),
                retries=raw.get("retries"),
                step_timeout_s=parse_duration(raw["step_timeout"]) if "step_timeout" in raw else step_timeout_s,
            )
        for name in journeys:
            seen = [name]
            current = journeys[name].needs
            while current is not None:
                if current in seen:
                    self.problem(
                        journeys[name].location,
                        f"journeys need each other in a circle: {' -> '.join(seen + [current])}",
                    )
                    journeys = {k: replace(v, needs=None) for k, v in journeys.items()}
                    break
                seen.append(current)
                current = journeys[current].needs
        self._check_captured(journeys)
        return journeys

    def _check_captured(self, journeys: dict[str, Journey]) -> None:
        """`{captured.NAME}` must be captured before it is used: earlier in the journey, or in a journey it needs."""

        def captures(journey: Journey) -> list[str]:
            return [step.args.name for step in journey.steps if isinstance(step.args, Capture)]

        for journey in journeys.values():
            available: list[str] = []
            current = journey.needs
            while current is not None and current in journeys:
                available += captures(journeys[current])
                current = journeys[current].needs
            for number, step in enumerate(journey.steps, 1):
                for text in strings_of(step.args):
                    for ref in templating.references(text):
                        head, _, name = ref.partition(".")
                        if head == "captured" and name not in available:
                            later = captures(journey) + [n for j in journeys.values() for n in captures(j)]
                            guess = difflib.get_close_matches(name, list(dict.fromkeys(available + later)), n=1)
                            if name in later:
                                hint = f"'{name}' is captured only later, or in a journey this one does not need"
                            elif guess:
                                hint = f"did you mean {{captured.{guess[0]}}}?"
                            else:
                                hint = "add a capture step before it, e.g. - capture: {name: " + name + ", after: …}"
                            self.problem(
                                step.location,
                                f"journey '{journey.name}', step {number}: {{captured.{name}}} "
                                "is not captured before this step, in this journey or a journey it needs"
                                + (f" (captured: {', '.join(available)})" if available else ""),
                                hint,
                            )

                if isinstance(step.args, Capture):
                    available.append(step.args.name)


def _option_type(default: Any) -> tuple[type, str] | None:
    """What a check option must be, judged by its default (None: anything, e.g. a journey's name)."""
    for kind, words in ((bool, "true or false"), (int, "a number"), (float, "a number"), (str, "text")):
        if isinstance(default, kind):
            return (float if kind is int else kind), words
    if isinstance(default, list | tuple):
        return list, "a list"
    if isinstance(default, dict):
        return dict, "a mapping (key: value lines)"
    return None


def _is_a(value: Any, kind: type) -> bool:
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, kind)


# The placeholders a persona's email pattern may use (persona.py fills them), besides {env.NAME}.
EMAIL_PATTERN_FIELDS = ("unique", "run_id", "first_name", "last_name")


def persona_problems(doc: LocatedDocument, environ: Mapping[str, str] | None) -> list[Problem]:
    """What would stop the run from making this file's customer: an unknown Faker locale, an email pattern
    naming what it cannot hold, a password from an environment variable that is not set (checked when
    `environ` is given: the run's own environment)."""
    raw = doc.data.get("persona") or {}
    problems = []
    locale = raw.get("locale")
    if isinstance(locale, str) and locale not in AVAILABLE_LOCALES:
        guess = difflib.get_close_matches(locale, AVAILABLE_LOCALES, n=1)
        problems.append(
            Problem(
                doc.where_value(("persona", "locale")),
                f"persona.locale '{locale}' is not a locale Faker knows"
                + (f"; did you mean '{guess[0]}'?" if guess else ""),
                "for example en_US, fi_FI, sv_SE, de_DE, fr_FR, es_ES",
            )
        )
    email = raw.get("email")
    if isinstance(email, str):
        for name in templating.references(email):
            if name not in EMAIL_PATTERN_FIELDS and not name.startswith("env."):
                problems.append(
                    Problem(
                        doc.where_value(("persona", "email")),
                        f"persona.email may use {', '.join('{' + f + '}' for f in EMAIL_PATTERN_FIELDS)} and "
                        f"{{env.NAME}}; it names {{{name}}}",
                    )
                )
    for field_name in ("email", "password"):
        value = raw.get(field_name)
        if not isinstance(value, str):
            continue
        for name in templating.references(value):
            head, _, variable = name.partition(".")
            if field_name == "password" and head != "env":
                problems.append(
                    Problem(
                        doc.where_value(("persona", "password")),
                        f"persona.password may only name an environment variable ({{env.NAME}}); it names {{{name}}}",
                    )
                )
            elif head == "env" and environ is not None and variable and variable not in environ:
                problems.append(
                    Problem(
                        doc.where_value(("persona", field_name)),
                        f"persona.{field_name} uses {{env.{variable}}}, and {variable} is not set in this environment",
                        f"set {variable} before the run (in CI, as a secret variable)",
                    )
                )
    return problems


def _persona(raw: dict[str, Any] | None) -> PersonaSpec:
    raw = raw or {}
    return PersonaSpec(
        **{k: raw[k] for k in ("locale", "email", "password", "first_name", "last_name", "phone", "seed") if k in raw}
    )


def load_scenario(
    path: str | Path,
    overrides: SiteOverrides | None = None,
    known_checks: Mapping[str, KnownCheck] | None = None,
    display: str | None = None,
) -> Scenario:
    """Load and validate one scenario file; raise ScenarioError listing every problem found.

    `known_checks` (a Registry's checks) validates the file's `checks:` section: names, options, choices.
    Without it the section is taken as written; `journeytest.load_scenario` passes the built-in registry.
    """
    overrides = overrides or SiteOverrides()
    doc = load_located(path, display=display)
    problems = schema_problems(doc)
    if problems:
        raise ScenarioError(problems)
    builder = _Builder(doc, overrides, known_checks)
    for index, rel in enumerate(doc.data.get("imports", [])):
        library_path = Path(path).parent / rel
        loc = doc.where_value(("imports", index))
        if not str(rel).endswith(BLOCK_LIBRARY_SUFFIXES):
            builder.problem(loc, f"imports: '{rel}' is not a block library; expected a file ending in .blocks.yaml")
            continue
        if not library_path.is_file():
            builder.problem(loc, f"imports: file '{rel}' does not exist (looked for {library_path})")
            continue
        library = load_located(library_path, display=str(Path(display).parent / rel) if display else None)

        library_problems = schema_problems(library, _library_validator())
        if library_problems:
            raise ScenarioError(library_problems)
        builder.collect_blocks(library)
    builder.collect_blocks(doc)
    builder.problems += persona_problems(doc, os.environ if overrides.check_environment else None)
    defaults = doc.data.get("defaults", {})
    step_timeout_s = parse_duration(defaults["step_timeout"]) if "step_timeout" in defaults else DEFAULT_STEP_TIMEOUT_S
    site = builder.site()
    persona = _persona(doc.data.get("persona"))
    journeys = builder.journeys(step_timeout_s)
    checks, checks_off = builder.checks()
    if builder.problems:
        raise ScenarioError(builder.problems)
    return Scenario(
        display or str(path),
        site,
        persona,
        journeys,
        step_timeout_s,
        defaults.get("retries"),
        checks,
        checks_off,
        dict(doc.data.get("wording", {})),
        tuple(doc.data.get("rules", ())),
        bool(doc.data.get("allow_payments", False)),
    )
