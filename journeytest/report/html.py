"""The HTML report: one self-contained file a product owner opens from disk or a CI artifact.

Everything in it comes from the results file. Everything from the site (page text,
URLs, emails) is escaped; an email's HTML is shown in a sandboxed frame that may not
run script; a Content-Security-Policy forbids script and every network fetch; images
are embedded. Secrets arrive masked (as their placeholder names) and are highlighted.
"""

from __future__ import annotations

import base64
import re
import time
from collections import defaultdict
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from .results import RunResults

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-src 'self' about:; base-uri 'none'; form-action 'none'"
MASKED = re.compile(r"\{(?:persona\.(?:password|new_password)|env\.[A-Za-z_][A-Za-z0-9_]*|JOURNEYTEST_IMAP_PASSWORD)\}")
STYLE = """
body{font:15px/1.45 system-ui,sans-serif;max-width:72em;margin:1.5em auto;padding:0 1em;color:#1d1d1f}
h1{font-size:1.5em}h2{margin-top:2em;border-bottom:2px solid #ddd}h3{margin:1.4em 0 .3em}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:.3em .5em;text-align:left;vertical-align:top}
.badge{display:inline-block;min-width:3.5em;text-align:center;border-radius:3px;padding:0 .4em;font-weight:600;color:#fff}
.PASS,.passed{background:#1a7f37}.WARN,.flaky{background:#b7791f}.FAIL,.failed{background:#c62828}.SKIP,.skipped{background:#888}
.evidence{max-width:48em}.muted{color:#666;font-size:.9em}.error{background:#fdecea;padding:.5em;white-space:pre-wrap}
details summary{cursor:pointer}img.thumb{width:160px;border:1px solid #ccc}.error+details img.thumb,.error+div+details img.thumb{width:320px}img.full{max-width:100%;border:1px solid #999}
pre{white-space:pre-wrap;background:#f6f8fa;padding:.6em;max-height:24em;overflow:auto}
mark.secret{background:#ffd54f;font-weight:600}iframe.email{width:100%;height:18em;border:1px solid #ccc;background:#fff}
.regression{border-left:4px solid #c62828;padding-left:.6em}svg text{font:12px system-ui,sans-serif}
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _highlight(escaped: str) -> str:
    """Masked secrets stand out: here a password (or token) was, and the report does not show it."""
    return MASKED.sub(
        lambda m: f'<mark class="secret" title="a secret was here; it is masked">{m.group(0)}</mark>', escaped
    )


def _image(path: str | None, *, thumb: bool = True, label: str = "screenshot") -> str:
    if not path:
        return ""
    file = Path(path)
    if not file.is_file():
        return f'<span class="muted">({_e(label)} no longer on disk: {_e(path)})</span>'
    kind = "jpeg" if file.suffix.lower() in (".jpg", ".jpeg") else "png"
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
                f'<rect data-metric="{label}" data-journey="{who}" data-value="{value}" x="{x}" y="{170 - bar:.1f}" '
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
    order = {"FAIL": 0, "WARN": 1, "PASS": 2, "SKIP": 3}
    for c in sorted(checks, key=lambda c: (order.get(c["verdict"], 4), c["check"])):
        details = "".join(f"<li>{_highlight(_e(d))}</li>" for d in c.get("details") or [])
        more = (
            f'<details><summary class="muted">{len(c.get("details") or [])} more</summary><ul>{details}</ul></details>'
            if details
            else ""
        )
        basis = f'<div class="muted">basis: {_e(c.get("basis"))}</div>' if c.get("basis") else ""
        rows.append(
            f'<tr class="check" data-check="{_e(c["check"])}" data-verdict="{_e(c["verdict"])}">'
            f'<td><span class="badge {_e(c["verdict"])}">{_e(c["verdict"])}</span></td>'
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
    figures = (
        f"{e.get('actions', 0)} actions ({e.get('clicks', 0)} clicks, {e.get('fields_filled', 0) + e.get('fields_chosen', 0)} "
        f"fields), {e.get('distinct_pages', 0)} pages, {e.get('screens', 0)} screens, {e.get('wall_time_s', 0):.1f} s"
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
            f'<tr class="step"><td>{number}</td><td>{_highlight(_e(s.get("label") or s["action"]))}'
            f'<div class="muted">{_e(s.get("location"))}</div></td><td class="muted">{_e(s.get("url_after") or s.get("url_before"))}</td>'
            f'<td>{s.get("duration_s", 0):.2f} s</td><td><span class="badge {_e(s.get("outcome"))}">{_e(s.get("outcome"))}</span></td>'
            f"<td>{picture}</td></tr>"
        )
    steps = "".join(rows)
    emails = "".join(_email(m, j["journey"]) for m in j.get("emails") or [])
    return (
        f'<section class="journey" id="{_e(j["scenario"])}::{_e(j["journey"])}" data-outcome="{_e(j["outcome"])}">'
        f'<h3>{_e(j["journey"])} <span class="muted">({_e(j.get("kind"))}, {_e(j["scenario"])})</span> '
        f'<span class="badge {_e(j["outcome"])}">{_e(j["outcome"])}</span></h3><div>{figures}</div>{failure}'
        f'<table class="steps"><tr><th>#</th><th>step</th><th>page</th><th>time</th><th>outcome</th><th>screenshot</th></tr>'
        f"{steps}</table>{'<h4>Emails</h4>' + emails if emails else ''}</section>"
    )


def render_report(results: RunResults) -> str:
    """The whole report as one HTML string."""
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
    state = "finished" if results.end else "did not finish (the results end before the run did)"
    summary = (
        f"<p>Run <b>{_e(results.run_id)}</b>, started {_e(started)}, {state}. "
        f"Journeys: {counts['passed']} passed, {counts['flaky']} flaky, {counts['failed']} failed. "
        f"Checks: {counts['PASS']} pass, {counts['WARN']} warn, {counts['FAIL']} fail. "
        f"Regressions: {len(results.regressions)}.</p>"
    )
    regressions = "".join(
        f'<li class="regression">{_e(r["scenario"])}: {_highlight(_e(r["evidence"]))}</li>' for r in results.regressions
    )
    body = [f"<h1>journeytest report</h1>{summary}"]
    if regressions:
        body.append(f'<h2>Worse than before</h2><ul class="regressions">{regressions}</ul>')
    sites: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for j in journeys:
        sites[f"{j.get('site') or '?'}|{j.get('base_url') or ''}"].append(j)
    overview = []
    for key, site_journeys in sites.items():
        files = {j["scenario"] for j in site_journeys}
        verdicts = [c["verdict"] for c in checks if c["scenario"] in files]
        failing = [c for c in checks if c["scenario"] in files and c["verdict"] in ("FAIL", "WARN")]
        worst = "; ".join(f"{_e(c['check'])}: {_highlight(_e(c['evidence']))}" for c in failing[:3])
        overview.append(
            f'<tr class="site-summary"><td>{_e(key.split("|")[0])}</td><td>{len(site_journeys)} journeys, '
            f"{sum(j['outcome'] == 'failed' for j in site_journeys)} failed</td><td>{verdicts.count('PASS')} pass, "
            f'{verdicts.count("WARN")} warn, {verdicts.count("FAIL")} fail</td><td class="evidence">{worst}</td></tr>'
        )
    body.append(
        "<h2>Sites</h2><table><tr><th>site</th><th>journeys</th><th>checks</th><th>what fails first</th></tr>"
        + "".join(overview)
        + "</table>"
    )
    for key, site_journeys in sites.items():
        name, base_url = key.split("|", 1)
        files = {j["scenario"] for j in site_journeys}
        site_checks = [c for c in checks if c["scenario"] in files]
        body.append(f'<h2 class="site">{_e(name)} <span class="muted">{_e(base_url)}</span></h2>')
        if site_checks:
            body.append("<h3>Checks</h3>" + _check_rows(site_checks))
        for acquire, cancel in _pairs(site_journeys, site_checks):
            body.append(
                f"<h3>Effort: {_e(acquire['journey'])} against {_e(cancel['journey'])}</h3>"
                + effort_chart(acquire, cancel)
            )
        body.append(
            "<h3>Journeys</h3>"
            + "".join(_journey(j) for j in sorted(site_journeys, key=lambda j: (j["scenario"], j.get("started_at", 0))))
        )
    if results.unreadable_lines:
        body.append(f'<p class="muted">{results.unreadable_lines} line(s) of the results file could not be read.</p>')
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>journeytest report {_e(results.run_id)}</title><style>{STYLE}</style></head>"
        f'<body>{"".join(body)}<p class="muted">results: {_e(results.path)}</p></body></html>'
    )
