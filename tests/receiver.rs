//! The webhook receiver (`examples/receiver.rs`), run in process on a loopback
//! port and driven by a raw HTTP/1.1 client over `std::net::TcpStream`:
//! every corpus document gets its status (200 valid, 400 invalid with the
//! error's kind and offset, 413 oversize), and a bounded concurrent load
//! (10 000 requests over 16 keep-alive connections) loses nothing.

#[path = "../examples/receiver.rs"]
#[allow(dead_code)] // the example's `main` and `settings` are not used here
mod receiver;

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use receiver::{Config, Stats};
use serde_json::Value;
use support::*;
use wanxiang::OwnedCallback;

/// A receiver running on its own runtime; dropped at the end of the test.
struct Server {
    addr: SocketAddr,
    stats: Arc<Stats>,
    _runtime: tokio::runtime::Runtime,
}

fn start(config: Config) -> Server {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let stats = Arc::new(Stats::default());
    runtime.spawn(receiver::serve(listener, config, stats.clone()));
    Server {
        addr,
        stats,
        _runtime: runtime,
    }
}

/// A keep-alive HTTP/1.1 connection.
struct Client {
    writer: TcpStream,
    reader: BufReader<TcpStream>,
}

impl Client {
    fn connect(addr: SocketAddr) -> Client {
        let s = TcpStream::connect(addr).unwrap();
        s.set_nodelay(true).unwrap();
        // The test stops by itself even if the server hangs.
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        Client {
            reader: BufReader::new(s.try_clone().unwrap()),
            writer: s,
        }
    }

    /// Sends `head` (request line and headers, without the blank line) and
    /// `body`, and reads the response: status and body.
    fn send(&mut self, head: &str, body: &[u8]) -> (u16, String) {
        let mut req = format!("{head}\r\nHost: localhost\r\n\r\n").into_bytes();
        req.extend_from_slice(body);
        self.writer.write_all(&req).unwrap();
        self.response()
    }

    fn post(&mut self, path: &str, body: &[u8]) -> (u16, String) {
        let head = format!(
            "POST {path} HTTP/1.1\r\nContent-Type: application/octet-stream\r\nContent-Length: {}",
            body.len()
        );
        self.send(&head, body)
    }

    fn response(&mut self) -> (u16, String) {
        let mut line = String::new();
        self.reader.read_line(&mut line).unwrap();
        let status: u16 = line
            .split(' ')
            .nth(1)
            .unwrap_or_else(|| panic!("status line {line:?}"))
            .parse()
            .unwrap();
        let mut len = 0;
        loop {
            let mut h = String::new();
            self.reader.read_line(&mut h).unwrap();
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
        self.reader.read_exact(&mut body).unwrap();
        (status, String::from_utf8(body).unwrap())
    }
}

fn quiet() -> Config {
    Config {
        log_jobs: false,
        ..Config::default()
    }
}

/// Valid documents: 200 with the callback's job and task counts. Invalid ones:
/// 400 with the `.expected` kind and offset (or 200 for the strict-only ones,
/// since the receiver uses the default options). All over one connection.
#[test]
fn every_corpus_document_gets_its_status() {
    let server = start(Config::default()); // logs one line per job to stderr
    let mut client = Client::connect(server.addr);
    let valid = valid_documents();
    for doc in &valid {
        let body = std::fs::read(doc).unwrap();
        let local = OwnedCallback::parse(body.clone().into()).unwrap();
        let (status, text) = client.post("/callback", &body);
        assert_eq!(status, 200, "{}: {text}", doc.display());
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["ok"], true);
        assert_eq!(v["jobs"], local.job_count(), "{}", doc.display());
        assert_eq!(v["tasks"], local.task_count(), "{}", doc.display());
        assert_eq!(v["format"], local.format().as_str());
    }
    let invalid = invalid_documents();
    let mut strict_only = 0;
    for doc in &invalid {
        let body = std::fs::read(doc).unwrap();
        // A regression being added may not have its `.expected` yet: then
        // only the status is checked.
        let expected = std::fs::read_to_string(expected_of(doc)).unwrap_or_default();
        let mut words = expected.split_whitespace();
        let (kind, offset) = (words.next(), words.next());
        let (status, text) = client.post("/callback", &body);
        if words.next() == Some("strict") {
            assert_eq!(status, 200, "{}: {text}", doc.display());
            strict_only += 1;
            continue;
        }
        assert_eq!(status, 400, "{}: {text}", doc.display());
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["ok"], false);
        if let (Some(kind), Some(offset)) = (kind, offset) {
            assert_eq!(v["kind"], kind, "{}: {text}", doc.display());
            assert_eq!(v["offset"].to_string(), offset, "{}: {text}", doc.display());
        }
        assert!(v["line"].as_u64().unwrap() >= 1 && v["column"].as_u64().unwrap() >= 1);
    }
    let s = &server.stats;
    assert_eq!(
        s.ok.load(Ordering::Relaxed) as usize,
        valid.len() + strict_only
    );
    assert_eq!(
        s.bad.load(Ordering::Relaxed) as usize,
        invalid.len() - strict_only
    );
}

