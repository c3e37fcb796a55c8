//! `cxmap serve`: a server on a free loopback port over a temporary copy of
//! `tests/fixtures/serve-basic`; pages, content types, the 404 page, traversal attempts,
//! rebuilds after edits with their server-sent events, the error overlay and recovery;
//! the limits on what a client may send and hold, and the `Host` check. Every wait is
//! bounded; each server stops when its test ends.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use cxmap::serve::{Limits, Options, Server};

const TIMEOUT: Duration = Duration::from_secs(20);

struct Site {
    dir: tempfile::TempDir,
    server: Server,
}

impl Site {
    fn start() -> Site {
        Site::start_with(Limits::default())
    }

    /// A server with other limits (short timeouts, small caps) on loopback.
    fn start_with(limits: Limits) -> Site {
        Site::start_on(Options {
            port: Some(0),
            limits,
            ..Options::default()
        })
    }

    fn start_on(options: Options) -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&common::fixture("serve-basic"), dir.path());
        let server = Server::start(dir.path(), &options, Box::new(|_| {})).expect("start");
        Site { dir, server }
    }

    /// The address to connect to (loopback when the server listens on every address).
    fn addr(&self) -> SocketAddr {
        let addr = self.server.addr();
        if addr.ip().is_unspecified() {
            SocketAddr::from(([127, 0, 0, 1], addr.port()))
        } else {
            addr
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn get(&self, path: &str) -> Response {
        get(self.server.addr(), path)
    }

    /// The overlay text of the last build, from `/__cxmap/status.json`.
    fn errors(&self) -> Option<String> {
        let status: serde_json::Value =
            serde_json::from_str(&self.get("/__cxmap/status.json").body).expect("JSON");
        status["errors"].as_str().map(String::from)
    }

    fn events(&self) -> Events {
        Events::connect(self.server.addr())
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("inside");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

struct Response {
    status: u16,
    headers: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// One request with the path exactly as given (no client-side normalisation).
fn get(addr: SocketAddr, path: &str) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").expect("a response");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    Response {
        status,
        headers: head.to_string(),
        body: body.to_string(),
    }
}

/// Sends `bytes` on a new connection and reads the answer's status.
fn status_of(addr: SocketAddr, bytes: &[u8]) -> Option<u16> {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.write_all(bytes).expect("send");
    read_status(&mut stream)
}

/// The status of the response on `stream`, once its head has arrived; `None` when the
/// connection closed (or failed) without one.
fn read_status(stream: &mut TcpStream) -> Option<u16> {
    stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    let head = String::from_utf8_lossy(&head);
    head.split_whitespace().nth(1)?.parse().ok()
}

/// A request for `path` naming `host`, on a new connection: its status.
fn status_for_host(addr: SocketAddr, path: &str, host: &str) -> Option<u16> {
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    status_of(addr, request.as_bytes())
}

/// Sends a request head that never ends: `start`, then `line` again and again (every
/// `pause`) until the server stops reading or `total` bytes are sent. Returns the status
/// the server answered, and how long that took.
fn unfinished(
    addr: SocketAddr,
    start: String,
    line: Vec<u8>,
    pause: Duration,
    total: usize,
) -> (Option<u16>, Duration) {
    let began = Instant::now();
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.write_all(start.as_bytes()).expect("send");
    let mut writer = stream.try_clone().expect("clone");
    let sending = std::thread::spawn(move || {
        let mut sent = 0;
        while sent < total && writer.write_all(&line).is_ok() {
            sent += line.len();
            std::thread::sleep(pause);
        }
    });
    let status = read_status(&mut stream);
    let took = began.elapsed();
    let _ = stream.shutdown(std::net::Shutdown::Both);
    sending.join().expect("the sending thread");
    (status, took)
}

/// The resident memory of this test program (where the server runs), in bytes.
#[cfg(target_os = "linux")]
fn resident() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kb: usize = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS");
    kb * 1024
}

/// The server-sent events of one connection, as (event, data) pairs.
struct Events {
    rx: mpsc::Receiver<(String, String)>,
    _stream: TcpStream,
}

impl Events {
    fn connect(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect");
        write!(
            stream,
            "GET /__cxmap/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send");
        let reader = stream.try_clone().expect("clone");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut event = String::new();
            for line in BufReader::new(reader).lines() {
                let Ok(line) = line else { return };
                if let Some(e) = line.strip_prefix("event: ") {
                    event = e.to_string();
                } else if let Some(d) = line.strip_prefix("data: ")
                    && tx
                        .send((std::mem::take(&mut event), d.to_string()))
                        .is_err()
                {
                    return;
                }
            }
        });
        let events = Events {
            rx,
            _stream: stream,
        };
        events.next("hello");
        events
    }

    /// The data of the next event called `name` (others are skipped).
    fn next(&self, name: &str) -> serde_json::Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let (event, data) = self
                .rx
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no `{name}` event within {TIMEOUT:?}"));
            if event == name {
                return serde_json::from_str(&data).expect("JSON data");
            }
        }
    }
}

