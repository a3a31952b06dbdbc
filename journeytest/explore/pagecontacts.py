"""Contact details on one web page: emails, phone numbers, contact forms, postal addresses (catalogue B1-B3, B6).

The crawler (contact.py) calls this for every page it fetches, on the page as served
(`render: http`) and on the DOM the browser built alike, so an address is decoded the
same way in both; the contact_details check judges what it found. Phones are
recognised by `phonenumbers`, structured data is read by `extruct`, and the HTML by
lxml, so only the obfuscated-email patterns, the address hints and what makes a form
a contact form are our own.
"""

from __future__ import annotations

import html as html_entities
import re
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import extruct
import lxml.html
import phonenumbers
from lxml import etree

from ..wording import Wording

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w-])", re.IGNORECASE)
_AT = r"(?:\s*[\[\(\{<]\s*(?:at|ät|@|miukumauku)\s*[\]\)\}>]\s*|\s+(?:ät|miukumauku)\s+)"
_DOT_WORDS = r"(?:dot|piste|punkt|point|punto)"
_BRACKETED_DOT = rf"\s*[\[\(\{{<]\s*{_DOT_WORDS}\s*[\]\)\}}>]\s*"
_DOT = rf"(?:{_BRACKETED_DOT}|\.)"
_SPELLED_DOT = rf"\s+{_DOT_WORDS}\s+"
OBFUSCATED_EMAIL = re.compile(rf"(?<![\w.+-])([\w.+-]+){_AT}([\w-]+(?:{_DOT}[\w-]+)+)", re.IGNORECASE)
# "hello at demo-events dot example": taken only where nothing else can be meant (see _spelled_out).
SPELLED_EMAIL = re.compile(
    rf"(?<![\w.+-])([\w.+-]+)\s+(at)\s+([\w-]+(?:(?:{_SPELLED_DOT}|{_DOT})[\w-]+)+)(?![\w-])", re.IGNORECASE
)
MAIL_CUE = re.compile(r"(?:e-?mail|sähköposti|s-posti|e-post|courriel|correo(?: electrónico)?)\s*:\s*$", re.IGNORECASE)
CLOUDFLARE = "/cdn-cgi/l/email-protection"
# Inline elements run on in the text a customer reads; an address split over them is one address.
INLINE = frozenset(
    "a abbr b bdi bdo big cite code data del dfn em font i ins kbd label mark q s samp small span strike strong sub sup "
    "time tt u var wbr".split()
)
_CONNECTOR = re.compile(r"\s*(?:@|\.|[\[\(\{]\s*(?:at|dot)\s*[\]\)\}])\s*", re.IGNORECASE)
_JOIN = "\x00"
NOREPLY = re.compile(r"^(?:no-?reply|do-?not-?reply|donotreply|no_reply|mailer-daemon|bounces?)\b", re.IGNORECASE)
# An address written as an example for the reader to fill in (documentation's "username@example.local"): no channel.
PLACEHOLDER = re.compile(
    r"^(?:user(?:name)?|your[._-]?(?:name|email|address)?|you|someone|somebody|john[._-]?doe|jane[._-]?doe|"
    r"first[._-]?name(?:[._-]?last[._-]?name)?|name|email|login)@",
    re.IGNORECASE,
)


def address_note(address: str) -> str:
    """Why an address is no channel: "noreply", "placeholder", or "" for one a customer can write to."""
    return "noreply" if NOREPLY.match(address) else "placeholder" if PLACEHOLDER.match(address) else ""


STREET = re.compile(
    r"\b[\w.\-]+(?:\s+[\w.\-]+)?\s*(?:street|st\.|road|rd\.|avenue|ave\.|lane|way|katu|tie|kuja|tori|straße|strasse|str\.|"
    r"gatan|gata|vägen|väg|rue|avenida|calle|plaza|platz|weg)\s*\d+\s*[a-z]?\b[^\n]{0,40}?\b(?:\d{4,5}|[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2})\b",
    re.IGNORECASE,
)
IMAGE_HINT = re.compile(
    r"e-?mail|phone|puhelin|telefon|\btel\b|contact|kontakt|yhteys|osoite|address|adresse", re.IGNORECASE
)
WIDGET = re.compile(
    r"zendesk|zdassets|freshdesk|freshchat|hubspot|hs-scripts|intercom|crisp\.chat|tawk\.to|livechat|helpscout",
    re.IGNORECASE,
)
NOT_PAGES = re.compile(
    r"\.(?:pdf|png|jpe?g|gif|svg|webp|ico|zip|gz|mp4|mp3|css|js|json|xml|txt|woff2?|ics|vcf)$", re.IGNORECASE
)
EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}
KINDS = ("email", "phone", "form", "address")
STRUCTURED = {"json-ld", "microdata", "microformat"}


