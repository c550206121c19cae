#!/usr/bin/env bash
# Installs, when missing, the Debian packages that building, testing and the demo need.
set -euo pipefail

packages=(librdkafka-dev libcurl4-openssl-dev zlib1g-dev libsqlite3-dev pkg-config python3 python3-venv netcat-openbsd kcat
          chromium chromium-driver)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "swift is not on PATH: install Swift 6 (https://www.swift.org/install) or add its bin folder to PATH" >&2
    exit 1
fi
