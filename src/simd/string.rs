//! The end of a run of JSON string contents: the first `"`, `\` or byte
//! below `0x20` at or after an offset (what the JSON lexer stops at inside a
//! string), 64 bytes a step at the AVX2 level.
//!
//! The lexer tests the first 16 bytes after a quote (or after an escape)
//! inline; only a run longer than that comes here. Below AVX2 the answer is
//! left to the lexer's own 16-byte loop (`scan::find_run`), as for
//! [`skip::skim_end`](super::skip::skim_end): one call a run pays only when
//! the run is scanned at least 32 bytes a step.

use super::level::{Kind, Level};

/// The definition, byte by byte: the first byte at or after `k` that is `"`,
/// `\` or below `0x20`, or `input.len()` when there is none.
pub(crate) fn stop_spec(input: &[u8], k: usize) -> usize {
    let rest = input.get(k..).unwrap_or(&[]);
    let stop = rest
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20);
    stop.map_or(input.len(), |p| k + p)
}

/// [`stop_spec`] by the kernel of the level already chosen (`level::chosen`,
/// which never detects, so never allocates), or `None` when that level has
/// no kernel faster than the lexer's loop (below AVX2, or nothing chosen
/// yet).
#[inline]
pub(crate) fn stop(input: &[u8], k: usize) -> Option<usize> {
    match super::level::chosen()?.kind() {
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        // SAFETY: a level of kind AVX2 exists only when AVX2 was detected
        // (`level.rs`), the precondition of `string_stop_avx2`.
        Kind::Avx2 => Some(unsafe { super::x86::string_stop_avx2(input, k) }),
        _ => None,
    }
}

/// [`stop_spec`] by the kernel of `level` (the definition itself where the
/// level has none), for the tests and the `classify` fuzz target.
pub(crate) fn stop_at(input: &[u8], k: usize, level: Level) -> usize {
    match level.kind() {
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        // SAFETY: a level of kind AVX2 exists only when AVX2 was detected
        // (`level.rs`), the precondition of `string_stop_avx2`.
        Kind::Avx2 => unsafe { super::x86::string_stop_avx2(input, k) },
        _ => stop_spec(input, k),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stop sweep (`simd::tests::stop_sweep`) over a 150-byte input
    /// (both loops and the tail) and every tail length.
    #[test]
    fn every_level_stops_where_the_definition_does() {
        let edges = [
            0x00, 0x01, 0x1F, 0x20, 0x21, b'"', b'\\', b']', 0x7F, 0x80, 0xFF,
        ];
        let lens = [
            0, 1, 15, 31, 32, 33, 63, 64, 65, 95, 96, 97, 127, 128, 129, 150,
        ];
        crate::simd::tests::stop_sweep(150, &lens, &edges, 1, stop_spec, stop_at);
    }
}
