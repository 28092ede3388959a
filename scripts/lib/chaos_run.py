#!/usr/bin/env python3
"""The chaos scenarios (run by scripts/chaos, which builds the binaries and starts moto first).

Each scenario: a queue and its dead-letter queue (RedrivePolicy) are made on moto, N messages with
unique ids are sent to it, and a real daemon process (`pubsub-bench chaos-daemon`, a ConsumerDaemon
whose handler sleeps and appends every message it handles to a file) consumes it through
scripts/lib/chaos_proxy.py, which injects one fault class at a rate, or an outage. When every
message is done (the queue is empty and no handler runs), or at the scenario's deadline, the
daemon gets SIGTERM. Then a separate reader (boto3, straight to moto) counts what is left in the
queue and the dead-letter queue, waiting for in-flight messages to come back, so that every message
sent is classified: handled and deleted, dead-lettered, left in the queue, or lost (gone without
being handled). The producer scenario runs sns-produce through the proxy instead and counts the
copies of each published message that reach a queue subscribed to the topic.

Prints a table and, last, one JSON line. Exit status 0 when every target is met, 1 otherwise.
"""

import argparse
import collections
import concurrent.futures
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ACCOUNT = "123456789012"
MEDIA_TYPE = "application/vnd.globality.pubsub._.created.chaos_message"
ALL_FAULTS = ["reset_before", "reset_after", "http500", "http503", "throttle", "slow", "truncate"]
ACK_ACTIONS = "DeleteMessageBatch,ChangeMessageVisibilityBatch,DeleteMessage,ChangeMessageVisibility"
CRASH_PATTERNS = re.compile(r"Fatal error|Program crashed|Stack dump|Backtrace|Illegal instruction|Segmentation fault|"
                            r"Assertion failed|Precondition failed")
# The fake credentials every process gets: sentinels the logs are searched for afterwards.
SECRET = "chaosSecret" + secrets.token_hex(8)
TOKEN = "chaosSessionToken" + secrets.token_hex(8)


class Scenario:
    def __init__(self, name, summary, kind="daemon", messages=100, quick_messages=None, handle=0.1, visibility=10,
                 concurrency=10, faults=(), rate=0.0, actions="", outage=None, sigterm_after=None, poison=0,
                 unreadable=0, max_receive=5, retry_visibility=None, read_timeout=None, planted=0, quick=False):
        # outage: (start, length) in seconds; start 0 is at start-up, a start below 1 is the fraction
        # of the messages handled when the outage starts (mid-run).
        self.name = name
        self.summary = summary
        self.kind = kind
        self.messages = messages
        self.quick_messages = quick_messages or min(messages, 150)
        self.handle = handle
        self.visibility = visibility
        self.concurrency = concurrency
        self.faults = list(faults)
        self.rate = rate
        self.actions = actions
        self.outage = outage  # (start seconds after the daemon starts, length seconds)
        self.sigterm_after = sigterm_after
        self.poison = poison
        self.unreadable = unreadable
        self.max_receive = max_receive
        self.retry_visibility = retry_visibility
        self.read_timeout = read_timeout if read_timeout is not None else (2 if "slow" in faults else None)
        self.quick = quick
        # The instrument's own check: this many messages are deleted unhandled before the daemon
        # starts (lost) and this many sent twice (handled twice); the accounting must find them.
        self.planted = planted

    @property
    def delay(self):
        """How long the proxy holds a `slow` reply: past the read timeout plus a 1 s long poll."""
        return (self.read_timeout or 60) + 2.5

    @property
    def longest_outage(self):
        return self.outage[1] if self.outage else 0

    def describe_faults(self):
        parts = []
        if self.faults:
            classes = "all classes" if sorted(self.faults) == sorted(ALL_FAULTS) else ",".join(self.faults)
            parts.append(f"{classes} at {int(self.rate * 100)}%" + (" on acknowledgements" if self.actions else ""))
        if self.outage:
            start, length = self.outage
            parts.append(f"refused {length:g} s " + ("at start-up" if start == 0 else
                                                      f"after {int(start * 100)}% handled" if start < 1 else f"from t={start:g} s"))
        if self.sigterm_after is not None:
            parts.append(f"SIGTERM at t={self.sigterm_after:g} s")
        if self.planted:
            parts.append(f"planted: {self.planted} lost, {self.planted} twice")
        return "; ".join(parts) or "none"


