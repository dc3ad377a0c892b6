//! `wanxiang`: the command line face of the crate. Argument parsing, I/O and
//! output only; all parsing is the library's.

use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;

use wanxiang::{Error, ErrorKind, Hit, Kind, Limits, Options, PathSet, Validation};

const USAGE: &str = "\
usage: wanxiang extract -f PATH[,PATH...] [OPTIONS] [FILE...]
       wanxiang check [OPTIONS] [FILE...]

  extract   print one JSON line per document:
            {\"source\": ..., \"format\": \"xml\"|\"json\", \"fields\": {PATH: VALUE, ...}}
            VALUE is the decoded string of the first match (null when absent),
            or an array of strings for a path with a `#` step.
  check     validate; print FILE:LINE:COL: error: ... for each bad document

  FILE      a file, or `-` for standard input (the default)

options:
  -f, --fields PATHS   comma-separated paths (repeatable; `\\,` for a literal comma)
      --skim           stop reading a document once every value is known
      --strict         reject JSON trailing commas
      --max-size BYTES largest document accepted (default 16777216)
  -h, --help           this text
  -V, --version        the version

exit status: 0 all documents read, 1 some document failed, 2 usage error";

/// What the command line asked for.
struct Args {
    command: Command,
    paths: Vec<String>,
    files: Vec<String>,
    options: Options,
}

#[derive(PartialEq)]
enum Command {
    Extract,
    Check,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse_args(&args) {
        Ok(None) => ExitCode::SUCCESS,
        Ok(Some(args)) => match run(&args) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("wanxiang: {e}");
                ExitCode::from(1)
            }
        },
        Err(msg) => {
            eprintln!("wanxiang: {msg}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Parses the arguments. `Ok(None)` when help or the version was printed.
fn parse_args(args: &[String]) -> Result<Option<Args>, String> {
    let mut it = args.iter();
    let command = match it.next().map(String::as_str) {
        Some("extract") => Command::Extract,
        Some("check") => Command::Check,
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            return Ok(None);
        }
        Some("-V" | "--version") => {
            println!("wanxiang {}", env!("CARGO_PKG_VERSION"));
            return Ok(None);
        }
        Some(other) => return Err(format!("unknown command `{other}`")),
        None => return Err("no command given".into()),
    };
    let mut paths = Vec::new();
    let mut files = Vec::new();
    let mut validation = Validation::Full;
    let mut strict = false;
    let mut limits = Limits::default();
    let mut only_files = false;
    while let Some(arg) = it.next() {
        if only_files || arg == "-" || !arg.starts_with('-') {
            files.push(arg.clone());
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            match &inline {
                Some(v) => Ok(v.clone()),
                None => it.next().cloned().ok_or(format!("{name} needs a value")),
            }
        };
        match flag {
            "--" => only_files = true,
            "-f" | "--fields" => paths.extend(split_paths(&value(flag)?)),
            f if f.starts_with("-f") && f.len() > 2 => paths.extend(split_paths(&f[2..])),
            "--skim" => validation = Validation::Skim,
            "--strict" => strict = true,
            "--max-size" => {
                let v = value(flag)?;
                let n: usize = v
                    .parse()
                    .map_err(|_| format!("--max-size wants a number of bytes, not `{v}`"))?;
                limits = limits.with_max_input(n);
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(None);
            }
            _ => return Err(format!("unknown option `{arg}`")),
        }
    }
    if command == Command::Extract && paths.is_empty() {
        return Err("extract needs at least one path (-f PATH)".into());
    }
    if command == Command::Check && !paths.is_empty() {
        return Err("check takes no paths".into());
    }
    if files.is_empty() {
        files.push("-".into());
    }
    let options = Options::new()
        .limits(limits)
        .validation(validation)
        .strict(strict);
    Ok(Some(Args {
        command,
        paths,
        files,
        options,
    }))
}

/// Splits `a,b\,c` into `a` and `b,c`.
fn split_paths(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = list.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&',') => {
                chars.next();
                cur.push(',');
            }
            ',' => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out.retain(|s| !s.is_empty());
    out
}

/// Runs the command over every file. `Ok(false)` when some document failed.
fn run(args: &Args) -> io::Result<bool> {
    // Compile each path alone first, so an error can name the path.
    for p in &args.paths {
        if let Err(e) = PathSet::compile([p]) {
            eprintln!(
                "wanxiang: bad path `{p}` at column {}: {}",
                e.column(),
                e.kind()
            );
            std::process::exit(2);
        }
    }
    let set = match PathSet::compile(&args.paths) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("wanxiang: {}", e.kind());
            std::process::exit(2);
        }
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut ok = true;
    let mut line = Vec::new();
    for source in &args.files {
        let body = match read(source, args.options.get_limits().max_input()) {
            Ok(Ok(b)) => b,
            Ok(Err(e)) => {
                report(source, &e);
                ok = false;
                continue;
            }
            Err(e) => {
                eprintln!("{source}: error: cannot read: {e}");
                ok = false;
                continue;
            }
        };
        let mut hits: Vec<Hit<'_>> = Vec::new();
        let result = set.visit(&body, &args.options, |h| hits.push(h));
        match result {
            Ok(format) => {
                if args.command == Command::Extract {
                    line.clear();
                    line.extend_from_slice(b"{\"source\": ");
                    json_str(&mut line, source);
                    line.extend_from_slice(b", \"format\": \"");
                    line.extend_from_slice(format.as_str().as_bytes());
                    line.extend_from_slice(b"\", \"fields\": {");
                    for (i, p) in args.paths.iter().enumerate() {
                        if i > 0 {
                            line.extend_from_slice(b", ");
                        }
                        json_str(&mut line, p);
                        line.extend_from_slice(b": ");
                        let mut of_path = hits.iter().filter(|h| h.path() == i);
                        if set.is_multi(i) {
                            line.push(b'[');
                            for (j, h) in of_path.enumerate() {
                                if j > 0 {
                                    line.extend_from_slice(b", ");
                                }
                                json_value(&mut line, h);
                            }
                            line.push(b']');
                        } else {
                            match of_path.next() {
                                Some(h) => json_value(&mut line, h),
                                None => line.extend_from_slice(b"null"),
                            }
                        }
                    }
                    line.extend_from_slice(b"}}\n");
                    out.write_all(&line)?;
                }
            }
            Err(e) => {
                out.flush()?;
                report(source, &e);
                ok = false;
            }
        }
    }
    out.flush()?;
    Ok(ok)
}

