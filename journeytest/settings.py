"""One frozen Settings for a run, from the command line, JOURNEYTEST_* variables and ini keys.

Every journeytest option is declared once in OPTIONS: its flag, its environment
variable (where it has one), its ini key and how its value is read. The plugin
registers them with pytest and builds Settings once per process; `journeytest
validate` builds the same Settings without pytest. Nothing else reads options or
JOURNEYTEST_* variables (the IMAP credentials aside, which the mailbox reads itself so
that they are never copied anywhere).

Precedence: command line, then environment variable, then ini key (pytest.ini,
pyproject.toml's [tool.pytest.ini_options], tox.ini, setup.cfg), then the default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from .errors import SettingsError
from .scenario import Scenario, SiteOverrides, parse_duration
from .wording import Wording

Kind = Literal["text", "path", "optional_path", "duration", "timeout", "int", "flag", "paths", "choice"]
OFF = ("", "none", "off")


@dataclass(frozen=True)
class Option:
    """One journeytest option: `--flag`, its ini key, its variable, and how a value is read."""

    field: str
    flag: str
    kind: Kind
    help: str
    default: Any = None
    metavar: str | None = None
    env: str | None = None
    choices: tuple[str, ...] = ()

    @property
    def ini(self) -> str:
        name = self.flag.lstrip("-").replace("-", "_")
        return name if name.startswith("journeytest_") else f"journeytest_{name}"


OPTIONS: tuple[Option, ...] = (
    Option(
        "browser_path",
        "--browser-path",
        "text",
        metavar="PATH",
        env="JOURNEYTEST_BROWSER_PATH",
        help="Chromium/Chrome binary to drive (default: Playwright's own, else a system Chromium).",
    ),
    Option(
        "site_env",
        "--site-env",
        "text",
        metavar="NAME",
        env="JOURNEYTEST_SITE_ENV",
        help="Use the base URL the scenario lists under site.environments.NAME (e.g. staging).",
    ),
    Option(
        "journey_retries",
        "--journey-retries",
        "int",
        metavar="N",
        help="Retries for a failing journey when its file does not say (default 0). "
        "A journey that passes on a retry is reported as 'flaky'.",
    ),
    Option(
        "step_timeout_s",
        "--step-timeout",
        "timeout",
        metavar="DURATION",
        help="How long each step may wait for the page, e.g. 5s (overrides the scenario files).",
    ),
    Option(
        "smtp_sink",
        "--smtp-sink",
        "text",
        metavar="[HOST:]PORT",
        help="Start journeytest's SMTP sink on 127.0.0.1:PORT (0: any free port) and read mail from it; "
        "point the site's SMTP there. Messages are kept in --mail-store.",
    ),
    Option(
        "mail_store",
        "--mail-store",
        "path",
        metavar="DIR",
        env="JOURNEYTEST_MAIL_STORE",
        help="Where the SMTP sink keeps messages (default: journeytest-results/mail/RUN_ID); also where "
        "`journeytest sendmail` stores them. Not inside --output, which pytest-playwright empties at the start of "
        "every session.",
    ),
    Option(
        "mail_in",
        "--mail-in",
        "text",
        metavar="smtp://HOST:PORT",
        env="JOURNEYTEST_MAIL_IN",
        help="Where the site takes mail from customers (smtp:// or lmtp://HOST:PORT), for reply_email steps "
        "(overrides site.mail_in).",
    ),
    Option(
        "fail_on_warn",
        "--fail-on-warn",
        "flag",
        default=False,
        help="Make a check that ends in WARN fail the run (by default WARN passes and is listed in the summary).",
    ),
    Option(
        "wording_dirs",
        "--wording-dir",
        "paths",
        default=(),
        metavar="DIR",
        help="A folder of extra wording lists (CONCEPT.yaml with a list per language) for the checks; may be "
        "given more than once.",
    ),
    Option(
        "results_path",
        "--journeytest-results",
        "optional_path",
        default="journeytest-results/results.jsonl",
        metavar="PATH",
        help="The results file (JSON Lines, schema: `journeytest schema --results`), one line written as each "
        "journey or check finishes, so a run that is killed half-way keeps what it finished "
        "(default: journeytest-results/results.jsonl; 'none' to write none).",
    ),
    Option(
        "report_option",
        "--journeytest-report",
        "text",
        metavar="PATH",
        help="The self-contained HTML report written at the end (default: report.html beside the results file; "
        "'none' to write none).",
    ),
    Option(
        "history_path",
        "--history",
        "optional_path",
        default="journeytest-results/history.sqlite",
        metavar="PATH",
        help="SQLite file that remembers every run's figures; journeys and checks that got worse since the "
        "last run are reported as failures (history:regressions). 'none' to turn it off.",
    ),
    Option(
        "step_screenshots",
        "--step-screenshots",
        "choice",
        default="screens",
        choices=("screens", "on", "off"),
        help="Pictures of the steps for the HTML report: 'screens' (default) takes one whenever a step leads to "
        "a new screen and shows it for the steps on that screen; 'on' takes one after every step "
        "(about 40 ms each); 'off' takes none.",
    ),
    Option(
        "user_agent",
        "--user-agent",
        "text",
        metavar="TEXT",
        help="The browser's user agent (default: the browser's own, followed by journeytest/VERSION, so site "
        "owners can tell an audit from a customer).",
    ),
    Option(
        "action_interval_s",
        "--action-interval",
        "duration",
        default=0.0,
        metavar="DURATION",
        help="Wait at least this long between actions (e.g. 1s), to go easy on a production site.",
    ),
    Option(
        "allow_payments",
        "--allow-payments",
        "flag",
        default=False,
        help="Let journeys press buttons that pay or order even where the scenario does not say "
        "allow_payments: true (by default such a click is refused).",
    ),
    Option(
        "dry_run",
        "--dry-run",
        "flag",
        default=False,
        help="Validate every file and resolve every placeholder, list the steps (and any that would pay), "
        "but open no browser and send nothing.",
    ),
    Option(
        "mailbox",
        "--mailbox",
        "text",
        metavar="SPEC",
        env="JOURNEYTEST_MAILBOX",
        help="Read mail from dir:PATH (a folder of messages: journeytest's own store, or .eml files a site's "
        "sendmail wrote), maildir:PATH, mbox:PATH, imap://USER@HOST:PORT/FOLDER (password in "
        "JOURNEYTEST_IMAP_PASSWORD) or mailpit://HOST:PORT / mailhog://HOST:PORT. journeytest never changes a "
        "mailbox it reads; each journey keeps masked copies of its mail in its evidence.",
    ),
)

# Options that other plugins own, read into Settings too: pytest-base-url's and pytest-playwright's.
BORROWED: dict[str, str] = {
    "base_url": "--base-url",
    "output_dir": "--output",
    "tracing": "--tracing",
    "screenshot": "--screenshot",
    "browser_channel": "--browser-channel",
}
BASE_URL_VARIABLE = "JOURNEYTEST_BASE_URL"


@dataclass(frozen=True)
class Settings:
    """Everything a run was asked to do, read once."""

    browser_path: str | None = None
    site_env: str | None = None
    base_url: str | None = None
    journey_retries: int | None = None
    step_timeout_s: float | None = None
    smtp_sink: str | None = None
    mail_store: Path | None = None
    mail_in: str | None = None
    fail_on_warn: bool = False
    wording_dirs: tuple[Path, ...] = ()
    results_path: Path | None = None
    report_option: str | None = None
    history_path: Path | None = None
    step_screenshots: str = "screens"
    user_agent: str | None = None
    action_interval_s: float = 0.0
    allow_payments: bool = False
    dry_run: bool = False
    mailbox: str | None = None
    output_dir: Path = Path("test-results")
    tracing: str = "off"
    screenshot: str = "off"
    browser_channel: str | None = None

    @classmethod
    def resolve(
        cls, given: Mapping[str, Any], ini: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
    ) -> Settings:
        """Settings from command-line values (None where not given), ini values and the environment."""
        ini, environ = ini or {}, environ or {}
        values: dict[str, Any] = {}
        for option in OPTIONS:
            raw = given.get(option.field)
            source = option.flag
            if raw is None or raw == [] or raw is False and option.kind == "flag":
                if option.env and environ.get(option.env):
                    raw, source = environ[option.env], option.env
                elif ini.get(option.ini) not in (None, "", []):
                    raw, source = ini[option.ini], f"ini key {option.ini}"
                else:
                    raw = option.default
            values[option.field] = _read(option, raw, source)
        for name in BORROWED:
            if given.get(name) is not None:
                values[name] = Path(given[name]) if name == "output_dir" else given[name]
        if not values.get("base_url") and environ.get(BASE_URL_VARIABLE):
            values["base_url"] = environ[BASE_URL_VARIABLE]
        return cls(**values)

    @property
    def report_path(self) -> Path | None:
        """The HTML report: the option, else report.html beside the results file; None when turned off."""
        if self.report_option is not None:
            return None if self.report_option.lower() in OFF else Path(self.report_option).absolute()
        return self.results_path.with_name("report.html") if self.results_path is not None else None

    def site_overrides(self, require_base_url: bool = True) -> SiteOverrides:
        """How a run (or `journeytest validate`) reads its files: what the command line says beats the file,
        and the environment variables the persona names must be set."""
        return SiteOverrides(
            self.base_url or None, self.site_env or None, require_base_url, self.mail_in or None, check_environment=True
        )

    def wording_for(self, scenario: Scenario) -> Wording:
        """The built-in wording lists, plus --wording-dir folders, plus the file's own `wording:`."""
        return _wording(self.wording_dirs, tuple((k, tuple(v)) for k, v in sorted(scenario.wording.items())))

    def retries(self) -> int:
        return self.journey_retries if self.journey_retries is not None else 0

    def as_header(self) -> dict[str, Any]:
        """What the results file's header says about how the run was asked for."""
        return {
            "dry_run": self.dry_run,
            "tracing": self.tracing,
            "retries": self.journey_retries,
            "output_dir": str(self.output_dir.absolute()),  # where its pictures are: the report embeds from there
        }