SCENARIOS = [
    Scenario("instrument", "no faults; 2 messages deleted unhandled and 2 sent twice by the runner: the accounting "
             "must report 2 lost and 2 handled twice", messages=100, planted=2, quick=True),
    Scenario("clean", "no faults (control)", messages=200),
    Scenario("reset-before", "connection reset before the server handles a request", faults=["reset_before"], rate=0.3),
    Scenario("reset-after", "connection reset after the server handled a request", faults=["reset_after"], rate=0.3),
    Scenario("http-500", "HTTP 500 InternalFailure", faults=["http500"], rate=0.3),
    Scenario("http-503", "HTTP 503 ServiceUnavailable", faults=["http503"], rate=0.3),
    Scenario("throttle", "400 ThrottlingException / RequestThrottled", faults=["throttle"], rate=0.3),
    Scenario("slow", "reply held past the client's read timeout (2 s)", faults=["slow"], rate=0.2),
    Scenario("truncate", "body cut half-way", faults=["truncate"], rate=0.3),
    Scenario("mixed", "every fault class, 30% of all requests", faults=ALL_FAULTS, rate=0.3, messages=300, quick=True),
    Scenario("ack-faults", "every fault class, 40% of acknowledgements (visibility 5 s)", faults=ALL_FAULTS, rate=0.4,
             actions=ACK_ACTIONS, visibility=5, handle=0.3, messages=300, quick=True),
    Scenario("startup-outage", "endpoint refusing connections for 25 s at start-up; handlers 8 s, visibility 5 s",
             messages=20, handle=8, visibility=5, outage=(0, 25), quick=True),
    Scenario("slow-handlers", "handlers 8 s, visibility 5 s, no outage (startup-outage's control)", messages=20, handle=8,
             visibility=5),
    Scenario("midrun-outage", "endpoint refusing connections for 8 s mid-run; visibility 10 s", messages=300,
             quick_messages=150, handle=1, visibility=10, outage=(0.3, 8), quick=True),
    Scenario("sigterm", "SIGTERM mid-run: drain, hand back unstarted", messages=100, handle=2, visibility=30,
             sigterm_after=5, quick=True),
    Scenario("poison", "40 good, 5 unreadable bodies, 5 failing handlers; maxReceiveCount 2", messages=40, poison=5,
             unreadable=5, handle=0.1, max_receive=2, retry_visibility=1, quick=True),
    Scenario("sns-produce", "sns-produce through the proxy, every fault class at 30%", kind="produce", messages=60,
             quick_messages=30, faults=ALL_FAULTS, rate=0.3, read_timeout=2, quick=True),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def connects(port):
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def client(service, endpoint):
    import boto3  # installed with moto[server]; imported here so that --list needs neither
    from botocore.config import Config
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                        aws_secret_access_key="testing",
                        config=Config(retries={"mode": "standard", "max_attempts": 5}, read_timeout=30))


def message_id(index):
    return f"m-{index:05d}"


def parse_id(text):
    found = re.search(r"m-\d{5}", text or "")
    return found.group(0) if found else None


class ProxyProcess:
    def __init__(self, scenario, moto_url, work, seed):
        self.port = free_port()
        self.control_port = free_port()
        self.log = os.path.join(work, "proxy.log")
        command = [sys.executable, os.path.join(HERE, "chaos_proxy.py"), "--port", str(self.port), "--upstream", moto_url,
                   "--control-port", str(self.control_port), "--delay", str(scenario.delay), "--seed", str(seed),
                   "--log", self.log, "--rate", str(scenario.rate)]
        for fault in scenario.faults:
            command += ["--fault", fault]
        if scenario.actions:
            command += ["--actions", scenario.actions]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=open(self.log + ".stderr", "w"))
        for _ in range(100):
            if self.process.poll() is not None:
                raise RuntimeError(f"the proxy exited at start: see {self.log}.stderr")
            if connects(self.port) and self.stats() is not None:
                return
            time.sleep(0.05)
        raise RuntimeError("the proxy did not start listening")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def control(self, path, method="POST"):
        request = urllib.request.Request(f"http://127.0.0.1:{self.control_port}{path}", method=method)
        with urllib.request.urlopen(request, timeout=5) as reply:
            return json.load(reply)

    def stats(self):
        try:
            return self.control("/stats", method="GET")
        except OSError:
            return None

    def outage(self, seconds):
        self.control(f"/outage?kind=refuse&seconds={seconds}")
        for _ in range(100):  # wait until the port is closed
            if not connects(self.port):
                return
            time.sleep(0.01)

    def stop(self):
        stats = self.stats() or {}
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return stats


