#!/usr/bin/env python
"""Redmine's customer journeys, driven by plain Playwright, with Redmine's real mail captured.

    /work/main/.venv/bin/python realsites/redmine/raw_journeys.py

It starts an SMTP sink (aiosmtpd) on 127.0.0.1, runs start.sh with SMTP_PORT pointing at it
(a fresh Redmine in $REALSITE_STATE, default /tmp/realsites/redmine), then walks the journeys a
customer would, with role/label/text locators:

  (a) register, receive the activation email, open its link, log in
  (b) log out, "Lost password", receive the reset email, open its link, set a new password, log in;
      is a "password changed" notice sent? is the reset link refused the second time, and how?
  (c) "Delete my account" from "My account": clicks, screens, confirmation, what follows, any email
  (d) where the operator's contact details (email, phone, contact form) can be found, if anywhere

and prints what each journey cost and every email. Probes that a customer would not do (opening a
link twice, pressing a button without its checkbox, searching the site) are not counted. At the end
it runs stop.sh (in a finally) and checks that no Redmine process is left. Exit status 0 = all
journeys behaved as NOTES.md says.

Options (environment): PORT (default: first free port from 18100), REALSITE_STATE, HEADLESS=0 to
watch, KEEP_MAIL=DIR to keep the captured emails as .eml files (default: $REALSITE_STATE/mail).
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import secrets
import socket
import string
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

from aiosmtpd.controller import Controller
from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).resolve().parent
STATE = Path(os.environ.get("REALSITE_STATE", "/tmp/realsites/redmine"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 15_000

# The screen snapshot journeytest itself takes (text and visible controls), so that the wording
# journeytest's checks match can be tried on exactly what they would read.
SNAPSHOT_JS = HERE.parents[1] / "journeytest" / "browser" / "scripts" / "screen_snapshot.js"
SNAPSHOT_FALLBACK = """() => {
  const visible = e => (e.checkVisibility ? e.checkVisibility() : e.offsetParent !== null);
  const label = e => (e.innerText || e.value || e.getAttribute('aria-label') || e.getAttribute('title') || '').trim().replace(/\\s+/g, ' ').slice(0, 200);
  const controls = [...document.querySelectorAll('a[href], button, input, select, textarea, [role=button], [role=link]')]
    .filter(visible).map(e => ({tag: e.tagName.toLowerCase(), type: (e.getAttribute('type') || '').toLowerCase(),
      text: label(e), href: e.getAttribute('href') || '', required: e.required === true}));
  return {url: location.href, title: document.title, text: document.body ? document.body.innerText : '', controls};
}"""
LINKS_JS = """() => [...document.querySelectorAll('a[href], button, input[type=submit]')]
  .filter(e => (e.checkVisibility ? e.checkVisibility() : e.offsetParent !== null))
  .map(e => ({text: (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ').slice(0, 120),
              href: e.closest('a[href]') ? e.closest('a[href]').href : '', tag: e.tagName.toLowerCase(),
              font_px: parseFloat(getComputedStyle(e).fontSize) || 0,
              collapsed: !!e.closest('details:not([open]), [aria-expanded="false"], [hidden]')}))"""


# ------------------------------------------------------------------------------------------ mail

@dataclass
class Mail:
    index: int
    received_at: float
    mail_from: str
    to: list[str]
    subject: str
    text: str
    html: str
    headers: dict[str, str]
    raw: bytes

    @property
    def links(self) -> list[str]:
        return re.findall(r"https?://[^\s<>\"']+", self.text)

    def excerpt(self, limit: int = 700) -> str:
        body = self.text.strip()
        return body if len(body) <= limit else body[:limit] + " …"


class Sink:
    """aiosmtpd handler: keeps every message, in order, with the time it arrived."""

    def __init__(self) -> None:
        self.mails: list[Mail] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
        with self.lock:
            self.mails.append(Mail(len(self.mails), time.time(), envelope.mail_from, list(envelope.rcpt_tos),
                                   str(msg.get("Subject", "")), text.get_content() if text else "",
                                   html.get_content() if html else "", {k: str(v) for k, v in msg.items()},
                                   envelope.content))
        return "250 OK"

    def wait(self, *, to: str | None = None, subject: str = "", since: int = 0, within: float = 30) -> Mail | None:
        deadline = time.time() + within
        while time.time() < deadline:
            with self.lock:
                for mail in self.mails[since:]:
                    if (to is None or to in mail.to) and subject.casefold() in mail.subject.casefold():
                        return mail
            time.sleep(0.2)
        return None

    def since(self, index: int) -> list[Mail]:
        with self.lock:
            return list(self.mails[index:])


def free_port(candidates: range, avoid: set[int] = frozenset()) -> int:
    for port in candidates:
        if port in avoid:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {candidates.start}-{candidates.stop - 1}")


# ------------------------------------------------------------------------------------------ effort

@dataclass
class Cost:
    journey: str
    clicks: int = 0
    fields: int = 0
    chosen: int = 0
    keystrokes: int = 0
    pages: list[str] = field(default_factory=list)
    screens: list[dict[str, Any]] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    mail_wait: float = 0.0
    ended: float = 0.0

    @property
    def actions(self) -> int:
        return self.clicks + self.fields + self.chosen

    def line(self) -> str:
        seconds = (self.ended or time.time()) - self.started - self.mail_wait
        distinct = len({urlsplit(u).path for u in self.pages})
        return (f"{self.journey}: {self.actions} actions ({self.clicks} clicks, {self.fields} fields filled, "
                f"{self.chosen} ticked), {self.keystrokes} keystrokes, {len(self.pages)} page loads "
                f"({distinct} distinct pages), {seconds:.1f}s without {self.mail_wait:.1f}s waiting for mail")


class Customer:
    """One browser tab and what it costs: every click and field is counted unless `probing`."""

    def __init__(self, page: Page, base: str, snapshot_js: str) -> None:
        self.page, self.base, self.snapshot_js = page, base, snapshot_js
        self.cost: Cost | None = None
        self.probing = False
        page.on("load", self._loaded)

    def _loaded(self, page: Page) -> None:
        if self.cost is not None and not self.probing:
            self.cost.pages.append(page.url)
            try:
                self.cost.screens.append(page.evaluate(self.snapshot_js))
            except Exception:  # noqa: BLE001 - a page that navigates on at once
                pass

    def begin(self, journey: str) -> Cost:
        self.cost = Cost(journey)
        try:
            self.cost.screens.append({**self.page.evaluate(self.snapshot_js), "start": True})
        except Exception:  # noqa: BLE001 - a blank tab
            pass
        return self.cost

    def end(self) -> Cost:
        assert self.cost is not None
        self.cost.ended = time.time()
        cost, self.cost = self.cost, None
        return cost

    def say(self, what: str) -> None:
        print(f"    - {what}")

    def goto(self, path: str) -> None:
        self.say(f"goto {path}")
        self.page.goto(path if path.startswith("http") else self.base + path)

    def click(self, locator, what: str) -> None:
        self.say(f"click {what}")
        locator.click()
        self.page.wait_for_load_state()
        if self.cost and not self.probing:
            self.cost.clicks += 1

    def fill(self, locator, value: str, what: str, secret: bool = False) -> None:
        self.say(f"fill {what} = {'•' * 8 if secret else value!r}")
        locator.fill(value)
        if self.cost and not self.probing:
            self.cost.fields += 1
            self.cost.keystrokes += len(value)

    def tick(self, locator, what: str) -> None:
        self.say(f"tick {what}")
        locator.check()
        if self.cost and not self.probing:
            self.cost.chosen += 1

    def open_link(self, url: str, what: str) -> None:
        """Opening a link from an email: a click, as journeytest counts open_email_link."""
        self.say(f"open {what}: {mask_token(url)}")
        self.page.goto(url)
        if self.cost and not self.probing:
            self.cost.clicks += 1

    def see(self, text: str, timeout: int = TIMEOUT_MS) -> str:
        locator = self.page.get_by_text(text).first
        locator.wait_for(state="visible", timeout=timeout)
        shown = locator.inner_text().strip()
        self.say(f"sees {shown!r}")
        return shown

    def flash(self) -> str:
        notes = self.page.locator("#flash_notice, #flash_error, #errorExplanation, .flash")
        return " | ".join(n.inner_text().strip() for n in notes.all() if n.is_visible())


def mask_token(url: str) -> str:
    return re.sub(r"(token=)([0-9a-f]{6})[0-9a-f]+", r"\1\2…", url)


# ------------------------------------------------------------------------------------------ wording

def load_wording():
    """journeytest's own wording lists, to say what its checks would match (None if it cannot be imported)."""
    try:
        sys.path.insert(0, str(HERE.parents[1]))
        from journeytest.wording import Wording  # noqa: PLC0415
        from journeytest.wording.passwords import mailed_passwords  # noqa: PLC0415
        return Wording.load(), mailed_passwords
    except Exception as exc:  # noqa: BLE001 - the package may be mid-refactor
        print(f"(journeytest's wording lists could not be loaded: {exc!r}; wording verdicts skipped)")
        return None, None


# ------------------------------------------------------------------------------------------ searches

def same_site(url: str, base: str) -> bool:
    return urlsplit(url).netloc == urlsplit(base).netloc and urlsplit(url).scheme in ("http", "https")


def bfs(page: Page, start: str, base: str, max_depth: int, budget: int, visit, skip=lambda link: False) -> int:
    """Breadth-first over same-site links (never log out, never submit); visit(url, path, controls, depth)
    returns True to stop. Returns the number of pages opened."""
    queue: deque[tuple[str, list[str]]] = deque([(start, [])])
    seen = {urldefrag(start)[0]}
    opened = 0
    while queue and opened < budget:
        url, path = queue.popleft()
        try:
            page.goto(url, timeout=TIMEOUT_MS)
            controls = page.evaluate(LINKS_JS)
        except Exception as exc:  # noqa: BLE001
            print(f"      could not open {url}: {exc}")
            continue
        opened += 1
        if visit(page, url, path, controls):
            break
        if len(path) >= max_depth:
            continue
        for c in controls:
            target = urldefrag(c["href"])[0] if c["href"] else ""
            if (target and c["text"] and same_site(target, base) and target not in seen and not skip(c)
                    and not DOWNLOAD.search(urlsplit(target).path)
                    and not re.search(r"sign out|logout|log out|/logout", f"{c['text']} {target}", re.I)):
                seen.add(target)
                queue.append((target, [*path, c["text"]]))
    return opened


DOWNLOAD = re.compile(r"\.(csv|pdf|atom|png|txt|zip|ics|xml|json)$")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
AT_RE = re.compile(r"\b[\w.+-]+\s*(?:\[at\]|\(at\)| at )\s*[\w-]+\s*(?:\[dot\]|\(dot\)| dot )\s*\w+", re.I)


def find_contacts(page: Page, base: str, max_depth: int = 2, budget: int = 150) -> dict[str, Any]:
    """Logged out, from the home page: email addresses, phone numbers, contact forms, external links."""
    try:
        import phonenumbers  # noqa: PLC0415
    except ImportError:
        phonenumbers = None
    found: dict[str, list[tuple[int, str, str]]] = {"email": [], "phone": [], "form": [], "external": []}

    def visit(page, url, path, controls):
        depth = len(path)
        html = page.content()
        text = page.inner_text("body")
        for m in re.findall(r'href="(mailto:[^"]+)"', html) + EMAIL_RE.findall(text) + AT_RE.findall(text):
            found["email"].append((depth, m, url))
        for m in re.findall(r'href="(tel:[^"]+)"', html):
            found["phone"].append((depth, m, url))
        if phonenumbers is not None:
            for match in phonenumbers.PhoneNumberMatcher(text, "FI"):
                found["phone"].append((depth, match.raw_string, url))
        forms = page.evaluate("""() => [...document.forms].filter(f => f.querySelector('textarea') &&
            f.querySelector('input[type=email], input[name*=mail i]')).map(f => f.action)""")
        for action in forms:
            found["form"].append((depth, action, url))
        for c in controls:
            if c["href"].startswith("http") and not same_site(c["href"], base):
                found["external"].append((depth, f"{c['text']} -> {c['href']}", url))
        return False

    pages = bfs(page, base + "/", base, max_depth, budget, visit)
    return {"pages": pages, **{k: sorted(set(v)) for k, v in found.items()}}


# ------------------------------------------------------------------------------------------ journeys

@dataclass
class Persona:
    login: str
    firstname: str
    lastname: str
    mail: str
    password: str
    new_password: str

    @classmethod
    def make(cls) -> Persona:
        tag = secrets.token_hex(4)

        def password() -> str:
            alphabet = string.ascii_letters + string.digits
            core = "".join(secrets.choice(alphabet) for _ in range(13))
            return "Q" + core + "7%"  # upper, lower, digit and a symbol, 16 characters

        return cls(f"maija{tag}", "Maija", "Meikäläinen", f"maija.meikalainen.{tag}@example.com", password(), password())


class Run:
    def __init__(self) -> None:
        self.failures: list[str] = []
        self.costs: list[Cost] = []
        self.facts: dict[str, Any] = {}

    def expect(self, ok: bool, what: str) -> bool:
        print(f"    {'OK  ' if ok else 'FAIL'} {what}")
        if not ok:
            self.failures.append(what)
        return ok


def print_mail(mail: Mail | None, label: str) -> None:
    if mail is None:
        print(f"    [{label}] no email")
        return
    print(f"    [{label}] email #{mail.index} to {', '.join(mail.to)} from {mail.headers.get('From')}")
    print(f"      Subject: {mail.subject}")
    print(f"      Headers: Auto-Submitted={mail.headers.get('Auto-Submitted')} List-Id={mail.headers.get('List-Id')} "
          f"X-Mailer={mail.headers.get('X-Mailer')} parts: text={bool(mail.text)} html={bool(mail.html)}")
    for line in mask_token(mail.excerpt()).splitlines():
        print(f"      | {line}")


def sign_up(c: Customer, sink: Sink, me: Persona, run: Run, context) -> None:
    print("\n(a) sign_up: register, activate by email, log in")
    cost = c.begin("sign_up")
    c.goto("/")
    c.click(c.page.get_by_role("link", name="Register", exact=True), "link 'Register'")
    run.expect(c.page.url.endswith("/account/register"), f"the registration form is at {c.page.url}")
    c.fill(c.page.get_by_label("Login"), me.login, "Login")
    c.fill(c.page.get_by_label("Password"), me.password, "Password", secret=True)
    c.fill(c.page.get_by_label("Confirmation"), me.password, "Confirmation", secret=True)
    c.fill(c.page.get_by_label("First name"), me.firstname, "First name")
    c.fill(c.page.get_by_label("Last name"), me.lastname, "Last name")
    # "Email" alone would also match the checkbox "Hide my email address": the textbox named Email.
    c.fill(c.page.get_by_role("textbox", name="Email"), me.mail, "Email")
    run.facts["register_fields"] = c.page.evaluate(
        "() => [...document.querySelectorAll('#new_user label')].map(l => l.innerText.trim())")
    mark = len(sink.mails)
    c.click(c.page.get_by_role("button", name="Submit"), "button 'Submit'")
    shown = c.see("Account was successfully created")
    run.facts["register_done"] = shown
    t = time.time()
    mail = sink.wait(to=me.mail, subject="account activation", since=mark)
    cost.mail_wait += time.time() - t
    print_mail(mail, "activation")
    if not run.expect(mail is not None, "an activation email arrived"):
        raise RuntimeError("no activation email")
    run.facts["activation_mail"] = mail
    link = next(u for u in mail.links if "/account/activate" in u)
    c.open_link(link, "the activation link")
    shown = c.see("Your account has been activated")
    run.expect(urlsplit(c.page.url).path == "/login", f"after activation the customer is on {urlsplit(c.page.url).path}")
    c.fill(c.page.get_by_label("Login"), me.login, "Login")
    c.fill(c.page.get_by_label("Password"), me.password, "Password", secret=True)
    c.click(c.page.get_by_role("button", name="Login"), "button 'Login'")
    c.see("Logged in as")
    run.expect(urlsplit(c.page.url).path == "/my/page", f"logged in, on {urlsplit(c.page.url).path}")
    c.end()
    run.costs.append(cost)
    print("    cost: " + cost.line())
    after = [m for m in sink.since(mark) if m.index != mail.index]
    run.expect(not after, f"no other email during sign-up ({[m.subject for m in after]})")
    # The activated account: any welcome email? (Redmine sends none for activation by email.)
    # Probe: the activation link a second time, in a fresh logged-out browser.
    probe = context.browser.new_context()
    try:
        p2 = probe.new_page()
        p2.goto(link)
        run.facts["activation_link_again"] = (urlsplit(p2.url).path, p2.locator("#flash_notice, #flash_error").all_inner_texts())
        print(f"    probe: the activation link opened again ends on {urlsplit(p2.url).path} "
              f"with flash {run.facts['activation_link_again'][1]} (title {p2.title()!r})")
    finally:
        probe.close()


def cancel_search(c: Customer, base: str, wording, run: Run) -> None:
    """Like journeytest's explore:cancel: from where sign-up ended (logged in), links only."""
    print("\n    search (not counted): controls with journeytest's 'cancel' wording, from /my/page, logged in")
    c.probing = True
    start = c.page.url
    hits: list[tuple[int, list[str], str, str]] = []
    delete_at: list[tuple[int, list[str], str]] = []

    def visit(page, url, path, controls):
        for ctl in controls:
            if ctl["text"] == "Delete my account":
                delete_at.append((len(path) + 1, [*path, ctl["text"]], url, ctl["font_px"], ctl["collapsed"]))
            if wording is not None and ctl["text"] and wording.find("cancel", ctl["text"]) and not wording.find("logout", ctl["text"]):
                hits.append((len(path) + 1, [*path, ctl["text"]], url, wording.find("cancel", ctl["text"])))
        return False

    pages = bfs(c.page, start, base, 2, 40, visit)
    c.probing = False
    hits.sort(key=lambda h: h[0])
    delete_at.sort(key=lambda h: h[0])
    run.facts["cancel_search"] = {"pages": pages, "first_cancel_word": hits[0] if hits else None,
                                  "delete_my_account": delete_at[0] if delete_at else None}
    print(f"      {pages} pages searched (depth 2)")
    print(f"      'Delete my account' first reached in {delete_at[0][0]} clicks: {' > '.join(delete_at[0][1])} "
          f"(rendered at {delete_at[0][3]:g} px, collapsed: {delete_at[0][4]})"
          if delete_at else "      'Delete my account' not found")
    if hits:
        for h in hits[:3]:
            print(f"      cancel wording {h[3]!r} on a control {h[0]} clicks away: {' > '.join(h[1])} ({h[2]})")
    else:
        print("      no control with journeytest's cancel wording within 2 clicks")
    c.page.goto(start)


def reset_password(c: Customer, sink: Sink, me: Persona, run: Run, context) -> None:
    print("\n(b) reset_password: log out, 'Lost password', email link, new password, log in")
    cost = c.begin("reset_password")
    c.click(c.page.get_by_role("link", name="Sign out"), "link 'Sign out'")
    run.expect(c.page.get_by_role("link", name="Sign in").is_visible(), f"logged out, on {urlsplit(c.page.url).path}")
    c.click(c.page.get_by_role("link", name="Sign in"), "link 'Sign in'")
    c.click(c.page.get_by_role("link", name="Lost password"), "link 'Lost password'")
    run.expect(urlsplit(c.page.url).path == "/account/lost_password", f"the form is at {urlsplit(c.page.url).path}")
    c.fill(c.page.get_by_label("Email"), me.mail, "Email")
    mark = len(sink.mails)
    c.click(c.page.get_by_role("button", name="Submit"), "button 'Submit'")
    run.facts["lost_password_sent"] = c.see("An email with instructions to choose a new password has been sent to you")
    t = time.time()
    mail = sink.wait(to=me.mail, subject="password", since=mark)
    cost.mail_wait += time.time() - t
    print_mail(mail, "reset")
    if not run.expect(mail is not None, "a reset email arrived"):
        raise RuntimeError("no reset email")
    run.facts["reset_mail"] = mail
    link = next(u for u in mail.links if "/account/lost_password" in u)
    c.open_link(link, "the reset link")
    run.expect(urlsplit(c.page.url).query == "", f"the token was moved from the URL into the session: now {c.page.url}")
    c.fill(c.page.get_by_label("New password"), me.new_password, "New password", secret=True)
    c.fill(c.page.get_by_label("Confirmation"), me.new_password, "Confirmation", secret=True)
    reset_mark = len(sink.mails)
    c.click(c.page.get_by_role("button", name="Save"), "button 'Save'")
    run.facts["reset_done"] = c.see("Password was successfully updated")
    run.expect(urlsplit(c.page.url).path == "/login", f"after the reset the customer is on {urlsplit(c.page.url).path}")
    c.fill(c.page.get_by_label("Login"), me.login, "Login")
    c.fill(c.page.get_by_label("Password"), me.new_password, "Password (the new one)", secret=True)
    c.click(c.page.get_by_role("button", name="Login"), "button 'Login'")
    c.see("Logged in as")
    c.end()
    run.costs.append(cost)
    print("    cost: " + cost.line())
    notice = sink.wait(to=me.mail, subject="Security notification", since=reset_mark, within=15)
    print_mail(notice, "password changed notice")
    run.facts["password_changed_mail"] = notice
    run.expect(notice is not None and "Your password has been changed" in notice.text,
               "a 'Your password has been changed.' notice arrived after the reset")
    # Probes: the reset link again (fresh, logged-out browser, as journeytest's explore:passwords does),
    # and the old password.
    probe = context.browser.new_context()
    try:
        p2 = probe.new_page()
        response = p2.goto(link)
        chain = []
        req = response.request if response else None
        while req is not None:
            chain.insert(0, req.url)
            req = req.redirected_from
        body = p2.inner_text("body")
        again = {"status": response.status if response else None, "redirects": [mask_token(u) for u in chain],
                 "ends_on": p2.url, "title": p2.title(),
                 "flash": p2.locator("#flash_notice, #flash_error").all_inner_texts(),
                 "h2": p2.locator("h2").all_inner_texts(),
                 "refusal_words": [w for w in ("used", "expired", "invalid", "not valid", "no longer") if w in body.casefold()]}
        run.facts["reset_link_again"] = again
        run.facts["reset_link_again_text"] = body
        print(f"    probe: the reset link opened a second time: {json.dumps(again, ensure_ascii=False)}")
        run.expect(urlsplit(p2.url).path == "/" and not again["flash"],
                   "the used reset link is refused silently: a redirect to the home page, no message")
        p2.goto(c.base + "/login")
        p2.get_by_label("Login").fill(me.login)
        p2.get_by_label("Password").fill(me.password)
        p2.get_by_role("button", name="Login").click()
        p2.wait_for_load_state()
        run.facts["old_password"] = p2.locator("#flash_error").all_inner_texts()
        print(f"    probe: logging in with the old password: {run.facts['old_password']}")
        run.expect(run.facts["old_password"] == ["Invalid user or password"], "the old password no longer works")
    finally:
        probe.close()
    others = [m for m in sink.since(mark) if m.index not in (mail.index, notice.index if notice else -1)]
    run.expect(not others, f"no other email during the reset ({[m.subject for m in others]})")


def delete_account(c: Customer, sink: Sink, me: Persona, run: Run, context) -> None:
    print("\n(c) delete_account: 'My account' > 'Delete my account'")
    cost = c.begin("delete_account")
    mark = len(sink.mails)
    c.click(c.page.get_by_role("link", name="My account"), "link 'My account'")
    run.expect(urlsplit(c.page.url).path == "/my/account", f"on {urlsplit(c.page.url).path}")
    c.click(c.page.get_by_role("link", name="Delete my account"), "link 'Delete my account'")
    run.expect(urlsplit(c.page.url).path == "/my/account/destroy", f"on {urlsplit(c.page.url).path}")
    page_text = c.page.locator("#content").inner_text()
    run.facts["destroy_page"] = page_text
    print("    the confirmation page says: " + " / ".join(line for line in page_text.splitlines() if line.strip()))
    # Probe (not counted): the button without ticking "Yes".
    c.probing = True
    c.page.get_by_role("button", name="Delete my account").click()
    c.page.wait_for_load_state()
    unticked = (urlsplit(c.page.url).path, c.flash(), c.page.locator("h2").inner_text())
    run.facts["unticked"] = unticked
    print(f"    probe: 'Delete my account' without ticking 'Yes' -> {unticked[0]}, heading {unticked[2]!r}, "
          f"message {unticked[1]!r} (the same page again, nothing said)")
    c.probing = False
    c.tick(c.page.get_by_role("checkbox", name="Yes"), "checkbox 'Yes'")
    c.click(c.page.get_by_role("button", name="Delete my account"), "button 'Delete my account'")
    run.facts["deleted"] = c.see("Your account has been permanently deleted")
    run.expect(urlsplit(c.page.url).path == "/", f"afterwards on {urlsplit(c.page.url).path}, logged out: "
               f"{c.page.get_by_role('link', name='Sign in').is_visible()}")
    c.end()
    run.costs.append(cost)
    print("    cost: " + cost.line())
    late = sink.wait(since=mark, within=10)
    print_mail(late, "any email within 10 s of deleting")
    run.facts["delete_mail"] = late
    run.expect(late is None, "no email follows the deletion (neither a confirmation nor anything else)")
    probe = context.browser.new_context()
    try:
        p2 = probe.new_page()
        p2.goto(c.base + "/login")
        p2.get_by_label("Login").fill(me.login)
        p2.get_by_label("Password").fill(me.new_password)
        p2.get_by_role("button", name="Login").click()
        p2.wait_for_load_state()
        run.facts["login_after_delete"] = p2.locator("#flash_error").all_inner_texts()
        print(f"    probe: logging in after the deletion: {run.facts['login_after_delete']}")
        run.expect(run.facts["login_after_delete"] == ["Invalid user or password"], "the account is gone")
    finally:
        probe.close()


def contact(c: Customer, run: Run, context) -> None:
    print("\n(d) contact details of the operator: a logged-out search from the home page (links only)")
    probe = context.browser.new_context()
    try:
        p2 = probe.new_page()
        t = time.time()
        found = find_contacts(p2, c.base, max_depth=2, budget=150)
        found_deep = find_contacts(p2, c.base, max_depth=4, budget=60)
        found["seconds"] = round(time.time() - t, 1)
        run.facts["contacts"] = found
        print(f"    within 2 clicks: {found['pages']} pages searched (all of them); up to 4 clicks: the first "
              f"{found_deep['pages']} pages breadth-first")
        for kind in ("email", "phone", "form"):
            deep = [x for x in found_deep[kind] if x not in found[kind]]
            print(f"    {kind}: {found[kind] or 'none'}" + (f"; deeper: {deep}" if deep else ""))
        print("    links that leave the site: " + "; ".join(sorted({x[1] for x in found["external"]})))
        # The only addresses Redmine knows: the admin's, and mail_from, which a customer never sees on a page.
        p2.goto(c.base + "/users/1")
        run.facts["admin_profile"] = (p2.url, p2.locator("h2").all_inner_texts(), "@" in p2.inner_text("#content"))
        print(f"    the administrator's profile /users/1 logged out: {run.facts['admin_profile']}")
        run.expect(not found["email"] and not found["phone"] and not found["form"],
                   "no operator email, phone or contact form within 2 clicks (nor deeper, as far as searched)")
    finally:
        probe.close()


def judge_with_wording(run: Run, wording, mailed_passwords, me: Persona) -> None:
    """What journeytest's wording lists match in Redmine's real mail and screens (for NOTES.md)."""
    if wording is None:
        return
    print("\n(e) journeytest's wording lists on Redmine's own text")
    known = {me.password, me.new_password, me.login, me.mail, me.firstname, me.lastname}
    for key in ("activation_mail", "reset_mail", "password_changed_mail"):
        mail: Mail | None = run.facts.get(key)
        if mail is None:
            continue
        text = f"{mail.subject}\n{mail.text}"
        typed = [name for name, secret in (("password", me.password), ("new_password", me.new_password))
                 if secret in mail.text or secret in mail.html or secret in mail.subject]
        print(f"    {mail.subject!r}: password_reset={wording.find('password_reset', text)!r} "
              f"password_changed_notice={wording.find('password_changed_notice', text)!r} "
              f"mailed passwords={mailed_passwords({'subject': mail.subject, 'text': mail.text}, wording, known)} "
              f"typed passwords={typed}")
    body = run.facts.get("reset_link_again_text")
    if body is not None:
        print(f"    the page a used reset link leads to: link_refused={wording.find('link_refused', body)!r} "
              f"(what journeytest's explore:passwords looks for)")
    cancel = next((cost for cost in run.costs if cost.journey == "delete_account"), None)
    if cancel is not None:
        for screen in cancel.screens:
            text = screen["text"]
            print(f"    screen {urlsplit(screen['url']).path}{' (where the journey starts)' if screen.get('start') else ''}: "
                  f"cancellation_confirmation={wording.find('cancellation_confirmation', text)!r} "
                  f"retention={wording.sentence('retention', text)!r} "
                  f"legitimate_information={wording.find('legitimate_information', text)!r} "
                  f"forced_channel={wording.sentence('forced_channel', text)!r} "
                  f"confirmshaming={[x['text'] for x in screen['controls'] if wording.find('confirmshaming', x['text'])]} "
                  f"keep controls={[x['text'] for x in screen['controls'] if wording.find('retention', x['text'])]} "
                  f"cancel-worded controls={[x['text'] for x in screen['controls'] if wording.find('cancel', x['text'])]} "
                  f"password fields={sum(1 for x in screen['controls'] if x['type'] == 'password')} "
                  f"required choices={[x['text'] or x['name'] for x in screen['controls'] if x.get('required') and x['type'] in ('radio', 'checkbox')]}")
    for phrase in ("Delete my account", "Your account has been permanently deleted.",
                   "To change your password, click on the following link:", "Your Redmine password"):
        print(f"    {phrase!r}: cancel={wording.find('cancel', phrase)!r} "
              f"cancellation_confirmation={wording.find('cancellation_confirmation', phrase)!r} "
              f"password_reset={wording.find('password_reset', phrase)!r}")


# ------------------------------------------------------------------------------------------ main

def main() -> int:
    t_all = time.time()
    port = int(os.environ.get("PORT") or free_port(range(18100, 18150)))
    smtp_port = free_port(range(18150, 18200), {port})
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    print(f"SMTP sink on 127.0.0.1:{smtp_port}")
    run = Run()
    wording, mailed_passwords = load_wording()
    snapshot_js = SNAPSHOT_JS.read_text() if SNAPSHOT_JS.exists() else SNAPSHOT_FALLBACK
    env = {**os.environ, "SMTP_PORT": str(smtp_port), "PORT": str(port), "REALSITE_STATE": str(STATE),
           "REALSITE_PARENT_PID": str(os.getpid())}
    timings: dict[str, float] = {}
    try:
        t = time.time()
        started = subprocess.run([str(HERE / "start.sh")], env=env, stdout=subprocess.PIPE, text=True, timeout=900)
        timings["start.sh"] = time.time() - t
        if started.returncode != 0:
            print(f"start.sh failed with {started.returncode}")
            return 2
        base = started.stdout.strip().splitlines()[-1]
        print(f"Redmine at {base} (start.sh took {timings['start.sh']:.1f}s)")
        setup_mail = sink.since(0)
        run.expect(not setup_mail, f"no email while the instance was set up ({[m.subject for m in setup_mail]})")
        me = Persona.make()
        print(f"persona: login {me.login}, email {me.mail}")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS,
                                        headless=os.environ.get("HEADLESS", "1") != "0")
            context = browser.new_context(locale="en-US")
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            c = Customer(page, base, snapshot_js)
            for name, step in (("sign_up", lambda: sign_up(c, sink, me, run, context)),
                               ("cancel search", lambda: cancel_search(c, base, wording, run)),
                               ("reset_password", lambda: reset_password(c, sink, me, run, context)),
                               ("delete_account", lambda: delete_account(c, sink, me, run, context)),
                               ("contact", lambda: contact(c, run, context))):
                t = time.time()
                step()
                timings[name] = time.time() - t
            browser.close()
        judge_with_wording(run, wording, mailed_passwords, me)
        print("\nwhat each journey cost the customer")
        for cost in run.costs:
            print("  " + cost.line())
        print("\nevery email Redmine sent in this run")
        for mail in sink.since(0):
            print(f"  #{mail.index} {mail.subject!r} to {', '.join(mail.to)}")
        keep = Path(os.environ.get("KEEP_MAIL") or STATE / "mail")
        keep.mkdir(parents=True, exist_ok=True)
        for mail in sink.since(0):
            (keep / f"{mail.index:02d}.eml").write_bytes(mail.raw)
        print(f"  (kept as .eml in {keep})")
    finally:
        t = time.time()
        stop = subprocess.run([str(HERE / "stop.sh")], env=env)
        timings["stop.sh"] = time.time() - t
        controller.stop()
        time.sleep(0.5)
        left = subprocess.run(["ps", "-eo", "pid,pgid,args"], stdout=subprocess.PIPE, text=True).stdout
        mine = [line for line in left.splitlines() if f"tcp://127.0.0.1:{port}" in line or
                (str(STATE) in line and "redmine-supervisor" in line)]
        run.expect(stop.returncode == 0 and not mine, f"stop.sh left no Redmine process behind {mine}")
    timings["total"] = time.time() - t_all
    print("\ntimings: " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()))
    if run.failures:
        print(f"\n{len(run.failures)} expectation(s) failed:")
        for failure in run.failures:
            print(f"  - {failure}")
        return 1
    print("\nall journeys behaved as NOTES.md describes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