@dataclass
class ContactDetail:
    kind: str  # email, phone, form, address, or image (a picture that seems to show contact details)
    value: str
    source: str  # mailto, text, obfuscated, tel, json-ld, microdata, microformat, form, widget, address element, image
    note: str = ""  # "noreply" and "premium-rate" details do not count as a channel

    @property
    def counts(self) -> bool:
        return not self.note and self.kind in KINDS

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class PageContacts:
    url: str
    title: str = ""
    lang: str = ""
    details: list[ContactDetail] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (absolute URL, the words a customer sees)
    needs_script: bool = False


def region_of(lang: str, fallback: str | None = None) -> str:
    """The phone-number region a page implies: its lang's country part, else the language's main country."""
    if fallback:
        return fallback.upper()
    parts = re.split(r"[-_]", lang or "")
    if len(parts) > 1 and len(parts[1]) == 2:
        return parts[1].upper()
    return {
        "fi": "FI",
        "sv": "SE",
        "de": "DE",
        "fr": "FR",
        "es": "ES",
        "nl": "NL",
        "it": "IT",
        "da": "DK",
        "nb": "NO",
        "no": "NO",
        "pl": "PL",
        "pt": "PT",
        "en": "US",
    }.get(parts[0].lower(), "US")


def _text_of(element: Any) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


def _phone(raw: str, region: str, source: str) -> ContactDetail | None:
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    note = "premium-rate" if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.PREMIUM_RATE else ""
    return ContactDetail("phone", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), source, note)


def _plain_address(raw: str) -> str:
    text = html_entities.unescape(unquote(raw)).strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    return text.split("?")[0].split(",")[0].strip().strip("<>").rstrip(".,;:").strip()


def _joined(local: str, domain: str) -> str | None:
    domain = re.sub(rf"{_SPELLED_DOT}|{_DOT}", ".", domain, flags=re.IGNORECASE)
    address = f"{local}@{domain}".lower()
    return address if EMAIL.fullmatch(address) else None


def decode_email(raw: str) -> str | None:
    """The address a written form stands for, or None: a mailto: link, text, or any obfuscation of them.

    One function for every place an address is read (a mailto: link, the page's text, structured
    data), so the browser's DOM and the page as served give the same address: percent-encoding and
    HTML entities are decoded, `[at]`, `(at)`, `{at}`, ` at `, `[dot]`, `(dot)`, ` dot ` are joined.
    """
    text = _plain_address(raw)
    if EMAIL.fullmatch(text):
        return text.lower()
    for pattern in (OBFUSCATED_EMAIL, SPELLED_EMAIL):
        match = pattern.fullmatch(text)
        if match:
            return _joined(match.group(1), match.groups()[-1])
    return None


def _email(raw: str, source: str) -> ContactDetail | None:
    address = decode_email(raw)
    if address is None:
        return None
    if source in ("mailto", "text") and not EMAIL.fullmatch(_plain_address(raw)):
        source = "obfuscated"
    return ContactDetail("email", address, source, address_note(address))


def _cloudflare(hex_digits: str) -> str | None:
    """Cloudflare's email protection: the first byte is a key, every further byte XOR the key is the address."""
    try:
        data = bytes.fromhex(hex_digits.strip())
    except ValueError:
        return None
    try:
        text = bytes(byte ^ data[0] for byte in data[1:]).decode("utf-8") if len(data) > 1 else ""
    except UnicodeDecodeError:
        return None
    return decode_email(text)


def _spelled_out(text: str, match: re.Match[str]) -> bool:
    """'hello at demo-events dot example' is an address after 'Email:', or with a spelled-out dot when written in
    capitals (HELLO AT DEMO DOT COM) or alone on its line; in prose ('look at the dot matrix', 'visit us at
    www.x.com', 'TICKETS AT WWW.X.COM') it is not."""
    domain = match.group(3)
    if domain.lower().startswith("www."):
        return False
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    before = text[line_start : match.start()]
    after = text[match.end() : line_end if line_end >= 0 else len(text)]
    if MAIL_CUE.search(before):
        return True
    spelled_dot = re.search(rf"{_SPELLED_DOT}|{_BRACKETED_DOT}", domain, re.IGNORECASE)
    alone = not before.strip() and not after.strip(" .")
    return bool(spelled_dot) and (match.group(2) == "AT" or alone)


