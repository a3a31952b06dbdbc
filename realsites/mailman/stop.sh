#!/usr/bin/env bash
# Stop what start.sh started: Mailman core (via `mailman stop`, then its recorded session) and
# Postorius (its recorded session). Touches only the process groups whose ids are in
# $REALSITE_STATE/pids; never kills by name.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="${REALSITE_STATE:-/tmp/realsites/mailman}"
PIDS="$STATE/pids"
CFG="$STATE/mailman/mailman.cfg"
VENV="$STATE/venv"

log() { echo "[mailman stop] $*" >&2; }

members() {  # the live processes still in session/group $1 (start.sh made each server a session leader); zombies don't count
    ps -eo pid=,sid=,pgid=,stat= | awk -v s="$1" '($2 == s || $3 == s) && $4 !~ /^Z/ {print $1}'
}

stop_group() {  # name pidfile
    local name="$1" file="$2" id
    [ -s "$file" ] || return 0
    id="$(cat "$file")"
    if [ -n "$(members "$id")" ]; then
        kill -TERM -- "-$id" 2>/dev/null || kill -TERM "$id" 2>/dev/null || true
        for _ in $(seq 1 100); do [ -z "$(members "$id")" ] && break; sleep 0.1; done
        if [ -n "$(members "$id")" ]; then
            log "$name: still running after 10 s, sending KILL to group $id"
            kill -KILL -- "-$id" 2>/dev/null || true
            sleep 0.3
        fi
    fi
    if [ -n "$(members "$id")" ]; then
        log "$name: could not stop group $id: $(members "$id" | tr '\n' ' ')"
        return 1
    fi
    log "$name stopped (group $id)"
    rm -f "$file"
}

status=0
if [ -s "$PIDS/core.pid" ]; then
    core="$(cat "$PIDS/core.pid")"
    if [ -n "$(members "$core")" ] && [ -x "$VENV/bin/mailman" ] && [ -f "$CFG" ]; then
        # Mailman's own way: SIGTERM to the master named in its pid file, which stops every runner.
        MAILMAN_CONFIG_FILE="$CFG" timeout 30s "$VENV/bin/mailman" $([ "$(id -u)" = 0 ] && echo --run-as-root) -C "$CFG" stop >&2 || true
        for _ in $(seq 1 150); do [ -z "$(members "$core")" ] && break; sleep 0.1; done
    fi
    stop_group "mailman core" "$PIDS/core.pid" || status=1
fi
stop_group "postorius" "$PIDS/web.pid" || status=1
rm -f "$STATE/running.env"
rmdir "$PIDS" 2>/dev/null || true
exit $status
