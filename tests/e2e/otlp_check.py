"""Checks OTLP/HTTP JSON metric payloads with the real protobuf classes (PyPI opentelemetry-proto + protobuf).

stdin: {"payloads": [<body text>, ...], "bounds": {metric name: [explicit bounds]}}
stdout: {"results": [{"ok": bool, "errors": [...], "metrics": {name: {"points": n, "count": n}}}, ...]}

json_format.Parse (strict: unknown fields are errors) proves the payload is an ExportMetricsServiceRequest under
the proto3 JSON mapping. It does not catch snake_case keys, enum names, length mismatches or base64 ids
(browser.md section 4), so those are checked by hand here, on the JSON and on the parsed message.
"""

import json
import re
import sys

from google.protobuf import json_format
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest

CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")
DIGITS = re.compile(r"^[0-9]+$")
HEX_LEN = {"traceId": 32, "spanId": 16}


def walk_keys(node, errors, path="$"):
    if isinstance(node, dict):
        for k, v in node.items():
            if not CAMEL.match(k):
                errors.append(f"{path}: key {k!r} is not lowerCamelCase")
            if k in HEX_LEN and not re.fullmatch(f"[0-9a-f]{{{HEX_LEN[k]}}}", str(v)):
                errors.append(f"{path}.{k}: not {HEX_LEN[k]} hex digits")
            walk_keys(v, errors, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk_keys(v, errors, f"{path}[{i}]")


def check_point(name, dp, parsed, bounds, errors):
    where = f"{name}"
    counts, explicit = dp.get("bucketCounts", []), dp.get("explicitBounds", [])
    if len(counts) != len(explicit) + 1:
        errors.append(f"{where}: {len(counts)} bucketCounts for {len(explicit)} bounds")
    if any(b >= c for b, c in zip(explicit, explicit[1:])):
        errors.append(f"{where}: bounds do not strictly increase")
    if name in bounds and explicit != bounds[name]:
        errors.append(f"{where}: bounds {explicit} differ from the expected {bounds[name]}")
    for field in ("count", "startTimeUnixNano", "timeUnixNano", *[f"bucketCounts[{i}]" for i in range(len(counts))]):
        v = counts[int(field[13:-1])] if field.startswith("bucketCounts") else dp.get(field)
        if not isinstance(v, str) or not DIGITS.match(v):
            errors.append(f"{where}: {field} {v!r} is not a decimal string (fixed64)")
    if sum(parsed.bucket_counts) != parsed.count:
        errors.append(f"{where}: bucket counts add up to {sum(parsed.bucket_counts)}, count is {parsed.count}")
    if parsed.time_unix_nano < parsed.start_time_unix_nano:
        errors.append(f"{where}: timeUnixNano before startTimeUnixNano")
    if parsed.HasField("min") and parsed.HasField("max") and parsed.min > parsed.max:
        errors.append(f"{where}: min > max")


def check(text, bounds):
    errors, metrics = [], {}
    try:
        raw = json.loads(text)
        msg = json_format.Parse(text, ExportMetricsServiceRequest())
    except Exception as e:  # ParseError or JSON error: the payload is not an ExportMetricsServiceRequest
        return {"ok": False, "errors": [f"parse: {e}"], "metrics": {}}
    walk_keys(raw, errors)
    if not msg.resource_metrics:
        errors.append("no resourceMetrics")
    for rm_raw, rm in zip(raw.get("resourceMetrics", []), msg.resource_metrics):
        for sm_raw, sm in zip(rm_raw.get("scopeMetrics", []), rm.scope_metrics):
            for m_raw, m in zip(sm_raw.get("metrics", []), sm.metrics):
                if m.WhichOneof("data") != "histogram":
                    errors.append(f"{m.name}: not a histogram")
                    continue
                t = m_raw.get("histogram", {}).get("aggregationTemporality")
                if not isinstance(t, int) or t not in (1, 2):
                    errors.append(f"{m.name}: aggregationTemporality {t!r} is not the integer 1 or 2")
                entry = metrics.setdefault(m.name, {"points": 0, "count": 0, "unit": m.unit})
                for dp_raw, dp in zip(m_raw.get("histogram", {}).get("dataPoints", []), m.histogram.data_points):
                    check_point(m.name, dp_raw, dp, bounds, errors)
                    entry["points"] += 1
                    entry["count"] += dp.count
    return {"ok": not errors, "errors": errors, "metrics": metrics}


def main():
    req = json.load(sys.stdin)
    json.dump({"results": [check(p, req.get("bounds", {})) for p in req["payloads"]]}, sys.stdout)


if __name__ == "__main__":
    main()
