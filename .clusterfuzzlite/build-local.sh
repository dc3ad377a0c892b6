#!/usr/bin/env bash
# Runs build.sh on this machine, without Docker, to show that it builds every
# target: SRC is a temporary folder whose `wanxiang` links to this checkout,
# OUT is $OUT or /tmp/cflout, and the targets are built without a sanitizer
# (CARGO_FUZZ_SANITIZER=none), which the stable toolchain supports. The
# ClusterFuzzLite image builds with AddressSanitizer on nightly instead.
#
# Usage: .clusterfuzzlite/build-local.sh   (needs cargo-fuzz and zip)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$(mktemp -d)"
trap 'rm -rf "$src"' EXIT
ln -s "$root" "$src/wanxiang"
export SRC="$src" OUT="${OUT:-/tmp/cflout}" CARGO_FUZZ_SANITIZER=none
mkdir -p "$OUT"
bash -eu "$root/.clusterfuzzlite/build.sh"
echo "build-local: $OUT holds:"
ls -l "$OUT"
