//! `cxmap serve`: a live preview served from memory.
//!
//! In: a site root and [`Options`]. Out: a running [`Server`] that
//!
//! - builds the site into memory ([`live::Live`]) and serves it over HTTP on a loopback
//!   address (never writing into `public/`), with the site's `404.html` for missing
//!   paths and no way out of the output whatever the encoding of the request;
//! - watches `cxmap.toml`, `journeys/`, `personas/`, `pages/`, `static/`, `templates/`,
//!   `themes/` and `i18n/`; after a burst of changes goes quiet ([`QUIET`]) it rebuilds what the
//!   changed files feed, and tells every connected browser through server-sent events
//!   (`/__cxmap/events`) which output files changed: a page reloads when it changed, a
//!   stylesheet is swapped in place;
//! - on content errors keeps serving the last good build and sends the diagnostics,
//!   which the injected script (`/__cxmap/live.js`, added to served HTML only, never to
//!   `cxmap build` output) shows as an overlay until a build succeeds again;
//! - answers only requests addressed to it by `Host` (a web page the user visits cannot
//!   read the preview through a name of its own that resolves to this computer), and
//!   holds a bounded amount for any client ([`Limits`]): request heads, the time to send
//!   them, idle connections, connections and event streams at once.

mod connection;
pub mod http;
pub mod live;

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::Watcher as _;

use crate::diag::Diagnostics;
use crate::error::{Error, Result};
use live::{Change, Live};

/// The port `serve` tries first when none is given.
pub const DEFAULT_PORT: u16 = 1111;

/// How long the files must stay quiet before a rebuild: editors write a file in a
/// burst (truncate, write, rename), and a rebuild per event would show half a save.
/// Editors finish that burst within a few milliseconds; a slower write is built again
/// when it ends, like any other change.
pub const QUIET: Duration = Duration::from_millis(20);

/// How many ports after [`DEFAULT_PORT`] are tried when it is taken.
const PORT_TRIES: u16 = 20;

/// How `serve` listens.
#[derive(Debug, Clone)]
pub struct Options {
    /// The address to listen on; loopback unless the user asks otherwise.
    pub bind: IpAddr,
    /// The port; `None` takes [`DEFAULT_PORT`] or the next free one; `Some(0)` any free
    /// port.
    pub port: Option<u16>,
    /// What one client may send and hold.
    pub limits: Limits,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: None,
            limits: Limits::default(),
        }
    }
}

/// What the server holds for its clients, at most. A preview serves one person's
/// browser tabs, so the numbers are generous for that and small for anything else;
/// whatever a client sends, the server's memory stays within them.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The longest request line (method, path, version); longer ones get 414.
    pub request_line: usize,
    /// The largest request head (request line and headers); larger ones get 431. It is
    /// also the size of each connection's read buffer.
    pub head: usize,
    /// The most headers in a request; more get 431.
    pub headers: usize,
    /// How long a client may take to send a whole request head once it has started;
    /// a slower one gets 408 and is cut off.
    pub request_time: Duration,
    /// How long a connection may wait for its next request before it is closed.
    pub idle: Duration,
    /// How long one write to a client may block (a client that stops reading is cut
    /// off).
    pub write_time: Duration,
    /// The most requests answered on one connection before it is closed.
    pub requests_per_connection: usize,
    /// The most connections held at once; more are answered 503 and closed at once.
    pub connections: usize,
    /// The most live-reload event streams at once (they count as connections too);
    /// more get 503.
    pub event_streams: usize,
    /// How often an idle event stream gets a comment, so a dead connection is noticed
    /// even when the browser's machine went away without closing it.
    pub event_keepalive: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            request_line: 8 * 1024,
            head: 16 * 1024,
            headers: 64,
            request_time: Duration::from_secs(10),
            idle: Duration::from_secs(5),
            write_time: Duration::from_secs(10),
            requests_per_connection: 1000,
            connections: 64,
            event_streams: 16,
            event_keepalive: Duration::from_secs(15),
        }
    }
}

