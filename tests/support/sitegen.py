"""A generated shop site of 216 static pages with contact details at a known place, for the contact crawl.

Home -> 10 categories -> 20 products each (200 pages two clicks deep), plus an
"About us > Our company > Offices > Helsinki office" branch four clicks deep and,
for some placements, a contact page one click deep. Where the details sit is the
placement; `EXPECTED` says what a crawl from the home page must report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

EMAIL = "help@shop.test"
PHONE = "+358 9 4242 4242"
PHONE_E164 = "+358942424242"
CATEGORIES, PRODUCTS = 10, 20
DEEP_PAGE = "/c3/p7.html"


@dataclass(frozen=True)
class Expected:
    kind: str  # email / phone / form / address, or image (the details are only a picture)
    value: str
    source: str
    depth: int
    path: tuple[str, ...]


EXPECTED: dict[str, list[Expected]] = {
    "footer": [Expected("email", EMAIL, "mailto", 0, ()), Expected("phone", PHONE_E164, "text", 0, ())],
    "contact_page": [
        Expected("email", EMAIL, "text", 1, ("Contact us",)),
        Expected("phone", PHONE_E164, "tel", 1, ("Contact us",)),
        Expected("form", "/contact/send", "form", 1, ("Contact us",)),
        Expected("address", "Shop Oy, Mannerheimintie 12 B, 00100 Helsinki", "address element", 1, ("Contact us",)),
    ],
    "four_deep": [
        Expected("email", EMAIL, "mailto", 4, ("About us", "Our company", "Offices", "Helsinki office")),
        Expected("phone", PHONE_E164, "text", 4, ("About us", "Our company", "Offices", "Helsinki office")),
    ],
    "image_only": [Expected("image", "Contact details contact-details.png", "image", 1, ("Contact us",))],
    "obfuscated": [Expected("email", EMAIL, "obfuscated", 1, ("Contact us",))],
    "json_ld_only": [Expected("email", EMAIL, "json-ld", 0, ()), Expected("phone", PHONE_E164, "json-ld", 0, ())],
    "script_footer": [Expected("email", EMAIL, "mailto", 0, ())],
    "noreply_only": [Expected("email", "noreply@shop.test", "mailto", 0, ())],
}


def _page(title: str, body: str, *, nav: str, footer: str, head: str = "") -> str:
    return (
        f"<!doctype html><html lang='en-GB'><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
        f"<body><header><nav>{nav}</nav></header><main><h1>{title}</h1>{body}</main>"
        f"<footer id='footer'>{footer}</footer></body></html>"
    )


def generate_site(root: Path, placement: str) -> Path:
    """Write the site for one placement under root; returns root."""
    if placement not in EXPECTED:
        raise ValueError(f"unknown placement {placement!r}; one of {sorted(EXPECTED)}")
    has_contact_page = placement in ("contact_page", "image_only", "obfuscated")
    nav = "<a href='/index.html'>Home</a> <a href='/about/index.html'>About us</a>"
    if has_contact_page:
        nav += " <a href='/contact.html'>Contact us</a>"
    footer = "<p>&copy; Shop Oy</p>"
    if placement == "footer":
        footer += f"<p><a href='mailto:{EMAIL}'>Email us</a> or call {PHONE}</p>"
    if placement == "noreply_only":
        footer += "<p>Questions? <a href='mailto:noreply@shop.test'>noreply@shop.test</a></p>"
    home_head = ""
    if placement == "json_ld_only":
        data = {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": "Shop Oy",
            "contactPoint": {
                "@type": "ContactPoint",
                "contactType": "customer service",
                "email": EMAIL,
                "telephone": PHONE,
            },
        }
        home_head = f"<script type='application/ld+json'>{json.dumps(data)}</script>"
    home_footer = footer
    if placement == "script_footer":
        home_footer += (
            "<p id='reach'></p><script>document.getElementById('reach').innerHTML = "
            f"\"<a href='mailto:{EMAIL}'>Write to us</a>\";</script>"
        )

    def write(path: str, html: str) -> None:
        target = root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")

    categories = " ".join(f"<a href='/c{c}/index.html'>Category {c}</a>" for c in range(CATEGORIES))
    write(
        "/index.html", _page("Shop", f"<p>Welcome.</p><p>{categories}</p>", nav=nav, footer=home_footer, head=home_head)
    )
    for c in range(CATEGORIES):
        products = " ".join(f"<a href='/c{c}/p{p}.html'>Product {c}-{p}</a>" for p in range(PRODUCTS))
        write(f"/c{c}/index.html", _page(f"Category {c}", f"<p>{products}</p>", nav=nav, footer=footer))
        for p in range(PRODUCTS):
            body = (
                f"<p>Product {c}-{p}, order code 2026-{c:02d}{p:02d}.</p><a href='/c{c}/index.html'>Back to category {c}</a> "
                f"<a href='/c{c}/p{(p + 1) % PRODUCTS}.html'>Next product</a>"
            )
            write(f"/c{c}/p{p}.html", _page(f"Product {c}-{p}", body, nav=nav, footer=footer))
    write(
        "/about/index.html", _page("About us", "<a href='/about/company.html'>Our company</a>", nav=nav, footer=footer)
    )
    write(
        "/about/company.html", _page("Our company", "<a href='/about/offices.html'>Offices</a>", nav=nav, footer=footer)
    )
    write(
        "/about/offices.html",
        _page("Offices", "<a href='/about/helsinki.html'>Helsinki office</a>", nav=nav, footer=footer),
    )
    office = "<p>Visit us in Helsinki.</p>"
    if placement == "four_deep":
        office += f"<p><a href='mailto:{EMAIL}'>{EMAIL}</a>, phone {PHONE}</p>"
    write("/about/helsinki.html", _page("Helsinki office", office, nav=nav, footer=footer))
    if has_contact_page:
        contact = {
            "contact_page": (
                f"<p>Email {EMAIL} or call <a href='tel:{PHONE.replace(' ', '')}'>us</a>.</p>"
                "<form action='/contact/send' method='post'><input type='email' name='email'>"
                "<textarea name='message'></textarea><button>Send</button></form>"
                "<address>Shop Oy, Mannerheimintie 12 B, 00100 Helsinki</address>"
            ),
            "image_only": "<p>Reach us here:</p><img src='/contact-details.png' alt='Contact details' width='300' height='60'>",
            "obfuscated": "<p>Write to help [at] shop [dot] test.</p>",
        }[placement]
        write("/contact.html", _page("Contact us", contact, nav=nav, footer=footer))
    return root


def page_count(root: Path) -> int:
    return sum(1 for _ in root.rglob("*.html"))
