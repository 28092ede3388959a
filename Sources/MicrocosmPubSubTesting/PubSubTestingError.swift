import MicrocosmPubSub

/// Why a testing graph could not be made, or its publications could not be read.
///
/// ```
/// graph 'orders' does not record publications: make it with testing: true (or Graph.pubsubTesting)
/// daemon 'orders-daemon' handled 1 of the 2 messages waited for within 5.0 seconds:
///   1. Result for media type: application/vnd.globality.pubsub._.created.order was : SUCCEEDED
/// graph 'orders' publishes through its overridden sns_client, not the in-memory broker: its publications cannot be seen
/// message 2 published on arn:aws:sns:us-east-1:123456789012:orders is not a pubsub message: message is not JSON: ...
/// graph 'orders' published 1 of the 2 messages waited for within 5.0 seconds:
///   1. application/vnd.globality.pubsub._.created.order {"uri": "http://orders/1"} on arn:aws:sns:us-east-1:123456789012:orders
/// sns_topic_arns.default: 'orders' is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)
/// ```
public struct PubSubTestingError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, to compare or switch on (`error.code == .timedOut`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: Hashable, Sendable { case notRecording, notThroughBroker, unreadable, timedOut, badTopicArn, otherAccount }

        fileprivate let value: Value
        fileprivate init(_ value: Value) { self.value = value }

        /// The graph does not record publications.
        public static let notRecording = Code(.notRecording)
        /// The graph's `sns_client` bypasses the broker.
        public static let notThroughBroker = Code(.notThroughBroker)
        /// A publication is not a pubsub message.
        public static let unreadable = Code(.unreadable)
        /// The messages waited for were not all published in time.
        public static let timedOut = Code(.timedOut)
        /// A configured topic ARN is not an ARN.
        public static let badTopicArn = Code(.badTopicArn)
        /// Configured ARNs or queue URLs disagree on region or account.
        public static let otherAccount = Code(.otherAccount)

        public var description: String { "\(value)" }
    }

    /// What went wrong.
    public let code: Code
    private let detail: String
    /// The error this one reports (the ``PubSubMessageError`` of an unreadable message), if any.
    public let underlying: (any Error)?

    private init(_ code: Code, _ detail: String, underlying: (any Error)? = nil) {
        self.code = code
        self.detail = detail
        self.underlying = underlying
    }

    /// The graph's broker keeps no record of publications: the graph is not testing.
    public static func notRecording(graph: String) -> Self {
        Self(.notRecording, "graph '\(graph)' does not record publications: make it with testing: true (or Graph.pubsubTesting)")
    }

    /// The graph's `sns_client` is not its in-memory broker (a test replaced it), so the broker
    /// cannot have seen what was published.
    public static func notThroughBroker(graph: String) -> Self {
        Self(.notThroughBroker, "graph '\(graph)' publishes through its overridden sns_client, not the in-memory broker: "
                 + "its publications cannot be seen")
    }

    /// The `index`-th publication (from 0) is not a pubsub message.
    public static func unreadable(index: Int, topicArn: String, _ error: PubSubMessageError) -> Self {
        Self(.unreadable, "message \(index + 1) published on \(topicArn) is not a pubsub message: \(error)", underlying: error)
    }

    /// Fewer than `count` messages were published within `timeout`.
    public static func timedOut(graph: String, count: Int, timeout: Duration, published: [PublishedMessage]) -> Self {
        let lines = published.enumerated().map { "\n  \($0.offset + 1). \($0.element)" }
        return Self(.timedOut, "graph '\(graph)' published \(published.count) of the \(count) messages waited for within \(timeout)"
                        + (published.isEmpty ? "" : ":") + lines.joined())
    }

    /// A daemon started in process keeps no results: it is not testing.
    public static func notRecording(daemon: String) -> Self {
        Self(.notRecording, "daemon '\(daemon)' does not record the results of its messages: start it with --testing")
    }

    /// The daemon handled fewer than `count` messages within `timeout`.
    public static func timedOut(daemon: String, count: Int, timeout: Duration, results: [MessageHandlingResult]) -> Self {
        let lines = results.enumerated().map { "\n  \($0.offset + 1). \($0.element)" }
        return Self(.timedOut, "daemon '\(daemon)' handled \(results.count) of the \(count) messages waited for within \(timeout)"
                        + (results.isEmpty ? "" : ":") + lines.joined())
    }

    /// A configured topic ARN is not an ARN.
    public static func badTopicArn(_ value: String, key: String) -> Self {
        Self(.badTopicArn, "\(key): '\(value)' is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)")
    }

    /// A configured ARN or queue URL names another region or account than the rest: one broker has one of each.
    public static func otherAccount(_ value: String, key: String, expected: String) -> Self {
        Self(.otherAccount, "\(key): '\(value)' is not in \(expected) like the other topics and queues; "
                 + "the in-memory broker has one region and account")
    }

    /// What went wrong, naming the graph, message, key or value.
    public var description: String { detail }
}
