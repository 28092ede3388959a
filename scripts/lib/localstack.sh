# LocalStack (community localstack-core, no Docker, no account) for SQS and SNS, next to moto.
# shellcheck shell=bash
# Needs scripts/lib/common.sh. ensure_localstack installs it into a cached venv when missing;
# start_localstack starts it on a free loopback port and exports LOCALSTACK_ENDPOINT_URL and fake
# credentials; stop_localstack stops it and removes its files.
#
# Python 3.13 (pyenv's, or python3.13 on PATH) runs localstack-core 2026.3.0; without it, Python 3.11
# runs 4.8.1, the last release for 3.11. Either way the whole dependency set is pinned in
# scripts/lib/localstack-requirements-py3XX.txt and installed with --no-deps, into
# ${XDG_CACHE_HOME:-~/.cache}/swift-microcosm-pubsub/localstack-venv-<hash of that file and the Python>.

LOCALSTACK_SCRIPTS_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOCALSTACK_PYTHON=             # the interpreter the venv is made from
LOCALSTACK_REQUIREMENTS=       # the pinned set for it
LOCALSTACK_VENV=               # the venv, once ensure_localstack ran
LOCALSTACK_VERSION=            # localstack-core's version in it
LOCALSTACK_PID=
LOCALSTACK_ROOT=               # its FILESYSTEM_ROOT (a temporary folder of its own)

# python_for_localstack MINOR: prints a python3.MINOR interpreter (pyenv's newest 3.MINOR.x first,
# then python3.MINOR and python3 on PATH), or fails.
python_for_localstack() {
    local minor=$1 root="" candidate
    if command -v pyenv >/dev/null 2>&1; then root=$(pyenv root 2>/dev/null || true); fi
    # shellcheck disable=SC2046 # pyenv's paths have no spaces
    for candidate in $(ls -d "$root"/versions/3."$minor".*/bin/python3."$minor" 2>/dev/null | sort -rV) "python3.$minor" python3; do
        # a pyenv shim for a version that is not active exits non-zero here, and is skipped
        if [ "$("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "3.$minor" ]; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

# Chooses the interpreter and the pinned set: 2026.3.0 on Python 3.13, else 4.8.1 on Python 3.11.
choose_localstack_python() {
    [ -n "$LOCALSTACK_PYTHON" ] && return 0
    if LOCALSTACK_PYTHON=$(python_for_localstack 13); then
        LOCALSTACK_REQUIREMENTS=$LOCALSTACK_SCRIPTS_LIB/localstack-requirements-py313.txt
        return 0
    fi
    if ! LOCALSTACK_PYTHON=$(python_for_localstack 11); then
        ensure_python    # Debian 12's python3 is 3.11
        LOCALSTACK_PYTHON=$(python_for_localstack 11) \
            || die "LocalStack needs Python 3.13 (localstack-core 2026.3.0) or 3.11 (4.8.1); found neither (pyenv install 3.13 gives the first)"
    fi
    LOCALSTACK_REQUIREMENTS=$LOCALSTACK_SCRIPTS_LIB/localstack-requirements-py311.txt
    say "no Python 3.13 found: using localstack-core 4.8.1 on $LOCALSTACK_PYTHON"
}

# ensure_localstack: the cached venv for the chosen interpreter and pinned set, installed when missing.
ensure_localstack() {
    choose_localstack_python
    local key cache lock
    key=$({ "$LOCALSTACK_PYTHON" -c 'import sys; print(sys.version)'; cat "$LOCALSTACK_REQUIREMENTS"; } \
        | "$LOCALSTACK_PYTHON" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:12])')
    cache=${XDG_CACHE_HOME:-$HOME/.cache}/swift-microcosm-pubsub
    LOCALSTACK_VENV=$cache/localstack-venv-$key
    LOCALSTACK_VERSION=$(sed -n 's/^localstack-core==//p' "$LOCALSTACK_REQUIREMENTS")
    if [ -f "$LOCALSTACK_VENV/.installed" ]; then return 0; fi

    mkdir -p "$cache"
    lock=$cache/localstack-venv-$key.lock
    exec 9>"$lock"
    if command -v flock >/dev/null 2>&1; then flock 9; fi   # another run may be installing it
    if [ ! -f "$LOCALSTACK_VENV/.installed" ]; then
        say "installing LocalStack $LOCALSTACK_VERSION for SQS and SNS into $LOCALSTACK_VENV"
        say "  (Python $("$LOCALSTACK_PYTHON" -c 'import platform; print(platform.python_version())'), the pinned set in" \
            "scripts/lib/$(basename "$LOCALSTACK_REQUIREMENTS"); once: about a minute, 180-240 MB)"
        rm -rf "$LOCALSTACK_VENV"
        "$LOCALSTACK_PYTHON" -m venv "$LOCALSTACK_VENV" || {
            ensure_apt_package python3-venv    # Debian's own python3 needs it for venv
            rm -rf "$LOCALSTACK_VENV"
            "$LOCALSTACK_PYTHON" -m venv "$LOCALSTACK_VENV"
        } || die "could not make a venv with $LOCALSTACK_PYTHON"
        "$LOCALSTACK_VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps -r "$LOCALSTACK_REQUIREMENTS" \
            || { rm -rf "$LOCALSTACK_VENV"; die "could not install LocalStack from $LOCALSTACK_REQUIREMENTS"; }
        "$LOCALSTACK_VENV/bin/python" -c 'import localstack.aws.components, localstack.services.sqs.provider, localstack.services.sns.provider' \
            || { rm -rf "$LOCALSTACK_VENV"; die "LocalStack from $LOCALSTACK_REQUIREMENTS does not import (see above)"; }
        touch "$LOCALSTACK_VENV/.installed"
    fi
    exec 9>&-
}

