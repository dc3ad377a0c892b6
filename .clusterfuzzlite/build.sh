#!/bin/bash -eu
# ClusterFuzzLite build: every cargo-fuzz target of fuzz/ into $OUT, each with
# its seed corpus ($OUT/TARGET_seed_corpus.zip), dictionary ($OUT/TARGET.dict)
# and libFuzzer options ($OUT/TARGET.options: the input-size cap). Seeds,
# dictionaries and the cap come from fuzz/targets.sh, shared with
# scripts/fuzz-ci.sh.
#
# In the image (Dockerfile) SRC, OUT and the sanitizer are set by
# ClusterFuzzLite and cargo fuzz builds with its default, AddressSanitizer (a
# nightly toolchain). Outside Docker, on stable, pass CARGO_FUZZ_SANITIZER=none;
# .clusterfuzzlite/build-local.sh does that, with SRC and OUT set.

cd "$SRC/wanxiang"

# -O: optimised, with debug assertions and overflow checks kept on by
# [profile.release] in fuzz/Cargo.toml.
cargo fuzz build -O ${CARGO_FUZZ_SANITIZER:+--sanitizer "$CARGO_FUZZ_SANITIZER"}

. fuzz/targets.sh

bin="fuzz/target/x86_64-unknown-linux-gnu/release"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

targets=$(cargo fuzz list)
[ -n "$targets" ]
for target in $targets; do
    cp "$bin/$target" "$OUT/"
    fuzz_write_dict "$target" "$OUT/$target.dict"
    fuzz_stage_seeds "$target" "$stage/$target"
    rm -f "$OUT/${target}_seed_corpus.zip"
    # -j: flat archive; the staged names already say where each file came from.
    (cd "$stage/$target" && zip -q -j "$OUT/${target}_seed_corpus.zip" ./*)
    printf '[libfuzzer]\nmax_len = %s\n' "$FUZZ_MAX_LEN" >"$OUT/$target.options"
done