def _reading_text(doc: Any) -> str:
    """The page's words line by line, as a customer reads them: block elements break lines, and an address cut into
    inline pieces (`hello<span>@</span>demo.example`, `hello<!-- -->@…`) is read whole."""
    parts: list[str] = []
    for event, element in etree.iterwalk(doc, events=("start", "end")):
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        parts.append(_JOIN if tag in INLINE else "\n")
        text = element.text if event == "start" else element.tail
        if text:
            parts.append(text)
    pieces = "".join(parts).split(_JOIN)
    joined, last = [pieces[0]], pieces[0]
    for piece in pieces[1:]:
        if not piece:
            continue
        if (
            joined[-1].endswith("@")
            or piece.startswith("@")
            or _CONNECTOR.fullmatch(last.rsplit("\n", 1)[-1])
            or _CONNECTOR.fullmatch(piece.split("\n", 1)[0])
            or re.match(r"\.\w", piece)
        ):
            joined[-1] += piece
        else:
            joined.append(piece)
        last = piece
    return "\n".join(line.strip() for line in "\n".join(joined).splitlines() if line.strip())


def _structured(html: str, url: str, region: str) -> list[ContactDetail]:
    """schema.org JSON-LD and microdata, microformats h-card (catalogue B6)."""
    if not re.search(r"ld\+json|itemscope|h-card|vcard|h-adr", html, re.IGNORECASE):
        return []
    try:
        data = extruct.extract(
            html, base_url=url, syntaxes=["json-ld", "microdata", "microformat"], uniform=True, errors="ignore"
        )
    except Exception:  # extruct raises whatever its parsers raise on broken markup; the visible data still counts
        return []
    details: list[ContactDetail] = []

    def walk(node: Any, source: str) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, source)
            return
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            values = value if isinstance(value, list) else [value]
            for item in values:
                if key == "email" and isinstance(item, str):
                    email = _email(item, source)
                    if email:
                        details.append(email)
                elif key in ("telephone", "tel") and isinstance(item, str):
                    phone = _phone(item.removeprefix("tel:"), region, source)
                    if phone:
                        details.append(phone)
                elif key in ("address", "adr") and isinstance(item, dict | str):
                    text = (
                        item
                        if isinstance(item, str)
                        else ", ".join(
                            str(v[0] if isinstance(v, list) else v)
                            for k, v in item.items()
                            if not k.startswith("@")
                            and k
                            in (
                                "streetAddress",
                                "postalCode",
                                "addressLocality",
                                "addressCountry",
                                "street-address",
                                "postal-code",
                                "locality",
                                "country-name",
                                "name",
                                "value",
                            )
                        )
                    )
                    if text.strip():
                        details.append(ContactDetail("address", text.strip(), source))
                else:
                    walk(item, source)

    for syntax, source in (("json-ld", "json-ld"), ("microdata", "microdata"), ("microformat", "microformat")):
        walk(data.get(syntax, []), source)
    return details


# What makes a form one that reaches a person at the business (catalogue B2), and what does not.
NOT_A_MESSAGE = re.compile(r"captcha|turnstile", re.IGNORECASE)  # reCAPTCHA puts a hidden textarea in every form
REPLY_FIELD = re.compile(
    r"e-?mail|sähköposti|s-posti|e-post|courriel|correo|phone|puhelin|telefon|\btel\b|mobile|matkapuhelin|\bgsm\b",
    re.IGNORECASE,
)
TOPIC_FIELD = re.compile(
    r"subject|topic|aihe|otsikko|betreff|thema|ämne|sujet|objet|asunto|\btema\b|reason|category|department|"
    r"enquiry|inquiry",
    re.IGNORECASE,
)
RATING_TOKENS = {"rating", "ratings", "starrating", "stars", "star", "arvosana", "tähdet", "sterne", "betyg"}
COMMENT_SYSTEM = {"comment_post_id", "comment_parent", "object_pk", "security_hash"}  # WordPress, django-comments
_HEADINGS = "self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6 or self::legend"


def _tokens(*values: str | None) -> set[str]:
    return {token for value in values if value for token in re.split(r"[^\w]+|_", value.lower()) if token}


