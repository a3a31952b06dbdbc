"""Customer journeys on Trac 1.6 + TracAccountManager 0.6.0, in plain Playwright (sync API).

Run with the project's venv (playwright + aiosmtpd):

    /work/main/.venv/bin/python realsites/trac/raw_journeys.py            # fresh Trac env, venv reused
    /work/main/.venv/bin/python realsites/trac/raw_journeys.py --clean    # also rebuild the venv (timed)
    ... --headed / --keep (leave tracd running, print how to stop it)

It starts its own SMTP sink (aiosmtpd Controller on 127.0.0.1, a port in 18250-18299), runs
start.sh with SMTP_PORT pointing at it (Trac's own SmtpEmailSender delivers there), runs
the journeys as a customer would (role/label/text locators), prints what each cost and every
email, and runs stop.sh in a finally.

Journeys: (a) register, verify the email address, log in; (b) forgot password: mailed
temporary password, forced change, log in with the new one; (c) delete the account;
(d) where the operator's contact details are; (e) probes of the reset mechanics that
journeytest's password checks depend on (old password after a reset request, mailed
password after it was used).
"""

from __future__ import annotations

import argparse
import email
import email.policy
import os
import re
import secrets
import shutil
import socket
import string
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from aiosmtpd.controller import Controller
from playwright.sync_api import Page, expect, sync_playwright

