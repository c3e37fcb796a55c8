//! `cxmap serve`: a server on a free loopback port over a temporary copy of
//! `tests/fixtures/serve-basic`; pages, content types, the 404 page, traversal attempts,
//! rebuilds after edits with their server-sent events, the error overlay and recovery.
//! Every wait is bounded; each server stops when its test ends.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use cxmap::serve::{Options, Server};

const TIMEOUT: Duration = Duration::from_secs(20);

struct Site {
    dir: tempfile::TempDir,
    server: Server,
}

impl Site {
    fn start() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&common::fixture("serve-basic"), dir.path());
        let options = Options {
            port: Some(0),
            ..Options::default()
        };
        let server = Server::start(dir.path(), &options, Box::new(|_| {})).expect("start");
        Site { dir, server }
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
