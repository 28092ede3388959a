#!/usr/bin/env python3
"""A fault-injecting HTTP/1.1 proxy for the chaos suite (scripts/chaos): it sits between a client
(the daemon, sns-produce) and moto_server, forwards each request's method, path, headers and body
unchanged (the Host header stays the proxy's, so SigV4 signatures stay valid; moto does not check
them), and injects faults:

  reset_before   close the client's connection with a TCP reset, without forwarding the request
  reset_after    forward the request, read the server's reply, then reset the client's connection
  http500        reply 500 InternalFailure without forwarding
  http503        reply 503 ServiceUnavailable without forwarding
  throttle       reply 400 as AWS throttles: SQS JSON `ThrottlingException` with
                 `x-amzn-query-error: RequestThrottled;Sender`; SNS (query) `Throttling`
  slow           forward the request, then hold the reply DELAY seconds (past the client's read
                 timeout) before sending it
  truncate       forward the request, send the reply's headers (Content-Length of the full body)
                 and half the body, then close the connection
  refuse         (outages only) close the listening socket, so connections are refused, and reset
                 every open connection; listen again when the outage ends

Faults hit a fraction RATE of the requests whose action is in ACTIONS (all actions by default),
each request drawing one of the fault classes at random; outages hit every request (and, for
`refuse`, every connection) from START to END seconds after the proxy started, or while the
control channel says so.

Usage:
  chaos_proxy.py --port P --upstream http://127.0.0.1:M [--control-port C] [--fault CLASS]...
                 [--rate R] [--actions A,B] [--outage START:END[:CLASS]]... [--delay S] [--seed N]
                 [--log FILE]

Control channel (HTTP on 127.0.0.1:C; every reply is JSON):
  GET  /stats                                   requests per action, faults per class and action
  POST /faults?classes=a,b&rate=R&actions=A,B   replace the rate faults (classes= for none)
  POST /outage?seconds=S&kind=refuse            start an outage now, for S seconds (no S: until stopped)
  POST /outage/stop                             end the outage now

Log lines (stderr or --log) name the time, the fault, the service and the action; never a header,
so no Authorization header, signature or session token is ever printed.
"""

import argparse
import http.client
import http.server
import json
import random
import select
import socket
import struct
import sys
import threading
import time
import urllib.parse
import uuid

RATE_CLASSES = ("reset_before", "reset_after", "http500", "http503", "throttle", "slow", "truncate")
OUTAGE_CLASSES = RATE_CLASSES + ("refuse",)

# Hop-by-hop request headers that are not forwarded (none of them is signed by SigV4).
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "expect"}


class HTTPRequest:
    """One request read from a client: the request line, the headers in order, the body."""

    def __init__(self, method, target, version, headers, body, chunked):
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers  # [(name, value)] as received
        self.body = body
        self.chunked = chunked

    def header(self, name):
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None

    @property
    def wants_close(self):
        connection = (self.header("connection") or "").lower()
        return "close" in connection or (self.version == "HTTP/1.0" and "keep-alive" not in connection)

    @property
    def service_and_action(self):
        """("sqs", "ReceiveMessage") from X-Amz-Target (AWS JSON), or the query body's Action."""
        target = self.header("x-amz-target")
        if target:
            prefix, _, action = target.partition(".")
            return ("sqs" if prefix == "AmazonSQS" else prefix.lower()), action
        fields = urllib.parse.parse_qs(self.body.decode("utf-8", "replace")) if self.body else {}
        action = (fields.get("Action") or ["?"])[0]
        version = (fields.get("Version") or [""])[0]
        service = {"2010-03-31": "sns", "2012-11-05": "sqs", "2011-06-15": "sts"}.get(version, "query")
        return service, action


class ClientGone(Exception):
    pass


def read_line(stream):
    line = stream.readline(65537)
    if not line:
        raise ClientGone()
    return line


def read_request(stream):
    """Reads one request from a buffered socket reader; None when the client closed the connection
    between requests."""
    line = stream.readline(65537)
    while line in (b"\r\n", b"\n"):
        line = stream.readline(65537)
    if not line:
        return None
    parts = line.decode("latin-1").rstrip("\r\n").split(" ")
    if len(parts) != 3:
        raise ClientGone()
    method, target, version = parts
    headers = []
    while True:
        line = read_line(stream)
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("latin-1").rstrip("\r\n").partition(":")
        headers.append((name.strip(), value.strip()))
    request = HTTPRequest(method, target, version, headers, b"", False)
    return request


