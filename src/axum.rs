//! axum integration (feature `axum`): [`OwnedCallback`] as an extractor, and
//! errors as JSON responses.
//!
//! With the feature on, a handler takes an [`OwnedCallback`] argument: the
//! body is read under a size limit, checked and indexed before the handler
//! runs, and a body that is not a well-formed callback never reaches it. The
//! client gets a JSON answer instead:
//!
//! | status | when | `error` |
//! |---|---|---|
//! | 400 Bad Request | the body is not a well-formed callback | the [`ErrorKind::name`] of the error (`unexpected_byte`, `unclosed_element`, …) |
//! | 413 Payload Too Large | the body is longer than the limit | `size_limit` |
//! | 400 Bad Request | the body could not be read (a body error from a layer, a broken chunked encoding) | `unreadable_body` |
//!
//! ```json
//! {"error":"bad_escape","message":"invalid escape (…) at line 3, column 17 (byte 42)","offset":42,"line":3,"column":17}
//! ```
//!
//! `offset` is the byte offset of the failing construct in the body, `line`
//! and `column` its 1-based position (the column counts bytes). For
//! `size_limit`, `offset` is the limit (the first byte that did not fit) and
//! `line` and `column` are `null`, because the body was not read that far;
//! the object also has `"limit": N`. For `unreadable_body` the three are `null`.
//! The `error` names are stable; `message` is for people and may change.
//!
//! # The body limit
//! The limit is [`Limits::max_input`](crate::Limits::max_input) of the
//! [`Options`] found in the request's extensions, and of
//! [`Options::default`] (16 MiB) when there are none. Set it for a router
//! with axum's `Extension` layer:
//! `.layer(Extension(Options::new().limits(Limits::default().with_max_input(1 << 20))))`.
//! The same options are used to parse (validation mode, strictness, the other
//! limits).
//!
//! The limit is enforced before and while reading: a `Content-Length` over it
//! is answered 413 without reading a byte of the body, and a body without one
//! (chunked) is read only up to the limit. The body is kept as received (one
//! chunk is not copied; several are gathered once) and never copied again.
//!
//! axum's own `DefaultBodyLimit` (2 MB unless changed) is **not** applied:
//! it belongs to axum's `Bytes`/`String`/`Json` extractors, and this extractor
//! reads the raw body itself so that a client over the limit gets this JSON
//! 413 with the limit in it, not axum's plain-text one. `DefaultBodyLimit`
//! layers neither raise nor lower this limit; use the `Options` extension.
//! A body-limiting layer that runs before the handler, such as tower-http's
//! `RequestBodyLimitLayer`, still answers with its own response when it
//! rejects a declared length before the extractor runs; when it cuts a
//! chunked body short, this extractor answers 413 `size_limit` too (with the
//! limit this extractor knows).
//!
//! # Answering differently
//! Take `Result<OwnedCallback, CallbackRejection>` to see the rejection in
//! the handler (to log it, count it, or answer another way);
//! [`CallbackRejection::status`] and [`CallbackRejection::to_json`] give
//! the parts of the default answer. [`Error`] is an `IntoResponse` too (400,
//! or 413 for [`ErrorKind::SizeLimit`]), so a handler that parses by itself
//! can return `Result<_, wanxiang::Error>`.
//!
//! # Examples
//! ```no_run
//! use axum::{routing::post, Extension, Router};
//! use wanxiang::{Limits, OwnedCallback, Options};
//!
//! async fn callback(cb: OwnedCallback) -> String {
//!     // Only well-formed callbacks get here; the rest got a 400 or 413 JSON answer.
//!     for job in cb.jobs() {
//!         let view = job.view();
//!         println!("{:?} {:?}", view.job_id(), view.state());
//!     }
//!     format!("{} jobs\n", cb.job_count())
//! }
//!
//! let app = Router::new()
//!     .route("/callback", post(callback))
//!     .layer(Extension(Options::new().limits(Limits::default().with_max_input(1 << 20))));
//! let runtime = tokio::runtime::Runtime::new()?;
//! runtime.block_on(async {
//!     let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//!     axum::serve(listener, app).await
//! })?;
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! The extractor alone, on a request built by hand:
//! ```
//! use axum::body::Body;
//! use axum::extract::{FromRequest, Request};
//! use axum::response::IntoResponse;
//! use wanxiang::axum::CallbackRejection;
//! use wanxiang::OwnedCallback;
//!
//! let runtime = tokio::runtime::Builder::new_current_thread().build()?;
//! runtime.block_on(async {
//!     let ok = Request::new(Body::from(r#"{"JobsDetail": [{"JobId": "j1"}]}"#));
//!     let cb = OwnedCallback::from_request(ok, &()).await.unwrap();
//!     assert_eq!(cb.job_count(), 1);
//!
//!     let bad = Request::new(Body::from("{\"JobsDetail\": [}"));
//!     let rejection: CallbackRejection = OwnedCallback::from_request(bad, &()).await.unwrap_err();
//!     assert_eq!(rejection.status(), 400);
//!     assert!(rejection.to_json().starts_with(r#"{"error":"unexpected_byte","#));
//!     assert!(rejection.to_json().ends_with(r#","offset":16,"line":1,"column":17}"#));
//!     let response = rejection.into_response();
//!     assert_eq!(response.headers()["content-type"], "application/json");
//! });
//! # Ok::<(), std::io::Error>(())
//! ```