/// What one build of the preview did, for the terminal.
#[derive(Debug)]
pub struct Report {
    /// The diagnostics of the build (warnings, or the errors that kept the last good
    /// build on screen).
    pub diagnostics: Diagnostics,
    /// A failure outside the content (a broken template, an unreadable file).
    pub failure: Option<String>,
    /// How many output files changed (all of them for the first build).
    pub changed: usize,
    /// How many output files the preview holds.
    pub files: usize,
    /// How long the build took.
    pub elapsed: Duration,
}

impl Report {
    /// Whether the build failed and the previous one is still served.
    pub fn failed(&self) -> bool {
        self.failure.is_some() || self.diagnostics.has_errors()
    }
}

/// Called after every build (the first one included), on the watching thread.
pub type OnBuild = Box<dyn FnMut(&Report) + Send + 'static>;

/// A running preview; stops when dropped.
pub struct Server {
    addr: SocketAddr,
    /// The port that was asked for, when it was taken and another one is used.
    pub port_taken: Option<u16>,
    shared: Arc<Shared>,
    events: mpsc::Sender<Event>,
    threads: Vec<JoinHandle<()>>,
    _watcher: notify::RecommendedWatcher,
}

/// State the HTTP workers and the builder share.
pub(crate) struct Shared {
    /// The site as served: the last good build.
    pub(crate) files: RwLock<Arc<live::Files>>,
    /// The diagnostics of the last build when it failed, as text.
    pub(crate) errors: RwLock<Option<String>>,
    /// Bumped by every successful build that changed something.
    pub(crate) version: std::sync::atomic::AtomicU64,
    /// One sender per connected event stream, by its number; each gets whole SSE
    /// messages. A stream removes itself when it ends.
    pub(crate) clients: Mutex<BTreeMap<u64, mpsc::Sender<Arc<str>>>>,
    /// Every open connection by its number, to close them all when the server stops.
    /// A connection removes itself when it ends.
    pub(crate) connections: Mutex<BTreeMap<u64, TcpStream>>,
    /// The number the next connection or event stream gets.
    pub(crate) next_id: std::sync::atomic::AtomicU64,
    /// The address the server listens on: requests must name it (or localhost) as
    /// their `Host`.
    pub(crate) addr: SocketAddr,
    /// What a client may send and hold.
    pub(crate) limits: Limits,
    /// Set when the server stops.
    pub(crate) stopping: AtomicBool,
    /// The interface strings of the last build that loaded its theme, for the overlay's
    /// words in each page's language.
    pub(crate) strings: RwLock<Arc<crate::i18n::Strings>>,
}

impl Shared {
    fn broadcast(&self, message: &str) {
        let message: Arc<str> = message.into();
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|_, c| c.send(message.clone()).is_ok());
        }
    }

    /// A number no other connection or stream of this server has.
    pub(crate) fn id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::SeqCst)
    }
}

enum Event {
    Changed(Vec<PathBuf>),
    Stop,
}

