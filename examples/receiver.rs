//! A webhook receiver for Tencent Cloud Infinite job callbacks.
//!
//! `POST /callback` with an XML or JSON callback body answers
//! - `200 {"ok":true,"format":"xml","jobs":N,"tasks":M}` and logs one line per
//!   job (and per workflow task) to stderr;
//! - `400 {"ok":false,"error":"…","kind":"…","offset":…,"line":…,"column":…}`
//!   for a body that is not a well-formed callback, with the error's position;
//! - `413` for a body over the limit (checked on `Content-Length` before any
//!   byte is read, and while reading a chunked body);
//! - `404` for another path, `405` for another method.
//!
//! The body arrives as `bytes::Bytes` and is parsed with
//! [`wanxiang::OwnedCallback`], which keeps it without copying: the job fields
//! logged are slices of it.
//!
//! ```text
//! cargo run --example receiver -- [PORT] [BODY_LIMIT_BYTES]
//! WANXIANG_PORT=8080 WANXIANG_BODY_LIMIT=1048576 cargo run --example receiver
//! curl -sS --data-binary @corpus/xml/valid/seed.xml http://127.0.0.1:8080/callback
//! ```
//! It binds to 127.0.0.1 only; port 0 picks a free one. The first line on
//! stdout is `listening on http://127.0.0.1:PORT`, so a script can read it.
//! The defaults are port 8080 and a 1 MiB body limit.
//!
//! `tests/receiver.rs` includes this file as a module and runs [`serve`] in
//! process.

use std::convert::Infallible;
use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, ALLOW, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use wanxiang::{Error, JobField, OwnedCallback, TaskField};

/// Server settings.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// Largest accepted body, in bytes.
    pub body_limit: usize,
    /// Log one line per job and task to stderr.
    pub log_jobs: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            body_limit: 1 << 20,
            log_jobs: true,
        }
    }
}

/// What the server answered, counted (for tests and a shutdown summary).
#[derive(Debug, Default)]
pub struct Stats {
    /// 200 answers.
    pub ok: AtomicU64,
    /// 400 answers.
    pub bad: AtomicU64,
    /// 413 answers.
    pub too_large: AtomicU64,
    /// 404 and 405 answers.
    pub other: AtomicU64,
    /// Jobs and tasks in the accepted callbacks.
    pub jobs: AtomicU64,
}

/// Accepts connections on `listener` forever, one task per connection
/// (HTTP/1.1 with keep-alive).
pub async fn serve(listener: TcpListener, config: Config, stats: Arc<Stats>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _peer)) => stream,
            Err(e) => {
                // Out of file descriptors and the like: wait, do not spin.
                eprintln!("receiver: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let stats = stats.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(req, config, stats.clone()));
            let served = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(Duration::from_secs(30))
                .serve_connection(TokioIo::new(stream), service)
                .await;
            if let Err(e) = served {
                if !e.is_incomplete_message() {
                    eprintln!("receiver: connection error: {e}");
                }
            }
        });
    }
}

/// Answers one request.
pub async fn handle(
    req: Request<Incoming>,
    config: Config,
    stats: Arc<Stats>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    if req.uri().path() != "/callback" {
        stats.other.fetch_add(1, Ordering::Relaxed);
        return Ok(json(
            StatusCode::NOT_FOUND,
            r#"{"ok":false,"error":"not found (expected POST /callback)"}"#.into(),
        ));
    }
    if req.method() != Method::POST {
        stats.other.fetch_add(1, Ordering::Relaxed);
        let mut res = json(
            StatusCode::METHOD_NOT_ALLOWED,
            r#"{"ok":false,"error":"method not allowed (expected POST)"}"#.into(),
        );
        res.headers_mut()
            .insert(ALLOW, HeaderValue::from_static("POST"));
        return Ok(res);
    }
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > config.body_limit as u64) {
        return Ok(too_large(&config, &stats));
    }
    let body = match Limited::new(req.into_body(), config.body_limit)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.is::<LengthLimitError>() => return Ok(too_large(&config, &stats)),
        Err(e) => {
            stats.bad.fetch_add(1, Ordering::Relaxed);
            let mut text = String::from(r#"{"ok":false,"error":"unreadable body: "#);
            escape_into(&mut text, &e.to_string());
            text.push_str("\"}");
            return Ok(json(StatusCode::BAD_REQUEST, text));
        }
    };
    match OwnedCallback::parse(body) {
        Ok(callback) => {
            let (jobs, tasks) = (callback.job_count(), callback.task_count());
            if config.log_jobs {
                log(&callback);
            }
            stats.ok.fetch_add(1, Ordering::Relaxed);
            stats
                .jobs
                .fetch_add((jobs + tasks) as u64, Ordering::Relaxed);
            Ok(json(
                StatusCode::OK,
                format!(
                    r#"{{"ok":true,"format":"{}","jobs":{jobs},"tasks":{tasks}}}"#,
                    callback.format().as_str()
                ),
            ))
        }
        Err(e) => {
            stats.bad.fetch_add(1, Ordering::Relaxed);
            Ok(json(StatusCode::BAD_REQUEST, error_body(&e)))
        }
    }
}

