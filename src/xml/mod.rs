//! A borrowed pull reader for XML 1.0 (fifth edition) documents.
//!
//! [`Reader::next`] yields [`Event`]s whose names and values are slices of the
//! caller's buffer. Comments, processing instructions and the `<?xml …?>`
//! declaration are checked and skipped; a `<!DOCTYPE` is an error (no DTD is
//! ever read, so no entity expansion and nothing external). Open elements are
//! kept in a fixed array of [`MAX_DEPTH`](crate::MAX_DEPTH) offsets: the reader
//! never allocates.
//!
//! # What is checked (XML 1.0 section in brackets)
//! - matching end tags [§3 WFC Element Type Match], one root element, only
//!   whitespace, comments and PIs outside it [§2.1];
//! - every character is a `Char` [§2.2] and the input is UTF-8 [§4.3.3];
//! - names [§2.3], attributes: `Name Eq AttValue`, whitespace between them,
//!   no `<` in values, no duplicates [§3.1];
//! - references: the five predefined entities and character references to a
//!   legal `Char` [§4.1, §4.6]; no `]]>` in text [§2.4]; no `--` in comments
//!   [§2.5]; PI targets other than `xml` [§2.6]; terminated CDATA [§2.7];
//! - the declaration's `version`, `encoding` (UTF-8 only) and `standalone` [§2.8].
//!
//! # States
//! ```text
//!  Prolog --root start tag--> Content --root end tag--> Epilog --end of input--> done
//!    |  (root is <x/>) ---------------------------------^
//! ```
//! In `Prolog` and `Epilog` only whitespace, comments and PIs may appear.
//!
//! # Files
//! - `reader.rs`: the public [`Reader`], [`Event`], [`Tag`], [`Attribute`] and
//!   [`Attributes`], and the token-level interface below;
//! - `lex.rs`: names, runs of character data, references, character checks;
//! - `markup.rs`: tags and attributes, comments, PIs, CDATA, the declaration
//!   and the refusal of `<!DOCTYPE`;
//! - `skip.rs`: skipping the rest of an element (`Full` and `Skim`).
//!
//! # The crate-internal surface
//! What the path engine (`path/select_xml.rs`), the typed view
//! (`callback/`) and the streams use, besides the public items:
//! - `Reader::next_token` and its `Tok` (offsets into the input), inside `xml/`;
//! - `Step`: the kind of token `Reader::step` read (its offsets stay in the
//!   reader: `Reader::{token_start, name_end}` and `offset`);
//! - `Content`: what `Reader::leaf` found after a start tag;
//! - `Reader::{blank, begin, start}`: building a reader in steps;
//! - `Reader::{next_token, step, step_in_content, leaf, skip, finish}`:
//!   stepping through the document;
//! - `Reader::{input, str}`: the input, and a checked range of it as `&str`;
//! - `next_attr`: steps over one attribute of a checked attribute area;
//! - `find_byte`: the first given byte at or after an offset;
//! - `text_from`: a run of text checked as the reader checks it (the
//!   values `Skim` extraction returns);
//! - `attribute_chars`: an attribute value checked as the reader checks
//!   it (the reader's own loop; the attribute values `Skim` returns);
//! - `check_element`: an element checked whole as the reader checks it
//!   (the elements `Skim` returns);
//! - `skim`: reading by structure alone (`Lts`, the `<` finder; `root`,
//!   `start_tag`, `markup`, `skip`, `plain_end`; `next_child`, `past_child`
//!   and `end_tag_end` over slices of a checked document).

mod lex;
mod markup;
mod reader;
pub(crate) mod skim;
mod skip;

pub use reader::{Attribute, Attributes, Event, Reader, Tag};

pub(crate) use lex::{find_byte, text_from};
pub(crate) use markup::attribute_chars;
pub(crate) use reader::{check_element, next_attr, Content, Step};

#[cfg(test)]
mod tests;