def base_environment():
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("AWS_", "CHAOS_DAEMON__", "PUBSUB__"))}
    environment.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_SESSION_TOKEN": TOKEN,
                        "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"})
    return environment


def process_outcome(returncode, stderr_text, killed):
    """('exit 0' | 'exit N' | 'signal N' | 'hung (killed)', crashed)."""
    crashed = bool(CRASH_PATTERNS.search(stderr_text))
    if killed:
        return "hung (killed)", crashed
    if returncode is None:
        return "running", crashed
    if returncode < 0:
        return f"signal {-returncode}", True
    return f"exit {returncode}", crashed


def leaks(*paths):
    """Lines in these files that show the secret key, the session token or a SigV4 signature."""
    count = 0
    for path in paths:
        if not os.path.exists(path):
            continue
        with open(path, errors="replace") as handle:
            for line in handle:
                if SECRET in line or TOKEN in line or re.search(r"Signature=[0-9a-f]{16}", line):
                    count += 1
    return count


def queue_counts(sqs, url):
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"])["Attributes"]
    return (int(attributes["ApproximateNumberOfMessages"]), int(attributes["ApproximateNumberOfMessagesNotVisible"]),
            int(attributes["ApproximateNumberOfMessagesDelayed"]))


def drain(sqs, url, patience):
    """Receives every message left in the queue, holding each (so each is counted once) and waiting up
    to `patience` seconds for in-flight messages to come back. Returns (bodies, unaccounted)."""
    bodies = []
    deadline = time.monotonic() + patience
    while True:
        reply = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0, VisibilityTimeout=3600)
        messages = reply.get("Messages", [])
        bodies += [message["Body"] for message in messages]
        if messages:
            continue
        visible, invisible, delayed = queue_counts(sqs, url)
        unaccounted = visible + delayed + max(0, invisible - len(bodies))
        if unaccounted == 0 or time.monotonic() > deadline:
            return bodies, unaccounted
        time.sleep(0.5)


def read_records(path):
    """{id: Counter(event)} from the daemon's record file."""
    events = collections.defaultdict(collections.Counter)
    if os.path.exists(path):
        with open(path, errors="replace") as handle:
            for line in handle:
                parts = line.split()
                if len(parts) == 4:
                    events[parts[1]][parts[0]] += 1
    return events


def running_handlers(events):
    return sum(counter["start"] - counter["done"] - counter["fail"] - counter["cancel"] for counter in events.values())


