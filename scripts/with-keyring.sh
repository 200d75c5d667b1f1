#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring, so keytar tests use
# a real OS keychain without touching the user's own. HOME and XDG_DATA_HOME point at a temp dir.
# Usage: scripts/with-keyring.sh <command> [args...]
set -euo pipefail

if [ -n "${SOFTPHONE_KEYRING_READY:-}" ]; then exec "$@"; fi
if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "with-keyring: dbus-run-session or gnome-keyring-daemon is missing; keychain tests will be skipped." >&2
  exec "$@"
fi

keyring_home=$(mktemp -d -t softphone-keyring-XXXXXX)
trap 'rm -rf "$keyring_home"' EXIT
export HOME="$keyring_home" XDG_DATA_HOME="$keyring_home/.local/share" XDG_RUNTIME_DIR="$keyring_home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

dbus-run-session -- bash -c '
  # Unlocking with a password on stdin creates the default "login" collection keytar writes to.
  eval "$(printf "softphone-test\n" | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
  eval "$(gnome-keyring-daemon --start --components=secrets 2>/dev/null)" || true
  export GNOME_KEYRING_CONTROL SOFTPHONE_KEYRING_READY=1
  exec "$@"
' softphone-keyring "$@"