# localstack_healthy PORT: true once LocalStack's health endpoint reports SQS and SNS running.
localstack_healthy() {
    "$LOCALSTACK_PYTHON" -I - "$1" 2>/dev/null <<'PYTHON'
import json, sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
with opener.open(f"http://127.0.0.1:{sys.argv[1]}/_localstack/health", timeout=1) as reply:
    services = json.load(reply)["services"]
sys.exit(0 if services.get("sqs") == "running" and services.get("sns") == "running" else 1)
PYTHON
}

# start_localstack: LocalStack on a free 127.0.0.1 port; exports LOCALSTACK_ENDPOINT_URL and fake credentials.
# Set `trap stop_localstack EXIT` first, so a LocalStack that never gets healthy is stopped too.
start_localstack() {
    ensure_localstack
    local port log deadline=$((SECONDS + 90))
    port=$(free_port)
    log=${TMPDIR:-/tmp}/localstack-$port.log
    LOCALSTACK_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/localstack-$port.XXXXXX")
    say "starting LocalStack $LOCALSTACK_VERSION (SQS, SNS) on 127.0.0.1:$port (log: $log)"
    # OVERRIDE_IN_DOCKER=0: this machine may look like a container, where LocalStack would use (and
    # wipe) its container folders; FILESYSTEM_ROOT keeps its state in a folder of its own.
    # GATEWAY_SERVER=hypercorn listens on GATEWAY_LISTEN only; LOCALSTACK_HOST and
    # SQS_ENDPOINT_STRATEGY=off make queue URLs http://127.0.0.1:PORT/ACCOUNT/NAME.
    OVERRIDE_IN_DOCKER=0 FILESYSTEM_ROOT=$LOCALSTACK_ROOT GATEWAY_LISTEN=127.0.0.1:$port LOCALSTACK_HOST=127.0.0.1:$port \
        GATEWAY_SERVER=hypercorn SERVICES=sqs,sns SQS_ENDPOINT_STRATEGY=off DNS_ADDRESS=0 SKIP_SSL_CERT_DOWNLOAD=1 \
        DISABLE_EVENTS=1 EAGER_SERVICE_LOADING=1 \
        "$LOCALSTACK_VENV/bin/python" -m localstack.runtime.main >"$log" 2>&1 </dev/null &
    LOCALSTACK_PID=$!
    while [ "$SECONDS" -lt "$deadline" ]; do
        if localstack_healthy "$port"; then
            export LOCALSTACK_ENDPOINT_URL="http://127.0.0.1:$port"
            # LocalStack accepts any credentials; code that resolves them like botocore (graphs, CLIs,
            # daemons started by tests) finds these obviously fake ones first.
            export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
            return 0
        fi
        kill -0 "$LOCALSTACK_PID" 2>/dev/null || { tail -n 40 "$log" >&2; die "LocalStack exited at start (log: $log)"; }
        sleep 0.1
    done
    tail -n 40 "$log" >&2
    die "LocalStack did not report SQS and SNS running on port $port within 90 s (log: $log)"
}

stop_localstack() {
    if [ -n "$LOCALSTACK_PID" ] && kill -0 "$LOCALSTACK_PID" 2>/dev/null; then
        say "stopping LocalStack"
        # Its own shutdown stops the services at once but then waits about 10 s on the HTTP server;
        # its state is thrown away anyway, so after 2 s it is killed.
        kill "$LOCALSTACK_PID" 2>/dev/null || true
        for _ in $(seq 1 20); do kill -0 "$LOCALSTACK_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$LOCALSTACK_PID" 2>/dev/null || true
        wait "$LOCALSTACK_PID" 2>/dev/null || true
    fi
    LOCALSTACK_PID=
    if [ -n "$LOCALSTACK_ROOT" ]; then rm -rf "$LOCALSTACK_ROOT"; fi
    LOCALSTACK_ROOT=
}
