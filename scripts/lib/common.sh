# Shared helpers for scripts/: say what is being done, install what is missing.
# shellcheck shell=bash

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root (directly, or through sudo when available).
as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
        die "need root to run: $*"; fi
}

# ensure_apt_package PACKAGE [CHECK-COMMAND...]: installs PACKAGE with apt-get unless dpkg has it (or,
# when given, CHECK-COMMAND succeeds). Without apt-get (macOS, other distributions) it can only check.
ensure_apt_package() {
    local package=$1
    shift
    if [ $# -gt 0 ] && "$@" >/dev/null 2>&1; then return 0; fi
    if command -v dpkg-query >/dev/null 2>&1 \
        && dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then return 0; fi
    command -v apt-get >/dev/null 2>&1 \
        || die "$package is missing and apt-get is not available: install it with this system's package manager"
    say "installing $package (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get install -y -q "$package" >/dev/null 2>&1 || {
        as_root apt-get update -q >/dev/null 2>&1
        as_root apt-get install -y -q "$package" >/dev/null || die "could not install $package"
    }
}

ensure_swift() {
    command -v swift >/dev/null 2>&1 || die "swift is not on PATH (Swift 6 toolchain required)"
}

# The package's native dependency: libcurl with headers (for the CCurl target).
# macOS has it in the SDK; elsewhere the headers must be there (Debian/Ubuntu: libcurl4-openssl-dev).
ensure_libcurl() {
    [ "$(uname -s)" = Darwin ] && return 0
    ensure_apt_package libcurl4-openssl-dev test -f /usr/include/curl/curl.h -o -f /usr/include/x86_64-linux-gnu/curl/curl.h \
        -o -f /usr/include/aarch64-linux-gnu/curl/curl.h
}

# python3 with pip (scripts and moto need them; a minimal Debian has neither).
ensure_python() {
    ensure_apt_package python3 command -v python3
    ensure_apt_package python3-pip python3 -m pip --version
}

# pip_install SPEC: installs SPEC with pip, saying so. Debian's own python3 refuses pip installs outside a
# virtual environment (PEP 668, "externally-managed-environment") unless told otherwise; other pythons ignore this.
pip_install() {
    ensure_python
    say "installing $1 (pip)"
    PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install -q "$1" >/dev/null || die "could not pip install $1"
}

# Python packages: ensure_pip_package MODULE SPEC installs SPEC unless `import MODULE` works.
ensure_pip_package() {
    python3 -c "import $1" >/dev/null 2>&1 || pip_install "$2"
}

# A free TCP port on 127.0.0.1.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# moto_server for integration tests: ensure_moto installs moto[server] when missing;
# start_moto starts it on a free loopback port and exports MOTO_ENDPOINT_URL; stop_moto stops it.
ensure_moto() {
    if command -v moto_server >/dev/null 2>&1 && python3 -c 'import moto.server, flask, flask_cors' >/dev/null 2>&1; then return 0; fi
    pip_install 'moto[server]'
}

MOTO_PID=
start_moto() {
    local port log
    port=$(free_port)
    log=${TMPDIR:-/tmp}/moto-$port.log
    say "starting moto_server on 127.0.0.1:$port (log: $log)"
    moto_server -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
    MOTO_PID=$!
    for _ in $(seq 1 100); do
        if python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1', $port)))" 2>/dev/null; then
            export MOTO_ENDPOINT_URL="http://127.0.0.1:$port"
            # moto accepts any credentials; code that resolves them like botocore (graphs, CLIs,
            # daemons started by tests) finds these obviously fake ones first.
            export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
            return 0
        fi
        kill -0 "$MOTO_PID" 2>/dev/null || { cat "$log" >&2; die "moto_server exited at start"; }
        sleep 0.1
    done
    die "moto_server did not start listening on port $port"
}

stop_moto() {
    if [ -n "$MOTO_PID" ] && kill -0 "$MOTO_PID" 2>/dev/null; then
        say "stopping moto_server"
        kill "$MOTO_PID" 2>/dev/null || true
        wait "$MOTO_PID" 2>/dev/null || true
    fi
    MOTO_PID=
}
