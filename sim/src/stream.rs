//! Serving one simulated streamed response and logging it.

use crate::formats::{Encoder, Format};
use crate::http::{self, ChunkedWriter, Request};
use crate::log::{LogEvent, LogStore, RequestLog};
use crate::profile::{self, SimOptions};
use serde_json::{Value, json};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Sleeps until `t0 + offset_ms`. `thread::sleep` overshoots by tens of µs on Linux, well under the
/// 5 µs–1 ms resolution the browser side can see; the log records the actual time, not the target.
fn sleep_until(t0: Instant, offset_ms: f64) {
    let target = t0 + Duration::from_secs_f64(offset_ms.max(0.0) / 1000.0);
    let now = Instant::now();
    if target > now {
        std::thread::sleep(target - now);
    }
}

fn ms_since(t0: Instant) -> f64 {
    t0.elapsed().as_secs_f64() * 1000.0
}

/// Parses `/p/<profile>[,key=value…]` options from a path prefix into `opts`.
pub fn apply_path_options(spec: &str, opts: &mut SimOptions) -> Result<(), String> {
    for (i, part) in spec.split(',').filter(|s| !s.is_empty()).enumerate() {
        match part.split_once('=') {
            None if i == 0 => opts.profile = Some(part.to_string()),
            None => return Err(format!("bad sim option {part:?}; expected key=value")),
            // Only documented keys (`--help` lists them), so the help cannot fall behind.
            Some((k, _)) if !crate::help::PATH_OPTIONS.iter().any(|(key, _)| *key == k) => {
                return Err(format!(
                    "unknown sim option {k:?}; chat-vitals-serve --help lists them"
                ));
            }
            Some((k, v)) => {
                let num = || {
                    v.parse::<f64>()
                        .map_err(|_| format!("sim option {k} needs a number, got {v:?}"))
                };
                match k {
                    "seed" => opts.seed = Some(num()? as u64),
                    "tokens" => opts.tokens = Some(num()? as usize),
                    "scale" => opts.scale = Some(num()?),
                    "ttft" => opts.ttft_ms = Some(num()?),
                    "per_chunk" => opts.tokens_per_chunk = Some(num()? as usize),
                    "truncate_after" => opts.truncate_after = Some(num()? as usize),
                    "error_after" => opts.error_after = Some(num()? as usize),
                    "preempt_after" => opts.preempt_after = Some(num()? as usize),
                    "status" => opts.status = Some(num()? as u16),
                    "cors" => {}
                    _ => return Err(format!("unknown sim option {k:?}")),
                }
            }
        }
    }
    Ok(())
}