use alloc::string::{String, ToString};
use core::fmt::{self, Write as _};

use axum_core::body::Body;
use axum_core::extract::{FromRequest, Request};
use axum_core::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};
use http::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use http::StatusCode;
use http_body_util::BodyExt as _;

use crate::{Error, ErrorKind, Options, OwnedCallback};

/// Why [`OwnedCallback`] was not extracted; answers as a JSON response (see
/// the [module documentation](self) for the statuses and the body).
#[derive(Debug)]
#[non_exhaustive]
pub enum CallbackRejection {
    /// The body is not a well-formed callback: 400 (413 for
    /// [`ErrorKind::SizeLimit`]).
    Invalid(Error),
    /// The body is longer than `limit` bytes: 413.
    TooLarge {
        /// The limit in force, in bytes.
        limit: usize,
    },
    /// The body could not be read: 400.
    Unreadable(axum_core::Error),
}

impl CallbackRejection {
    /// The status of the answer: 400 or 413.
    pub fn status(&self) -> StatusCode {
        match self {
            CallbackRejection::Invalid(e) if e.kind() == ErrorKind::SizeLimit => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            CallbackRejection::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            CallbackRejection::Invalid(_) | CallbackRejection::Unreadable(_) => {
                StatusCode::BAD_REQUEST
            }
        }
    }

    /// The body of the answer: one JSON object with `error`, `message`,
    /// `offset`, `line` and `column` (and `limit` for a body over the limit).
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(160);
        let (name, offset, at) = match self {
            CallbackRejection::Invalid(e) => (
                e.kind().name(),
                Some(e.offset()),
                Some((e.line(), e.column())),
            ),
            CallbackRejection::TooLarge { limit } => {
                (ErrorKind::SizeLimit.name(), Some(*limit), None)
            }
            CallbackRejection::Unreadable(_) => ("unreadable_body", None, None),
        };
        out.push_str("{\"error\":\"");
        push_json_str(&mut out, name);
        out.push_str("\",\"message\":\"");
        push_json_str(&mut out, &self.to_string());
        out.push_str("\",\"offset\":");
        // Writing to a `String` cannot fail.
        let _ = match offset {
            Some(offset) => write!(out, "{offset}"),
            None => out.write_str("null"),
        };
        let _ = match at {
            Some((line, column)) => write!(out, ",\"line\":{line},\"column\":{column}"),
            None => out.write_str(",\"line\":null,\"column\":null"),
        };
        if let CallbackRejection::TooLarge { limit } = self {
            let _ = write!(out, ",\"limit\":{limit}");
        }
        out.push('}');
        out
    }
}

impl fmt::Display for CallbackRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallbackRejection::Invalid(e) => write!(f, "{e}"),
            CallbackRejection::TooLarge { limit } => {
                write!(f, "request body too large (limit {limit} bytes)")
            }
            CallbackRejection::Unreadable(e) => write!(f, "cannot read the request body: {e}"),
        }
    }
}

impl std::error::Error for CallbackRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CallbackRejection::Invalid(e) => Some(e),
            CallbackRejection::TooLarge { .. } => None,
            CallbackRejection::Unreadable(e) => Some(e),
        }
    }
}

impl From<Error> for CallbackRejection {
    fn from(e: Error) -> Self {
        CallbackRejection::Invalid(e)
    }
}

impl IntoResponse for CallbackRejection {
    /// [`status`](CallbackRejection::status) with
    /// [`to_json`](CallbackRejection::to_json) as an `application/json` body.
    fn into_response(self) -> Response {
        let mut response = Response::new(Body::from(self.to_json()));
        *response.status_mut() = self.status();
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        response
    }
}

impl IntoResponse for Error {
    /// As [`CallbackRejection::Invalid`]: 400 (413 for
    /// [`ErrorKind::SizeLimit`]) with the error as JSON.
    fn into_response(self) -> Response {
        CallbackRejection::Invalid(self).into_response()
    }
}

impl<S: Send + Sync> FromRequest<S> for OwnedCallback {
    type Rejection = CallbackRejection;

