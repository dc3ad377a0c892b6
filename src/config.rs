//! Limits and strictness knobs.
//!
//! Plain structs with safe defaults for bodies that arrive unauthenticated from
//! the internet. Every limit is checked on the hot path with a compare, never by
//! allocating: exceeding one is an error of [`Category::Limit`](crate::Category::Limit).
//!
//! Both are built the same way: `new()` (the defaults), then `with_*` setters
//! that take and return the value:
//! ```
//! use wanxiang::{Limits, Options, Validation};
//! let options = Options::new()
//!     .with_validation(Validation::Skim)
//!     .with_strict(true)
//!     .with_limits(Limits::new().with_max_depth(32).with_max_input(1 << 20));
//! assert_eq!(options.get_limits().max_depth(), 32);
//! assert_eq!(options.get_validation(), Validation::Skim);
//! assert!(options.is_strict());
//! ```
//! `Options` also keeps its earlier setter names ([`Options::validation`],
//! [`Options::limits`], [`Options::strict`]), which do the same.

use core::fmt;

/// The deepest nesting any reader can track. The readers keep their open
/// elements in a fixed array of this size (no heap), so
/// [`Limits::max_depth`] is clamped to it.
pub const MAX_DEPTH: usize = 256;

/// Resource limits. Construct with [`Limits::new`] (or `default`) and the `with_*` setters.
///
/// | limit | default | why |
/// |---|---|---|
/// | `max_input` | 16 MiB | callbacks are a few KB; media and OCR ones reach tens of KB. 16 MiB leaves room for huge `UserData` and still bounds a hostile body. |
/// | `max_depth` | 128 | real callbacks nest 6 deep; 128 matches serde_json's recursion limit. At most [`MAX_DEPTH`]. |
/// | `max_attributes` | 256 | known callbacks have none; real documents reach 65 on one element (quick-xml's `linescore.xml`) and dozens of namespace declarations on a root. The duplicate check compares each name with the earlier ones through a table on the stack that holds 256 (4 KiB, only for tags with more than 16 attributes), so up to this default no attribute is read twice and a tag costs at most 32 640 word compares; a higher limit works but re-reads the names past the 256th. |
/// | `max_items` | 100 000 | items in one list (JSON array, or repeated XML siblings a path selects); bounds hostile fan-out. |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    max_input: usize,
    max_depth: usize,
    max_attributes: usize,
    max_items: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input: 16 << 20,
            max_depth: 128,
            max_attributes: 256,
            max_items: 100_000,
        }
    }
}

impl Limits {
    /// The defaults of the table above (the same as [`Limits::default`]).
    ///
    /// # Examples
    /// ```
    /// use wanxiang::Limits;
    /// assert_eq!(Limits::new(), Limits::default());
    /// assert_eq!(Limits::new().with_max_items(10).max_items(), 10);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Largest accepted document, in bytes (at most `u32::MAX`).
    pub fn max_input(&self) -> usize {
        self.max_input
    }
    /// Deepest accepted nesting (the XML root or the top JSON value is depth 1).
    pub fn max_depth(&self) -> usize {
        self.max_depth
    }
    /// Most attributes accepted on one XML element.
    pub fn max_attributes(&self) -> usize {
        self.max_attributes
    }
    /// Most items accepted in one JSON array.
    pub fn max_items(&self) -> usize {
        self.max_items
    }

    /// Sets the largest accepted document, clamped to `u32::MAX` bytes
    /// (offsets are kept as `u32` in the readers' fixed stacks).
    #[must_use]
    pub fn with_max_input(mut self, bytes: usize) -> Self {
        self.max_input = bytes.min(u32::MAX as usize);
        self
    }
    /// Sets the deepest accepted nesting, clamped to `1..=`[`MAX_DEPTH`].
    #[must_use]
    pub fn with_max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth.clamp(1, MAX_DEPTH);
        self
    }
    /// Sets the most attributes accepted on one element.
    #[must_use]
    pub fn with_max_attributes(mut self, n: usize) -> Self {
        self.max_attributes = n;
        self
    }
    /// Sets the most items accepted in one JSON array.
    #[must_use]
    pub fn with_max_items(mut self, n: usize) -> Self {
        self.max_items = n;
        self
    }
}

/// How much of a document is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Validation {
    /// The whole document is checked for well-formedness, including the parts no
    /// path needs: an answer is only given for a document that is entirely valid.
    #[default]
    Full,
    /// Read the document by its structure, trusting what no path needs, and
    /// stop as soon as every requested value is known (a `#` path needs its
    /// whole list; nothing after the last value is read).
    ///
    /// On a valid document the values (and their offsets) are exactly those
    /// of `Full`. On an invalid one `Skim` may return values where `Full`
    /// returns an error, or another error; it never panics, never loops,
    /// stays linear in the input, and every value it returns is a slice of
    /// the input.
    ///
    /// What `Skim` still checks:
    /// - the size limit, the encoding (a UTF-16 or UTF-32 byte-order mark is
    ///   refused), and an XML declaration, as in `Full`;
    /// - every value it returns: valid UTF-8; XML character data with its
    ///   references, `]]>` and characters checked as in `Full` (CDATA
    ///   sections and comments inside a value are found by their
    ///   delimiters only), and attribute values with their references and
    ///   characters; JSON strings, numbers and literals as in `Full`; an
    ///   element with children, or a JSON object or array, that it returns
    ///   is checked whole as in `Full`, although it is read by structure;
    /// - the limits: nesting depth (counted in skipped parts too), items of
    ///   a list a path walks, slots;
    /// - a `<!DOCTYPE` anywhere it looks is refused.
    ///
    /// What it trusts (reads by delimiters only, without checking):
    /// - XML: names of elements (compared with the paths only where a path
    ///   goes), end tags (taken to close the innermost open element, names
    ///   not compared), the attributes of elements no path asks about, the
    ///   text between elements, comments and processing instructions, and
    ///   everything inside an element no path needs (skipped by counting
    ///   start and end tags, quoted attribute values stepped over whole);
    ///   nothing after the last value (the end of the root, the epilog);
    /// - JSON: the contents of containers no path needs (brackets and
    ///   strings followed, nothing else checked), numbers no path returns
    ///   (stepped over as a run of the bytes a number is made of), the
    ///   blanks between the members of an object (any byte up to the space
    ///   is taken for one), and everything after the last value.
    Skim,
}