impl Drop for Events {
    /// Closes the connection (the reading thread holds a copy of the socket).
    fn drop(&mut self) {
        let _ = self._stream.shutdown(std::net::Shutdown::Both);
    }
}

/// Polls until `f` is true.
fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + TIMEOUT;
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn list(v: &serde_json::Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn serves_pages_with_their_content_types() {
    let site = Site::start();
    let home = site.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("Live Preview Atlas"));
    assert!(home.body.contains("<script src=\"/__cxmap/live.js\""));
    for (path, ct) in [
        ("/journeys/order/", "text/html; charset=utf-8"),
        ("/journeys/order/index.html", "text/html; charset=utf-8"),
        ("/journeys/order/map.svg", "image/svg+xml"),
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/extra.css", "text/css; charset=utf-8"),
        ("/assets/js/theme.js", "text/javascript; charset=utf-8"),
        ("/data/journeys.json", "application/json"),
        ("/data/pains.csv", "text/csv; charset=utf-8"),
        ("/__cxmap/live.js", "text/javascript; charset=utf-8"),
    ] {
        let r = site.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(ct), "{path}");
    }
    // Only pages get the script.
    assert!(!site.get("/assets/style.css").body.contains("__cxmap"));
    let folder = site.get("/journeys/order");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("location"), Some("/journeys/order/"));
    // Nothing was written into the site.
    assert!(!site.path("public").exists());
}

#[test]
fn missing_pages_get_the_site_404_page() {
    let site = Site::start();
    let r = site.get("/journeys/nope/");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("Page not found"), "{}", r.body);
    assert!(r.body.contains("data-path=\"404.html\""));
}

#[test]
fn traversal_attempts_are_not_found() {
    let site = Site::start();
    for path in [
        "/../cxmap.toml",
        "/%2e%2e/cxmap.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/journeys/%2f..%2f..%2fcxmap.toml",
        "/journeys/..%2f..%2fcxmap.toml",
        "/..\\cxmap.toml",
        "/%5c..%5ccxmap.toml",
        "/journeys/order/..%5c..%5c..%5ccxmap.toml",
        "/cxmap.toml",
        "/journeys/order.md",
        "//cxmap.toml",
    ] {
        let r = site.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("Live Preview Atlas\"\n"), "{path}");
        assert!(!r.body.contains("[channels.web]"), "{path}");
    }
}

#[test]
fn an_edit_is_served_and_announced() {
    let site = Site::start();
    let events = site.events();
    let file = site.path("journeys/order.md");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        text.replace("Pays with her card", "Pays with her watch"),
    )
    .expect("write");
    let change = events.next("change");
    let pages = list(&change, "pages");
    assert!(
        pages.contains(&"journeys/order/index.html".to_string()),
        "{change}"
    );
    // A page that does not show the step is not reloaded.
    assert!(
        !pages.contains(&"journeys/returns/index.html".to_string()),
        "{change}"
    );
    assert!(
        site.get("/journeys/order/")
            .body
            .contains("Pays with her watch")
    );
}

#[test]
fn a_stylesheet_change_swaps_styles_only() {
    let site = Site::start();
    let events = site.events();
    std::fs::write(site.path("static/extra.css"), ".extra { color: #000; }\n").expect("write");
    let change = events.next("change");
    assert_eq!(list(&change, "styles"), ["extra.css"], "{change}");
    assert!(list(&change, "pages").is_empty(), "{change}");
    assert!(site.get("/extra.css").body.contains("#000"));
}

#[test]
fn errors_show_an_overlay_and_keep_the_last_good_build() {
    let site = Site::start();
    let events = site.events();
    let file = site.path("journeys/order.md");
    let good = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, good.replace("emotion = 4", "emotion = 9")).expect("write");
    let errors = events.next("errors");
    let text = errors["text"].as_str().expect("text");
    assert!(text.contains("journeys/order.md:"), "{text}");
    assert!(text.contains("emotion = 9"), "{text}");
    let status: serde_json::Value =
        serde_json::from_str(&site.get("/__cxmap/status.json").body).expect("JSON");
    assert!(
        status["errors"]
            .as_str()
            .is_some_and(|t| t.contains("order.md"))
    );
    // The last good build is still served.
    let page = site.get("/journeys/order/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Pays with her card"));
    // A browser that connects now hears about the errors at once.
    let late = site.events();
    late.next("errors");

    std::fs::write(&file, good.replace("Pays with her card", "Pays in cash")).expect("fix");
    events.next("change");
    let status: serde_json::Value =
        serde_json::from_str(&site.get("/__cxmap/status.json").body).expect("JSON");
    assert!(status["errors"].is_null(), "{status}");
    assert!(site.get("/journeys/order/").body.contains("Pays in cash"));
}

