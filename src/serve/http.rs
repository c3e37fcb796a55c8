//! The preview's HTTP side: which requests are answered (those addressed to it by
//! `Host`), request paths to files in memory (never to the disk), the content types,
//! the site's 404 page, the live-reload script injected into HTML responses, and the
//! server-sent event stream. Reading requests off the wire, within the limits, is
//! `serve::connection`'s.

use std::io::{Read as _, Write as _};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::sync::atomic::Ordering;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use super::Shared;
use super::live::Files;

/// The event stream browsers listen to.
pub const EVENTS: &str = "/__cxmap/events";
/// The script injected into every served page.
pub const SCRIPT: &str = "/__cxmap/live.js";
/// The state of the last build as JSON: `{"version": N, "errors": text|null}`.
pub const STATUS: &str = "/__cxmap/status.json";

const LIVE_JS: &str = include_str!("live.js");

/// How often an event stream looks whether its browser went away, so its place is
/// free again soon after a tab closes.
const STREAM_CHECK: Duration = Duration::from_millis(250);

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// An output file, by its output path.
    File(String),
    /// A folder asked without its trailing slash: the URL to send the browser to.
    Redirect(String),
    /// Nothing: the site's 404 page.
    NotFound,
}

/// Resolves a request URL against the files in memory. Every segment is decoded once;
/// a path that decodes to a backslash, a NUL, an empty segment, `.` or `..` is not
/// found, whatever its encoding, so no request can name anything outside the output.
pub fn resolve(url: &str, files: &Files) -> Target {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let Some(rest) = path.strip_prefix('/') else {
        return Target::NotFound;
    };
    let Some(decoded) = percent_decode(rest) else {
        return Target::NotFound;
    };
    if decoded.contains(['\\', '\0']) {
        return Target::NotFound;
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    for (i, s) in segments.iter().enumerate() {
        if matches!(*s, "." | "..") || (s.is_empty() && i != last) {
            return Target::NotFound;
        }
    }
    let key = if decoded.is_empty() || decoded.ends_with('/') {
        format!("{decoded}index.html")
    } else {
        decoded.clone()
    };
    if files.contains_key(&key) {
        return Target::File(key);
    }
    if files.contains_key(&format!("{key}/index.html")) {
        let encoded: Vec<String> = segments.iter().map(|s| percent_encode(s)).collect();
        return Target::Redirect(format!("/{}/", encoded.join("/")));
    }
    Target::NotFound
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `Content-Type` of an output path.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "otf" => "font/otf",
        "ttf" => "font/ttf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

/// One server-sent event.
pub fn sse(event: &str, data: &serde_json::Value) -> String {
    format!("event: {event}\ndata: {data}\n\n")
}

/// Inserts the live-reload script before `</body>` (or at the end), with the error
/// overlay's words in the page's language (its `<html lang>`) from `strings`.
pub fn inject(html: &[u8], path: &str, version: u64, strings: &crate::i18n::Strings) -> Vec<u8> {
    let lang = page_lang(html).unwrap_or_default();
    let word = |key: &str| crate::html::escape(strings.text(&lang, key));
    let tag = format!(
        "<script src=\"{SCRIPT}\" data-path=\"{}\" data-version=\"{version}\" data-title=\"{}\" data-hide=\"{}\" data-hint=\"{}\" defer></script>\n",
        crate::html::escape(path),
        word("overlay.title"),
        word("overlay.hide"),
        word("overlay.hint"),
    );
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The `lang` of a page's `<html>` element, when it has one.
fn page_lang(html: &[u8]) -> Option<String> {
    let head = &html[..html.len().min(1024)];
    let at = head
        .windows(5)
        .position(|w| w.eq_ignore_ascii_case(b"<html"))?;
    let tag = &head[at..];
    let tag = &tag[..tag.iter().position(|&b| b == b'>')?];
    let text = std::str::from_utf8(tag).ok()?;
    let value = text.split_once("lang=\"")?.1.split('"').next()?;
    Some(value.to_string())
}

/// The 404 page is served at any depth; its relative links start from the top of the
/// site, so a `<base href="/">` keeps them working (unless the page sets a base).
fn at_top(page: &[u8]) -> Vec<u8> {
    let head = b"<head>";
    let has_base = page.windows(5).any(|w| w.eq_ignore_ascii_case(b"<base"));
    match page
        .windows(head.len())
        .position(|w| w.eq_ignore_ascii_case(head))
    {
        Some(i) if !has_base => {
            let at = i + head.len();
            let mut out = page[..at].to_vec();
            out.extend_from_slice(b"\n<base href=\"/\">");
            out.extend_from_slice(&page[at..]);
            out
        }
        _ => page.to_vec(),
    }
}

/// What the preview needs of a request, read by `serve::connection`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET` and `HEAD` are answered; anything else gets 405.
    pub method: Method,
    /// The request target as sent (`/path?query`).
    pub target: String,
    /// The `Host` header, when there is exactly one.
    pub host: Option<String>,
    /// Whether the request is HTTP/1.1 (else 1.0), which must name its `Host`.
    pub http11: bool,
}

/// The request methods the preview tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `HEAD`: a `GET` without the body.
    Head,
    /// Anything else.
    Other,
}

/// The bytes of a response body: a served file is shared with the build, never copied.
#[derive(Debug, Clone)]
pub enum Body {
    /// Made for this response.
    Owned(Vec<u8>),
    /// A file of the build as it is.
    Shared(Arc<[u8]>),
}

impl Body {
    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        match self {
            Body::Owned(b) => b,
            Body::Shared(b) => b,
        }
    }
}

