#!/usr/bin/env bash
# Start GNU Mailman 3 core + Postorius (unmodified, from PyPI) on 127.0.0.1, idempotently.
#
#   SMTP_PORT=18325 ./start.sh        # required: where Mailman and Django send mail (journeytest's SMTP sink)
#
# Environment (defaults):
#   REALSITE_STATE=/tmp/realsites/mailman   state folder: venv, sqlite databases, queues, logs, pids
#   PORT=18300               Postorius (Django runserver)
#   MAILMAN_REST_PORT=18301  Mailman core REST API
#   MAILMAN_LMTP_PORT=18302  Mailman core LMTP runner (incoming mail: replies, -leave, -request)
#   REALSITE_LIFETIME=2h     every server stops itself after this long (coreutils timeout)
#   REALSITE_PYTHON=python3.11  interpreter for the venv (3.9-3.13)
#
# The last line of stdout is the site's base URL (its / redirects to Postorius' list index).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="${REALSITE_STATE:-/tmp/realsites/mailman}"
PORT="${PORT:-18300}"
REST_PORT="${MAILMAN_REST_PORT:-18301}"
LMTP_PORT="${MAILMAN_LMTP_PORT:-18302}"
LIFETIME="${REALSITE_LIFETIME:-2h}"
: "${SMTP_PORT:?SMTP_PORT must name the port of the SMTP sink on 127.0.0.1 (e.g. journeytest --smtp-sink 18325)}"
BASE_URL="http://127.0.0.1:${PORT}"
VENV="$STATE/venv"
PIDS="$STATE/pids"
LOGS="$STATE/logs"
MM="$STATE/mailman"
CFG="$MM/mailman.cfg"

log() { echo "[mailman start] $*" >&2; }

mkdir -p "$STATE" "$PIDS" "$LOGS" "$MM/var"

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# --- already running with the same settings? ------------------------------------------------
WANT="PORT=$PORT REST_PORT=$REST_PORT LMTP_PORT=$LMTP_PORT SMTP_PORT=$SMTP_PORT"
if alive "$PIDS/core.pid" && alive "$PIDS/web.pid" && [ "$(cat "$STATE/running.env" 2>/dev/null)" = "$WANT" ] \
   && curl -fs -o /dev/null "$BASE_URL/postorius/lists/"; then
    log "already running ($WANT)"
    echo "$BASE_URL"
    exit 0
fi
if [ -n "$(ls -A "$PIDS" 2>/dev/null)" ]; then
    log "stopping what an earlier start left running"
    "$HERE/stop.sh" >&2 || true
fi
mkdir -p "$PIDS"

