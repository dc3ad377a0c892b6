//! Which kernel classifies blocks: chosen once per process, then cached.
//!
//! The first call of [`level`] asks the CPU what it supports (the best level
//! it can run), lowers that to what `WANXIANG_SIMD` asks for, if anything,
//! and stores the answer in an atomic; later calls are one relaxed load.
//! Two threads racing on the first call both compute the same answer, so
//! either store is right.
//!
//! A [`Level`] is a proof as well as a choice: its field is private to this
//! file, and the only code that makes an AVX2 level is [`detected`], after
//! `is_x86_feature_detected!` said yes to AVX2, PCLMULQDQ and POPCNT (or
//! the build enables all three for every CPU it runs on; every CPU with AVX2
//! has the other two). The kernels rely on that to
//! call their `#[target_feature]` functions; see the module docs above.

use core::sync::atomic::{AtomicU8, Ordering};

/// The instruction sets a level's kernels use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// Plain Rust over 64-bit words (SWAR): every target, and Miri.
    Portable,
    /// SSE2, 16 lanes: the x86-64 baseline.
    Sse2,
    /// AVX2 with PCLMULQDQ and POPCNT, 32 lanes: detected at run time.
    Avx2,
}

/// Every kind, lowest first.
const KINDS: [Kind; 3] = [Kind::Portable, Kind::Sse2, Kind::Avx2];

/// A kernel level the running CPU supports (see the module docs: only
/// [`detected`] makes levels above SSE2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Level(Kind);

impl Level {
    /// The portable level, which every target runs.
    #[allow(dead_code)] // used by the tests
    pub(crate) const PORTABLE: Level = Level(Kind::Portable);

    /// What the level's kernels use.
    #[inline(always)]
    pub(crate) const fn kind(self) -> Kind {
        self.0
    }

    /// The name `WANXIANG_SIMD` uses for it, and benches print.
    pub(crate) const fn name(self) -> &'static str {
        match self.0 {
            Kind::Portable => "portable",
            Kind::Sse2 => "sse2",
            Kind::Avx2 => "avx2",
        }
    }

    const fn code(self) -> u8 {
        match self.0 {
            Kind::Portable => 1,
            Kind::Sse2 => 2,
            Kind::Avx2 => 3,
        }
    }
}

/// The requested ceiling: what `WANXIANG_SIMD` names (`portable`, `sse2` or
/// `avx2`, ASCII case ignored), `None` for anything else.
#[cfg_attr(not(feature = "std"), allow(dead_code))] // no environment without std
pub(crate) fn requested_kind(value: &[u8]) -> Option<Kind> {
    let named = |&k: &Kind| value.eq_ignore_ascii_case(Level(k).name().as_bytes());
    KINDS.into_iter().find(named)
}

/// 0 until the first [`level`] call stores [`Level::code`].
static CHOSEN: AtomicU8 = AtomicU8::new(0);

/// The level the block classifiers use in this process: the best one the CPU
/// has, lowered by `WANXIANG_SIMD` if set (read once, at the first call; an
/// unknown value is ignored). It can only lower: asking for `avx2` on a CPU
/// without it gives the best level the CPU has.
#[inline]
pub(crate) fn level() -> Level {
    match CHOSEN.load(Ordering::Relaxed) {
        1 => Level(Kind::Portable),
        2 => Level(Kind::Sse2),
        // 3 was stored by `choose`, from a level `detected` made.
        3 => Level(Kind::Avx2),
        _ => choose(),
    }
}

/// The level [`level`] chose, or `None` before its first call. Never
/// detects, so never reads the environment (which allocates when
/// `WANXIANG_SIMD` is set): for the reading paths, which must not allocate.
#[inline]
pub(crate) fn chosen() -> Option<Level> {
    match CHOSEN.load(Ordering::Relaxed) {
        1 => Some(Level(Kind::Portable)),
        2 => Some(Level(Kind::Sse2)),
        // 3 was stored by `choose`, from a level `detected` made.
        3 => Some(Level(Kind::Avx2)),
        _ => None,
    }
}

