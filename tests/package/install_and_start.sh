#!/usr/bin/env bash
# The Debian package on a fresh Debian 12 under systemd: a minimal
# bookworm made by debootstrap (kept in CACHE between runs, copied for each
# run) is booted with systemd-nspawn; the package is installed with apt as
# an operator would, then: the unit is enabled and active (Type=notify, so
# only once the gateway said it is ready), runs as its own user, a report
# dropped into the packaged Maildir is recorded and acknowledged, the
# store is 0600 and the configuration readable by the service's group
# only; remove keeps the store, purge deletes it.
#   tests/package/install_and_start.sh DEB
# Needs root, debootstrap, systemd-container and a reachable Debian mirror.
set -euo pipefail
deb=$(readlink -f "${1:?usage: install_and_start.sh DEB}")
cache=${IG_PACKAGE_CACHE:-/var/cache/incident-gateway-tests}
mirror=${IG_DEBIAN_MIRROR:-http://deb.debian.org/debian}
work=$(mktemp -d /var/tmp/ig-package.XXXXXX)
root=$work/root
nspawn_pid=
failures=0

ok() { echo "ok - $*"; }
fail() { echo "not ok - $*"; failures=$((failures + 1)); }
cleanup() {
  [ -n "$nspawn_pid" ] && kill "$nspawn_pid" 2>/dev/null && wait "$nspawn_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

if [ ! -x "$cache/bookworm/usr/bin/apt-get" ]; then
  echo "# debootstrap of bookworm into $cache (once)"
  rm -rf "$cache/bookworm.new"
  mkdir -p "$cache"
  debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus bookworm \
    "$cache/bookworm.new" "$mirror" > "$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log"; echo "debootstrap failed"; exit 1; }
  mv "$cache/bookworm.new" "$cache/bookworm"
fi
cp -a "$cache/bookworm" "$root"
mkdir -p "$root/pkg"
cp "$deb" "$root/pkg/"

# Commands in the container before it boots (apt) and, once booted, inside
# its namespaces beside its systemd.
nspawn() { systemd-nspawn -q --register=no --keep-unit -D "$root" --pipe "$@"; }
inside() { nsenter -t "$container" -a "$@"; }

nspawn sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends /pkg/$(basename "$deb")" > "$work/apt.log" 2>&1 \
  && ok "apt installs the package and its dependencies" \
  || { tail -20 "$work/apt.log"; fail "apt install"; exit 1; }

systemd-nspawn -q --register=no --keep-unit -D "$root" -b --console=pipe \
  > "$work/boot.log" 2>&1 &
nspawn_pid=$!
container=
for _ in $(seq 1 100); do
  container=$(pgrep -x -P "$nspawn_pid" systemd || true)
  [ -n "$container" ] && break
  sleep 0.2
done
[ -n "$container" ] || { cat "$work/boot.log"; echo "the container did not boot"; exit 1; }
for _ in $(seq 1 150); do
  state=$(inside systemctl is-system-running 2>/dev/null || true)
  case $state in running|degraded) break ;; esac
  sleep 0.2
done
echo "# booted: $state"

for _ in $(seq 1 50); do
  [ "$(inside systemctl is-active incident-gateway 2>/dev/null)" = active ] && break
  sleep 0.2
done
[ "$(inside systemctl is-enabled incident-gateway)" = enabled ] \
  && ok "the unit is enabled" || fail "the unit is not enabled"
if [ "$(inside systemctl is-active incident-gateway)" = active ]; then
  ok "the unit is active (ready notified)"
else
  fail "the unit is not active: $(inside systemctl status incident-gateway --no-pager 2>&1 | tail -15)"
fi
pid=$(inside systemctl show -p MainPID --value incident-gateway)
user=$(inside ps -o user= -p "$pid" 2>/dev/null || inside stat -c %U "/proc/$pid")
[ "$user" = incident-gateway ] && ok "run runs as incident-gateway" || fail "run runs as '$user'"

state_dir=$root/var/lib/incident-gateway
mail="From: Sam Lee <sam.lee@justice.gov.uk>
To: security@justice.gov.uk
Subject: Laptop stolen from car
Message-ID: <package-test-1@justice.gov.uk>
Date: Tue, 01 Dec 2026 09:00:00 +0000

Incident category: lost or stolen equipment
Description: my work laptop was stolen from my car this morning."
printf '%s\n' "$mail" | inside runuser -u incident-gateway -- sh -c \
  'cd /var/lib/incident-gateway/mail && cat > tmp/t1 && mv tmp/t1 new/t1'
ack=
for _ in $(seq 1 100); do
  ack=$(grep -l '^To: sam.lee@justice.gov.uk' "$state_dir"/outbox/*.eml 2>/dev/null | head -1 || true)
  [ -n "$ack" ] && break
  sleep 0.2
done
[ -n "$ack" ] && grep -q 'INC-[0-9]\{4\}-000001' "$ack" \
  && ok "a report dropped in the Maildir is recorded and acknowledged" \
  || fail "no acknowledgement: $(inside journalctl -u incident-gateway --no-pager | tail -10)"
inside runuser -u incident-gateway -- incident-gateway -c /etc/incident-gateway/gateway.conf list \
  | grep -q 'INC-[0-9]\{4\}-000001' && ok "list, as the service's user, shows it" || fail "list"
inside runuser -u incident-gateway -- incident-gateway -c /etc/incident-gateway/gateway.conf status \
  > "$work/status.txt" && ok "status: OK" || fail "status: $(cat "$work/status.txt")"

[ "$(inside stat -c '%a %U' /var/lib/incident-gateway/gateway.db)" = "600 incident-gateway" ] \
  && ok "the store is 0600, the service's own" \
  || fail "store: $(inside stat -c '%a %U' /var/lib/incident-gateway/gateway.db)"
[ "$(inside stat -c '%a %U:%G' /etc/incident-gateway/gateway.conf)" = "640 root:incident-gateway" ] \
  && ok "the configuration is root's, readable by the service's group only" \
  || fail "config: $(inside stat -c '%a %U:%G' /etc/incident-gateway/gateway.conf)"
[ "$(inside stat -c '%a %U' /var/lib/incident-gateway)" = "750 incident-gateway" ] \
  && ok "the state directory is 0750, the service's own" \
  || fail "state dir: $(inside stat -c '%a %U' /var/lib/incident-gateway)"

inside systemctl reload incident-gateway && sleep 0.5 \
  && [ "$(inside systemctl is-active incident-gateway)" = active ] \
  && ok "reload (SIGHUP) keeps it running" || fail "reload"
inside systemctl stop incident-gateway
inside env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q incident-gateway > "$work/remove.log" 2>&1
[ -f "$state_dir/gateway.db" ] && ok "remove keeps the store" || fail "remove deleted the store"
inside env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q incident-gateway > "$work/purge.log" 2>&1
[ ! -e "$state_dir" ] && [ ! -e "$root/etc/incident-gateway" ] \
  && ok "purge deletes the store and the configuration" || fail "purge left: $(ls -d "$state_dir" "$root/etc/incident-gateway" 2>&1)"

[ "$failures" -eq 0 ] || { echo "$failures failed"; exit 1; }
echo "all passed"
