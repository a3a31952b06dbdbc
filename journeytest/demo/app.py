"""Acme Cloud, the demo company: a real Flask app that really sends email over SMTP.

`create_app("fair")` is what customers deserve; `create_app("dark", lang="fi")` is
every failure from the customer stories: one-click buying but a maze to cancel
ending in "email your success manager", contact details four clicks deep in an
image, passwords in emails, no cancellation confirmation but a win-back email,
and a support auto-reply that only echoes the customer's message.
"""

from __future__ import annotations

import json
import secrets
import smtplib
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage
from html import escape

from flask import Flask, Response, abort, redirect, request, session, url_for
from flask.typing import ResponseReturnValue

from .texts import email_text, text

PLANS = {"basic": ("Basic", "9 €"), "pro": ("Pro", "29 €")}
CONTACT_EMAIL = "hello@acme-cloud.example"
CONTACT_PHONE = "+358 40 123 4567"
SUCCESS_MANAGER = "pekka.manager@acme-cloud.example"
# What the fair site tells search engines about reaching it: the same details a customer sees (catalogue B6).
STRUCTURED_DATA = (
    '<script type="application/ld+json">'
    + json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": "Acme Cloud Oy",
            "contactPoint": {
                "@type": "ContactPoint",
                "contactType": "customer service",
                "email": CONTACT_EMAIL,
                "telephone": CONTACT_PHONE,
                "availableLanguage": ["en", "fi"],
            },
        }
    )
    + "</script>"
)


@dataclass
class User:
    name: str
    email: str
    password: str
    plan: str | None = None
    cancelled: bool = False
    tokens: dict[str, str] = field(default_factory=dict)  # token -> purpose


@dataclass
class Mailer:
    host: str
    port: int
    sender: str = "Acme Cloud <no-reply@acme-cloud.example>"
    lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, to: str, subject: str, body: str, *, marketing: bool = False, auto_reply: bool = False) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        if marketing:
            message["List-Unsubscribe"] = "<https://acme-cloud.example/unsubscribe>"
        if auto_reply:
            message["Auto-Submitted"] = "auto-replied"
        message.set_content(body)
        html_body = "<br>\n".join(_linkify(escape(line)) for line in body.splitlines())
        message.add_alternative(f"<html><body><p>{html_body}</p></body></html>", subtype="html")
        with self.lock, smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            smtp.send_message(message)


def _linkify(line: str) -> str:
    words = line.split(" ")
    return " ".join(f'<a href="{w}">{w}</a>' if w.startswith("http://") else w for w in words)


