#!/usr/bin/python3
"""A small FHIR R4 transaction receiver for pocgate's uplink tests.

Serves HTTPS (or plain HTTP with --plain-http) on 127.0.0.1, accepts POSTed transaction
Bundles on any path, validates them with fhir.resources (R4B models) when installed, emulates
conditional create on identifiers (existing -> "200 OK", new -> "201 Created"), and the
conditional update (PUT <type>?identifier=...) of the gateway heartbeat the same way, and answers
a transaction-response Bundle with one entry per request entry.

Request bodies with "Content-Encoding: gzip" are decompressed first.

Every received Observation is appended to --log as one JSON line, with "_status" ("201" or
"200") and "_value_text" (the valueQuantity.value exactly as sent). Every POST is appended to
--requests as one JSON line: n, received_at (Unix seconds), path, status, contentType,
entries, headers (lowercased names: content-encoding and the x-pocgate-* signing headers),
body (text) and body_b64 (the body after undoing Content-Encoding, base64). That file is the
log format `pocgate verify-chain` reads. A POST whose body ends before its Content-Length
(the client died mid-send) is not logged and gets no answer.

Misbehaviour for tests:
  --fail-first N            answer --fail-status (default 500) to the first N POSTs
  --retry-after VALUE       send "Retry-After: VALUE" with those answers
  --reject-identifier V     answer that Observation's entry with "422 Unprocessable Entity"
  --reject-whole-identifier V
                            answer the whole Bundle 422 when it holds that Observation
  --max-entries N           answer 413 to a Bundle with more than N Observations
  --short-response          answer 200 with one entry too few
  --redirect-path P --redirect-location URL [--redirect-status 307]
                            answer POSTs to path P with a redirect ("{port}" in URL = own port)
  --client-ca FILE          require a TLS client certificate signed by that CA
  --no-validate             skip the fhir.resources validation (fast, for large runs)
  --lean-logs               log only each Observation's identifier and _status, and no
                            request bodies (for runs of 100,000s of readings)
Install the validator with:
  /usr/bin/python3 -m pip install --break-system-packages fhir.resources
"""
import argparse
import base64
import decimal
import gzip
import time
import http.server
import json
import os
import signal
import ssl
import sys
import threading
import urllib.parse

try:
    from fhir.resources.R4B.bundle import Bundle as R4BBundle
except ImportError:  # validated later against --require-validation
    R4BBundle = None


SIGNING_HEADERS = ("content-encoding", "x-pocgate-gateway", "x-pocgate-sequence", "x-pocgate-previous",
                   "x-pocgate-signature", "x-pocgate-heartbeat")


def validate_bundle(raw, enabled=True):
    """Returns None when the bundle is valid R4B, else the validation message."""
    if R4BBundle is None or not enabled:
        return None
    tally = os.environ.get("POCGATE_VALIDATION_TALLY")
    if tally:
        with open(tally, "a") as f:
            f.write("1\n")
    try:
        if hasattr(R4BBundle, "model_validate_json"):
            R4BBundle.model_validate_json(raw)
        else:
            R4BBundle.parse_raw(raw)
    except Exception as error:  # pydantic.ValidationError and JSON errors
        return str(error)
    return None