    /// Reads the body under the limit (see [the module
    /// documentation](crate::axum#the-body-limit)) and parses it with the
    /// [`Options`] of the request's extensions, or the defaults.
    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let options = req
            .extensions()
            .get::<Options>()
            .copied()
            .unwrap_or_default();
        let limit = options.get_limits().max_input();
        let declared = req
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(CallbackRejection::TooLarge { limit });
        }
        let body = read_limited(req.into_body(), limit, declared).await?;
        Ok(OwnedCallback::parse_with(body, &options)?)
    }
}

/// The whole body, or `TooLarge` as soon as it passes `limit` bytes. One
/// chunk is returned as it is; several are gathered into one buffer, sized
/// by `declared` when the client gave a length.
async fn read_limited(
    mut body: Body,
    limit: usize,
    declared: Option<u64>,
) -> Result<Bytes, CallbackRejection> {
    let mut first: Option<Bytes> = None;
    let mut gathered = BytesMut::new();
    let mut len = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            if is_length_limit(&e) {
                CallbackRejection::TooLarge { limit }
            } else {
                CallbackRejection::Unreadable(e)
            }
        })?;
        let Ok(chunk) = frame.into_data() else {
            continue; // trailers
        };
        len = len.saturating_add(chunk.len());
        if len > limit {
            return Err(CallbackRejection::TooLarge { limit });
        }
        if chunk.is_empty() {
            continue;
        }
        match first.take() {
            None if gathered.is_empty() => first = Some(chunk),
            held => {
                if gathered.is_empty() {
                    let size = declared.map_or(0, |n| n as usize).max(len);
                    gathered.reserve(size);
                }
                if let Some(held) = held {
                    gathered.extend_from_slice(&held);
                }
                gathered.extend_from_slice(&chunk);
            }
        }
    }
    Ok(match first {
        Some(only) => only,
        None => gathered.freeze(),
    })
}

/// Whether a body error is `http_body_util::Limited` refusing more bytes (a
/// limiting layer below this extractor).
fn is_length_limit(e: &axum_core::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if s.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = s.source();
    }
    false
}

/// Appends `s` as the inside of a JSON string (RFC 8259 §7): `"` and `\`
/// escaped, control characters as `\n`-style or `\u00XX` escapes, the rest
/// as it is (the output is UTF-8).
fn push_json_str(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn escaping_round_trips_through_a_json_parser() {
        let mut every_control: String = (0u32..0x20).filter_map(char::from_u32).collect();
        every_control.push('\u{7f}');
        let cases = [
            "",
            "plain",
            "quote \" and backslash \\ and slash /",
            "\\\"\\\"",
            "\u{0}nul",
            every_control.as_str(),
            "数据万象 \u{2028}\u{2029} 😀",
            "ends with backslash \\",
        ];
        for case in cases {
            let mut out = String::from("\"");
            push_json_str(&mut out, case);
            out.push('"');
            let back: String = serde_json::from_str(&out).unwrap();
            assert_eq!(back, case, "{out}");
            // Nothing raw below U+0020 is left.
            assert!(out.chars().all(|c| c as u32 >= 0x20), "{out:?}");
        }
    }

    fn parse(json: &str) -> serde_json::Value {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
    }

    #[test]
    fn invalid_documents_answer_400_with_kind_and_position() {
        let body = b"<a>\n  <b>\"x\"</c></a>";
        let e = OwnedCallback::parse(Bytes::from_static(body)).unwrap_err();
        let r = CallbackRejection::from(e);
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let v = parse(&r.to_json());
        assert_eq!(v["error"], "mismatched_end_tag");
        assert_eq!(v["offset"], e.offset());
        assert_eq!(v["line"], 2);
        assert_eq!(v["column"], e.column());
        assert_eq!(v["message"], e.to_string());
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        assert_eq!(keys.len(), 5, "{keys:?}");
    }

    #[test]
    fn too_large_answers_413_with_the_limit() {
        let r = CallbackRejection::TooLarge { limit: 1024 };
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let v = parse(&r.to_json());
        assert_eq!(v["error"], "size_limit");
        assert_eq!(v["offset"], 1024);
        assert_eq!(v["limit"], 1024);
        assert!(v["line"].is_null() && v["column"].is_null());
        assert!(v["message"].as_str().unwrap().contains("1024 bytes"));
        // A parser's own size error is a 413 too.
        let e = Error::at(ErrorKind::SizeLimit, 3, b"abcd");
        assert_eq!(
            CallbackRejection::from(e).status(),
            StatusCode::PAYLOAD_TOO_LARGE
        );
    }

    #[test]
    fn unreadable_answers_400_without_position() {
        let r = CallbackRejection::Unreadable(axum_core::Error::new("connection reset \"x\""));
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let v = parse(&r.to_json());
        assert_eq!(v["error"], "unreadable_body");
        assert_eq!(
            v["message"],
            "cannot read the request body: connection reset \"x\""
        );
        assert!(v["offset"].is_null() && v["line"].is_null() && v["column"].is_null());
    }
}