def create_app(
    variant: str = "fair",
    *,
    lang: str = "en",
    smtp_host: str = "127.0.0.1",
    smtp_port: int = 25,
    cancel_detours: int = 0,
) -> Flask:
    """cancel_detours: "are you sure?" pages a later release of the fair site puts before its cancel button
    (the nightly-audit tests use it to make cancelling worse between runs)."""
    if variant not in ("fair", "dark"):
        raise ValueError("variant is 'fair' or 'dark'")
    app = Flask(__name__)
    app.secret_key = secrets.token_hex(16)
    users: dict[str, User] = {}
    mailer = Mailer(smtp_host, smtp_port)
    dark = variant == "dark"

    def t(key: str, **values: object) -> str:
        return text(key, lang, **values)

    def mail(key: str, to: str, **values: object) -> None:
        subject, body = email_text(key, lang)
        mailer.send(
            to,
            subject.format(**values),
            body.format(**values),
            marketing=key.startswith("winback"),
            auto_reply=key.startswith("support"),
        )

    def current() -> User | None:
        return users.get(session.get("email", ""))

    def page(title: str, body: str) -> str:
        user = current()
        nav = [f'<a href="/">{t("home")}</a>', f'<a href="/pricing">{t("pricing")}</a>']
        if user:
            nav += [f'<a href="/account">{t("account")}</a>', f'<a href="/logout">{t("log_out")}</a>']
        else:
            nav += [f'<a href="/signup">{t("sign_up")}</a>', f'<a href="/login">{t("log_in")}</a>']
        if dark:
            footer = f'<a href="/about">{t("about")}</a>'
        else:
            footer = (
                f'<p>{t("contact")}: <a href="mailto:{CONTACT_EMAIL}">{CONTACT_EMAIL}</a> · '
                f'<a href="tel:{CONTACT_PHONE.replace(" ", "")}">{CONTACT_PHONE}</a> · '
                f'<a href="/contact">{t("contact")}</a> · <a href="/support">{t("support")}</a></p>'
            )
        return (
            f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)} - Acme Cloud</title>'
            + ("" if dark else STRUCTURED_DATA)
            + "<style>body{font-family:sans-serif;max-width:46em;margin:2em auto} .big{font-size:1.4em;padding:.6em 1.4em;"
            "background:#0a7;color:#fff;border:0} .tiny{font-size:.7em;color:#999;background:none;border:0}"
            " label{display:block;margin:.4em 0}</style></head>"
            f"<body><header><nav>{' · '.join(nav)}</nav></header><main><h1>{escape(title)}</h1>{body}</main>"
            f"<footer>{footer}</footer></body></html>"
        )

    def login_required() -> User:
        user = current()
        if user is None:
            abort(redirect(url_for("login")))
        return user

    @app.get("/")
    def home() -> str:
        return page(
            t("company"),
            f'<p>{t("tagline")}</p><p><a href="/signup">{t("sign_up")}</a> · <a href="/pricing">{t("pricing")}</a></p>',
        )

    @app.get("/pricing")
    def pricing() -> str:
        rows = "".join(
            f'<form method="post" action="/buy/{key}"><h2>{name}</h2><p>{price} {t("per_month")}</p>'
            f'<button type="submit">{t("buy")} {name}</button></form>'
            for key, (name, price) in PLANS.items()
        )
        return page(t("pricing"), rows)

    @app.route("/signup", methods=["GET", "POST"])
    def signup() -> ResponseReturnValue:
        error = ""
        if request.method == "POST":
            email = request.form["email"].strip().lower()
            if email in users:
                error = f'<p role="alert">{t("email_taken")}</p>'
            else:
                user = User(request.form["name"].strip(), email, request.form["password"])
                users[email] = user
                session["email"] = email
                if dark:
                    mail("welcome_dark", email, email=email, password=user.password)
                else:
                    token = secrets.token_urlsafe(16)
                    user.tokens[token] = "confirm"
                    mail("welcome_fair", email, name=user.name, link=request.host_url + f"confirm/{token}")
                return redirect(url_for("account", welcome=1))
        return page(
            t("sign_up"),
            error
            + f"""<form method="post">
            <label>{t("name")} <input name="name" required></label>
            <label>{t("email")} <input name="email" type="email" required></label>
            <label>{t("password")} <input name="password" type="password" required minlength="8"></label>
            <button type="submit">{t("create_account")}</button></form>""",
        )

    @app.get("/confirm/<token>")
    def confirm(token: str) -> str:
        for user in users.values():
            if user.tokens.pop(token, None) == "confirm":
                return page(t("welcome"), f"<p>{escape(user.email)} ✓</p>")
        return page(t("link_used"), "")

    @app.route("/login", methods=["GET", "POST"])
    def login() -> ResponseReturnValue:
        error = ""
        if request.method == "POST":
            user = users.get(request.form["email"].strip().lower())
            if user and user.password == request.form["password"]:
                session["email"] = user.email
                return redirect(url_for("account"))
            error = f'<p role="alert">{t("wrong_password")}</p>'
        return page(
            t("log_in"),
            error
            + f"""<form method="post">
            <label>{t("email")} <input name="email" type="email" required></label>
            <label>{t("password")} <input name="password" type="password" required></label>
            <button type="submit">{t("log_in")}</button></form>
            <p><a href="/password/reset">{t("forgot_password")}</a></p>""",
        )

    @app.get("/logout")
    def logout() -> ResponseReturnValue:
        session.clear()
        return redirect(url_for("home"))

    @app.get("/account")
    def account() -> str:
        user = login_required()
        greeting = f"<p>{t('welcome')}, {escape(user.name)}!</p>" if request.args.get("welcome") else ""
        plan = t("plan_active", plan=PLANS[user.plan][0]) if user.plan and not user.cancelled else t("no_plan")
        actions = [f'<a href="/pricing">{t("pricing")}</a>', f'<a href="/password/change">{t("change_password")}</a>']
        if user.plan and not user.cancelled:
            if dark:
                actions.append(f'<a href="/subscription/manage">{t("manage_subscription")}</a>')
            else:
                actions.append(f'<a href="/cancel"><button type="button">{t("cancel_subscription")}</button></a>')
        return page(
            t("account"), f"{greeting}<p>{escape(user.email)}</p><p>{t('plan')}: {plan}</p><p>{' · '.join(actions)}</p>"
        )

    @app.post("/buy/<plan>")
    def buy(plan: str) -> ResponseReturnValue:
        user = current()
        if user is None:
            return redirect(url_for("signup"))
        if plan not in PLANS:
            abort(404)
        user.plan, user.cancelled = plan, False
        mail("receipt", user.email, name=user.name, plan=PLANS[plan][0], price=PLANS[plan][1])
        return redirect(url_for("account"))

    # ---------------------------------------------------------------- fair cancellation

    def ends_on() -> str:
        return (date.today() + timedelta(days=30)).isoformat()

    @app.route("/cancel", methods=["GET", "POST"])
    def cancel() -> ResponseReturnValue:
        user = login_required()
        if dark or not user.plan:
            abort(404)
        detour = int(request.args.get("detour", 0))
        if request.method == "GET" and detour < cancel_detours:
            return page(
                t("sure_title"),
                f"""<p>{t("sure_text")}</p>
                <p><a href="/cancel?detour={detour + 1}">{t("continue_cancel")}</a></p>""",
            )
        if request.method == "POST":
            user.cancelled = True
            mail(
                "cancelled_fair",
                user.email,
                name=user.name,
                plan=PLANS[user.plan][0],
                date=ends_on(),
                today=date.today().isoformat(),
            )
            return page(
                t("cancelled_title"),
                f'<p role="status">{t("cancelled_text", plan=PLANS[user.plan][0], date=ends_on(), email=escape(user.email))}</p>',
            )
        return page(
            t("cancel_confirm_title"),
            f"""<p>{t("cancel_confirm_text", plan=PLANS[user.plan][0], date=ends_on())}</p>
            <form method="post"><button type="submit">{t("confirm_cancel")}</button></form>
            <p><a href="/account">{t("keep_subscription")}</a></p>""",
        )

    # ---------------------------------------------------------------- dark cancellation maze

    @app.get("/subscription/manage")
    def manage() -> str:
        user = login_required()
        return page(
            t("manage_subscription"),
            f"""<p>{t("plan")}: {PLANS[user.plan][0] if user.plan else t("no_plan")}</p>
            <p><a href="/pricing"><button class="big" type="button">{t("pricing")}</button></a></p>
            <p><a href="/subscription/billing">{t("billing_details")}</a></p>""",
        )

    @app.get("/subscription/billing")
    def billing() -> str:
        user = login_required()
        return page(
            t("billing_details"),
            f"""<p>{t("plan")}: {PLANS[user.plan][0] if user.plan else t("no_plan")}</p>
            <p>{t("next_invoice")}: {ends_on()}</p>
            <p><a class="tiny" href="/subscription/cancel">{t("cancel_subscription")}</a></p>""",
        )

    @app.route("/subscription/cancel", methods=["GET", "POST"])
    def retention() -> ResponseReturnValue:
        login_required()
        if request.method == "POST":
            return redirect(url_for("survey"))
        return page(
            t("retention_title"),
            f"""<p>{t("retention_offer")}</p>
            <p><a href="/account"><button class="big" type="button">{t("keep_benefits")}</button></a></p>
            <form method="post"><button class="tiny" type="submit">{t("decline_shame")}</button></form>""",
        )

    @app.route("/subscription/cancel/survey", methods=["GET", "POST"])
    def survey() -> ResponseReturnValue:
        login_required()
        if request.method == "POST" and request.form.get("reason"):
            return redirect(url_for("are_you_sure"))
        return page(
            t("survey_title"),
            f"""<form method="post">
            <label><input type="radio" name="reason" value="price" required> {t("reason_price")}</label>
            <label><input type="radio" name="reason" value="other"> {t("reason_other")}</label>
            <button type="submit">{t("continue")}</button></form>""",
        )

    @app.get("/subscription/cancel/sure")
    def are_you_sure() -> str:
        login_required()
        return page(
            t("sure_title"),
            f"""<p>{t("sure_text")}</p>
            <p><a href="/account"><button class="big" type="button">{t("keep_benefits")}</button></a></p>
            <p><a class="tiny" href="/subscription/cancel/final">{t("continue_cancel")}</a></p>""",
        )

    @app.get("/subscription/cancel/final")
    def final() -> str:
        user = login_required()
        mail("winback_dark", user.email)  # the automation did not hear "cancel"
        return page(
            t("final_title"),
            f"<p>{t('final_text', manager=f'<a href=mailto:{SUCCESS_MANAGER}>{SUCCESS_MANAGER}</a>')}</p>",
        )

    # ---------------------------------------------------------------- passwords

    @app.route("/password/change", methods=["GET", "POST"])
    def change_password() -> str:
        user = login_required()
        if request.method == "POST":
            if request.form["current"] != user.password:
                return page(t("change_password"), f'<p role="alert">{t("wrong_password")}</p>')
            user.password = request.form["new"]
            if dark:
                mail("password_changed_dark", user.email, password=user.password)
            else:
                mail(
                    "password_changed_fair",
                    user.email,
                    name=user.name,
                    date=date.today().isoformat(),
                    link=request.host_url + "password/reset",
                )
            return page(t("change_password"), f'<p role="status">{t("password_changed")}</p>')
        return page(
            t("change_password"),
            f"""<form method="post">
            <label>{t("current_password")} <input name="current" type="password" required></label>
            <label>{t("new_password")} <input name="new" type="password" required minlength="8"></label>
            <button type="submit">{t("change_password")}</button></form>""",
        )

    @app.route("/password/reset", methods=["GET", "POST"])
    def reset_request() -> str:
        if request.method == "POST":
            user = users.get(request.form["email"].strip().lower())
            if user:
                token = secrets.token_urlsafe(16)
                user.tokens[token] = "reset"
                mail("reset_link", user.email, name=user.name, link=request.host_url + f"password/reset/{token}")
            return page(t("reset_password"), f'<p role="status">{t("reset_sent")}</p>')
        return page(
            t("reset_password"),
            f"""<form method="post">
            <label>{t("email")} <input name="email" type="email" required></label>
            <button type="submit">{t("reset_password")}</button></form>""",
        )

    @app.route("/password/reset/<token>", methods=["GET", "POST"])
    def reset_with_token(token: str) -> str:
        owner = next((u for u in users.values() if u.tokens.get(token) == "reset"), None)
        if owner is None:
            return page(t("link_used"), "")
        if dark:
            # DokuWiki-style: the link (which keeps working) mails a generated password that never has to be changed.
            owner.password = secrets.token_urlsafe(9)
            mail("reset_dark", owner.email, password=owner.password)
            return page(t("reset_password"), f'<p role="status">{t("new_password_sent")}</p>')
        if request.method == "POST":
            owner.tokens.pop(token)  # single use
            owner.password = request.form["new"]
            session["email"] = owner.email
            mail(
                "password_changed_fair",
                owner.email,
                name=owner.name,
                date=date.today().isoformat(),
                link=request.host_url + "password/reset",
            )
            return page(t("reset_password"), f'<p role="status">{t("password_changed")}</p>')
        return page(
            t("set_password"),
            f"""<form method="post">
            <label>{t("new_password")} <input name="new" type="password" required minlength="8"></label>
            <button type="submit">{t("set_password")}</button></form>""",
        )

    # ---------------------------------------------------------------- reaching a human

    @app.get("/contact")
    def contact() -> str:
        if dark:
            abort(404)
        return page(
            t("contact"),
            f"""<p>{t("email")}: <a href="mailto:{CONTACT_EMAIL}">{CONTACT_EMAIL}</a></p>
            <p>Phone: <a href="tel:{CONTACT_PHONE.replace(" ", "")}">{CONTACT_PHONE}</a> (Mon-Fri 9-17)</p>
            <p>Acme Cloud Oy, Esimerkkikatu 1, 00100 Helsinki</p><p><a href="/support">{t("support")}</a></p>""",
        )

    @app.get("/about")
    def about() -> str:
        return page(t("about"), f'<p>{t("tagline")}</p><p><a href="/company">{t("company_info")}</a></p>')

    @app.get("/company")
    def company() -> str:
        return page(t("company_info"), f'<p>Acme Cloud Oy</p><p><a href="/legal">{t("legal")}</a></p>')

    @app.get("/legal")
    def legal() -> str:
        return page(t("legal"), f'<p>Terms apply.</p><p><a href="/contact-info">{t("contact")}</a></p>')

    @app.get("/contact-info")
    def contact_info() -> str:
        return page(t("contact"), f'<img src="/contact.svg" alt="{t("contact")}">')

    @app.get("/contact.svg")
    def contact_image() -> Response:
        # The details exist only as drawn shapes: no text a customer can copy or a crawler can read.
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="40"><rect width="320" height="40" fill="#eee"/>'
            '<path d="M10 30 L20 10 L30 30 M60 10 L60 30 L80 30" stroke="#333" fill="none"/></svg>'
        )
        return Response(svg, mimetype="image/svg+xml")

    @app.route("/support", methods=["GET", "POST"])
    def support() -> str:
        user = current()
        if request.method == "POST":
            name, email, message = request.form["name"], request.form["email"].strip().lower(), request.form["message"]
            if dark:
                mail("support_dark", email, message=message)
            else:
                mail("support_fair", email, name=name, reference=f"ACM-{secrets.randbelow(90000) + 10000}")
            return page(t("support"), f'<p role="status">{t("thanks_message")}</p>')
        return page(
            t("support_title"),
            f'''<form method="post">
            <label>{t("name")} <input name="name" required value="{escape(user.name) if user else ""}"></label>
            <label>{t("email")} <input name="email" type="email" required value="{escape(user.email) if user else ""}"></label>
            <label>{t("message")} <textarea name="message" required></textarea></label>
            <button type="submit">{t("send")}</button></form>''',
        )

    return app
