"""The HTML report: one self-contained file a product owner opens from disk or a CI artifact.

Everything in it comes from the results file. Everything from the site (page text,
URLs, emails) is escaped; an email's HTML is shown in a sandboxed frame that may not
run script; a Content-Security-Policy forbids script and every network fetch; images
are embedded. Secrets arrive masked (as their placeholder names) and are highlighted.
"""

from __future__ import annotations

import base64
import contextvars
import re
import time
from collections import defaultdict
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from ..record.masking import TOKEN_MASK
from ..wording.counts import counted
from .results import RunResults

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-src 'self' about:; base-uri 'none'; form-action 'none'"
MASKED = re.compile(r"\{(?:persona\.(?:password|new_password)|env\.[A-Za-z_][A-Za-z0-9_]*|JOURNEYTEST_IMAP_PASSWORD)\}")
STYLE = """
body{font:15px/1.45 system-ui,sans-serif;max-width:72em;margin:1.5em auto;padding:0 1em;color:#1d1d1f;overflow-wrap:anywhere}
h1{font-size:1.5em}h2{margin-top:2em;border-bottom:2px solid #ddd}h3{margin:1.4em 0 .3em}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:.3em .5em;text-align:left;vertical-align:top}
.badge{display:inline-block;min-width:3.5em;text-align:center;border-radius:3px;padding:0 .4em;font-weight:600;color:#fff}
.PASS,.passed{background:#1a7f37}.WARN,.flaky{background:#b7791f}.FAIL,.failed{background:#c62828}.SKIP,.skipped{background:#888}.INCONCLUSIVE{background:#5c6bc0}
.evidence{max-width:48em}.muted{color:#666;font-size:.9em}.error{background:#fdecea;padding:.5em;white-space:pre-wrap}
details summary{cursor:pointer}img.thumb{width:160px;border:1px solid #ccc}.error+details img.thumb,.error+div+details img.thumb{width:320px}img.full{max-width:100%;border:1px solid #999}
pre{white-space:pre-wrap;background:#f6f8fa;padding:.6em;max-height:24em;overflow:auto}
mark.secret{background:#ffd54f;font-weight:600}iframe.email{width:100%;height:18em;border:1px solid #ccc;background:#fff}
.regression{border-left:4px solid #c62828;padding-left:.6em}svg text{font:12px system-ui,sans-serif}
td.nowrap,th{white-space:nowrap;overflow-wrap:normal}svg.effort-chart{max-width:100%;height:auto}
ul.fails,ul.warns,ul.unjudged{margin:.2em 0 .8em;padding-left:1.2em}.site-failing li{margin:.2em 0}
h5{font-size:1em;margin:1em 0 .3em}h3.file{font-family:ui-monospace,monospace;font-size:1.05em;background:#f6f8fa;padding:.2em .4em}
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _highlight(escaped: str) -> str:
    """Masked secrets stand out: here a password (or token) was, and the report does not show it."""
    marked = MASKED.sub(
        lambda m: f'<mark class="secret" title="a secret was here; it is masked">{m.group(0)}</mark>', escaped
    )
    return marked.replace(
        TOKEN_MASK, f'<mark class="secret" title="a one-time token was here; it is masked">{TOKEN_MASK}</mark>'
    )


# Where the pictures a report may embed live: under the results file's folder (set by render_report). A
# results file is data from outside; its "screenshot" must not make the report carry /etc/passwd.
_PICTURES_UNDER: contextvars.ContextVar[tuple[Path, ...] | None] = contextvars.ContextVar(
    "pictures_under", default=None
)
IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg"}


def _image(path: str | None, *, thumb: bool = True, label: str = "screenshot") -> str:
    if not path:
        return ""
    file = Path(path)
    if not file.is_file():
        return f'<span class="muted">({_e(label)} no longer on disk: {_e(path)})</span>'
    roots = _PICTURES_UNDER.get()
    if roots is not None and not any(file.resolve().is_relative_to(root) for root in roots):
        return f'<span class="muted">({_e(label)} not embedded: {_e(path)} is outside the results folder)</span>'
    with file.open("rb") as opened:
        head = opened.read(8)
    kind = next((k for magic, k in IMAGE_MAGIC.items() if head.startswith(magic)), None)
    if kind is None:
        return f'<span class="muted">({_e(label)} not embedded: {_e(path)} is no PNG or JPEG picture)</span>'
    data = f"data:image/{kind};base64,{base64.b64encode(file.read_bytes()).decode()}"
    if not thumb:
        return f'<img class="full" alt="{_e(label)}" src="{data}">'
    return (
        f'<details class="shot"><summary><img class="thumb" alt="{_e(label)}" src="{data}"></summary>'
        f'<img class="full" alt="{_e(label)} (full size)" src="{data}"></details>'
    )


def effort_chart(acquire: dict[str, Any], cancel: dict[str, Any]) -> str:
    """Acquire against cancel, side by side: clicks, fields, pages, seconds; inline SVG, each metric on its own scale."""
    metrics: list[tuple[str, Callable[[dict[str, Any]], float]]] = [
        ("clicks", lambda e: e.get("clicks", 0)),
        ("fields", lambda e: e.get("fields_filled", 0) + e.get("fields_chosen", 0)),
        ("pages", lambda e: e.get("distinct_pages", 0)),
        ("seconds", lambda e: round(e.get("wall_time_s", 0.0), 1)),
    ]
    width, height, group = 560, 210, 130
    parts = [
        f'<svg class="effort-chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{_e(acquire["journey"])} against {_e(cancel["journey"])}</title>'
    ]
    for i, (label, read) in enumerate(metrics):
        a, c = read(acquire.get("effort") or {}), read(cancel.get("effort") or {})
        top = max(a, c, 1)
        for j, (value, colour, who) in enumerate(((a, "#1565c0", "acquire"), (c, "#c62828", "cancel"))):
            bar = 140 * value / top
            x = 20 + i * group + j * 46
            parts.append(
                f'<rect data-metric="{label}" data-journey="{who}" data-value="{_e(value)}" x="{x}" y="{170 - bar:.1f}" '
                f'width="40" height="{bar:.1f}" fill="{colour}"/>'
                f'<text x="{x + 20}" y="{165 - bar:.1f}" text-anchor="middle">{_e(value)}</text>'
            )
        parts.append(f'<text x="{20 + i * group + 43}" y="188" text-anchor="middle">{label}</text>')
    parts.append(
        f'<rect x="20" y="196" width="10" height="10" fill="#1565c0"/><text x="34" y="205">{_e(acquire["journey"])} '
        f'(acquire)</text><rect x="260" y="196" width="10" height="10" fill="#c62828"/>'
        f'<text x="274" y="205">{_e(cancel["journey"])} (cancel)</text></svg>'
    )
    return "".join(parts)


def _pairs(journeys: list[dict[str, Any]], checks: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each cancel journey with the acquire journey the effort check compared it with (else the file's first)."""
    pairs = []
    for cancel in (j for j in journeys if j.get("kind") == "cancel"):
        same_file = [j for j in journeys if j["scenario"] == cancel["scenario"]]
        named = next(
            (
                c["figures"].get("acquire_journey")
                for c in checks
                if c["scenario"] == cancel["scenario"]
                and c["check"] == "effort_parity"
                and isinstance(c.get("figures"), dict)
            ),
            None,
        )
        acquire = next((j for j in same_file if j["journey"] == named), None) or next(
            (j for j in same_file if j.get("kind") == "acquire"), None
        )
        if acquire is not None:
            pairs.append((acquire, cancel))
    return pairs