#[test]
fn handles_what_editors_do() {
    let site = Site::start();
    let events = site.events();
    let file = site.path("journeys/order.md");
    let good = std::fs::read_to_string(&file).expect("read");

    // An atomic save: write a temporary file, rename it over the old one.
    let tmp = site.path("journeys/.order.md.tmp");
    std::fs::write(&tmp, good.replace("Pays with her card", "Pays by transfer")).expect("tmp");
    std::fs::rename(&tmp, &file).expect("rename");
    events.next("change");
    assert!(
        site.get("/journeys/order/")
            .body
            .contains("Pays by transfer")
    );

    // A burst of writes, the file briefly empty in the middle.
    std::fs::write(&file, "").expect("empty");
    std::fs::write(&file, &good[..good.len() / 2]).expect("half");
    std::fs::write(&file, good.replace("Pays with her card", "Pays at last")).expect("full");
    wait_until("the burst to be built", || {
        site.get("/journeys/order/").body.contains("Pays at last")
    });

    // A file left empty is an error; writing it back recovers.
    // (Polled, not read from the events: the burst may have sent events of its own.)
    std::fs::write(&file, "").expect("empty");
    wait_until("the empty file's error", || {
        site.errors()
            .is_some_and(|t| t.contains("journeys/order.md"))
    });
    assert!(site.get("/journeys/order/").body.contains("Pays at last"));
    std::fs::write(&file, &good).expect("restore");
    wait_until("the restored page", || {
        site.errors().is_none()
            && site
                .get("/journeys/order/")
                .body
                .contains("Pays with her card")
    });

    // New, renamed and deleted files.
    std::fs::write(
        site.path("journeys/visit.md"),
        "+++\ntitle = \"Visiting the shop\"\n+++\n\nA walk-in visit.\n",
    )
    .expect("new");
    wait_until("the new page", || {
        site.get("/journeys/visit/").status == 200
    });
    std::fs::rename(
        site.path("journeys/visit.md"),
        site.path("journeys/walk-in.md"),
    )
    .expect("rename");
    wait_until("the renamed page", || {
        site.get("/journeys/walk-in/").status == 200 && site.get("/journeys/visit/").status == 404
    });
    std::fs::remove_file(site.path("journeys/returns.md")).expect("delete");
    wait_until("the deleted page to go", || {
        site.get("/journeys/returns/").status == 404
    });
    assert!(!site.get("/journeys/").body.contains("Returning an item"));
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = Site::start();
    let options = Options {
        port: Some(site.server.addr().port()),
        ..Options::default()
    };
    let err = Server::start(site.dir.path(), &options, Box::new(|_| {}))
        .err()
        .expect("the port is taken");
    assert!(err.to_string().contains("cannot listen on"), "{err}");
}

#[test]
fn built_output_has_no_live_reload_script() {
    let files = common::render(&common::fixture("serve-basic"));
    for (path, bytes) in files {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__cxmap"),
            "{path}"
        );
    }
}

#[test]
fn serve_refuses_a_64_mb_header_with_431() {
    let site = Site::start();
    let addr = site.addr();
    let start = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nX-Big: ");
    let (status, _) = unfinished(addr, start, vec![b'a'; 64 * 1024], Duration::ZERO, 64 << 20);
    assert_eq!(status, Some(431));
    // Others are still answered.
    assert_eq!(site.get("/").status, 200);
}

#[test]
fn serve_refuses_too_many_headers_with_431() {
    let site = Site::start();
    let addr = site.addr();
    let headers: String = (0..100).map(|i| format!("X-{i}: {i}\r\n")).collect();
    let request = format!("GET / HTTP/1.1\r\nHost: {addr}\r\n{headers}\r\n");
    assert_eq!(status_of(addr, request.as_bytes()), Some(431));
    assert_eq!(site.get("/").status, 200);
}