/// Streams the planned response for `req` in `format` and records it in `log`. Returns whether the
/// connection can be reused (false after a simulated truncation or when the client went away).
#[allow(clippy::too_many_arguments)]
pub fn serve(
    stream: &mut TcpStream,
    req: &Request,
    format: Format,
    mut opts: SimOptions,
    default_profile: &str,
    id: String,
    index: u64,
    (t0, t0_unix_ms): (Instant, f64),
    cors: &[(&'static str, String)],
    log: &LogStore,
) -> bool {
    let _serving = log.serving();
    let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
    if let Some(sim) = body.get("sim")
        && let Ok(o) = serde_json::from_value::<SimOptions>(sim.clone())
    {
        merge(&mut opts, o);
    }
    if opts.tokens.is_none() {
        let max = ["max_tokens", "max_output_tokens", "max_completion_tokens"]
            .iter()
            .find_map(|k| body.get(k).and_then(Value::as_u64));
        opts.tokens = max.map(|m| m.min(100_000) as usize);
    }
    let model = body
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or("sim")
        .to_string();
    let wants_stream = match format {
        Format::Chat | Format::Responses | Format::Anthropic => {
            body.get("stream").and_then(Value::as_bool).unwrap_or(false)
        }
        Format::OllamaChat | Format::OllamaGenerate => {
            body.get("stream").and_then(Value::as_bool).unwrap_or(true)
        }
        _ => true,
    };
    let include_usage = body
        .pointer("/stream_options/include_usage")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let input_tokens = (req.body.len() / 4).max(1) as u64;
    let mut headers: Vec<(&str, String)> = cors.to_vec();
    headers.push(("x-sim-request-id", id.clone()));

    let plan = match profile::plan(&opts, default_profile, index) {
        Ok(p) => p,
        Err(e) => {
            headers.push(("Content-Type", "application/json".into()));
            return http::respond(
                stream,
                400,
                &headers,
                json!({"error": {"message": e, "type": "invalid_request_error"}})
                    .to_string()
                    .as_bytes(),
            )
            .is_ok();
        }
    };
    let mut entry = RequestLog {
        id: id.clone(),
        path: req.path.clone(),
        format: format.name(),
        profile: plan.profile.clone(),
        seed: plan.seed,
        model: model.clone(),
        arrived_unix_ms: t0_unix_ms,
        status: 200,
        outcome: "complete",
        ttft_ms: None,
        output_tokens: 0,
        text: String::new(),
        events: vec![],
    };
    if let Some(status) = plan.status {
        headers.push(("Content-Type", "application/json".into()));
        let body = json!({"error": {"message": "simulated HTTP error", "type": "server_error", "code": status}}).to_string();
        let ok = http::respond(stream, status, &headers, body.as_bytes()).is_ok();
        entry.status = status;
        entry.outcome = "http-error";
        log.push(entry);
        return ok;
    }
    let all_text: String = plan
        .steps
        .iter()
        .flat_map(|s| s.tokens.iter().map(String::as_str))
        .collect();
    let total_tokens: usize = plan.steps.iter().map(|s| s.tokens.len()).sum();
    if !wants_stream {
        sleep_until(t0, plan.steps.last().map_or(0.0, |s| s.offset_ms));
        headers.push(("Content-Type", "application/json".into()));
        let body = json!({"id": id, "object": "chat.completion", "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": all_text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": input_tokens, "completion_tokens": total_tokens, "total_tokens": input_tokens + total_tokens as u64}});
        entry.outcome = "non-streaming";
        entry.text = all_text;
        entry.output_tokens = total_tokens;
        let ok = http::respond(stream, 200, &headers, body.to_string().as_bytes()).is_ok();
        log.push(entry);
        return ok;
    }
    headers.extend(format.headers());
    let enc = Encoder {
        format,
        id,
        model,
        include_usage,
        input_tokens,
    };
    let result = (|| -> std::io::Result<()> {
        entry.events.push(LogEvent {
            offset_ms: ms_since(t0),
            kind: "headers",
            bytes: 0,
            tokens: 0,
            text: String::new(),
        });
        let mut w = ChunkedWriter::start(stream, 200, &headers)?;
        for (kind, bytes) in enc.preamble() {
            sleep_until(t0, plan.preamble_ms);
            entry.events.push(LogEvent {
                offset_ms: ms_since(t0),
                kind,
                bytes: bytes.len(),
                tokens: 0,
                text: String::new(),
            });
            w.send(&bytes)?;
        }
        for (i, step) in plan.steps.iter().enumerate() {
            if plan.truncate_after == Some(i) {
                entry.outcome = "truncated";
                return Ok(()); // close without terminator (and without the final zero chunk)
            }
            if plan.preempt_after == Some(i) {
                entry.outcome = "preempted";
                return preempt(&mut w, &enc, t0, &mut entry.events);
            }
            if plan.error_after == Some(i) {
                let bytes = enc.error();
                entry.events.push(LogEvent {
                    offset_ms: ms_since(t0),
                    kind: "error",
                    bytes: bytes.len(),
                    tokens: 0,
                    text: String::new(),
                });
                w.send(&bytes)?;
                entry.outcome = "error";
                return w.finish();
            }
            let text: String = step.tokens.concat();
            let bytes = enc.content(&text, i);
            sleep_until(t0, step.offset_ms);
            let offset_ms = ms_since(t0);
            entry.ttft_ms.get_or_insert(offset_ms);
            entry.output_tokens += step.tokens.len();
            entry.text.push_str(&text);
            entry.events.push(LogEvent {
                offset_ms,
                kind: "content",
                bytes: bytes.len(),
                tokens: step.tokens.len(),
                text,
            });
            w.send(&bytes)?;
        }
        let last = plan.steps.last().map_or(plan.preamble_ms, |s| s.offset_ms);
        for (kind, bytes) in enc.finish(total_tokens as u64, &all_text) {
            sleep_until(t0, last + plan.tail_ms);
            entry.events.push(LogEvent {
                offset_ms: ms_since(t0),
                kind,
                bytes: bytes.len(),
                tokens: 0,
                text: String::new(),
            });
            w.send(&bytes)?;
        }
        w.finish()
    })();
    if result.is_err() {
        entry.outcome = "client-closed";
    }
    let reusable = result.is_ok() && !matches!(entry.outcome, "truncated" | "preempted");
    log.push(entry);
    reusable
}

/// How long after the end marker a preempted response breaks its body, ms.
const PREEMPT_DROP_DELAY_MS: f64 = 30.0;

/// Bytes of the chunk a preempted response breaks off: its size line promises this many, fewer follow.
const BROKEN_CHUNK_PROMISED: usize = 64;

/// The end marker without a finish reason, then a chunk cut short: the connection closes inside
/// it, so the body is broken mid-chunk (each write is logged, `broken-chunk` with the bytes sent).
fn preempt(
    w: &mut ChunkedWriter<'_>,
    enc: &Encoder,
    t0: Instant,
    events: &mut Vec<LogEvent>,
) -> std::io::Result<()> {
    let mut log = |kind, bytes: usize| {
        events.push(LogEvent {
            offset_ms: ms_since(t0),
            kind,
            bytes,
            tokens: 0,
            text: String::new(),
        })
    };
    let marker = enc.end_without_finish();
    log("done-no-finish", marker.len());
    w.send(&marker)?;
    // The drop comes a moment after `[DONE]`, as in the observed server: bytes that arrive together
    // with a broken chunk may be discarded by the browser along with it.
    sleep_until(t0, ms_since(t0) + PREEMPT_DROP_DELAY_MS);
    let partial = b"data: {\"choices\":[{\"delta\":";
    log("broken-chunk", partial.len());
    w.send_partial(partial, BROKEN_CHUNK_PROMISED)
}

fn merge(into: &mut SimOptions, from: SimOptions) {
    macro_rules! take { ($($f:ident),*) => { $( if from.$f.is_some() { into.$f = from.$f; } )* } }
    take!(
        profile,
        seed,
        tokens,
        scale,
        ttft_ms,
        gaps_ms,
        tokens_per_chunk,
        truncate_after,
        error_after,
        preempt_after,
        status
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;

    /// What a client reads from a preempted Chat Completions response body.
    fn preempted_body() -> (String, Vec<LogEvent>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let mut client = TcpStream::connect(listener.local_addr().expect("addr")).expect("connect");
        let (mut server, _) = listener.accept().expect("accept");
        let enc = Encoder {
            format: Format::Chat,
            id: "r1".into(),
            model: "m".into(),
            include_usage: false,
            input_tokens: 1,
        };
        let mut events = vec![];
        {
            let mut w = ChunkedWriter::start(&mut server, 200, &[]).expect("head");
            w.send(&enc.content("Hello", 0)).expect("content");
            preempt(&mut w, &enc, Instant::now(), &mut events).expect("preempt");
        }
        drop(server);
        let mut raw = String::new();
        client.read_to_string(&mut raw).expect("read");
        (raw, events)
    }

    #[test]
    fn a_preempted_response_sends_done_without_a_finish_reason_then_breaks_mid_chunk() {
        let (raw, events) = preempted_body();
        let body = &raw[raw.find("\r\n\r\n").expect("head end") + 4..];
        assert!(body.contains("\"content\":\"Hello\""));
        assert!(body.contains("\r\ndata: [DONE]\n\n\r\n"));
        assert!(
            !body.contains("finish_reason\":\"stop"),
            "no finish reason: {body}"
        );
        assert!(!body.ends_with("0\r\n\r\n"), "no terminating chunk: {body}");
        let last = body.rsplit("\r\n").next().expect("a last piece");
        let promised = body
            .trim_end_matches(last)
            .trim_end_matches("\r\n")
            .rsplit("\r\n")
            .next()
            .expect("size");
        let promised = usize::from_str_radix(promised, 16).expect("a chunk size line");
        assert!(
            last.len() < promised,
            "{} of {promised} bytes sent",
            last.len()
        );
        let kinds: Vec<_> = events.iter().map(|e| (e.kind, e.bytes)).collect();
        assert_eq!(
            kinds,
            [("done-no-finish", 14), ("broken-chunk", last.len())]
        );
    }

    #[test]
    fn path_options_parse() {
        let mut o = SimOptions::default();
        apply_path_options("bursty,seed=3,tokens=12,scale=0.5", &mut o).unwrap();
        assert_eq!(o.profile.as_deref(), Some("bursty"));
        assert_eq!((o.seed, o.tokens, o.scale), (Some(3), Some(12), Some(0.5)));
        apply_path_options("scripted,preempt_after=2", &mut o).unwrap();
        assert_eq!(o.preempt_after, Some(2));
        assert!(apply_path_options("steady,bogus=1", &mut o).is_err());
        assert!(apply_path_options("steady,seed=x", &mut o).is_err());
    }
}
