//! The axum webhook receiver (`examples/receiver.rs`), run in process on a
//! loopback port and driven by real HTTP/1.1 clients: hyper-util's pooled
//! client (keep-alive), hyper's connection-level client for the load, and raw
//! HTTP/1.1 over `std::net::TcpStream` for what a client library will not
//! send (a broken chunked encoding). Every corpus document gets its status
//! (200 valid, 400 invalid with the error's kind and position as JSON, 413
//! over the limit as JSON), and 10 000 requests over 16 keep-alive
//! connections lose nothing.
//!
//! Needs the `axum` feature: `cargo test --features axum --test receiver`.
//! Quiet on success; `WANXIANG_VERBOSE=1` (or `--nocapture`) shows the load's
//! latency percentiles.

#[path = "../examples/receiver.rs"]
#[allow(dead_code)] // the example's `main` and `settings` are not used here
mod receiver;

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, Request, StatusCode};
use axum::routing::post;
use axum::serve::ListenerExt as _;
use axum::{Extension, Router};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use receiver::{Config, Stats};
use serde_json::Value;
use support::*;
use tokio::runtime::Runtime;
use wanxiang::{Options, OwnedCallback};

/// A receiver running on its own runtime; dropped at the end of the test.
struct Server {
    addr: SocketAddr,
    stats: Arc<Stats>,
    runtime: Runtime,
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// The example's own `serve`, with `config`.
fn start(config: Config) -> Server {
    let runtime = runtime();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let stats = Arc::new(Stats::default());
    runtime.spawn(receiver::serve(listener, config, stats.clone()));
    Server {
        addr,
        stats,
        runtime,
    }
}

/// `router` (built on the example's `app`) served on a fresh port.
fn start_router(router: Router, stats: Arc<Stats>) -> Server {
    let runtime = runtime();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let counter = stats.clone();
    let listener = listener.tap_io(move |_| {
        counter.connections.fetch_add(1, Ordering::Relaxed);
    });
    runtime.spawn(async move { axum::serve(listener, router).await });
    Server {
        addr,
        stats,
        runtime,
    }
}

fn quiet() -> Config {
    Config {
        log_jobs: false,
        ..Config::default()
    }
}

/// hyper-util's pooled client: HTTP/1.1, keep-alive.
fn client() -> Client<HttpConnector, Body> {
    Client::builder(TokioExecutor::new()).build_http()
}

/// Sends `body` (with its `Content-Length`) and returns the status and the
/// body of the answer.
async fn request(
    client: &Client<HttpConnector, Body>,
    method: Method,
    url: &str,
    body: Vec<u8>,
) -> (StatusCode, String) {
    let req = Request::builder()
        .method(method)
        .uri(url)
        .header("content-type", "application/octet-stream")
        .body(Body::from(body))
        .unwrap();
    let res = client.request(req).await.unwrap();
    let status = res.status();
    let body = axum::body::to_bytes(Body::new(res.into_body()), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// `BadEscape` (as `.expected` files spell kinds) to `bad_escape` (as
/// `ErrorKind::name` does).
fn snake(kind: &str) -> String {
    let mut out = String::new();
    for (i, c) in kind.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Checks a 413 answer: our JSON, naming the limit.
fn assert_too_large(status: StatusCode, text: &str, limit: usize) {
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
    let v = json(text);
    assert_eq!(v["error"], "size_limit", "{text}");
    assert_eq!(v["limit"], limit, "{text}");
    assert_eq!(v["offset"], limit, "{text}");
    assert!(v["line"].is_null() && v["column"].is_null(), "{text}");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains(&format!("{limit} bytes")),
        "{text}"
    );
}

/// Valid documents: 200 with the callback's job and task counts. Invalid ones:
/// 400 with our JSON error: the kind's name, offset, line and column, as the
/// library reports them locally and as the `.expected` file pins them (or 200
/// for the strict-only ones, since the receiver uses the default options).
/// All through one pooled client, which keeps its connection alive.
#[test]
fn every_corpus_document_gets_its_status() {
    let server = start(Config::default()); // logs one line per job (captured)
    let url = format!("http://{}/callback", server.addr);
    let valid = valid_documents();
    let invalid = invalid_documents();
    assert!(valid.len() >= 10 && invalid.len() >= 10, "corpus missing");
    let strict_only = server.runtime.block_on(async {
        let client = client();
        for doc in &valid {
            let body = std::fs::read(doc).unwrap();
            let local = OwnedCallback::parse(body.clone().into()).unwrap();
            let (status, text) = request(&client, Method::POST, &url, body).await;
            assert_eq!(status, 200, "{}: {text}", doc.display());
            let v = json(&text);
            assert_eq!(v["ok"], true);
            assert_eq!(v["jobs"], local.job_count(), "{}", doc.display());
            assert_eq!(v["tasks"], local.task_count(), "{}", doc.display());
            assert_eq!(v["format"], local.format().as_str());
        }
        let mut strict_only = 0;
        for doc in &invalid {
            let body = std::fs::read(doc).unwrap();
            let expected = std::fs::read_to_string(expected_of(doc))
                .unwrap_or_else(|e| panic!("{}: no .expected: {e}", doc.display()));
            let words: Vec<&str> = expected.split_whitespace().collect();
            let (status, text) = request(&client, Method::POST, &url, body.clone()).await;
            if words.get(2) == Some(&"strict") {
                assert_eq!(status, 200, "{}: {text}", doc.display());
                strict_only += 1;
                continue;
            }
            assert_eq!(status, 400, "{}: {text}", doc.display());
            let v = json(&text);
            let local = OwnedCallback::parse(body.into()).unwrap_err();
            assert_eq!(v["error"], local.kind().name(), "{}", doc.display());
            assert_eq!(v["error"], snake(words[0]), "{}", doc.display());
            assert_eq!(v["offset"].to_string(), words[1], "{}", doc.display());
            assert_eq!(v["line"], local.line(), "{}", doc.display());
            assert_eq!(v["column"], local.column(), "{}", doc.display());
            assert_eq!(v["message"], local.to_string(), "{}", doc.display());
            assert_eq!(v.as_object().unwrap().len(), 5, "{text}");
        }
        strict_only
    });
    let s = &server.stats;
    assert_eq!(
        s.ok.load(Ordering::Relaxed) as usize,
        valid.len() + strict_only
    );
    assert_eq!(
        s.bad.load(Ordering::Relaxed) as usize,
        invalid.len() - strict_only
    );
    // Keep-alive: far fewer connections than requests.
    let connections = s.connections.load(Ordering::Relaxed) as usize;
    assert!(
        connections >= 1 && connections * 10 <= valid.len() + invalid.len(),
        "{connections} connections"
    );
}

/// The seed padded with spaces (valid JSON) to `len` bytes.
fn padded_seed(len: usize) -> Vec<u8> {
    let mut body = std::fs::read(corpus().join("json/valid/seed.json")).unwrap();
    assert!(body.len() <= len);
    body.resize(len, b' ');
    body
}

/// Over the limit is our 413 JSON, whether the length is declared (answered
/// before the body is read) or not; exactly at the limit is read. Other paths
/// and methods get 404 and 405.
#[test]
fn oversize_bodies_get_our_413() {
    let limit = 4096;
    let server = start(Config {
        body_limit: limit,
        ..quiet()
    });
    let base = format!("http://{}", server.addr);
    let url = format!("{base}/callback");
    server.runtime.block_on(async {
        let client = client();
        let (status, text) = request(&client, Method::POST, &url, padded_seed(limit)).await;
        assert_eq!(status, 200, "{text}");
        let (status, text) = request(&client, Method::POST, &url, padded_seed(limit + 1)).await;
        assert_too_large(status, &text, limit);
        let (status, text) = request(&client, Method::POST, &format!("{base}/other"), vec![]).await;
        assert_eq!(status, 404, "{text}");
        assert_eq!(json(&text)["error"], "not_found");
        let (status, _) = request(&client, Method::GET, &url, vec![]).await;
        assert_eq!(status, 405);
    });
    // Chunked (no length declared): over the limit is cut off, under is read.
    let over = padded_seed(limit + 1);
    let (status, text) = raw_chunked(server.addr, &over);
    assert_too_large(status, &text, limit);
    let (status, text) = raw_chunked(server.addr, &padded_seed(limit - 10));
    assert_eq!(status, 200, "{text}");
    assert_eq!(server.stats.too_large.load(Ordering::Relaxed), 2);
    assert_eq!(server.stats.ok.load(Ordering::Relaxed), 2);
}

/// A 3 MB body: with a 1 MiB limit the client gets our 413 JSON (not axum's
/// plain-text one); with the default 16 MiB limit it is read and accepted,
/// because axum's `DefaultBodyLimit` (2 MB, here even lowered to 1 KiB) is
/// not what limits this extractor.
#[test]
fn a_3_mb_body_gets_our_answer_not_axums() {
    let big = padded_seed(3_000_000);
    let limit = 1 << 20;
    let server = start(Config {
        body_limit: limit,
        ..quiet()
    });
    // A declared length over the limit is refused before the body is read.
    // (The headers go first and the answer is read before any body byte is
    // sent: a client still writing 3 MB when the server answers and closes
    // may get a broken pipe instead of the answer, which made this flaky.)
    let headers = format!(
        "POST /callback HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\n\r\n",
        big.len()
    );
    let (status, text) = raw(server.addr, headers.as_bytes());
    assert_too_large(status, &text, limit);
    // The same body chunked, with no length to refuse it early.
    let (status, text) = raw_chunked(server.addr, &big);
    assert_too_large(status, &text, limit);
    assert_eq!(server.stats.too_large.load(Ordering::Relaxed), 2);

    let stats = Arc::new(Stats::default());
    let config = Config {
        body_limit: wanxiang::Limits::default().max_input(),
        ..quiet()
    };
    let router = receiver::app(config, stats.clone()).layer(DefaultBodyLimit::max(1024));
    let server = start_router(router, stats);
    let url = format!("http://{}/callback", server.addr);
    let (status, text) = server
        .runtime
        .block_on(request(&client(), Method::POST, &url, big));
    assert_eq!(status, 200, "{text}");
    assert_eq!(json(&text)["jobs"], 1);
}

/// The `Options` extension is what the extractor parses with: strict mode
/// turns a trailing comma, accepted by default, into a 400 `trailing_comma`.
/// (A router of its own, with the smallest handler.)
#[test]
fn the_options_extension_is_used_for_parsing() {
    async fn jobs(cb: OwnedCallback) -> String {
        cb.job_count().to_string()
    }
    let stats = Arc::new(Stats::default());
    let lenient = Router::new().route("/", post(jobs));
    let strict = Router::new()
        .route("/strict", post(jobs))
        .layer(Extension(Options::new().strict(true)));
    let server = start_router(lenient.merge(strict), stats);
    let body = b"{\"JobsDetail\": [{\"JobId\": \"j1\"},]}".to_vec();
    server.runtime.block_on(async {
        let client = client();
        let url = format!("http://{}/", server.addr);
        let (status, text) = request(&client, Method::POST, &url, body.clone()).await;
        assert_eq!((status.as_u16(), text.as_str()), (200, "1"));
        let url = format!("http://{}/strict", server.addr);
        let (status, text) = request(&client, Method::POST, &url, body).await;
        assert_eq!(status, 400, "{text}");
        let v = json(&text);
        assert_eq!(v["error"], "trailing_comma", "{text}");
        assert_eq!(v["offset"], 31, "{text}"); // the comma
    });
}

/// A body the server cannot read (a broken chunked encoding) is answered 400
/// `unreadable_body` in our JSON, with no position.
#[test]
fn an_unreadable_body_gets_400() {
    let server = start(quiet());
    let head = "POST /callback HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n";
    let (status, text) = raw(
        server.addr,
        format!("{head}5\r\n{{\"a\":zz\r\n0\r\n\r\n").as_bytes(),
    );
    assert_eq!(status, 400, "{text}");
    let v = json(&text);
    assert_eq!(v["error"], "unreadable_body", "{text}");
    assert!(v["offset"].is_null() && v["line"].is_null(), "{text}");
    assert_eq!(server.stats.bad.load(Ordering::Relaxed), 1);
}

/// `body` as a chunked request (1000-byte chunks) over a raw connection.
fn raw_chunked(addr: SocketAddr, body: &[u8]) -> (StatusCode, String) {
    let mut req =
        b"POST /callback HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
            .to_vec();
    for part in body.chunks(1000) {
        req.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        req.extend_from_slice(part);
        req.extend_from_slice(b"\r\n");
    }
    req.extend_from_slice(b"0\r\n\r\n");
    raw(addr, &req)
}

/// Writes `request` on a new connection (from another thread, so that an
/// early answer is read while the server refuses the rest) and reads one
/// response with a `Content-Length`.
fn raw(addr: SocketAddr, request: &[u8]) -> (StatusCode, String) {
    let stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let request = request.to_vec();
    // The server may close before reading everything: the write may fail.
    let sending = std::thread::spawn(move || writer.write_all(&request).is_ok());
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let status: u16 = line
        .split(' ')
        .nth(1)
        .unwrap_or_else(|| panic!("status line {line:?}"))
        .parse()
        .unwrap();
    let mut len = 0;
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).unwrap();
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().unwrap();
            }
        }
    }
    let mut body = vec![0; len];
    reader.read_exact(&mut body).unwrap();
    drop(reader); // closes our side, so a blocked writer returns
    let _ = sending.join();
    (
        StatusCode::from_u16(status).unwrap(),
        String::from_utf8(body).unwrap(),
    )
}