#[test]
fn serve_answers_414_to_an_overlong_request_line() {
    let site = Site::start();
    let addr = site.addr();
    let request = format!("GET /{} HTTP/1.1\r\nHost: {addr}\r\n\r\n", "a".repeat(9000));
    assert_eq!(status_of(addr, request.as_bytes()), Some(414));
    assert_eq!(site.get("/").status, 200);
}

#[test]
fn serve_cuts_off_a_client_that_never_finishes_its_headers() {
    let request_time = Duration::from_millis(400);
    let site = Site::start_with(Limits {
        request_time,
        ..Limits::default()
    });
    let addr = site.addr();
    // A header line every 50 ms: each read is quick, the whole head never comes.
    let start = format!("GET / HTTP/1.1\r\nHost: {addr}\r\n");
    let (status, took) = unfinished(
        addr,
        start,
        b"X-Slow: 1\r\n".to_vec(),
        Duration::from_millis(50),
        usize::MAX,
    );
    assert_eq!(status, Some(408));
    assert!(
        took >= request_time && took < request_time * 5,
        "cut off after {took:?}"
    );
    assert_eq!(site.get("/").status, 200);
}

#[cfg(target_os = "linux")]
#[test]
fn serve_memory_stays_flat_under_unfinished_headers() {
    let site = Site::start();
    let addr = site.addr();
    // Warm up: the first requests build what every later one shares.
    assert_eq!(site.get("/").status, 200);
    let before = resident();
    let senders: Vec<_> = (0..3)
        .map(|_| {
            let start = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nX-Big: ");
            std::thread::spawn(move || {
                unfinished(
                    addr,
                    start,
                    vec![b'a'; 64 * 1024],
                    Duration::ZERO,
                    256 << 20,
                )
            })
        })
        .collect();
    for sender in senders {
        let (status, _) = sender.join().expect("a sender");
        assert_eq!(status, Some(431));
    }
    let grown = resident().saturating_sub(before);
    // Each connection holds a 16 KiB buffer; the clients offered 768 MB.
    assert!(grown < 32 << 20, "grew by {} MB", grown >> 20);
    assert_eq!(site.get("/").status, 200);
}

#[test]
fn serve_answers_421_to_a_foreign_host() {
    let site = Site::start();
    let addr = site.addr();
    let port = addr.port();
    for host in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        "localhost".to_string(),
    ] {
        for path in ["/", "/__cxmap/status.json", "/__cxmap/events"] {
            assert_eq!(
                status_for_host(addr, path, &host),
                Some(421),
                "{host} {path}"
            );
        }
    }
    let bare = b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n";
    assert_eq!(status_of(addr, bare), Some(421), "no Host");
}

#[test]
fn serve_accepts_localhost_and_its_bind_address() {
    let site = Site::start();
    let addr = site.addr();
    let port = addr.port();
    for host in [
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(status_for_host(addr, "/", &host), Some(200), "{host}");
    }
    // HTTP/1.0 had no Host.
    assert_eq!(status_of(addr, b"GET / HTTP/1.0\r\n\r\n"), Some(200));

    // Another loopback address (Linux answers on all of 127.0.0.0/8).
    if cfg!(target_os = "linux") {
        let other = Site::start_on(Options {
            bind: "127.0.0.2".parse().expect("address"),
            port: Some(0),
            ..Options::default()
        });
        let addr = other.addr();
        let port = addr.port();
        for (host, status) in [
            (format!("127.0.0.2:{port}"), 200),
            (format!("localhost:{port}"), 200),
            (format!("127.0.0.3:{port}"), 421),
        ] {
            assert_eq!(status_for_host(addr, "/", &host), Some(status), "{host}");
        }
    }
}

#[test]
fn serve_on_every_address_accepts_ip_hosts_but_not_names() {
    let site = Site::start_on(Options {
        bind: "0.0.0.0".parse().expect("address"),
        port: Some(0),
        ..Options::default()
    });
    let addr = site.addr();
    let port = addr.port();
    for (host, status) in [
        (format!("192.168.1.20:{port}"), 200),
        (format!("[fe80::1]:{port}"), 200),
        (format!("localhost:{port}"), 200),
        (format!("my-laptop.local:{port}"), 421),
        (format!("192.168.1.20:{}", port.wrapping_add(1)), 421),
    ] {
        assert_eq!(status_for_host(addr, "/", &host), Some(status), "{host}");
    }
}

