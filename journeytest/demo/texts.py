"""Everything the demo company says, in English and Finnish (the customer stories are Finnish)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "company": {"en": "Acme Cloud", "fi": "Acme Cloud"},
    "tagline": {"en": "Team chat that just works.", "fi": "Tiimichat, joka vain toimii."},
    "home": {"en": "Home", "fi": "Etusivu"},
    "pricing": {"en": "Pricing", "fi": "Hinnasto"},
    "sign_up": {"en": "Sign up", "fi": "Rekisteröidy"},
    "log_in": {"en": "Log in", "fi": "Kirjaudu sisään"},
    "log_out": {"en": "Log out", "fi": "Kirjaudu ulos"},
    "account": {"en": "Your account", "fi": "Oma tili"},
    "contact": {"en": "Contact", "fi": "Yhteystiedot"},
    "support": {"en": "Support", "fi": "Asiakastuki"},
    "about": {"en": "About us", "fi": "Tietoa meistä"},
    "company_info": {"en": "Company", "fi": "Yritys"},
    "legal": {"en": "Legal", "fi": "Oikeudelliset tiedot"},
    "name": {"en": "Name", "fi": "Nimi"},
    "email": {"en": "Email", "fi": "Sähköposti"},
    "password": {"en": "Password", "fi": "Salasana"},
    "current_password": {"en": "Current password", "fi": "Nykyinen salasana"},
    "new_password": {"en": "New password", "fi": "Uusi salasana"},
    "message": {"en": "Message", "fi": "Viesti"},
    "send": {"en": "Send", "fi": "Lähetä"},
    "create_account": {"en": "Create account", "fi": "Luo tili"},
    "welcome": {"en": "Welcome", "fi": "Tervetuloa"},
    "plan": {"en": "Plan", "fi": "Paketti"},
    "no_plan": {"en": "Free (no subscription)", "fi": "Ilmainen (ei tilausta)"},
    "buy": {"en": "Buy", "fi": "Osta"},
    "per_month": {"en": "per month", "fi": "kuukaudessa"},
    "plan_active": {"en": "Your {plan} plan is active.", "fi": "{plan}-pakettisi on voimassa."},
    "cancel_subscription": {"en": "Cancel subscription", "fi": "Irtisano tilaus"},
    "manage_subscription": {"en": "Manage subscription", "fi": "Hallinnoi tilausta"},
    "change_password": {"en": "Change password", "fi": "Vaihda salasana"},
    "forgot_password": {"en": "Forgot your password?", "fi": "Unohditko salasanasi?"},
    "reset_password": {"en": "Reset password", "fi": "Palauta salasana"},
    "set_password": {"en": "Set new password", "fi": "Aseta uusi salasana"},
    "password_changed": {"en": "Your password was changed.", "fi": "Salasanasi on vaihdettu."},
    "new_password_sent": {
        "en": "We have emailed you a new password.",
        "fi": "Lähetimme sinulle uuden salasanan sähköpostilla.",
    },
    "reset_sent": {
        "en": "If the address is ours, we sent you an email.",
        "fi": "Jos osoite on meillä, lähetimme sinulle sähköpostia.",
    },
    "link_used": {
        "en": "This link has already been used or has expired.",
        "fi": "Linkki on jo käytetty tai vanhentunut.",
    },
    "wrong_password": {"en": "Wrong email or password.", "fi": "Väärä sähköposti tai salasana."},
    "email_taken": {"en": "That email already has an account.", "fi": "Sähköpostilla on jo tili."},
    "support_title": {"en": "Ask us anything", "fi": "Kysy meiltä mitä vain"},
    "thanks_message": {"en": "Thank you, we received your message.", "fi": "Kiitos, saimme viestisi."},
    # dark patterns
    "retention_title": {"en": "Wait! Before you go…", "fi": "Odota! Ennen kuin lähdet…"},
    "retention_offer": {
        "en": "Special offer: 50% off for 3 months if you stay.",
        "fi": "Erikoistarjous: 50 % alennus 3 kuukaudeksi, jos jäät.",
    },
    "keep_benefits": {"en": "Keep my benefits", "fi": "Pidä etuni"},
    "decline_shame": {"en": "No thanks, I don't like saving money", "fi": "Ei kiitos, en halua säästää"},
    "survey_title": {"en": "Why are you leaving? (required)", "fi": "Miksi lähdet? (pakollinen)"},
    "reason_price": {"en": "Too expensive", "fi": "Liian kallis"},
    "reason_other": {"en": "Something else", "fi": "Jokin muu"},
    "continue": {"en": "Continue", "fi": "Jatka"},
    "billing_details": {"en": "Billing & plan details", "fi": "Laskutus- ja pakettitiedot"},
    "next_invoice": {"en": "Next invoice", "fi": "Seuraava lasku"},
    "sure_title": {"en": "Are you sure?", "fi": "Oletko varma?"},
    "sure_text": {
        "en": "You'll lose your benefits and all your chat history.",
        "fi": "Menetät etusi ja koko keskusteluhistoriasi.",
    },
    "continue_cancel": {"en": "Continue to cancel", "fi": "Jatka irtisanomista"},
    "final_title": {"en": "We're sorry to hear that", "fi": "Harmi kuulla"},
    "final_text": {
        "en": "To cancel your subscription, please email your success manager at {manager}.",
        "fi": "Irtisanoaksesi tilauksen lähetä sähköpostia asiakkuuspäällikölle osoitteeseen {manager}.",
    },
    # fair cancellation
    "cancel_confirm_title": {"en": "Cancel your subscription?", "fi": "Irtisanotaanko tilaus?"},
    "cancel_confirm_text": {
        "en": "Your {plan} plan ends on {date}. You can come back any time.",
        "fi": "{plan}-pakettisi päättyy {date}. Voit palata milloin tahansa.",
    },
    "confirm_cancel": {"en": "Yes, cancel my subscription", "fi": "Kyllä, irtisano tilaus"},
    "keep_subscription": {"en": "Keep my subscription", "fi": "Pidä tilaus"},
    "cancelled_title": {"en": "Your subscription has been cancelled", "fi": "Tilauksesi on irtisanottu"},
    "cancelled_text": {
        "en": "Your {plan} plan ends on {date}. We sent a confirmation to {email}.",
        "fi": "{plan}-pakettisi päättyy {date}. Lähetimme vahvistuksen osoitteeseen {email}.",
    },
}

# The emails each variant sends, per language: (subject, text). Placeholders are filled with str.format.
EMAILS: dict[str, dict[str, tuple[str, str]]] = {
    "welcome_fair": {
        "en": (
            "Welcome to Acme Cloud - please confirm your email",
            "Hi {name},\n\nwelcome to Acme Cloud! Please confirm your email address:\n{link}\n\n"
            "We never send passwords by email.\n\nThanks,\nMaria from Acme Cloud",
        )
    },
    "welcome_dark": {
        "en": (
            "Welcome to Acme Cloud",
            "Welcome!\n\nYour login details:\nEmail: {email}\nPassword: {password}\n\nKeep this email safe.",
        ),
        "fi": (
            "Tervetuloa Acme Cloudiin",
            "Tervetuloa!\n\nKirjautumistietosi:\nSähköposti: {email}\nSalasana: {password}\n\nSäilytä tämä viesti.",
        ),
    },
    "receipt": {
        "en": (
            "Your {plan} plan is active",
            "Hi {name},\n\nthanks for buying the {plan} plan ({price} per month).\n\nAcme Cloud",
        ),
        "fi": (
            "{plan}-pakettisi on voimassa",
            "Hei {name},\n\nkiitos {plan}-paketin ostosta ({price} kuukaudessa).\n\nAcme Cloud",
        ),
    },
    "password_changed_fair": {
        "en": (
            "Your Acme Cloud password was changed",
            "Hi {name},\n\nyour password was changed on {date}. If this was not you, reset it here:\n{link}\n\nAcme Cloud",
        )
    },
    "password_changed_dark": {
        "en": ("Your password was changed", "Your new password is: {password}\n\nAcme Cloud"),
        "fi": ("Salasanasi on vaihdettu", "Uusi salasanasi on: {password}\n\nAcme Cloud"),
    },
    "reset_link": {
        "en": (
            "Reset your Acme Cloud password",
            "Hi {name},\n\nuse this link to reset your password (it works once, for one hour):\n{link}\n\n"
            "If you did not ask for this, ignore this email.\n\nAcme Cloud",
        ),
        "fi": (
            "Palauta Acme Cloud -salasanasi",
            "Hei {name},\n\npalauta salasanasi tästä linkistä (toimii kerran, tunnin ajan):\n{link}\n\n"
            "Jos et pyytänyt tätä, voit ohittaa viestin.\n\nAcme Cloud",
        ),
    },
    "reset_dark": {
        "en": ("Your new password", "Your password has been reset.\nNew password: {password}\n\nAcme Cloud"),
        "fi": ("Uusi salasanasi", "Salasanasi on palautettu.\nUusi salasana: {password}\n\nAcme Cloud"),
    },
    "cancelled_fair": {
        "en": (
            "Your Acme Cloud subscription has been cancelled",
            "Hi {name},\n\nwe're sorry to see you go. Could you tell us why? Just reply to this email.\n\n"
            "What we did: we cancelled your {plan} plan on {today}. You keep access until {date} and "
            "will not be charged again. There is nothing more you need to do.\n\n"
            "Thank you for being with us - you are welcome back any time.\n\nMaria from Acme Cloud",
        )
    },
    "winback_dark": {
        "en": (
            "We miss you! Come back for 50% off",
            "Dear customer,\n\nwe noticed you wanted to leave. Come back now and get 50% off!\n\nAcme Cloud",
        ),
        "fi": (
            "Ikävä sinua! Palaa 50 % alennuksella",
            "Hyvä asiakas,\n\nhuomasimme, että halusit lähteä. Palaa nyt 50 % alennuksella!\n\nAcme Cloud",
        ),
    },
    "support_fair": {
        "en": (
            "We received your question [{reference}]",
            "Hi {name},\n\nthanks for writing to us. Your reference number is {reference}; a person from our "
            "support team will answer within one business day.\n\nMaria, Acme Cloud support",
        )
    },
    "support_dark": {
        "en": (
            "We have received your message",
            "Dear customer,\n\nwe have received your message:\n\n{message}\n\nThank you for your feedback.",
        ),
        "fi": (
            "Olemme vastaanottaneet viestisi",
            "Hyvä asiakas,\n\nolemme vastaanottaneet viestisi:\n\n{message}\n\nKiitos palautteestasi.",
        ),
    },
}


def text(key: str, lang: str, **values: object) -> str:
    entry = TEXTS[key]
    return entry.get(lang, entry["en"]).format(**values)


def email_text(key: str, lang: str) -> tuple[str, str]:
    entry = EMAILS[key]
    return entry.get(lang, entry["en"])