fn too_large(config: &Config, stats: &Stats) -> Response<Full<Bytes>> {
    stats.too_large.fetch_add(1, Ordering::Relaxed);
    json(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            r#"{{"ok":false,"error":"body too large (limit {} bytes)"}}"#,
            config.body_limit
        ),
    )
}

/// `{"ok":false,"error":…,"kind":…,"offset":…,"line":…,"column":…}`.
pub fn error_body(e: &Error) -> String {
    let mut text = String::from(r#"{"ok":false,"error":""#);
    escape_into(&mut text, &e.to_string());
    let kind = format!("{:?}", e.kind());
    let kind = kind.split([' ', '{', '(']).next().unwrap_or("");
    let _ = write!(
        text,
        r#"","kind":"{kind}","offset":{},"line":{},"column":{}}}"#,
        e.offset(),
        e.line(),
        e.column()
    );
    text
}

/// One line per job and per workflow task, written in one call each.
fn log(callback: &OwnedCallback) {
    let event = callback
        .event()
        .map_or_else(|| "-".to_string(), |e| e.to_string());
    let text = |t: Option<wanxiang::Text<'_>>| t.map_or_else(|| "-".to_string(), |t| t.to_string());
    let mut lines = String::new();
    for job in callback.jobs() {
        let _ = writeln!(
            lines,
            "callback {} {event} job {} id={} tag={} state={} code={}",
            callback.format().as_str(),
            job.index(),
            text(job.text(JobField::JobId)),
            text(job.text(JobField::Tag)),
            text(job.text(JobField::State)),
            text(job.text(JobField::Code)),
        );
    }
    for task in callback.tasks() {
        let _ = writeln!(
            lines,
            "callback {} {event} task {} id={} name={} state={} code={}",
            callback.format().as_str(),
            task.index(),
            text(task.text(TaskField::JobId)),
            text(task.text(TaskField::Name)),
            text(task.text(TaskField::State)),
            text(task.text(TaskField::Code)),
        );
    }
    if lines.is_empty() {
        let _ = writeln!(
            lines,
            "callback {} {event} (no jobs)",
            callback.format().as_str()
        );
    }
    let _ = std::io::stderr().lock().write_all(lines.as_bytes());
}

fn json(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    let mut res = Response::new(Full::new(Bytes::from(body)));
    *res.status_mut() = status;
    res.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res
}

/// Appends `s` as the inside of a JSON string.
fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// `[PORT] [BODY_LIMIT]` from the arguments, else `WANXIANG_PORT` and
/// `WANXIANG_BODY_LIMIT`, else 8080 and 1 MiB.
fn settings() -> Result<(u16, Config), String> {
    let mut args = std::env::args().skip(1);
    let arg = |given: Option<String>, var: &str| given.or_else(|| std::env::var(var).ok());
    let port = match arg(args.next(), "WANXIANG_PORT") {
        Some(p) => p.parse().map_err(|_| format!("bad port {p:?}"))?,
        None => 8080,
    };
    let mut config = Config::default();
    if let Some(l) = arg(args.next(), "WANXIANG_BODY_LIMIT") {
        config.body_limit = l.parse().map_err(|_| format!("bad body limit {l:?}"))?;
    }
    Ok((port, config))
}

fn main() {
    let (port, config) = match settings() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("receiver: {e}\nusage: receiver [PORT] [BODY_LIMIT_BYTES]");
            std::process::exit(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| {
            eprintln!("receiver: no runtime: {e}");
            std::process::exit(1);
        });
    runtime.block_on(async {
        let listener = match TcpListener::bind(("127.0.0.1", port)).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("receiver: cannot bind 127.0.0.1:{port}: {e}");
                std::process::exit(1);
            }
        };
        match listener.local_addr() {
            Ok(addr) => println!("listening on http://{addr}"),
            Err(e) => eprintln!("receiver: {e}"),
        }
        let _ = std::io::stdout().flush();
        serve(listener, config, Arc::new(Stats::default())).await;
    });
}
