#!/usr/bin/env bash
# Start a fresh, throwaway Redmine (Debian packages, unmodified) on 127.0.0.1 for journeytest.
#
#   SMTP_PORT=18150 ./start.sh            # prints the base URL as the last line of stdout
#
# Environment:
#   SMTP_PORT             required: Redmine sends every email by SMTP to 127.0.0.1:$SMTP_PORT
#   PORT                  HTTP port (default 18100)
#   REALSITE_STATE        state folder (default /tmp/realsites/redmine); wiped and recreated on every start
#   REALSITE_MAX_LIFETIME the server stops itself after this long (default 2h; timeout(1) syntax)
#   REALSITE_PARENT_PID   the server stops itself when this process ends (default: the caller of start.sh;
#                         0 = only the max lifetime)
#
# Idempotent: installs only what is missing, stops a server this state folder still runs, then
# creates a new instance (sqlite DB migrated, default data in English, settings below) and starts it.
# Progress goes to stderr; stdout carries only the base URL.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE=${REALSITE_STATE:-/tmp/realsites/redmine}
PORT=${PORT:-18100}
SMTP_PORT=${SMTP_PORT:?SMTP_PORT is required: the port of the SMTP sink on 127.0.0.1 that receives the mail of Redmine}
MAX_LIFETIME=${REALSITE_MAX_LIFETIME:-2h}
PARENT_PID=${REALSITE_PARENT_PID:-$PPID}
REDMINE=/usr/share/redmine
BASE_URL="http://127.0.0.1:${PORT}"

log() { printf '[redmine start] %s\n' "$*" >&2; }
die() { printf '[redmine start] ERROR: %s\n' "$*" >&2; exit 1; }
t0=$(date +%s)

# ---------------------------------------------------------------- 1. packages
# redmine + redmine-sqlite (Debian 12: Redmine 5.0.4, Rails 6.1, Ruby 3.1) and puma (Debian's
# "puma" package; the Debian Gemfile has no app server). --no-install-recommends keeps out
# passenger/apache2.
missing=()
for pkg in redmine redmine-sqlite puma; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  [[ $(id -u) -eq 0 ]] || die "missing Debian packages (${missing[*]}); run as root or: sudo apt-get install ${missing[*]}"
  log "installing ${missing[*]} (apt-get)"
  # dbconfig-common would ask which database to use for Debian's own "default" instance: sqlite3.
  debconf-set-selections <<'EOF'
redmine redmine/instances/default/dbconfig-install boolean true
redmine redmine/instances/default/database-type select sqlite3
redmine redmine/instances/default/default-language select en
EOF
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends "${missing[@]}" >"/tmp/redmine-apt-$$.log" 2>&1; then
    log "apt-get install failed; updating the package lists and trying again"
    apt-get update >>"/tmp/redmine-apt-$$.log" 2>&1 || true
    apt-get install -y --no-install-recommends "${missing[@]}" >>"/tmp/redmine-apt-$$.log" 2>&1 \
      || { tail -20 "/tmp/redmine-apt-$$.log" >&2; die "apt-get install ${missing[*]} failed (log: /tmp/redmine-apt-$$.log)"; }
  fi
  rm -f "/tmp/redmine-apt-$$.log"
  log "installed in $(( $(date +%s) - t0 ))s"
fi
[[ -x $REDMINE/bin/rails ]] || die "$REDMINE/bin/rails not found after installing redmine"

# ---------------------------------------------------------------- 2. a fresh instance
# Debian's Redmine is multi-instance: REDMINE_INSTANCE=NAME makes it read its config, log, tmp and
# files from /usr/share/redmine/instances/NAME (= /var/lib/redmine/NAME). That entry is a symlink
# to $STATE/instance, named after the state folder so that several state folders can coexist.
STATE=$(realpath -m "$STATE")
INSTANCE="journeytest-$(printf '%s' "$STATE" | sha1sum | cut -c1-10)"

if [[ -f $STATE/pid ]]; then
  log "a server of this state folder may still run: stopping it first"
  REALSITE_STATE=$STATE "$HERE/stop.sh" >&2 || true
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  die "port $PORT on 127.0.0.1 is already in use by another process; choose another PORT"
fi

case "$STATE" in /|/tmp|/var|/usr|/etc|/root|"$HOME") die "refusing to wipe REALSITE_STATE=$STATE" ;; esac
rm -rf "$STATE"
mkdir -p "$STATE"/instance/{config,files,log,tmp/cache,tmp/pids,public/plugin_assets}
ln -sfn "$STATE/instance" "/var/lib/redmine/$INSTANCE"
# Links of state folders that no longer exist (only ours, only dangling ones) go.
for link in /var/lib/redmine/journeytest-*; do
  if [[ -L $link && ! -e $link ]]; then rm -f "$link"; fi