/// Over the limit is 413, whether the length is declared (answered before
/// the body is sent) or the body is chunked; exactly at the limit is read.
/// Other paths and methods get 404 and 405.
#[test]
fn oversize_bodies_get_413_and_other_requests_their_status() {
    let limit = 4096;
    let server = start(Config {
        body_limit: limit,
        ..quiet()
    });
    let seed = std::fs::read(corpus().join("json/valid/seed.json")).unwrap();
    let mut at_limit = seed.clone();
    at_limit.resize(limit, b' ');
    let mut client = Client::connect(server.addr);
    assert_eq!(client.post("/callback", &at_limit).0, 200);
    let mut over = at_limit.clone();
    over.push(b'\n');
    // Declared length over the limit: only the head is sent, 413 comes back.
    let head = format!("POST /callback HTTP/1.1\r\nContent-Length: {}", over.len());
    let (status, text) = Client::connect(server.addr).send(&head, b"");
    assert_eq!(status, 413, "{text}");
    assert!(text.contains("too large"));
    // A chunked body that grows over the limit.
    let mut chunked = Vec::new();
    for part in over.chunks(1000) {
        chunked.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        chunked.extend_from_slice(part);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let head = "POST /callback HTTP/1.1\r\nTransfer-Encoding: chunked";
    assert_eq!(Client::connect(server.addr).send(head, &chunked).0, 413);
    // The same chunked encoding under the limit is read.
    let mut chunked = Vec::new();
    for part in seed.chunks(100) {
        chunked.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        chunked.extend_from_slice(part);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    assert_eq!(client.send(head, &chunked).0, 200);
    assert_eq!(client.post("/other", b"{}").0, 404);
    assert_eq!(client.send("GET /callback HTTP/1.1", b"").0, 405);
    assert_eq!(server.stats.too_large.load(Ordering::Relaxed), 2);
}

/// 10 000 requests over 16 keep-alive connections, every corpus document in
/// turn: every one is answered 200 with its job count, and the server counted
/// every request and job. Prints requests/s (not asserted).
#[test]
fn bounded_concurrent_load_loses_nothing() {
    const CONNECTIONS: usize = 16;
    const REQUESTS: usize = 10_000;
    let server = start(Config::default());
    let bodies: Arc<Vec<(Vec<u8>, usize, usize)>> = Arc::new(
        valid_documents()
            .iter()
            .map(|d| {
                let body = std::fs::read(d).unwrap();
                let cb = OwnedCallback::parse(body.clone().into()).unwrap();
                (body, cb.job_count(), cb.task_count())
            })
            .collect(),
    );
    let started = Instant::now();
    let workers: Vec<_> = (0..CONNECTIONS)
        .map(|c| {
            let bodies = bodies.clone();
            let addr = server.addr;
            std::thread::spawn(move || {
                let mut client = Client::connect(addr);
                let (mut answered, mut jobs) = (0u64, 0u64);
                for i in (c..REQUESTS).step_by(CONNECTIONS) {
                    let (body, n_jobs, n_tasks) = &bodies[i % bodies.len()];
                    let (status, text) = client.post("/callback", body);
                    assert_eq!(status, 200, "request {i}: {text}");
                    let counts = format!("\"jobs\":{n_jobs},\"tasks\":{n_tasks}}}");
                    assert!(text.ends_with(&counts), "request {i}: {text}");
                    answered += 1;
                    jobs += (n_jobs + n_tasks) as u64;
                }
                (answered, jobs)
            })
        })
        .collect();
    let (mut answered, mut jobs) = (0, 0);
    for w in workers {
        let (a, j) = w.join().unwrap();
        answered += a;
        jobs += j;
    }
    let elapsed = started.elapsed();
    assert_eq!(answered, REQUESTS as u64);
    assert_eq!(server.stats.ok.load(Ordering::Relaxed), REQUESTS as u64);
    assert_eq!(server.stats.jobs.load(Ordering::Relaxed), jobs);
    assert_eq!(server.stats.bad.load(Ordering::Relaxed), 0);
    println!(
        "receiver load: {REQUESTS} requests over {CONNECTIONS} connections in {:.2} s = {:.0} requests/s ({jobs} jobs logged)",
        elapsed.as_secs_f64(),
        REQUESTS as f64 / elapsed.as_secs_f64()
    );
}
