#!/usr/bin/env bash
# Starts or stops an independent Kafka broker process for the integration tests: noida-db
# 0.2.3 from PyPI (it speaks Kafka to Debian's librdkafka 2.0.2; see Docs/Kafka.md).
#   start: installs it if needed, starts it on a free loopback port, prints bootstrap.servers
#   stop:  stops it and deletes its data
set -euo pipefail
cd "$(dirname "$0")/.."
state=.build/kafka-test-broker
mkdir -p "$state"

noida() {
    if [ -x "$state/venv/bin/noida-db" ]; then "$state/venv/bin/noida-db" "$@"
    else noida-db "$@"; fi
}

install() {
    command -v noida-db >/dev/null 2>&1 && return
    [ -x "$state/venv/bin/noida-db" ] && return
    echo "installing noida-db 0.2.3 (an independent Kafka-compatible broker) from PyPI" >&2
    if ! python3 -m pip install -q noida-db==0.2.3 >/dev/null 2>&1; then
        # Debian's system Python refuses global installs: use a virtual environment.
        python3 -m venv "$state/venv" 2>/dev/null || {
            sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
            DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
            python3 -m venv "$state/venv"
        }
        "$state/venv/bin/pip" install -q noida-db==0.2.3
    fi
}

case "${1:-}" in
start)
    install
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    rm -rf "$state/data"
    noida up --only kafka --kafka-port "$port" --data-dir "$state/data" >"$state/up.log" 2>&1
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && { echo "127.0.0.1:$port"; exit 0; }
        sleep 0.1
    done
    echo "noida-db did not start; see $state/up.log" >&2
    exit 1
    ;;
stop)
    noida down --data-dir "$state/data" >/dev/null 2>&1 || true
    rm -rf "$state/data"
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
