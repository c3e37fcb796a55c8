//! One connection of the preview, on its own thread: reads request heads into a buffer
//! of fixed size ([`Limits::head`]) and parses them with httparse, answers them
//! ([`http::answer`]) and keeps the connection for the next request while the client
//! wants it, within the [`Limits`].
//!
//! In: an accepted `TcpStream`. Out: responses written to it. Promises: whatever a
//! client sends, a connection holds one buffer of [`Limits::head`] bytes; a request line
//! over [`Limits::request_line`] gets 414, a head over [`Limits::head`] or with more
//! than [`Limits::headers`] headers 431, a head not sent within
//! [`Limits::request_time`] 408, and the connection is closed after each of them. An
//! idle connection closes after [`Limits::idle`]; past [`Limits::connections`]
//! connections, a new one is answered 503 and closed. Request bodies are never read:
//! a request that has one is answered and its connection closed.

use std::io::{ErrorKind, Read as _, Write as _};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::http::{self, Method, Reply, Request, Response};
use super::{Limits, Shared};

/// Takes an accepted connection: a thread of its own, or 503 when the server holds as
/// many as it may.
pub(crate) fn start(stream: TcpStream, shared: &Arc<Shared>) {
    let Some(slot) = Slot::take(&stream, shared) else {
        refuse(stream, 503, "too many connections", false);
        return;
    };
    let shared = shared.clone();
    // A failed spawn drops the closure, and with it the slot and the stream.
    let _ = std::thread::Builder::new()
        .name("cxmap-serve".into())
        .spawn(move || {
            let _slot = slot;
            serve(stream, &shared);
        });
}

/// A connection's place in [`Shared::connections`], given back when dropped.
struct Slot {
    shared: Arc<Shared>,
    id: u64,
}

