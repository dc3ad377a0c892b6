//! `Serialize` for values, errors and owned callbacks (the `serde` feature);
//! the typed view's impls are in `callback::ser`.

use core::fmt;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::callback::ser::callback;
use crate::{
    Error, ErrorKind, Format, OwnedCallback, OwnedJob, OwnedTask, OwnedWorkflow, Text, Timestamp,
};

/// The decoded value as a string: the slice itself when it needs no
/// decoding, otherwise decoded on the fly through `collect_str` (serde_json
/// writes it straight to its output).
impl Serialize for Text<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.as_str() {
            Some(s) => serializer.serialize_str(s),
            None => serializer.collect_str(self),
        }
    }
}

/// An RFC 3339 string with the offset the time was written with
/// (`"2022-07-25T16:35:39+08:00"`), as `Display` gives.
impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// `"xml"` or `"json"`.
impl Serialize for Format {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The stable name ([`ErrorKind::name`]), such as `"bad_escape"`.
impl Serialize for ErrorKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// A struct `Error` of five fields: `kind` (the stable [`ErrorKind::name`]),
/// `message` (the kind's `Display` text, without the position), `offset`,
/// `line` and `column`.
///
/// # Examples
/// ```
/// let e = wanxiang::Callback::parse(b"{\"a\": tru}").unwrap_err();
/// assert_eq!(
///     serde_json::to_string(&e).unwrap(),
///     r#"{"kind":"bad_literal","message":"invalid literal (expected true, false or null)","offset":6,"line":1,"column":7}"#
/// );
/// ```
impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Error", 5)?;
        s.serialize_field("kind", self.kind().name())?;
        s.serialize_field("message", &Displayed(self.kind()))?;
        s.serialize_field("offset", &self.offset())?;
        s.serialize_field("line", &self.line())?;
        s.serialize_field("column", &self.column())?;
        s.end()
    }
}

/// A `Display` value written as a string with `collect_str`.
struct Displayed<T>(T);

impl<T: fmt::Display> Serialize for Displayed<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

/// The same output as [`Callback`](crate::Callback)'s (the jobs come from the
/// stored table, not a walk).
impl Serialize for OwnedCallback {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        callback(
            serializer,
            self.view().event_name(),
            self.jobs(),
            self.workflow(),
        )
    }
}

/// `Serialize` for owned items: as their views' (`OwnedJob` as `Job`, …).
macro_rules! as_view {
    ($($owned:ident),*) => {$(
        #[doc = concat!("As [`", stringify!($owned), "::view`]'s.")]
        impl Serialize for $owned {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.view().serialize(serializer)
            }
        }
    )*};
}

as_view!(OwnedJob, OwnedTask, OwnedWorkflow);
