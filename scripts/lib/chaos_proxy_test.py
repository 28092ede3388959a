#!/usr/bin/env python3
"""Tests of chaos_proxy.py against a stdlib upstream server (no moto): each fault class does what it
says, on the side of the server it says. Run: python3 scripts/lib/chaos_proxy_test.py (or
scripts/chaos --self-test)."""

import http.client
import http.server
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
AUTHORIZATION = ("AWS4-HMAC-SHA256 Credential=AKIDCHAOSTEST/20261202/us-east-1/sqs/aws4_request, "
                 "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "ab" * 32)
REPLY = json.dumps({"Messages": [{"MessageId": str(index), "Body": "x" * 40} for index in range(4)]}).encode()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Upstream(http.server.ThreadingHTTPServer):
    """Records every request it handles and answers with REPLY."""

    def __init__(self):
        self.requests = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                server.requests.append((self.path, dict(self.headers.items()), body))
                self.send_response(200)
                self.send_header("Content-Type", "application/x-amz-json-1.0")
                self.send_header("Content-Length", str(len(REPLY)))
                self.end_headers()
                self.wfile.write(REPLY)

            def log_message(self, format, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)


class ChaosProxyTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.upstream = Upstream()
        threading.Thread(target=cls.upstream.serve_forever, daemon=True).start()
        cls.port, cls.control_port = free_port(), free_port()
        cls.log = tempfile.NamedTemporaryFile(prefix="chaos-proxy-test-", suffix=".log", delete=False).name
        cls.proxy = subprocess.Popen([sys.executable, os.path.join(HERE, "chaos_proxy.py"), "--port", str(cls.port),
                                      "--upstream", f"http://127.0.0.1:{cls.upstream.server_port}",
                                      "--control-port", str(cls.control_port), "--delay", "3", "--seed", "7",
                                      "--log", cls.log])
        for _ in range(200):
            try:
                cls.control("/stats", "GET")
                break
            except OSError:
                time.sleep(0.05)

    @classmethod
    def tearDownClass(cls):
        cls.proxy.terminate()
        cls.proxy.wait()
        cls.upstream.shutdown()
        os.unlink(cls.log)

    @classmethod
    def control(cls, path, method="POST"):
        request = urllib.request.Request(f"http://127.0.0.1:{cls.control_port}{path}", method=method)
        with urllib.request.urlopen(request, timeout=5) as reply:
            return json.load(reply)

    def setUp(self):
        self.control("/faults?classes=&rate=0")
        self.control("/outage/stop")
        self.upstream.requests.clear()

    def send(self, action="ReceiveMessage", sqs=True, timeout=10):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        if sqs:
            headers = {"X-Amz-Target": f"AmazonSQS.{action}", "Content-Type": "application/x-amz-json-1.0"}
            body = json.dumps({"QueueUrl": f"http://127.0.0.1:{self.port}/123456789012/q"}).encode()
        else:
            headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
            body = f"Action={action}&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3At".encode()
        headers.update({"Authorization": AUTHORIZATION, "X-Amz-Date": "20261202T120000Z",
                        "X-Amz-Security-Token": "CHAOSTESTTOKEN"})
        try:
            connection.request("POST", "/", body=body, headers=headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read(), body
        finally:
            connection.close()

    def test_forward_whenNoFault_passesHostAuthorizationAndBodyUnchanged(self):
        status, _, body, sent = self.send()
        self.assertEqual((status, body), (200, REPLY))
        path, headers, received = self.upstream.requests[-1]
        self.assertEqual((path, received), ("/", sent))
        self.assertEqual(headers["Host"], f"127.0.0.1:{self.port}")
        self.assertEqual(headers["Authorization"], AUTHORIZATION)
        self.assertEqual(headers["X-Amz-Security-Token"], "CHAOSTESTTOKEN")

    def test_resetBefore_closesTheConnectionWithoutForwarding(self):
        self.control("/faults?classes=reset_before&rate=1")
        with self.assertRaises((ConnectionResetError, http.client.RemoteDisconnected)):
            self.send()
        self.assertEqual(self.upstream.requests, [])

    def test_resetAfter_forwardsThenClosesTheConnection(self):
        self.control("/faults?classes=reset_after&rate=1")
        with self.assertRaises((ConnectionResetError, http.client.RemoteDisconnected)):
            self.send()
        self.assertEqual(len(self.upstream.requests), 1)

    def test_http500And503_replyInSQSJSONWithoutForwarding(self):
        for fault, status, code in [("http500", 500, "InternalFailure"), ("http503", 503, "ServiceUnavailable")]:
            self.control(f"/faults?classes={fault}&rate=1")
            got, headers, body, _ = self.send()
            self.assertEqual(got, status)
            self.assertEqual(headers["Content-Type"], "application/x-amz-json-1.0")
            self.assertEqual(json.loads(body)["__type"], f"com.amazonaws.sqs#{code}")
        self.assertEqual(self.upstream.requests, [])

    def test_throttle_whenSQS_repliesThrottlingExceptionWithQueryErrorHeader(self):
        self.control("/faults?classes=throttle&rate=1")
        status, headers, body, _ = self.send()
        self.assertEqual(status, 400)
        self.assertEqual(headers["x-amzn-query-error"], "RequestThrottled;Sender")
        self.assertEqual(json.loads(body)["__type"], "com.amazonaws.sqs#ThrottlingException")

    def test_throttle_whenSNS_repliesThrottlingErrorResponse(self):
        self.control("/faults?classes=throttle&rate=1")
        status, headers, body, _ = self.send("Publish", sqs=False)
        self.assertEqual(status, 400)
        self.assertEqual(headers["Content-Type"], "text/xml")
        self.assertIn(b"<Type>Sender</Type><Code>Throttling</Code>", body)

    def test_slow_forwardsAndHoldsTheReplyPastTheClientsTimeout(self):
        self.control("/faults?classes=slow&rate=1")
        with self.assertRaises(socket.timeout):
            self.send(timeout=0.5)
        self.assertEqual(len(self.upstream.requests), 1)

    def test_truncate_sendsTheFullLengthAndHalfTheBody(self):
        self.control("/faults?classes=truncate&rate=1")
        with self.assertRaises(http.client.IncompleteRead) as raised:
            self.send()
        self.assertEqual(len(raised.exception.partial), len(REPLY) // 2)
        self.assertEqual(raised.exception.expected, len(REPLY) - len(REPLY) // 2)
        self.assertEqual(len(self.upstream.requests), 1)

    def test_actions_whenGiven_faultOnlyThoseActions(self):
        self.control("/faults?classes=http503&rate=1&actions=DeleteMessageBatch")
        self.assertEqual(self.send("ReceiveMessage")[0], 200)
        self.assertEqual(self.send("DeleteMessageBatch")[0], 503)

    def test_outage_refusesConnectionsUntilStopped(self):
        self.control("/outage?kind=refuse")
        time.sleep(0.3)  # the listener closes within one 50 ms poll
        with self.assertRaises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", self.port), timeout=2).close()
        self.control("/outage/stop")
        for _ in range(100):
            try:
                self.assertEqual(self.send()[0], 200)
                break
            except ConnectionRefusedError:
                time.sleep(0.05)
        else:
            self.fail("the proxy did not listen again")

    def test_stats_countRequestsAndFaultsPerAction(self):
        before = self.control("/stats", "GET")
        self.control("/faults?classes=http500&rate=1")
        self.send("SendMessage")
        after = self.control("/stats", "GET")
        self.assertEqual(after["by_action"]["sqs.SendMessage"], before["by_action"].get("sqs.SendMessage", 0) + 1)
        self.assertEqual(after["faults_by_action"]["http500 sqs.SendMessage"],
                         before["faults_by_action"].get("http500 sqs.SendMessage", 0) + 1)

    def test_log_namesFaultsButNeverCredentials(self):
        self.control("/faults?classes=reset_after&rate=1")
        with self.assertRaises((ConnectionResetError, http.client.RemoteDisconnected)):
            self.send()
        with open(self.log) as handle:
            log = handle.read()
        self.assertIn("fault reset_after sqs.ReceiveMessage", log)
        for secret in ("Signature", "AKIDCHAOSTEST", "CHAOSTESTTOKEN", "ab" * 32):
            self.assertNotIn(secret, log)


if __name__ == "__main__":
    unittest.main()
