import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import XCTest

/// A daemon run as a Lambda function: `run(arguments:environment:...)` with
/// `AWS_LAMBDA_RUNTIME_API` pointing at a stub of the Runtime API.
final class LambdaRuntimeTests: XCTestCase {
    private let registry = PubSubMessageSchemaRegistry()

    private func environment(_ stub: LambdaRuntimeStub, _ extra: [String: String] = [:]) -> [String: String] {
        ["AWS_LAMBDA_RUNTIME_API": stub.endpoint, "THINGS_DAEMON__SNS_PRODUCER__REGION_NAME": "us-east-1",
         "THINGS_DAEMON__LOGGING__LEVEL": "critical"]
            .merging(extra) { $1 }
    }

    /// An SQS record carrying a created.thing message for `uri` (nil: a body that is not JSON).
    private func record(_ id: String, _ uri: String?, mediaType: MediaType = .created("Thing")) throws -> JSONValue {
        let body = try uri.map { try registry.encode(mediaType, fields: ["uri": .string($0)]) } ?? "not JSON"
        return ["messageId": .string(id), "receiptHandle": .string("handle-\(id)"), "body": .string(body),
                "md5OfBody": .string(SQSMessageDigest.md5OfBody(body)), "attributes": ["ApproximateReceiveCount": "1"],
                "messageAttributes": [:], "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:things",
                "awsRegion": "us-east-1"]
    }

    private func event(_ records: JSONValue...) -> String {
        JSONSerializer.compact.string(["Records": .array(records)])
    }

    /// Runs `daemon` against a stub handing out `events` until every one is answered.
    private func run(_ daemon: LambdaTestDaemon, _ events: [LambdaRuntimeStub.Event], arguments: [String] = [],
                     environment extra: [String: String] = [:]) async throws -> (status: Int32, stub: LambdaRuntimeStub, errors: [String]) {
        let shutdown = ConsumerDaemonShutdown()
        let stub = try LambdaRuntimeStub(events: events, shutdown: shutdown)
        let errors = Recorder<String>()
        let status = await daemon.run(arguments: arguments, environment: environment(stub, extra), shutdown: shutdown,
                                      output: { _ in }, errorOutput: { errors.append($0) })
        stub.stop()
        return (status, stub, errors.all)
    }

    // MARK: Invocations

    func testLambda_twoInvocations_runOnOneWarmGraph_andAnswerEach() async throws {
        let daemon = LambdaTestDaemon()
        let (status, stub, errors) = try await run(daemon, [
            .init(requestId: "req-1", body: event(try record("m1", "http://things/1"), try record("m2", "http://things/2"))),
            .init(requestId: "req-2", body: event(try record("m3", "http://things/3"))),
        ])

        XCTAssertEqual(status, 0, "\(errors)")
        XCTAssertEqual(stub.batchItemFailures(of: "req-1"), [])
        XCTAssertEqual(stub.batchItemFailures(of: "req-2"), [])
        XCTAssertEqual(stub.posts.map(\.path), ["/invocation/req-1/response", "/invocation/req-2/response"])
        XCTAssertEqual(stub.posts.first?.body, #"{"batchItemFailures":[]}"#)
        XCTAssertEqual(Set(daemon.handled.all), ["http://things/1", "http://things/2", "http://things/3"])
        XCTAssertEqual(daemon.graphsBuilt.count, 1, "the graph is made once and kept warm across invocations")
        XCTAssertEqual(daemon.prepared.count, 1)
    }

    func testLambda_recordsNotHandledToADelete_areTheBatchItemFailures() async throws {
        let daemon = LambdaTestDaemon()
        let (status, stub, _) = try await run(daemon, [
            .init(requestId: "req-1", body: event(try record("ok", "http://things/1"), try record("failed", "http://things/fail"),
                                                  try record("retried", "http://things/retry"), try record("skipped", "http://things/skip"),
                                                  try record("ignored", "http://others/1", mediaType: .created("Other")),
                                                  try record("poison", nil))),
        ])

        XCTAssertEqual(status, 0)
        // FAILED (a handler error, a body that is not JSON) and RETRIED (Nack) come back from SQS;
        // SUCCEEDED, SKIPPED and IGNORED are done.
        XCTAssertEqual(stub.batchItemFailures(of: "req-1"), ["failed", "retried", "poison"])
        XCTAssertEqual(Set(daemon.handled.all), ["http://things/1", "http://things/fail", "http://things/retry", "http://things/skip"])
    }

    func testLambda_readsTheInvocationHeaders_andSetsTheTraceIdVariable() async throws {
        let daemon = LambdaTestDaemon()
        let deadline = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 600).rounded())
        let (status, _, _) = try await run(daemon, [
            .init(requestId: "8476a536-e9f4-11e8-9739-2dfe598c3fcd", body: event(try record("m1", "http://things/1")), deadline: deadline,
                  functionArn: "arn:aws:lambda:us-east-2:123456789012:function:things:live", traceId: "Root=1-abc;Parent=def;Sampled=1"),
            .init(requestId: "req-2", body: event(try record("m2", "http://things/2")), traceId: nil),
        ])