/// Prints `source:line:col: error: what (byte N)` to stderr.
fn report(source: &str, e: &Error) {
    eprintln!(
        "{source}:{}:{}: error: {} (byte {})",
        e.line(),
        e.column(),
        e.kind(),
        e.offset()
    );
}

/// Reads a file (or stdin for `-`), refusing more than `max` bytes without
/// reading them all.
fn read(source: &str, max: usize) -> io::Result<Result<Vec<u8>, Error>> {
    let mut buf = Vec::new();
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    if source == "-" {
        io::stdin().lock().take(limit).read_to_end(&mut buf)?;
    } else {
        let file = std::fs::File::open(source)?;
        if file.metadata()?.len() > max as u64 {
            return Ok(Err(Error::at(ErrorKind::SizeLimit, max, b"")));
        }
        file.take(limit).read_to_end(&mut buf)?;
    }
    if buf.len() > max {
        return Ok(Err(Error::at(ErrorKind::SizeLimit, max, &buf)));
    }
    Ok(Ok(buf))
}

/// Writes one value: JSON `null` for a JSON null, else the decoded text as a string.
fn json_value(out: &mut Vec<u8>, hit: &Hit<'_>) {
    if hit.kind() == Kind::Null {
        out.extend_from_slice(b"null");
        return;
    }
    let text = hit.text();
    match text.as_str() {
        Some(s) => json_str(out, s),
        None => {
            let mut s = String::new();
            text.decode_into(&mut s);
            json_str(out, &s);
        }
    }
}

/// Writes `s` as a JSON string literal (RFC 8259 §7).
fn json_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1F | 0x7F => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[run..i]);
        if esc.is_empty() {
            out.extend_from_slice(format!("\\u{b:04x}").as_bytes());
        } else {
            out.extend_from_slice(esc);
        }
        run = i + 1;
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}
