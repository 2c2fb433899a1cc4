#!/usr/bin/env bash
# Runs the app locally with demo data: migrate, seed_demo, then the development server,
# a Celery worker and Celery beat side by side in the foreground. Ctrl-C stops all three;
# if one of them exits, the others are stopped too.
#
# Without REDIS_URL the broker is kombu's filesystem transport under $APP_VAR_DIR/celery
# (default var/celery), so no server is needed. Expects `scripts/setup.sh` to have run
# (`make run` does that).
set -euo pipefail

cd "$(dirname "$0")/.."

PY=.venv/bin/python
CELERY=.venv/bin/celery
HOST="${RUN_HOST:-127.0.0.1}"
PORT="${RUN_PORT:-8000}"
VAR_DIR="${APP_VAR_DIR:-var}"

mkdir -p "$VAR_DIR/celery/queue" "$VAR_DIR/celery/processed"

"$PY" manage.py migrate --noinput
"$PY" manage.py seed_demo

pids=()
stopping=0

stop_all() {
    [ "$stopping" -eq 1 ] && return
    stopping=1
    trap '' INT TERM HUP
    # The terminal may be gone (SIGHUP): a failed echo must not end the clean-up.
    echo "run: stopping server, worker and beat" 2>/dev/null || true
    # Each child runs in its own process group (set -m below). SIGINT to the group is what
    # Ctrl-C in a terminal does: it reaches runserver's autoreload child too, and the
    # worker's pool processes ignore it while the worker shuts down warmly. Whatever is
    # still alive after a grace period gets SIGTERM, then SIGKILL.
    signal_groups INT
    wait_groups 100 || { signal_groups TERM; wait_groups 50; } || signal_groups KILL
}

signal_groups() {
    for pid in "${pids[@]}"; do
        kill "-$1" -- "-$pid" 2>/dev/null || true
    done
}

wait_groups() {  # $1 = tenths of a second; succeeds when every group has exited
    for _ in $(seq 1 "$1"); do
        local alive=0
        for pid in "${pids[@]}"; do
            kill -0 -- "-$pid" 2>/dev/null && alive=1
        done
        [ "$alive" -eq 0 ] && return 0
        sleep 0.1
    done
    return 1
}

trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all; exit 129' HUP  # terminal closed
trap 'stop_all' EXIT

set -m  # background jobs get their own process groups
"$PY" manage.py runserver "$HOST:$PORT" &
pids+=("$!")
"$CELERY" -A config worker -l info &
pids+=("$!")
"$CELERY" -A config beat -l info &
pids+=("$!")
set +m

echo "run: http://$HOST:$PORT/ (Ctrl-C stops everything)"

# Returns when any of the three exits (or a signal arrives); then the others are stopped.
status=0
wait -n "${pids[@]}" || status=$?
echo "run: a process exited (status $status); stopping the others" >&2 || true
stop_all
exit $(( status == 0 ? 1 : status ))  # none of the three should end by itself