def _control_words(control: Any, labels: dict[str, str]) -> str:
    """What a field is called: its name, id, autocomplete, placeholder, aria-label and label."""
    words = [control.get(a) or "" for a in ("name", "id", "autocomplete", "placeholder", "aria-label", "title")]
    words.append(labels.get(control.get("id") or "", ""))
    words += [_text_of(label) for label in control.iterancestors("label")]
    return " ".join(words)


def _shown(control: Any) -> bool:
    style = re.sub(r"\s+", "", control.get("style") or "").lower()
    hidden = control.get("hidden") is not None or "display:none" in style or control.get("readonly") is not None
    return not hidden and control.get("disabled") is None


def form_kind(form: Any, labels: dict[str, str], wording: Wording) -> str | None:
    """'contact form' for a form that sends a message to the business; 'review form' or 'comment form' for one with
    a message field that posts a review or a public comment instead; None for every other form (sign-up, log-in,
    search, newsletter, basket).

    A contact form has a field for the message and a way to be answered (an email or phone field), or a subject or
    topic for the business, or says it is one (Contact us, Get in touch, Support request, Yhteydenotto…)."""
    controls = list(form.iter("input", "textarea", "select"))
    messages = [
        c
        for c in controls
        if c.tag == "textarea" and _shown(c) and not NOT_A_MESSAGE.search(f"{c.get('name')} {c.get('id')}")
    ]
    if not messages:
        return None
    kinds = {(c.get("type") or "text").lower() for c in controls if c.tag == "input"}
    if "password" in kinds or "search" in kinds or form.get("role") == "search":
        return None
    fields = [c for c in controls if c not in messages and (c.get("type") or "").lower() != "hidden"]
    heading = form.xpath(f"preceding::*[{_HEADINGS}][1]")
    before = form.getprevious()
    titled = " \n ".join(
        filter(
            None,
            [
                form.get("aria-label"),
                form.get("title"),
                " ".join(sorted(_tokens(form.get("id"), form.get("class"), form.get("name")))),
                *(_text_of(h) for h in form.xpath(f".//*[{_HEADINGS}]")),
                *(_text_of(h)[:200] for h in heading),
                _text_of(before)[:200] if before is not None and isinstance(before.tag, str) else "",
                *(_text_of(b) for b in form.iter("button")),
                *(c.get("value") or "" for c in controls if (c.get("type") or "").lower() == "submit"),
            ],
        )
    )
    labelled = " \n ".join(_control_words(c, labels) for c in controls if (c.get("type") or "").lower() != "hidden")
    names = _tokens(*(f"{c.get('name')} {c.get('id')}" for c in controls))
    classes = _tokens(*(f"{e.get('class')} {e.get('id')}" for e in form.iter() if isinstance(e.tag, str)))
    radios: dict[str, list[str]] = {}
    for c in controls:
        if (c.get("type") or "").lower() == "radio":
            radios.setdefault(c.get("name") or "", []).append(c.get("value") or "")
    stars = any(len(values) >= 3 and all(v.isdigit() for v in values) for values in radios.values())
    if stars or (names | classes) & RATING_TOKENS or wording.find("review_form", f"{titled}\n{labelled}"):
        return "review form"
    action = form.get("action") or ""
    if {(c.get("name") or "").lower() for c in controls} & COMMENT_SYSTEM or "wp-comments-post" in action:
        return "comment form"
    says_contact = wording.find("contact_form", titled)
    if wording.find("comment_form", titled) and not says_contact:
        return "comment form"
    answerable = any(
        (c.get("type") or "").lower() in ("email", "tel") or REPLY_FIELD.search(_control_words(c, labels))
        for c in fields
    )
    topic = any(TOPIC_FIELD.search(_control_words(c, labels)) for c in fields)
    return "contact form" if answerable or topic or says_contact else None


