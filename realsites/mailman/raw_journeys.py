#!/work/main/.venv/bin/python
"""Customer journeys through stock GNU Mailman 3 + Postorius, in plain Playwright (sync API).

Run with /work/main/.venv/bin/python (playwright, aiosmtpd). It starts its own SMTP sink
(aiosmtpd, in process, 127.0.0.1:$RAW_SMTP_PORT), wipes the site's data (not its venv), runs
start.sh with SMTP_PORT pointing at the sink, walks the journeys as a customer would, and runs
stop.sh in a finally. Every email is printed (subject, headers that matter, body). Mail the
customer *sends* (a reply to a confirmation, a message to news-leave@) goes where an MTA would
hand it: to Mailman's LMTP runner on 127.0.0.1:$MAILMAN_LMTP_PORT.

Journeys:
  a1 subscribe             anonymous, from the list page: email + Subscribe; the confirmation mail
  a2 confirm_subscription  reply to the confirmation mail (it has no link); the welcome mail
  b1 unsubscribe_page      anonymous on the list page: is there a way out? (no: "please sign in first")
  b2 unsubscribe_by_leave  the List-Unsubscribe header / list footer way: mail news-leave@; confirm by reply; goodbye
  b2h unsubscribe_by_help  what the welcome mail says: 'help' to news-request@, then 'unsubscribe'; confirm; goodbye
  a3 subscribe_web_confirm a second subscriber confirms on Postorius' token page instead
                           (/postorius/lists/<id>/confirm/?token=, not linked from any mail); token reuse
  c  sign_up_and_log_in    django-allauth account with the subscribed address, email verification, log in
  b3 unsubscribe_web       logged in, the list page's Unsubscribe button; goodbye mail; silence after
  e  password_reset        allauth's reset: is a password mailed? does the link work twice? a "changed" notice?
  d  contact_details       where the list owner / site operator can be reached (a small crawl from /)

Options (environment): RAW_SMTP_PORT (18325), REALSITE_STATE (/tmp/realsites/mailman), PORT (18300),
MAILMAN_LMTP_PORT (18302), RAW_KEEP_DATA=1 (do not wipe the site's data first), RAW_HEADED=1.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import shutil
import smtplib
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr
from pathlib import Path

from aiosmtpd.controller import Controller
from playwright.sync_api import Page, expect, sync_playwright

HERE = Path(__file__).resolve().parent
STATE = Path(os.environ.get("REALSITE_STATE", "/tmp/realsites/mailman"))
SMTP_PORT = int(os.environ.get("RAW_SMTP_PORT", "18325"))
PORT = int(os.environ.get("PORT", "18300"))
LMTP_PORT = int(os.environ.get("MAILMAN_LMTP_PORT", "18302"))
BASE = f"http://127.0.0.1:{PORT}"
LIST_PAGE = f"{BASE}/postorius/lists/news.example.com/"
RUN = time.strftime("%H%M%S")
OUT = STATE / "raw-journeys"
EXPECT_TIMEOUT = 10_000


# ------------------------------------------------------------------------------------- mail sink

@dataclass
class Mail:
    n: int
    at: float
    mail_from: str
    rcpt_tos: list[str]
    msg: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.msg.get("Subject", ""))

    @property
    def text(self) -> str:
        part = self.msg.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""

    def links(self) -> list[str]:
        return re.findall(r"https?://[^\s<>\"')]+", self.text)


class Sink:
    def __init__(self) -> None:
        self.mails: list[Mail] = []
        self.lock = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            self.mails.append(Mail(len(self.mails) + 1, time.time(), envelope.mail_from, list(envelope.rcpt_tos), msg))
            self.lock.notify_all()
        return "250 OK"

    def wait_for(self, to: str, subject: str, since: float, timeout: float = 30) -> Mail:
        """The first mail to `to` whose subject contains `subject`, arrived after `since`."""
        deadline = time.time() + timeout
        with self.lock:
            while True:
                for mail in self.mails:
                    if mail.at >= since and to.lower() in [r.lower() for r in mail.rcpt_tos] and subject.lower() in mail.subject.lower():
                        return mail
                left = deadline - time.time()
                if left <= 0:
                    got = [(m.rcpt_tos, m.subject) for m in self.mails if m.at >= since]
                    raise AssertionError(f"no mail to {to} with {subject!r} within {timeout:g}s; arrived since: {got}")
                self.lock.wait(left)

    def since(self, t: float, to: str | None = None) -> list[Mail]:
        with self.lock:
            return [m for m in self.mails if m.at >= t and (to is None or to.lower() in [r.lower() for r in m.rcpt_tos])]


SHOWN_HEADERS = ("From", "To", "Reply-To", "Subject", "Auto-Submitted", "Precedence", "List-Id", "List-Unsubscribe",
                 "List-Help", "List-Owner", "List-Subscribe", "List-Post", "X-Mailman-Version")


def show_mail(mail: Mail, printed: set[int], why: str = "") -> None:
    if mail.n in printed:
        return
    printed.add(mail.n)
    print(f"\n  ---- email #{mail.n}{' (' + why + ')' if why else ''}: envelope {mail.mail_from} -> {', '.join(mail.rcpt_tos)}")
    for header in SHOWN_HEADERS:
        if header in mail.msg:
            print(f"  {header}: {mail.msg[header]}")
    print("  | " + "\n  | ".join(mail.text.rstrip("\n").splitlines() or ["(empty body)"]))
    print("  ---- end of email")


# ------------------------------------------------------------------------------------- effort

@dataclass
class Effort:
    name: str
    clicks: int = 0
    fields: int = 0
    checks: int = 0
    keystrokes: int = 0
    page_loads: int = 0
    mails_sent: int = 0
    mails_received: int = 0
    pages: set[str] = field(default_factory=set)
    started: float = field(default_factory=time.time)
    waiting: float = 0.0
    ended: float | None = None
    outcome: str = "passed"

    @property
    def actions(self) -> int:
        return self.clicks + self.fields + self.checks + self.mails_sent


class Customer:
    """A browser tab that counts what the customer does, the way journeytest counts it."""

    def __init__(self, page: Page, sink: Sink, email_address: str, printed: set[int]):
        self.page, self.sink, self.email, self.printed = page, sink, email_address, printed
        self.effort = Effort("-")
        page.on("load", self._loaded)

    def _loaded(self, page: Page) -> None:
        self.effort.page_loads += 1
        self.effort.pages.add(urllib.parse.urlsplit(page.url).path)

    def journey(self, name: str) -> Effort:
        self.effort = Effort(name)
        print(f"\n=== journey {name} ({self.email})")
        return self.effort

    def goto(self, url: str) -> None:
        self.page.goto(url)
        self.say(f"goto {url}")

    def click(self, locator, what: str) -> None:
        locator.click()
        self.page.wait_for_load_state()
        self.effort.clicks += 1
        self.say(f"click {what}")

    def fill(self, locator, value: str, what: str) -> None:
        locator.fill(value)
        self.effort.fields += 1
        self.effort.keystrokes += len(value)
        self.say(f"fill {what}")

    def check(self, locator, what: str) -> None:
        locator.check()
        self.effort.checks += 1
        self.say(f"check {what}")

    def say(self, step: str) -> None:
        title = self.page.title()
        print(f"  {step:<60} -> {urllib.parse.urlsplit(self.page.url).path}  [{title}]")

    def screen(self, label: str) -> str:
        """The main region's accessible tree (role names as a locator sees them), printed and saved."""
        main = self.page.get_by_role("main")
        snap = main.aria_snapshot() if main.count() else self.page.locator("body").aria_snapshot()
        slug = re.sub(r"\W+", "-", f"{self.effort.name}-{label}").strip("-")
        (OUT / f"{slug}.aria.txt").write_text(snap)
        self.page.screenshot(path=str(OUT / f"{slug}.png"), full_page=True)
        print(f"  screen '{label}' ({self.page.url}):\n    " + "\n    ".join(snap.splitlines()[:40]))
        required = self.page.locator("[required]").evaluate_all(
            "els => els.map(e => e.tagName.toLowerCase() + (e.type ? '[' + e.type + ']' : '') + ' name=' + e.name)")
        if required:
            print(f"    required controls on this screen: {required}")
        return snap

    def messages(self) -> list[str]:
        """Django's flash messages on this page (Postorius shows them as Bootstrap alerts)."""
        return [t.strip() for t in self.page.locator(".alert").all_inner_texts()]

    def wait_mail(self, subject: str, since: float, timeout: float = 30, to: str | None = None) -> Mail:
        t0 = time.time()
        mail = self.sink.wait_for(to or self.email, subject, since, timeout)
        self.effort.waiting += time.time() - t0
        print(f"  mail arrived after {mail.at - since:.1f}s: {mail.subject!r}")
        show_mail(mail, self.printed)
        return mail

    def send_mail(self, to: str, subject: str, body: str, in_reply_to: str | None = None) -> None:
        """What the customer's mail client does: hand a message to the MTA, which delivers it to Mailman by LMTP."""
        msg = EmailMessage()
        msg["From"] = self.email
        msg["To"] = to
        msg["Subject"] = subject
        msg["Message-ID"] = make_msgid(domain="customer.example")
        msg["Date"] = email.utils.formatdate(localtime=True)
        if in_reply_to:
            msg["In-Reply-To"] = in_reply_to
            msg["References"] = in_reply_to
        msg.set_content(body)
        with smtplib.LMTP("127.0.0.1", LMTP_PORT) as lmtp:
            refused = lmtp.send_message(msg, from_addr=self.email, to_addrs=[to])
        self.effort.mails_sent += 1
        print(f"  customer sends mail to {to}: subject {subject!r}" + (f" REFUSED {refused}" if refused else "")
              + ("\n    | " + "\n    | ".join(body.splitlines()) if body.strip() else " (empty body)"))

    def reply(self, mail: Mail, body: str = "") -> None:
        """Press Reply: to Reply-To (else From), subject 'Re: …', the original quoted below."""
        to = parseaddr(str(mail.msg.get("Reply-To") or mail.msg["From"]))[1]
        quoted = "\n".join("> " + line for line in mail.text.splitlines())
        self.send_mail(to, "Re: " + mail.subject, (body + "\n\n" if body else "") + quoted, str(mail.msg.get("Message-ID", "")) or None)

    def done(self) -> Effort:
        self.effort.ended = time.time()
        self.effort.mails_received = len(self.sink.since(self.effort.started, self.email))
        return self.effort


