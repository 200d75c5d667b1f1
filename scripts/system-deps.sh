#!/usr/bin/env bash
# Installs the Debian packages the tests and the app need, idempotently and quietly.
# As root on Debian it installs what is missing; otherwise it prints the exact command to run.
set -euo pipefail

PACKAGES=(
  chromium fonts-liberation  # E2E tests: the browser host in Chromium
  xvfb xauth          # Electron E2E on a machine without a display
  dbus dbus-x11 gnome-keyring libsecret-1-0 libsecret-1-dev  # keytar: build (libsecret-1-dev) and a real keychain in tests
  postgresql          # cloud integration tests on a real PostgreSQL server
  sox espeak-ng       # the sandbox's speech-like audio sample and sound checks
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages the tests need: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists at most once an hour.
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -60 2>/dev/null | head -n 1)" ]; then
    apt-get update -qq >/dev/null
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing Debian packages: ${missing[*]}"
  echo "Install them with:"
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
  exit 3
fi
