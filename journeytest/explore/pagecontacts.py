"""Contact details on one web page: emails, phone numbers, contact forms, postal addresses (catalogue B1-B3, B6).

The crawler (crawl.py) calls this for every page it fetches; the contact_details
check judges what it found. Phones are recognised by `phonenumbers`, structured
data is read by `extruct`, and the HTML by lxml, so only the obfuscated-email
patterns and the address hints are our own.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import extruct
import lxml.html
import phonenumbers
from lxml import etree

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w-])", re.IGNORECASE)
_AT = r"(?:\s*[\[\(\{<]\s*(?:at|ät|@|miukumauku)\s*[\]\)\}>]\s*|\s+(?:ät|miukumauku)\s+)"
_DOT = r"(?:\s*[\[\(\{<]\s*(?:dot|piste|punkt|point|punto)\s*[\]\)\}>]\s*|\.)"
OBFUSCATED_EMAIL = re.compile(rf"(?<![\w.+-])([\w.+-]+){_AT}([\w-]+(?:{_DOT}[\w-]+)+)", re.IGNORECASE)
NOREPLY = re.compile(r"^(?:no-?reply|do-?not-?reply|donotreply|no_reply|mailer-daemon|bounces?)\b", re.IGNORECASE)
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


def _email(raw: str, source: str) -> ContactDetail:
    address = raw.strip().removeprefix("mailto:").split("?")[0].strip().lower()
    return ContactDetail("email", unquote(address), source, "noreply" if NOREPLY.match(address) else "")


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
                    details.append(_email(item, source))
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


def extract_page(html: str, url: str, *, region: str | None = None) -> PageContacts:
    """Everything a customer could use to reach a human on this page, and the links onwards."""
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
            details.append(_email(href, "mailto"))
        elif low.startswith(("tel:", "callto:", "sms:")):
            phone = _phone(unquote(href.split(":", 1)[1]), phone_region, "tel")
            if phone:
                details.append(phone)
        elif href and not low.startswith(("javascript:", "#", "data:")):
            target = urljoin(url, href)
            if urlsplit(target).scheme in ("http", "https") and not NOT_PAGES.search(urlsplit(target).path):
                page.links.append((target, words))

    for form in doc.iter("form"):
        fields = [
            (field.get("type") or "").lower() + " " + (field.get("name") or "").lower() for field in form.iter("input")
        ]
        if form.find(".//textarea") is not None and any("email" in f for f in fields):
            details.append(ContactDetail("form", urljoin(url, form.get("action") or url), "form"))

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
    text = "\n".join(t.strip() for t in doc.itertext() if t.strip())
    for match in EMAIL.finditer(text):
        details.append(_email(match.group(0), "text"))
    for match in OBFUSCATED_EMAIL.finditer(text):
        domain = re.sub(_DOT, ".", match.group(2), flags=re.IGNORECASE)
        if "." in domain:
            details.append(_email(f"{match.group(1)}@{domain}", "obfuscated"))
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