# ------------------------------------------------------------------------------------- helpers

def roster(role: str = "member") -> list[str]:
    """Who Mailman core says is on the list (REST, as an admin would look)."""
    import base64
    import json
    import urllib.request
    request = urllib.request.Request(f"http://127.0.0.1:{os.environ.get('MAILMAN_REST_PORT', '18301')}/3.1/lists/news.example.com/roster/{role}",
                                     headers={"Authorization": "Basic " + base64.b64encode(b"restadmin:restpass").decode()})
    with urllib.request.urlopen(request, timeout=10) as response:
        return [e["email"] for e in json.load(response).get("entries", [])]


def token_of(mail: Mail) -> str:
    match = re.search(r"^\s*confirm ([0-9a-f]{20,})\s*$", mail.text, re.MULTILINE)
    assert match, "no 'confirm TOKEN' line in the confirmation mail"
    return match.group(1)


def settle(c: Customer, since: float, seconds: float) -> list[Mail]:
    """Watch for `seconds` more (counted as waiting for mail): anything else that arrives for this customer."""
    time.sleep(seconds)
    c.effort.waiting += seconds
    return c.sink.since(since, c.email)


def crawl_contacts(page: Page, start: str, max_depth: int = 2, budget: int = 40) -> list[tuple[int, str, str, str]]:
    """Breadth-first over same-site links from `start`, logged out, like journeytest's contact search:
    (depth, kind, value, page) for every email address, mailto:/tel: link and contact-like form."""
    seen, found = {start}, []
    queue = deque([(start, 0)])
    email_re = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
    while queue and budget > 0:
        url, depth = queue.popleft()
        budget -= 1
        page.goto(url)
        text = page.locator("body").inner_text()
        for address in sorted(set(email_re.findall(text))):
            found.append((depth, "email in text", address, page.url))
        for href in page.locator("a[href]").evaluate_all("els => els.map(e => e.href)"):
            if href.startswith(("mailto:", "tel:")):
                found.append((depth, href.split(":")[0] + " link", href, page.url))
            elif href.startswith(BASE) and depth < max_depth and "logout" not in href:
                clean = href.split("#")[0]
                if clean not in seen:
                    seen.add(clean)
                    queue.append((clean, depth + 1))
        forms = page.locator("form").evaluate_all(
            "fs => fs.map(f => [f.action, !!f.querySelector('textarea'), !!f.querySelector('input[type=email],input[name*=email]')])")
        for action, textarea, email_field in forms:
            if textarea and email_field:
                found.append((depth, "contact form", action, page.url))
    return found


