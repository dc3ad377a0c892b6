//! `wanxiang`: the command line face of the crate. Argument parsing, I/O and
//! output only; all parsing is the library's.

mod bench;
mod input;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use input::Place;

use wanxiang::{
    Callback, Error, Hit, Job, Kind, Limits, Options, PathSet, Task, Text, Timestamp, Validation,
    Workflow,
};

const USAGE: &str = "\
usage: wanxiang extract -f PATH[,PATH...] [OPTIONS] [FILE...]
       wanxiang jobs [OPTIONS] [FILE...]
       wanxiang check [OPTIONS] [FILE...]
       wanxiang bench [-f PATH[,PATH...]] [OPTIONS] [FILE...]

  extract   print one JSON line per document:
            {\"source\": ..., \"format\": \"xml\"|\"json\", \"fields\": {PATH: VALUE, ...}}
            VALUE is the decoded string of the first match (null when absent),
            or an array of strings for a path with a `#` step.
  jobs      print one JSON line per job (JobsDetail item) and per workflow task:
            source, format, event, kind (\"job\"|\"task\"), index, JobId, Tag, State,
            Code, Message, CreationTime, StartTime, EndTime (raw) and
            CreationTimeUnix, StartTimeUnix, EndTimeUnix (seconds), InputObject,
            OutputObject, UserData, QueueId, WorkflowId, RunId, WorkflowName,
            WorkflowNode; null when absent. For a task, Tag is its Type,
            CreationTime its CreateTime, InputObject the workflow's Object.
  check     validate; print FILE:LINE:COL: error: ... and the place in the
            line for each bad document
  bench     measure extraction on your own files: throughput (GB/s,
            documents/s) and the median time per document (paths default to
            the seven of the README's performance table)

  FILE      a file, or `-` for standard input (the default)

options:
  -f, --fields PATHS   comma-separated paths (repeatable; `\\,` for a literal comma)
      --stream         each FILE holds many documents (NDJSON, concatenated JSON
                       or XML), read in bounded memory; output lines gain a
                       \"document\" index and errors say which document
      --skim           stop reading a document once every value is known (extract, bench)
      --strict         reject JSON trailing commas
      --max-size BYTES largest document accepted (default 16777216)
      --rounds N       bench: passes over the documents (default: enough for 1 s)
  -h, --help           this text
  -V, --version        the version

exit status: 0 all documents read, 1 some document failed, 2 usage error";

/// What the command line asked for.
struct Args {
    command: Command,
    paths: Vec<String>,
    files: Vec<String>,
    options: Options,
    stream: bool,
    rounds: Option<u32>,
}

#[derive(PartialEq)]
enum Command {
    Extract,
    Jobs,
    Check,
    Bench,
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
        Some("jobs") => Command::Jobs,
        Some("check") => Command::Check,
        Some("bench") => Command::Bench,
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
    let mut stream = false;
    let mut rounds = None;
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
            "--stream" => stream = true,
            "--rounds" => {
                let v = value(flag)?;
                let n: u32 = v
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or(format!("--rounds wants a positive number, not `{v}`"))?;
                rounds = Some(n);
            }
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
    let takes_paths = matches!(command, Command::Extract | Command::Bench);
    if !takes_paths && !paths.is_empty() {
        return Err(format!("{} takes no paths", command.name()));
    }
    if rounds.is_some() && command != Command::Bench {
        return Err("--rounds only applies to bench".into());
    }
    if !takes_paths && validation == Validation::Skim {
        // The typed view always checks the whole document.
        return Err(format!(
            "--skim only applies to extract and bench, not {}",
            command.name()
        ));
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
        stream,
        rounds,
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

impl Command {
    fn name(&self) -> &'static str {
        match self {
            Command::Extract => "extract",
            Command::Jobs => "jobs",
            Command::Check => "check",
            Command::Bench => "bench",
        }
    }
}

/// Runs the command over every file. `Ok(false)` when some document failed.
fn run(args: &Args) -> io::Result<bool> {
    match args.command {
        Command::Extract => extract(args),
        Command::Jobs | Command::Check => typed(args),
        Command::Bench => bench::run(args),
    }
}

/// Compiles the paths, exiting with status 2 (usage) on a bad one.
fn compile(paths: &[String]) -> PathSet {
    // Compile each path alone first, so an error can name the path.
    for p in paths {
        if let Err(e) = PathSet::compile([p]) {
            eprintln!(
                "wanxiang: bad path `{p}` at column {}: {}",
                e.column(),
                e.kind()
            );
            std::process::exit(2);
        }
    }
    match PathSet::compile(paths) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("wanxiang: {}", e.kind());
            std::process::exit(2);
        }
    }
}

/// Starts an output line: `{"source": …, ["document": N, ]`.
fn begin_line(line: &mut Vec<u8>, place: &Place<'_>) {
    line.clear();
    line.extend_from_slice(b"{\"source\": ");
    json_str(line, place.source);
    if let Some(i) = place.index {
        line.extend_from_slice(format!(", \"document\": {i}").as_bytes());
    }
}

/// `extract`: the fields of every document.
fn extract(args: &Args) -> io::Result<bool> {
    let set = compile(&args.paths);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut line = Vec::new();
    let max = args.options.get_limits().max_input();
    let ok = input::documents(&args.files, args.stream, max, |place, body| {
        let mut hits: Vec<Hit<'_>> = Vec::new();
        let format = match set.visit(body, &args.options, |h| hits.push(h)) {
            Ok(format) => format,
            Err(e) => {
                out.flush()?;
                place.error(&e, None);
                return Ok(false);
            }
        };
        begin_line(&mut line, place);
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
        Ok(true)
    })?;
    out.flush()?;
    Ok(ok)
}

/// `jobs` and `check`: every document through the typed view, which checks
/// the whole document before anything is printed for it.
fn typed(args: &Args) -> io::Result<bool> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut line = Vec::new();
    let max = args.options.get_limits().max_input();
    let ok = input::documents(&args.files, args.stream, max, |place, body| {
        let cb = match Callback::parse_with(body, &args.options) {
            Ok(cb) => cb,
            Err(e) => {
                out.flush()?;
                place.error(&e, Some(body));
                return Ok(false);
            }
        };
        if args.command != Command::Jobs {
            return Ok(true);
        }
        for (index, job) in cb.jobs().enumerate() {
            let record = Record::job(index, &job);
            write_record(&mut line, place, &cb, &record);
            out.write_all(&line)?;
            warn(&mut out, place, &record)?;
        }
        if let Some(wf) = cb.workflow() {
            for (index, task) in wf.tasks().enumerate() {
                let record = Record::task(index, &task, &wf);
                write_record(&mut line, place, &cb, &record);
                out.write_all(&line)?;
                warn(&mut out, place, &record)?;
            }
        }
        Ok(true)
    })?;
    out.flush()?;
    Ok(ok)
}

/// A time as written, and parsed.
type Time<'b> = (Option<Text<'b>>, Result<Option<Timestamp>, Error>);

