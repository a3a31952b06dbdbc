"""Read YAML while remembering where every value came from.

PyYAML's ordinary loaders forget line numbers; error messages for product
owners need them. We compose the node tree, turn it into plain Python values
and keep a map from each value's path (tuple of keys/indices) to its position.
Plain safe YAML only: no tags that construct objects, no code execution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, ScenarioError, SourceLocation

PathKey = tuple[str | int, ...]
VALUE = "\x00value"  # path suffix for where a mapping entry's value (not its key) starts


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
        try:
            text = Path(path).read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ScenarioError(
                [Problem(SourceLocation(display, 1, 1), f"the file is not UTF-8 text ({exc.reason})")]
            ) from None
    try:
        nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
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
    doc.data = _convert(nodes[0], (), doc, problems)
    if problems:
        raise ScenarioError(problems)
    return doc


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


def _convert(node: yaml.Node, key_path: PathKey, doc: LocatedDocument, problems: list[Problem]) -> Any:
    # A mapping entry is located at its key (set by the caller), anything else at its node.
    doc.positions.setdefault(key_path, _location(doc.path, node))
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
            result[key] = _convert(value_node, key_path + (key,), doc, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, key_path + (i,), doc, problems) for i, item in enumerate(node.value)]
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value  # dates stay text: the schema and templates work on strings
    if node.tag not in _ALLOWED_SCALAR_TAGS:
        problems.append(Problem(_location(doc.path, node), f"YAML tag {node.tag} is not supported in scenario files"))
        return None
    return _scalar_constructor.construct_object(node)


_ALLOWED_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