# ------------------------------------------------------------------------------------- the journeys

def run(sink: Sink) -> list[Effort]:
    printed: set[int] = set()
    efforts: list[Effort] = []
    ann = f"ann.{RUN}@example.com"
    bob = f"bob.{RUN}@example.com"
    bob_password = "Kx7!mailman-" + RUN
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=not os.environ.get("RAW_HEADED"),
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                          "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            expect.set_options(timeout=EXPECT_TIMEOUT)
            context = browser.new_context()
            page = context.new_page()
            c = Customer(page, sink, ann, printed)

            # (a1) subscribe, anonymously, from the list's page ------------------------------------
            c.journey("a1 subscribe")
            t = time.time()
            c.goto(LIST_PAGE)
            c.screen("list page, logged out")
            c.fill(page.get_by_label("Your email address"), ann, "label 'Your email address'")
            c.click(page.get_by_role("button", name="Subscribe", exact=True), "button 'Subscribe'")
            expect(page.get_by_text("Please check your inbox for further instructions")).to_be_visible()
            print(f"  on screen: {c.messages()}")
            c.screen("after Subscribe")
            confirm = c.wait_mail("Your confirmation is needed to join", t)
            print(f"  links in the confirmation mail: {confirm.links() or 'none'}")
            efforts.append(c.done())
            print(f"  members now: {roster()}")
            assert ann not in roster(), "subscribed before confirming"

            # (a2) confirm: the mail has no link; it says "replying to this message" ----------------
            c.journey("a2 confirm_subscription")
            t = time.time()
            c.reply(confirm)
            welcome = c.wait_mail("Welcome to the", t)
            for extra in settle(c, t, 6):
                show_mail(extra, printed, "also arrived after the confirming reply")
            assert ann in roster(), f"{ann} is not a member after confirming"
            print(f"  members now: {roster()}")
            print(f"  links in the welcome mail: {welcome.links() or 'none'}")
            efforts.append(c.done())

            # (b1) the way out on the list page, anonymously ---------------------------------------
            c.journey("b1 unsubscribe_page (anonymous)")
            c.goto(LIST_PAGE)
            controls = page.get_by_role("button").all_inner_texts() + page.get_by_role("link").all_inner_texts()
            print(f"  buttons and links on the list page: {[x.strip() for x in controls if x.strip()]}")
            print(f"  any 'unsubscribe' control: {[x for x in controls if 'unsub' in x.lower()] or 'none'}")
            expect(page.get_by_text("To subscribe or unsubscribe from this list, please sign in first.")).to_be_visible()
            efforts.append(c.done())

            # (b2) unsubscribe by email, as the list footer says: "send an email to news-leave@" -----
            c.journey("b2 unsubscribe_by_leave (news-leave@)")
            t = time.time()
            c.send_mail("news-leave@example.com", "unsubscribe", "")
            leave = c.wait_mail("Your confirmation is needed to leave", t)
            c.reply(leave)
            goodbye = c.wait_mail("You have been unsubscribed", t)
            for extra in settle(c, t, 8):
                show_mail(extra, printed, "also arrived after unsubscribing by email")
            assert ann not in roster(), f"{ann} is still a member"
            print(f"  members now: {roster()}; goodbye body: {goodbye.text.strip()!r}")
            efforts.append(c.done())

            # (b2h) what the welcome mail says: 'help' to news-request@, then the command it lists --------
            cy = f"cy.{RUN}@example.com"
            context_cy = browser.new_context()
            page_cy = context_cy.new_page()
            c = Customer(page_cy, sink, cy, printed)
            c.journey("setup: cy subscribes and confirms")
            t = time.time()
            c.goto(LIST_PAGE)
            c.fill(page_cy.get_by_label("Your email address"), cy, "label 'Your email address'")
            c.click(page_cy.get_by_role("button", name="Subscribe", exact=True), "button 'Subscribe'")
            c.reply(c.wait_mail("Your confirmation is needed to join", t))
            c.wait_mail("Welcome to the", t)
            assert cy in roster()
            c.done()
            c.journey("b2h unsubscribe_by_help (news-request@)")
            t = time.time()
            c.send_mail("news-request@example.com", "help", "")
            help_mail = c.wait_mail("", t)
            commands = re.findall(r"^(\w+)\s+- ", help_mail.text, re.MULTILINE)
            print(f"  commands the help mail lists: {commands}")
            t1 = time.time()
            c.send_mail("news-request@example.com", "unsubscribe", "")
            leave_cy = c.wait_mail("Your confirmation is needed to leave", t1)
            c.reply(leave_cy)
            c.wait_mail("You have been unsubscribed", t1)
            for extra in settle(c, t, 8):
                show_mail(extra, printed, "also arrived on the help-command way out")
            assert cy not in roster()
            efforts.append(c.done())

            # (a3) a second subscriber confirms on Postorius' token page (the URL is in no mail) ----
            context2 = browser.new_context()
            page2 = context2.new_page()
            c = Customer(page2, sink, bob, printed)
            c.journey("a3 subscribe_web_confirm")
            t = time.time()
            c.goto(LIST_PAGE)
            c.fill(page2.get_by_label("Your email address"), bob, "label 'Your email address'")
            c.fill(page2.get_by_label("Your name (optional)"), "Bob Example", "label 'Your name (optional)'")
            c.click(page2.get_by_role("button", name="Subscribe", exact=True), "button 'Subscribe'")
            confirm_bob = c.wait_mail("Your confirmation is needed to join", t)
            token = token_of(confirm_bob)
            token_url = f"{BASE}/postorius/lists/news.example.com/confirm/?token={token}"
            c.goto(token_url)  # typed by hand: no mail links it
            c.screen("token page")
            c.click(page2.get_by_role("button", name="Confirm"), "button 'Confirm'")
            print(f"  on screen: {c.messages()}")
            c.screen("after Confirm")
            c.wait_mail("Welcome to the", t)
            assert bob in roster()
            response = page2.goto(token_url)
            print(f"  the same token a second time: HTTP {response.status}, page says "
                  f"{page2.locator('body').inner_text().strip()[:200]!r}")
            t2 = time.time()
            c.reply(confirm_bob)  # and the used token by mail
            for extra in settle(c, t2, 8):
                show_mail(extra, printed, "answer to replying with a used token")
            efforts.append(c.done())

            # (c) an account, so that the web way out opens: sign up, verify, log in ----------------
            c.journey("c sign_up_and_log_in")
            t = time.time()
            c.goto(LIST_PAGE)
            c.click(page2.get_by_role("link", name="Sign Up").first, "link 'Sign Up'")
            c.fill(page2.get_by_label("Email"), bob, "label 'Email'")
            c.fill(page2.get_by_label("Username"), f"bob{RUN}", "label 'Username'")
            c.fill(page2.get_by_label("Password", exact=True), bob_password, "label 'Password'")
            c.fill(page2.get_by_label("Password (again)"), bob_password, "label 'Password (again)'")
            c.click(page2.get_by_role("button", name="Sign Up"), "button 'Sign Up »'")
            c.screen("after Sign Up")
            verify = c.wait_mail("Confirm", t)
            assert bob_password not in verify.text, "the password is in the verification mail"
            link = next(u for u in verify.links() if "/accounts/confirm-email/" in u)
            c.goto(link)  # open_email_link
            c.effort.clicks += 1
            c.screen("confirm-email page")
            c.click(page2.get_by_role("button", name="Confirm"), "button 'Confirm'")
            print(f"  on screen: {c.messages()}")
            c.screen("after confirming the address")
            fresh = browser.new_context()
            again = fresh.new_page()
            response = again.goto(link)
            print(f"  the verification link a second time (fresh browser): HTTP {response.status}, page says "
                  f"{again.get_by_role('main').inner_text().strip()[:200]!r}")
            fresh.close()
            if "/accounts/login/" in page2.url:
                c.fill(page2.get_by_label("Login"), bob, "label 'Login'")
                c.fill(page2.get_by_label("Password"), bob_password, "label 'Password'")
                c.click(page2.get_by_role("button", name="Sign In"), "button 'Sign In'")
            print(f"  on screen: {c.messages()}")
            expect(page2.get_by_text("Successfully signed in as")).to_be_visible()
            for extra in settle(c, t, 3):
                show_mail(extra, printed, "during sign-up")
            efforts.append(c.done())

            # (b3) the web way out, logged in --------------------------------------------------------
            c.journey("b3 unsubscribe_web (logged in)")
            t = time.time()
            c.goto(LIST_PAGE)
            c.screen("list page, logged in")
            c.click(page2.get_by_role("button", name="Unsubscribe"), "button 'Unsubscribe'")
            print(f"  on screen: {c.messages()}")
            c.screen("after Unsubscribe")
            c.wait_mail("You have been unsubscribed", t)
            after = settle(c, t, 12)
            for extra in after:
                show_mail(extra, printed, "after unsubscribing on the web")
            assert bob not in roster()
            print(f"  mails to {bob} during and after the web unsubscription: {[m.subject for m in after]}")
            efforts.append(c.done())

            # (e) password reset (django-allauth): is a password ever mailed? does the link work twice? ----
            c.journey("e password_reset")
            t = time.time()
            new_password = "Zq9#reset-" + RUN
            c.goto(f"{BASE}/accounts/logout/")
            c.click(page2.get_by_role("button", name="Sign Out"), "button 'Sign Out'")
            c.goto(f"{BASE}/accounts/login/")
            c.click(page2.get_by_role("link", name="Forgot your password?"), "link 'Forgot your password?'")
            c.screen("password reset form")
            c.fill(page2.get_by_label("Email"), bob, "label 'Email'")
            c.click(page2.get_by_role("button", name="Reset My Password"), "button 'Reset My Password'")
            c.screen("after Reset My Password")
            reset = c.wait_mail("Password Reset", t)
            link = next(u for u in reset.links() if "/accounts/password/reset/key/" in u)
            c.goto(link)
            c.effort.clicks += 1
            c.screen("reset link opened")
            c.fill(page2.get_by_label("New Password", exact=True), new_password, "label 'New Password'")
            c.fill(page2.get_by_label("New Password (again)"), new_password, "label 'New Password (again)'")
            c.click(page2.get_by_role("button", name="Change Password"), "button 'Change Password'")
            print(f"  on screen: {c.messages()}")
            c.screen("after Change Password")
            for extra in settle(c, t, 4):
                show_mail(extra, printed, "during the password reset")
            mailed = [m.subject for m in sink.since(0, bob) if bob_password in m.text or new_password in m.text]
            print(f"  mails holding a typed password: {mailed or 'none'}")
            fresh = browser.new_context()
            second = fresh.new_page()
            response = second.goto(link)
            print(f"  the reset link a second time (fresh browser): HTTP {response.status}, page says "
                  f"{second.get_by_role('main').inner_text().strip()[:200]!r}")
            fresh.close()
            efforts.append(c.done())

            # (d) contact details ------------------------------------------------------------------
            context3 = browser.new_context()
            page3 = context3.new_page()
            print("\n=== (d) contact details: crawl from / logged out, 2 clicks deep")
            t0 = time.time()
            found = crawl_contacts(page3, BASE + "/")
            best: dict[tuple[str, str], tuple[int, str]] = {}
            for depth, kind, value, where in found:
                if (kind, value) not in best or depth < best[(kind, value)][0]:
                    best[(kind, value)] = (depth, where)
            for (kind, value), (depth, where) in sorted(best.items(), key=lambda kv: kv[1][0]):
                print(f"  depth {depth}: {kind:<14} {value:<40} on {where}")
            if not any(k in ("tel link", "contact form") for k, _ in best):
                print("  no phone number and no contact form anywhere within 2 clicks")
            print(f"  crawl took {time.time() - t0:.1f}s")
            sys.stdout.flush()
        finally:
            browser.close()
    return efforts


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    print(f"SMTP sink on 127.0.0.1:{SMTP_PORT}")
    env = dict(os.environ, SMTP_PORT=str(SMTP_PORT), REALSITE_STATE=str(STATE), PORT=str(PORT),
               MAILMAN_LMTP_PORT=str(LMTP_PORT))
    timings: dict[str, float] = {}
    efforts: list[Effort] = []
    status = 1
    try:
        subprocess.run([str(HERE / "stop.sh")], env=env, check=False)
        if not os.environ.get("RAW_KEEP_DATA"):
            for child in STATE.iterdir() if STATE.exists() else []:
                if child.name not in ("venv", "raw-journeys"):
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
            OUT.mkdir(parents=True, exist_ok=True)
            for old in OUT.iterdir():
                old.unlink()
        t0 = time.time()
        started = subprocess.run([str(HERE / "start.sh")], env=env, check=True, stdout=subprocess.PIPE, text=True)
        timings["start.sh"] = time.time() - t0
        base = started.stdout.strip().splitlines()[-1]
        print(f"start.sh: {base} in {timings['start.sh']:.1f}s")
        assert base == BASE, base
        efforts = run(sink)
        status = 0
    finally:
        t0 = time.time()
        subprocess.run([str(HERE / "stop.sh")], env=env, check=False)
        timings["stop.sh"] = time.time() - t0
        controller.stop()
        print(f"\nall mail captured: {len(sink.mails)} messages")
        for mail in sink.mails:
            print(f"  #{mail.n:<3} {', '.join(mail.rcpt_tos):<36} {mail.subject}")
    print("\n=== what each journey cost the customer")
    print(f"{'journey':<40} {'actions':>7} {'clicks':>6} {'fields':>6} {'keys':>5} {'mails out':>9} {'page loads':>10} "
          f"{'pages':>5} {'mails in':>8} {'time':>6} {'mail wait':>9}")
    for e in efforts:
        busy = (e.ended or time.time()) - e.started - e.waiting
        print(f"{e.name:<40} {e.actions:>7} {e.clicks:>6} {e.fields:>6} {e.keystrokes:>5} {e.mails_sent:>9} {e.page_loads:>10} "
              f"{len(e.pages):>5} {e.mails_received:>8} {busy:>5.1f}s {e.waiting:>8.1f}s")
    print("timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()))
    print("RESULT: " + ("all journeys completed" if status == 0 else "FAILED"))
    return status


if __name__ == "__main__":
    sys.exit(main())
