#!/usr/bin/env bash
# Builds the Debian package from a copy of the working tree (what git
# tracks or would track) in OUT, so the tree itself is never touched:
# OUT/incident-gateway_VERSION_ARCH.deb, then lintian over it, which must
# report no error. Extra arguments go to dpkg-buildpackage.
#   scripts/build-package.sh OUT [dpkg-buildpackage options]
set -euo pipefail
out=${1:?usage: build-package.sh OUT [dpkg-buildpackage options]}
shift
top=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$out"
mkdir -p "$out/src"
out=$(cd "$out" && pwd)
(cd "$top" && git ls-files -co --exclude-standard -z \
   | xargs -0 -r ls -d 2>/dev/null | tar -cf - -T -) | tar -xf - -C "$out/src"
if ! (cd "$out/src" && dpkg-buildpackage -us -uc -b "$@") > "$out/build.log" 2>&1; then
  tail -40 "$out/build.log" >&2
  echo "build-package.sh: dpkg-buildpackage failed (log: $out/build.log)" >&2
  exit 1
fi
deb=$(ls "$out"/incident-gateway_*.deb)
lintian --fail-on error "$deb" | tee "$out/lintian.log"
echo "built $deb"