# --- venv with pinned versions ---------------------------------------------------------------
REQ_SUM="$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1)"
if [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$REQ_SUM" ]; then
    PY="${REALSITE_PYTHON:-}"
    if [ -z "$PY" ]; then
        for candidate in python3.11 python3.12 python3.13 python3.10 python3; do
            if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(not (3, 9) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null; then
                PY="$candidate"; break
            fi
        done
    fi
    [ -n "$PY" ] || { log "no Python 3.9-3.13 found (set REALSITE_PYTHON)"; exit 1; }
    log "installing Mailman core + Postorius into $VENV with $PY ($("$PY" --version 2>&1))"
    t0=$SECONDS
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$HERE/requirements.txt" \
        >"$LOGS/pip.log" 2>&1 || { tail -n 30 "$LOGS/pip.log" >&2; exit 1; }
    echo "$REQ_SUM" >"$VENV/.requirements.sha256"
    log "installed in $((SECONDS - t0)) s"
fi

# --- Mailman core configuration --------------------------------------------------------------
cat >"$CFG" <<EOF
# Written by realsites/mailman/start.sh; edits are overwritten on the next start.
[mailman]
layout: journeytest
site_owner: postmaster@example.com
default_language: en

[paths.journeytest]
var_dir: $MM/var
bin_dir: $VENV/bin
pid_file: $MM/var/master.pid

[database]
class: mailman.database.sqlite.SQLiteDatabase
url: sqlite:///$MM/var/data/mailman.db

[webservice]
hostname: 127.0.0.1
port: $REST_PORT
admin_user: restadmin
admin_pass: restpass
workers: 1
# Mailman's own gunicorn.cfg waits 30 s for workers on shutdown; stop in 2 s instead.
configuration: $MM/gunicorn.cfg

[mta]
# No Postfix/Exim here: no transport maps to regenerate. Incoming mail arrives by LMTP.
incoming: mailman.mta.null.NullMTA
outgoing: mailman.mta.deliver.deliver
lmtp_host: 127.0.0.1
lmtp_port: $LMTP_PORT
smtp_host: 127.0.0.1
smtp_port: $SMTP_PORT

# Keep it lean on a small machine: no archiver, no NNTP gateway, no digests.
[runner.archive]
start: no
[runner.nntp]
start: no
[runner.digest]
start: no

[archiver.mhonarc]
enable: no
[archiver.mail_archive]
enable: no
[archiver.prototype]
enable: no
EOF
mkdir -p "$MM/var/data"
printf '[gunicorn]\ngraceful_timeout = 2\ntimeout = 360\n' >"$MM/gunicorn.cfg"

# --- Django (Postorius) ----------------------------------------------------------------------
[ -s "$STATE/django-secret" ] || "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$STATE/django-secret"
export REALSITE_STATE="$STATE" PORT SMTP_PORT MAILMAN_REST_PORT="$REST_PORT" MAILMAN_LMTP_PORT="$LMTP_PORT"
export DJANGO_SETTINGS_MODULE=postorius_site.settings PYTHONPATH="$HERE${PYTHONPATH:+:$PYTHONPATH}"
export MAILMAN_CONFIG_FILE="$CFG" PYTHONDONTWRITEBYTECODE=1  # no __pycache__ in the repo
t0=$SECONDS
"$VENV/bin/python" "$HERE/manage.py" migrate --noinput >"$LOGS/migrate.log" 2>&1 || { tail -n 30 "$LOGS/migrate.log" >&2; exit 1; }
"$VENV/bin/python" "$HERE/manage.py" shell -c "
from django.contrib.sites.models import Site
Site.objects.update_or_create(id=1, defaults={'domain': '127.0.0.1:$PORT', 'name': 'Example Lists'})
" >>"$LOGS/migrate.log" 2>&1
log "django migrated in $((SECONDS - t0)) s"

# --- start Mailman core: the master in the foreground of its own session, with a lifetime ---
t0=$SECONDS
rm -f "$PIDS/core.pid" "$PIDS/web.pid"
# The wrapper writes its own PID (= its session and process group id) before it becomes timeout.
setsid bash -c 'echo $$ >"$0"; exec timeout --kill-after=15s "$@"' "$PIDS/core.pid" \
    "$LIFETIME" "$VENV/bin/master" -C "$CFG" --force </dev/null >"$LOGS/master.out" 2>&1 &
for _ in $(seq 1 50); do [ -s "$PIDS/core.pid" ] && break; sleep 0.1; done

for _ in $(seq 1 120); do
    if curl -fs -o /dev/null -u restadmin:restpass "http://127.0.0.1:$REST_PORT/3.1/system/versions"; then break; fi
    alive "$PIDS/core.pid" || { log "mailman core died:"; tail -n 30 "$LOGS/master.out" "$MM/var/logs/mailman.log" >&2 || true; exit 1; }
    sleep 0.5
done
curl -fsS -o /dev/null -u restadmin:restpass "http://127.0.0.1:$REST_PORT/3.1/system/versions" \
    || { log "mailman core REST did not answer"; exit 1; }
for _ in $(seq 1 60); do  # the LMTP runner, too
    if (exec 3<>"/dev/tcp/127.0.0.1/$LMTP_PORT") 2>/dev/null; then break; fi
    sleep 0.5
done
log "mailman core up in $((SECONDS - t0)) s (REST 127.0.0.1:$REST_PORT, LMTP 127.0.0.1:$LMTP_PORT, SMTP out to 127.0.0.1:$SMTP_PORT)"
"$VENV/bin/python" "$HERE/provision.py" 2>>"$LOGS/provision.log" >&2 || { tail -n 30 "$LOGS/provision.log" >&2; exit 1; }

# --- start Postorius -------------------------------------------------------------------------
t0=$SECONDS
# --insecure: runserver serves the static files itself although DEBUG is off (no collectstatic, no web server).
setsid bash -c 'echo $$ >"$0"; exec timeout --kill-after=15s "$@"' "$PIDS/web.pid" \
    "$LIFETIME" "$VENV/bin/python" "$HERE/manage.py" runserver "127.0.0.1:$PORT" --noreload --insecure \
    </dev/null >"$LOGS/web.out" 2>&1 &
for _ in $(seq 1 50); do [ -s "$PIDS/web.pid" ] && break; sleep 0.1; done
for _ in $(seq 1 120); do
    if curl -fs -o /dev/null "$BASE_URL/postorius/lists/"; then break; fi
    alive "$PIDS/web.pid" || { log "postorius died:"; tail -n 30 "$LOGS/web.out" >&2; exit 1; }
    sleep 0.5
done
curl -fsS -o /dev/null "$BASE_URL/postorius/lists/" || { log "postorius did not answer"; tail -n 30 "$LOGS/web.out" >&2; exit 1; }
echo "$WANT" >"$STATE/running.env"
log "postorius up in $((SECONDS - t0)) s; list page: $BASE_URL/postorius/lists/news.example.com/"
echo "$BASE_URL"