def run_daemon_scenario(scenario, options, work, moto_url, seed):
    sqs = client("sqs", moto_url)
    count = scenario.quick_messages if options.quick else scenario.messages
    suffix = f"{os.getpid()}-{int(time.time() * 1000) % 100000}"
    dlq_url = sqs.create_queue(QueueName=f"chaos-{scenario.name}-{suffix}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue_url = sqs.create_queue(QueueName=f"chaos-{scenario.name}-{suffix}", Attributes={
        "VisibilityTimeout": str(scenario.visibility),
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": scenario.max_receive}),
    })["QueueUrl"]

    ids = [message_id(index) for index in range(count + scenario.poison + scenario.unreadable)]
    good = set(ids[:count])
    failing = set(ids[count:count + scenario.poison])
    unreadable = set(ids[count + scenario.poison:])
    bodies = []
    for identifier in ids:
        if identifier in unreadable:
            bodies.append(f"not json: {identifier}")
        else:
            path = "poison" if identifier in failing else "messages"
            bodies.append(json.dumps({"mediaType": MEDIA_TYPE, "uri": f"http://chaos.invalid/{path}/{identifier}",
                                      "opaqueData": {}}))
    bodies += bodies[:scenario.planted]  # sent twice
    for start in range(0, len(bodies), 10):
        entries = [{"Id": str(index), "MessageBody": body} for index, body in enumerate(bodies[start:start + 10])]
        reply = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
        if reply.get("Failed"):
            raise RuntimeError(f"could not send: {reply['Failed']}")
    planted_lost = set()
    while len(planted_lost) < scenario.planted:
        for message in sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages", []):
            identifier = parse_id(message["Body"])
            if identifier not in planted_lost and identifier not in ids[:scenario.planted] and len(planted_lost) < scenario.planted:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
                planted_lost.add(identifier)

    proxy = ProxyProcess(scenario, moto_url, work, seed)
    # The daemon reads the queue through the proxy: moto's queue URL names moto's port.
    proxied_queue_url = proxy.url + "/" + queue_url.split("/", 3)[3]
    records = os.path.join(work, "records.txt")
    environment = base_environment()
    environment["CHAOS_DAEMON__CHAOS_DAEMON__RECORD_PATH"] = records
    environment["CHAOS_DAEMON__CHAOS_DAEMON__HANDLE_SECONDS"] = str(scenario.handle)
    if scenario.read_timeout:
        environment["CHAOS_DAEMON__SQS_CONSUMER__READ_TIMEOUT"] = str(scenario.read_timeout)
    if scenario.retry_visibility is not None:
        environment["CHAOS_DAEMON__SQS_CONSUMER__MESSAGE_RETRY_VISIBILITY_TIMEOUT_SECONDS"] = str(scenario.retry_visibility)
    command = ["chaos-daemon", "--sqs-queue-url", proxied_queue_url, "--endpoint-url", proxy.url,
               "--concurrency", str(scenario.concurrency)]
    stdout_path, stderr_path = os.path.join(work, "daemon.out"), os.path.join(work, "daemon.err")

    if scenario.outage and scenario.outage[0] == 0:
        proxy.outage(scenario.outage[1])
    started = time.monotonic()
    daemon = subprocess.Popen(command, executable=os.path.join(options.bin, "pubsub-bench"), env=environment,
                              stdout=open(stdout_path, "w"), stderr=open(stderr_path, "w"))
    outage_started = scenario.outage is not None and scenario.outage[0] == 0
    sigterm_sent = False
    exited_early = False
    timed_out = False
    handle_rounds = (len(ids) + scenario.concurrency - 1) // scenario.concurrency
    # Long enough for a slow run: faulted receives lose their messages for a visibility timeout each.
    deadline = started + scenario.longest_outage + handle_rounds * scenario.handle * 3 + 4 * scenario.visibility + 45
    while True:
        time.sleep(0.25)
        elapsed = time.monotonic() - started
        if daemon.poll() is not None:
            exited_early = not sigterm_sent
            break
        if scenario.outage and not outage_started:
            start = scenario.outage[0]
            if (start >= 1 and elapsed >= start) or \
                    (start < 1 and sum(1 for counter in read_records(records).values() if counter["done"]) >= start * count):
                proxy.outage(scenario.outage[1])
                outage_started = True
        if scenario.sigterm_after is not None and not sigterm_sent and elapsed >= scenario.sigterm_after:
            daemon.send_signal(signal.SIGTERM)
            sigterm_sent = True
            continue
        if sigterm_sent:
            if time.monotonic() > deadline:
                timed_out = True
                break
            continue
        if outage_started or not scenario.outage:
            visible, invisible, delayed = queue_counts(sqs, queue_url)
            dead = sum(queue_counts(sqs, dlq_url))
            events = read_records(records)
            if visible + invisible + delayed == 0 and running_handlers(events) == 0 \
                    and dead >= scenario.poison + scenario.unreadable and scenario.sigterm_after is None:
                break
        if time.monotonic() > deadline:
            timed_out = True
            break
    run_seconds = time.monotonic() - started

    killed = False
    if daemon.poll() is None:
        if not sigterm_sent:
            daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(35)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()
            killed = True
    with open(stderr_path, errors="replace") as handle:
        outcome, crashed = process_outcome(daemon.returncode, handle.read(), killed)

    visible, invisible, delayed = queue_counts(sqs, queue_url)
    proxy_stats = proxy.stop()
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"RedrivePolicy": ""})  # so draining moves nothing
    patience = max(scenario.visibility, scenario.retry_visibility or 0, 5) + 15
    left_bodies, unaccounted = drain(sqs, queue_url, patience)
    dead_bodies, dead_unaccounted = drain(sqs, dlq_url, 5)
    left = collections.Counter(parse_id(body) for body in left_bodies)
    dead = collections.Counter(parse_id(body) for body in dead_bodies)
    events = read_records(records)

    handled = [identifier for identifier in good if events[identifier]["done"] >= 1]
    twice = sorted(identifier for identifier in good if events[identifier]["done"] >= 2)
    lost = sorted(identifier for identifier in ids if not left[identifier] and not dead[identifier]
                  and (identifier not in good or events[identifier]["done"] == 0))
    handled_not_deleted = sorted(identifier for identifier in good if left[identifier] and events[identifier]["done"] >= 1)
    poison_in_dlq = sum(1 for identifier in failing | unreadable if dead[identifier])
    good_in_dlq = sorted(identifier for identifier in good if dead[identifier])
    result = {
        "scenario": scenario.name, "kind": "daemon", "faults": scenario.describe_faults(),
        "sent": len(ids), "handled": len(handled), "handled_twice": len(twice), "lost": len(lost),
        "dead_lettered": sum(dead.values()), "poison": len(failing | unreadable), "poison_in_dlq": poison_in_dlq,
        "good_in_dlq": len(good_in_dlq), "left_visible": visible + delayed, "left_in_flight": invisible,
        "handled_not_deleted": len(handled_not_deleted), "unaccounted": unaccounted + dead_unaccounted,
        "handler_runs": sum(counter["start"] for counter in events.values()),
        "faults_injected": proxy_stats.get("faults_total", 0), "requests": proxy_stats.get("requests", 0),
        "faults_by_class": proxy_stats.get("faults", {}),
        "daemon": outcome, "crashed": crashed, "exited_early": exited_early, "timed_out": timed_out,
        "secret_leaks": leaks(stdout_path, stderr_path, proxy.log), "seconds": round(run_seconds, 1),
        "examples": {"handled_twice": twice[:5], "lost": lost[:5], "handled_not_deleted": handled_not_deleted[:5],
                     "good_in_dlq": good_in_dlq[:5]},
    }
    targets = {
        "0 lost": not lost,
    } if not scenario.planted else {
        f"finds the {scenario.planted} planted losses": set(lost) == planted_lost,
        f"finds the {scenario.planted} planted duplicates": twice == ids[:scenario.planted],
    }
    targets.update({
        "daemon stays up": not exited_early and not crashed and outcome == "exit 0",
        "no secret in logs": result["secret_leaks"] == 0,
        "all accounted": result["unaccounted"] == 0,
    })
    if scenario.planted:
        pass
    elif scenario.longest_outage <= scenario.visibility or (scenario.outage and scenario.outage[0] == 0):
        targets["0 handled twice"] = not twice
    if scenario.sigterm_after is not None:
        targets["nothing left in flight"] = invisible == 0 and not handled_not_deleted
    else:
        targets["all done"] = not timed_out and len(handled) + len(good_in_dlq) == len(good) - len(planted_lost)
    if failing or unreadable:
        targets["poison in DLQ"] = poison_in_dlq == len(failing | unreadable)
    result["targets"] = targets
    return result