/// What one `jobs` line says about a job or a workflow task.
struct Record<'b> {
    kind: &'static str,
    index: usize,
    /// `JobId`, `Tag`, `State`, `Code`, `Message`.
    head: [Option<Text<'b>>; 5],
    /// `CreationTime`, `StartTime`, `EndTime`: raw, and parsed.
    times: [Time<'b>; 3],
    /// `InputObject`, `OutputObject`, `UserData`, `QueueId`, `WorkflowId`,
    /// `RunId`, `WorkflowName`, `WorkflowNode`.
    tail: [Option<Text<'b>>; 8],
}

const HEAD_KEYS: [&str; 5] = ["JobId", "Tag", "State", "Code", "Message"];
const TIME_KEYS: [(&str, &str); 3] = [
    ("CreationTime", "CreationTimeUnix"),
    ("StartTime", "StartTimeUnix"),
    ("EndTime", "EndTimeUnix"),
];
const TAIL_KEYS: [&str; 8] = [
    "InputObject",
    "OutputObject",
    "UserData",
    "QueueId",
    "WorkflowId",
    "RunId",
    "WorkflowName",
    "WorkflowNode",
];

impl<'b> Record<'b> {
    fn job(index: usize, job: &Job<'b>) -> Self {
        use wanxiang::JobField as F;
        Record {
            kind: "job",
            index,
            head: [
                job.job_id(),
                job.tag(),
                job.text(F::State),
                job.code(),
                job.message(),
            ],
            times: [
                (job.text(F::CreationTime), job.creation_time()),
                (job.text(F::StartTime), job.start_time()),
                (job.text(F::EndTime), job.end_time()),
            ],
            tail: [
                job.input_object(),
                job.output_object(),
                job.user_data(),
                job.queue_id(),
                job.workflow_id(),
                job.workflow_run_id(),
                job.workflow_name(),
                job.workflow_node(),
            ],
        }
    }

    fn task(index: usize, task: &Task<'b>, wf: &Workflow<'b>) -> Self {
        use wanxiang::TaskField as F;
        Record {
            kind: "task",
            index,
            head: [
                task.job_id(),
                task.task_type(),
                task.text(F::State),
                task.code(),
                task.message(),
            ],
            times: [
                (task.text(F::CreateTime), task.create_time()),
                (task.text(F::StartTime), task.start_time()),
                (task.text(F::EndTime), task.end_time()),
            ],
            tail: [
                wf.object(),
                None,
                None,
                None,
                wf.workflow_id(),
                wf.run_id(),
                wf.workflow_name(),
                task.name(),
            ],
        }
    }
}

/// Writes one `jobs` line into `line` (cleared first).
fn write_record(line: &mut Vec<u8>, place: &Place<'_>, cb: &Callback<'_>, r: &Record<'_>) {
    begin_line(line, place);
    line.extend_from_slice(b", \"format\": ");
    json_str(line, cb.format().as_str());
    key(line, "event");
    json_text(line, cb.event_name());
    key(line, "kind");
    json_str(line, r.kind);
    key(line, "index");
    line.extend_from_slice(r.index.to_string().as_bytes());
    for (k, v) in HEAD_KEYS.iter().zip(r.head) {
        key(line, k);
        json_text(line, v);
    }
    for ((raw_key, unix_key), (raw, parsed)) in TIME_KEYS.iter().zip(&r.times) {
        key(line, raw_key);
        json_text(line, *raw);
        key(line, unix_key);
        match parsed {
            Ok(Some(t)) => line.extend_from_slice(t.unix().to_string().as_bytes()),
            _ => line.extend_from_slice(b"null"),
        }
    }
    for (k, v) in TAIL_KEYS.iter().zip(r.tail) {
        key(line, k);
        json_text(line, v);
    }
    line.extend_from_slice(b"}\n");
}

/// Reports the timestamps of `r` that are present but invalid (their Unix
/// seconds print as null); the document itself is fine, so this is a warning.
fn warn(out: &mut impl Write, place: &Place<'_>, r: &Record<'_>) -> io::Result<()> {
    for (_, parsed) in &r.times {
        if let Err(e) = parsed {
            out.flush()?;
            place.warning(e);
        }
    }
    Ok(())
}

fn key(line: &mut Vec<u8>, k: &str) {
    line.extend_from_slice(b", ");
    json_str(line, k);
    line.extend_from_slice(b": ");
}

/// Writes a decoded text as a JSON string, or `null`.
fn json_text(out: &mut Vec<u8>, text: Option<Text<'_>>) {
    match text {
        None => out.extend_from_slice(b"null"),
        Some(t) => match t.as_str() {
            Some(s) => json_str(out, s),
            None => json_str(out, &t.to_cow()),
        },
    }
}

/// Characters of a line shown around an error.
const EXCERPT_WIDTH: usize = 72;
/// Characters kept before the error when a long line is cut.
const EXCERPT_BEFORE: usize = 32;

/// The line holding `offset`, cut to a window around it when long, and a
/// line with a caret under `offset`. `None` when the line is blank.
fn excerpt(body: &[u8], offset: usize) -> Option<(String, String)> {
    let offset = offset.min(body.len());
    let (head, rest) = body.split_at(offset);
    let start = head.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    let before = shown(head.get(start..).unwrap_or(&[]));
    let mut after = shown(rest.get(..end).unwrap_or(&[]));
    if after.last() == Some(&'\r') {
        after.pop();
    }
    if before.iter().chain(&after).all(|c| c.is_whitespace()) {
        return None;
    }
    let long = before.len() + after.len() > EXCERPT_WIDTH;
    let cut = if long && before.len() > EXCERPT_BEFORE {
        before.len() - EXCERPT_BEFORE
    } else {
        0
    };
    let before = before.get(cut..).unwrap_or(&[]);
    let room = EXCERPT_WIDTH.saturating_sub(before.len()).max(1);
    let lead = if cut > 0 { "…" } else { "" };
    let tail = if after.len() > room { "…" } else { "" };
    let after = after.get(..room.min(after.len())).unwrap_or(&[]);
    let text: String = lead
        .chars()
        .chain(before.iter().copied())
        .chain(after.iter().copied())
        .chain(tail.chars())
        .collect();
    let mut caret: String = " ".repeat(lead.chars().count());
    for &c in before {
        caret.push_str(match c {
            '\t' => "\t",
            c if is_wide(c) => "  ",
            _ => " ",
        });
    }
    caret.push('^');
    Some((text, caret))
}

/// The characters of `bytes` as they can be shown on one terminal line:
/// invalid UTF-8 and control characters (but tabs) as U+FFFD.
fn shown(bytes: &[u8]) -> Vec<char> {
    String::from_utf8_lossy(bytes)
        .chars()
        .map(|c| {
            if c != '\t' && c != '\r' && c.is_control() {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// East Asian wide characters take two columns (a close approximation of
/// Unicode's East_Asian_Width W/F ranges, enough to place the caret).
fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115F}' | '\u{2E80}'..='\u{A4CF}' | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}' | '\u{1F300}'..='\u{1F64F}' | '\u{1F900}'..='\u{1F9FF}'
        | '\u{20000}'..='\u{3FFFD}')
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
