//! The one error type of the crate.
//!
//! Every failure, whatever the format or layer, is an [`Error`]: a matchable
//! [`ErrorKind`], the byte offset of the construct that failed, and the 1-based
//! line and column of that offset. The hot path only tracks offsets; line and
//! column are computed once, in a cold constructor, when the error is made.
//!
//! Offsets point at the first byte of the failing construct. For constructs that
//! are never closed (a string, a comment, an element, …) that is the byte that
//! opened them, which is where a person has to look.

use core::fmt;

/// Declares [`ErrorKind`] from one list, so that the enum, the names, the
/// descriptions and [`UNIT_KINDS`] cannot drift apart: each kind with its doc,
/// then `= "stable_name", "description";`. The payload-free kinds come in two
/// `units` groups; the two kinds that carry data have fixed places
/// (`UnexpectedByte` between the groups, `Value` last).
macro_rules! error_kinds {
    (
        units { $($(#[$a:meta])* $unit_a:ident = $name_a:literal, $text_a:literal;)* }
        $(#[$u:meta])* UnexpectedByte { $($field:tt)* } = $name_u:literal, $text_u:literal;
        units { $($(#[$b:meta])* $unit_b:ident = $name_b:literal, $text_b:literal;)* }
        $(#[$v:meta])* Value($value:ty);
    ) => {
        /// What went wrong. Public and matchable; new kinds may be added.
        #[non_exhaustive]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorKind {
            $($(#[$a])* $unit_a,)*
            $(#[$u])* UnexpectedByte { $($field)* },
            $($(#[$b])* $unit_b,)*
            $(#[$v])* Value($value),
        }

        /// Every kind without data, in the order declared.
        pub(crate) const UNIT_KINDS: &[ErrorKind] = &[$(ErrorKind::$unit_a,)* $(ErrorKind::$unit_b,)*];

        impl ErrorKind {
            /// The stable name and the description.
            fn texts(self) -> (&'static str, &'static str) {
                match self {
                    $(ErrorKind::$unit_a => ($name_a, $text_a),)*
                    ErrorKind::UnexpectedByte { .. } => ($name_u, $text_u),
                    $(ErrorKind::$unit_b => ($name_b, $text_b),)*
                    ErrorKind::Value(kind) => (kind.name(), kind.description()),
                }
            }
        }
    };
}

error_kinds! {
    units {
        // ---- both formats -------------------------------------------------
        /// The input holds no document: it is empty or only whitespace.
        Empty = "empty", "empty document (expected `<` or a JSON value)";
        /// The bytes are not valid UTF-8 (overlong, surrogate, truncated, or stray byte).
        InvalidUtf8 = "invalid_utf8", "invalid UTF-8";
        /// The input ended inside a construct that has no more specific kind.
        UnexpectedEof = "unexpected_eof", "unexpected end of input";
        /// Non-whitespace data after the JSON value.
        TrailingData = "trailing_data", "trailing data after the document (expected end of input)";
        /// Nesting deeper than [`Limits::max_depth`](crate::Limits::max_depth).
        DepthLimit = "depth_limit", "nesting too deep (depth limit exceeded)";
        /// The input is longer than [`Limits::max_input`](crate::Limits::max_input).
        SizeLimit = "size_limit", "document too large (size limit exceeded)";
        /// More attributes on one element than [`Limits::max_attributes`](crate::Limits::max_attributes).
        AttributeLimit = "attribute_limit", "too many attributes (attribute limit exceeded)";
        /// More items in one list than [`Limits::max_items`](crate::Limits::max_items).
        ItemLimit = "item_limit", "too many items in one list (item limit exceeded)";
        /// The caller's output slots are too few for the values found. The error
        /// has no position; [`Error::needed`] says how many slots the document needs.
        Capacity = "capacity", "output slots full";

        // ---- XML (XML 1.0 fifth edition) ------------------------------------
        /// A `<!DOCTYPE` declaration: DTDs are never processed (no entity expansion, no external resources).
        Doctype = "doctype", "DOCTYPE is not allowed (no DTD processing)";
        /// A malformed `<?xml …?>` declaration, or one that is not at the very start (XML 1.0 §2.8).
        BadDeclaration = "bad_declaration",
            "malformed or misplaced XML declaration (expected `<?xml version=\"1.x\" …?>` at the start)";
        /// An `encoding=` other than UTF-8 (or a UTF-16 byte-order mark).
        UnsupportedEncoding = "unsupported_encoding", "unsupported encoding (expected UTF-8)";
        /// A name was expected but the bytes there are not a valid XML `Name` (§2.3).
        BadName = "bad_name", "invalid name (expected an XML name)";
        /// A character outside the XML `Char` production (§2.2): NUL, most C0 controls, U+FFFE, U+FFFF.
        IllegalChar = "illegal_char", "character not allowed in XML";
        /// A character reference that is malformed or names no legal `Char` (§4.1).
        BadCharRef = "bad_char_ref", "invalid character reference";
        /// An entity reference to anything but `lt`, `gt`, `amp`, `apos`, `quot` (no DTD declares others).
        UnknownEntity = "unknown_entity",
            "unknown entity (expected one of &lt; &gt; &amp; &apos; &quot; or a character reference)";
        /// A `&` that does not start a well-formed reference.
        BadEntityRef = "bad_entity_ref",
            "malformed reference (expected `&name;` or `&#…;`; write `&amp;` for `&`)";
        /// The sequence `]]>` in character data (§2.4).
        CdataEndInText = "cdata_end_in_text", "`]]>` is not allowed in text";
        /// `--` inside a comment (§2.5).
        BadComment = "bad_comment", "`--` is not allowed inside a comment";
        /// `<!` followed by something other than a comment, CDATA section or DOCTYPE.
        BadMarkup = "bad_markup", "unknown markup after `<!` (expected `<!--` or `<![CDATA[`)";
        /// A literal `<` inside an attribute value (§3.1, WFC: No < in Attribute Values).
        LtInAttribute = "lt_in_attribute", "`<` is not allowed in an attribute value";
        /// The same attribute name twice on one element (§3.1, WFC: Unique Att Spec).
        DuplicateAttribute = "duplicate_attribute", "duplicate attribute";
        /// An attribute that is not `Name Eq "value"`, or attributes not separated by whitespace.
        BadAttribute = "bad_attribute", "malformed attribute (expected name=\"value\")";
        /// An end tag whose name differs from the open element's (§3, WFC: Element Type Match).
        MismatchedEndTag = "mismatched_end_tag", "end tag does not match the open element";
        /// An end tag with no open element.
        UnexpectedEndTag = "unexpected_end_tag", "end tag with no open element";
        /// A second top-level element.
        MultipleRoots = "multiple_roots", "second root element (expected one root)";
        /// Character data (other than whitespace) before or after the root element.
        TextOutsideRoot = "text_outside_root", "text outside the root element";
        /// The document has no root element.
        NoRoot = "no_root", "no root element";
        /// A comment that is never closed by `-->`.
        UnclosedComment = "unclosed_comment", "unclosed comment (expected `-->`)";
        /// A CDATA section that is never closed by `]]>`.
        UnclosedCdata = "unclosed_cdata", "unclosed CDATA section (expected `]]>`)";
        /// A processing instruction (or declaration) that is never closed by `?>`.
        UnclosedPi = "unclosed_pi", "unclosed processing instruction (expected `?>`)";
        /// A start or end tag that is never closed by `>`.
        UnclosedTag = "unclosed_tag", "unclosed tag (expected `>`)";
        /// An attribute value whose quote is never closed.
        UnclosedAttribute = "unclosed_attribute",
            "unclosed attribute value (expected closing quote)";
        /// The input ended with this element still open.
        UnclosedElement = "unclosed_element", "unclosed element (expected its end tag)";
    }

    // ---- JSON (RFC 8259) ----------------------------------------------
    /// A byte that cannot appear here; `expected` says what could.
    UnexpectedByte {
        /// What the grammar allows at this point.
        expected: &'static str,
    } = "unexpected_byte", "unexpected character";
    units {
        /// A backslash escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`.
        BadEscape = "bad_escape",
            "invalid escape (expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)";
        /// A `\u` escape of a lone or inverted UTF-16 surrogate.
        BadSurrogate = "bad_surrogate", "lone or inverted surrogate escape";
        /// A raw control character (U+0000 to U+001F) inside a string.
        ControlInString = "control_in_string",
            "raw control character in string (expected an escape)";
        /// A number that does not follow the RFC 8259 grammar (leading zero, missing digits, …).
        BadNumber = "bad_number", "invalid number";
        /// A misspelled `true`, `false` or `null`.
        BadLiteral = "bad_literal", "invalid literal (expected true, false or null)";
        /// A comma before `}` or `]` while trailing commas are rejected ([`Options::strict`](crate::Options::strict)).
        TrailingComma = "trailing_comma", "trailing comma (rejected in strict mode)";
        /// A string that is never closed.
        UnclosedString = "unclosed_string", "unclosed string (expected `\"`)";
        /// An object that is never closed.
        UnclosedObject = "unclosed_object", "unclosed object (expected `}`)";
        /// An array that is never closed.
        UnclosedArray = "unclosed_array", "unclosed array (expected `]`)";

        // ---- paths ----------------------------------------------------------
        /// A path that does not follow the path grammar; the offset is into the path text.
        /// A selector (`#` or an index) follows a name, or leads the path (it then
        /// picks items of a top-level JSON array); an `@name` attribute comes last,
        /// never after a leading selector.
        BadPath = "bad_path",
            "invalid path (expected `[SEL.]name[.SEL][.name[.SEL]]…[.@attr]`, SEL being `#` or an index; a leading SEL picks items of a top-level JSON array)";
        /// More paths in one set than [`MAX_PATHS`](crate::path::MAX_PATHS), or a path with more steps than
        /// [`MAX_STEPS`](crate::path::MAX_STEPS).
        PathLimit = "path_limit", "too many paths or steps";
    }

    // ---- typed values -----------------------------------------------------
    /// A field of a well-formed document whose text is not a value of its type
    /// (a timestamp, a `JobLevel`); the document's other fields stay readable.
    Value(ValueErrorKind);
}

/// The broad class of an [`ErrorKind`], for callers that only need to know what to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// The bytes break the grammar: the document is not well-formed XML or valid JSON.
    Syntax,
    /// The document stops in the middle; more bytes might have made it valid.
    Eof,
    /// The document is well-formed but uses something this crate refuses by policy
    /// (a DOCTYPE, a non-UTF-8 encoding, a trailing comma in strict mode).
    Policy,
    /// A configured limit was exceeded.
    Limit,
    /// The caller's output storage is full.
    Capacity,
    /// A path (selector) is malformed or too large.
    Path,
    /// The document is fine, but a field's text is not a value of its type.
    Value,
}

impl ErrorKind {
    /// The broad class of this kind.
    pub fn category(self) -> Category {
        use ErrorKind::*;
        match self {
            Empty | UnexpectedEof | NoRoot | UnclosedComment | UnclosedCdata | UnclosedPi
            | UnclosedTag | UnclosedAttribute | UnclosedElement | UnclosedString
            | UnclosedObject | UnclosedArray => Category::Eof,
            Doctype | UnsupportedEncoding | TrailingComma => Category::Policy,
            DepthLimit | SizeLimit | AttributeLimit | ItemLimit => Category::Limit,
            Capacity => Category::Capacity,
            BadPath | PathLimit => Category::Path,
            Value(_) => Category::Value,
            _ => Category::Syntax,
        }
    }

    /// A stable machine-readable name: the variant's name in `snake_case`
    /// (`"bad_escape"`, `"unexpected_byte"`, `"depth_limit"`), and for
    /// [`ErrorKind::Value`] `value_` followed by the [`ValueErrorKind`]'s
    /// name (`"value_day"`).
    ///
    /// Unlike [`description`](ErrorKind::description) and `Display`, which may be
    /// reworded, a name never changes once released, so logs, metrics and
    /// JSON error bodies can key on it. Data carried by a kind (the `expected`
    /// text of [`UnexpectedByte`](ErrorKind::UnexpectedByte)) is not part of the name.
    ///
    /// # Examples
    /// ```
    /// use wanxiang::{ErrorKind, Hit, PathSet, Timestamp};
    /// let paths = PathSet::compile(["a"])?;
    /// let e = paths.extract(br#"{"a": "\q"}"#, &mut [Hit::EMPTY; 4]).unwrap_err();
    /// assert_eq!(e.kind().name(), "bad_escape");
    /// assert_eq!(ErrorKind::UnexpectedByte { expected: "`:`" }.name(), "unexpected_byte");
    /// let e = Timestamp::parse("2023-02-29T00:00:00+0800").unwrap_err();
    /// assert_eq!(e.kind().name(), "value_day");
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    pub fn name(self) -> &'static str {
        self.texts().0
    }

    /// A short lower-case description, as used by `Display`.
    pub fn description(self) -> &'static str {
        self.texts().1
    }
}

/// An error with its kind and position.
///
/// `offset` counts bytes from the start of the document (or of the path text for
/// [`Category::Path`] errors). `line` and `column` are 1-based; the column counts
/// **bytes**, not characters, from the start of the line. A
/// [`Capacity`](ErrorKind::Capacity) error is about the caller's storage, not
/// the document: it has no position (offset, line and column are 0) and
/// carries the number of slots needed instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Error {
    kind: ErrorKind,
    offset: usize,
    line: u32,
    column: u32,
    /// Slots the document needs (`Capacity` only).
    needed: usize,
}

impl Error {
    /// Builds an error for `kind` at `offset` in `input`, computing line and column.
    ///
    /// Errors are rare, so this runs out of line and pays for the newline count
    /// here rather than tracking lines on the hot path.
    #[cold]
    #[inline(never)]
    pub fn at(kind: ErrorKind, offset: usize, input: &[u8]) -> Error {
        let offset = offset.min(input.len());
        let before = input.get(..offset).unwrap_or(input);
        let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
        let lines = memchr::memchr_iter(b'\n', before).count();
        Error {
            kind,
            offset,
            line: u32::try_from(lines.saturating_add(1)).unwrap_or(u32::MAX),
            column: u32::try_from(offset - line_start + 1).unwrap_or(u32::MAX),
            needed: 0,
        }
    }

    /// A [`Capacity`](ErrorKind::Capacity) error: the document needs `needed`
    /// output slots. It has no position.
    #[cold]
    #[inline(never)]
    pub(crate) fn capacity(needed: usize) -> Error {
        Error {
            kind: ErrorKind::Capacity,
            offset: 0,
            line: 0,
            column: 0,
            needed,
        }
    }

    /// For a [`Capacity`](ErrorKind::Capacity) error, how many output slots
    /// the document needs (every value found, counted to the end); `None` for
    /// every other kind.
    ///
    /// # Examples
    /// ```
    /// use wanxiang::{ErrorKind, Hit, PathSet};
    /// let set = PathSet::compile(["A.#"])?;
    /// let mut slots = [Hit::EMPTY; 2];
    /// let e = set.extract(br#"{"A": [1, 2, 3]}"#, &mut slots).unwrap_err();
    /// assert_eq!((e.kind(), e.needed()), (ErrorKind::Capacity, Some(3)));
    /// assert_eq!(e.to_string(), "output slots full (3 needed)");
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    pub fn needed(&self) -> Option<usize> {
        (self.kind == ErrorKind::Capacity).then_some(self.needed)
    }

    /// The kind of error, for matching.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The broad class of the error.
    pub fn category(&self) -> Category {
        self.kind.category()
    }

    /// Byte offset of the failing construct from the start of the document
    /// (0 for a [`Capacity`](ErrorKind::Capacity) error, which has no position).
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// 1-based line of [`offset`](Error::offset) (0 when there is no position).
    pub fn line(&self) -> u32 {
        self.line
    }

    /// 1-based column of [`offset`](Error::offset), in bytes (0 when there is no position).
    pub fn column(&self) -> u32 {
        self.column
    }
}

impl fmt::Display for ErrorKind {
    /// The description, with what was expected where the kind carries it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let ErrorKind::Value(kind) = self {
            return write!(f, "{kind}");
        }
        f.write_str(self.description())?;
        if let ErrorKind::UnexpectedByte { expected } = self {
            write!(f, " (expected {expected})")?;
        }
        Ok(())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(needed) = self.needed() {
            return write!(f, "{} ({needed} needed)", self.kind);
        }
        write!(
            f,
            "{} at line {}, column {} (byte {})",
            self.kind, self.line, self.column, self.offset
        )
    }
}

impl core::error::Error for Error {}

/// What is wrong with a typed value.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueErrorKind {
    /// A timestamp that does not follow any of the three layouts.
    Syntax {
        /// What the layout has at this point.
        expected: &'static str,
    },
    /// A month outside 01–12.
    Month,
    /// A day that does not exist in its month (`02-29` outside leap years, `04-31`, `00`).
    Day,
    /// An hour outside 00–23.
    Hour,
    /// A minute outside 00–59.
    Minute,
    /// A second outside 00–59 (leap seconds are not accepted).
    Second,
    /// A UTC offset beyond ±23:59, or with minutes above 59.
    Offset,
    /// A count (`JobLevel`) that is not a non-negative integer fitting in `u32`.
    Number,
}

impl ValueErrorKind {
    /// A stable machine-readable name, `value_` and the variant's name in
    /// `snake_case` (`"value_syntax"`, `"value_day"`, `"value_number"`); it is
    /// what [`ErrorKind::name`] gives for [`ErrorKind::Value`] and never changes
    /// once released.
    ///
    /// # Examples
    /// ```
    /// use wanxiang::ValueErrorKind;
    /// assert_eq!(ValueErrorKind::Offset.name(), "value_offset");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ValueErrorKind::Syntax { .. } => "value_syntax",
            ValueErrorKind::Month => "value_month",
            ValueErrorKind::Day => "value_day",
            ValueErrorKind::Hour => "value_hour",
            ValueErrorKind::Minute => "value_minute",
            ValueErrorKind::Second => "value_second",
            ValueErrorKind::Offset => "value_offset",
            ValueErrorKind::Number => "value_number",
        }
    }

    /// A short lower-case description, as used by `Display`.
    pub fn description(self) -> &'static str {
        match self {
            ValueErrorKind::Syntax { .. } => "malformed timestamp",
            ValueErrorKind::Month => "timestamp month out of range (expected 01 to 12)",
            ValueErrorKind::Day => "timestamp day out of range (expected a day of that month)",
            ValueErrorKind::Hour => "timestamp hour out of range (expected 00 to 23)",
            ValueErrorKind::Minute => "timestamp minute out of range (expected 00 to 59)",
            ValueErrorKind::Second => "timestamp second out of range (expected 00 to 59)",
            ValueErrorKind::Offset => {
                "timestamp UTC offset out of range (expected -23:59 to +23:59)"
            }
            ValueErrorKind::Number => "invalid number (expected digits only)",
        }
    }
}

impl fmt::Display for ValueErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())?;
        if let ValueErrorKind::Syntax { expected } = self {
            write!(f, " (expected {expected})")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_bytes() {
        let input = b"ab\ncd\r\nef";
        let e = Error::at(ErrorKind::BadName, 8, input);
        assert_eq!((e.line(), e.column(), e.offset()), (3, 2, 8));
        let e = Error::at(ErrorKind::BadName, 0, input);
        assert_eq!((e.line(), e.column()), (1, 1));
        let e = Error::at(ErrorKind::BadName, 2, input);
        assert_eq!((e.line(), e.column()), (1, 3));
        // An offset past the end is clamped to the end.
        let e = Error::at(ErrorKind::UnexpectedEof, 99, input);
        assert_eq!((e.offset(), e.line(), e.column()), (9, 3, 3));
    }

    #[test]
    fn names_are_unique_snake_case() {
        // Every kind the crate builds (one per variant is enough: the name
        // ignores payloads), and the one value kind a `Fail` never carries.
        let mut kinds = alloc::vec::Vec::new();
        let syntax = ErrorKind::Value(ValueErrorKind::Syntax { expected: "x" });
        for kind in crate::scan::KINDS.iter().copied().chain([syntax]) {
            let same = |k: &ErrorKind| core::mem::discriminant(k) == core::mem::discriminant(&kind);
            if !matches!(kind, ErrorKind::Value(_)) && kinds.iter().any(same) {
                continue;
            }
            kinds.push(kind);
        }
        let mut seen = alloc::vec::Vec::new();
        for kind in kinds {
            let name = kind.name();
            // The name is the Debug variant name in snake_case (Value: `value_` + inner).
            let dbg = alloc::format!("{kind:?}");
            let mut want = alloc::string::String::new();
            let variant: alloc::string::String = dbg
                .split(['(', ')', ' '])
                .take(if dbg.starts_with("Value(") { 2 } else { 1 })
                .collect::<alloc::vec::Vec<_>>()
                .join("_");
            for (i, c) in variant.chars().enumerate() {
                if c.is_ascii_uppercase() {
                    if i > 0 && !want.ends_with('_') {
                        want.push('_');
                    }
                    want.push(c.to_ascii_lowercase());
                } else {
                    want.push(c);
                }
            }
            assert_eq!(name, want, "{kind:?}");
            assert!(!seen.contains(&name), "{name} twice");
            seen.push(name);
        }
    }

    #[test]
    fn display_is_lower_case_with_position() {
        let e = Error::at(
            ErrorKind::UnexpectedByte { expected: "`:`" },
            5,
            b"{\"a\" 1}",
        );
        let s = alloc::format!("{e}");
        assert_eq!(
            s,
            "unexpected character (expected `:`) at line 1, column 6 (byte 5)"
        );
    }
}
