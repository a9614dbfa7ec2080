//! The opt-in same-origin relay (`chat-vitals-serve --relay`): lets the page audit an endpoint that does not
//! allow CORS by sending the request to its own origin, which forwards it and pipes the response back byte for
//! byte, flushing every read. It adds a hop (one more loopback connection and copy), so reports made through it
//! say `relay: true`. Plain `http://` targets only (local model servers are where CORS is usually missing); an
//! https endpoint answers CORS itself or needs its own proxy.

use crate::http::{self, Request};
use serde_json::json;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Request headers not forwarded: hop-by-hop ones, and what identifies the page rather than the caller.
const DROP: &[&str] = &[
    "host",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "origin",
    "referer",
    "cookie",
    "sec-fetch-site",
    "sec-fetch-mode",
    "sec-fetch-dest",
    "x-relay-target",
    "upgrade",
    "te",
    "trailer",
];

/// Splits `http://host[:port]/path?query` into (host:port, host header, path).
fn parse_target(url: &str) -> Result<(String, String, String), String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("relay target {url:?} must be an http:// URL (https endpoints must allow CORS themselves)"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if authority.is_empty() || authority.contains('@') {
        return Err(format!("relay target {url:?} has no usable host"));
    }
    let addr = if authority
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
    {
        authority.to_string()
    } else {
        format!("{authority}:80")
    };
    Ok((addr, authority.to_string(), path.to_string()))
}

/// Forwards `req` to the URL in its `x-relay-target` header. Returns false: the connection closes after.
pub fn forward(conn: &mut TcpStream, req: &Request) -> bool {
    let fail = |conn: &mut TcpStream, status: u16, msg: String| {
        let body = json!({"error": {"message": msg, "type": "relay_error"}}).to_string();
        let _ = http::respond(
            conn,
            status,
            &[("Content-Type", "application/json".to_string())],
            body.as_bytes(),
        );
        false
    };
    let Some(target) = req.header("x-relay-target") else {
        return fail(conn, 400, "relay: missing x-relay-target header".into());
    };
    let (addr, host, path) = match parse_target(target) {
        Ok(t) => t,
        Err(e) => return fail(conn, 400, e),
    };
    let mut upstream = match TcpStream::connect(&addr) {
        Ok(s) => s,
        Err(e) => return fail(conn, 502, format!("relay: cannot connect to {addr}: {e}")),
    };
    let _ = upstream.set_nodelay(true);
    let _ = upstream.set_read_timeout(Some(Duration::from_secs(300)));
    let mut head = format!(
        "{} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n",
        req.method
    );
    for (k, v) in &req.headers {
        if !DROP.iter().any(|d| k.eq_ignore_ascii_case(d)) {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", req.body.len()));
    let mut out = head.into_bytes();
    out.extend_from_slice(&req.body);
    if let Err(e) = upstream.write_all(&out) {
        return fail(conn, 502, format!("relay: sending to {addr} failed: {e}"));
    }
    // Pipe the upstream response (status line, headers, body framing and all) through unchanged, one write
    // per read, so chunk timing survives the hop.
    let mut buf = [0u8; 16 * 1024];
    loop {
        match upstream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if conn
                    .write_all(&buf[..n])
                    .and_then(|_| conn.flush())
                    .is_err()
                {
                    break;
                }
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_and_https_is_refused() {
        assert_eq!(
            parse_target("http://127.0.0.1:11434/api/chat").unwrap(),
            (
                "127.0.0.1:11434".into(),
                "127.0.0.1:11434".into(),
                "/api/chat".into()
            )
        );
        assert_eq!(
            parse_target("http://localhost").unwrap(),
            ("localhost:80".into(), "localhost".into(), "/".into())
        );
        assert!(
            parse_target("https://api.openai.com/v1")
                .unwrap_err()
                .contains("http://")
        );
        assert!(parse_target("http://user@host/").is_err());
    }
}