/// A whole response, written by `serve::connection` (which adds `Content-Length` and
/// `Connection`).
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Headers other than `Content-Length` and `Connection`.
    pub headers: Vec<(&'static str, String)>,
    /// The body (left out for `HEAD`).
    pub body: Body,
}

impl Response {
    /// A response that is never cached or sniffed as another type.
    pub fn new(status: u16, content_type: &str, body: Body) -> Response {
        Response {
            status,
            headers: vec![
                ("Content-Type", content_type.to_string()),
                ("Cache-Control", "no-store".to_string()),
                ("X-Content-Type-Options", "nosniff".to_string()),
            ],
            body,
        }
    }

    /// A short message in plain text, for refusals.
    pub fn text(status: u16, text: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            Body::Owned(format!("{text}\n").into_bytes()),
        )
    }

    /// The status line and headers, ending with the blank line.
    pub fn head(&self, close: bool) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str(&format!(
            "Content-Length: {}\r\nConnection: {}\r\n\r\n",
            self.body.bytes().len(),
            if close { "close" } else { "keep-alive" }
        ));
        out.into_bytes()
    }
}

/// The reason phrase of the status codes the preview sends.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// How a request is answered.
#[derive(Debug)]
pub enum Reply {
    /// One response.
    Response(Response),
    /// The event stream, which keeps the connection ([`events`]).
    Events,
}

/// Whether a request's `Host` names this server: `127.0.0.1`, `localhost`, `[::1]` or
/// the address it listens on, with its port. A page on another site can make the
/// browser send requests here through a host name of its own that resolves to this
/// computer (DNS rebinding), and read the answers since, to the browser, they are that
/// site's: only its own name is refused. When the server listens on every address
/// (for other machines), any IP address with the port is fine, since rebinding needs a
/// name; host names other than `localhost` are still refused. A request without a
/// `Host` is fine only in HTTP/1.0, which had none.
pub fn host_allowed(host: Option<&str>, http11: bool, addr: SocketAddr) -> bool {
    let Some(host) = host else {
        return !http11;
    };
    // The port is what follows the last colon after the closing bracket of an IPv6
    // address; without one, the browser left out port 80.
    let (name, port) = match host.rfind(':') {
        Some(i) if !host[i..].contains(']') => (&host[..i], &host[i + 1..]),
        _ => (host, "80"),
    };
    if port.parse::<u16>().ok() != Some(addr.port()) {
        return false;
    }
    let ip = match name.strip_prefix('[') {
        Some(v6) => match v6.strip_suffix(']').and_then(|v| v.parse().ok()) {
            Some(ip) => IpAddr::V6(ip),
            None => return false,
        },
        None if name.eq_ignore_ascii_case("localhost") => return true,
        // `parse` takes only the dotted form, not names or numbers such as `2130706433`.
        None => match name.parse::<std::net::Ipv4Addr>() {
            Ok(ip) => IpAddr::V4(ip),
            Err(_) => return false,
        },
    };
    let ours = addr.ip();
    ip == ours
        || ip == IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)
        || ip == IpAddr::V6(std::net::Ipv6Addr::LOCALHOST)
        || ours.is_unspecified()
}

/// Answers one request.
pub(crate) fn answer(request: &Request, shared: &Shared) -> Reply {
    if !host_allowed(request.host.as_deref(), request.http11, shared.addr) {
        return Reply::Response(Response::text(
            421,
            "this preview answers only to localhost, 127.0.0.1, [::1] or the address it listens on",
        ));
    }
    if request.method == Method::Other {
        let mut response = Response::text(405, "only GET and HEAD");
        response.headers.push(("Allow", "GET, HEAD".to_string()));
        return Reply::Response(response);
    }
    let url = request.target.as_str();
    let path = url.split(['?', '#']).next().unwrap_or("");
    let version = shared.version.load(Ordering::SeqCst);
    let response = match path {
        EVENTS if request.method == Method::Get => return Reply::Events,
        EVENTS => Response::new(200, "text/event-stream", Body::Owned(Vec::new())),
        SCRIPT => Response::new(
            200,
            content_type(SCRIPT),
            Body::Owned(LIVE_JS.as_bytes().to_vec()),
        ),
        STATUS => {
            let errors = shared.errors.read().ok().and_then(|e| e.clone());
            let body = serde_json::json!({ "version": version, "errors": errors });
            Response::new(
                200,
                "application/json",
                Body::Owned(body.to_string().into_bytes()),
            )
        }
        _ => page(url, shared, version),
    };
    Reply::Response(response)
}

