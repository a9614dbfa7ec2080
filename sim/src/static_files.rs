//! Static files for the page, served cross-origin isolated (COOP + COEP) so `performance.now()` has
//! 5 µs resolution instead of 100 µs (W3C High Resolution Time, "coarsen time").

use crate::http;
use std::net::TcpStream;
use std::path::{Component, Path};

fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The audit page lives in `<root>/audit/`; `/` redirects there (query kept) so the server's root URL opens it.
fn root_redirect(root: &Path, url_path: &str, query: &str) -> Option<String> {
    let is_root = url_path == "/" || url_path.is_empty();
    if !is_root || root.join("index.html").exists() || !root.join("audit/index.html").exists() {
        return None;
    }
    Some(if query.is_empty() {
        "/audit/".to_string()
    } else {
        format!("/audit/?{query}")
    })
}

/// Serves `url_path` from `root` (no `..`, directories → index.html; `/` → the audit page).
pub fn serve(conn: &mut TcpStream, root: &Path, url_path: &str, query: &str) {
    if let Some(location) = root_redirect(root, url_path, query) {
        let _ = http::respond(conn, 302, &[("Location", location)], b"");
        return;
    }
    let rel = Path::new(url_path.trim_start_matches('/'));
    let safe = rel.components().all(|c| matches!(c, Component::Normal(_)));
    let mut file = root.join(rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    let headers = |ct: &'static str| {
        vec![
            ("Content-Type", ct.to_string()),
            ("Cross-Origin-Opener-Policy", "same-origin".to_string()),
            ("Cross-Origin-Embedder-Policy", "require-corp".to_string()),
            ("Cross-Origin-Resource-Policy", "same-origin".to_string()),
            ("Cache-Control", "no-store".to_string()),
        ]
    };
    match std::fs::read(&file) {
        Ok(body) if safe => {
            let _ = http::respond(conn, 200, &headers(mime(&file)), &body);
        }
        _ => {
            let _ = http::respond(
                conn,
                404,
                &headers("text/plain; charset=utf-8"),
                b"not found",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::root_redirect;
    use std::path::Path;

    #[test]
    fn root_redirects_to_the_audit_page_keeping_the_query() {
        let www = Path::new(env!("CARGO_MANIFEST_DIR")).join("../www");
        assert_eq!(root_redirect(&www, "/", ""), Some("/audit/".into()));
        assert_eq!(
            root_redirect(&www, "/", "api=http%3A%2F%2Fx"),
            Some("/audit/?api=http%3A%2F%2Fx".into())
        );
        assert_eq!(root_redirect(&www, "/audit/", ""), None);
        assert_eq!(root_redirect(&www, "/kit/index.js", ""), None);
        // A root with its own index.html (any other site) is served as it is.
        assert_eq!(root_redirect(&www.join("examples/chat"), "/", ""), None);
    }
}
