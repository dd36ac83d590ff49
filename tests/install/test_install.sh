#!/usr/bin/env bash
# Installs a build tree into a staging directory (DESTDIR) and runs the installed catsim from another
# working directory: shipped names, a user's own arch file, info, and a search (catsim-search in
# libexec). Checks that it reads the installed data, never the source tree. Usage: test_install.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
stage=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$stage" "$work"' EXIT
fail() { echo "test_install: $*" >&2; exit 1; }

DESTDIR="$stage" cmake --install "$build" --prefix /usr >/dev/null
bin="$stage/usr/bin/catsim"
for f in usr/bin/catsim usr/libexec/catsim/catsim-search usr/lib/catsim/libcatsim_engine.so \
         usr/share/catsim/regions.yaml usr/share/catsim/tech/act.yaml usr/share/catsim/arch/edge_npu.yaml \
         usr/share/catsim/models/bert-base.yaml usr/share/man/man1/catsim.1; do
  [ -e "$stage/$f" ] || fail "missing $f after install"
done

cd "$work"
unset CATSIM_DATA_DIR
version=$("$bin" --version)
[ "$version" = "$(printf 'catsim 0.1.0\ndata   %s (installed)' "$stage/usr/share/catsim")" ] ||
  fail "--version says: $version"

# Shipped names from any directory; the result names the installed data.
"$bin" edge_npu gemm-bert-proj --json >run.json || fail "catsim edge_npu gemm-bert-proj failed"
/usr/bin/python3 - "$stage/usr/share/catsim" <<'PY' || fail "the run did not read the installed data"
import json, sys
d = json.load(open("run.json"))["data_dir"]
assert d == {"path": sys.argv[1], "found_by": "installed"}, d
PY

# A user's own arch file, built on a shipped preset.
printf 'preset: edge_npu\nname: mine\nsystolic: {rows: 16, cols: 16}\n' >mine.yaml
"$bin" mine.yaml bert-base --json >mine.json || fail "a user's arch file failed"
grep -q '"name": "mine"' mine.json || fail "the user's arch was not used"

"$bin" info bert-base >/dev/null || fail "catsim info bert-base failed"

# The Python module, where the build made one, imports from the installed tree and reads the installed data.
module=$(ls "$build"/python/catsim*.so 2>/dev/null | head -1 || true)
if [ -n "$module" ]; then
  PYTHONPATH="$stage/usr/lib/python3/dist-packages" /usr/bin/python3 - "$stage/usr/share/catsim" <<'PY' ||
import catsim, sys
d = catsim.simulate("edge_npu", "gemm-bert-proj")["data_dir"]
assert d == {"path": sys.argv[1], "found_by": "installed"}, d
PY
    fail "the installed Python module did not run on the installed data"
fi

# The search program runs from libexec.
cat >space.yaml <<'YAML'
name: tiny
arch: edge_npu
model: gemm-bert-proj
metric: all-hw
parameters:
  arch.systolic.rows: [16, 32]
optimizer: {name: grid}
workers: 1
YAML
"$bin" search space.yaml --out out --quiet >search.txt 2>&1 || fail "catsim search failed: $(cat search.txt)"
[ -s out/pareto.csv ] || fail "catsim search wrote no pareto.csv"

# A copied binary without its data says so in one line and exits 2 (it never reads the source tree).
mkdir -p lone
cp "$bin" lone/catsim
set +e
msg=$(lone/catsim edge_npu gemm-bert-proj 2>&1 >/dev/null)
code=$?
set -e
[ "$code" -eq 2 ] || fail "a copied binary exited $code: $msg"
case "$msg" in *"cannot find catsim's data"*) ;; *) fail "a copied binary said: $msg" ;; esac
[ "$(printf '%s\n' "$msg" | wc -l)" -eq 1 ] || fail "more than one line: $msg"
echo "test_install: ok"