impl Server {
    /// Builds the site at `root`, starts listening and watching. The first build's
    /// report goes to `on_build` before this returns; a failing first build still
    /// starts the server (it shows the errors until they are fixed).
    pub fn start(root: &Path, options: &Options, mut on_build: OnBuild) -> Result<Server> {
        // Watch events name canonical paths.
        let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
        let (listener, port_taken) = listen(options)?;
        let addr = listener.local_addr().map_err(|e| Error::io(&root, e))?;

        let started = Instant::now();
        let mut live = Live::new(root.clone());
        let first = live.rebuild(&[]);
        let shared = Arc::new(Shared {
            files: RwLock::new(live.files()),
            errors: RwLock::new(None),
            version: std::sync::atomic::AtomicU64::new(1),
            clients: Mutex::new(BTreeMap::new()),
            connections: Mutex::new(BTreeMap::new()),
            next_id: std::sync::atomic::AtomicU64::new(0),
            addr,
            limits: options.limits.clone(),
            stopping: AtomicBool::new(false),
            strings: RwLock::new(Arc::new(crate::i18n::Strings::english())),
        });
        let report = report(&shared, &live, first, started.elapsed());
        on_build(&report);

        let (events, rx) = mpsc::channel();
        let tx = events.clone();
        let watch_root = root.clone();
        let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            if let Ok(event) = res
                && !matches!(event.kind, notify::EventKind::Access(_))
            {
                let paths: Vec<PathBuf> = event
                    .paths
                    .iter()
                    .filter_map(|p| watched(&watch_root, p))
                    .collect();
                if !paths.is_empty() {
                    let _ = tx.send(Event::Changed(paths));
                }
            }
        })
        .map_err(|e| watch_error(&root, e))?;
        watcher
            .watch(&root, notify::RecursiveMode::Recursive)
            .map_err(|e| watch_error(&root, e))?;

        let mut threads = Vec::new();
        {
            let shared = shared.clone();
            threads.push(std::thread::spawn(move || {
                builder(live, rx, &shared, on_build);
            }));
        }
        {
            let shared = shared.clone();
            threads.push(std::thread::spawn(move || accept(&listener, &shared)));
        }
        Ok(Server {
            addr,
            port_taken,
            shared,
            events,
            threads,
            _watcher: watcher,
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL of the site's home page, e.g. `http://127.0.0.1:1111/`.
    pub fn url(&self) -> String {
        let ip = match self.addr.ip() {
            ip if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}/", SocketAddr::new(ip, self.addr.port()))
    }

    /// Blocks until the server stops (it stops only when dropped from another thread,
    /// so this is what the command does until Ctrl+C).
    pub fn wait(mut self) {
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }

    fn stop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        let _ = self.events.send(Event::Stop);
        // The accepting thread is blocked in `accept`: one connection wakes it, and it
        // sees `stopping`.
        let _ = TcpStream::connect_timeout(&self.local_addr(), Duration::from_secs(1));
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
        // No connection is accepted any more: end the open ones (a blocked read returns,
        // and every event stream ends when its sender goes).
        if let Ok(mut clients) = self.shared.clients.lock() {
            clients.clear();
        }
        if let Ok(connections) = self.shared.connections.lock() {
            for stream in connections.values() {
                let _ = stream.shutdown(std::net::Shutdown::Both);
            }
        }
    }

    /// An address this machine reaches the server at (loopback for an unspecified bind).
    fn local_addr(&self) -> SocketAddr {
        let ip = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        SocketAddr::new(ip, self.addr.port())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The accepting thread: a thread per connection, up to [`Limits::connections`].
fn accept(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        match stream {
            Ok(stream) => connection::start(stream, shared),
            // Out of file descriptors, or a connection reset before it was accepted:
            // wait a moment rather than spin.
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

fn watch_error(root: &Path, e: notify::Error) -> Error {
    Error::io(root, std::io::Error::other(e.to_string()))
}

/// Binds the listener: the asked port, or the default and the next free ones.
fn listen(options: &Options) -> Result<(TcpListener, Option<u16>)> {
    let bind = |port: u16| TcpListener::bind(SocketAddr::new(options.bind, port));
    match options.port {
        Some(port) => bind(port).map(|l| (l, None)).map_err(|e| Error::Usage {
            message: format!(
                "cannot listen on {}: {e}",
                SocketAddr::new(options.bind, port)
            ),
            help: Some(
                "choose another port with `--port N`, or `--port 0` for any free one".into(),
            ),
        }),
        None => {
            let mut last = None;
            for port in DEFAULT_PORT..DEFAULT_PORT + PORT_TRIES {
                match bind(port) {
                    Ok(l) => return Ok((l, (port != DEFAULT_PORT).then_some(DEFAULT_PORT))),
                    Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
                    Err(e) => {
                        return Err(Error::Usage {
                            message: format!(
                                "cannot listen on {}: {e}",
                                SocketAddr::new(options.bind, port)
                            ),
                            help: Some("check the address given to `--bind`".into()),
                        });
                    }
                }
            }
            Err(Error::Usage {
                message: format!(
                    "ports {DEFAULT_PORT} to {} are all in use{}",
                    DEFAULT_PORT + PORT_TRIES - 1,
                    last.map(|e| format!(" ({e})")).unwrap_or_default()
                ),
                help: Some("choose a port with `--port N`, or `--port 0` for any free one".into()),
            })
        }
    }
}

/// The path of a changed file relative to the root, when a build reads it.
fn watched(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = rel.components();
    let first = parts.next()?.as_os_str().to_str()?;
    let name = rel.file_name()?.to_str()?;
    // Editors' swap and backup files, and hidden folders such as `.git`.
    if rel
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
    {
        return None;
    }
    let source = matches!(
        first,
        "journeys" | "personas" | "pages" | "static" | "templates" | "themes" | "i18n"
    );
    (source || rel == Path::new(crate::config::FILE_NAME)).then(|| rel.to_path_buf())
}

/// The builder thread: gathers changes until they go quiet, rebuilds, tells browsers.
fn builder(mut live: Live, rx: mpsc::Receiver<Event>, shared: &Shared, mut on_build: OnBuild) {
    while let Ok(event) = rx.recv() {
        let Event::Changed(mut paths) = event else {
            return;
        };
        // A long burst (a branch checkout) still gets built within a second.
        let burst = Instant::now();
        loop {
            match rx.recv_timeout(QUIET) {
                Ok(Event::Changed(more)) => {
                    paths.extend(more);
                    if burst.elapsed() > Duration::from_secs(1) {
                        break;
                    }
                }
                Ok(Event::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Err(RecvTimeoutError::Timeout) => break,
            }
        }
        paths.sort();
        paths.dedup();
        let started = Instant::now();
        let change = live.rebuild(&paths);
        let first = report(shared, &live, change, started.elapsed());
        on_build(&first);
        // An edited journey's page is served first; the pages that gather every journey
        // follow.
        if let Some(change) = live.finish() {
            let rest = report(shared, &live, change, started.elapsed());
            on_build(&rest);
        }
    }
}

/// Publishes a build: new files and browser events on success, the overlay on failure.
fn report(shared: &Shared, live: &Live, change: Change, elapsed: Duration) -> Report {
    let files = live.files();
    if let (Some(strings), Ok(mut served)) = (live.strings(), shared.strings.write()) {
        *served = Arc::new(strings.clone());
    }
    match change {
        Change::Failed {
            diagnostics,
            failure,
        } => {
            let mut text = diagnostics.render(false);
            if let Some(f) = &failure {
                text.push_str(&format!("error: {f}\n"));
            }
            if let Ok(mut errors) = shared.errors.write() {
                *errors = Some(text.clone());
            }
            shared.broadcast(&http::sse("errors", &serde_json::json!({ "text": text })));
            Report {
                diagnostics,
                failure,
                changed: 0,
                files: files.len(),
                elapsed,
            }
        }
        Change::Built {
            diagnostics,
            changed,
        } => {
            let version = if changed.is_empty() {
                shared.version.load(Ordering::SeqCst)
            } else {
                shared.version.fetch_add(1, Ordering::SeqCst) + 1
            };
            if let Ok(mut served) = shared.files.write() {
                *served = files.clone();
            }
            if let Ok(mut errors) = shared.errors.write() {
                *errors = None;
            }
            let (mut pages, mut styles, mut other) = (Vec::new(), Vec::new(), Vec::new());
            for path in &changed {
                let list = if path.ends_with(".html") {
                    &mut pages
                } else if path.ends_with(".css") {
                    &mut styles
                } else {
                    &mut other
                };
                list.push(path.as_str());
            }
            shared.broadcast(&http::sse(
                "change",
                &serde_json::json!({
                    "version": version,
                    "pages": pages,
                    "styles": styles,
                    "other": other,
                }),
            ));
            Report {
                diagnostics,
                failure: None,
                changed: changed.len(),
                files: files.len(),
                elapsed,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watches_sources_only() {
        let root = Path::new("/site");
        let w = |p: &str| watched(root, &root.join(p));
        assert!(w("journeys/a.md").is_some());
        assert!(w("cxmap.toml").is_some());
        assert!(w("static/style.css").is_some());
        assert!(w("themes/x/templates/base.html").is_some());
        assert!(w("public/index.html").is_none());
        assert!(w(".git/index").is_none());
        assert!(w("journeys/.a.md.swp").is_none());
        assert!(w("journeys/a.md~").is_none());
        assert!(w("notes.txt").is_none());
    }
}