def _check_rows(checks: list[dict[str, Any]]) -> str:
    rows = []
    order = {"FAIL": 0, "WARN": 1, "INCONCLUSIVE": 2, "PASS": 3, "SKIP": 4}
    for c in sorted(checks, key=lambda c: (order.get(c["verdict"], 4), c["check"])):
        details = "".join(f"<li>{_highlight(_e(d))}</li>" for d in c.get("details") or [])
        more = (
            f'<details><summary class="muted">{counted(len(c.get("details") or []), "detail")}</summary><ul>{details}</ul></details>'
            if details
            else ""
        )
        basis = f'<div class="muted">basis: {_e(c.get("basis"))}</div>' if c.get("basis") else ""
        rows.append(
            f'<tr class="check" data-check="{_e(c["check"])}" data-verdict="{_e(c["verdict"])}">'
            f'<td class="nowrap"><span class="badge {_e(c["verdict"])}">{_e(c["verdict"])}</span></td>'
            f'<td><b>{_e(c["check"])}</b><div class="muted">{_e(c.get("title"))}</div></td>'
            f'<td class="evidence">{_highlight(_e(c["evidence"]))}{more}{basis}</td></tr>'
        )
    return f"<table><tr><th>verdict</th><th>check</th><th>evidence</th></tr>{''.join(rows)}</table>"


