"""Create the demo domain and list in Mailman core through its REST API (idempotent).

Run by start.sh with the venv's python once core answers: domain example.com, one public
list news@example.com ("News", subscription policy "confirm": the subscriber confirms by
email, no moderator), an owner, and the Django Site's name and domain.
"""

import os
import sys

from mailmanclient import Client

REST = f"http://127.0.0.1:{os.environ['MAILMAN_REST_PORT']}/3.1"
DOMAIN, LIST = "example.com", "news"
OWNER = os.environ.get("MAILMAN_LIST_OWNER", "owner@example.com")

client = Client(REST, "restadmin", "restpass")
try:
    domain = client.get_domain(DOMAIN)
except Exception:
    domain = client.create_domain(DOMAIN)
try:
    mlist = client.get_list(f"{LIST}@{DOMAIN}")
except Exception:
    mlist = domain.create_list(LIST)  # the default style: legacy-default
settings = mlist.settings
wanted = {
    "display_name": "News",
    "description": "Occasional news from Example Lists",
    "subscription_policy": "confirm",
    "unsubscription_policy": "confirm",
    "advertised": True,
    "send_welcome_message": True,
    "send_goodbye_message": True,
    "archive_policy": "never",
}
changed = False
for key, value in wanted.items():
    if settings[key] != value:
        settings[key] = value
        changed = True
if changed:
    settings.save()
if OWNER not in [o.email for o in mlist.owners]:
    mlist.add_owner(OWNER)
print(f"list {mlist.fqdn_listname}: " + ", ".join(f"{k}={mlist.settings[k]}" for k in wanted), file=sys.stderr)
