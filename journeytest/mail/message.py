"""Raw RFC 5322 bytes -> CapturedEmail, with the standard library's email package.

Never raises: a message with broken MIME, an unknown charset or a huge
attachment is still stored and reported, with what could not be read listed
in `problems`.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import asdict, dataclass, field
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any

from ..record.masking import mask
from ..record.shapes import EmailSummary

# A URL in a text part: whole up to the '>' when it is written <like this> (RFC 3986, appendix C: quotes and
# parentheses are legal in URLs, e.g. Trac's ?token=b'…'), else up to a space or a closing quote or bracket.
URL_IN_TEXT = re.compile(r"<(https?://[^\s<>]+)>|(https?://[^\s<>\"')\]]+)")


def urls_in_text(text: str) -> list[str]:
    return [delimited or bare for delimited, bare in URL_IN_TEXT.findall(text)]


@dataclass
class Attachment:
    filename: str
    content_type: str
    size: int
    text: str = ""  # decoded text for text-like attachments (so checks can search it)


@dataclass
class CapturedEmail:
    id: str
    received_at: float
    envelope_to: list[str] = field(default_factory=list)
    envelope_from: str = ""
    subject: str = ""
    sender: str = ""
    to: list[str] = field(default_factory=list)
    date: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""
    html: str = ""
    links: list[str] = field(default_factory=list)
    link_texts: list[tuple[str, str]] = field(default_factory=list)  # (text, href) from the HTML part
    attachments: list[Attachment] = field(default_factory=list)
    size: int = 0
    path: str | None = None
    problems: list[str] = field(default_factory=list)
    raw: bytes = field(default=b"", repr=False)  # the message as stored: journeytest keeps a masked copy of it

    @property
    def readable_text(self) -> str:
        """What a reader sees: the text part, else the HTML part as text."""
        return self.text or html_to_text(self.html)

    def recipients(self) -> list[str]:
        return [a.lower() for a in (self.envelope_to or self.to)]

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if key != "raw"}

    def summary(self) -> EmailSummary:
        """What a journey result keeps of this email: enough to read it, plus where the raw message is."""
        keep = ("auto-submitted", "list-unsubscribe", "precedence", "message-id", "date")
        return {
            "id": self.id,
            "received_at": self.received_at,
            "subject": self.subject,
            "from": self.sender,
            "to": self.recipients(),
            "text": self.readable_text[:5000],
            "html": self.html[:20000],
            "links": self.links[:50],
            "attachments": [
                {"filename": a.filename, "content_type": a.content_type, "size": a.size, "text": a.text[:5000]}
                for a in self.attachments
            ],
            "headers": {k: v for k, v in self.headers if k.lower() in keep},
            "path": self.path,
            "problems": self.problems,
        }


class _TextAndLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._link_text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._link_text = []
        if tag in ("br", "p", "div", "tr", "li", "h1", "h2", "h3"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        if tag == "a" and self._href is not None:
            self.links.append((" ".join("".join(self._link_text).split()), self._href))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.parts.append(data)
        if self._href is not None:
            self._link_text.append(data)


def _parse_html(html: str) -> _TextAndLinks:
    parser = _TextAndLinks()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - a hostile email must not stop the run
        pass
    return parser


def html_to_text(html: str) -> str:
    text = "".join(_parse_html(html).parts)
    return re.sub(r"[ \t]+", " ", re.sub(r"\n\s*\n+", "\n\n", text)).strip()


def _decode_part(part: Message, problems: list[str]) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        return content if isinstance(content, str) else content.decode("utf-8", "replace")
    except (LookupError, UnicodeError, AssertionError, ValueError, KeyError) as exc:
        charset = part.get_content_charset() or "unknown"
        problems.append(
            f"part {part.get_content_type()} has charset '{charset}' that could not be decoded ({type(exc).__name__}); read as UTF-8"
        )
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)


def parse_email(
    raw: bytes,
    *,
    message_id: str,
    received_at: float,
    envelope_to: list[str] | None = None,
    envelope_from: str = "",
    path: str | None = None,
) -> CapturedEmail:
    captured = CapturedEmail(
        id=message_id,
        received_at=received_at,
        envelope_to=[a.lower() for a in envelope_to or []],
        envelope_from=envelope_from,
        size=len(raw),
        path=path,
        raw=raw,
    )
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception as exc:  # noqa: BLE001
        captured.problems.append(f"could not be parsed at all: {exc}")
        captured.text = raw.decode("utf-8", "replace")
        return captured
    problems = captured.problems
    for defect in message.defects:
        problems.append(f"MIME defect: {type(defect).__name__}")
    for key in message.keys():
        try:
            captured.headers.append((key, str(message.get(key, ""))))
        except Exception:  # noqa: BLE001 - a malformed header is reported, not fatal
            problems.append(f"header {key} could not be decoded")
    captured.subject = _safe_header(message, "Subject", problems)
    captured.sender = _safe_header(message, "From", problems)
    captured.date = _date(message)
    captured.to = [
        addr.lower() for _, addr in getaddresses([_safe_header(message, h, problems) for h in ("To", "Cc")]) if addr
    ]
    texts: list[str] = []
    htmls: list[str] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        for defect in part.defects:
            problems.append(f"MIME defect in {part.get_content_type()}: {type(defect).__name__}")
        disposition = part.get_content_disposition()
        content_type = part.get_content_type()
        if disposition == "attachment" or (part.get_filename() and content_type not in ("text/plain", "text/html")):
            payload = part.get_payload(decode=True) or b""
            text = ""
            if content_type.startswith("text/") or content_type in ("application/json", "application/xml"):
                text = _decode_part(part, problems)
            captured.attachments.append(
                Attachment(part.get_filename() or "(unnamed)", content_type, len(payload), text)
            )
        elif content_type == "text/plain":
            texts.append(_decode_part(part, problems))
        elif content_type == "text/html":
            htmls.append(_decode_part(part, problems))
    captured.text = "\n".join(texts).strip()
    captured.html = "\n".join(htmls)
    parsed = _parse_html(captured.html)
    captured.link_texts = parsed.links
    links = [href for _, href in parsed.links if href] + urls_in_text(captured.text)

    captured.links = list(dict.fromkeys(links))
    return captured


def _safe_header(message: Message, name: str, problems: list[str]) -> str:
    try:
        return str(message.get(name, "") or "")
    except Exception:  # noqa: BLE001
        problems.append(f"header {name} could not be decoded")
        raw = message.get_all(name, failobj=[""])
        return str(raw[0]) if raw else ""


def _date(message: Message) -> str:
    try:
        value = message.get("Date")
        return parsedate_to_datetime(str(value)).isoformat() if value else ""
    except (TypeError, ValueError, IndexError):
        return ""


def mask_message(raw: bytes, secrets: dict[str, str]) -> bytes | None:
    """The message with every secret masked in its headers, text parts and text attachments; None if it holds none.

    The stored mail is evidence in the output folder, and that folder must not hold a
    secret: the masked copy keeps the structure and says so in an X-Journeytest-Masked header.
    """
    message = email.message_from_bytes(raw, policy=email.policy.default)
    changed = False
    for name, value in list(message.items()):
        masked = mask(str(value), secrets)
        if masked != str(value):
            message.replace_header(name, masked)
            changed = True
    for part in message.walk():
        if part.is_multipart():
            continue
        try:
            content = part.get_content()
        except (LookupError, ValueError, AssertionError):
            continue
        if isinstance(content, bytes):
            try:
                text = content.decode("utf-8")
            except UnicodeDecodeError:
                continue
            masked_text = mask(text, secrets)
            if masked_text != text:
                part.set_content(
                    masked_text.encode(),
                    part.get_content_maintype(),
                    part.get_content_subtype(),
                    disposition=part.get_content_disposition(),
                    filename=part.get_filename(),
                )
                changed = True
        elif isinstance(content, str):
            masked_text = mask(content, secrets)
            if masked_text != content:
                part.set_content(
                    masked_text,
                    subtype=part.get_content_subtype(),
                    disposition=part.get_content_disposition(),
                    filename=part.get_filename(),
                )
                changed = True
    if not changed:
        return None
    message["X-Journeytest-Masked"] = "secrets the harness typed are replaced by their placeholder names"
    return message.as_bytes()
