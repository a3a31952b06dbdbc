"""Mail as real sites write it, parsed as a customer's mail client reads it."""

from __future__ import annotations

from journeytest.mail.message import parse_email

# Trac 1.6 + TracAccountManager 0.6.0's verification mail, as it arrived (realsites/trac/NOTES.md): the token
# is a Python bytes repr, quotes included, and the URL is written <like this>.
TRAC_VERIFICATION = b"""From: Trac Realsite <trac@127.0.0.1>
To: customer@example.com
Subject: [Trac Realsite] Account email verification

Please visit the following URL to confirm your email address.

Verification URL: <http://127.0.0.1:18200/verify_email?token=b'_rO__aq1'&verify=1>
Username: customer-3ee200
Verification Token: b'_rO__aq1'
"""


def test_a_url_written_in_angle_brackets_is_read_whole_quotes_included():
    message = parse_email(TRAC_VERIFICATION, message_id="m", received_at=0.0)
    assert "http://127.0.0.1:18200/verify_email?token=b'_rO__aq1'&verify=1" in message.links


def test_a_bare_url_still_ends_at_a_closing_quote_or_bracket():
    raw = b"To: a@example.com\nSubject: x\n\nSee (https://shop.test/orders/42) or 'https://shop.test/help'.\n"
    links = parse_email(raw, message_id="m", received_at=0.0).links
    assert links == ["https://shop.test/orders/42", "https://shop.test/help"]