/// The level [`level`] chose, or, before its first call, the best level of
/// the CPU ([`detected`]). Never reads the environment (which allocates when
/// `WANXIANG_SIMD` is set), so the reading paths may call it; until something
/// calls [`level`] (Skim options, `simd_level`), `WANXIANG_SIMD` does not
/// lower what it returns. The UTF-8 check uses it.
#[inline]
pub(crate) fn current() -> Level {
    match chosen() {
        Some(level) => level,
        None => detected(),
    }
}

#[cold]
#[inline(never)]
fn choose() -> Level {
    let best = detected();
    let chosen = match requested() {
        Some(kind) => below(best, kind),
        None => best,
    };
    CHOSEN.store(chosen.code(), Ordering::Relaxed);
    chosen
}

/// The best level at or below `kind` that `best` allows.
pub(crate) fn below(best: Level, kind: Kind) -> Level {
    Level(kind.min(best.0))
}

#[cfg(feature = "std")]
fn requested() -> Option<Kind> {
    let value = std::env::var_os("WANXIANG_SIMD")?;
    requested_kind(value.as_encoded_bytes())
}

#[cfg(not(feature = "std"))]
fn requested() -> Option<Kind> {
    None
}

/// Every level this CPU supports, lowest first (the environment switch does
/// not apply: tests and the fuzz target run them all).
pub(crate) fn available() -> impl Iterator<Item = Level> {
    let best = detected();
    KINDS.into_iter().filter(move |&k| k <= best.0).map(Level)
}

/// The best level of this CPU, asked every time (use [`level`]).
pub(crate) fn detected() -> Level {
    if cfg!(miri) || cfg!(feature = "force-portable") {
        return Level(Kind::Portable);
    }
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        if avx2_and_clmul() {
            return Level(Kind::Avx2);
        }
        Level(Kind::Sse2)
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    {
        Level(Kind::Portable)
    }
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2", feature = "std"))]
fn avx2_and_clmul() -> bool {
    std::is_x86_feature_detected!("avx2")
        && std::is_x86_feature_detected!("pclmulqdq")
        && std::is_x86_feature_detected!("popcnt")
}

/// Without std there is no run-time detection: AVX2 only when the build
/// enables it for every CPU (`-C target-feature=+avx2,+pclmulqdq,+popcnt`).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2", not(feature = "std")))]
fn avx2_and_clmul() -> bool {
    cfg!(all(
        target_feature = "avx2",
        target_feature = "pclmulqdq",
        target_feature = "popcnt"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_names_each_level_and_ignores_others() {
        assert_eq!(requested_kind(b"portable"), Some(Kind::Portable));
        assert_eq!(requested_kind(b"SSE2"), Some(Kind::Sse2));
        assert_eq!(requested_kind(b"avx2"), Some(Kind::Avx2));
        assert_eq!(requested_kind(b"avx512"), None);
        assert_eq!(requested_kind(b""), None);
    }

    #[test]
    fn the_switch_only_lowers() {
        let best = detected();
        for kind in [Kind::Portable, Kind::Sse2, Kind::Avx2] {
            let got = below(best, kind);
            assert!(got <= best);
            assert!(got.kind() <= kind);
        }
        assert_eq!(below(Level::PORTABLE, Kind::Avx2), Level::PORTABLE);
    }

    #[test]
    fn the_chosen_level_is_available_and_stable() {
        let first = level();
        assert!(available().any(|l| l == first));
        assert_eq!(level(), first);
        if let Some(v) = std::env::var_os("WANXIANG_SIMD") {
            if let Some(kind) = requested_kind(v.as_encoded_bytes()) {
                assert!(first.kind() <= kind, "{first:?} above {kind:?}");
            }
        }
    }
}
