#!/usr/bin/env bash
# Runs the SIMD module's unit tests under Miri (undefined-behaviour checker),
# which selects the portable kernels (cfg(miri)); the tests shrink their loops
# under Miri. Needs a nightly toolchain with the miri component: when
# `cargo +nightly miri --version` fails, it tries `rustup component add`, and
# if Miri is still missing it prints SKIPPED and exits 0 (CI machines without
# nightly or network). A Miri failure exits non-zero.
#
# Usage: scripts/miri.sh            (from anywhere)
set -euo pipefail

cd "$(dirname "$0")/.."

if ! cargo +nightly miri --version >/dev/null 2>&1; then
    rustup component add --toolchain nightly miri >/dev/null 2>&1 || true
fi
if ! cargo +nightly miri --version >/dev/null 2>&1; then
    echo "SKIPPED: miri (no nightly toolchain with the miri component on this machine)"
    exit 0
fi

# Miri builds its own sysroot once (it needs the rust-src component); a
# machine that cannot get it skips too.
if ! cargo +nightly miri setup </dev/null >/dev/null 2>&1; then
    echo "SKIPPED: miri (cargo +nightly miri setup failed: no rust-src for nightly?)"
    exit 0
fi

echo "miri: $(cargo +nightly miri --version)"
# The portable level is the only one Miri runs; say so in the environment too.
WANXIANG_SIMD=portable cargo +nightly miri test --lib simd