def extract_page(html: str, url: str, *, region: str | None = None, wording: Wording | None = None) -> PageContacts:
    """Everything a customer could use to reach a human on this page, and the links onwards."""
    wording = wording or Wording.built_in()
    page = PageContacts(url)
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return page
    page.lang = doc.get("lang", "")
    page.title = _text_of(doc.find(".//title")) if doc.find(".//title") is not None else ""
    phone_region = region_of(page.lang, region)
    details = page.details

    for script in doc.iter("script"):
        kind = (script.get("type") or "").strip().lower()
        if kind in EXECUTABLE_SCRIPT_TYPES and (script.get("src") or (script.text or "").strip()):
            page.needs_script = True
        if WIDGET.search(script.get("src") or ""):
            details.append(ContactDetail("form", script.get("src"), "widget"))
    for frame in doc.iter("iframe"):
        if WIDGET.search(frame.get("src") or ""):
            details.append(ContactDetail("form", frame.get("src"), "widget"))

    for link in doc.iter("a"):
        href = (link.get("href") or "").strip()
        words = (
            _text_of(link)
            or " ".join(img.get("alt", "") for img in link.iter("img")).strip()
            or link.get("aria-label", "")
            or link.get("title", "")
        )
        low = href.lower()
        if low.startswith("mailto:"):
            email = _email(href, "mailto")
            if email:
                details.append(email)
        elif CLOUDFLARE in low:  # a mailto: link in disguise, which Cloudflare's script turns back into one
            address = _cloudflare(urlsplit(href).fragment)
            if address:
                details.append(ContactDetail("email", address, "obfuscated"))
        elif low.startswith(("tel:", "callto:", "sms:")):
            phone = _phone(unquote(href.split(":", 1)[1]), phone_region, "tel")
            if phone:
                details.append(phone)
        elif href and not low.startswith(("javascript:", "#", "data:")):
            target = urljoin(url, href)
            if urlsplit(target).scheme in ("http", "https") and not NOT_PAGES.search(urlsplit(target).path):
                page.links.append((target, words))

    labels = {label.get("for"): _text_of(label) for label in doc.iter("label") if label.get("for")}
    for form in doc.iter("form"):
        kind = form_kind(form, labels, wording)
        if kind is not None:
            note = "" if kind == "contact form" else kind
            details.append(ContactDetail("form", urljoin(url, form.get("action") or url), "form", note))

    for image in doc.iter("img"):
        described = " ".join(
            filter(
                None, [image.get("alt"), image.get("title"), urlsplit(image.get("src") or "").path.rsplit("/", 1)[-1]]
            )
        )
        if IMAGE_HINT.search(described):
            details.append(ContactDetail("image", described.strip(), "image"))

    for address in doc.iter("address"):
        text = _text_of(address)
        if text and not EMAIL.fullmatch(text):
            details.append(ContactDetail("address", text[:200], "address element"))

    for hidden in doc.xpath("//script|//style|//noscript|//template"):
        hidden.drop_tree()
    etree.strip_tags(doc, etree.Comment)  # hello<!-- -->@example.com reads as one address
    for protected in doc.xpath("//*[@data-cfemail]"):  # Cloudflare: the address as text, as its script leaves it
        address = _cloudflare(protected.get("data-cfemail", ""))
        if address:
            details.append(ContactDetail("email", address, "obfuscated"))
        protected.drop_tree()
    backwards: set[str] = set()
    for element in doc.xpath("//*[@style]"):  # written backwards, shown forwards by CSS
        style = re.sub(r"\s+", "", element.get("style", "")).lower()
        if "direction:rtl" in style and "bidi-override" in style:
            shown = element.text_content()[::-1]
            for child in list(element):
                element.remove(child)
            element.text = shown
            backwards.update(m.group(0).lower() for m in EMAIL.finditer(shown))
    text = _reading_text(doc)
    for match in EMAIL.finditer(text):
        email = _email(match.group(0), "obfuscated" if match.group(0).lower() in backwards else "text")
        if email:
            details.append(email)
    for match in OBFUSCATED_EMAIL.finditer(text):
        address = _joined(match.group(1), match.group(2))
        if address:
            details.append(ContactDetail("email", address, "obfuscated", address_note(address)))
    for match in SPELLED_EMAIL.finditer(text):
        address = _joined(match.group(1), match.group(3)) if _spelled_out(text, match) else None
        if address:
            details.append(ContactDetail("email", address, "obfuscated", address_note(address)))
    for found in phonenumbers.PhoneNumberMatcher(text, phone_region, leniency=phonenumbers.Leniency.VALID):
        phone = _phone(found.raw_string, phone_region, "text")
        if phone:
            details.append(phone)
    for match in STREET.finditer(text):
        details.append(ContactDetail("address", re.sub(r"\s+", " ", match.group(0)), "text"))

    details.extend(_structured(html, url, phone_region))
    page.details = _unique(details)
    return page


def _unique(details: list[ContactDetail]) -> list[ContactDetail]:
    seen: set[tuple[str, str, bool]] = set()
    kept = []
    for detail in details:
        key = (detail.kind, detail.value, detail.source in STRUCTURED)
        if key not in seen:
            seen.add(key)
            kept.append(detail)
    return kept
