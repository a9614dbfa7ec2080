//! `chat-vitals-serve`: serves the www/ page (cross-origin isolated) and the built-in simulated LLM
//! endpoint, on 127.0.0.1 only. Prints one JSON line with both URLs when ready; exits when stdin closes
//! (with `--exit-on-stdin-eof`), or after `--max-seconds`, so a test that starts it can never leak it.
//!
//! `chat-vitals-serve --help` lists every flag, route, wire format, profile and per-request option
//! (`help.rs`).

mod formats;
mod help;
mod http;
mod log;
mod profile;
mod relay;
mod static_files;
mod stream;

use formats::Format;
use log::LogStore;
use profile::SimOptions;
use serde_json::json;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

struct Server {
    www: PathBuf,
    default_profile: String,
    log: LogStore,
    counter: AtomicU64,
    relay: bool,
}

struct Args {
    www: PathBuf,
    page_port: u16,
    api_port: u16,
    profile: String,
    max_seconds: u64,
    exit_on_stdin_eof: bool,
    relay: bool,
}

/// What the command line asks for.
enum Cli {
    Run(Args),
    Help,
}

/// Parses the arguments (without the program name); every flag is one of [`help::FLAGS`].
fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Cli, String> {
    let mut a = Args {
        www: PathBuf::from("www"),
        page_port: 0,
        api_port: 0,
        profile: "realistic".into(),
        max_seconds: 3600,
        exit_on_stdin_eof: false,
        relay: false,
    };
    let mut it = args.into_iter();
    while let Some(flag) = it.next() {
        let mut val = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--www" => a.www = PathBuf::from(val()?),
            "--page-port" => {
                a.page_port = val()?
                    .parse()
                    .map_err(|_| "--page-port needs a port number")?
            }
            "--api-port" => {
                a.api_port = val()?
                    .parse()
                    .map_err(|_| "--api-port needs a port number")?
            }
            "--profile" => a.profile = val()?,
            "--max-seconds" => {
                a.max_seconds = val()?.parse().map_err(|_| "--max-seconds needs a number")?
            }
            "--exit-on-stdin-eof" => a.exit_on_stdin_eof = true,
            "--relay" => a.relay = true,
            "-h" | "--help" => return Ok(Cli::Help),
            _ => return Err(format!("unknown argument {flag:?}")),
        }
    }
    if profile::PROFILES.iter().all(|(p, _)| *p != a.profile) {
        let names: Vec<&str> = profile::PROFILES.iter().map(|(p, _)| *p).collect();
        return Err(format!(
            "unknown profile {:?}; one of {}",
            a.profile,
            names.join(", ")
        ));
    }
    Ok(Cli::Run(a))
}

fn main() {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Cli::Run(a)) => a,
        Ok(Cli::Help) => {
            print!("{}", help::usage());
            return;
        }
        Err(e) => {
            eprintln!("chat-vitals-serve: {e}\n(chat-vitals-serve --help lists every option)");
            std::process::exit(2);
        }
    };
    let bind = |port| TcpListener::bind((Ipv4Addr::LOCALHOST, port));
    let (page, api) = match (bind(args.page_port), bind(args.api_port)) {
        (Ok(p), Ok(a)) => (p, a),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("chat-vitals-serve: cannot bind 127.0.0.1: {e}");
            std::process::exit(2);
        }
    };
    let port = |l: &TcpListener| l.local_addr().map(|a| a.port()).unwrap_or(0);
    let server = Arc::new(Server {
        www: args.www,
        default_profile: args.profile,
        log: LogStore::default(),
        counter: AtomicU64::new(0),
        relay: args.relay,
    });
    println!(
        "{}",
        json!({"page": format!("http://127.0.0.1:{}/", port(&page)), "api": format!("http://127.0.0.1:{}", port(&api))})
    );

    let deadline = Duration::from_secs(args.max_seconds);
    std::thread::spawn(move || {
        std::thread::sleep(deadline);
        eprintln!("chat-vitals-serve: --max-seconds reached, exiting");
        std::process::exit(0);
    });
    if args.exit_on_stdin_eof {
        std::thread::spawn(|| {
            let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
            std::process::exit(0);
        });
    }
    for (listener, is_page) in [(api, false), (page, true)] {
        let server = server.clone();
        std::thread::spawn(move || accept_loop(listener, server, is_page));
    }
    loop {
        std::thread::park();
    }
}

