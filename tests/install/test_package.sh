#!/usr/bin/env bash
# Builds the Debian package from a build tree (CPack) and checks it: its metadata (Depends from
# dpkg-shlibdeps), its file list, and, when run as root, that apt installs it, that the installed catsim
# runs a shipped example from another directory, and that it removes cleanly. Usage: test_package.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "test_package: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$out" >"$out/cpack.log" 2>&1) || fail "cpack failed: $(tail -5 "$out/cpack.log")"
deb=$(ls "$out"/catsim_*_amd64.deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "no catsim_*_amd64.deb in $out"

info=$(dpkg-deb --info "$deb")
for want in "Package: catsim" "Architecture: amd64" "Depends:" "libsystemc" "libstdc++6" "libpagmo"; do
  grep -q -- "$want" <<<"$info" || fail "dpkg-deb --info lacks '$want'"
done
contents=$(dpkg-deb --contents "$deb")
for want in ./usr/bin/catsim ./usr/libexec/catsim/catsim-search ./usr/lib/catsim/libcatsim_engine.so \
            ./usr/share/catsim/tech/act.yaml ./usr/share/catsim/arch/edge_npu.yaml ./usr/share/man/man1/catsim.1; do
  grep -q -- " $want\$" <<<"$contents" || fail "the package lacks $want"
done

if [ "$(id -u)" -ne 0 ]; then
  echo "test_package: ok (not root: install and removal not tried)"
  exit 0
fi
if dpkg-query -W -f='${Status}' catsim 2>/dev/null | grep -q "install ok installed"; then
  echo "test_package: ok (a catsim package is already installed here: install and removal not tried)"
  exit 0
fi
trap 'dpkg -r catsim >/dev/null 2>&1 || true; rm -rf "$out"' EXIT
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >"$out/apt.log" 2>&1 ||
  dpkg -i "$deb" >"$out/apt.log" 2>&1 || fail "installing the package failed: $(tail -3 "$out/apt.log")"
(cd "$out" && env -u CATSIM_DATA_DIR /usr/bin/catsim edge_npu gemm-bert-proj >run.txt) ||
  fail "the installed catsim failed"
grep -q "^cycles" "$out/run.txt" || fail "the installed catsim printed no cycles"
/usr/bin/catsim --version | grep -q "/usr/share/catsim (installed)" || fail "the installed catsim reads other data"
dpkg -r catsim >/dev/null || fail "removing the package failed"
[ ! -e /usr/bin/catsim ] || fail "/usr/bin/catsim is left after removal"
echo "test_package: ok"