impl Slot {
    /// A place for `stream`, when there is one.
    fn take(stream: &TcpStream, shared: &Arc<Shared>) -> Option<Slot> {
        let mut connections = shared.connections.lock().ok()?;
        if connections.len() >= shared.limits.connections {
            return None;
        }
        // The copy lets the server close the connection when it stops.
        let copy = stream.try_clone().ok()?;
        let id = shared.id();
        connections.insert(id, copy);
        Some(Slot {
            shared: shared.clone(),
            id,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut connections) = self.shared.connections.lock() {
            connections.remove(&self.id);
        }
    }
}

/// How long, and how many bytes, a refused client that is still sending is read (and
/// dropped) before its connection closes: closing with bytes unread resets the
/// connection, and a reset can discard the refusal before the client reads it.
const LINGER: (Duration, usize) = (Duration::from_secs(1), 1024 * 1024);

/// Answers `status` with a short text and closes the connection; with `linger`, first
/// reads what the client is still sending, up to [`LINGER`].
fn refuse(mut stream: TcpStream, status: u16, text: &str, linger: bool) {
    let response = Response::text(status, text);
    // The refusal is small and the socket's buffer empty: a write that blocks at all is
    // a client not worth waiting for.
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let _ = write(&mut stream, &response, false, true);
    let _ = stream.shutdown(Shutdown::Write);
    if linger {
        drain(&mut stream);
    }
}

/// Reads and drops what the client sends until it closes or [`LINGER`] runs out.
fn drain(stream: &mut TcpStream) {
    let until = Instant::now() + LINGER.0;
    let mut scratch = [0u8; 8192];
    let mut read = 0;
    while read < LINGER.1 {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut scratch) {
            Ok(0) => return,
            Ok(n) => read += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

/// Answers requests on one connection until it closes, the client is done, or a limit
/// is reached.
fn serve(mut stream: TcpStream, shared: &Shared) {
    let limits = &shared.limits;
    if stream.set_write_timeout(Some(limits.write_time)).is_err() {
        return;
    }
    let _ = stream.set_nodelay(true);
    let mut buffer = Buffer::new(limits.head);
    for answered in 1..=limits.requests_per_connection {
        let head = match read_head(&mut stream, &mut buffer, limits) {
            Read::Head(head) => head,
            Read::Closed => return,
            Read::Refused(status) => return refuse(stream, status, refusal(status), true),
        };
        let close = !head.keep_alive
            || head.has_body
            || answered == limits.requests_per_connection
            || shared.stopping.load(std::sync::atomic::Ordering::SeqCst);
        match http::answer(&head.request, shared) {
            Reply::Events => return http::events(&mut stream, shared),
            Reply::Response(response) => {
                let head_only = head.request.method == Method::Head;
                if write(&mut stream, &response, head_only, close).is_err() || close {
                    return;
                }
            }
        }
        buffer.consume(head.len);
    }
}

/// What a refusal says.
fn refusal(status: u16) -> &'static str {
    match status {
        408 => "the request took too long to arrive",
        414 => "the request line is too long",
        431 => "the request headers are too large or too many",
        _ => "the request could not be read",
    }
}

/// Writes a response; the body is left out for `HEAD`.
fn write(
    stream: &mut TcpStream,
    response: &Response,
    head_only: bool,
    close: bool,
) -> std::io::Result<()> {
    stream.write_all(&response.head(close))?;
    if !head_only {
        stream.write_all(response.body.bytes())?;
    }
    stream.flush()
}

/// The bytes received and not yet answered: at most [`Limits::head`] of them.
struct Buffer {
    bytes: Box<[u8]>,
    len: usize,
}

impl Buffer {
    fn new(size: usize) -> Buffer {
        Buffer {
            bytes: vec![0; size].into_boxed_slice(),
            len: 0,
        }
    }

    fn filled(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// Drops the first `n` bytes (an answered request), keeping what follows (the next
    /// one, when the client sent it already).
    fn consume(&mut self, n: usize) {
        let n = n.min(self.len);
        self.bytes.copy_within(n..self.len, 0);
        self.len -= n;
    }
}

/// A request head as read off the wire.
struct Head {
    request: Request,
    /// Its length in bytes.
    len: usize,
    /// Whether the client wants the connection kept for another request.
    keep_alive: bool,
    /// Whether a body follows (it is never read).
    has_body: bool,
}

/// What reading a head gave.
enum Read {
    Head(Head),
    /// The client closed the connection, or sent nothing while it was idle.
    Closed,
    /// The head broke a limit or was not HTTP: the status to answer before closing.
    Refused(u16),
}

/// Reads until `buffer` holds a whole request head. The client has
/// [`Limits::idle`] to start and [`Limits::request_time`] from its first byte to
/// finish.
fn read_head(stream: &mut TcpStream, buffer: &mut Buffer, limits: &Limits) -> Read {
    let idle_until = Instant::now() + limits.idle;
    // Bytes left from the previous request start this one.
    let mut deadline = (buffer.len > 0).then(|| Instant::now() + limits.request_time);
    loop {
        if buffer.len > 0 {
            match parse(buffer.filled(), limits) {
                Parsed::Head(head) => return Read::Head(head),
                Parsed::Refused(status) => return Read::Refused(status),
                Parsed::Partial => {}
            }
        }
        let left = deadline
            .unwrap_or(idle_until)
            .saturating_duration_since(Instant::now());
        if left.is_zero() {
            return match deadline {
                Some(_) => Read::Refused(408),
                None => Read::Closed,
            };
        }
        if stream.set_read_timeout(Some(left)).is_err() {
            return Read::Closed;
        }
        match stream.read(&mut buffer.bytes[buffer.len..]) {
            Ok(0) => return Read::Closed,
            Ok(n) => {
                buffer.len += n;
                deadline.get_or_insert_with(|| Instant::now() + limits.request_time);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                ) => {}
            Err(_) => return Read::Closed,
        }
    }
}

/// What parsing the bytes received so far gave.
enum Parsed {
    Head(Head),
    /// More bytes are needed, and may come.
    Partial,
    Refused(u16),
}

/// Parses a request head from the start of `bytes`, within the limits.
fn parse(bytes: &[u8], limits: &Limits) -> Parsed {
    let line = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    if line > limits.request_line {
        return Parsed::Refused(414);
    }
    let mut headers = vec![httparse::EMPTY_HEADER; limits.headers];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(bytes) {
        Ok(httparse::Status::Complete(len)) => match head(&request, len) {
            Some(head) => Parsed::Head(head),
            None => Parsed::Refused(400),
        },
        // A full buffer is as much as a head may be.
        Ok(httparse::Status::Partial) if bytes.len() >= limits.head => Parsed::Refused(431),
        Ok(httparse::Status::Partial) => Parsed::Partial,
        Err(httparse::Error::TooManyHeaders) => Parsed::Refused(431),
        Err(_) => Parsed::Refused(400),
    }
}

/// The parts of a parsed head the preview uses; `None` for a request that is not valid
/// HTTP/1.x (several `Host` headers, an unreadable one).
fn head(request: &httparse::Request<'_, '_>, len: usize) -> Option<Head> {
    let http11 = request.version? == 1;
    let method = match request.method? {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        _ => Method::Other,
    };
    let mut host = None;
    let mut connection = Vec::new();
    let mut has_body = false;
    for header in request.headers.iter() {
        let name = header.name;
        if name.eq_ignore_ascii_case("host") {
            if host.is_some() {
                return None;
            }
            host = Some(std::str::from_utf8(header.value).ok()?.trim().to_string());
        } else if name.eq_ignore_ascii_case("connection") {
            let value = String::from_utf8_lossy(header.value).to_ascii_lowercase();
            connection.extend(value.split(',').map(|t| t.trim().to_string()));
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            has_body = true;
        } else if name.eq_ignore_ascii_case("content-length") {
            has_body |= header.value.iter().any(|&b| b != b'0');
        }
    }
    let has = |token: &str| connection.iter().any(|t| t == token);
    Some(Head {
        request: Request {
            method,
            target: request.path?.to_string(),
            host,
            http11,
        },
        len,
        keep_alive: if http11 {
            !has("close")
        } else {
            has("keep-alive")
        },
        has_body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            request_line: 64,
            head: 256,
            headers: 4,
            ..Limits::default()
        }
    }

    fn parsed(bytes: &[u8]) -> Result<Head, Option<u16>> {
        match parse(bytes, &limits()) {
            Parsed::Head(head) => Ok(head),
            Parsed::Partial => Err(None),
            Parsed::Refused(status) => Err(Some(status)),
        }
    }

    #[test]
    fn reads_what_answering_needs() {
        let head =
            parsed(b"GET /a?b HTTP/1.1\r\nHost: localhost:1111\r\n\r\nGET /next").expect("a head");
        assert_eq!(head.request.method, Method::Get);
        assert_eq!(head.request.target, "/a?b");
        assert_eq!(head.request.host.as_deref(), Some("localhost:1111"));
        assert!(head.request.http11 && head.keep_alive && !head.has_body);
        assert_eq!(head.len, 43);

        let old = parsed(b"HEAD / HTTP/1.0\r\n\r\n").expect("a head");
        assert_eq!(old.request.method, Method::Head);
        assert!(!old.request.http11 && !old.keep_alive && old.request.host.is_none());
        let kept = parsed(b"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
        assert!(kept.expect("a head").keep_alive);
        let closed = parsed(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
        assert!(!closed.expect("a head").keep_alive);
        let body = parsed(b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
        let body = body.expect("a head");
        assert!(body.has_body && body.request.method == Method::Other);
    }

    #[test]
    fn refuses_heads_over_the_limits() {
        assert_eq!(parsed(b"GET / HTTP/1.1\r\nHost: x").err(), Some(None));
        let long_line = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(64));
        assert_eq!(parsed(long_line.as_bytes()).err(), Some(Some(414)));
        // An unfinished request line is refused as soon as it is too long.
        assert_eq!(parsed(&[b'G'; 100]).err(), Some(Some(414)));
        let many = "GET / HTTP/1.1\r\n".to_string() + &"A: b\r\n".repeat(5) + "\r\n";
        assert_eq!(parsed(many.as_bytes()).err(), Some(Some(431)));
        let large = format!("GET / HTTP/1.1\r\nA: {}", "b".repeat(250));
        assert_eq!(parsed(large.as_bytes()).err(), Some(Some(431)));
        assert_eq!(
            parsed(b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").err(),
            Some(Some(400))
        );
        assert_eq!(parsed(b"\x01\x02 nonsense\r\n\r\n").err(), Some(Some(400)));
    }

    #[test]
    fn keeps_what_follows_an_answered_request() {
        let mut buffer = Buffer::new(16);
        buffer.bytes[..10].copy_from_slice(b"0123456789");
        buffer.len = 10;
        buffer.consume(4);
        assert_eq!(buffer.filled(), b"456789");
    }
}
