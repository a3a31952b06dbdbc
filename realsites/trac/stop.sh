#!/usr/bin/env bash
# Stop the tracd that start.sh started: only the PID / process group recorded in
# $REALSITE_STATE/pid (never anything found by name). Waits until it is gone, removes the file.
set -uo pipefail

STATE="${REALSITE_STATE:-/tmp/realsites/trac}"
PIDFILE="$STATE/pid"

if [[ ! -f "$PIDFILE" ]]; then
  echo "stop.sh: no $PIDFILE, nothing to stop"; exit 0
fi
PID="$(tr -dc '0-9' < "$PIDFILE")"
if [[ -z "$PID" ]]; then echo "stop.sh: $PIDFILE holds no PID" >&2; rm -f "$PIDFILE"; exit 1; fi

alive() {  # the recorded leader, or anything still in its process group
  kill -0 "$PID" 2>/dev/null || [[ -n "$(ps -o pid= -g "$PID" 2>/dev/null)" ]]
}

# After a reboot or the lifetime's end the PID may belong to someone else now: only signal a
# process whose command line is this state folder's tracd (the `timeout … tracd` wrapper).
if kill -0 "$PID" 2>/dev/null && ! tr '\0' ' ' < "/proc/$PID/cmdline" 2>/dev/null | grep -qF "$STATE/venv/bin/tracd"; then
  echo "stop.sh: pid $PID is not this folder's tracd any more; not signalling it, removing $PIDFILE" >&2
  rm -f "$PIDFILE"; exit 0
fi
was_running=no
if alive; then
  was_running=yes
  # start.sh ran `setsid timeout … tracd`, so PID leads its own session and process group.
  PGID="$(ps -o pgid= -p "$PID" 2>/dev/null | tr -d ' ')"
  if [[ -n "$PGID" && "$PGID" != "$PID" ]]; then
    echo "stop.sh: pid $PID is not the leader of its process group ($PGID); is it still ours? signalling only $PID" >&2
    kill -TERM "$PID" 2>/dev/null
  else
    kill -TERM -- "-$PID" 2>/dev/null
  fi
  for _ in $(seq 1 50); do alive || break; sleep 0.1; done
  if alive; then
    echo "stop.sh: still running after 5 s, sending KILL to group $PID" >&2
    kill -KILL -- "-$PID" 2>/dev/null || kill -KILL "$PID" 2>/dev/null
    for _ in $(seq 1 30); do alive || break; sleep 0.1; done
  fi
fi
if alive; then echo "stop.sh: group $PID did not stop" >&2; exit 1; fi
rm -f "$PIDFILE"
if [[ $was_running == yes ]]; then
  echo "stop.sh: stopped tracd (process group $PID)"
else
  echo "stop.sh: tracd (process group $PID) had already stopped (lifetime over?); removed $PIDFILE"
fi