def unescape_search_value(text):
    """Undoes FHIR search escaping (backslash before \\ | , $)."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            i += 1
        out.append(text[i])
        i += 1
    return "".join(out)


def parse_if_none_exist(query):
    """'identifier=system|value' (percent-encoded) -> (system, value), or None."""
    name, _, token = query.partition("=")
    if name != "identifier":
        return None
    token = urllib.parse.unquote(token)
    # The first unescaped '|' separates system and value.
    i = 0
    while i < len(token):
        if token[i] == "\\":
            i += 2
            continue
        if token[i] == "|":
            return token[:i], unescape_search_value(token[i + 1:])
        i += 1
    return None


def outcome(code, text):
    return {"resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": code, "diagnostics": text}]}


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.posts = 0
        self.known = {}   # (resourceType, system, value) -> id
        self.next_id = 1

    def append(self, path, record):
        if not path:
            return
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(record, sort_keys=True) + "\n")
            f.flush()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "pocgate-fhir-receiver/1"

    def log_message(self, fmt, *args):
        pass

    def send_json(self, status, body, extra_headers=()):
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/fhir+json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in extra_headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        statement = {"resourceType": "CapabilityStatement", "status": "active", "kind": "instance"}
        if self.path.split("?")[0].endswith("/metadata"):
            statement.update({"date": "2026-01-01", "fhirVersion": "4.0.1", "format": ["json"],
                              "software": {"name": "pocgate-fhir-receiver", "version": "1"}})
        self.send_json(200, statement)

    def do_POST(self):
        state = self.server.state
        args = state.args
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length)
        if len(data) < length:
            # The client went away mid-send: nothing was received.
            self.close_connection = True
            return
        if args.redirect_path and self.path == args.redirect_path:
            location = args.redirect_location.replace("{port}", str(self.server.server_address[1]))
            self.send_json(args.redirect_status, outcome("informational", "moved"), [("Location", location)])
            return
        encoding = (self.headers.get("Content-Encoding") or "identity").lower()
        decode_error = None
        if encoding == "gzip":
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError) as error:
                decode_error = "the gzip body cannot be decompressed: %s" % error
        elif encoding != "identity":
            decode_error = "unsupported Content-Encoding %s" % encoding
        raw = data.decode("utf-8", errors="replace")
        headers = {name: self.headers.get(name) for name in SIGNING_HEADERS if self.headers.get(name) is not None}
        with state.lock:
            state.posts += 1
            number = state.posts
            if decode_error:
                status, body = 400, outcome("structure", decode_error)
            else:
                status, body = self.answer(state, raw, number)
            entries = len(body.get("entry", [])) if isinstance(body, dict) else 0
            record = {"n": number, "received_at": time.time(), "path": self.path, "status": status,
                      "contentType": self.headers.get("Content-Type"), "headers": headers, "entries": entries}
            if not args.lean_logs:
                record["body"] = raw
                record["body_b64"] = base64.b64encode(data).decode("ascii")
            state.append(args.requests, record)
        extra = [("Retry-After", args.retry_after)] if args.retry_after and number <= args.fail_first else []
        self.send_json(status, body, extra)

    def answer(self, state, raw, number):
        args = state.args
        if number <= args.fail_first:
            return args.fail_status, outcome("transient", "failing on purpose (--fail-first)")
        if not (self.headers.get("Content-Type") or "").startswith("application/fhir+json"):
            return 415, outcome("not-supported", "Content-Type must be application/fhir+json")
        problem = validate_bundle(raw, not args.no_validate)
        if problem:
            return 400, outcome("invalid", "R4B validation failed: " + problem)
        try:
            bundle = json.loads(raw, parse_float=decimal.Decimal)
        except ValueError as error:
            return 400, outcome("structure", "not JSON: %s" % error)
        if bundle.get("resourceType") != "Bundle" or bundle.get("type") != "transaction":
            return 400, outcome("invalid", "expected a transaction Bundle")
        observations = [e.get("resource") or {} for e in bundle.get("entry", [])
                        if (e.get("resource") or {}).get("resourceType") == "Observation"]
        if args.max_entries is not None and len(observations) > args.max_entries:
            return 413, outcome("too-costly", "at most %d Observations per Bundle" % args.max_entries)
        if args.reject_whole_identifier and any(
                ((o.get("identifier") or [{}])[0]).get("value") == args.reject_whole_identifier for o in observations):
            return 422, outcome("business-rule", "the transaction failed: an Observation was rejected on purpose")
        responses = []
        for entry in bundle.get("entry", []):
            responses.append({"response": self.create(state, entry)})
        if args.short_response and responses:
            responses.pop()
        return 200, {"resourceType": "Bundle", "type": "transaction-response", "entry": responses}

    def create(self, state, entry):
        resource = entry.get("resource") or {}
        kind = resource.get("resourceType")
        request = entry.get("request") or {}
        identifiers = resource.get("identifier") or []
        method = request.get("method")
        if method not in ("POST", "PUT") or not identifiers:
            return {"status": "400 Bad Request", "outcome": outcome("invalid", "expected a POST or PUT with an identifier")}
        ident = identifiers[0]
        key = (kind, ident.get("system"), ident.get("value"))
        if method == "PUT":
            # A conditional update: PUT <type>?identifier=<system>|<value>, the resource's own identifier.
            target, _, query = (request.get("url") or "").partition("?")
            if target != kind or parse_if_none_exist(query) != (key[1], key[2]):
                return {"status": "400 Bad Request",
                        "outcome": outcome("invalid", "conditional update %r does not match the identifier" % request.get("url"))}
        else:
            condition = parse_if_none_exist(request.get("ifNoneExist", ""))
            if condition != (key[1], key[2]):
                return {"status": "400 Bad Request",
                        "outcome": outcome("invalid", "ifNoneExist %r does not match the identifier" % request.get("ifNoneExist"))}
        if kind == "Observation" and ident.get("value") == state.args.reject_identifier:
            return {"status": "422 Unprocessable Entity", "outcome": outcome("business-rule", "rejected on purpose")}
        existing = key in state.known
        if not existing:
            state.known[key] = state.next_id
            state.next_id += 1
        status = "200" if existing else "201"
        if kind == "Observation" and state.args.lean_logs:
            state.append(state.args.log, {"identifier": [{"value": ident.get("value")}], "_status": status})
        elif kind == "Observation":
            record = json.loads(json.dumps(resource, default=float))
            value = (resource.get("valueQuantity") or {}).get("value")
            record["_status"] = status
            record["_value_text"] = None if value is None else str(value)
            state.append(state.args.log, record)
        return {"status": "200 OK" if existing else "201 Created",
                "location": "%s/%d/_history/1" % (kind, state.known[key])}


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    ssl_context = None

    def get_request(self):
        sock, address = self.socket.accept()
        if self.ssl_context is not None:
            # The handshake happens in the handler thread, so a bad client blocks no one else.
            sock = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        print("fhir_receiver: connection from %s failed: %s" % (client_address[0], error), file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--port", type=int, default=0, help="listen on this port (default: any free one)")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--plain-http", action="store_true")
    parser.add_argument("--log")
    parser.add_argument("--requests")
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--fail-status", type=int, default=500)
    parser.add_argument("--reject-identifier")
    parser.add_argument("--short-response", action="store_true")
    parser.add_argument("--retry-after")
    parser.add_argument("--reject-whole-identifier")
    parser.add_argument("--max-entries", type=int)
    parser.add_argument("--redirect-path")
    parser.add_argument("--redirect-location")
    parser.add_argument("--redirect-status", type=int, default=307)
    parser.add_argument("--client-ca")
    parser.add_argument("--no-validate", action="store_true")
    parser.add_argument("--lean-logs", action="store_true")
    parser.add_argument("--require-validation", action="store_true",
                        help="exit with status 3 when fhir.resources is not installed")
    args = parser.parse_args()

    if args.require_validation and R4BBundle is None and not args.no_validate:
        print("fhir_receiver: fhir.resources is not installed; run: "
              "/usr/bin/python3 -m pip install --break-system-packages fhir.resources", file=sys.stderr)
        return 3
    if not args.plain_http and not (args.cert and args.key):
        print("fhir_receiver: --cert and --key are required unless --plain-http", file=sys.stderr)
        return 2

    server = Server(("127.0.0.1", args.port), Handler)
    server.state = State(args)
    if not args.plain_http:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(args.cert, args.key)
        if args.client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(args.client_ca)
        server.ssl_context = context

    def terminate(signum, frame):
        raise SystemExit(0)
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)
    # A parent started from a libdispatch thread (Swift Testing) hands down a signal mask that
    # blocks SIGTERM; unblock it or the receiver could never be stopped.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})

    temporary = args.port_file + ".tmp"
    with open(temporary, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(temporary, args.port_file)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
