"""C1: no password the customer typed appears in any email, in any encoding.

Emails are real MIME, parsed by the same code that reads captured mail, then recorded
as a journey's emails; the check must find every encoding and never print the secret.
"""

from __future__ import annotations

import base64
import json
from datetime import date
from email.message import EmailMessage
from urllib.parse import quote

import pytest

from journeytest import load_scenario
from journeytest.checks import CheckContext, Verdict
from journeytest.checks import run_check as run_spec
from journeytest.mail.message import parse_email
from journeytest.record import JourneyResult
from journeytest.registry import built_in
from journeytest.wording import Wording

SECRET = "Pa=ssw0rd-Kevät!"  # '=' and 'ä' force quoted-printable, as real generated passwords may
SECRETS = {"{persona.password}": SECRET, "{persona.new_password}": "Another-Secret-42"}


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    path = tmp_path_factory.mktemp("p") / "p.journey.yaml"
    path.write_text(
        "site: {name: S, base_url: 'http://127.0.0.1:1'}\njourneys:\n"
        "  sign_up:\n    kind: acquire\n    steps:\n      - goto: /\n      - expect_email: {subject: Welcome}\n"
    )
    return load_scenario(path)


def mail(
    *, text: str = "Welcome!", html: str | None = None, cte: str | None = None, attachment: str | None = None
) -> dict:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "shop@example.com", "c@example.com", "Welcome to the shop"
    message.set_content(text, cte=cte) if cte else message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    if attachment is not None:
        message.add_attachment(attachment, filename="details.txt")
    raw = message.as_bytes()
    return parse_email(raw, message_id="m1", received_at=1.0).summary(), raw


def judge(scenario, recorded_mail: dict):
    result = JourneyResult("p", "S", "", "sign_up", "acquire", emails=[recorded_mail])
    spec = built_in().checks["no_password_in_email"]
    return run_spec(
        spec,
        CheckContext(
            scenario, {"sign_up": result}, dict(spec.defaults), Wording.load(), date(2026, 11, 22), secrets=SECRETS
        ),
    )


CASES = {
    "plain": (dict(text=f"Your password: {SECRET}"), "holds {persona.password} as typed in its text part"),
    "quoted-printable": (dict(text=f"Your password: {SECRET}", cte="quoted-printable"), "as typed in its text part"),
    "base64 body": (dict(text=f"Your password: {SECRET}", cte="base64"), "as typed in its text part"),
    "HTML entities": (
        dict(html="<p>Password: " + "".join(f"&#{ord(c)};" for c in SECRET) + "</p>"),
        "as HTML character references in its HTML part",
    ),
    "URL-encoded link": (
        dict(html=f'<a href="https://shop.example/login?u=c&amp;p={quote(SECRET, safe="")}">Log in</a>'),
        "URL-encoded in its a link",
    ),
    "attachment": (dict(attachment=f"login details\npassword={SECRET}\n"), "as typed in its attachment details.txt"),
    "base64 of the secret": (
        dict(text="token " + base64.b64encode(SECRET.encode()).decode()),
        "base64-encoded in its text part",
    ),
    "the new password": (dict(text="Your new password is Another-Secret-42"), "holds {persona.new_password} as typed"),
}


@pytest.mark.parametrize("case", CASES)
def test_every_encoding_of_a_typed_password_is_found(case, scenario):
    arguments, expected = CASES[case]
    recorded, raw = mail(**arguments)
    if case in ("quoted-printable", "base64 body"):
        assert SECRET.encode() not in raw  # the raw message really is encoded
    result = judge(scenario, recorded)
    assert result.verdict == Verdict.FAIL
    assert expected in result.evidence and "'Welcome to the shop' (during sign_up)" in result.evidence
    assert SECRET not in json.dumps([result.evidence, result.details, result.figures], ensure_ascii=False)


NEAR_MISSES = {
    "reset link": dict(html='<a href="https://shop.example/password/reset/Zk3f9QmA2xLp0wYt">Choose a new password</a>'),
    "one-time code": dict(text="Your one-time code is 482913. It expires in 10 minutes."),
    "voucher": dict(text="Use voucher WELCOME-PA55-2026 for 10% off your next order."),
    "password word only": dict(text="We never send your password by email. Reset it here if you forgot it."),
}


@pytest.mark.parametrize("case", NEAR_MISSES)
def test_near_misses_do_not_match(case, scenario):
    recorded, _ = mail(**NEAR_MISSES[case])
    assert judge(scenario, recorded).verdict == Verdict.PASS


def test_a_secret_in_the_subject_is_masked_in_the_evidence(scenario):
    recorded, _ = mail(text="hi")
    recorded["subject"] = f"Your password is {SECRET}"
    result = judge(scenario, recorded)
    assert result.verdict == Verdict.FAIL and "'Your password is {persona.password}'" in result.evidence
    assert SECRET not in result.evidence


def test_mask_replaces_every_form_of_every_secret():
    from journeytest.record.masking import mask

    references = "".join(f"&#{ord(c)};" for c in SECRET)
    text = f"url ?p={quote(SECRET, safe='')} refs {references} plain {SECRET} b64 {base64.b64encode(SECRET.encode()).decode()}"
    masked = mask(text, SECRETS)
    padding = "=" * base64.b64encode(SECRET.encode()).decode().count("=")
    assert (
        masked
        == "url ?p={persona.password} refs {persona.password} plain {persona.password} b64 {persona.password}" + padding
    )


@pytest.mark.parametrize(
    "shown",
    [
        "https://example.com/login?next=/account&pw=Zq9/Secret%26Pw%3C4471",  # URL-encoded keeping '/'
        "pw=Zq9%2fSecret%26Pw%3c4471",  # lower-case escapes
        "&#x5a;&#x71;&#x39;&#x2f;&#x53;&#x65;&#x63;&#x72;&#x65;&#x74;&#x26;&#x50;&#x77;&#x3c;&#x34;&#x34;&#x37;&#x31;",
        __import__("base64").b64encode(b"user=bob&password=Zq9/Secret&Pw<4471&remember=1").decode(),
        __import__("base64").b64encode(b"u=b;p=Zq9/Secret&Pw<4471").decode(),
    ],
)
def test_a_secret_is_masked_in_every_encoding_it_takes(shown):
    from journeytest.record.masking import mask

    masked = mask(shown, {"{persona.password}": "Zq9/Secret&Pw<4471"})
    assert "{persona.password}" in masked
