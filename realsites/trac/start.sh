#!/usr/bin/env bash
# Start Trac 1.6 + TracAccountManager 0.6.0 (both unmodified, from PyPI) on 127.0.0.1.
#
#   SMTP_PORT=18251 ./start.sh            # required: where Trac's SMTP notification backend delivers mail
#   PORT=18200                            # tracd port (default 18200; 18200-18299 only)
#   REALSITE_STATE=/tmp/realsites/trac    # venv, Trac environment, logs, pid (default shown)
#   REALSITE_LIFETIME=2h                  # tracd stops itself after this long (coreutils timeout syntax)
#
# Idempotent: the venv is (re)built only when its pins differ; a server this state folder
# started before is stopped first; every start gets a fresh Trac environment (new database,
# no users). The last stdout line is the base URL.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="${REALSITE_STATE:-/tmp/realsites/trac}"
PORT="${PORT:-18200}"
LIFETIME="${REALSITE_LIFETIME:-2h}"
: "${SMTP_PORT:?SMTP_PORT must be set: the port of an SMTP server on 127.0.0.1 that takes the mail Trac sends}"
PYTHON="${REALSITE_PYTHON:-python3.11}"

# Pinned versions (what this corpus entry was written and verified against).
PINS=(Trac==1.6 TracAccountManager==0.6.0 Jinja2==3.1.6 MarkupSafe==3.0.4)

for p in "$PORT" "$SMTP_PORT"; do
  if ! [[ "$p" =~ ^[0-9]+$ ]] || (( p < 18200 || p > 18299 )); then
    echo "start.sh: port $p is outside 18200-18299" >&2; exit 2
  fi
done
if [[ "$PORT" == "$SMTP_PORT" ]]; then echo "start.sh: PORT and SMTP_PORT must differ" >&2; exit 2; fi

mkdir -p "$STATE"
BASE_URL="http://127.0.0.1:${PORT}"

# --- 0. a server started from this state folder before: stop it (only that PID/group) ----
if [[ -f "$STATE/pid" ]]; then
  REALSITE_STATE="$STATE" "$HERE/stop.sh" >&2 || true
fi

# --- 1. venv with the pinned packages ---------------------------------------------------
VENV="$STATE/venv"
PIN_LINE="${PINS[*]}"
ms() { echo $(( $(date +%s%N) / 1000000 )); }
secs() { local d=$(( $(ms) - $1 )); printf '%d.%01d' $((d / 1000)) $(((d % 1000) / 100)); }
t0=$(ms)
if [[ ! -x "$VENV/bin/tracd" || ! -f "$VENV/.pins" || "$(cat "$VENV/.pins")" != "$PIN_LINE" ]] \
   || ! "$VENV/bin/python" -c 'import trac, acct_mgr, pkg_resources' 2>/dev/null; then
  echo "start.sh: building venv in $VENV ($PIN_LINE)" >&2
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  if ! "$VENV/bin/pip" install --disable-pip-version-check "${PINS[@]}" >"$STATE/pip.log" 2>&1; then
    grep -v "^WARNING: Location" "$STATE/pip.log" >&2; exit 1
  fi
  echo "$PIN_LINE" > "$VENV/.pins"
  echo "start.sh: venv ready in $(secs "$t0") s" >&2
fi
ADMIN="$VENV/bin/trac-admin"

# --- 2. a fresh Trac environment --------------------------------------------------------
ENV_DIR="$STATE/env"
rm -rf "$ENV_DIR"
t1=$(ms)
"$ADMIN" "$ENV_DIR" initenv "Trac Realsite" "sqlite:db/trac.db" >"$STATE/initenv.log" 2>&1 \
  || { cat "$STATE/initenv.log" >&2; exit 1; }

# Every option goes through trac-admin's own `config set`, fed to one trac-admin shell on
# stdin (one process instead of ~50; each value double-quoted for trac-admin's tokenizer).
CMDS=()
set_opt() { CMDS+=("config set $1 $2 \"$3\""); }

# Where links in mails point (Trac builds absolute links from this; without it the
# verification link and the "Login URL" in the reset mail would have no host).
set_opt trac base_url "$BASE_URL/"
set_opt project url "$BASE_URL/"