/// A file of the site, a redirect to a folder, or the site's 404 page.
fn page(url: &str, shared: &Shared, version: u64) -> Response {
    let files = match shared.files.read() {
        Ok(f) => f.clone(),
        Err(_) => return Response::text(503, "the preview is not available"),
    };
    let strings = match shared.strings.read() {
        Ok(s) => s.clone(),
        Err(_) => return Response::text(503, "the preview is not available"),
    };
    match resolve(url, &files) {
        Target::File(key) => {
            let bytes = files
                .get(&key)
                .cloned()
                .unwrap_or_else(|| Arc::from(&[][..]));
            let ct = content_type(&key);
            let body = if ct.starts_with("text/html") {
                Body::Owned(inject(&bytes, &key, version, &strings))
            } else {
                Body::Shared(bytes)
            };
            Response::new(200, ct, body)
        }
        Target::Redirect(location) => Response {
            status: 301,
            headers: vec![("Location", location)],
            body: Body::Owned(Vec::new()),
        },
        Target::NotFound => {
            let page = files.get("404.html").map_or_else(
                || {
                    b"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head>\n<body><h1>Not found</h1></body></html>\n"
                        .to_vec()
                },
                |b| at_top(b),
            );
            Response::new(
                404,
                "text/html; charset=utf-8",
                Body::Owned(inject(&page, "404.html", version, &strings)),
            )
        }
    }
}

/// Removes an event stream's sender when the stream ends, however it ends.
struct Registered<'a> {
    shared: &'a Shared,
    id: u64,
}

impl Drop for Registered<'_> {
    fn drop(&mut self) {
        if let Ok(mut clients) = self.shared.clients.lock() {
            clients.remove(&self.id);
        }
    }
}

/// Streams build events to one browser until it goes away or the server stops; past
/// [`super::Limits::event_streams`] streams, answers 503. Writes to `stream` only.
pub(crate) fn events(stream: &mut TcpStream, shared: &Shared) {
    let (tx, rx) = mpsc::channel::<Arc<str>>();
    // Registered before the first message, so no build is missed in between.
    let registered = {
        let Ok(mut clients) = shared.clients.lock() else {
            return;
        };
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        if clients.len() >= shared.limits.event_streams {
            None
        } else {
            let id = shared.id();
            clients.insert(id, tx);
            Some(Registered { shared, id })
        }
    };
    let Some(_registered) = registered else {
        let busy = Response::text(503, "too many live-reload connections");
        let _ = stream.write_all(&busy.head(true));
        let _ = stream.write_all(busy.body.bytes());
        return;
    };
    let version = shared.version.load(Ordering::SeqCst);
    let mut first = String::from(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n",
    );
    first.push_str(&sse("hello", &serde_json::json!({ "version": version })));
    if let Some(text) = shared.errors.read().ok().and_then(|e| e.clone()) {
        first.push_str(&sse("errors", &serde_json::json!({ "text": text })));
    }
    if stream.write_all(first.as_bytes()).is_err() {
        return;
    }
    let keepalive = shared.limits.event_keepalive;
    let mut written = Instant::now();
    loop {
        let message: Arc<str> = match rx.recv_timeout(STREAM_CHECK.min(keepalive)) {
            Ok(m) => m,
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
            Err(mpsc::RecvTimeoutError::Timeout) if gone(stream) => return,
            Err(mpsc::RecvTimeoutError::Timeout) if written.elapsed() >= keepalive => {
                ": keep-alive\n\n".into()
            }
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
        };
        if stream.write_all(message.as_bytes()).is_err() {
            return;
        }
        written = Instant::now();
    }
}

