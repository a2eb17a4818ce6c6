#!/usr/bin/env bash
# Runs every test of Resonance: unit, end-to-end over loopback sockets, and browser tests.
# Browser tests need Chromium and ChromeDriver from the system's packages; on Debian/Ubuntu
# this script installs them when they are missing and it runs as root.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing chromium for the browser tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "chromium is not installed; the browser tests will fail. Install the 'chromium' package." >&2
  fi
fi

dotnet test Resonance.sln --configuration Release "$@"