# Components: AccountManager does login/registration/account, Trac's own login is off.
set_opt components trac.web.auth.loginmodule disabled
for c in \
    acct_mgr.api.accountmanager \
    acct_mgr.web_ui.loginmodule \
    acct_mgr.web_ui.accountmodule \
    acct_mgr.web_ui.resetpwstore \
    acct_mgr.register.registrationmodule \
    acct_mgr.register.emailverificationmodule \
    acct_mgr.register.basiccheck \
    acct_mgr.register.emailcheck \
    acct_mgr.register.bottrapcheck \
    acct_mgr.register.regexpcheck \
    acct_mgr.register.usernamepermcheck \
    acct_mgr.htfile.htpasswdstore \
    acct_mgr.pwhash.htdigesthashmethod \
    acct_mgr.notification.accountchangelistener \
    acct_mgr.notification.accountnotificationformatter \
    acct_mgr.guard.accountguard \
    acct_mgr.admin.accountmanageradminpanel \
    acct_mgr.admin.configurationadminpanel \
    acct_mgr.notification.accountchangenotificationadminpanel ; do
  set_opt components "$c" enabled
done

# [account-manager]: the password store, registration, verification, reset, delete.
set_opt account-manager password_store HtPasswdStore
set_opt account-manager htpasswd_file htpasswd              # relative to the environment
set_opt account-manager htpasswd_hash_type sha512
# ResetPwStore keeps the mailed temporary password as a hash in session_attribute
# ('password_reset'), hashed by this method:
set_opt account-manager hash_method HtDigestHashMethod
set_opt account-manager reset_password true                 # "Forgot your password?" + /reset_password
set_opt account-manager generated_password_length 8         # the mailed password (default 8)
set_opt account-manager force_passwd_change true            # first login with it forces a new password
set_opt account-manager verify_email true                   # EmailVerificationModule: mailed token
set_opt account-manager register_check "BasicCheck, EmailCheck, BotTrapCheck, RegExpCheck, UsernamePermCheck"
set_opt account-manager allow_delete_account true           # "Delete account" in Preferences > Account
set_opt account-manager require_approval false
set_opt account-manager persistent_sessions false
set_opt account-manager login_attempt_max_count 0

# [notification]: Trac's own SMTP backend (SmtpEmailSender), to the sink on 127.0.0.1.
set_opt notification smtp_enabled true
set_opt notification email_sender SmtpEmailSender
set_opt notification smtp_server 127.0.0.1
set_opt notification smtp_port "$SMTP_PORT"
set_opt notification smtp_from trac@trac-realsite.example
set_opt notification smtp_from_name "Trac Realsite"
set_opt notification smtp_replyto trac@trac-realsite.example
set_opt notification use_tls false

set_opt logging log_type file
set_opt logging log_level INFO
printf '%s\n' "${CMDS[@]}" | "$ADMIN" "$ENV_DIR" >"$STATE/config.log" 2>&1
: > "$ENV_DIR/htpasswd"   # empty until the first registration (else HtPasswdStore logs an ERROR per request)
if grep -qiE "error|usage:" "$STATE/config.log"; then cat "$STATE/config.log" >&2; exit 1; fi
echo "start.sh: environment ready in $(secs "$t1") s ($ENV_DIR)" >&2

# --- 3. tracd on 127.0.0.1, in its own session, stopping itself after $LIFETIME --------
if (echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "start.sh: something already listens on 127.0.0.1:$PORT (not started by this state folder)" >&2
  exit 1
fi
t2=$(ms)
# A background job of a non-interactive shell is not a process-group leader, so setsid
# does not fork: $! is the session (and process-group) leader, `timeout`, whose child is tracd.
setsid timeout --kill-after=10s "$LIFETIME" \
  "$VENV/bin/tracd" --hostname 127.0.0.1 --port "$PORT" --single-env "$ENV_DIR" \
  </dev/null >"$STATE/tracd.log" 2>&1 &
PID=$!
echo "$PID" > "$STATE/pid"

for _ in $(seq 1 150); do
  if ! kill -0 "$PID" 2>/dev/null; then
    echo "start.sh: tracd exited early:" >&2; tail -20 "$STATE/tracd.log" >&2; rm -f "$STATE/pid"; exit 1
  fi
  code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$BASE_URL/login" 2>/dev/null || true)
  if [[ "$code" == "200" ]]; then break; fi
  sleep 0.2
done
if [[ "${code:-}" != "200" ]]; then
  echo "start.sh: tracd did not answer on $BASE_URL/login" >&2; tail -20 "$STATE/tracd.log" >&2
  REALSITE_STATE="$STATE" "$HERE/stop.sh" >&2 || true; exit 1
fi
echo "start.sh: tracd (pid $PID, pgid $(ps -o pgid= -p "$PID" | tr -d ' '), stops itself after $LIFETIME) answered in $(secs "$t2") s; log: $ENV_DIR/log/trac.log" >&2
echo "$BASE_URL"