        XCTAssertEqual(status, 0)
        let seen = daemon.invocations.all
        XCTAssertEqual(seen.count, 2)
        XCTAssertEqual(seen.first?.requestId, "8476a536-e9f4-11e8-9739-2dfe598c3fcd")
        XCTAssertEqual(seen.first?.invokedFunctionArn, "arn:aws:lambda:us-east-2:123456789012:function:things:live")
        XCTAssertEqual(seen.first?.traceId, "Root=1-abc;Parent=def;Sampled=1")
        XCTAssertEqual(seen.first?.deadline, deadline)
        XCTAssertEqual(seen.first?.traceVariable, "Root=1-abc;Parent=def;Sampled=1", "_X_AMZN_TRACE_ID is the invocation's trace header")
        XCTAssertEqual(seen.last?.requestId, "req-2")
        XCTAssertNil(seen.last?.traceVariable, "an invocation without a trace header leaves no stale _X_AMZN_TRACE_ID")
    }

    func testLambda_whenTheEventIsNotSQS_reportsAnInvocationError_andGoesOn() async throws {
        let daemon = LambdaTestDaemon()
        let sns: JSONValue = ["Records": [["EventSource": "aws:sns", "Sns": ["Message": "hello"]]]]
        let (status, stub, _) = try await run(daemon, [
            .init(requestId: "req-sns", body: JSONSerializer.compact.string(sns)),
            .init(requestId: "req-object", body: #"{"detail-type": "Scheduled Event"}"#),
            .init(requestId: "req-text", body: "not json"),
            .init(requestId: "req-ok", body: event(try record("m1", "http://things/1"))),
        ])

        XCTAssertEqual(status, 0)
        XCTAssertEqual(stub.posts.map(\.path), ["/invocation/req-sns/error", "/invocation/req-object/error", "/invocation/req-text/error",
                                                "/invocation/req-ok/response"])
        let error = try XCTUnwrap(stub.posts.first)
        XCTAssertEqual(error.header("Lambda-Runtime-Function-Error-Type"), "Runtime.InvalidEvent")
        XCTAssertEqual(error.json?.objectValue?["errorType"]?.stringValue, "Runtime.InvalidEvent")
        XCTAssertEqual(error.json?.objectValue?["errorMessage"]?.stringValue,
                       "invalid Lambda SQS event: record 0 has eventSource 'aws:sns', expected 'aws:sqs'")
        XCTAssertEqual(stub.posts[1].json?.objectValue?["errorMessage"]?.stringValue,
                       "invalid Lambda SQS event: no 'Records' (members: 'detail-type')")
        XCTAssertEqual(stub.batchItemFailures(of: "req-ok"), [])
        XCTAssertEqual(daemon.handled.all, ["http://things/1"])
    }

    func testLambda_aRecordWithoutMessageId_failsTheInvocation() async throws {
        let daemon = LambdaTestDaemon()
        var bare = try record("m1", "http://things/1").objectValue!
        bare["messageId"] = nil
        let (_, stub, _) = try await run(daemon, [.init(requestId: "req-1", body: event(.object(bare)))])

        XCTAssertEqual(stub.posts.map(\.path), ["/invocation/req-1/error"])
        XCTAssertEqual(stub.posts.first?.json?.objectValue?["errorMessage"]?.stringValue,
                       "invalid Lambda SQS event: record 0 has no 'messageId' string")
        XCTAssertEqual(daemon.handled.all, [], "nothing is handled: the batch comes back whole")
    }

    func testLambda_aWarmUpEvent_isAnsweredWithoutHandling() async throws {
        let daemon = LambdaTestDaemon()
        let (_, stub, _) = try await run(daemon, [.init(requestId: "req-warm", body: #"{"warm": true}"#)])

        XCTAssertEqual(stub.posts.first?.body, #""warming up""#)
        XCTAssertEqual(daemon.handled.all, [])
    }

    func testLambda_anEmptyBatch_hasNoFailures() async throws {
        let (_, stub, _) = try await run(LambdaTestDaemon(), [.init(requestId: "req-1", body: #"{"Records": []}"#)])
        XCTAssertEqual(stub.batchItemFailures(of: "req-1"), [])
    }

    // MARK: Deadline

    func testLambda_recordsNotStartedBeforeTheDeadlineMargin_areReportedAsFailures() async throws {
        let daemon = LambdaTestDaemon()
        let (status, stub, _) = try await run(daemon, [
            .init(requestId: "req-late", body: event(try record("a", "http://things/1"), try record("b", "http://things/2")),
                  deadline: Date().addingTimeInterval(0.2)),
            .init(requestId: "req-on-time", body: event(try record("c", "http://things/3"))),
        ])

        XCTAssertEqual(status, 0)
        XCTAssertEqual(stub.batchItemFailures(of: "req-late"), ["a", "b"], "never started, never dropped: both come back from SQS")
        XCTAssertEqual(stub.batchItemFailures(of: "req-on-time"), [])
        XCTAssertEqual(daemon.handled.all, ["http://things/3"])
    }

    func testLambda_aRecordStillRunningAtTheDeadline_isCancelledAndReported() async throws {
        let daemon = LambdaTestDaemon()
        let (status, stub, _) = try await run(daemon, [
            .init(requestId: "req-1", body: event(try record("quick", "http://things/1"), try record("stuck", "http://things/block")),
                  deadline: Date().addingTimeInterval(4)),
        ])

        XCTAssertEqual(status, 0)
        XCTAssertEqual(stub.batchItemFailures(of: "req-1"), ["stuck"])
        if daemon.handled.all.contains("http://things/block") {   // started before the cutoff (3 s), as it is unless the machine stalls
            XCTAssertEqual(daemon.cancelled.all, ["http://things/block"], "the handler was cancelled before the response went out")
        }
    }

    // MARK: Start-up

    func testLambda_whenTheGraphCannotBeBuilt_reportsAnInitError() async throws {
        let daemon = LambdaTestDaemon()
        let (status, stub, errors) = try await run(daemon, [], environment: ["THINGS_DAEMON__CONSUMER_DAEMON__CONCURRENCY": "lots"])

        XCTAssertEqual(status, 64)
        XCTAssertEqual(stub.posts.map(\.path), ["/init/error"])
        XCTAssertEqual(stub.nextRequests, 0, "no invocation is asked for")
        let report = try XCTUnwrap(stub.posts.first)
        XCTAssertEqual(report.header("Lambda-Runtime-Function-Error-Type"), "Runtime.ConfigInvalid")
        XCTAssertEqual(report.json?.objectValue?["errorType"]?.stringValue, "Runtime.ConfigInvalid")
        let message = try XCTUnwrap(report.json?.objectValue?["errorMessage"]?.stringValue)
        XCTAssertTrue(message.contains("consumer_daemon.concurrency"), message)
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors[0].hasPrefix("things-daemon: "), errors[0])
        XCTAssertFalse(errors[0].contains("\n"), "one line")
    }

    func testLambda_whenPrepareFails_reportsAnInitError() async throws {
        var daemon = LambdaTestDaemon()
        daemon.failPrepare = true
        let (status, stub, _) = try await run(daemon, [])

        XCTAssertEqual(status, 1)
        XCTAssertEqual(stub.posts.map(\.path), ["/init/error"])
        XCTAssertEqual(stub.posts.first?.header("Lambda-Runtime-Function-Error-Type"), "Runtime.PrepareFailed")
    }

    func testLambda_aSourceFlag_isAnInitError() async throws {
        let (status, stub, errors) = try await run(LambdaTestDaemon(), [], arguments: ["--stdin"])
        XCTAssertEqual(status, 64)
        XCTAssertEqual(stub.posts.map(\.path), ["/init/error"])
        XCTAssertEqual(errors, ["things-daemon: --stdin cannot be used when AWS_LAMBDA_RUNTIME_API is set (the records come from Lambda)"])
    }

    func testLambda_aBadRuntimeAPIVariable_isOneLineNamingIt() async throws {
        for value in ["", "http://127.0.0.1:9001", "127.0.0.1", "127.0.0.1:9001/path", "127.0.0.1:99999"] {
            let errors = Recorder<String>()
            let status = await LambdaTestDaemon().run(arguments: [], environment: ["AWS_LAMBDA_RUNTIME_API": value],
                                                      output: { _ in }, errorOutput: { errors.append($0) })
            XCTAssertEqual(status, 64, value)
            XCTAssertEqual(errors.count, 1, value)
            let line = errors.all.first ?? ""
            XCTAssertTrue(line.hasPrefix("things-daemon: AWS_LAMBDA_RUNTIME_API must be host:port, as Lambda sets it; got '\(value)'"), line)
        }
    }

    func testLambda_whenTheRuntimeAPIFails_exitsWithOneLine() async throws {
        let server = try StubHTTPServer { _ in .init(status: 500, text: "container error") }
        defer { server.stop() }
        let errors = Recorder<String>()
        let status = await LambdaTestDaemon().run(arguments: [], environment: ["AWS_LAMBDA_RUNTIME_API": "127.0.0.1:\(server.port)",
                                                                             "THINGS_DAEMON__SNS_PRODUCER__REGION_NAME": "us-east-1"],
                                                  output: { _ in }, errorOutput: { errors.append($0) })
        XCTAssertEqual(status, 1)
        XCTAssertEqual(errors.all, ["things-daemon: Lambda Runtime API GET /runtime/invocation/next: HTTP 500, expected 200: container error"])
    }
}

/// A daemon for Lambda tests: handles created.thing (URI ending in `/fail`: throws, `/retry`:
/// Nack, `/skip`: false, `/block`: waits until cancelled), recording what it saw; counts the
/// graphs it gets (binding `thing_store`, a component) and its `prepare` calls.
struct LambdaTestDaemon: ConsumerDaemon {
    struct Seen: Sendable {
        var requestId: String?
        var invokedFunctionArn: String?
        var traceId: String?
        var deadline: Date?
        var traceVariable: String?
    }

    var name: String { "things-daemon" }
    let handled = Recorder<String>()
    let cancelled = Recorder<String>()
    let invocations = Recorder<Seen>()
    let graphsBuilt = Recorder<Int>()
    let prepared = Recorder<Int>()
    var failPrepare = false

    var registry: Registry {
        var registry = Registry.pubsub
        let graphsBuilt = self.graphsBuilt
        registry.bind("thing_store") { _ -> String in
            graphsBuilt.append(1)
            return "store"
        }
        return registry
    }

    var components: [String] { ["thing_store"] }

    var handlers: MessageHandlers {
        var handlers = MessageHandlers()
        let (handled, cancelled, invocations) = (self.handled, self.cancelled, self.invocations)
        handlers.register(.created("Thing")) { message in
            let uri = message.uri ?? ""
            handled.append(uri)
            if let invocation = LambdaInvocation.current, !invocations.all.contains(where: { $0.requestId == invocation.requestId }) {
                invocations.append(Seen(requestId: invocation.requestId, invokedFunctionArn: invocation.invokedFunctionArn,
                                        traceId: invocation.traceId, deadline: invocation.deadline,
                                        traceVariable: ProcessInfo.processInfo.environment["_X_AMZN_TRACE_ID"]))
            }
            if uri.hasSuffix("/fail") { throw TestDaemonFailure() }
            if uri.hasSuffix("/retry") { throw Nack(visibilityTimeout: 30) }
            if uri.hasSuffix("/block") {
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
                cancelled.append(uri)
                throw CancellationError()
            }
            return !uri.hasSuffix("/skip")
        }
        return handlers
    }

    func prepare(_ graph: Graph) async throws {
        prepared.append(1)
        if failPrepare { throw TestDaemonFailure() }
    }
}

/// The runtime loop and the Runtime API client on their own: what a refused report does, and FIFO
/// groups in a batch.
final class LambdaRuntimeLoopTests: XCTestCase {
    func testRun_aResponseRefusedWith4xx_isLogged_andTheLoopGoesOn() async throws {
        let shutdown = ConsumerDaemonShutdown()
        let served = Recorder<String>()
        let server = try StubHTTPServer { request in
            if request.method == "GET" {
                served.append("next")
                return .init(status: 200, headers: [("Lambda-Runtime-Aws-Request-Id", "req/\(served.count)")], text: "{}")
            }
            if served.count >= 2 { shutdown.trigger() }
            return .init(status: 400, text: #"{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}"#)
        }
        defer { server.stop() }
        let logs = InMemoryLogHandler()
        let runtime = LambdaRuntime(api: try LambdaRuntimeAPI(endpoint: "127.0.0.1:\(server.port)"),
                                    logger: Logger(label: "test", level: .debug, handler: logs))

        try await runtime.run(shutdown: shutdown) { _ in Array("{}".utf8) }

        XCTAssertEqual(server.requests.map { "\($0.method) \($0.path)" }, [
            "GET /2018-06-01/runtime/invocation/next", "POST /2018-06-01/runtime/invocation/req%2F1/response",
            "GET /2018-06-01/runtime/invocation/next", "POST /2018-06-01/runtime/invocation/req%2F2/response",
        ], "the request id is one path segment")
        XCTAssertEqual(logs.records.filter { $0.level == .error }.count, 2)
        XCTAssertTrue(logs.records.first?.message.contains("HTTP 400, expected 202") ?? false, "\(logs.records.map(\.message))")
    }

    func testRun_aResponseRefusedWith5xx_endsTheRuntime() async throws {
        let server = try StubHTTPServer { request in
            request.method == "GET" ? .init(status: 200, headers: [("Lambda-Runtime-Aws-Request-Id", "req-1")], text: "{}")
                : .init(status: 500, text: "container error")
        }
        defer { server.stop() }
        let runtime = LambdaRuntime(api: try LambdaRuntimeAPI(endpoint: "127.0.0.1:\(server.port)"), logger: Logger(label: "test"))
        do {
            try await runtime.run { _ in Array("{}".utf8) }
            XCTFail("a container error ends the runtime")
        } catch let error as LambdaRuntimeError {
            XCTAssertEqual(error.code, .runtimeAPI)
            XCTAssertEqual(error.status, 500)
            XCTAssertEqual(error.description, "Lambda Runtime API POST /runtime/invocation/req-1/response: HTTP 500, expected 202: container error")
        }
    }

    func testHandle_aFIFOGroupAfterAFailure_isReturnedUnstarted() async throws {
        let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .standard(environment: [:]),
                              config: ["sqs_consumer": ["sqs_event": ["Records": []]], "logging": ["level": "critical"]])
        let handled = Recorder<String>()
        var handlers = MessageHandlers()
        handlers.register(.created("Thing")) { message in
            handled.append(message.uri ?? "")
            if message.uri?.hasSuffix("/fail") == true { throw TestDaemonFailure() }
            return true
        }
        graph.assign(.sqsMessageHandlers, handlers)
        let registry = try graph.pubsubMessageSchemaRegistry
        func record(_ id: String, _ uri: String, group: String) throws -> JSONValue {
            ["messageId": .string(id), "receiptHandle": "h", "eventSource": "aws:sqs",
             "body": .string(try registry.encode(.created("Thing"), fields: ["uri": .string(uri)])),
             "attributes": ["ApproximateReceiveCount": "1", "MessageGroupId": .string(group), "SequenceNumber": "1"]]
        }
        let event: JSONValue = ["Records": [try record("a1", "http://things/a1/fail", group: "a"), try record("a2", "http://things/a2", group: "a"),
                                            try record("b1", "http://things/b1", group: "b")]]
        let handler = try LambdaSQSBatchHandler(graph: graph)

        let body = try await handler.handle(LambdaInvocation(requestId: "req-1", deadline: Date().addingTimeInterval(600),
                                                             event: Array(JSONSerializer.compact.string(event).utf8)))

        XCTAssertEqual(String(decoding: body, as: UTF8.self),
                       #"{"batchItemFailures":[{"itemIdentifier":"a1"},{"itemIdentifier":"a2"}]}"#)
        XCTAssertEqual(Set(handled.all), ["http://things/a1/fail", "http://things/b1"], "a2 is not started after a1 failed")
    }
}
