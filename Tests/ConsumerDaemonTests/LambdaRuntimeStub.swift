import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmJSON
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import Synchronization

/// A stub of the Lambda Runtime API on a loopback ``StubHTTPServer``: it hands out `events` one
/// per next-invocation request, with the headers Lambda sends, records what the runtime posts,
/// and triggers `shutdown` once the runtime has answered every event (before acknowledging the
/// last answer, so the runtime stops instead of asking again). A next-invocation request with no
/// event left waits until ``stop()`` (then gets HTTP 500).
final class LambdaRuntimeStub: Sendable {
    /// One invocation to hand out.
    struct Event: Sendable {
        var requestId: String
        var body: String
        var deadline: Date? = Date().addingTimeInterval(600)
        var functionArn = "arn:aws:lambda:us-east-1:123456789012:function:things"
        var traceId: String? = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"
    }

    /// A request the runtime posted.
    struct Post: Sendable {
        var path: String
        var headers: [(name: String, value: String)]
        var body: String

        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
        var json: JSONValue? { try? JSONParser.parse(body) }
    }

    private struct State {
        var events: [Event]
        var answered = 0
        var posts: [Post] = []
        var nextRequests = 0
    }

    private final class Store: Sendable {
        let state: Mutex<State>
        let released = DispatchSemaphore(value: 0)
        init(events: [Event]) { state = Mutex(State(events: events)) }
    }

    private let store: Store
    private let server: StubHTTPServer

    /// A stub handing out `events`; `shutdown` is triggered when all are answered.
    init(events: [Event], shutdown: ConsumerDaemonShutdown? = nil) throws {
        let store = Store(events: events)
        let expectedAnswers = events.count
        self.store = store
        server = try StubHTTPServer { request in
            let prefix = "/2018-06-01/runtime"
            if request.method == "GET", request.path == prefix + "/invocation/next" {
                let event: Event? = store.state.withLock { state in
                    state.nextRequests += 1
                    return state.events.isEmpty ? nil : state.events.removeFirst()
                }
                guard let event else {
                    _ = store.released.wait(timeout: .now() + 30)
                    return .init(status: 500, text: #"{"errorMessage":"stub stopped","errorType":"Stub.Stopped"}"#)
                }
                var headers: [(name: String, value: String)] = [("Lambda-Runtime-Aws-Request-Id", event.requestId),
                                                                ("Lambda-Runtime-Invoked-Function-Arn", event.functionArn),
                                                                ("Content-Type", "application/json")]
                if let deadline = event.deadline {
                    headers.append(("Lambda-Runtime-Deadline-Ms", String(Int64(deadline.timeIntervalSince1970 * 1000))))
                }
                if let traceId = event.traceId { headers.append(("Lambda-Runtime-Trace-Id", traceId)) }
                return .init(status: 200, headers: headers, body: Array(event.body.utf8))
            }
            guard request.method == "POST", request.path.hasPrefix(prefix) else { return .init(status: 404, text: "not found") }
            let post = Post(path: String(request.path.dropFirst(prefix.count)), headers: request.headers, body: request.bodyText)
            let done = store.state.withLock { state -> Bool in
                state.posts.append(post)
                guard post.path.hasPrefix("/invocation/") else { return false }
                state.answered += 1
                return state.answered == expectedAnswers
            }
            if done { shutdown?.trigger() }
            return .init(status: 202, text: #"{"status":"OK"}"#)
        }
    }

    /// `127.0.0.1:<port>`, as Lambda sets `AWS_LAMBDA_RUNTIME_API`.
    var endpoint: String { "127.0.0.1:\(server.port)" }

    /// What the runtime posted, in order.
    var posts: [Post] { store.state.withLock { $0.posts } }

    /// How many next-invocation requests came.
    var nextRequests: Int { store.state.withLock { $0.nextRequests } }

    /// The body of the response to invocation `requestId`, parsed.
    func response(to requestId: String) -> JSONValue? {
        posts.first { $0.path == "/invocation/\(requestId)/response" }?.json
    }

    /// The failures a partial batch response to `requestId` names.
    func batchItemFailures(of requestId: String) -> [String]? {
        response(to: requestId)?.objectValue?["batchItemFailures"]?.arrayValue?.compactMap { $0.objectValue?["itemIdentifier"]?.stringValue }
    }

    /// Releases a waiting next-invocation request and stops the server.
    func stop() {
        store.released.signal()
        server.stop()
    }
}