/// Whether the browser closed its end of an event stream. Whatever it sent is read and
/// dropped, so nothing piles up.
fn gone(stream: &mut TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let mut scratch = [0u8; 1024];
    let mut closed = false;
    // A few reads at most: a client that keeps sending does not keep the stream here.
    for _ in 0..8 {
        match stream.read(&mut scratch) {
            Ok(0) => closed = true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => closed = e.kind() != std::io::ErrorKind::WouldBlock,
        }
        break;
    }
    stream.set_nonblocking(false).is_err() || closed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        [
            "index.html",
            "journeys/index.html",
            "journeys/a/index.html",
            "assets/style.css",
        ]
        .iter()
        .map(|p| (p.to_string(), Arc::from(&b"x"[..])))
        .collect()
    }

    #[test]
    fn resolves_paths_and_folders() {
        let f = files();
        assert_eq!(resolve("/", &f), Target::File("index.html".into()));
        assert_eq!(resolve("/?q=1", &f), Target::File("index.html".into()));
        assert_eq!(
            resolve("/journeys/a/", &f),
            Target::File("journeys/a/index.html".into())
        );
        assert_eq!(
            resolve("/assets/style%2Ecss", &f),
            Target::File("assets/style.css".into())
        );
        assert_eq!(
            resolve("/journeys/a", &f),
            Target::Redirect("/journeys/a/".into())
        );
        assert_eq!(resolve("/nope", &f), Target::NotFound);
    }

    #[test]
    fn never_leaves_the_output() {
        let f = files();
        for url in [
            "/../cxmap.toml",
            "/%2e%2e/cxmap.toml",
            "/%2E%2E/index.html",
            "/journeys/%2f..%2f..%2fcxmap.toml",
            "/journeys/..%2findex.html",
            "/..\\cxmap.toml",
            "/journeys%5c..%5cindex.html",
            "//etc/passwd",
            "/./index.html",
            "/%00",
            "/%zz",
            "/%",
            "journeys/index.html",
        ] {
            assert_eq!(resolve(url, &f), Target::NotFound, "{url}");
        }
    }

    #[test]
    fn answers_only_to_its_own_host() {
        let loopback: SocketAddr = "127.0.0.1:1111".parse().expect("address");
        let ok = |host: &str, addr| host_allowed(Some(host), true, addr);
        for host in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LocalHost:1111",
            "[::1]:1111",
        ] {
            assert!(ok(host, loopback), "{host}");
        }
        for host in [
            "evil.example:1111",
            "localhost.evil.example:1111",
            "127.0.0.1.nip.io:1111",
            "localhost:1112",
            "localhost",
            "127.0.0.1:1111:1111",
            "2130706433:1111",
            "192.168.1.20:1111",
            "[::1]",
            "[::1:1111",
            "",
        ] {
            assert!(!ok(host, loopback), "{host}");
        }
        assert!(!host_allowed(None, true, loopback));
        assert!(host_allowed(None, false, loopback));

        let bound: SocketAddr = "192.168.1.20:1111".parse().expect("address");
        assert!(ok("192.168.1.20:1111", bound));
        assert!(ok("localhost:1111", bound));
        assert!(!ok("192.168.1.21:1111", bound));

        let default_port: SocketAddr = "127.0.0.1:80".parse().expect("address");
        assert!(ok("localhost", default_port));

        // Listening for other machines: any address, still no names.
        for any in ["0.0.0.0:1111", "[::]:1111"] {
            let any: SocketAddr = any.parse().expect("address");
            assert!(ok("192.168.1.20:1111", any), "{any}");
            assert!(ok("[fe80::1]:1111", any), "{any}");
            assert!(ok("localhost:1111", any), "{any}");
            assert!(!ok("192.168.1.20:2222", any), "{any}");
            assert!(!ok("my-laptop.local:1111", any), "{any}");
            assert!(!ok("evil.example:1111", any), "{any}");
        }
    }

    #[test]
    fn injects_before_the_body_end() {
        let html = inject(
            b"<html><body><p>x</p></body></html>",
            "a/index.html",
            3,
            &crate::i18n::Strings::english(),
        );
        let html = String::from_utf8(html).unwrap();
        assert!(html.ends_with(" defer></script>\n</body></html>"), "{html}");
        assert!(
            html.contains("data-path=\"a/index.html\" data-version=\"3\""),
            "{html}"
        );
        assert!(html.contains("data-hide=\"Hide\""), "{html}");
    }

    #[test]
    fn the_overlay_speaks_the_page_language() {
        let langs = ["en", "es", "it"].map(String::from);
        let strings = crate::i18n::Strings::load(&langs, &[], &mut crate::diag::Diagnostics::new());
        let page = |lang: &str| {
            let html = format!("<!DOCTYPE html>\n<html lang=\"{lang}\"><body></body></html>");
            String::from_utf8(inject(html.as_bytes(), "index.html", 1, &strings)).unwrap()
        };
        let es = page("es");
        assert!(
            es.contains(&format!(
                "data-hide=\"{}\"",
                strings.text("es", "overlay.hide")
            )),
            "{es}"
        );
        assert!(!es.contains("data-hide=\"Hide\""), "{es}");
        assert!(page("en").contains("data-hide=\"Hide\""));
        assert_eq!(
            page_lang(b"<html class=\"x\" lang=\"it\">"),
            Some("it".into())
        );
        assert_eq!(page_lang(b"<p>no html</p>"), None);
    }
}
