//! `chat-vitals-serve --help`: every flag, route, wire format, timing profile and per-request
//! option, from tables that the tests below check against what the server accepts.

use crate::profile::PROFILES;

/// A command-line flag: name, value placeholder (`""` for a switch), what it does.
pub struct Flag {
    pub name: &'static str,
    pub value: &'static str,
    pub help: &'static str,
}

/// Every flag `parse_args` accepts.
pub const FLAGS: &[Flag] = &[
    Flag {
        name: "--www",
        value: "DIR",
        help: "serve DIR as the page on --page-port (default: www), cross-origin isolated (COOP + COEP)",
    },
    Flag {
        name: "--page-port",
        value: "N",
        help: "page port on 127.0.0.1 (default 0: any free port); also serves the API",
    },
    Flag {
        name: "--api-port",
        value: "N",
        help: "API-only port on 127.0.0.1 (default 0: any free port); another origin than the page (CORS)",
    },
    Flag {
        name: "--profile",
        value: "NAME",
        help: "default timing profile (default: realistic); see PROFILES",
    },
    Flag {
        name: "--max-seconds",
        value: "N",
        help: "exit after N seconds (default 3600), so a forgotten server never lingers",
    },
    Flag {
        name: "--exit-on-stdin-eof",
        value: "",
        help: "exit when stdin closes (how tests and the CLI stop it)",
    },
    Flag {
        name: "--relay",
        value: "",
        help: "enable POST /__relay on the page port: forwards the request to the http:// endpoint named \
               by its x-relay-target header (one without CORS) and pipes the answer back unchanged \
               (adds a hop; reports say relay: true)",
    },
    Flag {
        name: "--help",
        value: "",
        help: "print this help and exit (also -h)",
    },
];

/// Streaming routes (POST, after an optional `/p/<profile>,k=v/` prefix) and the wire format each
/// speaks (`Format::name`).
pub const ROUTES: &[(&str, &str, &str)] = &[
    (
        "/v1/chat/completions",
        "openai-chat",
        "OpenAI Chat Completions SSE",
    ),
    ("/v1/responses", "openai-responses", "OpenAI Responses SSE"),
    ("/v1/messages", "anthropic", "Anthropic Messages SSE"),
    ("/api/chat", "ollama", "Ollama /api/chat NDJSON"),
    ("/api/generate", "ollama", "Ollama /api/generate NDJSON"),
    (
        "/api/ai-sdk/chat",
        "ai-sdk-ui",
        "Vercel AI SDK 5 UI message stream (useChat)",
    ),
    (
        "/api/ai-sdk/data",
        "ai-sdk-data",
        "Vercel AI SDK 4 data stream",
    ),
    ("/api/text", "text", "plain text"),
];

/// Other routes.
const OTHER_ROUTES: &[(&str, &str)] = &[
    (
        "GET /__sim/log[?id=ID]",
        "what was sent and when (arrivedUnixMs, offsetMs per write): ground truth",
    ),
    ("POST /__sim/log/clear", "forget the log"),
    ("GET /__sim/in-flight", "{inFlight: N} streams being served"),
    ("GET /__sim/profiles", "the profiles below as JSON"),
    ("GET /__sim/config", "{relay: bool}"),
    ("GET /health", "{ok: true}"),
    (
        "POST /__relay",
        "the same-origin relay (page port, with --relay)",
    ),
    (
        "GET /…",
        "files from --www (page port only; / opens the audit page)",
    ),
];

