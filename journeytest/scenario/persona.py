"""The made-up customer a run signs up as.

Generated with Faker in the scenario's locale, unique per run (so a real site
and a real inbox never see the same address twice), and safe by default:
email addresses use example.com, a domain reserved for examples (RFC 2606),
unless the scenario gives its own pattern such as plus-addressing.
"""

from __future__ import annotations

import re
import secrets
import string
import unicodedata
from dataclasses import asdict, dataclass

from faker import Faker

from ..masked import Secret, SecretEnvironment
from . import templating
from .model import PersonaSpec

DEFAULT_EMAIL_PATTERN = "{first_name}.{last_name}.{unique}@example.com"


@dataclass(frozen=True)
class Persona:
    first_name: str
    last_name: str
    email: str
    password: str
    new_password: str  # for password-change journeys: also a secret journeytest typed
    phone: str
    street_address: str
    city: str
    postcode: str
    country: str
    company: str
    username: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def address(self) -> str:
        return f"{self.street_address}, {self.postcode} {self.city}"

    def as_values(self) -> dict[str, str]:
        """Every field a `{persona.…}` placeholder can name."""
        values = asdict(self)
        values.update(name=self.name, address=self.address)
        return values

    def secrets(self) -> dict[str, str]:
        """Placeholder -> value of every secret this persona types."""
        return {"{persona.password}": self.password, "{persona.new_password}": self.new_password}


def _ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", folded.lower()) or "user"


def generate_password(rng: secrets.SystemRandom | None = None, length: int = 16) -> str:
    """A strong password every common site policy accepts: upper, lower, digit and one symbol."""
    rng = rng or secrets.SystemRandom()
    alphabet = string.ascii_letters + string.digits
    core = [rng.choice(string.ascii_uppercase), rng.choice(string.ascii_lowercase), rng.choice(string.digits), "!"]
    core += [rng.choice(alphabet) for _ in range(length - len(core))]
    rng.shuffle(core)
    return "".join(core)


def make_persona(spec: PersonaSpec, run_id: str, env: dict[str, str] | None = None) -> Persona:
    """A persona for one run; fields the scenario fixes win over generated ones."""
    fake = Faker(spec.locale)
    if spec.seed is not None:
        fake.seed_instance(spec.seed)
    unique = f"{run_id}{secrets.token_hex(2)}"
    first = spec.first_name or fake.first_name()
    last = spec.last_name or fake.last_name()
    pattern_values = {
        "unique": unique,
        "run_id": run_id,
        "first_name": _ascii_slug(first),
        "last_name": _ascii_slug(last),
    }
    pattern = spec.email or DEFAULT_EMAIL_PATTERN
    email = re.sub(r"\{(unique|run_id|first_name|last_name)\}", lambda m: pattern_values[m.group(1)], pattern)
    values = {"env": SecretEnvironment(env or {})}
    password = Secret(templating.render(spec.password, values) if spec.password else generate_password())
    email = templating.render(email, values)
    return Persona(
        first_name=first,
        last_name=last,
        email=email,
        password=password,
        new_password=Secret(generate_password()),
        phone=spec.phone or fake.phone_number(),
        street_address=fake.street_address(),
        city=fake.city(),
        postcode=fake.postcode(),
        country=fake.current_country() if hasattr(fake, "current_country") else "",
        company=fake.company(),
        username=f"{_ascii_slug(first)}{unique}",
    )
