# Shared set-up for bin/run and bin/test: finds Python 3.7 and PostgreSQL, keeps the
# virtual environment, the private PostgreSQL cluster and the generated configs in .local/.
# Sourced, not executed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL="$ROOT/.local"
VENV="$ROOT/.venv"
ADDONS="aftersales_base,aftersales_warranty,aftersales_parts,aftersales_survey"
PGDATA_DIR="$LOCAL/pgdata"
PGRUN_DIR="$LOCAL/pgrun"
mkdir -p "$LOCAL"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# An external PostgreSQL is used when PGHOST is set, or config/db.env (git-ignored) sets it.
if [ -f "$ROOT/config/db.env" ]; then
    # shellcheck disable=SC1091
    . "$ROOT/config/db.env"
fi
if [ -n "${PGHOST:-}" ]; then
    PG_EMBEDDED=0
    DB_HOST="$PGHOST"; DB_PORT="${PGPORT:-5432}"
    DB_USER="${PGUSER:-odoo}"; DB_PASSWORD="${PGPASSWORD:-False}"
else
    PG_EMBEDDED=1
    DB_HOST="$PGRUN_DIR"; DB_PORT=5432; DB_USER=odoo; DB_PASSWORD=False
fi
export PGHOST="$DB_HOST" PGPORT="$DB_PORT" PGUSER="$DB_USER"
[ "$DB_PASSWORD" = False ] || export PGPASSWORD="$DB_PASSWORD"

find_python37() {
    local c
    for c in "$(command -v python3.7 || true)" \
             "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/3.7*/bin/python3.7; do
        # A pyenv shim is on PATH even when 3.7 is not the selected version: try it.
        if [ -n "$c" ] && [ -x "$c" ] && "$c" -c 'import sys; assert sys.version_info[:2] == (3, 7)' 2>/dev/null; then
            echo "$c"; return 0
        fi
    done
    die "Python 3.7 not found (looked on PATH and in pyenv's versions). Odoo 11 runs on Python 3.5-3.7 only: install 3.7 (e.g. 'pyenv install 3.7.16')."
}