done

cat >"$STATE/instance/config/database.yml" <<EOF
production:
  adapter: sqlite3
  database: $STATE/instance/db/redmine.sqlite3
  timeout: 5000
EOF
mkdir -p "$STATE/instance/db"
# Outgoing mail: plain SMTP to journeytest's sink, exactly as a production Redmine sends it.
cat >"$STATE/instance/config/configuration.yml" <<EOF
production:
  email_delivery:
    delivery_method: :smtp
    smtp_settings:
      address: "127.0.0.1"
      port: $SMTP_PORT
      domain: "127.0.0.1"
      enable_starttls_auto: false
EOF
head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$STATE/instance/config/secret_key.txt"
# The Debian Gemfile names no app server: a Gemfile of our own adds Debian's puma to it.
cat >"$STATE/Gemfile" <<'EOF'
eval_gemfile '/usr/share/redmine/Gemfile'
gem 'puma'
EOF

export REDMINE_INSTANCE=$INSTANCE RAILS_ENV=production BUNDLE_GEMFILE=$STATE/Gemfile
export REALSITE_HOST_NAME="127.0.0.1:${PORT}"
cd "$REDMINE"
t1=$(date +%s)
log "instance $INSTANCE in $STATE/instance: migrating the sqlite database"
bin/rake db:migrate >"$STATE/setup.log" 2>&1 || { tail -20 "$STATE/setup.log" >&2; die "db:migrate failed"; }
log "loading the default data (REDMINE_LANG=en)"
REDMINE_LANG=en bin/rake redmine:load_default_data >>"$STATE/setup.log" 2>&1 \
  || { tail -20 "$STATE/setup.log" >&2; die "redmine:load_default_data failed"; }
log "settings: self-registration by email, lost password, delete own account, host name, a public project"
bin/rails runner "$HERE/configure.rb" >>"$STATE/setup.log" 2>&1 || { tail -20 "$STATE/setup.log" >&2; die "configure.rb failed"; }
tail -2 "$STATE/setup.log" | sed 's/^/[redmine start]   /' >&2
log "instance ready in $(( $(date +%s) - t1 ))s"

# ---------------------------------------------------------------- 3. the server
# setsid: the server gets a process group of its own (stop.sh kills that group; timeout runs with
# --foreground so that it stays in that group instead of making its own). Inside it a small
# supervisor runs puma under timeout(1) and ends it when the parent process goes away.
t2=$(date +%s)
setsid bash -c '
  server_cmd=(timeout --foreground --kill-after=10s "$1" bin/rails server -u puma -b 127.0.0.1 -p "$2" -P "$3/instance/tmp/pids/server.pid")
  "${server_cmd[@]}" &
  server=$!
  trap "kill -TERM $server 2>/dev/null; wait $server; exit 0" TERM INT HUP
  while kill -0 "$server" 2>/dev/null; do
    if [ "$4" != 0 ] && ! kill -0 "$4" 2>/dev/null; then
      echo "[redmine supervisor] parent process $4 ended: stopping the server"
      kill -TERM "$server" 2>/dev/null
      break
    fi
    sleep 2
  done
  wait "$server"
' redmine-supervisor "$MAX_LIFETIME" "$PORT" "$STATE" "$PARENT_PID" >"$STATE/server.log" 2>&1 </dev/null &
echo $! >"$STATE/pid"
log "server starting (pid $(cat "$STATE/pid"), log $STATE/server.log, stops after $MAX_LIFETIME or when pid $PARENT_PID ends)"

for _ in $(seq 1 240); do
  if ! kill -0 "$(cat "$STATE/pid")" 2>/dev/null; then
    tail -20 "$STATE/server.log" >&2; rm -f "$STATE/pid"; die "the server exited during start-up"
  fi
  code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$BASE_URL/" || true)
  if [[ $code == 200 ]]; then
    log "answering at $BASE_URL after $(( $(date +%s) - t2 ))s (total $(( $(date +%s) - t0 ))s)"
    echo "$BASE_URL"
    exit 0
  fi
  sleep 0.5
done
tail -20 "$STATE/server.log" >&2
REALSITE_STATE=$STATE "$HERE/stop.sh" >&2 || true
die "no HTTP answer from $BASE_URL within 120s"