/// What one reading pass takes from [`Options`], flattened once: the readers,
/// the JSON skips and the path engine's selectors each hold a copy. The one
/// internal form of the settings (`Options` is the public one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Settings {
    /// [`Validation::Skim`]: trust what is not returned.
    pub skim: bool,
    /// `Skim` on a document not checked before (not [`Options::checked`]):
    /// a container it returns is checked whole.
    pub check_containers: bool,
    /// Trailing commas refused (JSON).
    pub strict: bool,
    /// [`Limits::max_depth`].
    pub max_depth: usize,
    /// [`Limits::max_attributes`] (XML).
    pub max_attributes: usize,
}

impl Settings {
    /// `Full`, trailing commas accepted, `max_depth` deep, no attribute limit
    /// (for skips that are given only a depth budget).
    pub const fn full(max_depth: usize) -> Self {
        Settings {
            skim: false,
            check_containers: false,
            strict: false,
            max_depth,
            max_attributes: usize::MAX,
        }
    }
}

/// Options for reading and extracting: limits, validation mode, JSON strictness.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    pub(crate) limits: Limits,
    pub(crate) validation: Validation,
    pub(crate) strict: bool,
    /// The input is (a part of) a document checked whole before: the typed
    /// view's second reads. `Skim` then checks no container it returns.
    pub(crate) checked: bool,
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `checked` is the crate's own: not a setting a caller can make.
        f.debug_struct("Options")
            .field("limits", &self.limits)
            .field("validation", &self.validation)
            .field("strict", &self.strict)
            .finish()
    }
}

impl Options {
    /// The defaults: [`Limits::default`], [`Validation::Full`], trailing commas accepted.
    pub fn new() -> Self {
        Self::default()
    }

    /// These options as a reading pass holds them.
    pub(crate) fn settings(&self) -> Settings {
        Settings {
            skim: self.validation == Validation::Skim,
            check_containers: self.validation == Validation::Skim && !self.checked,
            strict: self.strict,
            max_depth: self.limits.max_depth(),
            max_attributes: self.limits.max_attributes(),
        }
    }
    /// Sets the limits.
    ///
    /// # Examples
    /// ```
    /// use wanxiang::{Limits, Options};
    /// let o = Options::new().with_limits(Limits::new().with_max_depth(8));
    /// assert_eq!(o.get_limits().max_depth(), 8);
    /// ```
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
    /// Sets the validation mode.
    ///
    /// # Examples
    /// ```
    /// use wanxiang::{Options, Validation};
    /// assert_eq!(Options::new().with_validation(Validation::Skim).get_validation(), Validation::Skim);
    /// ```
    #[must_use]
    pub fn with_validation(mut self, validation: Validation) -> Self {
        if validation == Validation::Skim {
            // `Skim` skips containers by the block masks where the CPU has
            // AVX2; the skip itself never detects the level (detection
            // reads the environment, which may allocate), so choose it now.
            crate::simd::level::level();
        }
        self.validation = validation;
        self
    }
    /// Rejects JSON trailing commas (`[1,]`, `{"a":1,}`) with
    /// [`ErrorKind::TrailingComma`](crate::ErrorKind::TrailingComma) when
    /// `true`. Off by default because Tencent's own examples contain them.
    ///
    /// # Examples
    /// ```
    /// use wanxiang::{ErrorKind, Hit, Options, PathSet};
    /// let paths = PathSet::compile(["a"])?;
    /// let strict = Options::new().with_strict(true);
    /// let e = paths.extract_with(b"[1,]", &strict, &mut [Hit::EMPTY; 2]).unwrap_err();
    /// assert_eq!(e.kind(), ErrorKind::TrailingComma);
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    #[must_use]
    pub fn with_strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Sets the limits: the same as [`with_limits`](Options::with_limits).
    #[must_use]
    pub fn limits(self, limits: Limits) -> Self {
        self.with_limits(limits)
    }
    /// Sets the validation mode: the same as [`with_validation`](Options::with_validation).
    #[must_use]
    pub fn validation(self, validation: Validation) -> Self {
        self.with_validation(validation)
    }
    /// Sets JSON strictness: the same as [`with_strict`](Options::with_strict).
    #[must_use]
    pub fn strict(self, strict: bool) -> Self {
        self.with_strict(strict)
    }

    /// The limits in force.
    pub fn get_limits(&self) -> Limits {
        self.limits
    }
    /// The validation mode in force.
    pub fn get_validation(&self) -> Validation {
        self.validation
    }
    /// Whether trailing commas are rejected.
    pub fn is_strict(&self) -> bool {
        self.strict
    }
}