find_pg_bin() {
    local d
    for d in "$(command -v pg_ctl >/dev/null 2>&1 && dirname "$(readlink -f "$(command -v pg_ctl)")" || true)" \
             /usr/lib/postgresql/*/bin; do
        if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
    done
    [ "$PG_EMBEDDED" = 0 ] && command -v psql >/dev/null && { dirname "$(command -v psql)"; return 0; }
    die "PostgreSQL binaries not found (initdb, pg_ctl). Install the server (Debian: apt-get install postgresql) or set PGHOST to use an external server."
}
PG_BIN=$(find_pg_bin)
export PG_BIN

# Runs a PostgreSQL server binary as the 'postgres' OS user when we are root (initdb refuses root).
as_pg_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_venv() {
    local stamp="$VENV/.requirements.sha" want
    want=$(sha256sum "$ROOT/requirements.txt" | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
    local py; py=$(find_python37)
    say "Creating the Python 3.7 virtual environment in .venv (about a minute)"
    [ -x "$VENV/bin/python" ] || "$py" -m venv "$VENV"
    "$VENV/bin/pip" install -q 'pip<24' setuptools==57.5.0 2>&1 | grep -v '^WARNING: Location' || true
    "$VENV/bin/pip" install -q --no-deps -r "$ROOT/requirements.txt" 2>&1 | grep -v '^WARNING: Location' || true
    "$VENV/bin/python" -c 'import odoo, pytest_odoo, werkzeug' || die "the virtual environment is incomplete; see the pip output above."
    echo "$want" > "$stamp"
}

ensure_lessc() {
    # Run it, not just find it: Debian's node-less fails under a Node.js not from Debian
    # ("Cannot find module 'tslib'"), and then the web client has no styles.
    if lessc --version >/dev/null 2>&1; then return 0; fi
    command -v npm >/dev/null 2>&1 || die "lessc is missing and npm is not available to install it (the web client would have no styles). Install Node.js, or Debian's node-less."
    say "Installing lessc (npm, into .local/node)"
    npm install --silent --prefix "$LOCAL/node" less@3.13.1 less-plugin-clean-css@1.5.1 >/dev/null
    hash -r
    lessc --version >/dev/null 2>&1 || die "lessc (installed into .local/node) does not run: the web client would have no styles."
}
export PATH="$LOCAL/node/node_modules/.bin:$PATH"

ensure_wkhtmltopdf() {
    if command -v wkhtmltopdf >/dev/null 2>&1; then return 0; fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "Installing wkhtmltopdf (Debian package) for PDF reports"
        apt-get install -y -qq wkhtmltopdf >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wkhtmltopdf >/dev/null; }
    else
        die "wkhtmltopdf is missing: PDF reports need it. As root run 'apt-get install wkhtmltopdf', then try again."
    fi
}

# The browser tests (tests/browser/) drive Debian's chromium with playwright-core from npm
# (Playwright's own browser download does not work here). Both found or installed once.
PLAYWRIGHT_CORE=1.65.1
export BROWSER_BIN=${BROWSER_BIN:-/usr/bin/chromium}
apt_install() {
    apt-get install -y -qq "$@" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$@" >/dev/null; }
}
ensure_browser() {
    local root=0
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && root=1
    if [ ! -x "$BROWSER_BIN" ]; then
        [ "$root" = 1 ] || die "chromium is missing ($BROWSER_BIN): the browser tests need it. As root run 'apt-get install chromium fonts-wqy-microhei' (or set BROWSER_BIN), then try again."
        say "Installing chromium (Debian package) for the browser tests"
        apt_install chromium
    fi
    # Without a CJK font the Chinese screens (and their screenshots) show empty boxes.
    if [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
        if [ "$root" = 1 ]; then
            say "Installing a Chinese font (fonts-wqy-microhei) for the browser tests"
            apt_install fonts-wqy-microhei
        else
            say "No Chinese font: Chinese screenshots will show boxes (as root: apt-get install fonts-wqy-microhei)"
        fi
    fi
    local pkg="$LOCAL/node/node_modules/playwright-core/package.json"
    if [ ! -f "$pkg" ] || ! grep -q "\"version\": \"$PLAYWRIGHT_CORE\"" "$pkg"; then
        command -v npm >/dev/null 2>&1 || die "npm is missing: the browser tests need Node.js and npm to install playwright-core."
        say "Installing playwright-core $PLAYWRIGHT_CORE (npm, into .local/node)"
        npm install --silent --save-exact --prefix "$LOCAL/node" "playwright-core@$PLAYWRIGHT_CORE" >/dev/null
    fi
    export NODE_PATH="$LOCAL/node/node_modules"
}

pg_running() { as_pg_owner "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; }

ensure_postgres() {
    if [ "$PG_EMBEDDED" = 0 ]; then
        "$PG_BIN/psql" -d postgres -Atc 'select 1' >/dev/null || die "cannot reach the external PostgreSQL at $PGHOST:$PGPORT as $PGUSER."
        return 0
    fi
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
        say "Creating the private PostgreSQL cluster in .local/pgdata"
        mkdir -p "$PGDATA_DIR" "$PGRUN_DIR"
        [ "$(id -u)" = 0 ] && chown postgres: "$PGDATA_DIR" "$PGRUN_DIR"
        as_pg_owner "$PG_BIN/initdb" -D "$PGDATA_DIR" -A trust -U odoo -E UTF8 --locale=C.UTF-8 >/dev/null
        cat >> "$PGDATA_DIR/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$PGRUN_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 256MB
max_connections = 200
CONF
    fi
    mkdir -p "$PGRUN_DIR"; [ "$(id -u)" = 0 ] && chown postgres: "$PGRUN_DIR"
    if ! pg_running; then
        as_pg_owner "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 60 start >/dev/null \
            || die "PostgreSQL did not start; see .local/pgdata/server.log"
    fi
}

# Writes .local/<name>.conf from config/odoo-<name>.conf, filling in this machine's paths.
render_config() {
    local name=$1 out="$LOCAL/$1.conf"
    sed -e "s#@ROOT@#$ROOT#g" -e "s#@LOCAL@#$LOCAL#g" -e "s#@DB_HOST@#$DB_HOST#g" \
        -e "s#@DB_PORT@#$DB_PORT#g" -e "s#@DB_USER@#$DB_USER#g" -e "s#@DB_PASSWORD@#$DB_PASSWORD#g" \
        -e "s#@HTTP_PORT@#$HTTP_PORT#g" -e "s#@LONGPOLLING_PORT@#$((HTTP_PORT + 3))#g" \
        -e "s#@DB_NAME@#${DB_NAME:-aftersales}#g" \
        "$ROOT/config/odoo-$name.conf" > "$out"
    echo "$out"
}

db_exists() { [ "$("$PG_BIN/psql" -d postgres -Atc "select 1 from pg_database where datname='$1'")" = 1 ]; }
db_drop() { "$PG_BIN/psql" -d postgres -qc "drop database if exists \"$1\"" >/dev/null; }
db_copy() { db_drop "$2"; "$PG_BIN/createdb" -T "$1" "$2"; }

# A fingerprint of the addons' sources: an installed database older than it is updated.
addons_hash() {
    (cd "$ROOT" && find addons -type f ! -name '*.pyc' ! -path '*/__pycache__/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
}
db_get_stamp() { "$PG_BIN/psql" -d "$1" -Atc "select value from ir_config_parameter where key='aftersales.source_hash'" 2>/dev/null || true; }
db_set_stamp() {
    "$PG_BIN/psql" -d "$1" -qc "delete from ir_config_parameter where key='aftersales.source_hash'; insert into ir_config_parameter(key, value, create_date, write_date) values ('aftersales.source_hash', '$2', now(), now())" >/dev/null
}