def _email(mail: dict[str, Any], journey: str) -> str:
    when = time.strftime("%H:%M:%S", time.localtime(mail.get("received_at", 0)))
    headers = mail.get("headers") or {}
    flags = " · ".join(
        f"{_e(k)}: {_e(v)}" for k, v in headers.items() if k.lower() in ("auto-submitted", "list-unsubscribe")
    )
    html_part = ""
    if mail.get("html"):
        # sandbox="" : no script, no forms, no navigation of this page; the CSP blocks every fetch.
        html_part = (
            f'<details><summary>as HTML (sandboxed)</summary><iframe class="email" sandbox="" referrerpolicy="no-referrer" '
            f'title="email {_e(mail.get("subject"))}" srcdoc="{_e(mail["html"])}"></iframe></details>'
        )
    attachments = ", ".join(_e(a.get("filename")) for a in mail.get("attachments") or [])
    return (
        f'<div class="email" data-journey="{_e(journey)}"><b>{_highlight(_e(mail.get("subject")))}</b> '
        f'<span class="muted">from {_e(mail.get("from"))} at {when}{" · " + flags if flags else ""}'
        f"{' · attachments: ' + attachments if attachments else ''}</span>"
        f"<pre>{_highlight(_e(mail.get('text')))}</pre>{html_part}</div>"
    )


def _journey(j: dict[str, Any]) -> str:
    e = j.get("effort") or {}
    fields = e.get("fields_filled", 0) + e.get("fields_chosen", 0)
    figures = (
        f"{counted(e.get('actions', 0), 'action')} ({counted(e.get('clicks', 0), 'click')}, {counted(fields, 'field')}), "
        f"{counted(e.get('distinct_pages', 0), 'page')}, {counted(e.get('screens', 0), 'screen')}, "
        f"{e.get('wall_time_s', 0):.1f} s"
    )
    failed = [a for a in j.get("attempts") or [] if a.get("outcome") == "failed"]
    failure = ""
    for attempt in failed:
        trace = (
            f'<div>trace: <a href="{_e(Path(attempt["trace"]).absolute().as_uri())}">{_e(attempt["trace"])}</a> '
            f'<span class="muted">(open with <code>playwright show-trace</code> or trace.playwright.dev)</span></div>'
            if attempt.get("trace")
            else ""
        )
        failure += (
            f'<div class="error">attempt {_e(attempt.get("number"))}: {_e(attempt.get("error_location"))}\n'
            f"{_highlight(_e(attempt.get('error')))}</div>{trace}"
            f"{_image(attempt.get('screenshot'), label='failure screenshot')}"
        )
    pictured: dict[str, int] = {}  # a screen's picture is embedded once; later steps on that screen point to it
    rows = []
    for s in j.get("steps") or []:
        number, shot = s["index"] + 1, s.get("screenshot")
        if shot and shot in pictured:
            picture = f'<span class="muted same-screen">same screen as step {pictured[shot]}</span>'
        else:
            picture = _image(shot, label=f"after step {number}")
            if shot:
                pictured[shot] = number
        rows.append(
            f'<tr class="step" data-action="{_e(s["action"])}"><td class="nowrap">{number}</td>'
            f'<td class="step-label">{_highlight(_e(s.get("label") or s["action"]))}'
            f'<div class="muted">{_e(s.get("location"))}</div></td><td class="muted url">{_highlight(_e(s.get("url_after") or s.get("url_before")))}</td>'
            f'<td class="nowrap">{s.get("duration_s", 0):.2f} s</td><td class="nowrap"><span class="badge {_e(s.get("outcome"))}">{_e(s.get("outcome"))}</span></td>'
            f"<td>{picture}</td></tr>"
        )
    steps = "".join(rows)
    emails = "".join(_email(m, j["journey"]) for m in j.get("emails") or [])
    return (
        f'<section class="journey" id="{_e(j["scenario"])}::{_e(j["journey"])}" data-outcome="{_e(j["outcome"])}">'
        f'<h4>{_e(j["journey"])} <span class="muted">({_e(j.get("kind"))})</span> '
        f'<span class="badge {_e(j["outcome"])}">{_e(j["outcome"])}</span></h4><div>{figures}</div>{failure}'
        f'<table class="steps"><tr><th>#</th><th>step</th><th>page</th><th>time</th><th>outcome</th><th>screenshot</th></tr>'
        f"{steps}</table>{'<h5>Emails</h5>' + emails if emails else ''}</section>"
    )


