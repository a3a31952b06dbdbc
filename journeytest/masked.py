"""Secret values that stay secret when shown.

A secret (a persona's password, an `{env.NAME}` value, the IMAP password) is a `Secret`: a string wherever
it is used (typed into a page, sent to a server), masked wherever Python shows it with `repr`: pytest's
`--showlocals` (-l), assertion rewriting, JUnit XML, a dataclass's or a dict's repr.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

MASK = "'••••••'"


class Secret(str):
    """A string whose repr never shows it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return MASK


class SecretEnvironment(Mapping[str, str]):
    """The environment as placeholders read it (`{env.NAME}`): every value a Secret, the whole shown as a count."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ

    def __getitem__(self, name: str) -> str:
        return Secret(self._environ[name])

    def __iter__(self) -> Iterator[str]:
        return iter(self._environ)

    def __len__(self) -> int:
        return len(self._environ)

    def __repr__(self) -> str:
        return f"<environment: {len(self._environ)} variables, values masked>"