def read_body(stream, request, client):
    """Reads the body (Content-Length or chunked), answering `Expect: 100-continue` first."""
    if (request.header("expect") or "").lower() == "100-continue":
        client.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
    if "chunked" in (request.header("transfer-encoding") or "").lower():
        request.chunked = True
        chunks = []
        while True:
            size = int(read_line(stream).split(b";")[0].strip(), 16)
            if size == 0:
                while read_line(stream) not in (b"\r\n", b"\n"):
                    pass
                break
            chunks.append(stream.read(size))
            read_line(stream)
        request.body = b"".join(chunks)
    else:
        length = int(request.header("content-length") or 0)
        request.body = stream.read(length) if length else b""
        if len(request.body) != length:
            raise ClientGone()


class Reply:
    """A reply to send to the client: status, reason, headers and the whole body."""

    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body

    def head(self, keep_alive):
        lines = [f"HTTP/1.1 {self.status} {self.reason}"]
        for name, value in self.headers:
            if name.lower() not in ("content-length", "transfer-encoding", "connection", "keep-alive"):
                lines.append(f"{name}: {value}")
        lines.append(f"Content-Length: {len(self.body)}")
        lines.append("Connection: " + ("keep-alive" if keep_alive else "close"))
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def error_reply(fault, service):
    """The reply AWS sends for `fault` (http500, http503, throttle) in `service`'s protocol."""
    request_id = str(uuid.uuid4())
    status, reason, code, query_code, message, fault_side = {
        "http500": (500, "Internal Server Error", "InternalFailure", None,
                    "The request processing has failed because of an unknown error, exception or failure.", "Receiver"),
        "http503": (503, "Service Unavailable", "ServiceUnavailable", None,
                    "The request has failed due to a temporary failure of the server.", "Receiver"),
        "throttle": (400, "Bad Request", "ThrottlingException" if service == "sqs" else "Throttling", "RequestThrottled",
                     "Rate exceeded", "Sender"),
    }[fault]
    if service == "sqs":
        headers = [("x-amzn-RequestId", request_id), ("Content-Type", "application/x-amz-json-1.0")]
        if query_code:
            headers.append(("x-amzn-query-error", f"{query_code};{fault_side}"))
        body = json.dumps({"__type": f"com.amazonaws.sqs#{code}", "message": message}).encode()
    else:
        namespace = "http://sns.amazonaws.com/doc/2010-03-31/" if service == "sns" else "https://sts.amazonaws.com/doc/2011-06-15/"
        headers = [("x-amzn-RequestId", request_id), ("Content-Type", "text/xml")]
        body = (f'<ErrorResponse xmlns="{namespace}"><Error><Type>{fault_side}</Type><Code>{code}</Code>'
                f"<Message>{message}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>").encode()
    return Reply(status, reason, headers, body)


