#!/usr/bin/env bash
# Linear time, shown (issue 6, point 3): runs each quadratic-trap input of
# `bench/examples/linear.rs` under callgrind at size N and 4N, in `Full` and `Skim`,
# and prints the instruction counts and their ratio. About 4 means linear;
# 16 would be quadratic. Only the extraction call (`extract_once`) is counted,
# not building the input. Instruction counts are deterministic, so one run of
# each is enough; nothing here is timed.
#
# Usage: scripts/linear-time.sh              every trap, default sizes
#        scripts/linear-time.sh lt amp ...   only these traps
#        SCALE=4 scripts/linear-time.sh      N multiplied by SCALE
# Needs valgrind. Honours CARGO_TARGET_DIR. Exits 1 when a ratio is above 5.
set -euo pipefail

cd "$(dirname "$0")/.."
scale="${SCALE:-1}"
target="${CARGO_TARGET_DIR:-$PWD/target}"
# The bench profile (release plus debug info; its output directory is
# `release`) so that the bench package's dependencies are built once for this
# and for `cargo bench`.
bin="$target/release/examples/linear"

command -v valgrind >/dev/null || {
    echo "linear-time: valgrind is needed" >&2
    exit 2
}
cargo build --profile bench -p wanxiang-bench --example linear >&2

# N for each trap: 200k for the byte-level traps, 100k for the name-level ones.
size() {
    case "$1" in
    near-miss-* | escaped-keys | repeat-* | utf8-late | wrapper-miss | deep-*) echo $((100000 * scale)) ;;
    *) echo $((200000 * scale)) ;;
    esac
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Instructions executed inside `extract_once` for one run; the run's answer on fd 3.
count() {
    local out="$work/cg.out"
    valgrind --tool=callgrind --callgrind-out-file="$out" \
        --toggle-collect='*extract_once*' "$bin" "$@" 2>/dev/null >"$work/answer"
    awk '/^(summary|totals):/ { print $2; exit }' "$out"
}

if [ "$#" -gt 0 ]; then
    traps=("$@")
else
    mapfile -t traps < <("$bin" list | awk '{ print $1 }')
fi

bad=0
printf '%-15s %-4s %8s %14s %14s %6s  %s\n' trap mode N 'Ir(N)' 'Ir(4N)' ratio 'answer at 4N'
for t in "${traps[@]}"; do
    n="$(size "$t")"
    for mode in full skim; do
        a="$(count "$t" "$n" "$mode")"
        b="$(count "$t" $((4 * n)) "$mode")"
        answer="$(sed -e 's/^[^:]*: //' "$work/answer")"
        ratio="$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')"
        flag=""
        if awk -v r="$ratio" 'BEGIN { exit !(r > 5) }'; then
            flag="  <-- superlinear"
            bad=1
        fi
        printf '%-15s %-4s %8s %14s %14s %6s  %s%s\n' "$t" "$mode" "$n" "$a" "$b" "$ratio" "$answer" "$flag"
    done
done
exit "$bad"
