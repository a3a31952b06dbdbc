"""Read YAML while remembering where every value came from.

PyYAML's ordinary loaders forget line numbers; error messages for product
owners need them. We compose the node tree, turn it into plain Python values
and keep a map from each value's path (tuple of keys/indices) to its position.
Plain safe YAML only: no tags that construct objects, no code execution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, ScenarioError, SourceLocation

PathKey = tuple[str | int, ...]
VALUE = "\x00value"  # path suffix for where a mapping entry's value (not its key) starts
# A scenario is a page or two of YAML; these bounds keep a hostile or broken file from taking the run down
# with it (a 693-byte "billion laughs" alias bomb expands to billions of values; 10,000 '[' recurse).
MAX_FILE_BYTES = 1_000_000
MAX_VALUES = 20_000
MAX_DEPTH = 50


# MAX_DEPTH openers in a row ("[[[[…"): PyYAML's scanner spends quadratic time on such a run before the
# composer could refuse it, so it is refused from the text.
_OPENERS_IN_A_ROW = re.compile(r"(?:[\[{][ \t\r\n]*){" + str(MAX_DEPTH + 1) + "}")


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing to compose deeper than MAX_DEPTH: its composer recurses per level, and
    10,000 '[' would end in a RecursionError after seconds instead of a located problem at once."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark)  # type: ignore[no-untyped-call]
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


@dataclass
class LocatedDocument:
    """A YAML document as plain data plus a path -> location index."""

    path: str
    data: Any
    positions: dict[PathKey, SourceLocation] = field(default_factory=dict)

    def where_value(self, key_path: PathKey) -> SourceLocation:
        """Where the value at a path starts (for 'wrong type' errors)."""
        return self.positions.get(tuple(key_path) + (VALUE,)) or self.where(key_path)

    def where(self, key_path: PathKey) -> SourceLocation:
        """The closest known location for a path, walking up to its parents."""
        probe = tuple(key_path)
        while probe:
            if probe in self.positions:
                return self.positions[probe]
            probe = probe[:-1]
        return self.positions.get((), SourceLocation(self.path, 1, 1))


def _location(path: str, node: yaml.Node) -> SourceLocation:
    mark = node.start_mark
    return SourceLocation(path, mark.line + 1, mark.column + 1)


def load_located(path: str | Path, text: str | None = None, display: str | None = None) -> LocatedDocument:
    """Parse one YAML file; raise ScenarioError with the position of the first syntax problem.

    `display` is how messages name the file (pytest's name for it), when that is not the path it is read from."""
    display = display or str(path)

    if text is None:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError(
                [
                    Problem(
                        SourceLocation(display, 1, 1),
                        f"the file is {size / 1_000_000:.1f} MB; a scenario file may be at most "
                        f"{MAX_FILE_BYTES // 1_000_000} MB",
                        "split it into several files, or move reusable steps into a .blocks.yaml library",
                    )
                ]
            )
        try:
            text = Path(path).read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ScenarioError(
                [Problem(SourceLocation(display, 1, 1), f"the file is not UTF-8 text ({exc.reason})")]
            ) from None
    run = _OPENERS_IN_A_ROW.search(text)
    if run:
        line, column = _line_and_column(text, run.start())
        raise ScenarioError(
            [Problem(SourceLocation(display, line, column), f"the file is nested more than {MAX_DEPTH} levels deep")]
        )
    try:
        nodes = list(yaml.compose_all(text, Loader=_BoundedLoader))
    except _TooDeep as too_deep:
        raise ScenarioError(
            [
                Problem(
                    _location_of_mark(display, too_deep.mark), f"the file is nested more than {MAX_DEPTH} levels deep"
                )
            ]
        ) from None
    except yaml.reader.ReaderError as exc:
        line, column = _line_and_column(text, exc.position)
        raise ScenarioError(
            [
                Problem(
                    SourceLocation(display, line, column),
                    f"the file holds a control character ({_character(exc.character)}), which YAML does not allow",
                    "remove it; write special characters in a double-quoted string as an escape such as \\u0007",
                )
            ]
        ) from None
    except RecursionError:
        raise ScenarioError(
            [Problem(SourceLocation(display, 1, 1), f"the file is nested more than {MAX_DEPTH} levels deep")]
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = SourceLocation(display, mark.line + 1, mark.column + 1) if mark else SourceLocation(display, 1, 1)
        raise ScenarioError(
            [
                Problem(
                    loc,
                    f"this is not valid YAML: {_plain_yaml_problem(exc)}",
                    "check indentation and that every 'key: value' has a space after the colon",
                )
            ]
        ) from None
    if not nodes:
        raise ScenarioError(
            [Problem(SourceLocation(display, 1, 1), "the file is empty", "a scenario needs 'site' and 'journeys'")]
        )
    if len(nodes) > 1:
        raise ScenarioError(
            [
                Problem(
                    _location(display, nodes[1]),
                    "a scenario file holds one YAML document, found a second one after '---'",
                )
            ]
        )
    doc = LocatedDocument(display, None)
    problems: list[Problem] = []
    doc.data = _Converter(doc, problems).convert(nodes[0], ())
    if problems:
        raise ScenarioError(problems)
    return doc


def _location_of_mark(path: str, mark: yaml.Mark) -> SourceLocation:
    return SourceLocation(path, mark.line + 1, mark.column + 1)


def _line_and_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _character(code: int | str) -> str:
    number = code if isinstance(code, int) else ord(code)
    return {0: "NUL, U+0000"}.get(number, f"U+{number:04X}")


def _plain_yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's parser words, translated for people who are not parser writers."""
    problem = (exc.problem or "").strip()
    if "found character '\\t'" in problem:
        return "a tab character; YAML is indented with spaces only"
    if "mapping values are not allowed" in problem:
        return "a ':' where none was expected (put text that contains ': ' in quotes)"
    if "<block end>" in problem or "expected <block" in problem or "did not find expected" in problem:
        return "this line's indentation does not line up with the lines above it"
    if "could not find expected ':'" in problem:
        return "a line without 'key: value' inside a mapping"
    if "found undefined alias" in problem or "found unhashable key" in problem:
        return problem
    context = f" {exc.context}" if exc.context else ""
    return f"{problem or 'invalid YAML'}{context}"


_scalar_constructor = yaml.SafeLoader("")


class _TooBig(Exception):
    """Raised inside the conversion when the document grows past a bound; becomes one located problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class _Converter:
    """Turns the node tree into plain values, counting them: aliases ('*name') repeat a part of the document,
    so a few hundred bytes can stand for billions of values, and an alias inside its own anchor for infinity."""

    def __init__(self, doc: LocatedDocument, problems: list[Problem]) -> None:
        self.doc, self.problems = doc, problems
        self.values = 0
        self.open: set[int] = set()  # the nodes being converted, outermost to here

    def convert(self, node: yaml.Node, key_path: PathKey) -> Any:
        try:
            return self._convert(node, key_path)
        except _TooBig as too_big:
            self.problems.append(too_big.problem)
            return None

    def _convert(self, node: yaml.Node, key_path: PathKey) -> Any:
        doc = self.doc
        self.values += 1
        if self.values > MAX_VALUES:
            raise _TooBig(
                Problem(
                    _location(doc.path, node),
                    f"the file stands for more than {MAX_VALUES:,} values (aliases like '*name' repeat other "
                    "parts of it)",
                    "write the steps out, or share them as blocks with 'include'",
                )
            )
        if len(self.open) >= MAX_DEPTH:
            raise _TooBig(Problem(_location(doc.path, node), f"the file is nested more than {MAX_DEPTH} levels deep"))
        if id(node) in self.open:
            raise _TooBig(Problem(_location(doc.path, node), "an alias ('*name') refers to the block that holds it"))
        if not isinstance(node, yaml.ScalarNode):
            self.open.add(id(node))
        try:
            return self._value(node, key_path)
        finally:
            self.open.discard(id(node))

    def _value(self, node: yaml.Node, key_path: PathKey) -> Any:
        doc, problems = self.doc, self.problems
        # A mapping entry is located at its key (set by the caller), anything else at its node.
        doc.positions.setdefault(key_path, _location(doc.path, node))
        if node.tag not in _ALLOWED_TAGS:
            problems.append(
                Problem(_location(doc.path, node), f"YAML tag {node.tag} is not supported in scenario files")
            )
            return None
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    problems.append(
                        Problem(
                            _location(doc.path, key_node),
                            "YAML merge keys ('<<') are not supported",
                            "use 'include' for reusable steps",
                        )
                    )
                    continue
                key = _scalar_constructor.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, (str, int, float, bool)) or key is None:
                    problems.append(Problem(_location(doc.path, key_node), "a key must be plain text"))
                    continue
                key = str(key)
                if key in result:
                    problems.append(
                        Problem(
                            _location(doc.path, key_node),
                            f"'{key}' appears twice in the same block",
                            "YAML keeps only the last one; remove or rename one",
                        )
                    )
                doc.positions[key_path + (key,)] = _location(doc.path, key_node)
                doc.positions[key_path + (key, VALUE)] = _location(doc.path, value_node)
                result[key] = self._convert(value_node, key_path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self._convert(item, key_path + (i,)) for i, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # dates stay text: the schema and templates work on strings
        return _scalar_constructor.construct_object(node)


# Plain data only: a tag that builds objects (!!python/object, !!set, !!binary, !custom) is refused where it stands.
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