/// Per-request options in the path prefix, `/p/<profile>,key=value,…/<route>` (`apply_path_options`
/// rejects any key not listed here); the same keys
/// (with `ttft_ms` for `ttft` and `tokens_per_chunk` for `per_chunk`, plus `gaps_ms: [..]`) go in a
/// JSON body field `sim`.
pub const PATH_OPTIONS: &[(&str, &str)] = &[
    (
        "seed",
        "random seed (default: from the request's index, so a run repeats)",
    ),
    (
        "tokens",
        "tokens in the answer (default: max_tokens from the body, else 40)",
    ),
    ("scale", "multiply every delay (0.1 = ten times faster)"),
    ("ttft", "time to first token, ms (profile scripted only)"),
    ("per_chunk", "tokens per chunk"),
    (
        "truncate_after",
        "close the connection after N chunks, without the end marker",
    ),
    (
        "preempt_after",
        "after N chunks send the end marker without a finish reason, then break the body mid-chunk \
         (a preempted request: the browser's read fails)",
    ),
    (
        "error_after",
        "send the format's error event after N chunks",
    ),
    (
        "status",
        "answer with this HTTP status and a JSON error body",
    ),
    ("cors", "cors=false: no CORS headers (to try the relay)"),
];

/// The full `--help` text.
pub fn usage() -> String {
    let mut out = String::from(
        "usage: chat-vitals-serve [options]\n\
         Serves the chat-vitals page and a simulated LLM streaming endpoint on 127.0.0.1; prints\n\
         {\"page\": URL, \"api\": URL} as one JSON line when ready. Point an app at it by using one of\n\
         those URLs as its base URL (e.g. OpenAI SDK baseURL: http://127.0.0.1:PORT/v1, or\n\
         http://127.0.0.1:PORT/p/stalls,seed=7/v1 for a profile); any API key is accepted.\n\nOPTIONS\n",
    );
    for f in FLAGS {
        let name = format!("{} {}", f.name, f.value);
        out += &format!("  {:<22}{}\n", name.trim_end(), f.help);
    }
    out +=
        "\nSTREAMING ROUTES (POST; model, messages and max_tokens are read from the JSON body)\n";
    for (path, format, what) in ROUTES {
        out += &format!("  {path:<22}{format:<18}{what}\n");
    }
    out += "\nOTHER ROUTES\n";
    for (route, what) in OTHER_ROUTES {
        out += &format!("  {route:<26}{what}\n");
    }
    out += "\nPROFILES (--profile, or /p/<profile>/ per request)\n";
    for (name, what) in PROFILES {
        out += &format!("  {name:<12}{what}\n");
    }
    out += "\nPER-REQUEST OPTIONS: /p/<profile>,key=value,…/<route>, or a JSON body field \
            \"sim\": {\"ttft_ms\": 140, \"gaps_ms\": [30, 45], \"tokens\": 3}\n";
    for (key, what) in PATH_OPTIONS {
        out += &format!("  {key:<16}{what}\n");
    }
    out += "\nExample: curl -N http://127.0.0.1:PORT/p/steady,tokens=5/v1/chat/completions \
            -d '{\"model\":\"sim\",\"stream\":true}'\n";
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::Format;
    use crate::profile::SimOptions;
    use crate::stream::apply_path_options;

    #[test]
    fn every_route_is_served_in_the_format_it_names() {
        for (path, format, _) in ROUTES {
            let served = Format::from_path(path).unwrap_or_else(|| panic!("{path} not routed"));
            assert_eq!(served.name(), *format, "{path}");
        }
        assert!(Format::from_path("/v1/nope").is_none());
    }

    #[test]
    fn every_documented_path_option_is_accepted_and_others_are_not() {
        for (key, _) in PATH_OPTIONS {
            let value = if *key == "cors" { "false" } else { "1" };
            let mut opts = SimOptions::default();
            apply_path_options(&format!("steady,{key}={value}"), &mut opts)
                .unwrap_or_else(|e| panic!("{key}: {e}"));
        }
        let mut opts = SimOptions::default();
        assert!(apply_path_options("steady,bogus=1", &mut opts).is_err());
    }

    #[test]
    fn help_lists_every_flag_route_format_profile_and_option() {
        let text = usage();
        let names = FLAGS.iter().map(|f| f.name);
        let routes = ROUTES.iter().flat_map(|(p, f, _)| [*p, *f]);
        let profiles = PROFILES.iter().map(|(p, _)| *p);
        let options = PATH_OPTIONS.iter().map(|(k, _)| *k);
        for word in names.chain(routes).chain(profiles).chain(options) {
            assert!(text.contains(word), "--help lacks {word}");
        }
    }
}
