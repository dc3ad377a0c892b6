//! A borrowed pull reader for JSON (RFC 8259).
//!
//! The input is never modified and needs no padding. Strings come back as the
//! slice between their quotes with a "needs unescaping" flag, numbers as their
//! literal text. Everything is validated: the grammar, every escape (surrogate
//! pairs must pair up), raw control characters, and (in
//! [`Validation::Full`](crate::Validation::Full)) UTF-8 for the whole input, in
//! one pass up front. Open containers are kept as offsets in a fixed array of
//! [`MAX_DEPTH`](crate::MAX_DEPTH): the reader never allocates.
//!
//! The one leniency, on by default because Tencent's own examples need it, is
//! a trailing comma before `}` or `]`; [`Options::strict`](crate::Options::strict)
//! rejects it.
//!
//! # States
//! ```text
//! Start --value--> Done
//!   `{` -> ObjectFirst --key--> Colon --`:`--> Value --value--> AfterValue
//!   `[` -> ArrayFirst  --value--> AfterValue
//! AfterValue --`,`--> KeyAfterComma (object) | AfterComma (array)
//! AfterValue/ObjectFirst/ArrayFirst --`}`/`]`--> AfterValue of the parent, or Done
//! ```
//!
//! # Files
//! - `reader.rs`: the public [`Reader`] and [`Event`], the state machine, and
//!   the token-level interface below;
//! - `lex.rs`: strings and escapes, numbers, literals, the `:` after a key,
//!   the blanks between tokens;
//! - `skip.rs`: skipping a whole value (`Full`, checked with exact errors;
//!   `Skim`, brackets and strings only).
//!
//! # The crate-internal surface
//! What the path engine (`path/select_json.rs`), the typed view (`callback/`),
//! the streams and the SIMD probe use, besides the public items:
//! - `Next`: what `Reader::seek` found after the separators;
//! - `Tok`: a token of `Reader::next_token` (offsets into the input);
//! - `Reader::{blank, begin}`: building a reader in steps;
//! - `Reader::{seek, next_token, value_here, skip, skip_here, past_value}`:
//!   stepping through the document;
//! - `prepare`: the input checks before the first token, with this reader's
//!   first-error rule;
//! - `string`, `number`, `literal`: one checked token at an offset;
//!   `after_key`: the `:` after a key; `scalar` (and its `Scalar`): any of the
//!   three;
//! - `skip_full`: a checked skip of one value; `skim_container`: the `Skim`
//!   skip of a container; `skim_bytes`: that skip without the block masks
//!   (its definition).

mod lex;
mod reader;
mod skip;

pub use reader::{Event, Reader};

pub(crate) use lex::{after_key, literal, number, number_items, scalar, string};
pub(crate) use reader::{prepare, Next, Tok};
pub(crate) use skip::{skim_bytes, skim_container, skip_full, structural, structural_mask};

#[cfg(test)]
mod tests;