HERE = Path(__file__).resolve().parent
STATE = Path(os.environ.get("REALSITE_STATE", "/tmp/realsites/trac"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 15000


# ------------------------------------------------------------------------------------ mail


@dataclass
class Mail:
    received_at: float
    mail_from: str
    rcpt_tos: list[str]
    subject: str
    headers: dict[str, str]
    body: str


class Sink:
    """An in-process SMTP server that keeps every message, for the journeys to wait on."""

    def __init__(self, mail_dir: Path | None = None) -> None:
        self.mails: list[Mail] = []
        self.cond = threading.Condition()
        self.mail_dir = mail_dir  # every message is also kept there as NN.eml, as it arrived

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        part = msg.get_body(preferencelist=("plain", "html")) if msg.is_multipart() else msg
        body = (part.get_content() if part is not None else "").replace("\r\n", "\n")
        mail = Mail(time.time(), envelope.mail_from, list(envelope.rcpt_tos), str(msg.get("Subject", "")),
                    {k: str(v) for k, v in msg.items()}, body)
        with self.cond:
            self.mails.append(mail)
            if self.mail_dir is not None:
                self.mail_dir.mkdir(parents=True, exist_ok=True)
                (self.mail_dir / f"{len(self.mails):02d}.eml").write_bytes(envelope.original_content or envelope.content)
            self.cond.notify_all()
        return "250 OK"

    def wait(self, to: str, subject: str, since: int, timeout: float = 20.0) -> tuple[Mail, float]:
        """The first mail after index `since` to `to` whose subject contains `subject`; and the seconds waited."""
        start = time.time()
        with self.cond:
            while True:
                for mail in self.mails[since:]:
                    if to.lower() in [r.lower() for r in mail.rcpt_tos] and subject.lower() in mail.subject.lower():
                        return mail, time.time() - start
                left = timeout - (time.time() - start)
                if left <= 0:
                    got = [(m.rcpt_tos, m.subject) for m in self.mails[since:]]
                    raise AssertionError(f"no mail to {to} with {subject!r} within {timeout}s; got {got}")
                self.cond.wait(left)


def free_port(lo: int, hi: int) -> int:
    for port in range(lo, hi + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {lo}-{hi}")


# ------------------------------------------------------------------------------- effort


@dataclass
class Journey:
    """Counts what a journey costs the customer: clicks, fields, page loads, distinct pages, dialogs."""

    name: str
    page: Page
    clicks: int = 0
    fields: int = 0
    keystrokes: int = 0
    page_loads: int = 0
    dialogs: int = 0
    paths: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    mail_wait_s: float = 0.0
    started: float = field(default_factory=time.time)
    ended: float = 0.0

    def __post_init__(self) -> None:
        self.page.on("framenavigated", self._navigated)
        self.page.on("dialog", self._dialog)
        self.answer_dialog = True

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.page_loads += 1
            path = urlsplit(frame.url).path
            self.paths.append(path)
            self.log.append(f"    page  {frame.url}")

    def _dialog(self, dialog) -> None:
        self.dialogs += 1
        self.log.append(f"    dialog {dialog.type}: {dialog.message!r} -> {'accept' if self.answer_dialog else 'dismiss'}")
        dialog.accept() if self.answer_dialog else dialog.dismiss()

    def click(self, locator, what: str) -> None:
        self.clicks += 1
        self.log.append(f"    click {what}")
        locator.click()
        self.page.wait_for_load_state()

    def fill(self, locator, value: str, what: str, secret: bool = False) -> None:
        self.fields += 1
        self.keystrokes += len(value)
        self.log.append(f"    fill  {what} = {'•' * 8 if secret else value!r}")
        locator.fill(value)

    def goto(self, url: str, what: str = "") -> None:
        self.log.append(f"    goto  {url} {what}".rstrip())
        self.page.goto(url)

    def open_email_link(self, url: str) -> None:
        self.clicks += 1
        self.log.append(f"    click the link in the email: {url}")
        self.page.goto(url)

    def see(self, text: str) -> None:
        expect(self.page.get_by_text(text).first).to_be_visible()
        self.log.append(f"    saw   {text!r}")

    def finish(self) -> None:
        self.ended = time.time()
        self.page.remove_listener("framenavigated", self._navigated)  # the next journey on this tab counts its own
        self.page.remove_listener("dialog", self._dialog)

    def summary(self) -> str:
        took = self.ended - self.started
        return (f"{self.name}: {self.clicks} clicks, {self.fields} fields ({self.keystrokes} keystrokes), "
                f"{self.page_loads} page loads, {len(set(self.paths))} distinct pages, {self.dialogs} dialogs, "
                f"{took:.1f} s ({took - self.mail_wait_s:.1f} s without {self.mail_wait_s:.1f} s waiting for mail)")


def notices(page: Page) -> list[str]:
    """Trac's notice/warning boxes (#warning, #notice) as the customer reads them."""
    out = []
    for box in page.locator("#notice, #warning, .system-message").all():
        out.append(re.sub(r"\s+", " ", box.inner_text()).strip())
    return out


def print_mail(mail: Mail) -> None:
    print(f"  --- email at {time.strftime('%H:%M:%S', time.localtime(mail.received_at))} "
          f"(envelope from {mail.mail_from} to {', '.join(mail.rcpt_tos)})")
    for key in ("From", "To", "Reply-To", "Subject", "Date", "Content-Type"):
        if key in mail.headers:
            print(f"  {key}: {mail.headers[key]}")
    print("  |" + mail.body.rstrip("\n").replace("\n", "\n  |"))


def new_context(browser):
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    return context


# ----------------------------------------------------------------------------- journeys


def login(j: Journey, username: str, password: str) -> None:
    page = j.page
    j.fill(page.get_by_label("Username:"), username, "Username:")
    j.fill(page.get_by_label("Password:", exact=True), password, "Password:", secret=True)
    j.click(page.get_by_role("button", name="Login"), "button 'Login'")


def logged_in_as(page: Page) -> str | None:
    m = re.search(r"logged in as (\S+)", page.locator("#metanav").inner_text())
    return m.group(1) if m else None


def journey_sign_up(browser, base: str, sink: Sink, persona: dict) -> tuple[Journey, object]:
    context = new_context(browser)
    page = context.new_page()
    j = Journey("(a) sign up + verify email + log in", page)
    j.goto(base + "/")
    j.click(page.get_by_role("link", name="Register"), "link 'Register'")
    expect(page.get_by_role("heading", name="Register an account")).to_be_visible()
    j.fill(page.get_by_label("Username:"), persona["username"], "Username:")
    j.fill(page.get_by_label("Password:", exact=True), persona["password"], "Password:", secret=True)
    j.fill(page.get_by_label("Confirm Password:"), persona["password"], "Confirm Password:", secret=True)
    j.fill(page.get_by_label("Email:"), persona["email"], "Email:")
    # "Name:" sits under "Optional"; a customer in a hurry leaves it empty (we do, to count the minimum).
    since = len(sink.mails)
    j.click(page.get_by_role("button", name="Create account"), "button 'Create account'")
    print(f"  after 'Create account': {page.url} notices={notices(page)}")
    j.see("Your username has been successfully registered but your account still requires activation")
    registered_mails = len(sink.mails) - since
    print(f"  mails sent by registering itself: {registered_mails}")
    login(j, persona["username"], persona["password"])
    print(f"  after 'Login': {page.url} logged_in_as={logged_in_as(page)} notices={notices(page)}")
    mail, waited = sink.wait(persona["email"], "Account email verification", since)
    j.mail_wait_s += waited
    print_mail(mail)
    link = re.search(r"Verification URL: <([^>]+)>", mail.body).group(1)
    token = re.search(r"Verification Token: (.+)", mail.body).group(1).strip()
    print(f"  verification link: {link}\n  verification token as mailed: {token!r}")
    # what a logged-in customer sees before verifying
    page_text = page.locator("#warning").all_inner_texts() if page.locator("#warning").count() else []
    j.log.append(f"    (before verifying, warnings: {page_text})")
    j.open_email_link(link)
    print(f"  after the email link: {page.url} notices={notices(page)}")
    j.see("Thank you for verifying your email address.")
    assert logged_in_as(page) == persona["username"], page.locator("#metanav").inner_text()
    j.finish()
    return j, context


def journey_reset(browser, base: str, sink: Sink, persona: dict, context) -> tuple[Journey, object, str]:
    page = context.pages[0]
    j = Journey("(b) log out, forgot password, mailed password, forced change, log in with the new one", page)
    j.click(page.get_by_role("button", name="Logout"), "button 'Logout'")
    assert logged_in_as(page) is None
    j.click(page.get_by_role("link", name="Forgot your password?"), "link 'Forgot your password?'")
    expect(page.get_by_role("heading", name="Reset Password")).to_be_visible()
    intro = page.locator("#content p").first.inner_text()
    print(f"  reset page says: {intro!r}")
    j.fill(page.get_by_label("Username:"), persona["username"], "Username:")
    j.fill(page.get_by_label("Email Address:"), persona["email"], "Email Address:")
    since = len(sink.mails)
    j.click(page.get_by_role("button", name="Reset password"), "button 'Reset password'")
    print(f"  after 'Reset password': {page.url} notices={notices(page)}")
    j.see(f"A new password has been sent to you at <{persona['email']}>.")
    mail, waited = sink.wait(persona["email"], "Account password reset", since)
    j.mail_wait_s += waited
    print_mail(mail)
    temp = re.search(r"^Password: (\S+)$", mail.body, re.M).group(1)
    print(f"  the mailed password: {temp!r} ({len(temp)} characters, in plain text after 'Password: ')")
    # The reset redirected to /login; the customer types the mailed password there.
    assert urlsplit(page.url).path == "/login", page.url
    login(j, persona["username"], temp)
    print(f"  after logging in with it: {page.url} logged_in_as={logged_in_as(page)} notices={notices(page)}")
    j.see("You are required to change password because of a recent password change request.")
    assert urlsplit(page.url).path == "/prefs/account", page.url
    # Is the customer held on this page? Try another page: AccountModule.post_process_request redirects back.
    held = page.request.get(base + "/wiki/WikiStart", max_redirects=0)
    print(f"  while the change is pending, GET /wiki/WikiStart answers {held.status} -> {held.headers.get('location')}")
    form = page.locator("form#userprefs")
    j.fill(page.get_by_label("Old Password:"), temp, "Old Password:", secret=True)
    # 'New Password:' is <label for="password"> but its input has no id="password" (only name=),
    # so the label is not associated: get_by_label cannot find it. Fall back to the field's name.
    new_label_ok = page.get_by_label("New Password:").count()
    confirm_label_ok = page.get_by_label("Confirm Password:").count()
    print(f"  get_by_label('New Password:') finds {new_label_ok}, get_by_label('Confirm Password:') finds {confirm_label_ok}"
          " (labels not tied to their inputs)")
    j.fill(form.locator("input[name=password]"), persona["new_password"], "New Password: (by name, label not associated)",
           secret=True)
    j.fill(form.locator("input[name=password_confirm]"), persona["new_password"],
           "Confirm Password: (by name, label not associated)", secret=True)
    since_change = len(sink.mails)
    j.click(page.get_by_role("button", name="Save changes"), "button 'Save changes'")
    print(f"  after 'Save changes': {page.url} notices={notices(page)}")
    j.see("Password updated successfully.")
    j.see("Thank you for taking the time to update your password.")
    j.click(page.get_by_role("button", name="Logout"), "button 'Logout'")
    j.click(page.get_by_role("link", name="Login"), "link 'Login'")
    login(j, persona["username"], persona["new_password"])
    assert logged_in_as(page) == persona["username"], page.locator("#metanav").inner_text()
    print(f"  logged in with the new password: {page.url} logged_in_as={logged_in_as(page)} notices={notices(page)}")
    time.sleep(1.5)
    changed = sink.mails[since_change:]
    print(f"  mails after the password change: {[m.subject for m in changed] or 'none'}")
    j.finish()
    return j, context, temp


def journey_delete(browser, base: str, sink: Sink, persona: dict, context) -> Journey:
    page = context.pages[0]
    j = Journey("(c) delete the account", page)
    j.click(page.get_by_role("link", name="Preferences"), "link 'Preferences'")
    tabs = [t.strip() for t in page.locator("#tabs li").all_inner_texts()]
    print(f"  preference tabs: {tabs}")
    j.click(page.get_by_role("link", name="Account", exact=True), "tab link 'Account'")
    expect(page.get_by_role("heading", name="Delete Account")).to_be_visible()
    # Four password fields on this page ('Old Password:', 'New Password:', 'Confirm Password:', and the
    # delete form's 'Password:'); only the last one's label reads exactly "Password:".
    print(f"  password fields on the page: {page.locator('input[type=password]').count()}; "
          f"get_by_label('Password:', exact=True) finds {page.get_by_label('Password:', exact=True).count()}")
    j.fill(page.get_by_label("Password:", exact=True), persona["new_password"], "Password: (in 'Delete Account')", secret=True)
    since = len(sink.mails)
    j.click(page.get_by_role("button", name="Delete account"), "button 'Delete account' (confirm() accepted)")
    print(f"  after 'Delete account': {page.url} logged_in_as={logged_in_as(page)} notices={notices(page)}")
    heading = page.locator("h1").first.inner_text()
    print(f"  the page it ends on: {page.url}, <h1> {heading!r}")
    time.sleep(2)
    print(f"  mails after deleting: {[m.subject for m in sink.mails[since:]] or 'none'}")
    # the account is really gone: logging in fails
    login(j, persona["username"], persona["new_password"])
    print(f"  logging in again afterwards: {notices(page)} logged_in_as={logged_in_as(page)}")
    j.log.append("    (the last login is a check, not part of the customer's cost: subtracted below)")
    j.clicks -= 1
    j.fields -= 2
    j.keystrokes -= len(persona["username"]) + len(persona["new_password"])
    j.page_loads -= 1
    j.see("Invalid username or password")
    j.finish()
    return j


EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w-])", re.I)


def phone_numbers(text: str) -> list[str]:
    """Valid phone numbers in a text, the way journeytest's crawl finds them (phonenumbers, Leniency.VALID)."""
    try:
        import phonenumbers
    except ImportError:
        return []
    return [m.raw_string for m in phonenumbers.PhoneNumberMatcher(text, "US", leniency=phonenumbers.Leniency.VALID)]


def journey_contact(browser, base: str) -> dict:
    """Logged out, from the home page: every click path up to two clicks deep, as plain HTTP like a crawler."""
    context = new_context(browser)
    request = context.request
    seen: dict[str, int] = {}
    found: list[tuple[int, str, str, str]] = []  # depth, kind, value, path
    queue = deque([(base + "/", 0, "home")])
    pages = 0
    t0 = time.time()
    while queue and pages < 250:
        url, depth, trail = queue.popleft()
        if url in seen:
            continue
        seen[url] = depth
        resp = request.get(url, max_redirects=3)
        pages += 1
        if "html" not in resp.headers.get("content-type", ""):
            continue
        html = resp.text()
        text = re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html))
        for m in re.finditer(r'href="mailto:([^"?]+)', html):
            found.append((depth, "mailto", m.group(1), trail))
        for m in EMAIL_RE.finditer(text):
            found.append((depth, "email in text", m.group(0), trail))
        for m in re.finditer(r'href="tel:([^"]+)', html):
            found.append((depth, "tel", m.group(1), trail))
        for number in phone_numbers(text):
            found.append((depth, "phone in text", number, trail))
        for form in re.findall(r"(?s)<form\b.*?</form>", html):
            if "<textarea" in form and re.search(r'name="[^"]*email', form):
                found.append((depth, "contact-like form", re.search(r'action="([^"]*)"', form).group(1), trail))
        if depth >= 2:
            continue
        for href, words in re.findall(r'(?s)<a\b[^>]*href="([^"#]+)"[^>]*>(.*?)</a>', html):
            target = urljoin(url, href.replace("&amp;", "&"))
            if not target.startswith(base) or "/logout" in target or "/chrome/" in target:
                continue
            if "?" in target and any(q in target for q in ("action=diff", "format=", "version=", "action=history")):
                continue  # page variants, not new pages
            words = re.sub(r"<[^>]+>|\s+", " ", words).strip()
            queue.append((target, depth + 1, f"{trail} > {words or href}"))
    context.close()
    by_value: dict[tuple[str, str], tuple[int, str, str, str]] = {}
    for item in sorted(found):
        by_value.setdefault((item[1], item[2]), item)
    return {"pages": pages, "seconds": time.time() - t0, "found": sorted(by_value.values())}