fn accept_loop(listener: TcpListener, server: Arc<Server>, is_page: bool) {
    for conn in listener.incoming().flatten() {
        let server = server.clone();
        std::thread::spawn(move || handle(conn, &server, is_page));
    }
}

/// CORS headers for the API. `Origin` is echoed so credentials-free cross-origin pages work.
fn cors_headers(req: &http::Request) -> Vec<(&'static str, String)> {
    vec![
        (
            "Access-Control-Allow-Origin",
            req.header("origin").unwrap_or("*").to_string(),
        ),
        (
            "Access-Control-Expose-Headers",
            "x-sim-request-id, x-vercel-ai-ui-message-stream, x-vercel-ai-data-stream".into(),
        ),
        ("Vary", "Origin".into()),
        ("Cross-Origin-Resource-Policy", "cross-origin".into()),
        // Resource Timing details (requestStart, responseStart, …) for cross-origin pages: the audit reports each
        // request's browser-side queueing from them (requestStart − startTime).
        ("Timing-Allow-Origin", "*".into()),
    ]
}

fn handle(mut conn: TcpStream, server: &Server, is_page: bool) {
    let _ = conn.set_nodelay(true);
    let _ = conn.set_read_timeout(Some(Duration::from_secs(60)));
    // Keep-alive: serve requests on this connection until the client closes it or a response had to
    // end the connection (a simulated truncation, a client that went away).
    loop {
        let req = match http::read_request(&mut conn) {
            Ok(Some(r)) => r,
            _ => return,
        };
        let t0 = Instant::now();
        // The same instant on the wall clock, so tests can line the log up with the page's
        // performance.timeOrigin + performance.now() (same machine, same CLOCK_REALTIME).
        let t0_unix_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0);
        let wants_close = req
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        if !route(&mut conn, &req, (t0, t0_unix_ms), server, is_page) || wants_close {
            let _ = conn.shutdown(std::net::Shutdown::Both);
            return;
        }
    }
}

