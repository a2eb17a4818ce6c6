#!/usr/bin/env bash
# Runs every test of Resonance: unit, end-to-end over loopback sockets, browser tests, and the
# checks of what Dapr users run (dapr.yaml, components/, deploy/k8s/).
# Browser tests need Chromium and ChromeDriver, the deployment checks kubectl (for `kubectl kustomize`),
# all from the system's packages; on Debian/Ubuntu this script installs them when they are missing
# and it runs as root.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium chromium-driver)
command -v kubectl >/dev/null 2>&1 || missing+=(kubectl)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${missing[*]} for the tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Not installed: ${missing[*]}; the browser or deployment tests will fail. Install those packages." >&2
  fi
fi

dotnet test Resonance.sln --configuration Release "$@"