def probes(browser, base: str, sink: Sink, persona: dict) -> list[str]:
    """(e) The mechanics behind journeytest's checks, on a second account: verification token and link,
    and what the mailed temporary password does before and after it is used."""
    out: list[str] = []
    context = new_context(browser)
    page = context.new_page()
    j = Journey("(e) probes", page)
    j.goto(base + "/register")
    j.fill(page.get_by_label("Username:"), persona["username"], "Username:")
    j.fill(page.get_by_label("Password:", exact=True), persona["password"], "Password:", secret=True)
    j.fill(page.get_by_label("Confirm Password:"), persona["password"], "Confirm Password:", secret=True)
    j.fill(page.get_by_label("Email:"), persona["email"], "Email:")
    j.click(page.get_by_role("button", name="Create account"), "Create account")

    def log_in(password: str) -> tuple[bool, str, bool]:
        """Log in from /login; (logged in?, where it lands, asked to change the password?)."""
        j.goto(base + "/login")
        login(j, persona["username"], password)
        said = " ".join(notices(page))
        return logged_in_as(page) == persona["username"], urlsplit(page.url).path, "required to change password" in said

    def log_out() -> None:
        if logged_in_as(page):
            j.click(page.get_by_role("button", name="Logout"), "Logout")

    def reset() -> str:
        since = len(sink.mails)
        j.goto(base + "/reset_password")
        j.fill(page.get_by_label("Username:"), persona["username"], "Username:")
        j.fill(page.get_by_label("Email Address:"), persona["email"], "Email Address:")
        j.click(page.get_by_role("button", name="Reset password"), "Reset password")
        mail, _ = sink.wait(persona["email"], "Account password reset", since)
        return re.search(r"^Password: (\S+)$", mail.body, re.M).group(1)

    def change(old: str, new: str) -> bool:
        form = page.locator("form#userprefs")
        j.fill(page.get_by_label("Old Password:"), old, "Old Password:", secret=True)
        j.fill(form.locator("input[name=password]"), new, "New Password:", secret=True)
        j.fill(form.locator("input[name=password_confirm]"), new, "Confirm Password:", secret=True)
        j.click(page.get_by_role("button", name="Save changes"), "Save changes")
        return "Password updated successfully." in " ".join(notices(page))

    P, N = persona["password"], persona["new_password"]
    since = len(sink.mails)
    ok, where, _ = log_in(P)
    assert ok
    mail, _ = sink.wait(persona["email"], "Account email verification", since)
    token = re.search(r"Verification Token: (.+)", mail.body).group(1).strip()
    link = re.search(r"Verification URL: <([^>]+)>", mail.body).group(1)

    # A. the verification link and token
    j.goto(base + "/wiki/WikiStart")
    out.append(f"A0. logged in, not yet verified, on the next page: {notices(page)}; "
               f"'Create new ticket' offered: {page.get_by_role('link', name='New Ticket').count() > 0}")
    cut = re.match(r"https?://[^\s<>\"')\]]+", link).group(0)  # journeytest HEAD's URL_IN_TEXT
    j.goto(cut)
    field = page.get_by_label("Verification Token:")
    out.append(f"A1. the link cut at its first quote ({cut}), opened logged in: <h1> {page.locator('h1').first.inner_text()!r}, "
               f"token field holds {field.input_value()!r}, notices {notices(page)}")
    anon = new_context(browser)
    p2 = anon.new_page()
    p2.goto(link)
    out.append(f"A2. the full link opened logged out lands on {urlsplit(p2.url).path}: {notices(p2)}")
    anon.close()
    j.fill(field, token, "Verification Token:")
    j.click(page.get_by_role("button", name="Verify"), "Verify")
    out.append(f"A3. typing the token as mailed ({token!r}, quotes included) and pressing 'Verify': {notices(page)} on "
               f"{urlsplit(page.url).path}")
    log_out()

    # B. a reset request does not lock the old password out; using the old one discards the mailed one
    t1 = reset()
    ok, where, forced = log_in(P)
    out.append(f"B1. after a reset request the OLD password still logs in: {ok} (lands on {where}, forced to change: {forced})")
    log_out()
    ok, _, _ = log_in(t1)
    out.append(f"B2. ...after that login, the mailed password T1 logs in: {ok}")
    log_out()

    # C. two requests: only the latest mailed password counts
    t2, t3 = reset(), reset()
    ok, _, _ = log_in(t2)
    out.append(f"C1. two reset requests in a row: the first mailed password T2 logs in: {ok}")
    log_out()

    # D. the forced change can be skipped by logging out and in again
    ok, where, forced = log_in(t3)
    out.append(f"D1. the latest mailed password T3 logs in: {ok}, lands on {where}, forced to change: {forced}")
    log_out()
    ok, where, forced = log_in(t3)
    out.append(f"D2. logged out without changing it, then T3 again: logs in {ok}, lands on {where}, forced to change: {forced}"
               " (T3 is now the account password; the ordinary login cleared force_change_passwd)")
    log_out()

    # E. the mailed password after the customer replaced it
    t4 = reset()
    ok, where, forced = log_in(t4)
    changed = change(t4, N)
    out.append(f"E1. T4 logs in ({ok}, forced {forced}); new password set: {changed}")
    log_out()
    ok, where, forced = log_in(t4)
    out.append(f"E2. before any login with the new password, the mailed T4 logs in AGAIN: {ok}, lands on {where}, "
               f"forced to change: {forced}")
    log_out()
    ok_new, _, _ = log_in(N)
    out.append(f"E3. ...and now the password the customer chose logs in: {ok_new} (the T4 login made T4 the account password)")
    log_out()
    t5 = reset()
    ok, _, forced = log_in(t5)
    changed = change(t5, N)
    log_out()
    ok_new, _, _ = log_in(N)
    log_out()
    ok, _, _ = log_in(t5)
    out.append(f"E4. T5 used, new password set ({changed}), then an ordinary login with it ({ok_new}): T5 logs in afterwards: {ok}")
    log_out()
    j.finish()
    context.close()
    return out