def reset(sock):
    """Closes `sock` with a TCP reset (SO_LINGER 0)."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class Proxy:
    def __init__(self, options):
        upstream = urllib.parse.urlsplit(options.upstream)
        self.upstream = (upstream.hostname, upstream.port or 80)
        self.port = options.port
        self.delay = options.delay
        self.random = random.Random(options.seed)
        self.lock = threading.Lock()
        self.classes = list(options.fault)
        self.rate = options.rate
        self.actions = set(options.actions.split(",")) if options.actions else None
        self.started = time.monotonic()
        self.timed_outages = [self.parse_outage(text) for text in options.outage]
        self.manual_outage = None  # (kind, until or None)
        self.clients = set()
        self.listener = None
        self.log_file = open(options.log, "a", buffering=1) if options.log else sys.stderr
        self.stats = {"requests": 0, "by_action": {}, "faults": {}, "faults_by_action": {},
                      "connections": 0, "connections_reset_by_outage": 0, "outages": 0}
        self.previous_outage = None

    @staticmethod
    def parse_outage(text):
        parts = text.split(":")
        if len(parts) not in (2, 3):
            raise SystemExit(f"chaos_proxy: --outage needs START:END[:CLASS], got '{text}'")
        kind = parts[2] if len(parts) == 3 else "refuse"
        if kind not in OUTAGE_CLASSES:
            raise SystemExit(f"chaos_proxy: unknown outage class '{kind}' (one of {', '.join(OUTAGE_CLASSES)})")
        return float(parts[0]), float(parts[1]), kind

    def log(self, text):
        self.log_file.write(f"{time.monotonic() - self.started:9.3f} {text}\n")

    # MARK: what to inject

    def outage(self):
        """The class of the outage under way, or None."""
        now = time.monotonic()
        with self.lock:
            if self.manual_outage:
                kind, until = self.manual_outage
                if until is None or now < until:
                    return kind
                self.manual_outage = None
        elapsed = now - self.started
        for start, end, kind in self.timed_outages:
            if start <= elapsed < end:
                return kind
        return None

    def choose(self, service, action):
        """The fault to inject into this request, or None; counts the request."""
        key = f"{service}.{action}"
        kind = self.outage()
        with self.lock:
            self.stats["requests"] += 1
            self.stats["by_action"][key] = self.stats["by_action"].get(key, 0) + 1
            if kind is None and self.classes and (self.actions is None or action in self.actions) \
                    and self.random.random() < self.rate:
                kind = self.random.choice(self.classes)
            if kind is not None:
                self.stats["faults"][kind] = self.stats["faults"].get(kind, 0) + 1
                name = f"{kind} {key}"
                self.stats["faults_by_action"][name] = self.stats["faults_by_action"].get(name, 0) + 1
        return kind

    # MARK: listening

    def serve(self):
        """Accepts connections while no `refuse` outage is under way; during one, the port is closed."""
        while True:
            refusing = self.outage() == "refuse"
            if refusing != (self.previous_outage == "refuse"):
                self.log("outage refuse: " + ("start (port closed, connections reset)" if refusing else "end (listening)"))
                if refusing:
                    with self.lock:
                        self.stats["outages"] += 1
            self.previous_outage = "refuse" if refusing else None
            if refusing:
                if self.listener is not None:
                    self.listener.close()
                    self.listener = None
                self.reset_clients()
                time.sleep(0.02)
                continue
            if self.listener is None:
                self.listener = self.listen()
            ready, _, _ = select.select([self.listener], [], [], 0.05)
            if not ready:
                continue
            try:
                client, _ = self.listener.accept()
            except OSError:
                continue
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self.lock:
                self.clients.add(client)
                self.stats["connections"] += 1
            threading.Thread(target=self.handle_connection, args=(client,), daemon=True).start()

    def listen(self):
        for _ in range(200):
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                listener.bind(("127.0.0.1", self.port))
            except OSError:
                listener.close()
                time.sleep(0.05)
                continue
            listener.listen(128)
            return listener
        raise SystemExit(f"chaos_proxy: cannot listen on 127.0.0.1:{self.port}")

    def reset_clients(self):
        with self.lock:
            clients = list(self.clients)
            self.clients.clear()
            self.stats["connections_reset_by_outage"] += len(clients)
        for client in clients:
            try:
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                client.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    # MARK: one connection

    def handle_connection(self, client):
        stream = client.makefile("rb")
        upstream = None
        abort = True  # reset the connection on the way out, unless it ends normally
        try:
            while True:
                request = read_request(stream)
                if request is None:
                    abort = False
                    break
                read_body(stream, request, client)
                service, action = request.service_and_action
                fault = self.choose(service, action)
                if fault is not None:
                    self.log(f"fault {fault} {service}.{action}")
                if fault in ("refuse", "reset_before"):
                    break
                if fault in ("http500", "http503", "throttle"):
                    client.sendall(self.encode(error_reply(fault, service), request))
                    if request.wants_close:
                        abort = False
                        break
                    continue
                upstream, reply = self.forward(upstream, request)
                if reply is None:
                    self.log(f"upstream failed {service}.{action}: replying 502")
                    reply = Reply(502, "Bad Gateway", [("Content-Type", "text/plain")], b"chaos_proxy: upstream failed\n")
                if fault == "reset_after":
                    break
                if fault == "slow":
                    time.sleep(self.delay)
                if fault == "truncate":
                    client.sendall(reply.head(keep_alive=False) + reply.body[: len(reply.body) // 2])
                    abort = False
                    break
                client.sendall(self.encode(reply, request))
                if request.wants_close:
                    abort = False
                    break
        except (ClientGone, OSError, ValueError):
            pass
        finally:
            with self.lock:
                self.clients.discard(client)
            if upstream is not None:
                upstream.close()
        if abort:
            reset(client)
        else:
            try:
                client.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            client.close()

    @staticmethod
    def encode(reply, request):
        return reply.head(keep_alive=not request.wants_close) + reply.body

    def forward(self, upstream, request):
        """Sends `request` to the server as it came (headers in order, body unchanged) and reads the
        whole reply; returns the connection to reuse and the reply (None when the server failed)."""
        for attempt in range(2):
            if upstream is None:
                upstream = http.client.HTTPConnection(*self.upstream, timeout=120)
            try:
                upstream.putrequest(request.method, request.target, skip_host=True, skip_accept_encoding=True)
                for name, value in request.headers:
                    if name.lower() not in HOP_BY_HOP:
                        upstream.putheader(name, value)
                upstream.endheaders(request.body, encode_chunked=request.chunked)
                response = upstream.getresponse()
                body = response.read()
                reply = Reply(response.status, response.reason, response.getheaders(), body)
                if response.will_close:
                    upstream.close()
                    upstream = None
                return upstream, reply
            except (http.client.HTTPException, OSError):
                upstream.close()
                upstream = None
                if attempt == 1:
                    return None, None
        return None, None

    # MARK: control

    def snapshot(self):
        with self.lock:
            stats = json.loads(json.dumps(self.stats))
        stats["outage"] = self.outage()
        stats["faults_total"] = sum(stats["faults"].values())
        return stats

    def control(self, method, path, query):
        if method == "GET" and path == "/stats":
            return 200, self.snapshot()
        if method == "POST" and path == "/faults":
            classes = [name for name in (query.get("classes") or [""])[0].split(",") if name]
            unknown = [name for name in classes if name not in RATE_CLASSES]
            if unknown:
                return 400, {"error": f"unknown fault class {unknown[0]} (one of {', '.join(RATE_CLASSES)})"}
            actions = (query.get("actions") or [""])[0]
            with self.lock:
                self.classes = classes
                self.rate = float((query.get("rate") or [self.rate])[0])
                self.actions = set(actions.split(",")) if actions else None
            self.log(f"faults: {','.join(classes) or 'none'} at rate {self.rate}" + (f" on {actions}" if actions else ""))
            return 200, {"classes": classes, "rate": self.rate, "actions": actions or None}
        if method == "POST" and path == "/outage":
            kind = (query.get("kind") or ["refuse"])[0]
            if kind not in OUTAGE_CLASSES:
                return 400, {"error": f"unknown outage class {kind} (one of {', '.join(OUTAGE_CLASSES)})"}
            seconds = query.get("seconds")
            until = time.monotonic() + float(seconds[0]) if seconds else None
            with self.lock:
                self.manual_outage = (kind, until)
            self.log(f"outage {kind}: requested" + (f" for {seconds[0]} s" if seconds else " until stopped"))
            return 200, {"outage": kind, "seconds": float(seconds[0]) if seconds else None}
        if method == "POST" and path == "/outage/stop":
            with self.lock:
                self.manual_outage = None
            self.log("outage: stop requested")
            return 200, {"outage": None}
        return 404, {"error": f"no such control: {method} {path}"}


def serve_control(proxy, port):
    class Handler(http.server.BaseHTTPRequestHandler):
        def answer(self, method):
            url = urllib.parse.urlsplit(self.path)
            status, payload = proxy.control(method, url.path, urllib.parse.parse_qs(url.query, keep_blank_values=True))
            body = (json.dumps(payload, sort_keys=True) + "\n").encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            self.answer("GET")

        def do_POST(self):
            self.answer("POST")

        def log_message(self, format, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def main():
    parser = argparse.ArgumentParser(description="Fault-injecting HTTP proxy for the chaos suite (see the module docstring).")
    parser.add_argument("--port", type=int, required=True, help="the port to listen on (127.0.0.1)")
    parser.add_argument("--upstream", required=True, help="the server to forward to, e.g. http://127.0.0.1:5000")
    parser.add_argument("--control-port", type=int, help="the control channel's port (127.0.0.1)")
    parser.add_argument("--fault", action="append", default=[], choices=RATE_CLASSES,
                        help="a fault class injected at --rate (repeat for several: each faulted request draws one)")
    parser.add_argument("--rate", type=float, default=0.0, help="the fraction of requests to fault (0..1)")
    parser.add_argument("--actions", default="", help="only fault these actions, comma-separated (default: all)")
    parser.add_argument("--outage", action="append", default=[],
                        help="START:END[:CLASS] seconds after start (CLASS default refuse); repeatable")
    parser.add_argument("--delay", type=float, default=5.0, help="seconds a `slow` reply is held (default 5)")
    parser.add_argument("--seed", type=int, default=None, help="random seed")
    parser.add_argument("--log", help="append log lines to this file (default: stderr)")
    options = parser.parse_args()
    if not 0 <= options.rate <= 1:
        parser.error(f"--rate must be within 0..1, got {options.rate}")
    proxy = Proxy(options)
    if options.control_port:
        serve_control(proxy, options.control_port)
    proxy.log(f"proxy 127.0.0.1:{options.port} -> {options.upstream}; faults {','.join(options.fault) or 'none'} "
              f"at rate {options.rate}" + (f" on {options.actions}" if options.actions else "")
              + "".join(f"; outage {text}" for text in options.outage))
    try:
        proxy.serve()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
