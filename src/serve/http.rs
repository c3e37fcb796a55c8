//! The preview's HTTP side: request paths to files in memory (never to the disk), the
//! content types, the site's 404 page, the live-reload script injected into HTML
//! responses, and the server-sent event stream.

use std::io::{Cursor, Write as _};
use std::sync::atomic::Ordering;
use std::sync::{Arc, mpsc};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::Shared;
use super::live::Files;

/// The event stream browsers listen to.
pub const EVENTS: &str = "/__cxmap/events";
/// The script injected into every served page.
pub const SCRIPT: &str = "/__cxmap/live.js";
/// The state of the last build as JSON: `{"version": N, "errors": text|null}`.
pub const STATUS: &str = "/__cxmap/status.json";

const LIVE_JS: &str = include_str!("live.js");

/// How often an idle event stream gets a comment, so dead connections are noticed.
const KEEPALIVE: Duration = Duration::from_secs(15);

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

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn respond(request: Request, status: u16, content_type: &str, body: Vec<u8>) {
    let len = body.len();
    let mut headers = vec![
        header("Content-Type", content_type),
        header("Cache-Control", "no-store"),
        header("X-Content-Type-Options", "nosniff"),
    ];
    headers.retain(Option::is_some);
    let response = Response::new(
        StatusCode(status),
        headers.into_iter().flatten().collect(),
        Cursor::new(body),
        Some(len),
        None,
    );
    let _ = request.respond(response);
}

/// Answers one request.
pub(crate) fn handle(request: Request, shared: &Arc<Shared>) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        respond(
            request,
            405,
            "text/plain; charset=utf-8",
            b"only GET and HEAD\n".to_vec(),
        );
        return;
    }
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("");
    let version = shared.version.load(Ordering::SeqCst);
    match path {
        EVENTS => {
            let shared = shared.clone();
            std::thread::spawn(move || events(request, &shared));
            return;
        }
        SCRIPT => {
            respond(
                request,
                200,
                content_type(SCRIPT),
                LIVE_JS.as_bytes().to_vec(),
            );
            return;
        }
        STATUS => {
            let errors = shared.errors.read().ok().and_then(|e| e.clone());
            let body = serde_json::json!({ "version": version, "errors": errors });
            respond(
                request,
                200,
                "application/json",
                body.to_string().into_bytes(),
            );
            return;
        }
        _ => {}
    }
    let files = match shared.files.read() {
        Ok(f) => f.clone(),
        Err(_) => return,
    };
    let strings = match shared.strings.read() {
        Ok(s) => s.clone(),
        Err(_) => return,
    };
    match resolve(&url, &files) {
        Target::File(key) => {
            let bytes = files.get(&key).map_or(&[][..], |b| &b[..]);
            let ct = content_type(&key);
            let body = if ct.starts_with("text/html") {
                inject(bytes, &key, version, &strings)
            } else {
                bytes.to_vec()
            };
            respond(request, 200, ct, body);
        }
        Target::Redirect(location) => {
            let mut response = Response::empty(StatusCode(301));
            if let Some(h) = header("Location", &location) {
                response.add_header(h);
            }
            let _ = request.respond(response);
        }
        Target::NotFound => {
            let page = files.get("404.html").map_or_else(
                || {
                    b"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head>\n<body><h1>Not found</h1></body></html>\n"
                        .to_vec()
                },
                |b| at_top(b),
            );
            respond(
                request,
                404,
                "text/html; charset=utf-8",
                inject(&page, "404.html", version, &strings),
            );
        }
    }
}

/// Streams build events to one browser until it goes away or the server stops.
fn events(request: Request, shared: &Shared) {
    let (tx, rx) = mpsc::channel::<Arc<str>>();
    // Registered before the first message, so no build is missed in between.
    if let Ok(mut clients) = shared.clients.lock() {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        clients.push(tx);
    }
    let mut out = request.into_writer();
    let version = shared.version.load(Ordering::SeqCst);
    let mut first = String::from(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n",
    );
    first.push_str(&sse("hello", &serde_json::json!({ "version": version })));
    if let Some(text) = shared.errors.read().ok().and_then(|e| e.clone()) {
        first.push_str(&sse("errors", &serde_json::json!({ "text": text })));
    }
    if out
        .write_all(first.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        return;
    }
    loop {
        let message = match rx.recv_timeout(KEEPALIVE) {
            Ok(m) => m,
            Err(mpsc::RecvTimeoutError::Timeout) => ": keep-alive\n\n".into(),
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if out
            .write_all(message.as_bytes())
            .and_then(|()| out.flush())
            .is_err()
        {
            return;
        }
    }
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