def run_produce_scenario(scenario, options, work, moto_url, seed):
    sqs, sns = client("sqs", moto_url), client("sns", moto_url)
    count = scenario.quick_messages if options.quick else scenario.messages
    suffix = f"{os.getpid()}-{int(time.time() * 1000) % 100000}"
    topic_arn = sns.create_topic(Name=f"chaos-{scenario.name}-{suffix}")["TopicArn"]
    queue_url = sqs.create_queue(QueueName=f"chaos-{scenario.name}-{suffix}")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn)

    proxy = ProxyProcess(scenario, moto_url, work, seed)
    environment = base_environment()
    if scenario.read_timeout:
        environment["PUBSUB__SNS_PRODUCER__READ_TIMEOUT"] = str(scenario.read_timeout)
    stderr_path = os.path.join(work, "sns-produce.err")
    ids = [message_id(index) for index in range(count)]

    def produce(identifier):
        completed = subprocess.run([os.path.join(options.bin, "sns-produce"), "--topic-arn", topic_arn,
                                    "--message", f"chaos {identifier}", "--endpoint-url", proxy.url],
                                   env=environment, capture_output=True, text=True, timeout=300)
        return identifier, completed.returncode, completed.stdout, completed.stderr

    started = time.monotonic()
    outcomes = {}
    with concurrent.futures.ThreadPoolExecutor(4) as pool, open(stderr_path, "w") as errors:
        for identifier, returncode, stdout, stderr in pool.map(produce, ids):
            outcomes[identifier] = (returncode, stdout.strip(), stderr)
            if stderr:
                errors.write(f"--- {identifier}: exit {returncode}\n{stderr}")
    run_seconds = time.monotonic() - started
    proxy_stats = proxy.stop()
    time.sleep(1)
    bodies, unaccounted = drain(sqs, queue_url, 5)
    copies = collections.Counter()
    for body in bodies:
        try:
            copies[parse_id(json.loads(json.loads(body)["Message"])["message"])] += 1
        except (ValueError, KeyError, TypeError):
            copies[parse_id(body)] += 1

    published = [identifier for identifier in ids if outcomes[identifier][0] == 0]
    failed = [identifier for identifier in ids if outcomes[identifier][0] != 0]
    lost = sorted(identifier for identifier in published if copies[identifier] == 0)
    twice = sorted(identifier for identifier in ids if copies[identifier] >= 2)
    crashes = [identifier for identifier in ids
               if outcomes[identifier][0] < 0 or CRASH_PATTERNS.search(outcomes[identifier][2])]
    statuses = collections.Counter(outcomes[identifier][0] for identifier in ids)
    result = {
        "scenario": scenario.name, "kind": "produce", "faults": scenario.describe_faults(),
        "sent": count, "handled": sum(1 for identifier in ids if copies[identifier]), "handled_twice": len(twice),
        "lost": len(lost), "dead_lettered": 0, "left_visible": 0, "left_in_flight": 0, "handled_not_deleted": 0,
        "unaccounted": unaccounted, "published": len(published), "failed": len(failed),
        "failed_but_delivered": sum(1 for identifier in failed if copies[identifier]),
        "faults_injected": proxy_stats.get("faults_total", 0), "requests": proxy_stats.get("requests", 0),
        "faults_by_class": proxy_stats.get("faults", {}),
        "daemon": "exits " + ", ".join(f"{status}x{number}" for status, number in sorted(statuses.items())),
        "crashed": bool(crashes), "exited_early": False, "timed_out": False,
        "secret_leaks": leaks(stderr_path, proxy.log), "seconds": round(run_seconds, 1),
        "examples": {"handled_twice": twice[:5], "lost": lost[:5], "failed": failed[:5]},
    }
    result["targets"] = {
        "0 lost": not lost,
        "no crash": not crashes,
        "no secret in logs": result["secret_leaks"] == 0,
        "exit 0 or 1": all(outcomes[identifier][0] in (0, 1) for identifier in ids),
    }
    return result


