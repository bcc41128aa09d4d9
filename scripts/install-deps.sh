#!/usr/bin/env bash
# Installs the Debian packages Incident Gateway needs to build, run and test,
# but only those missing: a machine that has them all is left untouched.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libetpan-dev libgmime-3.0-dev libsqlite3-dev libcurl4-gnutls-dev libcurl4 libssl-dev
  libcmocka-dev libjansson-dev libxml2-dev libytnef0-dev libgsf-1-dev libopendkim-dev libpq-dev
  sqlite3 openssl python3 libsystemd0
)
if [ "${1:-}" = "--test" ]; then
  packages+=(dovecot-imapd python3-aiosmtpd curl valgrind clang libclang-rt-14-dev gcovr
             chromium python3-pil time groff-base
             dpkg-dev debhelper lintian debootstrap systemd-container postgresql)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing Debian packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
