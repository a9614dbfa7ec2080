//! Wire encoders: the same plan spoken in each streaming format chat-vitals reads.
//! Byte layouts follow ../shared/reference/wire-formats.md (taken from the official SDKs' types and fixtures).

use serde_json::json;

/// A wire format, chosen by the request path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Chat,
    Responses,
    Anthropic,
    OllamaChat,
    OllamaGenerate,
    AiSdkUi,
    AiSdkData,
    Text,
}

impl Format {
    /// Path (after an optional `/p/<profile>` prefix) → format.
    pub fn from_path(path: &str) -> Option<Format> {
        Some(match path {
            "/v1/chat/completions" => Format::Chat,
            "/v1/responses" => Format::Responses,
            "/v1/messages" => Format::Anthropic,
            "/api/chat" => Format::OllamaChat,
            "/api/generate" => Format::OllamaGenerate,
            "/api/ai-sdk/chat" => Format::AiSdkUi,
            "/api/ai-sdk/data" => Format::AiSdkData,
            "/api/text" => Format::Text,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Chat => "openai-chat",
            Format::Responses => "openai-responses",
            Format::Anthropic => "anthropic",
            Format::OllamaChat | Format::OllamaGenerate => "ollama",
            Format::AiSdkUi => "ai-sdk-ui",
            Format::AiSdkData => "ai-sdk-data",
            Format::Text => "text",
        }
    }

    /// Content type and format-specific headers.
    pub fn headers(self) -> Vec<(&'static str, String)> {
        let mut h = vec![("Cache-Control", "no-cache".to_string())];
        match self {
            Format::OllamaChat | Format::OllamaGenerate => {
                h.push(("Content-Type", "application/x-ndjson".into()))
            }
            Format::Text => h.push(("Content-Type", "text/plain; charset=utf-8".into())),
            Format::AiSdkData => {
                h.push(("Content-Type", "text/plain; charset=utf-8".into()));
                h.push(("x-vercel-ai-data-stream", "v1".into()));
            }
            Format::AiSdkUi => {
                h.push(("Content-Type", "text/event-stream".into()));
                h.push(("x-vercel-ai-ui-message-stream", "v1".into()));
                h.push(("x-accel-buffering", "no".into()));
            }
            _ => h.push(("Content-Type", "text/event-stream".into())),
        }
        h
    }
}

fn sse(data: &serde_json::Value) -> Vec<u8> {
    format!("data: {data}\n\n").into_bytes()
}

fn named(event: &str, data: &serde_json::Value) -> Vec<u8> {
    format!("event: {event}\ndata: {data}\n\n").into_bytes()
}

fn line(v: &serde_json::Value) -> Vec<u8> {
    format!("{v}\n").into_bytes()
}

/// Encodes one response of `format`. `id` is the request id (also in the log).
pub struct Encoder {
    pub format: Format,
    pub id: String,
    pub model: String,
    pub include_usage: bool,
    pub input_tokens: u64,
}

impl Encoder {
    /// Events before the first token (role chunk, message_start, …), each with a log label.
    pub fn preamble(&self) -> Vec<(&'static str, Vec<u8>)> {
        let (id, model) = (&self.id, &self.model);
        match self.format {
            Format::Chat => vec![(
                "role",
                sse(
                    &json!({"id": id, "object": "chat.completion.chunk", "created": 1700000000, "model": model,
                "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": null}], "usage": null, "obfuscation": "qT7x"}),
                ),
            )],
            Format::Responses => {
                let mut b = named(
                    "response.created",
                    &json!({"type": "response.created", "sequence_number": 0, "response": {"id": id, "object": "response", "status": "in_progress", "model": model, "output": []}}),
                );
                b.extend(named("response.output_item.added", &json!({"type": "response.output_item.added", "sequence_number": 1, "output_index": 0, "item": {"id": "msg_1", "type": "message", "role": "assistant", "status": "in_progress", "content": []}})));
                b.extend(named("response.content_part.added", &json!({"type": "response.content_part.added", "sequence_number": 2, "item_id": "msg_1", "output_index": 0, "content_index": 0, "part": {"type": "output_text", "text": "", "annotations": []}})));
                vec![("preamble", b)]
            }
            Format::Anthropic => {
                let mut b = named(
                    "message_start",
                    &json!({"type": "message_start", "message": {"id": id, "type": "message", "role": "assistant", "content": [], "model": model, "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": self.input_tokens, "output_tokens": 1}}}),
                );
                b.extend(named("content_block_start", &json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}})));
                b.extend(named("ping", &json!({"type": "ping"})));
                vec![("preamble", b)]
            }
            Format::AiSdkUi => {
                let mut b = sse(&json!({"type": "start", "messageId": id}));
                b.extend(sse(&json!({"type": "start-step"})));
                b.extend(sse(&json!({"type": "text-start", "id": "t1"})));
                vec![("preamble", b)]
            }
            Format::OllamaChat | Format::OllamaGenerate | Format::AiSdkData | Format::Text => {
                vec![]
            }
        }
    }

    /// One write carrying `text` (the concatenation of this step's tokens).
    pub fn content(&self, text: &str, seq: usize) -> Vec<u8> {
        let (id, model) = (&self.id, &self.model);
        match self.format {
            Format::Chat => sse(
                &json!({"id": id, "object": "chat.completion.chunk", "created": 1700000000, "model": model,
                "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": null}], "usage": null, "obfuscation": "Zr0c1"}),
            ),
            Format::Responses => named(
                "response.output_text.delta",
                &json!({"type": "response.output_text.delta", "sequence_number": seq + 3, "item_id": "msg_1", "output_index": 0, "content_index": 0, "delta": text, "logprobs": []}),
            ),
            Format::Anthropic => named(
                "content_block_delta",
                &json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": text}}),
            ),
            Format::OllamaChat => line(
                &json!({"model": model, "created_at": "2026-11-28T00:00:00Z", "message": {"role": "assistant", "content": text}, "done": false}),
            ),
            Format::OllamaGenerate => line(
                &json!({"model": model, "created_at": "2026-11-28T00:00:00Z", "response": text, "done": false}),
            ),
            Format::AiSdkUi => sse(&json!({"type": "text-delta", "id": "t1", "delta": text})),
            Format::AiSdkData => format!("0:{}\n", json!(text)).into_bytes(),
            Format::Text => text.as_bytes().to_vec(),
        }
    }

    /// An in-stream error payload.
    pub fn error(&self) -> Vec<u8> {
        match self.format {
            Format::Chat => sse(
                &json!({"error": {"message": "simulated failure", "type": "server_error", "code": "sim_error"}}),
            ),
            Format::Responses => named(
                "error",
                &json!({"type": "error", "code": "server_error", "message": "simulated failure", "sequence_number": 999}),
            ),
            Format::Anthropic => named(
                "error",
                &json!({"type": "error", "error": {"type": "overloaded_error", "message": "simulated failure"}}),
            ),
            Format::OllamaChat | Format::OllamaGenerate => {
                line(&json!({"error": "simulated failure"}))
            }
            Format::AiSdkUi => sse(&json!({"type": "error", "errorText": "simulated failure"})),
            Format::AiSdkData => format!("3:{}\n", json!("simulated failure")).into_bytes(),
            Format::Text => b"\n[simulated failure]".to_vec(),
        }
    }

    /// The format's end marker without a finish reason (a preempted request): `data: [DONE]`
    /// without the `finish_reason` chunk, `message_stop` without `message_delta`, `"done": true`
    /// without `done_reason`, AI SDK `finish` without `finishReason`. Empty for text (no marker).
    pub fn end_without_finish(&self) -> Vec<u8> {
        match self.format {
            Format::Chat | Format::Responses => b"data: [DONE]\n\n".to_vec(),
            Format::Anthropic => {
                let mut b = named(
                    "content_block_stop",
                    &json!({"type": "content_block_stop", "index": 0}),
                );
                b.extend(named("message_stop", &json!({"type": "message_stop"})));
                b
            }
            Format::OllamaChat | Format::OllamaGenerate => line(
                &json!({"model": self.model, "created_at": "2026-11-28T00:00:00Z", "response": "", "done": true}),
            ),
            Format::AiSdkUi => {
                let mut b = sse(&json!({"type": "finish"}));
                b.extend(b"data: [DONE]\n\n");
                b
            }
            Format::AiSdkData => b"d:{}\n".to_vec(),
            Format::Text => vec![],
        }
    }

    /// Events after the last token (finish, usage, terminator), each with a log label.
    pub fn finish(&self, output_tokens: u64, text: &str) -> Vec<(&'static str, Vec<u8>)> {
        let (id, model) = (&self.id, &self.model);
        let input = self.input_tokens;
        match self.format {
            Format::Chat => {
                let mut v = vec![("finish", sse(&json!({"id": id, "object": "chat.completion.chunk", "created": 1700000000, "model": model,
                    "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "usage": null})))];
                if self.include_usage {
                    v.push(("usage", sse(&json!({"id": id, "object": "chat.completion.chunk", "created": 1700000000, "model": model, "choices": [],
                        "usage": {"prompt_tokens": input, "completion_tokens": output_tokens, "total_tokens": input + output_tokens}}))));
                }
                v.push(("done", b"data: [DONE]\n\n".to_vec()));
                v
            }
            Format::Responses => {
                let mut b = named("response.output_text.done", &json!({"type": "response.output_text.done", "sequence_number": 100000, "item_id": "msg_1", "output_index": 0, "content_index": 0, "text": text, "logprobs": []}));
                b.extend(named("response.completed", &json!({"type": "response.completed", "sequence_number": 100001, "response": {"id": id, "object": "response", "status": "completed", "model": model,
                    "output": [{"id": "msg_1", "type": "message", "role": "assistant", "status": "completed", "content": [{"type": "output_text", "text": text, "annotations": []}]}],
                    "usage": {"input_tokens": input, "output_tokens": output_tokens, "total_tokens": input + output_tokens}}})));
                vec![("done", b)]
            }
            Format::Anthropic => {
                let mut b = named("content_block_stop", &json!({"type": "content_block_stop", "index": 0}));
                b.extend(named("message_delta", &json!({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"output_tokens": output_tokens}})));
                b.extend(named("message_stop", &json!({"type": "message_stop"})));
                vec![("done", b)]
            }
            Format::OllamaChat => vec![("done", line(&json!({"model": model, "created_at": "2026-11-28T00:00:00Z", "message": {"role": "assistant", "content": ""}, "done": true, "done_reason": "stop",
                "total_duration": 1, "load_duration": 1, "prompt_eval_count": input, "prompt_eval_duration": 1, "eval_count": output_tokens, "eval_duration": 1})))],
            Format::OllamaGenerate => vec![("done", line(&json!({"model": model, "created_at": "2026-11-28T00:00:00Z", "response": "", "done": true, "done_reason": "stop",
                "total_duration": 1, "load_duration": 1, "prompt_eval_count": input, "prompt_eval_duration": 1, "eval_count": output_tokens, "eval_duration": 1})))],
            Format::AiSdkUi => {
                let mut b = sse(&json!({"type": "text-end", "id": "t1"}));
                b.extend(sse(&json!({"type": "finish-step"})));
                b.extend(sse(&json!({"type": "finish"})));
                b.extend(b"data: [DONE]\n\n");
                vec![("done", b)]
            }
            Format::AiSdkData => vec![("done", format!("d:{}\n", json!({"finishReason": "stop", "usage": {"promptTokens": input, "completionTokens": output_tokens}})).into_bytes())],
            Format::Text => vec![],
        }
    }
}