def commit():
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True,
                               cwd=HERE).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except OSError:
        return "unknown"


def print_table(results):
    header = ["scenario", "faults", "sent", "handled", "twice", "lost", "dlq", "visible", "in flight", "faulted/reqs",
              "process", "s", "targets"]
    rows = []
    for result in results:
        missed = [name for name, met in result["targets"].items() if not met]
        rows.append([result["scenario"], result["faults"], str(result["sent"]), str(result["handled"]),
                     str(result["handled_twice"]), str(result["lost"]), str(result["dead_lettered"]),
                     str(result["left_visible"]), str(result["left_in_flight"]),
                     f"{result['faults_injected']}/{result['requests']}",
                     result["daemon"] + (" CRASH" if result["crashed"] else "") + (" EXITED" if result["exited_early"] else ""),
                     f"{result['seconds']:g}", "met" if not missed else "MISSED: " + ", ".join(missed)])
    widths = [max(len(row[index]) for row in rows + [header]) for index in range(len(header))]
    for row in [header] + rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True, help="the directory with pubsub-bench and sns-produce")
    parser.add_argument("--moto", required=True, help="moto_server's URL")
    parser.add_argument("--build", default="release", help="how the binaries were built (for the report)")
    parser.add_argument("--quick", action="store_true", help="the quick set (scenarios marked quick, fewer messages)")
    parser.add_argument("--scenario", action="append", default=[], help="run only this scenario (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    parser.add_argument("--seed", type=int, default=1, help="the proxies' random seed (default 1)")
    parser.add_argument("--work", help="where logs go (default: a new directory under $TMPDIR)")
    options = parser.parse_args()

    if options.list:
        for scenario in SCENARIOS:
            print(f"{scenario.name:16} {'quick ' if scenario.quick else '      '}{scenario.summary}")
        return 0
    names = [scenario.name for scenario in SCENARIOS]
    unknown = [name for name in options.scenario if name not in names]
    if unknown:
        print(f"chaos: unknown scenario '{unknown[0]}' (one of {', '.join(names)})", file=sys.stderr)
        return 64
    chosen = [scenario for scenario in SCENARIOS
              if (scenario.name in options.scenario if options.scenario else scenario.quick or not options.quick)]
    work = options.work or os.path.join(os.environ.get("TMPDIR", "/tmp"), time.strftime("chaos-%Y%m%d-%H%M%S"))
    os.makedirs(work, exist_ok=True)
    print(f"==> chaos: {len(chosen)} scenario(s), {options.build} build, logs in {work}", file=sys.stderr)

    results = []
    started = time.monotonic()
    for index, scenario in enumerate(chosen):
        directory = os.path.join(work, scenario.name)
        os.makedirs(directory, exist_ok=True)
        print(f"==> {scenario.name}: {scenario.summary}", file=sys.stderr)
        run = run_produce_scenario if scenario.kind == "produce" else run_daemon_scenario
        result = run(scenario, options, directory, options.moto, options.seed + index)
        missed = [name for name, met in result["targets"].items() if not met]
        print(f"    sent {result['sent']}, handled {result['handled']}, twice {result['handled_twice']}, "
              f"lost {result['lost']}, {result['daemon']}, {result['seconds']} s; "
              + ("targets met" if not missed else "MISSED: " + ", ".join(missed)), file=sys.stderr)
        results.append(result)
    total = time.monotonic() - started

    print(f"chaos scenarios, {options.build} build, commit {commit()}, {time.strftime('%Y-%m-%d')}:")
    print_table(results)
    met = all(all(result["targets"].values()) for result in results)
    print(f"targets: {'all met' if met else 'MISSED in ' + ', '.join(r['scenario'] for r in results if not all(r['targets'].values()))}"
          f"; {total:.0f} s in all")
    measured = [result for result in results if result["scenario"] != "instrument"]  # its figures are planted
    summary = {
        "bench": "chaos", "build": options.build, "commit": commit(), "date": time.strftime("%Y-%m-%d"),
        "quick": options.quick, "seconds": round(total, 1), "targets_met": met,
        "lost": sum(result["lost"] for result in measured),
        "handled_twice": sum(result["handled_twice"] for result in measured if result["kind"] == "daemon"),
        "published_twice": sum(result["handled_twice"] for result in measured if result["kind"] == "produce"),
        "crashes": sum(1 for result in results if result["crashed"]),
        "early_exits": sum(1 for result in results if result["exited_early"]),
        "secret_leaks": sum(result["secret_leaks"] for result in results),
        "scenarios": results,
    }
    print(json.dumps(summary, separators=(",", ":")))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
