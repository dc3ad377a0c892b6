//! A webhook receiver for Tencent Cloud Infinite job callbacks, on axum.
//!
//! `POST /callback` with an XML or JSON callback body answers
//! - `200 {"ok":true,"format":"xml","jobs":N,"tasks":M}` and logs one line per
//!   job (and per workflow task) to stderr;
//! - `400 {"error":"<kind>","message":"…","offset":…,"line":…,"column":…}`
//!   for a body that is not a well-formed callback, with the error's position
//!   (the `OwnedCallback` extractor's answer, see `wanxiang::axum`);
//! - `413 {"error":"size_limit",…,"limit":N}` for a body over the limit
//!   (checked on `Content-Length` before any byte is read, and while reading
//!   a chunked body);
//! - `404 {"error":"not_found",…}` for another path, `405` (with
//!   `Allow: POST`) for another method.
//!
//! The body arrives as `bytes::Bytes` and is parsed by the
//! [`wanxiang::OwnedCallback`] extractor, which keeps it without copying: the
//! job fields logged are slices of it.
//!
//! ```text
//! cargo run --features axum --example receiver -- [PORT] [BODY_LIMIT_BYTES]
//! WANXIANG_PORT=8080 WANXIANG_BODY_LIMIT=1048576 cargo run --features axum --example receiver
//! curl -sS --data-binary @corpus/xml/valid/seed.xml http://127.0.0.1:8080/callback
//! ```
//! It binds to 127.0.0.1 only; port 0 picks a free one. The first line on
//! stdout is `listening on http://127.0.0.1:PORT`, so a script can read it.
//! The defaults are port 8080 and a 1 MiB body limit.
//!
//! `tests/receiver.rs` includes this file as a module and runs [`serve`] in
//! process.

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::serve::ListenerExt as _;
use axum::{Extension, Router};
use tokio::net::TcpListener;
use wanxiang::axum::CallbackRejection;
use wanxiang::{JobField, Limits, Options, OwnedCallback, TaskField};

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
    /// Jobs and tasks in the accepted callbacks.
    pub jobs: AtomicU64,
    /// Connections accepted.
    pub connections: AtomicU64,
}

#[derive(Clone)]
struct AppState {
    config: Config,
    stats: Arc<Stats>,
}

/// The routes: `POST /callback`, a JSON 404 for other paths (axum answers
/// 405 with `Allow: POST` for other methods). The body limit is passed to
/// the extractor as an `Options` extension.
pub fn app(config: Config, stats: Arc<Stats>) -> Router {
    let options = Options::new().limits(Limits::default().with_max_input(config.body_limit));
    Router::new()
        .route("/callback", post(callback))
        .fallback(not_found)
        .layer(Extension(options))
        .with_state(AppState { config, stats })
}

/// Serves [`app`] on `listener` until the process ends (HTTP/1.1 with
/// keep-alive; `TCP_NODELAY` on every connection).
pub async fn serve(
    listener: TcpListener,
    config: Config,
    stats: Arc<Stats>,
) -> std::io::Result<()> {
    let counter = stats.clone();
    let listener = listener.tap_io(move |tcp| {
        counter.connections.fetch_add(1, Ordering::Relaxed);
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app(config, stats)).await
}

/// Answers `POST /callback`. Taking the `Result` lets the receiver count the
/// rejections; the answer is the rejection's own JSON response.
async fn callback(
    State(state): State<AppState>,
    callback: Result<OwnedCallback, CallbackRejection>,
) -> Response {
    let stats = &state.stats;
    let callback = match callback {
        Ok(callback) => callback,
        Err(rejection) => {
            let counter = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                &stats.too_large
            } else {
                &stats.bad
            };
            counter.fetch_add(1, Ordering::Relaxed);
            return rejection.into_response();
        }
    };
    let (jobs, tasks) = (callback.job_count(), callback.task_count());
    if state.config.log_jobs {
        log(&callback);
    }
    stats.ok.fetch_add(1, Ordering::Relaxed);
    stats
        .jobs
        .fetch_add((jobs + tasks) as u64, Ordering::Relaxed);
    let format = callback.format().as_str();
    // Written by hand, in this key order (the test reads it as JSON).
    let body = format!(r#"{{"ok":true,"format":"{format}","jobs":{jobs},"tasks":{tasks}}}"#);
    ([("content-type", "application/json")], body).into_response()
}

async fn not_found() -> Response {
    let body = r#"{"error":"not_found","message":"not found (expected POST /callback)"}"#;
    let headers = [("content-type", "application/json")];
    (StatusCode::NOT_FOUND, headers, body).into_response()
}

/// One line per job and per workflow task, written in one call.
fn log(callback: &OwnedCallback) {
    let event = callback
        .event()
        .map_or_else(|| "-".to_string(), |e| e.to_string());
    let text = |t: Option<wanxiang::Text<'_>>| t.map_or_else(|| "-".to_string(), |t| t.to_string());
    let format = callback.format().as_str();
    let mut lines = String::new();
    for job in callback.jobs() {
        let _ = writeln!(
            lines,
            "callback {format} {event} job {} id={} tag={} state={} code={}",
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
            "callback {format} {event} task {} id={} name={} state={} code={}",
            task.index(),
            text(task.text(TaskField::JobId)),
            text(task.text(TaskField::Name)),
            text(task.text(TaskField::State)),
            text(task.text(TaskField::Code)),
        );
    }
    if lines.is_empty() {
        let _ = writeln!(lines, "callback {format} {event} (no jobs)");
    }
    // `eprint!` (not a raw `stderr()` write) so that a test run captures it.
    eprint!("{lines}");
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
        if let Err(e) = serve(listener, config, Arc::new(Stats::default())).await {
            eprintln!("receiver: {e}");
            std::process::exit(1);
        }
    });
}