/// 10 000 requests over 16 keep-alive connections (hyper's connection-level
/// client, so the count is exact), every valid corpus document in turn: every
/// one is answered 200 with its job count, the server accepted exactly 16
/// connections and counted every request and job. Latency percentiles are
/// measured but not asserted.
#[test]
fn ten_thousand_requests_over_16_keep_alive_connections() {
    const CONNECTIONS: usize = 16;
    const REQUESTS: usize = 10_000;
    let server = start(quiet());
    let bodies: Arc<Vec<(bytes::Bytes, usize, usize)>> = Arc::new(
        valid_documents()
            .iter()
            .map(|d| {
                let body = bytes::Bytes::from(std::fs::read(d).unwrap());
                let cb = OwnedCallback::parse(body.clone()).unwrap();
                (body, cb.job_count(), cb.task_count())
            })
            .collect(),
    );
    assert!(!bodies.is_empty(), "corpus missing");
    let addr = server.addr;
    let started = Instant::now();
    let results = server.runtime.block_on(async move {
        let workers: Vec<_> = (0..CONNECTIONS)
            .map(|c| {
                let bodies = bodies.clone();
                tokio::spawn(async move {
                    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
                    tcp.set_nodelay(true).unwrap();
                    let (mut sender, conn) =
                        hyper::client::conn::http1::handshake::<_, Body>(TokioIo::new(tcp))
                            .await
                            .unwrap();
                    tokio::spawn(conn);
                    let mut latencies = Vec::new();
                    let mut jobs = 0u64;
                    for i in (c..REQUESTS).step_by(CONNECTIONS) {
                        let (body, n_jobs, n_tasks) = &bodies[i % bodies.len()];
                        let req = Request::post("/callback")
                            .header("host", "localhost")
                            .body(Body::from(body.clone()))
                            .unwrap();
                        let sent = Instant::now();
                        sender.ready().await.unwrap();
                        let res = sender.send_request(req).await.unwrap();
                        let status = res.status();
                        let text = axum::body::to_bytes(Body::new(res.into_body()), usize::MAX)
                            .await
                            .unwrap();
                        latencies.push(sent.elapsed());
                        let text = String::from_utf8_lossy(&text);
                        assert_eq!(status, 200, "request {i}: {text}");
                        let counts = format!("\"jobs\":{n_jobs},\"tasks\":{n_tasks}}}");
                        assert!(text.ends_with(&counts), "request {i}: {text}");
                        jobs += (n_jobs + n_tasks) as u64;
                    }
                    (latencies, jobs)
                })
            })
            .collect();
        let mut results = Vec::new();
        for w in workers {
            results.push(w.await.unwrap());
        }
        results
    });
    let elapsed = started.elapsed();
    let mut latencies: Vec<Duration> = results.iter().flat_map(|r| r.0.clone()).collect();
    let jobs: u64 = results.iter().map(|r| r.1).sum();
    assert_eq!(latencies.len(), REQUESTS);
    let s = &server.stats;
    assert_eq!(s.ok.load(Ordering::Relaxed), REQUESTS as u64);
    assert_eq!(s.jobs.load(Ordering::Relaxed), jobs);
    assert_eq!(s.bad.load(Ordering::Relaxed), 0);
    assert_eq!(s.connections.load(Ordering::Relaxed), CONNECTIONS as u64);
    latencies.sort();
    let pct = |p: usize| latencies[(latencies.len() * p / 100).min(latencies.len() - 1)];
    let report = format!(
        "receiver load: {REQUESTS} requests over {CONNECTIONS} keep-alive connections in {:.2} s \
         ({:.0} requests/s, {jobs} jobs); latency p50 {:?}, p99 {:?}, max {:?}\n",
        elapsed.as_secs_f64(),
        REQUESTS as f64 / elapsed.as_secs_f64(),
        pct(50),
        pct(99),
        latencies[latencies.len() - 1],
    );
    if std::env::var_os("WANXIANG_VERBOSE").is_some_and(|v| v != "0" && !v.is_empty()) {
        // Straight to the process's stderr, past the test harness's capture.
        let _ = std::io::stderr().write_all(report.as_bytes());
    } else {
        print!("{report}"); // shown with `--nocapture`
    }
}