#[test]
fn serve_limits_live_reload_connections() {
    let site = Site::start_with(Limits {
        event_streams: 2,
        ..Limits::default()
    });
    let addr = site.addr();
    let events = format!("GET /__cxmap/events HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    let first = site.events();
    let _second = site.events();
    assert_eq!(status_of(addr, events.as_bytes()), Some(503));
    // Pages are still served.
    assert_eq!(site.get("/").status, 200);
    // A stream whose browser went away gives its place back.
    drop(first);
    wait_until("a place for a new stream", || {
        status_of(addr, events.as_bytes()) == Some(200)
    });
}

#[test]
fn serve_refuses_connections_over_its_limit() {
    let site = Site::start_with(Limits {
        connections: 3,
        idle: Duration::from_secs(30),
        ..Limits::default()
    });
    let addr = site.addr();
    let mut held: Vec<TcpStream> = (0..3)
        .map(|_| TcpStream::connect(addr).expect("connect"))
        .collect();
    // A connection over the limit is answered 503 at once (or closed, if the answer is
    // lost to the reset), never held.
    let request = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let mut extra = TcpStream::connect(addr).expect("connect");
    let _ = extra.write_all(request.as_bytes());
    let status = read_status(&mut extra);
    assert!(matches!(status, Some(503) | None), "{status:?}");
    // A connection that goes away gives its place back.
    let gone = held.pop().expect("a connection");
    gone.shutdown(std::net::Shutdown::Both).expect("close");
    wait_until("a free place", || {
        status_of(addr, request.as_bytes()) == Some(200)
    });
    drop(held);
}

#[test]
fn serve_closes_a_keep_alive_connection_left_idle() {
    let idle = Duration::from_millis(300);
    let site = Site::start_with(Limits {
        idle,
        ..Limits::default()
    });
    let addr = site.addr();
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
    // Two requests on one connection, the second sent with the first.
    let request = format!("HEAD / HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    stream
        .write_all(format!("{request}{request}").as_bytes())
        .expect("send");
    for _ in 0..2 {
        assert_eq!(read_status(&mut stream), Some(200));
    }
    let waited = Instant::now();
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).expect("closed by the server");
    assert!(rest.is_empty(), "HEAD has no body");
    assert!(
        waited.elapsed() >= idle / 2 && waited.elapsed() < TIMEOUT,
        "closed after {:?}",
        waited.elapsed()
    );
}

#[test]
fn head_requests_get_the_headers_of_get_without_the_body() {
    let site = Site::start();
    let addr = site.addr();
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
    write!(
        stream,
        "HEAD /assets/style.css HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).expect("read");
    let get = site.get("/assets/style.css");
    let (head, body) = raw.split_once("\r\n\r\n").expect("a response");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(body.is_empty(), "{body}");
    assert!(
        head.contains(&format!("Content-Length: {}", get.body.len())),
        "{head}"
    );
    assert!(
        head.contains("Content-Type: text/css; charset=utf-8"),
        "{head}"
    );
    let post = format!("POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 2\r\n\r\nhi");
    assert_eq!(status_of(addr, post.as_bytes()), Some(405));
}

#[test]
fn serve_publishes_nothing_through_a_symlinked_static_folder() {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        outside.path().join("shadow"),
        "root:TOP-SECRET:19000::::::\n",
    )
    .expect("write");
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&common::fixture("serve-basic"), dir.path());
    std::fs::remove_dir_all(dir.path().join("static")).expect("remove");
    std::os::unix::fs::symlink(outside.path(), dir.path().join("static")).expect("link");
    let options = Options {
        port: Some(0),
        ..Options::default()
    };
    let server = Server::start(dir.path(), &options, Box::new(|_| {})).expect("start");
    let site = Site { dir, server };
    assert_eq!(site.get("/shadow").status, 404);
    assert_eq!(site.get("/").status, 200);
    let overlay = site.get("/__cxmap/status.json").body;
    assert!(!overlay.contains("TOP-SECRET"), "{overlay}");
}

#[test]
fn serve_keeps_serving_when_a_billion_laughs_file_is_saved_into_the_site() {
    let site = Site::start();
    let events = site.events();
    let bomb = std::fs::read_to_string(
        common::fixture("diagnostics/yaml-billion-laughs").join("journeys/bomb.md"),
    )
    .expect("the fixture's bomb");
    let before = resident();
    let file = site.path("journeys/bomb.md");
    std::fs::write(&file, &bomb).expect("write");
    let errors = events.next("errors");
    let text = errors["text"].as_str().expect("text");
    assert!(text.contains("journeys/bomb.md:"), "{text}");
    // Memory stays flat (the bomb would take gigabytes) and the last good build is served.
    assert!(resident() < before + 64 * 1024 * 1024, "the server grew");
    assert_eq!(site.get("/journeys/order/").status, 200);
    std::fs::remove_file(&file).expect("remove");
    events.next("change");
    assert!(site.errors().is_none());
}
