#!/usr/bin/env bash
# Stop the Redmine that start.sh started for $REALSITE_STATE (default /tmp/realsites/redmine).
# Kills only the PID in $REALSITE_STATE/pid and the process group it leads (start.sh started it
# with setsid: supervisor, timeout and puma), waits for them, then removes the pid file.
set -uo pipefail

STATE=$(realpath -m "${REALSITE_STATE:-/tmp/realsites/redmine}")
PIDFILE=$STATE/pid
log() { printf '[redmine stop] %s\n' "$*" >&2; }

if [[ ! -f $PIDFILE ]]; then
  log "no pid file ($PIDFILE): nothing to stop"
  exit 0
fi
pid=$(tr -dc '0-9' <"$PIDFILE")
if [[ -z $pid ]]; then
  log "empty pid file: removing it"
  rm -f "$PIDFILE"
  exit 0
fi

# The process group start.sh created has the supervisor's PID as its id; only signal it if the
# supervisor really leads it (a reused PID of some unrelated process is left alone).
pgid=$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')
alive() {
  if [[ $pgid == "$pid" ]]; then
    pgrep -g "$pid" >/dev/null 2>&1
  else
    kill -0 "$pid" 2>/dev/null
  fi
}
signal() {
  if [[ $pgid == "$pid" ]]; then kill "-$1" -- "-$pid" 2>/dev/null; else kill "-$1" "$pid" 2>/dev/null; fi
}

if [[ -z $pgid ]]; then
  log "pid $pid is not running"
else
  log "stopping pid $pid$([[ $pgid == "$pid" ]] && echo " and its process group")"
  signal TERM
  for _ in $(seq 1 40); do alive || break; sleep 0.25; done
  if alive; then
    log "still running after 10s: sending KILL"
    signal KILL
    for _ in $(seq 1 20); do alive || break; sleep 0.25; done
  fi
  if alive; then log "could not stop pid $pid"; exit 1; fi
  log "stopped"
fi
rm -f "$PIDFILE"