def _sites(
    sites: dict[tuple[str, str], list[str]], files: dict[str, list[dict[str, Any]]], checks: list[dict[str, Any]]
) -> str:
    """A row per site: its scenario files, how its journeys went, its checks' verdicts."""
    rows = []
    for (name, base_url), paths in sites.items():
        site_journeys = [j for path in paths for j in files[path]]
        verdicts = [c["verdict"] for c in checks if c["scenario"] in paths]
        failed = sum(j["outcome"] == "failed" for j in site_journeys)
        rows.append(
            f'<tr class="site-summary"><td>{_e(name)}<div class="muted">{_e(base_url)}</div></td>'
            f"<td>{'<br>'.join(f'<code>{_e(path)}</code>' for path in paths)}</td>"
            f"<td>{counted(len(site_journeys), 'journey')}, {failed} failed</td><td>{verdicts.count('PASS')} pass, "
            f"{verdicts.count('WARN')} warn, {verdicts.count('FAIL')} fail"
            f"{f', {n} inconclusive' if (n := verdicts.count('INCONCLUSIVE')) else ''}</td></tr>"
        )
    return (
        "<h2>Sites</h2><table><tr><th>site</th><th>scenario files</th><th>journeys</th><th>checks</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _first_line(text: Any) -> str:
    lines = str(text or "").strip().splitlines()
    return lines[0] if lines else ""


def _failing(name: str, paths: list[str], files: dict[str, list[dict[str, Any]]], checks: list[dict[str, Any]]) -> str:
    """What fails on a site, every failed journey and failing check; then, each in a list of its own, every
    warning and every check that could not judge (INCONCLUSIVE)."""
    fails: list[str] = []
    lists: dict[str, list[str]] = {"FAIL": fails, "WARN": [], "INCONCLUSIVE": []}
    for path in paths:
        for j in files[path]:
            if j["outcome"] == "failed":
                attempts = [a for a in j.get("attempts") or [] if a.get("outcome") == "failed"]
                why = _first_line(attempts[-1].get("error")) if attempts else ""
                fails.append(
                    f'<li class="failed-journey" data-file="{_e(path)}"><span class="badge failed">failed</span> '
                    f'journey <b>{_e(j["journey"])}</b> <span class="muted">{_e(path)}</span>'
                    f"{': ' + _highlight(_e(why)) if why else ''}</li>"
                )
        for c in sorted((c for c in checks if c["scenario"] == path), key=lambda c: c["check"]):
            if c["verdict"] not in lists:
                continue
            item = (
                f'<li class="check" data-check="{_e(c["check"])}" data-file="{_e(path)}">'
                f'<span class="badge {_e(c["verdict"])}">{_e(c["verdict"])}</span> <b>{_e(c["check"])}</b> '
                f'<span class="muted">{_e(path)}</span>: {_highlight(_e(c["evidence"]))}</li>'
            )
            lists[c["verdict"]].append(item)
    headings = {"FAIL": ("Fails", "fails"), "WARN": ("Warnings", "warns"), "INCONCLUSIVE": ("Not judged", "unjudged")}
    shown = [
        f'<h4>{headings[verdict][0]} ({len(items)})</h4><ul class="{headings[verdict][1]}">{"".join(items)}</ul>'
        for verdict, items in lists.items()
        if items
    ]
    return (
        f'<div class="site-failing" data-site="{_e(name)}"><h3>{_e(name)}</h3>{"".join(shown)}</div>' if shown else ""
    )


def _scenario_file(path: str, file_journeys: list[dict[str, Any]], file_checks: list[dict[str, Any]]) -> str:
    """One scenario file under its own heading: its checks, its effort charts, its journeys."""
    parts = [f'<section class="scenario-file" data-file="{_e(path)}"><h3 class="file">{_e(path)}</h3>']
    if file_checks:
        parts.append("<h4>Checks</h4>" + _check_rows(file_checks))
    for acquire, cancel in _pairs(file_journeys, file_checks):
        parts.append(
            f"<h4>Effort: {_e(acquire['journey'])} against {_e(cancel['journey'])}</h4>" + effort_chart(acquire, cancel)
        )
    if file_journeys:
        parts.append(
            "<h4>Journeys</h4>"
            + "".join(_journey(j) for j in sorted(file_journeys, key=lambda j: j.get("started_at", 0)))
        )
    return "".join(parts) + "</section>"


def render_report(results: RunResults) -> str:
    """The whole report as one HTML string. It embeds only PNG and JPEG pictures under the results file's folder
    or the output folder the run recorded: a results file is data, and may come from anyone."""
    recorded = (results.run.get("options") or {}).get("output_dir")
    roots = (results.path.resolve().parent, *([Path(recorded).resolve()] if isinstance(recorded, str) else []))
    token = _PICTURES_UNDER.set(roots)
    try:
        return _render_report(results)
    finally:
        _PICTURES_UNDER.reset(token)


def _render_report(results: RunResults) -> str:
    journeys, checks = results.journeys, results.checks
    run = results.run
    started = (
        time.strftime("%Y-%m-%d %H:%M", time.localtime(run.get("started_at", 0))) if run.get("started_at") else "?"
    )
    counts: defaultdict[str, int] = defaultdict(int)
    for j in journeys:
        counts[j["outcome"]] += 1
    for c in checks:
        counts[c["verdict"]] += 1
    unjudged = f", {counts['INCONCLUSIVE']} inconclusive" if counts["INCONCLUSIVE"] else ""
    state = "finished" if results.end else "did not finish (the results end before the run did)"
    summary = (
        f"<p>Run <b>{_e(results.run_id)}</b>, started {_e(started)}, {state}. "
        f"Journeys: {counts['passed']} passed, {counts['flaky']} flaky, {counts['failed']} failed. "
        f"Checks: {counts['PASS']} pass, {counts['WARN']} warn, {counts['FAIL']} fail"
        f"{unjudged}. "
        f"Regressions: {len(results.regressions)}.</p>"
    )
    regressions = "".join(
        f'<li class="regression">{_e(r["scenario"])}: {_highlight(_e(r["evidence"]))}</li>' for r in results.regressions
    )
    body = [f"<h1>journeytest report</h1>{summary}"]
    if regressions:
        body.append(f'<h2>Worse than before</h2><ul class="regressions">{regressions}</ul>')
    files: dict[str, list[dict[str, Any]]] = defaultdict(list)  # scenario file -> its journeys, in run order
    for j in journeys:
        files[j["scenario"]].append(j)
    for c in checks:
        files.setdefault(c["scenario"], [])
    sites: dict[tuple[str, str], list[str]] = defaultdict(list)  # (name, base URL) -> its scenario files
    for path, file_journeys in files.items():
        first = file_journeys[0] if file_journeys else {}
        sites[(str(first.get("site") or "?"), str(first.get("base_url") or ""))].append(path)
    body.append(_sites(sites, files, checks))
    failing = "".join(_failing(name, paths, files, checks) for (name, _), paths in sites.items())
    if failing:
        body.append(f'<h2 class="what-fails">What fails</h2>{failing}')
    for (name, base_url), paths in sites.items():
        body.append(f'<h2 class="site">{_e(name)} <span class="muted">{_e(base_url)}</span></h2>')
        for path in paths:
            body.append(_scenario_file(path, files[path], [c for c in checks if c["scenario"] == path]))
    if results.unreadable_lines:
        body.append(
            f'<p class="muted">{counted(results.unreadable_lines, "line")} of the results file could not be read.</p>'
        )
    if results.rejected:
        listed = "".join(f"<li>{_e(reason)}</li>" for reason in results.rejected[:20])
        body.append(
            f'<p class="muted rejected">{counted(len(results.rejected), "line")} of the results file did not match '
            f"its schema and {'was' if len(results.rejected) == 1 else 'were'} left out:</p><ul>{listed}</ul>"
        )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>journeytest report {_e(results.run_id)}</title><style>{STYLE}</style></head>"
        f'<body>{"".join(body)}<p class="muted">results: {_e(results.path)}</p></body></html>'
    )