/// Answers one request. Returns false when the connection must not be reused.
fn route(
    conn: &mut TcpStream,
    req: &http::Request,
    (t0, t0_unix_ms): (Instant, f64),
    server: &Server,
    is_page: bool,
) -> bool {
    // `/p/<profile>,k=v/` prefix: options in the path, so an SDK's baseURL can select a profile.
    let mut opts = SimOptions::default();
    let mut path = req.path.clone();
    let mut cors_on = true;
    if let Some(rest) = path.strip_prefix("/p/") {
        let (spec, tail) = rest.split_once('/').unwrap_or((rest, ""));
        cors_on = !spec.split(',').any(|p| p == "cors=false");
        if let Err(e) = stream::apply_path_options(spec, &mut opts) {
            return http::respond(
                conn,
                400,
                &cors_headers(req),
                json!({"error": {"message": e}}).to_string().as_bytes(),
            )
            .is_ok();
        }
        path = format!("/{tail}");
    }
    let cors = if cors_on { cors_headers(req) } else { vec![] };
    let json_headers = |mut h: Vec<(&'static str, String)>| {
        h.push(("Content-Type", "application/json".into()));
        h
    };
    match (req.method.as_str(), path.as_str()) {
        ("OPTIONS", _) if cors_on => {
            let mut h = cors.clone();
            h.push(("Access-Control-Allow-Methods", "GET, POST, OPTIONS".into()));
            h.push((
                "Access-Control-Allow-Headers",
                req.header("access-control-request-headers")
                    .unwrap_or("*")
                    .to_string(),
            ));
            h.push(("Access-Control-Max-Age", "600".into()));
            let _ = http::respond(conn, 204, &h, b"");
        }
        ("GET", "/__sim/log") => {
            let id = req.query.split('&').find_map(|kv| kv.strip_prefix("id="));
            let body = serde_json::to_vec(&server.log.snapshot(id)).unwrap_or_default();
            let _ = http::respond(conn, 200, &json_headers(cors), &body);
        }
        ("GET", "/__sim/in-flight") => {
            let body = json!({"inFlight": server.log.in_flight()}).to_string();
            let _ = http::respond(conn, 200, &json_headers(cors), body.as_bytes());
        }
        ("POST", "/__sim/log/clear") => {
            server.log.clear();
            let _ = http::respond(conn, 204, &cors, b"");
        }
        ("GET", "/__sim/profiles") => {
            let list: Vec<_> = profile::PROFILES
                .iter()
                .map(|(n, d)| json!({"name": n, "description": d}))
                .collect();
            let _ = http::respond(
                conn,
                200,
                &json_headers(cors),
                json!(list).to_string().as_bytes(),
            );
        }
        ("POST", "/__relay") if is_page && server.relay => return relay::forward(conn, req),
        ("POST", "/__relay") => {
            let msg = "the same-origin relay is off; start chat-vitals-serve with --relay (audit CLI: --relay)";
            let _ = http::respond(
                conn,
                403,
                &json_headers(cors),
                json!({"error": {"message": msg}}).to_string().as_bytes(),
            );
        }
        ("GET", "/__sim/config") => {
            let body = json!({"relay": server.relay}).to_string();
            let _ = http::respond(conn, 200, &json_headers(cors), body.as_bytes());
        }
        ("GET", "/health") => {
            let _ = http::respond(conn, 200, &json_headers(cors), b"{\"ok\":true}");
        }
        ("POST", p) if Format::from_path(p).is_some() => {
            let format = Format::from_path(p).expect("checked above");
            let index = server.counter.fetch_add(1, Ordering::Relaxed);
            let id = format!("sim-{}", index + 1);
            // A truncated or abandoned stream must close the connection: that is how the client sees the end.
            return stream::serve(
                conn,
                req,
                format,
                opts,
                &server.default_profile,
                id,
                index,
                (t0, t0_unix_ms),
                &cors,
                &server.log,
            );
        }
        ("GET", _) if is_page => static_files::serve(conn, &server.www, &path, &req.query),
        _ => {
            let _ = http::respond(
                conn,
                404,
                &json_headers(cors),
                json!({"error": {"message": format!("no route for {} {}", req.method, path)}})
                    .to_string()
                    .as_bytes(),
            );
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn every_documented_flag_is_accepted() {
        for flag in help::FLAGS {
            let value = match flag.value {
                "" => None,
                "NAME" => Some("steady"),
                "DIR" => Some("www"),
                _ => Some("7"),
            };
            let args: Vec<&str> = std::iter::once(flag.name).chain(value).collect();
            let parsed = parse(&args).unwrap_or_else(|e| panic!("{}: {e}", flag.name));
            assert_eq!(matches!(parsed, Cli::Help), flag.name == "--help");
        }
    }

    #[test]
    fn bad_arguments_say_what_is_wrong() {
        let err = |args: &[&str]| parse(args).err().expect("rejected");
        assert_eq!(err(&["--bogus"]), "unknown argument \"--bogus\"");
        assert_eq!(err(&["--www"]), "--www needs a value");
        assert_eq!(
            err(&["--page-port", "x"]),
            "--page-port needs a port number"
        );
        assert!(err(&["--profile", "nope"]).contains("one of scripted, steady"));
        let Ok(Cli::Run(a)) = parse(&["--relay", "--max-seconds", "5"]) else {
            panic!("runs");
        };
        assert!(a.relay && a.max_seconds == 5 && a.profile == "realistic");
    }
}