@lru_cache(maxsize=64)
def _wording(dirs: tuple[Path, ...], extra: tuple[tuple[str, tuple[str, ...]], ...]) -> Wording:
    return Wording.load(list(dirs), {concept: list(phrases) for concept, phrases in extra})


def _read(option: Option, raw: Any, source: str) -> Any:
    """A raw value (text from the command line, an ini file or a variable) as the option's type."""
    if option.kind == "flag":
        return raw if isinstance(raw, bool) else str(raw).strip().lower() in ("1", "true", "yes", "on")
    if raw is None:
        return None
    if option.kind == "paths":
        items = raw if isinstance(raw, list | tuple) else str(raw).split()
        return tuple(Path(str(item)) for item in items)
    if option.kind == "path":
        return Path(str(raw)).absolute()
    if option.kind == "optional_path":
        return None if str(raw).lower() in OFF else Path(str(raw)).absolute()
    if option.kind in ("duration", "timeout"):
        try:
            seconds = parse_duration(raw) if not isinstance(raw, str) or raw.strip() else 0.0
        except ValueError:
            raise SettingsError(f"{source}: {raw!r} is not a duration; expected e.g. '500ms', '5s' or '1.5m'") from None
        if option.kind == "timeout" and seconds <= 0:
            raise SettingsError(
                f"{source}: {raw!r} is no timeout (0 would wait forever); give a positive one, e.g. '5s'"
            )
        return seconds
    if option.kind == "int":
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise SettingsError(f"{source}: {raw!r} is not a whole number") from None
    if option.kind == "choice" and str(raw) not in option.choices:
        raise SettingsError(f"{source}: {raw!r} is not one of {', '.join(option.choices)}")
    return str(raw)