# --------------------------------------------------------------------------------- main


def make_persona(tag: str) -> dict:
    suffix = secrets.token_hex(3)
    alphabet = string.ascii_letters + string.digits + "!#%&*+-=?@^_"

    def pw() -> str:
        while True:
            p = "".join(secrets.choice(alphabet) for _ in range(16))
            if any(c.islower() for c in p) and any(c.isupper() for c in p) and any(c.isdigit() for c in p):
                return p

    return {"username": f"{tag}-{suffix}", "email": f"{tag}.{suffix}@example.com", "password": pw(), "new_password": pw()}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clean", action="store_true", help="remove the whole state folder (venv too) first")
    ap.add_argument("--headed", action="store_true")
    ap.add_argument("--keep", action="store_true", help="leave tracd running at the end")
    args = ap.parse_args()

    if args.clean and STATE.exists():
        if (STATE / "pid").exists():
            subprocess.run([str(HERE / "stop.sh")], env={**os.environ, "REALSITE_STATE": str(STATE)}, check=False)
        shutil.rmtree(STATE)

    mail_dir = STATE / "mail"
    shutil.rmtree(mail_dir, ignore_errors=True)
    sink = Sink(mail_dir)
    smtp_port = free_port(18250, 18299)
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    web_port = int(os.environ.get("PORT") or free_port(18200, 18249))
    env = {**os.environ, "SMTP_PORT": str(smtp_port), "PORT": str(web_port), "REALSITE_STATE": str(STATE)}
    print(f"SMTP sink on 127.0.0.1:{smtp_port}; state {STATE}")
    timings: dict[str, float] = {}
    journeys: list[Journey] = []
    ok = False
    try:
        t0 = time.time()
        started = subprocess.run([str(HERE / "start.sh")], env=env, capture_output=True, text=True)
        timings["start.sh"] = time.time() - t0
        sys.stdout.write("".join(f"  [start.sh] {line}\n" for line in started.stderr.splitlines()))
        if started.returncode != 0:
            print(started.stdout)
            raise SystemExit(f"start.sh failed ({started.returncode})")
        base = started.stdout.strip().splitlines()[-1]
        print(f"base URL: {base} (start.sh took {timings['start.sh']:.1f} s)")

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=not args.headed)
            persona = make_persona("customer")
            print(f"\npersona: username {persona['username']}, email {persona['email']} (passwords generated, not shown)")

            print("\n== (a) sign up")
            a, ctx = journey_sign_up(browser, base, sink, persona)
            journeys.append(a)
            print("\n== (b) reset password")
            b, ctx, temp = journey_reset(browser, base, sink, persona, ctx)
            journeys.append(b)
            print("\n== (c) delete account")
            c = journey_delete(browser, base, sink, persona, ctx)
            journeys.append(c)
            ctx.close()

            print("\n== (d) contact details (logged out, from the home page, up to 2 clicks)")
            t = time.time()
            crawl = journey_contact(browser, base)
            timings["(d) contact"] = time.time() - t
            print(f"  {crawl['pages']} pages fetched in {crawl['seconds']:.1f} s")
            for depth, kind, value, trail in crawl["found"][:40]:
                print(f"  depth {depth}: {kind:17} {value:40} via {trail}")
            if len(crawl["found"]) > 40:
                print(f"  ... {len(crawl['found']) - 40} more")
            kinds = {k for _, k, _, _ in crawl["found"]}
            print(f"  kinds found: {sorted(kinds) or 'nothing'}; operator address configured ([project] admin): none, "
                  "shown only on error pages when set")

            print("\n== (e) probes of the reset mechanics (second account)")
            t = time.time()
            for line in probes(browser, base, sink, make_persona("probe")):
                print("  " + line)
            timings["(e) probes"] = time.time() - t
            browser.close()

        print("\n== journeys in steps")
        for j in journeys:
            print(f"  {j.name}")
            print("\n".join(j.log))
        print("\n== what each journey cost the customer")
        for j in journeys:
            print("  " + j.summary())
        print(f"\n== every email captured ({len(sink.mails)})")
        for mail in sink.mails:
            print_mail(mail)
        ok = True
    finally:
        pid_file = STATE / "pid"
        pgid = pid_file.read_text().strip() if pid_file.exists() else None
        if args.keep and ok:
            print(f"\ntracd left running (pgid {pgid}); stop it with: REALSITE_STATE={STATE} {HERE / 'stop.sh'}")
        else:
            t = time.time()
            stopped = subprocess.run([str(HERE / "stop.sh")], env=env, capture_output=True, text=True)
            timings["stop.sh"] = time.time() - t
            print(f"\n{stopped.stdout.strip()} {stopped.stderr.strip()}".rstrip())
            if pgid:
                left = subprocess.run(["ps", "-o", "pid,pgid,cmd", "-g", pgid], capture_output=True, text=True).stdout
                print(f"processes left in group {pgid}: {left.strip().splitlines()[1:] or 'none'}")
        controller.stop()
    print("\n== timings")
    for name, secs in timings.items():
        print(f"  {name}: {secs:.1f} s")
    for j in journeys:
        print(f"  {j.name.split(')')[0]})  {j.ended - j.started:.1f} s")
    print("\nall journeys passed" if ok else "\nFAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