odoo_cmd() { "$VENV/bin/python" "$ROOT/bin/odoo" "$@"; }

# Runs "$@" (an Odoo install or update) and prints every 20 s how long it has run and which
# module Odoo is loading (read from its log file $1), so minutes of demo data loading never
# look like a hung terminal. Returns the command's exit code.
with_progress() {
    local log=$1 start=$SECONDS n=0 pid what
    shift
    "$@" &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        sleep 1
        n=$((n + 1))
        if [ $((n % 20)) = 0 ]; then
            what=$(tail -n 300 "$log" 2>/dev/null | grep -o 'loading [A-Za-z0-9_]*/' | tail -n 1 | sed 's#^loading ##; s#/$##' || true)
            printf '    ... %d s%s\n' "$((SECONDS - start))" "${what:+, loading module $what}"
        fi
    done
    wait "$pid"
}

ensure_stack() {
    ensure_venv
    ensure_lessc
    ensure_wkhtmltopdf
    ensure_postgres
}

# The test template: the four addons installed from scratch when missing (always in CI), updated
# in place when their sources changed since (FRESH=1 forces a new install). bin/test copies it
# for each run; bin/reliability restores it into its own cluster.
ensure_test_template() {
    local conf=$1 template=$2 log=$3 hash
    check_log() {
        if grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$log"; then
            die "the installation logged errors (above); see $log"
        fi
    }
    hash=$(addons_hash)
    if [ "${FRESH:-0}" = 1 ] || ! db_exists "$template" || [ -z "$(db_get_stamp "$template")" ]; then
        say "Installing the four addons into a fresh template database"
        db_drop "$template"
        : > "$log"
        odoo_cmd -c "$conf" -d "$template" -i "$ADDONS" --load-language=en_US,zh_CN --stop-after-init \
            --logfile="$log" || die "installation failed; see $log"
        check_log
        db_set_stamp "$template" "$hash"
    elif [ "$(db_get_stamp "$template")" != "$hash" ]; then
        say "The addons changed: updating them in the template database"
        : > "$log"
        odoo_cmd -c "$conf" -d "$template" -u "$ADDONS" -i "$ADDONS" --i18n-overwrite --stop-after-init \
            --logfile="$log" || die "update failed; see $log"
        check_log
        db_set_stamp "$template" "$hash"
    fi
}
